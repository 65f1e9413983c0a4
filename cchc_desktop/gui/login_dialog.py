"""Signing in at start-up: on the shared server, or when the PC's log-in setting is on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.errors import UserError

if TYPE_CHECKING:  # imported before SQLAlchemy at start-up
    from cchc_desktop.store.db import Database, DatabaseDamaged


class LoginDialog(QDialog):
    """Asks for a user name and password and checks them against the database.

    Attributes:
        username_edit, password_edit: the fields; error_label: why the last try failed;
        user: the CurrentUser after a successful sign-in (None before).
    """

    def __init__(self, db: Database, parent: QWidget | None = None, where: str = "") -> None:
        super().__init__(parent)
        self.db = db
        self.user: Any = None  # a services.access.CurrentUser once signed in
        self.setWindowTitle("Đăng nhập")
        layout = QVBoxLayout(self)
        if where:
            layout.addWidget(QLabel(f"Cơ sở dữ liệu: {where}"))
        form = QFormLayout()
        self.username_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Tên đăng nhập:", self.username_edit)
        form.addRow("Mật khẩu:", self.password_edit)
        layout.addLayout(form)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Đăng nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Thoát", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Check the password; stay open with the reason when it is refused."""
        from cchc_desktop.services.users import authenticate

        try:
            with self.db.session() as session:
                user = authenticate(session, self.username_edit.text(), self.password_edit.text())
        except UserError as exc:
            self.error_label.setText(exc.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.user = user
        self.db.act_as(user)
        super().accept()


def login_if_required(db: Database, parent: QWidget | None = None) -> bool:
    """Sign in when the database asks for it; False when the user gave up."""
    from cchc_desktop.services.users import login_required

    with db.session() as session:
        needed = login_required(session, server_mode=not db.is_sqlite)
    if not needed:
        return True
    from cchc_desktop.gui.common.location import describe_location

    return bool(LoginDialog(db, parent, describe_location(db)).exec())


def open_database_for_gui(target: str | None, *, unattended: bool = False) -> Database:
    """Open the database; when it is damaged, offer its newest good backup and reopen."""
    from cchc_desktop.store.db import DatabaseDamaged, open_database

    try:
        return open_database(target)
    except DatabaseDamaged as exc:
        if unattended:
            raise
        return reopen_after_damage(target, exc)


def reopen_after_damage(target: str | None, damage: DatabaseDamaged,
                        parent: QWidget | None = None) -> Database:
    """Offer the newest good backup of a damaged database; reopen when it was restored."""
    from cchc_desktop.errors import EnvironmentProblem
    from cchc_desktop.gui.catalog.backup_dialog import offer_restore_on_damage
    from cchc_desktop.store.db import open_database

    if not offer_restore_on_damage(parent, damage):
        raise EnvironmentProblem(
            f"Chưa mở được dữ liệu. Tệp hỏng được giữ nguyên tại {damage.path}."
        ) from damage
    return open_database(target)
