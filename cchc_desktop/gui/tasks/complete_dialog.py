"""Marking several tasks completed at once (quarter's end: the units report, the secretariat
ticks their tasks off), undoable with Ctrl+Z."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDateEdit, QDialog, QLabel, QLineEdit, QWidget

from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.date_edit import from_qdate, to_qdate
from cchc_desktop.gui.common.forms import add_below, find, load_form
from cchc_desktop.gui.common.mnemonics import add_mnemonics
from cchc_desktop.gui.tasks.commands import CompleteTasksCommand, push


class CompleteTasksDialog(QDialog):
    """The completion date (today by default) and an optional completion note.

    Attributes:
        date_edit, note_edit: the two fields; summary: what will be marked.
    """

    def __init__(self, today: date, open_count: int, done_count: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = load_form("complete_tasks", self)  # ui/complete_tasks.ui
        kept = f" ({done_count} nhiệm vụ đã hoàn thành trước đó giữ nguyên)" if done_count else ""
        self.summary = find(form, QLabel, "summary")
        self.summary.setText(f"Đánh dấu {open_count} nhiệm vụ chưa hoàn thành là đã hoàn thành"
                             f"{kept}. Có thể hoàn tác bằng Ctrl+Z.")
        self.date_edit = find(form, QDateEdit, "date_edit")
        self.date_edit.setDate(to_qdate(today))
        self.date_edit.setMaximumDate(to_qdate(today))
        self.note_edit = find(form, QLineEdit, "note_edit")
        add_below(form, dialogs.save_cancel_buttons(self))
        add_mnemonics(self)

    def completed_on(self) -> date:
        return from_qdate(self.date_edit.date())


def complete_tasks(parent: QWidget, ctx: GuiContext, task_ids: list[int],
                   already_done: set[int]) -> bool:
    """Ask for the date and note, then mark the open tasks among ``task_ids`` completed.

    ``already_done`` are the chosen tasks that are completed already (left as they are).
    True when something was marked.
    """
    open_ids = [i for i in task_ids if i not in already_done]
    if not open_ids:
        ctx.show_message("Các nhiệm vụ đã chọn đều đã hoàn thành.")
        return False
    dialog = CompleteTasksDialog(ctx.today(), len(open_ids), len(task_ids) - len(open_ids),
                                 parent)
    try:
        if not dialog.exec():
            return False
        on, note = dialog.completed_on(), dialog.note_edit.text()
    finally:
        dialog.deleteLater()
    command = CompleteTasksCommand(ctx, open_ids, on, note)
    error = push(ctx, command)
    if error:
        dialogs.show_error(parent, error)
        return False
    marked = len(command.changes)  # another user may have completed some meanwhile
    if not marked:
        ctx.show_message("Các nhiệm vụ đã chọn đều đã được hoàn thành (có thể bởi người khác).")
        return False
    ctx.show_message(f"Đã đánh dấu {marked} nhiệm vụ hoàn thành ngày {format_date_vn(on)}. "
                     "Nhấn Ctrl+Z để hoàn tác.")
    return True
