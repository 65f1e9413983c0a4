"""Báo cáo: periodic report figures and text, and the export dialog.

What other features may use is listed here (imported on first use, see
:mod:`cchc_desktop.gui.common.exports`); the package's modules are its own.
"""

from typing import TYPE_CHECKING

from cchc_desktop.gui.common.exports import lazy_exports

if TYPE_CHECKING:
    from cchc_desktop.gui.reports.export_dialog import export_plan

PUBLIC = {
    "export_plan": "export_dialog",
}
__all__ = [
    "export_plan",
]
__getattr__ = lazy_exports(__name__, PUBLIC)
