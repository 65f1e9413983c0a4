"""Driving the progress dialog of a long job as a user does."""

from __future__ import annotations

from PySide6.QtCore import Qt


def press_cancel_when_shown(qtbot, pressed: list[bool]) -> None:  # noqa: ANN001
    """Click "Hủy" on the progress dialog as soon as it shows."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    def poll() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QProgressDialog) and w.isVisible():
                button = next(b for b in w.findChildren(QPushButton) if b.text() == "Hủy")
                qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
                pressed.append(True)
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
