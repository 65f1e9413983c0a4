"""The GUI side: back up now, restore from the list, the damaged-file offer, the audit list, log-in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from cchc_desktop.gui.catalog import backup_dialog
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.store import backup
from cchc_desktop.store.db import DatabaseDamaged, open_database
from tests.reliability.conftest import damage


@pytest.fixture
def ctx(qtbot, filled_path: Path):
    database = open_database(str(filled_path))
    context = GuiContext(db=database, undo_stack=QUndoStack())
    context.changes = []
    context.data_changed.append(lambda: context.changes.append(1))
    yield context
    database.close()


@pytest.fixture
def quiet(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text, details="": shown.append(text))
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(text))
    monkeypatch.setattr(dialogs, "confirm", lambda _p, text, danger=False: True)
    return shown


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    finally:
        conn.close()


def test_backup_now_writes_a_backup(ctx, quiet) -> None:
    before = len(backup.list_backups(ctx.db.sqlite_path))
    assert backup_dialog.backup_now(None, ctx)
    assert len(backup.list_backups(ctx.db.sqlite_path)) == before + 1
    assert "Đã sao lưu" in quiet[-1]


def test_restore_from_the_list_and_keep_working(ctx, quiet, qtbot, qtmodeltester) -> None:
    path = ctx.db.sqlite_path
    backup.make_backup(path, reason="manual")
    with ctx.db.session() as s:
        from sqlalchemy import text

        s.execute(text("DELETE FROM tasks"))
    dialog = backup_dialog.RestoreDialog(path)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() >= 1
    assert dialog.model.data(dialog.model.index(0, 1)) == "Sao lưu thủ công"
    dialog.show()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen == backup.list_backups(path)[0].path
    assert backup_dialog.restore_file(None, ctx, dialog.chosen)
    assert ctx.changes  # the tabs were told to refresh
    with ctx.db.session() as s:  # the same Database object now reads the restored file
        assert s.execute(text("SELECT count(*) FROM tasks")).scalar() == 3
    assert any(b.reason == "before-restore" for b in backup.list_backups(path))


def test_restore_refuses_a_bad_file(ctx, quiet, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a backup")
    assert not backup_dialog.restore_file(None, ctx, bad)
    assert "không phải là cơ sở dữ liệu" in quiet[-1]
    assert _count(ctx.db.sqlite_path) == 3


def test_damaged_database_offers_the_newest_good_backup(filled_path: Path, quiet) -> None:
    backup.make_backup(filled_path, reason="manual")
    damage(filled_path)
    with pytest.raises(DatabaseDamaged) as info:
        open_database(str(filled_path))
    assert backup_dialog.offer_restore_on_damage(None, info.value)
    assert _count(filled_path) == 3
    assert list((filled_path.parent / "backups").glob("*.damaged-*"))


def test_open_for_gui_restores_after_consent(filled_path: Path, quiet) -> None:
    from cchc_desktop.gui.login_dialog import open_database_for_gui

    backup.make_backup(filled_path, reason="manual")
    damage(filled_path)
    database = open_database_for_gui(str(filled_path))
    assert _count(filled_path) == 3
    database.close()


def test_audit_dialog_filters(ctx, qtbot, qtmodeltester) -> None:
    dialog = backup_dialog.AuditDialog(ctx)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    everything = dialog.model.rowCount()
    assert everything == 4  # one unit and three tasks created
    dialog.entity_combo.setCurrentIndex(dialog.entity_combo.findData("task"))
    assert dialog.model.rowCount() == 3
    qtbot.keyClicks(dialog.id_edit, "2")
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    assert dialog.model.rowCount() == 1
    assert dialog.model.data(dialog.model.index(0, 2)) == "thêm"
    assert dialog.model.data(dialog.model.index(0, 3)) == "Nhiệm vụ số 2"
    qtbot.keyClicks(dialog.user_edit, "someone-else")
    qtbot.keyClick(dialog.user_edit, Qt.Key.Key_Return)
    assert dialog.model.rowCount() == 0
    assert dialog.count_label.text() == "0 thay đổi"


def test_login_dialog(ctx, qtbot) -> None:
    from cchc_desktop.gui.login_dialog import LoginDialog, login_if_required
    from cchc_desktop.services.users import add_user

    assert login_if_required(ctx.db)  # no account yet: nobody is asked
    with ctx.db.session() as s:
        add_user(s, "thuy", "mat-khau-123", "unit", unit_id=1)
    dialog = LoginDialog(ctx.db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username_edit, "thuy")
    qtbot.keyClicks(dialog.password_edit, "sai-mat-khau")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Sai tên đăng nhập" in dialog.error_label.text()
    assert dialog.password_edit.text() == ""
    qtbot.keyClicks(dialog.password_edit, "mat-khau-123")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert ctx.db.user.username == "thuy" and ctx.db.username == "thuy"
    assert ctx.db.user.role == "unit"


def test_users_dialog(ctx, qtbot, qtmodeltester, quiet) -> None:
    from cchc_desktop.gui.catalog.users_dialog import UsersDialog
    from cchc_desktop.services.users import login_required

    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    qtbot.keyClicks(dialog.username_edit, "boss")
    qtbot.keyClicks(dialog.password_edit, "mat-khau-123")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("admin"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.username_edit, "vp")
    qtbot.keyClicks(dialog.password_edit, "ngan")  # too short: refused with the reason
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("unit"))
    dialog.unit_combo.setCurrentIndex(1)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "ít nhất" in quiet[-1]
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, "mat-khau-456")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert [u.username for u in dialog.model.rows] == ["boss", "vp"]
    assert dialog.model.data(dialog.model.index(1, 3)) == "Văn phòng Sở"
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.lock_button, Qt.MouseButton.LeftButton)
    assert dialog.model.data(dialog.model.index(1, 4)) == "Đã khóa"
    dialog.login_check.setChecked(True)
    with ctx.db.session() as s:
        assert login_required(s, server_mode=False)
    assert dialog.changed


def test_audit_of_one_task(ctx, qtbot) -> None:
    from cchc_desktop.services import tasks as svc

    with ctx.db.session() as s:
        draft = svc.draft_from_task(svc.get_task(s, 1))
        draft.note = "đã sửa"
        svc.update_task(s, 1, draft)
    dialog = backup_dialog.AuditDialog(ctx, entity="task", entity_id=1)
    qtbot.addWidget(dialog)
    cells = [[dialog.model.data(dialog.model.index(r, c)) for c in range(7)]
             for r in range(dialog.model.rowCount())]
    assert [row[2] for row in cells] == ["sửa", "thêm"]
    assert cells[0][3:] == ["Nhiệm vụ số 1", "Ghi chú", "", "đã sửa"]


def test_every_audited_entity_has_a_vietnamese_label() -> None:
    from cchc_desktop.store.audit import entity_name
    from cchc_desktop.store.models import AuditEntry, Base

    audited = {entity_name(mapper.class_()) for mapper in Base.registry.mappers
               if mapper.class_ is not AuditEntry}
    assert audited - set(backup_dialog.ENTITY_LABELS) == set()


def test_restore_is_refused_while_another_process_holds_the_database(ctx, quiet,
                                                                     tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.reliability.test_restore_safety import _WRITER, _env, _wait_for

    path = ctx.db.sqlite_path
    saved = backup.make_backup(path, tmp_path / "old.sqlite3")
    stop = tmp_path / "stop"
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(stop)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        _wait_for(proc, "saved ", 2)
        assert not backup_dialog.restore_file(None, ctx, saved)
        assert "đang được sử dụng" in quiet[-1] and f"tiến trình {proc.pid}" in quiet[-1]
        with ctx.db.session() as s:  # the window keeps working on its database
            from sqlalchemy import text

            assert s.execute(text("SELECT count(*) FROM tasks")).scalar() >= 5
    finally:
        stop.touch()
        proc.communicate(timeout=60)
    assert backup_dialog.restore_file(None, ctx, saved)  # once it has closed
    assert _count(path) == 3
