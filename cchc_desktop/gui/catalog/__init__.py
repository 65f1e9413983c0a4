"""Danh mục / Cài đặt: units, the agency profile, users, backups and the audit log.

What other features may use is listed here (imported on first use, see
:mod:`cchc_desktop.gui.common.exports`); the package's modules are its own.
"""

from typing import TYPE_CHECKING

from cchc_desktop.gui.common.exports import lazy_exports

if TYPE_CHECKING:
    from cchc_desktop.gui.catalog.backup_dialog import show_audit

PUBLIC = {
    "show_audit": "backup_dialog",
}
__all__ = [
    "show_audit",
]
__getattr__ = lazy_exports(__name__, PUBLIC)
