"""Managing accounts in the GUI: list, add, change a password, lock/unlock, ask for log-in.

The menu action ``manage_users(parent, ctx)`` returns True when something changed.
Every rule (only an administrator manages accounts, password length, a unit
account needs its unit) is in ``services.users``, shared with ``cchc users``.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.row_model import RowTableModel
from cchc_desktop.services.access import ROLE_LABELS
from cchc_desktop.services.users import UserInfo

_Index = QModelIndex | QPersistentModelIndex


class UserTableModel(RowTableModel):
    """Accounts: user name, full name, role, unit, state."""

    HEADERS = ("Tên đăng nhập", "Họ tên", "Vai trò", "Đơn vị", "Trạng thái")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        u = self.rows[index.row()]
        return (u.username, u.full_name, ROLE_LABELS.get(u.role, u.role), u.unit_name,
                "Đang dùng" if u.active else "Đã khóa")[index.column()]



class UsersDialog(QDialog):
    """The accounts list with the form to add one and the buttons to act on the selected one.

    Attributes:
        model/table: the accounts; username_edit, full_name_edit, role_combo, unit_combo,
        password_edit: the new-account form; add_button, password_button, lock_button;
        login_check: the single-PC "ask for log-in" setting; changed: True after any change.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.setWindowTitle("Tài khoản người dùng")
        layout = QVBoxLayout(self)
        self.model = UserTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        actions = QHBoxLayout()
        self.password_button = QPushButton("Đặt lại mật khẩu...", self)
        self.lock_button = QPushButton("Khóa / mở khóa", self)
        actions.addWidget(self.password_button)
        actions.addWidget(self.lock_button)
        actions.addStretch()
        layout.addLayout(actions)
        form = QFormLayout()
        self.username_edit = QLineEdit(self)
        self.full_name_edit = QLineEdit(self)
        self.role_combo = QComboBox(self)
        for key, label in ROLE_LABELS.items():
            self.role_combo.addItem(label, key)
        self.unit_combo = QComboBox(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Tên đăng nhập:", self.username_edit)
        form.addRow("Họ tên:", self.full_name_edit)
        form.addRow("Vai trò:", self.role_combo)
        form.addRow("Đơn vị (vai trò đơn vị):", self.unit_combo)
        form.addRow("Mật khẩu:", self.password_edit)
        layout.addWidget(QLabel("Thêm tài khoản"))
        layout.addLayout(form)
        self.add_button = QPushButton("Thêm tài khoản", self)
        layout.addWidget(self.add_button)
        self.login_check = QCheckBox("Hỏi đăng nhập khi mở chương trình trên máy này", self)
        self.login_check.setVisible(ctx.db.is_sqlite)  # the shared server always asks
        layout.addWidget(self.login_check)
        layout.addWidget(dialogs.close_button(self))
        self.add_button.clicked.connect(self.add_user)
        self.password_button.clicked.connect(self.reset_password)
        self.lock_button.clicked.connect(self.toggle_lock)
        self.resize(720, 560)
        self.reload()
        self.login_check.toggled.connect(self.set_require_login)

    def reload(self) -> None:
        """Read the accounts, the units and the log-in setting again."""
        from cchc_desktop.services.units import list_units
        from cchc_desktop.services.users import list_users, require_login_setting

        with self.ctx.db.session() as session:
            users = list_users(session)
            units = list_units(session, include_inactive=False)
            ask = require_login_setting(session)
        self.model.set_rows(users)
        self.table.resizeColumnsToContents()
        chosen = self.unit_combo.currentData()
        self.unit_combo.clear()
        self.unit_combo.addItem("(không)", None)
        for unit in units:
            self.unit_combo.addItem(unit.name, unit.id)
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(chosen)))
        self.login_check.blockSignals(True)
        self.login_check.setChecked(ask)
        self.login_check.blockSignals(False)

    def _run(self, work) -> bool:  # noqa: ANN001
        try:
            with self.ctx.db.session() as session:
                work(session)
        except UserError as exc:
            dialogs.show_error(self, exc.message)
            self.reload()
            return False
        self.changed = True
        self.reload()
        return True

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def add_user(self) -> None:
        from cchc_desktop.services.users import add_user

        def work(session) -> None:  # noqa: ANN001
            add_user(session, self.username_edit.text(), self.password_edit.text(),
                     self.role_combo.currentData(), unit_id=self.unit_combo.currentData(),
                     full_name=self.full_name_edit.text())

        if self._run(work):
            for edit in (self.username_edit, self.full_name_edit, self.password_edit):
                edit.clear()

    def reset_password(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from cchc_desktop.services.users import set_password

        user = self.selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(self, "Đặt lại mật khẩu",
                                            f"Mật khẩu mới cho {user.username}:",
                                            QLineEdit.EchoMode.Password)
        if ok:
            self._run(lambda s: set_password(s, user.username, password))

    def toggle_lock(self) -> None:
        from cchc_desktop.services.users import set_active

        user = self.selected()
        if user is not None:
            self._run(lambda s: set_active(s, user.username, not user.active))

    def set_require_login(self, on: bool) -> None:
        from cchc_desktop.services.users import set_require_login

        self._run(lambda s: set_require_login(s, on))


def manage_users(parent: QWidget | None, ctx: GuiContext) -> bool:
    """Open the accounts dialog; True when an account or the log-in setting changed."""
    dialog = UsersDialog(ctx, parent)
    dialog.exec()
    return dialog.changed
