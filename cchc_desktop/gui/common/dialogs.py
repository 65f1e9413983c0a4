"""Message boxes and file dialogs in Vietnamese.

Qt ships no Vietnamese translation of its own buttons, so every dialog the
application shows is built here with Vietnamese button texts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QWidget

from cchc_desktop import APP_NAME

BUTTON_TEXTS = {
    QMessageBox.StandardButton.Ok: "Đồng ý",
    QMessageBox.StandardButton.Cancel: "Hủy",
    QMessageBox.StandardButton.Yes: "Có",
    QMessageBox.StandardButton.No: "Không",
    QMessageBox.StandardButton.Save: "Lưu",
    QMessageBox.StandardButton.Discard: "Không lưu",
    QMessageBox.StandardButton.Open: "Mở",
    QMessageBox.StandardButton.Close: "Đóng",
    QMessageBox.StandardButton.Retry: "Thử lại",
}


def _box(parent: QWidget | None, icon: QMessageBox.Icon, text: str,
         buttons: QMessageBox.StandardButton, default: QMessageBox.StandardButton,
         details: str = "") -> QMessageBox:
    box = QMessageBox(icon, APP_NAME, text, buttons, parent)
    box.setDefaultButton(default)
    for standard, label in BUTTON_TEXTS.items():
        button = box.button(standard)
        if button is not None:
            button.setText(label)
    if details:
        box.setDetailedText(details)
        for button in box.buttons():
            if box.buttonRole(button) == QMessageBox.ButtonRole.ActionRole:
                button.setText("Xem chi tiết...")
    return box


def confirm(parent: QWidget | None, text: str, *, danger: bool = False) -> bool:
    """Ask a yes/no question; "Không" is the default for dangerous actions."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    default = QMessageBox.StandardButton.No if danger else QMessageBox.StandardButton.Yes
    icon = QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question
    return _box(parent, icon, text, buttons, default).exec() == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, text: str, details: str = "") -> None:
    """A clear error message (``details`` goes behind "Xem chi tiết...")."""
    ok = QMessageBox.StandardButton.Ok
    _box(parent, QMessageBox.Icon.Critical, text, ok, ok, details).exec()


def show_info(parent: QWidget | None, text: str, details: str = "") -> None:
    """An information message."""
    ok = QMessageBox.StandardButton.Ok
    _box(parent, QMessageBox.Icon.Information, text, ok, ok, details).exec()


def _file_dialog(parent: QWidget | None, title: str, filters: str, save: bool,
                 start: str = "") -> QFileDialog:
    dialog = QFileDialog(parent, title, start, filters)
    # Qt's own dialog so that our Vietnamese labels apply on every OS.
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(
        QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen
    )
    dialog.setFileMode(
        QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile
    )
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, "Thư mục:")
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, "Tên tệp:")
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, "Loại tệp:")
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Lưu" if save else "Mở")
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "Hủy")
    return dialog


def open_file(parent: QWidget | None, title: str, filters: str, start: str = "") -> Path | None:
    """Ask for an existing file; None when cancelled."""
    dialog = _file_dialog(parent, title, filters, save=False, start=start)
    if dialog.exec() and dialog.selectedFiles():
        return Path(dialog.selectedFiles()[0])
    return None


def save_file(parent: QWidget | None, title: str, filters: str, start: str = "",
              suffix: str = "") -> Path | None:
    """Ask where to save; adds ``suffix`` (e.g. "docx") when the user typed none."""
    dialog = _file_dialog(parent, title, filters, save=True, start=start)
    if suffix:
        dialog.setDefaultSuffix(suffix)
    if dialog.exec() and dialog.selectedFiles():
        return Path(dialog.selectedFiles()[0])
    return None


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    """Ask for an existing folder; None when cancelled."""
    dialog = _file_dialog(parent, title, "", save=False, start=start)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Chọn")
    if dialog.exec() and dialog.selectedFiles():
        return Path(dialog.selectedFiles()[0])
    return None


def save_cancel_buttons(
    dialog: QDialog, on_save: Callable[[], None] | None = None
) -> QDialogButtonBox:
    """"Lưu" / "Hủy" for a form dialog; "Lưu" calls ``on_save`` (default: ``dialog.accept``)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lưu")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
    buttons.accepted.connect(on_save or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def close_button(dialog: QDialog) -> QDialogButtonBox:
    """A single "Đóng" button that closes ``dialog``."""
    buttons = QDialogButtonBox(dialog)
    buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.rejected.connect(dialog.reject)
    return buttons
