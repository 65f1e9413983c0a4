"""The queue of deadline extension requests (đề nghị gia hạn): approve with the approving
document, or reject with a reason; either can be undone (Sửa → Hoàn tác). Rules in
services/extensions.py."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.undo import ServiceCommand, run_command

_HEADERS = ("Số", "Nhiệm vụ", "Đơn vị", "Thời hạn hiện tại", "Đề nghị đến", "Lý do", "Ngày đề nghị")


class DecideCommand(ServiceCommand):
    """A decision on an extension request (approve or reject, ``decide``); undo makes the
    request pending again and, for an approval, puts the old deadline back."""

    def __init__(self, ctx: GuiContext, text: str, request_id: int,
                 decide: Callable[[Session], object]) -> None:
        super().__init__(ctx, text)
        self.request_id = request_id
        self.decide = decide

    def apply(self, session: Session) -> None:
        self.decide(session)

    def revert(self, session: Session) -> None:
        from cchc_desktop.services.extensions import reopen_extension

        reopen_extension(session, self.request_id)


class ApproveDialog(QDialog):
    """The approving document and an optional note. Attributes: document_edit, note_edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Đồng ý gia hạn")
        form = QFormLayout(self)
        self.document_edit = QLineEdit()
        self.document_edit.setPlaceholderText("ví dụ: Công văn 123/UBND-VP ngày 20/11/2024")
        self.note_edit = QLineEdit()
        form.addRow("Văn bản đồng ý:", self.document_edit)
        form.addRow("Ghi chú:", self.note_edit)
        form.addRow(dialogs.save_cancel_buttons(self))
        self.setMinimumWidth(480)


class ExtensionsDialog(QDialog):
    """The pending requests, oldest first, with "Đồng ý…" and "Không đồng ý…".

    Attributes: table (one row per pending request), approve_button, reject_button.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ids: list[int] = []
        self.setWindowTitle("Đề nghị gia hạn chờ quyết định")
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(_HEADERS))
        self.table.setHorizontalHeaderLabels(list(_HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 320)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel("Không có đề nghị gia hạn nào chờ quyết định.")
        layout.addWidget(self.empty_label)
        row = QHBoxLayout()
        self.approve_button = QPushButton("Đồng ý…")
        self.reject_button = QPushButton("Không đồng ý…")
        close = QPushButton("Đóng")
        self.approve_button.clicked.connect(self.approve_current)
        self.reject_button.clicked.connect(self.reject_current)
        close.clicked.connect(self.reject)
        row.addWidget(self.approve_button)
        row.addWidget(self.reject_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(980, 420)
        self.reload()

    def reload(self) -> None:
        """Read the pending requests again."""
        from cchc_desktop.services.extensions import list_extensions

        with self.ctx.db.session() as session:
            rows = list_extensions(session, "pending")
        self.ids = [r.id for r in rows]
        self.table.setRowCount(len(rows))
        for r, info in enumerate(rows):
            due = format_date_vn(info.current_due_date) if info.current_due_date else "không hạn"
            values = (str(info.id), " ".join(info.content.split()), info.source or info.lead_unit,
                      due, format_date_vn(info.requested_due), info.reason,
                      format_date_vn(info.requested_on))
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if rows:
            self.table.selectRow(0)
        self.empty_label.setVisible(not rows)
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(bool(rows))

    def _current(self) -> int | None:
        row = self.table.currentRow()
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def approve_current(self) -> bool:
        """Ask for the approving document, then approve the selected request."""
        from cchc_desktop.services.extensions import approve_extension

        request_id = self._current()
        if request_id is None:
            return False
        dialog = ApproveDialog(self)
        try:
            if not dialog.exec():
                return False
            document, note = dialog.document_edit.text(), dialog.note_edit.text()
        finally:
            dialog.deleteLater()
        done = run_command(self, DecideCommand(
            self.ctx, f"Đồng ý gia hạn (đề nghị số {request_id})", request_id,
            lambda s: approve_extension(s, request_id, document=document,
                                        decided_on=self.ctx.today(), note=note)), )
        return self._after(done, "Đã gia hạn nhiệm vụ; hạn cũ được giữ trong lịch sử gia hạn "
                                 "(Sửa → Hoàn tác để bỏ quyết định).")

    def reject_current(self) -> bool:
        """Ask for the reason, then reject the selected request."""
        from cchc_desktop.services.extensions import reject_extension

        request_id = self._current()
        if request_id is None:
            return False
        reason, ok = QInputDialog.getText(self, "Không đồng ý gia hạn", "Lý do:")
        if not ok:
            return False
        done = run_command(self, DecideCommand(
            self.ctx, f"Không đồng ý gia hạn (đề nghị số {request_id})", request_id,
            lambda s: reject_extension(s, request_id, reason, decided_on=self.ctx.today())))
        return self._after(done, "Đã ghi không đồng ý gia hạn (Sửa → Hoàn tác để bỏ quyết định).")

    def _after(self, done: bool, message: str) -> bool:
        if done:
            self.ctx.notify_changed()
            self.ctx.show_message(message)
            self.reload()
        return done


def show_extensions(parent: QWidget, ctx: GuiContext) -> None:
    """Open the queue of pending extension requests."""
    dialog = ExtensionsDialog(ctx, parent)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
