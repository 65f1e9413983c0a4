"""The task editor never overwrites someone else's save, and offers a reload."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QUndoStack

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.tasks.editor import TaskEditorDialog
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.plans import save_plan
from cchc_desktop.services.units import create_unit


def _setup(db):
    with db.session() as s:
        unit = create_unit(s, "Văn phòng Sở", "VP").id
        plan = save_plan(s, title="KH CCHC 2024", year=2024, issued_on=date(2024, 1, 15))
        task = svc.create_task(s, TaskDraft(content="Báo cáo quý", lead_unit_id=unit),
                               plan_id=plan.id)
        return unit, plan.id, task.id


def test_second_save_gets_conflict_and_reload(qtbot, db, monkeypatch) -> None:
    _unit, _plan, task_id = _setup(db)
    ctx = GuiContext(db=db, undo_stack=QUndoStack(), today=lambda: date(2024, 11, 20))
    editor = TaskEditorDialog(ctx, task_id)
    qtbot.addWidget(editor)
    with db.session() as s:  # another user saves first
        draft = svc.draft_from_task(svc.get_task(s, task_id))
        draft.note = "đã sửa ở máy khác"
        svc.update_task(s, task_id, draft)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, text, **_k: asked.append(text) or True)
    editor.content.setPlainText("Báo cáo quý (sửa của tôi)")
    editor.accept()
    assert asked and "người khác" in asked[0]
    assert not editor.saved
    with db.session() as s:
        task = svc.get_task(s, task_id)
        assert task.note == "đã sửa ở máy khác" and task.content == "Báo cáo quý"
    # after the reload the form holds the other user's version and saves cleanly
    editor.accept()
    assert editor.saved


def test_new_plan_task_defaults_to_plan_issue_date(qtbot, db) -> None:
    _unit, plan_id, _task = _setup(db)
    ctx = GuiContext(db=db, undo_stack=QUndoStack(), today=lambda: date(2024, 11, 20))
    editor = TaskEditorDialog(ctx, plan_id=plan_id)
    qtbot.addWidget(editor)
    assert editor.assigned_on.date() == date(2024, 1, 15)
