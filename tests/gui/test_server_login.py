"""Signing in to a set-up server with one's own login, from the login dialog.

The dialog connects as the typed role (a real PostgreSQL server that checks passwords);
the password is remembered only in the operating system's credential store (keyring).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.server_fixture import PASSWORD, Server, server_fixture  # noqa: F401

keyring = pytest.importorskip("keyring")
pytestmark = pytest.mark.postgres


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store in memory, standing in for Windows Credential Manager."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.saved:
            raise keyring.errors.PasswordDeleteError("none")
        del self.saved[(service, username)]


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def no_store() -> Iterator[None]:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _dialog(qtbot, server: Server):  # noqa: ANN001, ANN202
    from cchc_desktop.gui.login_dialog import ServerLoginDialog
    from cchc_desktop.store.sqlite_file import personal_login_server

    where = personal_login_server(server.pc_url())
    assert where == f"{server.host}:{server.port}/{server.database}"
    dialog = ServerLoginDialog(server.pc_url(), where)
    qtbot.addWidget(dialog)
    return dialog


def _sign_in(qtbot, dialog, user: str, password: str) -> None:  # noqa: ANN001
    dialog.username_edit.clear()
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.username_edit, user)
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_wrong_password_then_right_one_and_remembered(qtbot, server: Server,
                                                      store: MemoryKeyring) -> None:
    dialog = _dialog(qtbot, server)
    assert dialog.remember_box.isEnabled() and not dialog.keyring_note.isVisibleTo(dialog)
    _sign_in(qtbot, dialog, server.viewer, "sai-mat-khau")
    assert "Sai tên đăng nhập hoặc mật khẩu" in dialog.error_label.text()
    assert "psycopg" not in dialog.error_label.text()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.db is None
    dialog.remember_box.setChecked(True)
    _sign_in(qtbot, dialog, server.viewer, PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    try:
        assert (dialog.db.user.username, dialog.db.user.role) == (server.viewer, "viewer")
        assert "password" not in dialog.db.url.lower() and PASSWORD not in dialog.db.url
    finally:
        dialog.db.close()
    assert list(store.saved.values()) == [PASSWORD]
    # The next start: the name and the remembered password are filled in.
    again = _dialog(qtbot, server)
    assert again.username_edit.text() == server.viewer
    assert again.password_edit.text() == PASSWORD and again.remember_box.isChecked()
    again.remember_box.setChecked(False)  # signing in without it forgets the password
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    again.db.close()
    assert store.saved == {}


def test_without_a_credential_store_nothing_is_kept(qtbot, server: Server, no_store: None,
                                                    _isolated_settings, _isolated_data_dir
                                                    ) -> None:
    dialog = _dialog(qtbot, server)
    assert not dialog.remember_box.isEnabled()
    assert "không ghi nhớ được" in dialog.keyring_note.text()
    _sign_in(qtbot, dialog, server.unit, PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.db.user.role, dialog.db.user.unit_id) == ("unit", server.own_unit)
    dialog.db.close()
    from PySide6.QtCore import QSettings

    QSettings().sync()
    for folder in (_isolated_settings, _isolated_data_dir):
        for path in folder.rglob("*"):
            if path.is_file():
                assert PASSWORD.encode() not in path.read_bytes(), path


def test_opened_database_signs_in_as_the_connected_role(qtbot, server: Server,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """The owner's address (IT) opens as an administrator named after the owner."""
    from cchc_desktop.gui.login_dialog import login_if_required
    from cchc_desktop.store.db import open_database
    from tests.conftest import SERVER_OWNER, SERVER_OWNER_PASSWORD

    monkeypatch.setenv("PGPASSWORD", SERVER_OWNER_PASSWORD)
    db = open_database(server.owner_url())
    try:
        assert login_if_required(db)
        assert (db.user.username, db.user.role) == (SERVER_OWNER, "admin")
    finally:
        db.close()


def test_the_window_opens_as_the_person_who_signed_in(qtbot, server: Server, no_store: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A PC's address without a user: the dialog comes first, the window opens as that role."""
    from cchc_desktop.gui import login_dialog
    from cchc_desktop.gui.app import launch

    asked: list[str] = []

    def sign_in(self) -> int:  # noqa: ANN001 - the dialog, driven instead of shown modally
        asked.append(self.windowTitle())
        self.username_edit.setText(server.unit)
        self.password_edit.setText(PASSWORD)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(login_dialog.ServerLoginDialog, "exec", sign_in)
    window = launch(server.pc_url())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.database_ready, timeout=30_000):
        pass
    assert asked == ["Đăng nhập máy chủ"]
    user = window.ctx.db.user
    assert (user.username, user.role, user.unit_id) == (server.unit, "unit", server.own_unit)
    assert PASSWORD not in window.windowTitle() and server.unit in window.windowTitle()
    db = window.ctx.db
    window.close()
    # The program leaves closing the database to its exit; a test must not. The tabs read in
    # background jobs: let them hand their connections back, then close every one.
    for _ in range(3):
        qtbot.wait(300)
        qtbot.waitUntil(lambda: db.engine.pool.checkedout() == 0, timeout=30_000)
        db.engine.dispose()
    import gc

    gc.collect()
