"""Undoable task edits: small QUndoCommands over :mod:`cchc_desktop.services.tasks`.

Each command does its work in one transaction (``db.session()``) and calls
``ctx.notify_changed()`` after redo and undo. A service error during the first redo
(a validation failure, a conflict) is kept in ``command.error`` and the command marks
itself obsolete, so the stack drops it; use :func:`push` to push and learn the outcome.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QUndoCommand

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.domain.text import format_number_vi
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.services import tasks as task_service
from cchc_desktop.services.tasks import TaskSnapshot


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _TaskCommand(QUndoCommand):
    """Shared error handling. Attributes: ``error`` (Vietnamese message or "")."""

    def __init__(self, ctx: GuiContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.error = ""
        self._done_once = False

    def _run(self, work) -> bool:
        try:
            with self.ctx.db.session() as session:
                work(session)
        except UserError as exc:
            self.error = exc.message
            # Refused (someone else changed the data in between): the step is dropped.
            self.setObsolete(True)
            if self._done_once:  # an undo or redo: the user must learn it did not happen
                self.ctx.notify_changed()
                self.ctx.show_message(f"Không hoàn tác/làm lại được: {exc.message}")
            return False
        self._done_once = True
        self.ctx.notify_changed()
        return True


class CreateTaskCommand(_TaskCommand):
    """Create a task; undo deletes it, redo puts the same task (same id) back."""

    def __init__(self, ctx: GuiContext, draft: TaskDraft, plan_id: int | None = None,
                 *, document_id: int | None = None) -> None:
        super().__init__(ctx, f"Thêm nhiệm vụ “{_short(draft.content)}”")
        self.draft = draft
        self.plan_id = plan_id
        self.document_id = document_id
        self.task_id: int | None = None
        self._snapshot: TaskSnapshot | None = None

    def redo(self) -> None:
        def work(session) -> None:
            if self._snapshot is not None:
                self.task_id = task_service.restore_task(session, self._snapshot).id
            else:
                task = task_service.create_task(
                    session, self.draft, plan_id=self.plan_id, document_id=self.document_id
                )
                self.task_id = task.id

        self._run(work)

    def undo(self) -> None:
        task_id = self.task_id
        if task_id is None:  # the first redo failed: the stack has already dropped us
            return

        def work(session) -> None:
            self._snapshot = task_service.delete_task(session, task_id)

        self._run(work)


class EditTaskCommand(_TaskCommand):
    """Save new values of a task; undo saves the old ones back."""

    def __init__(self, ctx: GuiContext, task_id: int, old_draft: TaskDraft,
                 new_draft: TaskDraft, *, documents: tuple[int | None, int | None] | None = None,
                 expected_version: int | None = None) -> None:
        super().__init__(ctx, f"Sửa nhiệm vụ “{_short(new_draft.content)}”")
        self.task_id = task_id
        self.old_draft = old_draft
        self.new_draft = new_draft
        # Checked on the first save only: someone else may have saved since the form opened.
        self.expected_version = expected_version
        # (old, new) assigning document; None leaves the link alone.
        self.documents = documents

    def _save(self, draft: TaskDraft, document_id: int | None | bool) -> None:
        expected = None if self._done_once else self.expected_version

        def work(session) -> None:
            task_service.update_task(session, self.task_id, draft, expected_version=expected,
                                     document_id=... if document_id is False else document_id)

        self._run(work)

    def redo(self) -> None:
        self._save(self.new_draft, self.documents[1] if self.documents else False)

    def undo(self) -> None:
        self._save(self.old_draft, self.documents[0] if self.documents else False)


class DeleteTasksCommand(_TaskCommand):
    """Delete tasks; undo restores them with the same ids, units, progress and extensions."""

    def __init__(self, ctx: GuiContext, task_ids: list[int]) -> None:
        super().__init__(ctx, f"Xóa {format_number_vi(len(task_ids))} nhiệm vụ")
        self.task_ids = list(task_ids)
        self._snapshots: list[TaskSnapshot] = []

    def redo(self) -> None:
        def work(session) -> None:
            self._snapshots = [task_service.delete_task(session, i) for i in self.task_ids]

        self._run(work)

    def undo(self) -> None:
        def work(session) -> None:
            for snapshot in self._snapshots:
                task_service.restore_task(session, snapshot)

        self._run(work)


class ImportedTasksCommand(_TaskCommand):
    """Tasks an import (or a paste) just created: pushed after the import, its first redo
    does nothing; undo deletes them (keeping snapshots), redo puts them back, same ids."""

    def __init__(self, ctx: GuiContext, task_ids: list[int], source: str) -> None:
        count = format_number_vi(len(task_ids))
        super().__init__(ctx, f"Nhập {count} nhiệm vụ từ {source}")
        self.task_ids = list(task_ids)
        self._snapshots: list[TaskSnapshot] = []

    def redo(self) -> None:
        if not self._done_once:  # the import itself wrote them
            self._done_once = True
            return

        def work(session) -> None:
            for snapshot in self._snapshots:
                task_service.restore_task(session, snapshot)

        self._run(work)

    def undo(self) -> None:
        def work(session) -> None:
            self._snapshots = task_service.delete_tasks(session, self.task_ids)

        self._run(work)


class CompleteTasksCommand(_TaskCommand):
    """Mark the open tasks among the chosen ones as completed on a date; undo gives each
    back its previous values (and redo the completion), one transaction each way."""

    def __init__(self, ctx: GuiContext, task_ids: list[int], completed_on: date,
                 note: str = "") -> None:
        count = format_number_vi(len(task_ids))
        super().__init__(ctx, f"Đánh dấu hoàn thành {count} nhiệm vụ")
        self.task_ids = list(task_ids)
        self.completed_on = completed_on
        self.note = note
        self.changes: list[task_service.CompletionChange] = []

    def redo(self) -> None:
        if self._done_once:
            def work(session) -> None:
                task_service.swap_completion(session, self.changes, undo=False)
        else:
            def work(session) -> None:
                self.changes = task_service.complete_tasks(
                    session, self.task_ids, self.completed_on, self.note, today=self.ctx.today())

        first = not self._done_once
        if self._run(work) and first:
            if not self.changes:  # every chosen task was already completed
                self.setObsolete(True)
            self.setText(f"Đánh dấu hoàn thành {len(self.changes)} nhiệm vụ")

    def undo(self) -> None:
        def work(session) -> None:
            task_service.swap_completion(session, self.changes, undo=True)

        self._run(work)


class MoveTaskCommand(_TaskCommand):
    """Move a task up (-1) or down (+1) within its plan and area."""

    def __init__(self, ctx: GuiContext, task_id: int, offset: int) -> None:
        super().__init__(ctx, "Chuyển vị trí nhiệm vụ")
        self.task_id = task_id
        self.offset = offset
        self.moved = False

    def redo(self) -> None:
        def work(session) -> None:
            self.moved = task_service.move_task(session, self.task_id, self.offset)

        first = not self._done_once
        self._run(work)
        if first and not self.moved:
            self.setObsolete(True)

    def undo(self) -> None:
        if self.moved:
            self._run(lambda session: task_service.move_task(session, self.task_id, -self.offset))


def push(ctx: GuiContext, command: _TaskCommand) -> str:
    """Push ``command`` onto the window's stack; returns "" on success, else the error."""
    ctx.undo_stack.push(command)
    return command.error
