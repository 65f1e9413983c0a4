"""The Nhiệm vụ tab's "Xuất / In" button: the list as filtered on screen, to a
workbook or a document (all together or one part per lead unit), or straight to the printer.

The tab hands over its filter as a :class:`~cchc_desktop.services.task_queries.TaskFilter`
(``filter_of``, called when an action is chosen), so the rows written are the rows the
filter selects in the database; the writing is :mod:`cchc_desktop.exporters.task_list`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from cchc_desktop.domain.text import format_number_vi
from cchc_desktop.errors import check_cancelled
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.jobs import Report, run_with_progress

if TYPE_CHECKING:
    from cchc_desktop.services.task_queries import TaskFilter

FILTERS = {"xlsx": "Bảng tính Excel (*.xlsx)", "docx": "Tài liệu Word (*.docx)"}

# (object name, text, status tip, format, one part per lead unit); "In danh sách…" follows.
ACTIONS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("exportListXlsx", "Xuất danh sách đang lọc ra Excel…",
     "Ghi các nhiệm vụ đang hiển thị (theo bộ lọc) ra bảng tính Excel", "xlsx", False),
    ("exportListDocx", "Xuất danh sách đang lọc ra Word…",
     "Ghi các nhiệm vụ đang hiển thị ra văn bản Word khổ A4 ngang để in", "docx", False),
    ("exportUnitsXlsx", "Xuất theo từng đơn vị chủ trì (Excel)…",
     "Mỗi đơn vị chủ trì một trang tính, chỉ các nhiệm vụ đang hiển thị", "xlsx", True),
    ("exportUnitsDocx", "Xuất theo từng đơn vị chủ trì (Word)…",
     "Mỗi đơn vị chủ trì một phần của văn bản, chỉ các nhiệm vụ đang hiển thị", "docx", True),
)


def default_name(fmt: str, by_unit: bool, when: datetime) -> str:
    """"danh_sach_nhiem_vu_04-12-2026_1530.docx": the date and time keep one export from
    overwriting the last."""
    stem = "danh_sach_nhiem_vu_theo_don_vi" if by_unit else "danh_sach_nhiem_vu"
    return f"{stem}_{when:%d-%m-%Y_%H%M}.{fmt}"


def _write(parent: QWidget | None, ctx: GuiContext, flt: TaskFilter, path: Path, fmt: str,
           by_unit: bool) -> int | None:
    """Write the list in a job; the number of tasks, None when it failed (said) or stopped."""
    today = ctx.today()

    def work(_report: Report, cancelled: Callable[[], bool]) -> int:
        from cchc_desktop.exporters.task_list import export_task_list
        from cchc_desktop.store.file_errors import written_atomically

        # Written beside the target first: "Hủy" before it is put in place leaves no file.
        with written_atomically(path) as draft, ctx.db.session() as session:
            count = export_task_list(session, draft, flt, as_of=today, fmt=fmt, by_unit=by_unit)
            check_cancelled(cancelled)
        return count

    outcome = run_with_progress(parent, "Đang xuất danh sách nhiệm vụ...", work)
    if outcome.was_cancelled:
        return None
    if not outcome.ok:
        if outcome.error:
            dialogs.show_error(parent, outcome.error)
        return None
    return int(outcome.result)


def export_list(parent: QWidget | None, ctx: GuiContext, flt: TaskFilter, fmt: str,
                by_unit: bool = False) -> Path | None:
    """Ask where, write the filtered list there and offer to open or print it; the path
    written, None when cancelled or failed."""
    path = dialogs.save_file(parent, "Xuất danh sách nhiệm vụ", FILTERS[fmt],
                             start=default_name(fmt, by_unit, datetime.now()), suffix=fmt)
    if path is None:
        return None
    if path.suffix.lower() != f".{fmt}":
        path = path.with_suffix(f".{fmt}")
    count = _write(parent, ctx, flt, path, fmt, by_unit)
    if count is None:
        return None
    ctx.show_message(f"Đã xuất {format_number_vi(count)} nhiệm vụ ra tệp {path.name}.")
    dialogs.offer_open(parent, path,
                       f"Đã xuất {format_number_vi(count)} nhiệm vụ ra tệp:\n{path}")
    return path


def print_list(parent: QWidget | None, ctx: GuiContext, flt: TaskFilter) -> bool:
    """Write the filtered list as a Word document in the temporary folder and print it."""
    folder = Path(tempfile.gettempdir()) / "cchc-in"
    folder.mkdir(exist_ok=True)
    path = folder / default_name("docx", False, datetime.now())
    if _write(parent, ctx, flt, path, "docx", False) is None:
        return False
    return dialogs.print_path(parent, path)


def list_button(parent: QWidget, ctx: GuiContext,
                filter_of: Callable[[], TaskFilter]) -> QPushButton:
    """"Xuất / In" with its menu; every action asks ``filter_of()`` when chosen."""
    button = QPushButton("Xuất / In")  # short: the row of buttons must fit 1366 px
    button.setObjectName("taskListButton")
    button.setToolTip("Xuất hoặc in danh sách nhiệm vụ đang hiển thị (theo bộ lọc)")
    menu = QMenu(button)
    for name, text, tip, fmt, by_unit in ACTIONS:
        action = QAction(text, menu)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(
            lambda _checked=False, f=fmt, u=by_unit: export_list(parent, ctx, filter_of(), f, u))
        menu.addAction(action)
    menu.addSeparator()
    action = QAction("In danh sách…", menu)
    action.setObjectName("printList")
    tip = "In các nhiệm vụ đang hiển thị ra máy in mặc định (khổ A4 ngang)"
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: print_list(parent, ctx, filter_of()))
    menu.addAction(action)
    menu.setToolTipsVisible(True)
    button.setMenu(menu)
    return button
