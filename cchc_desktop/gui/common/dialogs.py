"""Message boxes and file dialogs in Vietnamese.

Qt ships no Vietnamese translation of its own buttons, so every dialog the
application shows is built here with Vietnamese button texts. File dialogs are the
system's own and open in the folder last used for that kind of file (remembered in
:mod:`cchc_desktop.gui.common.settings`), else in Documents, never the program's folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QWidget

from cchc_desktop import APP_NAME
from cchc_desktop.gui.common.settings import Settings

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


def documents_folder() -> Path:
    """The user's Documents folder (home when the system names none), never the program's."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


def file_kind(filters: str) -> str:
    """The kind of file a filter string asks for: its first pattern's suffix ("docx"),
    "file" when it names none; the last folder is remembered per kind."""
    match = re.search(r"\*\.(\w+)", filters)
    return match.group(1).lower() if match else "file"


def start_folder(kind: str) -> Path:
    """Where a file dialog for ``kind`` opens: the folder used last for it, else Documents."""
    return Settings().last_folder(kind) or documents_folder()


def remember_folder(kind: str, chosen: Path) -> None:
    """Remember the folder of ``chosen`` (a file, or a folder itself) for ``kind``."""
    Settings().set_last_folder(kind, chosen if chosen.is_dir() else chosen.parent)


def _file_dialog(parent: QWidget | None, title: str, filters: str, save: bool,
                 start: str = "", kind: str = "") -> QFileDialog:
    # The system's own dialog where there is one; the labels below serve Qt's fallback.
    name = Path(start).name if start and not Path(start).is_dir() else ""
    folder = start_folder(kind or file_kind(filters))
    dialog = QFileDialog(parent, title, str(folder / name) if name else str(folder), filters)
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


def _chosen(dialog: QFileDialog, kind: str) -> list[Path]:
    """The files the user chose (none when cancelled); their folder is remembered."""
    if not dialog.exec() or not dialog.selectedFiles():
        return []
    paths = [Path(p) for p in dialog.selectedFiles()]
    remember_folder(kind, paths[0])
    return paths


def open_file(parent: QWidget | None, title: str, filters: str, start: str = "") -> Path | None:
    """Ask for an existing file; None when cancelled."""
    chosen = _chosen(_file_dialog(parent, title, filters, save=False, start=start),
                     file_kind(filters))
    return chosen[0] if chosen else None


def open_files(parent: QWidget | None, title: str, filters: str = "", *,
               kind: str = "") -> list[Path]:
    """Ask for one or more existing files; [] when cancelled."""
    kind = kind or file_kind(filters)
    dialog = _file_dialog(parent, title, filters, save=False, kind=kind)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Chọn")
    return _chosen(dialog, kind)


def save_file(parent: QWidget | None, title: str, filters: str, start: str = "",
              suffix: str = "") -> Path | None:
    """Ask where to save, starting in the folder last used for this kind of file with the
    name in ``start``; adds ``suffix`` (e.g. "docx") when the user typed none."""
    dialog = _file_dialog(parent, title, filters, save=True, start=start)
    if suffix:
        dialog.setDefaultSuffix(suffix)
    chosen = _chosen(dialog, file_kind(filters))
    return chosen[0] if chosen else None


def choose_folder(parent: QWidget | None, title: str, start: str = "", *,
                  kind: str = "folder") -> Path | None:
    """Ask for an existing folder (starting in the one last chosen); None when cancelled."""
    dialog = _file_dialog(parent, title, "", save=False, kind=kind)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Chọn")
    chosen = _chosen(dialog, kind)
    return chosen[0] if chosen else None


def open_path(path: Path) -> bool:
    """Open ``path`` (a file or a folder) the way the system does (Word, a PDF reader...)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def offer_open(parent: QWidget | None, path: Path, text: str = "") -> None:
    """After an export: where the file is, with "Mở tệp", "In…" (through the system, see
    :func:`print_path`) and "Mở thư mục" (its folder).

    For a folder of files (``path`` a folder) only "Mở thư mục". A file or folder the system
    cannot open or print is said so, not silently ignored.
    """
    is_folder = path.is_dir()
    box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, text or f"Đã lưu tệp:\n{path}",
                      QMessageBox.StandardButton.NoButton, parent)
    open_button = print_button = None
    if not is_folder:
        open_button = box.addButton("Mở tệp", QMessageBox.ButtonRole.AcceptRole)
        open_button.setToolTip("Mở tệp bằng chương trình của máy (Word, Excel, trình đọc PDF)")
        print_button = box.addButton("In…", QMessageBox.ButtonRole.ActionRole)
        print_button.setToolTip("In tệp ra máy in mặc định của máy")
    folder_button = box.addButton("Mở thư mục", QMessageBox.ButtonRole.ActionRole)
    folder_button.setToolTip("Mở thư mục chứa tệp")
    box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button or folder_button)
    box.exec()
    clicked = box.clickedButton()
    folder = path if is_folder else path.parent
    if open_button is not None and clicked is open_button and not open_path(path):
        show_error(parent, f"Không mở được tệp {path.name}: máy chưa có chương trình mở loại "
                           f"tệp này. Tệp vẫn được lưu tại:\n{path}")
    elif print_button is not None and clicked is print_button:
        print_path(parent, path)
    elif clicked is folder_button and not open_path(folder):
        show_error(parent, f"Không mở được thư mục {folder}.")


def print_path(parent: QWidget | None, path: Path) -> bool:
    """"In…": send ``path`` to the default printer through the system (off the GUI thread,
    see :func:`cchc_desktop.services.printing.print_file`); True when it was handed over,
    else the reason is shown."""
    from cchc_desktop.gui.common.jobs import run_with_progress
    from cchc_desktop.services.printing import print_file

    outcome = run_with_progress(parent, f"Đang gửi tệp {path.name} tới máy in...",
                                lambda _report, _cancelled: print_file(path), cancellable=False)
    if not outcome.ok:
        if outcome.error:
            show_error(parent, outcome.error)
        return False
    show_info(parent, f"Đã gửi tệp {path.name} tới máy in.")
    return True


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
