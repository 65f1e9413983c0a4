"""Signing in at start-up: on the shared server, or when the PC's log-in setting is on.

On a server set up by ``cchc server setup`` the PC's address has no user name; the person
types their own server login and password (:class:`ServerLoginDialog`), the connection is
made as that role and the server decides what it may do. The password can be remembered
in the operating system's credential store (store/credentials.py), never in a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.errors import UserError

if TYPE_CHECKING:  # imported before SQLAlchemy at start-up
    from cchc_desktop.store.db import Database, DatabaseDamaged



def _name_and_password(dialog: QDialog, layout: QVBoxLayout) -> tuple[QLineEdit, QLineEdit]:
    """The user name and (hidden) password fields of a sign-in dialog."""
    form = QFormLayout()
    name, password = QLineEdit(dialog), QLineEdit(dialog)
    password.setEchoMode(QLineEdit.EchoMode.Password)
    form.addRow("Tên đăng nhập:", name)
    form.addRow("Mật khẩu:", password)
    layout.addLayout(form)
    return name, password


def _error_and_buttons(dialog: QDialog, layout: QVBoxLayout) -> tuple[QLabel, QPushButton]:
    """The red line for a refusal and the "Đăng nhập" / "Thoát" buttons of a sign-in dialog."""
    error = QLabel(dialog)
    error.setStyleSheet("color: #b00020")
    error.setWordWrap(True)
    layout.addWidget(error)
    buttons = QDialogButtonBox(dialog)
    ok = buttons.addButton("Đăng nhập", QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("Thoát", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return error, ok

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
        self.username_edit, self.password_edit = _name_and_password(self, layout)
        self.error_label, self.ok_button = _error_and_buttons(self, layout)

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


REMEMBER_LABEL = "Ghi nhớ mật khẩu trên máy này"


class ServerLoginDialog(QDialog):
    """Signs in to a set-up server as the person's own role, with their password.

    Attributes:
        username_edit, password_edit: the fields; remember_box: "Ghi nhớ mật khẩu trên máy
        này" (disabled, with the reason in ``keyring_note``, on a PC without a credential
        store); error_label: why the last try failed; db: the opened Database after a
        successful sign-in (None before).
    """

    def __init__(self, target: str | None, server: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from cchc_desktop.gui.common.settings import Settings
        from cchc_desktop.store import credentials

        self.target = target
        self.server = server
        self.db: Any = None
        self.setWindowTitle("Đăng nhập máy chủ")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Máy chủ: {server}"))
        self.username_edit, self.password_edit = _name_and_password(self, layout)
        self.remember_box = QCheckBox(REMEMBER_LABEL, self)
        layout.addWidget(self.remember_box)
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        layout.addWidget(self.keyring_note)
        self.keyring = credentials.available()
        if not self.keyring:
            self.remember_box.setEnabled(False)
            self.keyring_note.setText(credentials.UNAVAILABLE)
        self.keyring_note.setVisible(not self.keyring)
        self.error_label, self.ok_button = _error_and_buttons(self, layout)
        last = Settings().last_server_user()
        self.username_edit.setText(last)
        saved = credentials.remembered(server, last) if last else None
        if saved:
            self.password_edit.setText(saved)
            self.remember_box.setChecked(True)
        (self.password_edit if last else self.username_edit).setFocus()

    def accept(self) -> None:
        """Connect as the typed role; stay open with the reason when the server refuses."""
        from cchc_desktop.gui.common.settings import Settings
        from cchc_desktop.services.users import server_sign_in
        from cchc_desktop.store import credentials
        from cchc_desktop.store.db import open_database

        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            db = open_database(self.target, login=(username, password))
            try:
                with db.session() as session:
                    user = server_sign_in(session)
            except BaseException:
                db.close()
                raise
        except UserError as exc:
            self.error_label.setText(exc.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        if user is not None:
            db.act_as(user)
        Settings().set_last_server_user(username)
        if self.remember_box.isChecked() and self.keyring:
            credentials.remember(self.server, username, password)
        else:
            credentials.forget(self.server, username)
        self.db = db
        super().accept()


def login_if_required(db: Database, parent: QWidget | None = None) -> bool:
    """Sign in when the database asks for it; False when the user gave up.

    On a set-up server the person is the role connected (already signed in by the server).
    """
    from cchc_desktop.services.users import login_required, server_sign_in

    try:
        with db.session() as session:
            server_user = server_sign_in(session)
    except UserError as exc:
        from cchc_desktop.gui.common import dialogs

        dialogs.show_error(parent, exc.message)
        return False
    if server_user is not None:
        db.act_as(server_user)
        return True
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
