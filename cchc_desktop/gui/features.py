"""Which feature gives the window which tab and which File-menu item: the shell's wiring.

The window imports a feature only through these names, on first use, so it opens fast and a
feature whose module is missing (or fails to load) does not stop the others.
"""

from __future__ import annotations

import importlib.util

PACKAGE = "cchc_desktop.gui"

# (key, class, title): the tab's module is ``<feature>.tab`` (see :func:`tab_module`); the key
# is what the settings remember as the last tab and what the tabs name each other by.
TAB_SPECS: list[tuple[str, str, str]] = [
    ("dashboard_tab", "DashboardTab", "Tổng quan"),
    ("plans_tab", "PlansTab", "Kế hoạch"),
    ("tasks_tab", "TasksTab", "Nhiệm vụ"),
    ("evidence_tab", "EvidenceTab", "Tài liệu kiểm chứng"),
    ("scoring_tab", "ScoringTab", "Tự chấm điểm"),
    ("documents_tab", "DocumentsTab", "Văn bản"),
    ("reports_tab", "ReportsTab", "Báo cáo"),
    ("catalog_tab", "CatalogTab", "Danh mục / Cài đặt"),
]

# (module, function, menu text): File-menu items supplied by other modules; None = separator.
MENU_ACTIONS: list[tuple[str, str, str] | None] = [
    ("tasks.import_dialog", "import_tasks", "Nhập nhiệm vụ từ tệp..."),
    ("tasks.import_dialog", "paste_tasks", "Dán bảng nhiệm vụ từ Word/Excel..."),
    ("tasks.import_dialog", "import_documents", "Nhập văn bản từ tệp..."),
    ("tasks.import_dialog", "export_tasks", "Xuất danh sách nhiệm vụ..."),
    ("tasks.import_dialog", "export_documents", "Xuất danh sách văn bản..."),
    None,
    ("reports.export_dialog", "export_report", "Xuất báo cáo định kỳ..."),
    ("reports.export_dialog", "export_overdue", "Xuất danh sách nhiệm vụ quá hạn..."),
    ("reports.export_dialog", "export_scoring", "Xuất bảng tự chấm điểm..."),
    None,
    ("catalog.backup_dialog", "backup_now", "Sao lưu dữ liệu ngay"),
    ("catalog.backup_dialog", "backup_to_file", "Sao lưu ra..."),
    ("catalog.backup_dialog", "restore_backup", "Khôi phục từ bản sao lưu..."),
    ("catalog.backup_dialog", "show_audit", "Nhật ký thay đổi..."),
    ("catalog.users_dialog", "manage_users", "Tài khoản người dùng..."),
    ("catalog.options_dialog", "edit_options", "Tùy chọn..."),
]

# What each File-menu item does, shown in the status bar (and as its tooltip); keyed by
# function. A test fails on any action of the window without one.
MENU_TIPS: dict[str, str] = {
    "import_tasks": "Đọc nhiệm vụ từ tệp Excel, Word hoặc LibreOffice, xem trước rồi nhập",
    "paste_tasks": "Dán bảng nhiệm vụ vừa sao chép trong Word hoặc Excel, xem trước rồi nhập",
    "import_documents": "Đọc danh mục văn bản từ tệp Excel, xem trước rồi nhập",
    "export_tasks": "Ghi mọi nhiệm vụ ra tệp Excel có thể nhập lại",
    "export_documents": "Ghi danh mục văn bản ra tệp Excel",
    "export_report": "Soạn báo cáo định kỳ (quý, 6 tháng, 9 tháng, năm) ra tệp Word",
    "export_overdue": "Soạn báo cáo các nhiệm vụ quá hạn, sắp đến hạn theo đơn vị chủ trì",
    "export_scoring": "Ghi bảng tự chấm điểm chỉ số CCHC ra tệp Word",
    "backup_now": "Sao lưu cơ sở dữ liệu vào thư mục sao lưu ngay bây giờ",
    "backup_to_file": "Sao lưu dữ liệu kèm tài liệu kiểm chứng ra một tệp nén",
    "restore_backup": "Thay dữ liệu hiện tại bằng một bản sao lưu (hỏi lại trước khi thay)",
    "show_audit": "Xem ai đã thay đổi gì, khi nào",
    "manage_users": "Thêm, sửa tài khoản và quyền của người dùng",
    "edit_options": "Số ngày sắp đến hạn, số bản sao lưu giữ lại, cỡ chữ và các tùy chọn khác",
}


def tab_module(key: str) -> str:
    """The module of a tab: "tasks_tab" (the key settings remember) → "tasks.tab"."""
    return f"{key.removesuffix('_tab')}.tab"


def module_exists(name: str) -> bool:
    """True when ``cchc_desktop.gui.<name>`` can be found (without importing it)."""
    try:
        return importlib.util.find_spec(f"{PACKAGE}.{name}") is not None
    except (ImportError, ValueError):
        return False
