"""The "Tiến độ và gia hạn" page of the task editor: progress notes and deadline extensions.

Each entry is saved at once (its own transaction), not with the editor's "Lưu"; the page
exists only for a saved task.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.date_edit import from_qdate


def error_label() -> QLabel:
    """A hidden, wrapping label for a field's reason (styled as ``fieldError``)."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class TaskHistoryPage(QWidget):
    """Progress updates and extensions of one task, with the fields to add one.

    Attributes:
        progress_list, extension_list: what was recorded so far.
        progress_date, progress_note, progress_percent, add_progress_button: a new update.
        extension_date, extension_reason, add_extension_button: a new deadline.
        history_error: why the last entry was refused; history_hint: "save first".

    Signals:
        recorded(object, int): an entry was saved; the task's due date and new version.
    """

    recorded = Signal(object, int)

    def __init__(self, ctx: GuiContext, saved_id: Callable[[], int], *, saved: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._saved_id = saved_id
        self._build(saved)

    def _build(self, saved: bool) -> None:
        layout = QVBoxLayout(self)
        self.history_hint = QLabel("Lưu nhiệm vụ trước khi ghi tiến độ hoặc gia hạn.")
        self.history_hint.setObjectName("hint")
        layout.addWidget(self.history_hint)

        progress = QGroupBox("Cập nhật tiến độ")
        grid = QGridLayout(progress)
        self.progress_list = QListWidget()
        grid.addWidget(self.progress_list, 0, 0, 1, 4)
        self.progress_date = QDateEdit(QDate(self.ctx.today()))
        self.progress_date.setDisplayFormat("dd/MM/yyyy")
        self.progress_date.setCalendarPopup(True)
        self.progress_note = QLineEdit()
        self.progress_note.setPlaceholderText("Nội dung đã thực hiện")
        self.progress_percent = QSpinBox()
        self.progress_percent.setRange(0, 100)
        self.progress_percent.setSuffix(" %")
        self.add_progress_button = QPushButton("Thêm tiến độ")
        grid.addWidget(self.progress_date, 1, 0)
        grid.addWidget(self.progress_note, 1, 1)
        grid.addWidget(self.progress_percent, 1, 2)
        grid.addWidget(self.add_progress_button, 1, 3)
        grid.setColumnStretch(1, 1)
        layout.addWidget(progress)

        extension = QGroupBox("Gia hạn thời hạn")
        grid = QGridLayout(extension)
        self.extension_list = QListWidget()
        grid.addWidget(self.extension_list, 0, 0, 1, 4)
        self.extension_date = QDateEdit(QDate(self.ctx.today()))
        self.extension_date.setDisplayFormat("dd/MM/yyyy")
        self.extension_date.setCalendarPopup(True)
        self.extension_reason = QLineEdit()
        self.extension_reason.setPlaceholderText("Lý do gia hạn, văn bản cho phép gia hạn")
        self.add_extension_button = QPushButton("Gia hạn")
        grid.addWidget(QLabel("Thời hạn mới:"), 1, 0)
        grid.addWidget(self.extension_date, 1, 1)
        grid.addWidget(self.extension_reason, 1, 2)
        grid.addWidget(self.add_extension_button, 1, 3)
        grid.setColumnStretch(2, 1)
        self.history_error = error_label()
        layout.addWidget(extension)
        layout.addWidget(self.history_error)
        self.add_progress_button.clicked.connect(self._add_progress)
        self.add_extension_button.clicked.connect(self._add_extension)
        for widget in (progress, extension):
            widget.setEnabled(saved)
        self.history_hint.setVisible(not saved)

    def show_history(self, progress, extensions) -> None:
        """List ``progress`` (date, note, percent) and ``extensions`` (old, new, reason)."""
        self.progress_list.clear()
        for on_date, note, percent in sorted(progress, key=lambda p: p[0]):
            share = f" ({percent}%)" if percent is not None else ""
            self.progress_list.addItem(f"{format_date_vn(on_date)} — {note}{share}")
        self.extension_list.clear()
        for old, new, reason in extensions:
            before = format_date_vn(old) if old else "không hạn"
            self.extension_list.addItem(f"{before} → {format_date_vn(new)}: {reason}")

    def _history_action(self, work, done_text: str) -> None:
        try:
            with self.ctx.db.session() as session:
                work(session)
        except UserError as exc:
            self.history_error.setText(exc.message)
            self.history_error.show()
            return
        self.history_error.hide()
        self.ctx.show_message(done_text)
        self.ctx.notify_changed()
        from cchc_desktop.services.tasks import get_task

        with self.ctx.db.session() as session:
            task = get_task(session, self._saved_id())
            progress = [(p.on_date, p.note, p.percent) for p in task.progress_updates]
            extensions = [(e.old_due_date, e.new_due_date, e.reason) for e in task.extensions]
            due = task.due_date
            version = task.version
        self.show_history(progress, extensions)
        self.recorded.emit(due, version)

    def _add_progress(self) -> None:
        from cchc_desktop.services.tasks import add_progress

        on_date = from_qdate(self.progress_date.date())
        note, percent = self.progress_note.text(), self.progress_percent.value()
        self._history_action(
            lambda s: add_progress(s, self._saved_id(), on_date, note, percent),
            "Đã ghi tiến độ.",
        )
        if self.history_error.isHidden():
            self.progress_note.clear()

    def _add_extension(self) -> None:
        from cchc_desktop.services.tasks import extend_deadline

        new_due = from_qdate(self.extension_date.date())
        reason = self.extension_reason.text()
        self._history_action(
            lambda s: extend_deadline(s, self._saved_id(), new_due, reason, self.ctx.today()),
            f"Đã gia hạn đến {format_date_vn(new_due)}.",
        )
        if self.history_error.isHidden():
            self.extension_reason.clear()
