"""Start-up: the window is shown before the database is open, then filled (gui.startup)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.main_window import LOADING_TEXT, MainWindow
from tests.reliability.conftest import damage


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the start-up shows (error boxes) instead of waiting on them."""
    texts: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": texts.append(text))
    return texts


def _launch(qtbot, target: str) -> MainWindow:
    from cchc_desktop.gui.app import launch

    window = launch(target)
    qtbot.addWidget(window)
    return window


def test_the_window_is_drawn_first_and_filled_when_the_database_is_open(qtbot, demo_db):
    path = str(demo_db.sqlite_path)
    demo_db.close()
    window = _launch(qtbot, path)
    # Before the event loop ran: the frame at its size, with a "loading" note.
    assert window.ctx is None and not window.built
    assert window.isVisible()
    loading = window.findChild(QLabel, "loading")
    assert loading is not None and loading.text() == LOADING_TEXT
    # Just after its first paint: the shell, its tabs and a "loading" note, no data yet.
    qtbot.waitUntil(lambda: window.built, timeout=5000)
    assert window.ctx is None
    loading = window.findChild(QLabel, "loading")
    assert loading is not None and loading.text() == LOADING_TEXT
    assert not window.new_task_action.isEnabled()
    assert not any(action.isEnabled() for action in window.menu_actions.values())
    window.tabs.setCurrentIndex(window.index_of("tasks_tab"))  # switching tabs while loading
    assert window.tab("tasks_tab") is None

    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    assert window.ctx is not None and window.opening is not None and not window.opening.running
    assert path in window.windowTitle()
    assert window.location_label.text() == f"Cơ sở dữ liệu: {Path(path).resolve()}"
    assert window.findChild(QLabel, "loading") is None or not window.findChild(QLabel, "loading").isVisible()
    assert window.new_task_action.isEnabled()
    assert all(action.isEnabled() for action in window.menu_actions.values())
    tasks = window._widgets.get("tasks_tab")  # the tab chosen while loading is built now
    assert tasks is not None
    qtbot.waitUntil(lambda: "nhiệm vụ quá hạn" in window.reminder.label.text(), timeout=5000)
    window.close()


def test_a_file_that_is_not_a_database_is_explained_and_the_window_closes(qtbot, tmp_path, shown):
    bad = tmp_path / "khong-phai.sqlite3"
    bad.write_bytes(b"day khong phai co so du lieu" * 100)
    window = _launch(qtbot, str(bad))
    qtbot.waitUntil(lambda: window.start_failed, timeout=20_000)
    assert not window.isVisible()
    assert window.ctx is None
    assert any("không phải là cơ sở dữ liệu" in text for text in shown)
    assert bad.read_bytes().startswith(b"day khong phai")  # the file is left as it was


def test_a_damaged_database_is_restored_from_its_backup_on_consent(
        qtbot, demo_db, shown, monkeypatch):
    from cchc_desktop.store import backup

    path = demo_db.sqlite_path
    demo_db.close()
    backup.make_backup(path, reason="manual")
    damage(path)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm",
                        lambda _p, text, danger=False: asked.append(text) or True)
    window = _launch(qtbot, str(path))
    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    assert asked and "Khôi phục" in asked[0]
    assert not window.start_failed
    from cchc_desktop.services.task_queries import summarize_tasks
    from tests.conftest import DEMO_TODAY

    with window.ctx.db.session() as session:
        assert summarize_tasks(session, DEMO_TODAY)["total"] == 300
    window.close()


def test_giving_up_the_sign_in_closes_the_window(qtbot, demo_db, monkeypatch):
    from cchc_desktop.gui import login_dialog
    from cchc_desktop.services.users import add_user, set_require_login

    with demo_db.session() as session:
        add_user(session, "quantri", "mat-khau-123", "admin")
    with demo_db.session() as session:
        set_require_login(session, True)
    path = str(demo_db.sqlite_path)
    demo_db.close()
    asked: list[str] = []
    monkeypatch.setattr(login_dialog.LoginDialog, "exec",
                        lambda self: asked.append(self.windowTitle()) or 0)
    window = _launch(qtbot, path)
    qtbot.waitUntil(lambda: window.start_failed, timeout=20_000)
    assert asked == ["Đăng nhập"]
    assert window.ctx is None and not window.isVisible()


def test_the_shell_is_drawn_without_importing_sqlalchemy(tmp_path):
    """What makes start-up fast: nothing of the database layer before the first paint."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from cchc_desktop.gui.common.settings import use_settings_folder\n"
        f"use_settings_folder({str(tmp_path)!r})\n"
        "from cchc_desktop.gui.main_window import MainWindow\n"
        "w = MainWindow(None); w.show(); app.processEvents()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'alembic', 'matplotlib')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout.strip()
    assert out == "[]"


def test_the_frame_is_drawn_before_the_qt_namespace_is_built(tmp_path):
    """PySide builds the ``Qt`` namespace (300 enums, 15 ms) when first used: the staged
    frame of a window whose place is remembered is on screen before that (lazy_qt.py)."""
    code = (
        "from PySide6 import QtCore\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from cchc_desktop.gui.common.settings import Settings, use_settings_folder\n"
        f"use_settings_folder({str(tmp_path)!r})\n"
        "from cchc_desktop.gui.main_window import MainWindow\n"
        "first = MainWindow(None); first.show(); app.processEvents(); first.close()\n"
        "first.save_layout(); Settings().sync()\n"  # a place and size remembered
        "print('Qt' in vars(QtCore))\n"
    )
    second = (
        "from PySide6 import QtCore\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from cchc_desktop.gui.common.settings import use_settings_folder\n"
        f"use_settings_folder({str(tmp_path)!r})\n"
        "from cchc_desktop.gui.shell import launch\n"
        "before = 'Qt' in vars(QtCore)\n"
        "w = launch(None)\n"  # shown; the database is opened only after the first paint
        "print(before, 'Qt' in vars(QtCore), w.built)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, timeout=120).stdout.strip()
    assert first == "True"  # a full window uses it
    out = subprocess.run([sys.executable, "-c", second], capture_output=True, text=True,
                         check=True, timeout=120).stdout.strip()
    assert out == "False False False"


@pytest.mark.timeout(60)
def test_closing_while_the_database_opens_waits_for_it_then_drops_it(qtbot, demo_db,
                                                                      monkeypatch):
    import threading
    import time

    from cchc_desktop.gui import startup

    path = str(demo_db.sqlite_path)
    demo_db.close()
    started, real_open = threading.Event(), startup._open

    def slow_open(target, create=True):
        started.set()
        time.sleep(0.8)  # a migration or the daily backup of a large file
        return real_open(target, create)

    monkeypatch.setattr(startup, "_open", slow_open)
    window = _launch(qtbot, path)
    qtbot.waitUntil(started.is_set, timeout=10_000)
    begin = time.monotonic()
    window.close()  # returns once the opening has ended: it never cuts it off, never hangs
    assert 0.3 < time.monotonic() - begin < 20
    assert not window.opening.running
    qtbot.wait(100)  # the ended opening's result arrives: dropped, nothing attached
    assert window.ctx is None and not window.start_failed


def test_the_file_check_does_not_read_a_network_share(monkeypatch):
    from cchc_desktop.errors import EnvironmentProblem
    from cchc_desktop.gui import startup
    from cchc_desktop.store import file_check

    checked = []
    monkeypatch.setattr(file_check, "FileCheck", lambda path: checked.append(path))
    with pytest.raises(EnvironmentProblem, match="ổ mạng"):
        startup._open(r"\\fileserver\vanphong\cchc.sqlite3")
    assert checked == []


@pytest.mark.parametrize("answer", [False, True])
def test_a_db_path_that_does_not_exist_is_created_only_when_the_user_says_so(
        qtbot, tmp_path, shown, monkeypatch, answer):
    missing = tmp_path / "go-nham.sqlite3"  # a mistyped --db
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm",
                        lambda _p, text, danger=False: asked.append(text) or answer)
    window = _launch(qtbot, str(missing))
    if not answer:
        qtbot.waitUntil(lambda: window.start_failed, timeout=20_000)
        assert not missing.exists() and list(tmp_path.iterdir()) == []
    else:
        with qtbot.waitSignal(window.database_ready, timeout=20_000):
            pass
        assert missing.exists() and window.ctx is not None
        window.close()
    assert len(asked) == 1 and str(missing) in asked[0] and "Tạo cơ sở dữ liệu mới" in asked[0]
    assert shown == []


def test_the_default_database_is_created_on_the_first_run_without_a_question(
        qtbot, tmp_path, shown, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CCHC_DB", raising=False)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: pytest.fail("asked"))
    window = _launch(qtbot, None)
    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    assert (tmp_path / "data" / "cchc.sqlite3").exists()
    window.close()


def test_another_programs_database_is_explained_and_left_alone(qtbot, tmp_path, shown):
    import sqlite3

    foreign = tmp_path / "zalo.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    window = _launch(qtbot, str(foreign))
    qtbot.waitUntil(lambda: window.start_failed, timeout=20_000)
    assert any("chương trình khác" in text for text in shown)
    assert foreign.read_bytes() == before


def test_a_database_truncated_to_nothing_offers_its_newest_backup(
        qtbot, demo_db, shown, monkeypatch):
    from cchc_desktop.store import backup

    path = demo_db.sqlite_path
    demo_db.close()
    newest = backup.make_backup(path, reason="manual")
    path.write_bytes(b"")
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm",
                        lambda _p, text, danger=False: asked.append(text) or True)
    window = _launch(qtbot, str(path))
    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    assert asked and "0 byte" in asked[0] and newest.name in asked[0]
    assert path.stat().st_size > 0
    window.close()


@pytest.fixture
def other_holder(demo_db):
    """Another process that has the demo database open (registered as its holder)."""
    path = demo_db.sqlite_path
    demo_db.close()
    code = ("import sys; from pathlib import Path; "
            "from cchc_desktop.store.holders import Registration; "
            f"r = Registration(Path({str(path)!r})); print('ok', flush=True); sys.stdin.read()")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            cwd=str(Path(__file__).resolve().parents[2]))
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ok"
        yield path, proc.pid
    finally:
        proc.communicate("", timeout=10)


@pytest.mark.parametrize("agree", [False, True])
def test_a_second_copy_on_the_same_database_says_who_holds_it(qtbot, other_holder,
                                                              monkeypatch, agree):
    path, pid = other_holder
    asked: list[tuple[str, bool]] = []
    monkeypatch.setattr(dialogs, "confirm",
                        lambda _p, text, danger=False: asked.append((text, danger)) or agree)
    window = _launch(qtbot, str(path))
    if agree:
        with qtbot.waitSignal(window.database_ready, timeout=20_000):
            pass
        assert window.ctx is not None
        window.close()
    else:
        qtbot.waitUntil(lambda: window.start_failed, timeout=20_000)
        assert window.ctx is None and not window.isVisible()
    assert len(asked) == 1 and asked[0][1]  # "Không" is the default
    assert "đang được mở ở nơi khác" in asked[0][0] and f"tiến trình {pid}" in asked[0][0]


def test_nobody_else_holding_the_database_asks_nothing(qtbot, demo_db, monkeypatch):
    path = str(demo_db.sqlite_path)
    demo_db.close()
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: pytest.fail("asked"))
    window = _launch(qtbot, path)
    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    window.close()


def _no_backups(path: Path) -> None:
    import shutil

    from cchc_desktop.store import backup

    shutil.rmtree(backup.backups_dir(path), ignore_errors=True)


def _auto_backups(path: Path) -> list[object]:
    from cchc_desktop.store import backup

    return [b for b in backup.list_backups(path) if b.reason == "auto"]


def _opened_with_no_backup_yet(qtbot, demo_db, monkeypatch=None) -> tuple[MainWindow, Path]:
    """The demo database opened by the program's own start (no backup of it yet; with
    ``monkeypatch``, the check behind the data starts at once)."""
    from cchc_desktop.gui import startup

    if monkeypatch is not None:
        monkeypatch.setattr(startup, "CHECK_DELAY_MS", 0)
    path = demo_db.sqlite_path
    demo_db.close()
    _no_backups(path)
    window = _launch(qtbot, str(path))
    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    return window, path


def test_the_integrity_check_and_the_daily_backup_follow_the_data(qtbot, demo_db, monkeypatch):
    window, path = _opened_with_no_backup_yet(qtbot, demo_db, monkeypatch)
    db = window.ctx.db
    assert db.checks_pending and _auto_backups(path) == []  # the data first
    qtbot.waitUntil(lambda: not db.checks_pending and not window.checking.running, timeout=20_000)
    assert len(_auto_backups(path)) == 1
    assert window.ctx.db is db and not window.start_failed
    window.close()


def test_closing_at_once_waits_for_the_check_behind_the_data(qtbot, demo_db, monkeypatch):
    window, path = _opened_with_no_backup_yet(qtbot, demo_db, monkeypatch)
    qtbot.waitUntil(lambda: window.checking is not None and window.checking.running
                    or not window.ctx.db.checks_pending, timeout=20_000)
    window.close()  # the backup is never cut off half-way
    assert not window.checking.running
    assert len(_auto_backups(path)) == 1


def test_closing_before_the_check_began_still_takes_the_days_backup(qtbot, demo_db):
    window, path = _opened_with_no_backup_yet(qtbot, demo_db)
    db = window.ctx.db
    window.close()  # within CHECK_DELAY_MS: the check had not begun
    assert not window.checking.running and not db.checks_pending
    assert len(_auto_backups(path)) == 1


@pytest.mark.parametrize("restore", [True, False])
def test_damage_found_behind_the_data_makes_the_same_offer(qtbot, demo_db, shown, monkeypatch,
                                                           restore):
    from cchc_desktop.gui import startup
    from cchc_desktop.services.task_queries import summarize_tasks
    from cchc_desktop.store import backup
    from tests.conftest import DEMO_TODAY
    from tests.reliability.conftest import damage_unread_table

    monkeypatch.setattr(startup, "CHECK_DELAY_MS", 0)
    path = demo_db.sqlite_path
    demo_db.close()
    _no_backups(path)
    good = backup.make_backup(path, reason="manual")
    damage_unread_table(path)  # found by PRAGMA quick_check only
    damaged = path.read_bytes()
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm",
                        lambda _p, text, danger=False: asked.append(text) or restore)
    window = _launch(qtbot, str(path))
    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    first = window.ctx.db
    window.show_tasks()  # a tab in use when the damage is found
    if restore:
        with qtbot.waitSignal(window.database_ready, timeout=30_000):  # attached again
            pass
        assert asked and "Khôi phục" in asked[0] and good.name in asked[0]
        assert window.ctx is not None and window.ctx.db is not first
        assert not window.start_failed and window.isVisible()
        with window.ctx.db.session() as session:
            assert summarize_tasks(session, DEMO_TODAY)["total"] == 300
        assert window.tab("tasks_tab") is not None  # the tabs are built anew
        for taken in _auto_backups(path):  # the restored file's, never the damaged one's
            backup.check_backup_file(taken.path)
        window.close()
    else:
        qtbot.waitUntil(lambda: window.start_failed, timeout=30_000)
        assert asked and "Khôi phục" in asked[0]
        assert window.ctx is None and not window.isVisible()
        assert path.read_bytes() == damaged  # left as it was
        assert _auto_backups(path) == []  # the damaged file is never the day's backup
        assert any("Tệp hỏng được giữ nguyên" in text for text in shown)
