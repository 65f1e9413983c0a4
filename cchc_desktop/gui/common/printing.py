""""In…": an exported file sent to the printer through the system, off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from cchc_desktop.gui.common import dialogs


def print_path(parent: QWidget | None, path: Path) -> bool:
    """Print ``path`` (see :func:`cchc_desktop.services.printing.print_file`); True when it
    was handed to the printer, else the reason is shown."""
    from cchc_desktop.gui.common.jobs import run_with_progress
    from cchc_desktop.services.printing import print_file

    outcome = run_with_progress(parent, f"Đang gửi tệp {path.name} tới máy in...",
                                lambda _report, _cancelled: print_file(path), cancellable=False)
    if not outcome.ok:
        if outcome.error:
            dialogs.show_error(parent, outcome.error)
        return False
    dialogs.show_info(parent, f"Đã gửi tệp {path.name} tới máy in.")
    return True
