"""Tệp → choosing a database: open, create, recent, a server; the last one opened at start."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.settings import Settings
from cchc_desktop.gui.shell import Shell, start_target
from cchc_desktop.store.holders import holders


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": texts.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text, details="": texts.append(text))
    return texts


@pytest.fixture
def choose(monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The file dialogs answer ``choose["file"]``."""
    answer: dict[str, Path] = {}

    def exec_(dialog: QFileDialog) -> int:
        dialog.selectFile(str(answer["file"]))
        return 1

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    return answer


@pytest.fixture
def two_databases(demo_db, tmp_path: Path) -> tuple[Path, Path]:
    """Two CCHC databases: the demo one (a.sqlite3) and an empty copy of the schema."""
    first = tmp_path / "a.sqlite3"
    demo_db.close()
    shutil.move(str(demo_db.sqlite_path), first)
    second = tmp_path / "b" / "b.sqlite3"
    second.parent.mkdir()
    from cchc_desktop.store.db import open_database

    open_database(str(second), create=True).close()
    return first, second


@pytest.fixture
def shell():  # noqa: ANN201
    """The program's shell; its last window is closed (and its database) after the test."""
    from shiboken6 import isValid

    made = Shell()
    yield made
    if made.window is not None and isValid(made.window):
        made.window.close()
        if made.window.ctx is not None:
            made.window.ctx.db.close()


def _started(qtbot, shell: Shell, target: str | None):  # noqa: ANN202
    with qtbot.waitSignal(shell.start(target).database_ready, timeout=20_000):
        pass
    return shell.window


def _switched(qtbot, shell: Shell, action) -> object:  # noqa: ANN001
    old = shell.window
    action()
    assert shell.window is not old
    with qtbot.waitSignal(shell.window.database_ready, timeout=20_000):
        pass
    return shell.window


def test_open_closes_the_current_database_and_opens_the_chosen_one(
        shell, qtbot, two_databases, choose, shown):
    first, second = two_databases
    window = _started(qtbot, shell, str(first))
    assert holders(first, exclude_own=False)  # registered while open
    choose["file"] = second
    new = _switched(qtbot, shell, window.database_menu.open_action.trigger)
    assert new.ctx.db.sqlite_path == second.resolve()
    assert str(second.resolve()) in new.windowTitle()
    assert holders(first, exclude_own=False) == []  # the old one is closed: nobody holds it
    assert Settings().recent_databases() == [str(second.resolve()), str(first.resolve())]
    assert shown == []
    new.close()


def test_a_draft_typed_before_switching_is_saved(shell, qtbot, two_databases, choose, shown):
    first, second = two_databases
    window = _started(qtbot, shell, str(first))
    window.tabs.setCurrentIndex(window.index_of("reports_tab"))
    tab = window.tab("reports_tab")
    qtbot.waitUntil(lambda: tab.section_list.count() > 0 and tab.texts_ready)
    tab.section_list.setCurrentRow(0)
    tab.editor.setPlainText("")
    qtbot.keyClicks(tab.editor, "Go do roi chuyen co so du lieu")
    code = tab.period.code
    choose["file"] = second
    new = _switched(qtbot, shell, window.database_menu.open_action.trigger)  # inside the pause
    new.close()
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.services.report_drafts import stored_texts
    from cchc_desktop.store.db import open_database

    db = open_database(str(first))
    try:
        with db.session() as session:
            assert stored_texts(session, parse_period(code), "general")["intro"] == (
                "Go do roi chuyen co so du lieu")
    finally:
        db.close()


@pytest.mark.parametrize("kind", ["foreign", "damaged", "empty"])
def test_a_file_that_is_not_ours_is_refused_and_the_open_database_stays(
        shell, qtbot, two_databases, tmp_path, choose, shown, kind):
    first, _second = two_databases
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)")
        conn.commit()
        conn.close()
    elif kind == "damaged":
        bad.write_bytes(b"khong phai co so du lieu" * 50)
    else:
        bad.write_bytes(b"")
    before = bad.read_bytes()
    window = _started(qtbot, shell, str(first))
    choose["file"] = bad
    assert window.database_menu.open_action.isEnabled()
    assert window.database_menu.open_database() is False
    assert shell.window is window and window.ctx is not None and window.isVisible()
    expected = {"foreign": "chương trình khác", "damaged": "đã bị hỏng",
                "empty": "chưa có dữ liệu CCHC"}[kind]
    assert len(shown) == 1 and expected in shown[0]
    assert bad.read_bytes() == before  # never written into
    window.close()


def test_create_makes_a_migrated_database_and_shows_the_first_steps(
        shell, qtbot, two_databases, tmp_path, choose, shown):
    first, _second = two_databases
    window = _started(qtbot, shell, str(first))
    new_file = tmp_path / "moi" / "so-noi-vu.sqlite3"
    new_file.parent.mkdir()
    choose["file"] = new_file
    new = _switched(qtbot, shell, window.database_menu.create_action.trigger)
    assert new.ctx.db.sqlite_path == new_file.resolve()
    from cchc_desktop.store.migrate import SCHEMA_HEAD, current_revision

    assert current_revision(new.ctx.db.engine) == SCHEMA_HEAD
    new.tabs.setCurrentIndex(new.index_of("dashboard_tab"))
    dashboard = new.tab("dashboard_tab")
    qtbot.waitUntil(lambda: dashboard.welcome.isVisible(), timeout=10_000)  # the first steps
    assert shown == []
    new.close()


def test_create_never_writes_over_an_existing_file(shell, qtbot, two_databases, choose, shown):
    first, second = two_databases
    before = second.read_bytes()
    window = _started(qtbot, shell, str(first))
    choose["file"] = second
    assert window.database_menu.create_database() is False
    assert shell.window is window
    assert len(shown) == 1 and "không ghi đè" in shown[0]
    assert second.read_bytes() == before
    window.close()


def test_the_recent_list_greys_what_is_gone_and_can_drop_it(shell, qtbot, two_databases, tmp_path,
                                                            choose, shown):
    first, second = two_databases
    gone = tmp_path / "usb" / "cu.sqlite3"
    server = "postgresql+psycopg://vanthu@192.168.1.10/cchc"
    settings = Settings()
    for target in (str(gone), server, str(second), str(first)):
        settings.remember_database(target)
    window = _started(qtbot, shell, str(first))
    menu = window.database_menu
    menu.fill_recent()
    actions = [a for a in menu.recent_menu.actions() if a.data()]
    assert [a.data() for a in actions] == [str(first.resolve()), str(second), server, str(gone)]
    assert [a.isEnabled() for a in actions] == [True, True, True, False]
    assert actions[3].text().endswith("(không còn tệp)")
    assert actions[0].text().startswith("&1 ")
    drop = next(a for a in menu.recent_menu.actions() if a.text() == "Bỏ các mục không còn tệp")
    drop.trigger()
    assert str(gone) not in Settings().recent_databases()
    actions = [a for a in menu.recent_menu.actions() if a.data()]
    assert [a.data() for a in actions] == [str(first.resolve()), str(second), server]
    new = _switched(qtbot, shell, actions[1].trigger)  # a recent file opens like a chosen one
    assert new.ctx.db.sqlite_path == second.resolve()
    new.close()


def test_recent_list_keeps_eight_and_never_a_password() -> None:
    from cchc_desktop.store.targets import remembered_form

    settings = Settings()
    for n in range(12):
        settings.remember_database(f"/du-lieu/{n}.sqlite3")
    recent = settings.recent_databases()
    assert len(recent) == 8 and recent[0] == "/du-lieu/11.sqlite3"
    assert (remembered_form("postgresql+psycopg://vp:bi-mat@maychu:5433/cchc")
            == "postgresql+psycopg://vp@maychu:5433/cchc")


@pytest.mark.parametrize(("host", "port", "database", "user"), [
    ("192.168.1.10", 5432, "cchc", "vanthu"),
    ("fe80::1", 5433, "cchc/2026?x#y", "nguyễn@vp:1"),
    ("MayChu.so.local", 6000, "cơ sở dữ liệu", "a b%c"),
])
def test_the_server_dialog_builds_an_address_without_password(qtbot, host, port, database,
                                                              user, type_text):
    from sqlalchemy.engine import make_url

    from cchc_desktop.gui.database_menu import ServerDialog

    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.host_edit.clear()
    type_text(dialog.host_edit, host)
    dialog.port_spin.setValue(port)
    dialog.database_edit.clear()
    type_text(dialog.database_edit, database)
    type_text(dialog.user_edit, user)
    assert dialog.preview.text().startswith("Địa chỉ: postgresql+psycopg://")
    dialog.accept()
    assert dialog.result() == 1
    url = make_url(dialog.url)
    assert (url.host, url.database, url.username, url.password) == (host, database, user, None)
    assert url.port == (None if port == 5432 else port)
    assert ":" not in dialog.url.split("://", 1)[1].split("@")[0]  # no password part


@pytest.mark.parametrize(("host", "database", "user", "message"), [
    ("", "cchc", "vp", "máy chủ"),
    ("may chu", "cchc", "vp", "không hợp lệ"),
    ("maychu", "   ", "vp", "tên cơ sở dữ liệu"),
    ("maychu", "cchc", "", "tên đăng nhập"),
])
def test_the_server_dialog_says_what_is_missing(qtbot, host, database, user, message):
    from cchc_desktop.gui.database_menu import ServerDialog

    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.host_edit.setText(host)
    dialog.database_edit.setText(database)
    dialog.user_edit.setText(user)
    dialog.accept()
    assert dialog.result() == 0 and dialog.url == ""
    assert message in dialog.error_label.text()


def test_connect_server_hands_the_address_to_the_start_and_goes_back_when_it_fails(
        shell, qtbot, two_databases, monkeypatch, shown):
    from cchc_desktop.gui.database_menu import ServerDialog

    first, _second = two_databases
    window = _started(qtbot, shell, str(first))

    def fill(dialog: ServerDialog) -> int:
        dialog.host_edit.setText("127.0.0.1")
        dialog.port_spin.setValue(1)  # nobody listens: the start says why
        dialog.user_edit.setText("vanthu")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ServerDialog, "exec", fill)
    seen: list[str | None] = []
    real_switch = shell.switch_to
    monkeypatch.setattr(shell, "switch_to", lambda t, **k: seen.append(t) or real_switch(t, **k))
    window.database_menu.switch = shell.switch_to
    window.database_menu.server_action.trigger()
    assert seen == ["postgresql+psycopg://vanthu@127.0.0.1:1/cchc"]
    # The server cannot be reached: said so, then the previous database is opened again.
    qtbot.waitUntil(lambda: shell.window.ctx is not None and shell.target == str(first),
                    timeout=30_000)
    assert len(shown) == 1 and "máy chủ" in shown[0]
    assert shell.window.ctx.db.sqlite_path == first.resolve()
    qtbot.waitUntil(lambda: "mở lại" in shell.window.statusBar().currentMessage())
    shell.window.close()


def test_opening_the_database_already_open_says_so(shell, qtbot, two_databases, choose, shown):
    first, _second = two_databases
    window = _started(qtbot, shell, str(first))
    choose["file"] = first
    assert window.database_menu.open_database() is False
    assert shell.window is window and shown == ["Cơ sở dữ liệu này đang mở trong cửa sổ này."]
    window.close()


def test_the_last_database_is_the_next_start(two_databases, monkeypatch) -> None:
    first, second = two_databases
    assert start_target(None) == (None, "")  # never used: the default
    Settings().remember_database(str(second))
    assert start_target(None) == (str(second), "")
    assert start_target(str(first)) == (str(first), "")  # --db wins
    monkeypatch.setenv("CCHC_DB", str(first))
    assert start_target(None) == (None, "")  # CCHC_DB wins too (the start reads it)
    monkeypatch.delenv("CCHC_DB")
    server = "postgresql+psycopg://vanthu@maychu/cchc"
    Settings().remember_database(server)
    assert start_target(None) == (server, "")
    second.unlink()
    Settings().remember_database(str(second))
    target, note = start_target(None)
    assert target is None and str(second) in note and "mặc định" in note


def test_the_last_database_opened_is_what_the_next_start_opens(shell, qtbot, two_databases, shown):
    first, second = two_databases
    first_window = _started(qtbot, shell, str(second))
    first_window.close()
    first_window.ctx.db.close()
    target, _note = start_target(None)
    assert target == str(second.resolve())
    again = Shell()
    window = _started(qtbot, again, target)
    assert window.ctx.db.sqlite_path == second.resolve()
    window.close()
    window.ctx.db.close()
