"""Trợ giúp: the user guide (F1) and the log folder.

The guide is an HTML page shipped in ``resources/help/`` with the screenshots beside it; it is
shown inside the program (a QTextBrowser), so it works offline and looks the same on every PC.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.resources import resource_path

GUIDE_FILE = "huong-dan.html"
GUIDE_TITLE = "Hướng dẫn sử dụng"


def guide_path() -> Path:
    """The user guide's HTML file among the resources."""
    return resource_path("resources", "help", GUIDE_FILE)


class HelpDialog(QDialog):
    """The user guide in a browser with a find box; links inside the guide jump to sections."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(GUIDE_TITLE)
        self.setObjectName("helpDialog")
        layout = QVBoxLayout(self)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Tìm trong hướng dẫn (Enter: tìm tiếp)")
        self.find_edit.setAccessibleName("Tìm trong hướng dẫn")
        self.find_edit.returnPressed.connect(self.find_next)
        layout.addWidget(self.find_edit)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Nội dung hướng dẫn")
        self.browser.setOpenExternalLinks(True)
        path = guide_path()
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        layout.addWidget(self.browser, 1)
        from cchc_desktop.gui.common import dialogs

        buttons = dialogs.close_button(self)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry()
        self.resize(min(900, screen.width() - 40), min(760, screen.height() - 80))

    def find_next(self) -> bool:
        """Select the next place the find box's text occurs (from the top again at the end)."""
        text = self.find_edit.text().strip()
        if not text:
            return False
        if self.browser.find(text):
            return True
        cursor = self.browser.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        return self.browser.find(text)


def show_guide(parent: QWidget | None) -> HelpDialog:
    """Open the user guide (not modal: one can read it beside the window)."""
    existing = parent.findChild(HelpDialog) if parent is not None else None
    if existing is not None and existing.isVisible():
        existing.activateWindow()  # already open: bring it forward, not a second one
        return existing
    dialog = existing or HelpDialog(parent)
    dialog.show()
    return dialog


def open_log_folder(parent: QWidget | None) -> bool:
    """Open the folder holding the error log in the system's file manager."""
    from cchc_desktop.logs import log_file

    folder = log_file().parent
    folder.mkdir(parents=True, exist_ok=True)
    from cchc_desktop.gui.common import dialogs

    if dialogs.open_path(folder):
        return True
    dialogs.show_error(parent, f"Không mở được thư mục nhật ký. Thư mục nằm tại:\n{folder}")
    return False
