"""The log-in dialog after too many wrong passwords: a clear message with the time it unlocks."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cchc_desktop.services.users import MAX_FAILED_LOGINS, add_user


def test_login_dialog_says_the_account_is_locked_and_until_when(db, qtbot) -> None:
    from cchc_desktop.gui.login_dialog import LoginDialog

    with db.session() as s:
        add_user(s, "thuy", "mat-khau-123", "admin")
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username_edit, "thuy")
    for _ in range(MAX_FAILED_LOGINS):
        qtbot.keyClicks(dialog.password_edit, "sai-mat-khau")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    text = dialog.error_label.text()
    assert dialog.isVisible()
    assert "tạm khóa" in text and "thử lại sau" in text and "ngày" in text
    qtbot.keyClicks(dialog.password_edit, "mat-khau-123")  # right, but too late
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "tạm khóa" in dialog.error_label.text()
    assert db.user is None
