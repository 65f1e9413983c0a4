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


def tab_module(key: str) -> str:
    """The module of a tab: "tasks_tab" (the key settings remember) → "tasks.tab"."""
    return f"{key.removesuffix('_tab')}.tab"


def module_exists(name: str) -> bool:
    """True when ``cchc_desktop.gui.<name>`` can be found (without importing it)."""
    try:
        return importlib.util.find_spec(f"{PACKAGE}.{name}") is not None
    except (ImportError, ValueError):
        return False
