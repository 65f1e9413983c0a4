"""Danh mục → Tên gọi khác...: the other names a unit is written with in plans."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext

__all__ = ["UnitAliasesDialog"]


class UnitAliasesDialog(QDialog):
    """Lists, adds and removes the aliases ("Phòng KHTC", "KH-TC") of one unit; imports read
    a cell holding an alias as the unit.

    Attributes:
        alias_list: the unit's aliases (item data: the alias id); alias_edit: a new one.
    """

    def __init__(self, ctx: GuiContext, unit_id: int, unit_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.unit_id, self.unit_name = ctx, unit_id, unit_name
        self.setWindowTitle(f"Tên gọi khác của {unit_name}")
        layout = QVBoxLayout(self)
        note = QLabel("Các tên viết tắt, tên cũ, tên rút gọn mà kế hoạch dùng cho đơn vị này "
                      "(ví dụ \"Phòng KHTC\", \"KH-TC\"). Khi nhập bảng nhiệm vụ, các tên này "
                      "được hiểu là đơn vị này.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.alias_list = QListWidget()
        layout.addWidget(self.alias_list, 1)
        row = QHBoxLayout()
        self.alias_edit = QLineEdit()
        self.alias_edit.setPlaceholderText("Tên gọi khác mới")
        self.add_button = QPushButton("Thêm")
        self.remove_button = QPushButton("Xóa tên đã chọn")
        row.addWidget(self.alias_edit, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.add_alias)
        self.alias_edit.returnPressed.connect(self.add_alias)
        self.remove_button.clicked.connect(self.remove_alias)
        self.load()

    def load(self) -> None:
        from cchc_desktop.services.unit_matching import list_unit_aliases

        self.alias_list.clear()
        with self.ctx.db.session() as session:
            for alias_id, _unit, alias in list_unit_aliases(session, self.unit_id):
                item = QListWidgetItem(alias)
                item.setData(Qt.ItemDataRole.UserRole, alias_id)
                self.alias_list.addItem(item)

    def add_alias(self) -> bool:
        """Add the alias typed; a clash is shown in Vietnamese and nothing is written."""
        from cchc_desktop.services.unit_matching import add_unit_alias

        text = self.alias_edit.text()
        try:
            with self.ctx.db.session() as session:
                add_unit_alias(session, self.unit_name, text)
        except UserError as exc:
            dialogs.show_error(self, exc.message)
            return False
        self.alias_edit.clear()
        self.load()
        self.ctx.show_message(f"Đã thêm tên gọi khác '{' '.join(text.split())}'.")
        return True

    def remove_alias(self) -> bool:
        """Forget the selected alias, after asking."""
        from cchc_desktop.services.unit_matching import remove_unit_alias

        item = self.alias_list.currentItem()
        if item is None:
            return False
        if not dialogs.confirm(self, f"Xóa tên gọi khác '{item.text()}'?", danger=True):
            return False
        with self.ctx.db.session() as session:
            remove_unit_alias(session, item.data(Qt.ItemDataRole.UserRole))
        self.load()
        return True
