"""The Nhiệm vụ tab's "Gửi phiếu cập nhật cho đơn vị…" and "Nhận phiếu cập nhật…", driven
through real widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.gui.tasks.unit_sheets_dialog import ReceiveSheetsDialog, SendSheetsDialog
from cchc_desktop.services.tasks import draft_from_task, get_task, update_task
from cchc_desktop.store.models import ProgressUpdate, Task
from tests.conftest import DEMO_TODAY
from tests.gui.register_helpers import drive_dialogs
from tests.unit_sheets.helpers import fill, task_rows


def _no_message_boxes(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    return shown


def _open_ids(db, path: Path, count: int) -> list[int]:
    with db.session() as session:
        tasks = session.scalars(select(Task).where(Task.id.in_(task_rows(path)))).all()
        return [t.id for t in tasks if t.completed_on is None and t.due_date
                and (t.assigned_on is None or t.assigned_on <= date(2024, 10, 1))][:count]


def test_send_then_receive_with_a_conflict_then_undo(qtbot, window, tasks_tab, demo_db,
                                                     tmp_path, monkeypatch) -> None:
    tab = tasks_tab
    shown = _no_message_boxes(monkeypatch)
    out = tmp_path / "phieu"

    def fill_send(dialog: SendSheetsDialog) -> None:
        qtbot.keyClicks(dialog.folder_edit, str(out))
        index = dialog.unit_combo.findText("Văn phòng Sở")
        dialog.unit_combo.setCurrentIndex(index)
        dialog._accept()

    drive_dialogs(monkeypatch, SendSheetsDialog, fill_send)
    qtbot.mouseClick(tab.send_sheets_button, Qt.MouseButton.LeftButton)
    [path] = sorted(out.glob("*.xlsx"))
    assert path.name == "Phieu_cap_nhat_Van_phong_So_20241120.xlsx"
    assert any("Đã tạo 1 phiếu" in text for text in shown)

    clash, progress = _open_ids(demo_db, path, 2)
    with demo_db.session() as session:
        draft = draft_from_task(get_task(session, clash))
        draft.completion_note = "Giá trị của văn phòng"
        update_task(session, clash, draft)
    fill(path, clash, result="Giá trị của đơn vị")
    fill(path, progress, percent=80, note="Sắp xong")

    opened: list[ReceiveSheetsDialog] = []

    def fill_receive(dialog: ReceiveSheetsDialog) -> None:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(out))])
        drop = QDropEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                          Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
        dialog.dropEvent(drop)  # a folder dropped on the dialog
        assert len(dialog.previews) == 1
        texts = _all_texts(dialog)
        assert any("xung đột" in t for t in texts)
        assert "Giá trị của văn phòng" in texts and "Giá trị của đơn vị" in texts
        assert dialog.apply_button.isEnabled()
        [item] = dialog._conflicts.values()
        item.setCheckState(0, Qt.CheckState.Checked)  # take the unit's value
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    drive_dialogs(monkeypatch, ReceiveSheetsDialog, fill_receive, opened)
    qtbot.mouseClick(tab.receive_sheets_button, Qt.MouseButton.LeftButton)
    assert opened
    with demo_db.session() as session:
        assert get_task(session, clash).completion_note == "Giá trị của đơn vị"
        notes = session.scalars(select(ProgressUpdate.note).where(
            ProgressUpdate.source == "Văn phòng Sở")).all()
    assert notes == ["Sắp xong"]
    assert window.statusBar().currentMessage().startswith("Đã cập nhật 2 dòng")

    window.ctx.undo_stack.undo()
    with demo_db.session() as session:
        assert get_task(session, clash).completion_note == "Giá trị của văn phòng"
        assert not session.scalars(select(ProgressUpdate).where(
            ProgressUpdate.source == "Văn phòng Sở")).all()
    window.ctx.undo_stack.redo()
    with demo_db.session() as session:
        assert get_task(session, clash).completion_note == "Giá trị của đơn vị"


def test_refused_file_is_listed_and_nothing_can_be_merged(qtbot, demo_db, tmp_path) -> None:
    from tests.gui.register_helpers import make_ctx

    bad = tmp_path / "Phieu_cap_nhat_X.xlsx"
    bad.write_text("không phải bảng tính")
    dialog = ReceiveSheetsDialog(make_ctx(demo_db))
    qtbot.addWidget(dialog)
    dialog.add_paths([bad])
    assert not dialog.apply_button.isEnabled()
    assert any("không nhận" in t for t in _all_texts(dialog))
    assert "1 tệp không nhận" in dialog.summary.text()
    assert DEMO_TODAY  # the context's today is the demo's


def _all_texts(dialog: ReceiveSheetsDialog) -> list[str]:
    texts: list[str] = []

    def walk(item) -> None:  # noqa: ANN001
        texts.extend(item.text(c) for c in range(4))
        for i in range(item.childCount()):
            walk(item.child(i))

    for i in range(dialog.tree.topLevelItemCount()):
        walk(dialog.tree.topLevelItem(i))
    return texts


def test_extension_queue_approve_and_reject(qtbot, tasks_tab, demo_db, monkeypatch) -> None:
    from datetime import timedelta

    from PySide6.QtWidgets import QInputDialog

    from cchc_desktop.gui.tasks.extensions_dialog import ApproveDialog, ExtensionsDialog
    from cchc_desktop.services.extensions import list_extensions, request_extension

    with demo_db.session() as session:
        tasks = session.scalars(select(Task).where(
            Task.completed_on.is_(None), Task.due_date.is_not(None)).order_by(Task.id)).all()[:2]
        wanted = [t.due_date + timedelta(days=30) for t in tasks]
        for task, new_due in zip(tasks, wanted, strict=True):
            request_extension(session, task.id, new_due, "Chờ số liệu", source="Thanh tra Sở")
        ids = [t.id for t in tasks]
    tasks_tab.refresh()
    model = tasks_tab.model
    status_column = [c.key for c in model.columns].index("status")

    def status_cell(task_id: int) -> tuple[str, str]:
        index = model.index(model.row_of_task(task_id), status_column)
        return model.data(index), model.data(index, Qt.ItemDataRole.ToolTipRole) or ""

    for task_id, new_due in zip(ids, wanted, strict=True):  # the list shows what waits
        text, tip = status_cell(task_id)
        assert text.startswith("Xin gia hạn – ") and format_date_vn(new_due) in tip
    assert tasks_tab.select_task(ids[0])
    assert f"đề nghị gia hạn đến {format_date_vn(wanted[0])}" in tasks_tab.detail.toPlainText()

    def fill_approve(dialog: ApproveDialog) -> None:
        qtbot.keyClicks(dialog.document_edit, "CV 12/UBND-VP")
        dialog.accept()

    drive_dialogs(monkeypatch, ApproveDialog, fill_approve)
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *_a, **_k: ("Không đủ căn cứ", True)))

    def decide(dialog: ExtensionsDialog) -> None:
        assert dialog.table.rowCount() == 2
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
        assert dialog.table.rowCount() == 1
        qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
        assert dialog.table.rowCount() == 0 and not dialog.approve_button.isEnabled()

    opened: list[ExtensionsDialog] = []
    drive_dialogs(monkeypatch, ExtensionsDialog, decide, opened)
    qtbot.mouseClick(tasks_tab.extensions_button, Qt.MouseButton.LeftButton)
    assert opened
    with demo_db.session() as session:
        assert get_task(session, ids[0]).due_date == wanted[0]
        assert get_task(session, ids[1]).due_date != wanted[1]
        assert [r.status for r in list_extensions(session)] == ["approved", "rejected"]
    tasks_tab.refresh()
    assert all("Xin gia hạn" not in status_cell(task_id)[0] for task_id in ids)
    undo = tasks_tab.ctx.undo_stack
    assert undo.undoText().startswith("Không đồng ý gia hạn")
    undo.undo()
    undo.undo()  # both decisions taken back: the requests wait again, the deadline too
    with demo_db.session() as session:
        assert [r.status for r in list_extensions(session)] == ["pending", "pending"]
        assert get_task(session, ids[0]).due_date == tasks[0].due_date
    undo.redo()
    with demo_db.session() as session:
        assert get_task(session, ids[0]).due_date == wanted[0]
        assert [r.status for r in list_extensions(session)] == ["approved", "pending"]


def test_workbooks_dropped_on_the_tasks_tab_open_the_preview(qtbot, tasks_tab, demo_db,
                                                             tmp_path, monkeypatch) -> None:
    from cchc_desktop.exporters.unit_sheets_xlsx import export_unit_sheets

    with demo_db.session() as session:
        files = export_unit_sheets(session, tmp_path, DEMO_TODAY)
    seen: list[int] = []

    def look(dialog: ReceiveSheetsDialog) -> None:
        seen.append(len(dialog.previews))
        dialog.reject()

    drive_dialogs(monkeypatch, ReceiveSheetsDialog, look)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files[:2]])
    drop = QDropEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    # Qt delivers a drop only during a real drag: hand it to the tab's filter as Qt would.
    assert tasks_tab._sheet_drops.eventFilter(tasks_tab, drop)
    assert seen == [2]
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    assert not tasks_tab._sheet_drops.eventFilter(tasks_tab, QDropEvent(
        QPoint(5, 5), Qt.DropAction.CopyAction, other, Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier))
    assert seen == [2]  # not a workbook: not taken
