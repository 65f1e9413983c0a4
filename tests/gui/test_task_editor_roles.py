"""The task editor as a unit account: progress saves, the deadline and the document do not."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QUndoStack

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.tasks.editor import TaskEditorDialog
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.access import CurrentUser
from cchc_desktop.services.documents import save_document
from cchc_desktop.services.units import create_unit


@pytest.fixture
def unit_editor(qtbot, db):
    with db.session() as s:
        unit = create_unit(s, "Văn phòng Sở", "VP").id
        doc = save_document(s, "36/KH-UBND", date(2024, 1, 26), issuer="UBND tỉnh").id
        task = svc.create_task(s, TaskDraft(content="Báo cáo quý", lead_unit_id=unit, year=2024,
                                            due_date=date(2024, 6, 30),
                                            assigned_on=date(2024, 1, 15))).id
    db.act_as(CurrentUser("vp", "unit", unit))
    ctx = GuiContext(db=db, undo_stack=QUndoStack(), today=lambda: date(2024, 11, 20))
    editor = TaskEditorDialog(ctx, task)
    qtbot.addWidget(editor)
    return editor, db, task, doc


def _stored(db, task_id: int) -> tuple:
    with db.session() as s:
        task = svc.get_task(s, task_id)
        return task.due_date, task.document_id, task.completed_on


def test_unit_account_cannot_move_the_deadline(unit_editor) -> None:
    editor, db, task, _doc = unit_editor
    editor.due.setDate(date(2024, 12, 31))
    editor.accept()
    assert not editor.saved and "không được sửa" in editor.general_error.text()
    assert _stored(db, task) == (date(2024, 6, 30), None, None)


def test_unit_account_cannot_change_the_assigning_document(unit_editor) -> None:
    editor, db, task, doc = unit_editor
    editor.document.setCurrentIndex(editor.document.findData(doc))
    editor.accept()
    assert not editor.saved and "document_id" in editor.general_error.text()
    assert _stored(db, task) == (date(2024, 6, 30), None, None)


def test_unit_account_records_completion(unit_editor) -> None:
    editor, db, task, _doc = unit_editor
    editor.completed_on.setDate(date(2024, 6, 20))
    editor.accept()
    assert editor.saved
    assert _stored(db, task) == (date(2024, 6, 30), None, date(2024, 6, 20))
