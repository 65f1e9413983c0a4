"""The evidence trash (thùng rác) in the GUI: the undoable delete and the Thùng rác dialog.

Deleting a file from the Tài liệu kiểm chứng tab pushes :class:`MoveToTrashCommand`
(Ctrl+Z restores it). :class:`TrashDialog` lists the trashed files and restores them,
or deletes them for good after asking. Everything goes through
:class:`cchc_desktop.services.evidence.EvidenceStore`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cchc_desktop.domain.filenames import display_name
from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.row_model import Index, RowTableModel
from cchc_desktop.gui.common.undo import ServiceCommand
from cchc_desktop.gui.evidence.sizes import format_size
from cchc_desktop.services.evidence import EvidenceStore, RestoreResult, TrashInfo


def restore_message(result: RestoreResult) -> str:
    """What a restore did, in one Vietnamese sentence or three."""
    text = f"Đã khôi phục tệp {display_name(result.evidence.name)}."
    if result.merged:
        text += (" Cùng nội dung này đã được thêm lại vào kho nên các liên kết được gộp "
                 "vào tệp đó.")
    if result.lost_links:
        text += (f" Không khôi phục được {len(result.lost_links)} liên kết vì đối tượng "
                 "không còn: " + "; ".join(link.label for link in result.lost_links) + ".")
    return text


class MoveToTrashCommand(ServiceCommand):
    """Move an evidence file to the trash; undo restores it with its links.

    Attributes: ``evidence_id`` (the file's id, updated when a restore gave another one),
    ``trash_id`` (its trash row after the last redo), ``restored`` (the last undo's result).
    """

    def __init__(self, ctx: GuiContext, evidence_id: int, name: str) -> None:
        super().__init__(ctx, f"Xóa tệp {display_name(name)[:40]}")
        self.evidence_id = evidence_id
        self.trash_id: int | None = None
        self.restored: RestoreResult | None = None

    def apply(self, session: Session) -> None:
        self.trash_id = EvidenceStore(session).delete(self.evidence_id).id

    def revert(self, session: Session) -> None:
        assert self.trash_id is not None
        self.restored = EvidenceStore(session).restore_from_trash(self.trash_id)
        self.evidence_id = self.restored.evidence.id

    def undo(self) -> None:
        self.restored = None
        super().undo()
        if self.restored is not None:
            self.ctx.show_message(restore_message(self.restored))


def _when(item: TrashInfo) -> str:
    return f"{format_date_vn(item.deleted_at.date())} {item.deleted_at:%H:%M}"


class TrashTableModel(RowTableModel):
    """Trashed files (:class:`TrashInfo`), most recently deleted first."""

    HEADERS = ("Tên tệp", "Dung lượng", "Xóa lúc", "Người xóa", "Từng gắn với")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item: TrashInfo = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return display_name(item.name)
            if column == 1:
                return format_size(item.size)
            if column == 2:
                return _when(item)
            if column == 3:
                return item.deleted_by
            return "; ".join(link.label for link in item.links) or "(chưa gắn)"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return (f"{display_name(item.name)}\nSHA-256: {item.sha256}\n"
                        f"Thêm ngày {format_date_vn(item.added_at.date())} bởi {item.added_by}")
            if column == 4 and item.links:
                return "\n".join(link.label for link in item.links)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TrashDialog(QDialog):
    """Thùng rác: the deleted evidence files, to restore or to delete for good.

    Widgets: ``table`` over ``model``, ``restore_button`` (Khôi phục), ``purge_button``
    (Xóa vĩnh viễn), ``empty_button`` (Dọn sạch thùng rác), ``status``.
    Each action runs in one transaction, then ``ctx.notify_changed()``.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Thùng rác — tài liệu kiểm chứng")
        self.resize(980, 460)
        hint = QLabel("Tệp đã xóa được giữ ở đây cùng các liên kết của nó cho đến khi bị xóa "
                      "vĩnh viễn. Khôi phục đưa tệp và các liên kết trở lại kho.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.model = TrashTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("evidence_trash_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        for column, width in enumerate((260, 90, 120, 100)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.restore_button = QPushButton("Khôi phục")
        self.restore_button.setObjectName("primary")
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button = QPushButton("Xóa vĩnh viễn")
        self.purge_button.clicked.connect(self.purge_selected)
        self.empty_button = QPushButton("Dọn sạch thùng rác")
        self.empty_button.clicked.connect(self.empty_trash)
        self.status = QLabel()
        self.status.setObjectName("hint")
        actions = QHBoxLayout()
        for button in (self.restore_button, self.purge_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.empty_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(dialogs.close_button(self))
        self.refresh()

    def refresh(self) -> None:
        """Reload the trashed files."""
        with self.ctx.db.session() as session:
            self.model.set_rows(EvidenceStore(session).list_trash())
        total = sum(item.size for item in self.model.rows)
        self.status.setText(f"{len(self.model.rows)} tệp trong thùng rác · "
                            f"{format_size(total)}")
        self._update_buttons()

    def selected(self) -> TrashInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_id(self, trash_id: int) -> bool:
        """Select a trashed file by its trash id (tests and callers use it)."""
        for position, item in enumerate(self.model.rows):
            if item.id == trash_id:
                self.table.selectRow(position)
                return True
        return False

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.restore_button.setEnabled(chosen)
        self.purge_button.setEnabled(chosen)
        self.empty_button.setEnabled(bool(self.model.rows))

    def _write(self, work: Any) -> Any:
        """``work(store)`` in one transaction; None (after showing why) when refused."""
        try:
            with self.ctx.db.session() as session:
                result = work(EvidenceStore(session))
        except UserError as exc:
            dialogs.show_error(self, exc.message)
            self.refresh()
            return None
        self.ctx.notify_changed()
        self.refresh()
        return result

    def restore_selected(self) -> bool:
        """Bring the selected file back; links to targets deleted since are reported."""
        item = self.selected()
        if item is None:
            return False
        result: RestoreResult | None = self._write(lambda s: s.restore_from_trash(item.id))
        if result is None:
            return False
        message = restore_message(result)
        self.ctx.show_message(message)
        if result.lost_links:
            dialogs.show_info(self, message)
        return True

    def purge_selected(self) -> bool:
        """Delete the selected file for good, after asking."""
        item = self.selected()
        if item is None:
            return False
        if not dialogs.confirm(self, f"Xóa vĩnh viễn tệp {display_name(item.name)}? "
                                     "Không thể hoàn tác hay khôi phục lại.", danger=True):
            return False
        if self._write(lambda s: s.purge(item.id)) is None:
            return False
        self.ctx.show_message(f"Đã xóa vĩnh viễn tệp {display_name(item.name)}.")
        return True

    def empty_trash(self) -> bool:
        """Delete every trashed file for good, after asking."""
        count = len(self.model.rows)
        if not count or not dialogs.confirm(
            self, f"Xóa vĩnh viễn cả {count} tệp trong thùng rác? Không thể hoàn tác hay "
                  "khôi phục lại.", danger=True):
            return False
        purged = self._write(lambda s: s.empty_trash())
        if purged is None:
            return False
        self.ctx.show_message(f"Đã dọn sạch thùng rác: xóa vĩnh viễn {purged} tệp.")
        return True
