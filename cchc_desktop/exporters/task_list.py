"""The Nhiệm vụ list as the tab shows it, for reading and printing: .xlsx and .docx.

Unlike :mod:`cchc_desktop.exporters.xlsx` (a workbook that imports back), this is the list a
secretary filtered on screen, with the tab's columns and the glossary's headers
(:mod:`cchc_desktop.domain.terms`), on landscape A4. The .docx has the national header of
Nghị định 30 like the other documents. ``by_unit`` splits the list per lead unit: one sheet
per unit in the workbook, one numbered part per unit in the document.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from cchc_desktop.domain import terms
from cchc_desktop.domain.areas import REFORM_AREAS, UNCLASSIFIED
from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_date_doc, format_date_vn, to_roman, vi_sort_key
from cchc_desktop.services.task_queries import TaskFilter, TaskRow, list_tasks

__all__ = [
    "LIST_COLUMNS",
    "NO_LEAD_UNIT",
    "TaskList",
    "build_task_list",
    "cell_values",
    "describe_filter",
    "export_task_list",
    "write_task_list_docx",
    "write_task_list_xlsx",
]

NO_LEAD_UNIT = "Chưa giao đơn vị chủ trì"
_DATE_HEADERS = (terms.DUE_DATE, terms.COMPLETED_ON)
_AREA_SHORT = {a.code: f"{a.code}. {a.short}" for a in REFORM_AREAS}


@dataclass(frozen=True)
class ListColumn:
    """A column of the list: header, width in the workbook (characters) and the document (cm)."""

    header: str
    xlsx_width: int
    docx_cm: float
    align: str = "left"


# The tab's columns, in its order, after a running number. 25.2 cm fit landscape A4's text.
LIST_COLUMNS: tuple[ListColumn, ...] = (
    ListColumn(terms.NUMBER, 6, 1.1, "center"),
    ListColumn(terms.TASK_CONTENT, 55, 4.8),
    ListColumn(terms.LEAD_UNIT, 24, 2.8),
    ListColumn(terms.SUPPORTING_UNITS, 26, 2.8),
    ListColumn(terms.TIMING, 18, 2.4),
    ListColumn(terms.DUE_DATE, 12, 2.5, "center"),
    ListColumn(terms.COMPLETED_ON, 13, 2.5, "center"),
    ListColumn(terms.STATUS, 24, 2.4),
    ListColumn(terms.ASSIGNED_BY, 18, 2.0),
    ListColumn(terms.AREA, 18, 1.9),
)


@dataclass(frozen=True)
class TaskList:
    """What a list export writes: its parts (a title, None for a single part, and its rows)."""

    as_of: date
    filter_text: str
    parts: list[tuple[str | None, list[TaskRow]]]

    @property
    def count(self) -> int:
        """How many tasks the list holds."""
        return sum(len(rows) for _title, rows in self.parts)


def cell_values(number: int, row: TaskRow, day: Callable[[date], object]) -> list[object]:
    """One row's cells in :data:`LIST_COLUMNS` order; ``day`` turns a date into a cell value."""
    return [
        number, row.content, row.lead_unit, "; ".join(row.supporting_units), row.timing_text,
        day(row.due_date) if row.due_date else "", day(row.completed_on) if row.completed_on
        else "", STATUS_LABELS[StatusClass(row.status)], row.assigned_by,
        _AREA_SHORT.get(row.area, UNCLASSIFIED) if row.area is not None else UNCLASSIFIED,
    ]


def describe_filter(session: Session, flt: TaskFilter) -> str:
    """The filter in words for the list's subtitle ("" when nothing is filtered)."""
    from cchc_desktop.store.models import Plan, Unit

    parts: list[str] = []
    if flt.unit_id is not None or flt.unit:
        unit = session.get(Unit, flt.unit_id) if flt.unit_id is not None else None
        name = flt.unit or (unit.name if unit else "")
        parts.append(f"đơn vị {name}" + (" (chủ trì hoặc phối hợp)" if flt.include_supporting
                                         else " chủ trì"))
    if flt.statuses:
        order = list(StatusClass)
        chosen = sorted(flt.statuses, key=order.index)
        parts.append("tình trạng " + ", ".join(STATUS_LABELS[s].lower() for s in chosen))
    if flt.overdue:
        parts.append("quá hạn")
    if flt.due_within is not None:
        parts.append(f"đến hạn trong {flt.due_within} ngày")
    if flt.assigned_by:
        parts.append(f"cơ quan giao {flt.assigned_by}")
    if flt.area is not None:
        parts.append(f"lĩnh vực {_AREA_SHORT.get(flt.area, UNCLASSIFIED.lower())}")
    if flt.year is not None:
        parts.append(f"năm {flt.year}")
    if flt.plan_id is not None:
        plan = session.get(Plan, flt.plan_id)
        parts.append(f"kế hoạch {(plan.number or plan.title) if plan else flt.plan_id}")
    if flt.search:
        parts.append(f"có từ “{flt.search.strip()}”")
    return "; ".join(parts)


def build_task_list(session: Session, flt: TaskFilter, as_of: date, *,
                    by_unit: bool = False) -> TaskList:
    """The tasks ``flt`` selects on ``as_of`` (due date order), in one part or one per lead
    unit (the units in Vietnamese order, tasks without a lead unit last)."""
    rows = list_tasks(session, as_of, flt)
    text = describe_filter(session, flt)
    if not by_unit:
        return TaskList(as_of, text, [(None, rows)])
    units: dict[str, list[TaskRow]] = {}
    for row in rows:
        units.setdefault(row.lead_unit, []).append(row)
    names = sorted((n for n in units if n), key=vi_sort_key)
    parts: list[tuple[str | None, list[TaskRow]]] = [(n, units[n]) for n in names]
    if "" in units:
        parts.append((NO_LEAD_UNIT, units[""]))
    return TaskList(as_of, text, parts)


def _subtitle(tasks: TaskList) -> str:
    head = f"(Tình hình đến ngày {format_date_vn(tasks.as_of)}; {tasks.count} nhiệm vụ"
    return head + (f"; lọc theo: {tasks.filter_text})" if tasks.filter_text else ")")


def _sheet_title(name: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip() or "Đơn vị"
    base = clean[:31]
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def write_task_list_xlsx(path: str | Path, tasks: TaskList, *,
                         title: str = "DANH SÁCH NHIỆM VỤ") -> int:
    """Write the list as a workbook (a sheet per part); returns the number of tasks."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from cchc_desktop.exporters.xlsx_cells import keep_as_text, save_workbook

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font, bold = Font(name="Times New Roman", size=12), Font(name="Times New Roman", size=12,
                                                             bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    center = Alignment(horizontal="center", vertical="top", wrap_text=True)
    last = get_column_letter(len(LIST_COLUMNS))
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for part_title, rows in tasks.parts:
        ws = book.create_sheet(_sheet_title(part_title or "Nhiệm vụ", used))
        heading = title if part_title is None else f"{title} — {part_title.upper()}"
        for cell_ref, text in (("A1", heading), ("A2", _subtitle(tasks))):
            ws[cell_ref] = text
            keep_as_text(ws[cell_ref])
        ws["A1"].font = Font(name="Times New Roman", size=14, bold=True)
        ws["A2"].font = Font(name="Times New Roman", size=12, italic=True)
        ws.merge_cells(f"A1:{last}1")
        ws.merge_cells(f"A2:{last}2")
        for col, column in enumerate(LIST_COLUMNS, start=1):
            cell = ws.cell(row=4, column=col, value=column.header)
            cell.font, cell.border = bold, border
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(col)].width = column.xlsx_width
        # Styling a cell through openpyxl's descriptors hashes every style object (70% of the
        # time for thousands of rows): each column's first cell is styled, the rest copy it.
        styles: list[object] = []
        for r, row in enumerate(rows, start=5):
            for col, value in enumerate(cell_values(r - 4, row, lambda d: d), start=1):
                cell = ws.cell(row=r, column=col, value=value if value != "" else None)
                if styles:
                    cell._style = copy(styles[col - 1])
                else:
                    cell.font, cell.border = font, border
                    cell.alignment = center if LIST_COLUMNS[col - 1].align == "center" else wrap
                    if LIST_COLUMNS[col - 1].header in _DATE_HEADERS:
                        cell.number_format = "dd/mm/yyyy"
            if not styles:  # before keep_as_text: its quote prefix is this cell's own
                styles = [copy(c._style) for c in ws[r]]
            for cell in ws[r]:
                keep_as_text(cell)
        ws.freeze_panes = "A5"
        ws.print_title_rows = "4:4"
        ws.auto_filter.ref = f"A4:{last}{max(4 + len(rows), 4)}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    save_workbook(book, path)
    return tasks.count


def write_task_list_docx(path: str | Path, tasks: TaskList, profile: object, *,
                         title: str = "Danh sách nhiệm vụ") -> int:
    """Write the list as a landscape A4 document in the frame of Nghị định 30 (national header,
    title, the table; a numbered part per unit); returns the number of tasks."""
    from cchc_desktop.domain.text import place_date_line
    from cchc_desktop.exporters.doc_parts import Column, Heading
    from cchc_desktop.exporters.docx_base import DocWriter
    from cchc_desktop.services.profile import AgencyProfile

    assert isinstance(profile, AgencyProfile)
    w = DocWriter(landscape=True)
    w.national_header(Heading(parent=profile.parent, agency=profile.agency, number_line="",
                              date_line=place_date_line(profile.place, tasks.as_of)))
    summary = f"Tình hình thực hiện đến ngày {format_date_doc(tasks.as_of)}"
    w.title(title, summary)
    lead = f"Tổng số: {tasks.count} nhiệm vụ"
    w.lead_in(lead + (f" (lọc theo: {tasks.filter_text})." if tasks.filter_text else "."))
    columns = [Column(c.header, c.docx_cm, c.align) for c in LIST_COLUMNS]
    for number, (part_title, rows) in enumerate(tasks.parts, start=1):
        if part_title is not None:
            w.heading2(f"{to_roman(number)}. {part_title} ({len(rows)} nhiệm vụ)")
        w.table(columns, [[str(v) for v in cell_values(i, row, format_date_vn)]
                          for i, row in enumerate(rows, start=1)])
    w.save(path)
    return tasks.count


def export_task_list(session: Session, path: str | Path, flt: TaskFilter, *, as_of: date,
                     fmt: str, by_unit: bool = False) -> int:
    """Write the tasks ``flt`` selects on ``as_of`` to ``path`` as "xlsx" or "docx" (a part
    per lead unit when ``by_unit``); returns how many tasks. The .docx needs the agency
    profile (UserError saying where to set it when it was never saved)."""
    tasks = build_task_list(session, flt, as_of, by_unit=by_unit)
    if fmt == "docx":
        from cchc_desktop.exporters.report_docx import document_profile

        return write_task_list_docx(path, tasks, document_profile(session))
    if fmt == "xlsx":
        return write_task_list_xlsx(path, tasks)
    raise ValueError(f"unknown list format: {fmt}")
