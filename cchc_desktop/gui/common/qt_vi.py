"""Vietnamese for Qt's own texts: standard buttons, edit menus, the file dialog.

Qt ships no Vietnamese translation (no qtbase_vi.qm), so an office user would meet "Cancel",
"Copy" and "Look in:" in an otherwise Vietnamese program. This translator answers Qt's
``translate(context, text)`` calls for the texts our windows can show; anything else falls
back to Qt's English. Installed once by :func:`install`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

_EDIT_MENU = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ &liên kết",
}

_BUTTONS = {
    "OK": "Đồng ý",
    "Save": "Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Yes": "&Có",
    "Yes to &All": "Có với &tất cả",
    "&No": "&Không",
    "N&o to All": "K&hông với tất cả",
    "Abort": "Dừng",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Close": "Đóng",
    "Cancel": "Hủy",
    "Discard": "Không lưu",
    "Don't Save": "Không lưu",
    "Help": "Trợ giúp",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
}

_FILE_DIALOG = {
    "Look in:": "Thư mục:",
    "&Look in:": "Thư &mục:",
    "File &name:": "Tên tệp:",
    "Files of type:": "Loại tệp:",
    "Files of &type:": "&Loại tệp:",
    "&Open": "&Mở",
    "&Save": "&Lưu",
    "&Choose": "&Chọn",
    "Cancel": "Hủy",
    "Open": "Mở",
    "Save As": "Lưu thành",
    "Back": "Quay lại",
    "Forward": "Tiến tới",
    "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "List View": "Xem dạng danh sách",
    "Detail View": "Xem chi tiết",
    "All Files (*)": "Tất cả các tệp (*)",
    "New Folder": "Thư mục mới",
    "&New Folder": "Thư mục &mới",
    "&Rename": "Đổi &tên",
    "&Delete": "&Xóa",
    "Show &hidden files": "Hiện các tệp ẩn",
    "Recent Places": "Vừa mở",
    "My Computer": "Máy tính",
    "Computer": "Máy tính",
    "Directories": "Thư mục",
    "Directory:": "Thư mục:",
    "File": "Tệp",
    "File Folder": "Thư mục",
    "Folder": "Thư mục",
    "Unknown": "Không rõ",
    "Delete": "Xóa",
    "Are you sure you want to delete '%1'?": "Xóa “%1”?",
    "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nGhi đè lên tệp này?",
    "%1\nFile not found.\nPlease verify the correct file name was given.":
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
}

_FILE_MODEL = {
    "Name": "Tên",
    "Size": "Kích thước",
    "Type": "Loại",
    "Kind": "Loại",
    "Date Modified": "Ngày sửa",
    "My Computer": "Máy tính",
    "Computer": "Máy tính",
}

TEXTS: dict[str, dict[str, str]] = {
    "QLineEdit": _EDIT_MENU,
    "QWidgetTextControl": _EDIT_MENU,
    "QPlatformTheme": _BUTTONS,
    "QDialogButtonBox": _BUTTONS,
    "QMessageBox": {**_BUTTONS, "Show Details...": "Xem chi tiết...",
                    "Hide Details...": "Ẩn chi tiết..."},
    "QProgressDialog": {"Cancel": "Hủy"},
    "QAbstractSpinBox": {"&Select All": "&Chọn tất cả", "&Step up": "&Tăng",
                         "Step &down": "&Giảm"},
    "QFileDialog": _FILE_DIALOG,
    "QFileSystemModel": _FILE_MODEL,
    "QCalendarWidget": {"Previous Month": "Tháng trước", "Next Month": "Tháng sau"},
}


class VietnameseQtTranslator(QTranslator):
    """Answers Qt's own texts from :data:`TEXTS`; None (untranslated) for anything else."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None becomes a null QString, which tells Qt to ask the next translator or keep
        # the source text; "" would blank it (e.g. the "Ctrl" in "Ctrl+Z").
        return TEXTS.get(context, {}).get(source)

    def isEmpty(self) -> bool:  # noqa: N802 (Qt naming)
        return False


_installed: list[VietnameseQtTranslator] = []


def install(app: QCoreApplication) -> VietnameseQtTranslator:
    """Install the translator once and make Vietnamese the default locale (dates, months)."""
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    if not _installed:
        translator = VietnameseQtTranslator(app)
        app.installTranslator(translator)
        _installed.append(translator)
    return _installed[0]
