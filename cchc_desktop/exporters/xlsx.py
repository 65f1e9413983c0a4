"""Task and document lists as Excel workbooks that import back unchanged.

The columns are the import's own headers; a plan's tasks are grouped under the plan's own
group rows (numbering and title as written; no group rows for tasks outside any group), and
each task's CCHC area is a column of its own. Header styled, widths set, dates as real Excel dates, header row
frozen, an autofilter over the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cchc_desktop.domain import terms
from cchc_desktop.domain.areas import area_label
from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.exporters.xlsx_cells import keep_as_text, save_workbook
from cchc_desktop.importers.cells import DocumentRef
from cchc_desktop.importers.headers import TASK_COLUMNS
from cchc_desktop.services.documents import DocumentInfo, list_documents
from cchc_desktop.services.plans import PlanGroupInfo, groups_by_id, sections
from cchc_desktop.services.task_queries import TaskFilter, TaskRow, list_tasks
from cchc_desktop.store.models import Document, Task

__all__ = [
    "DOCUMENT_HEADERS",
    "TASK_HEADERS",
    "ExportTask",
    "export_documents",
    "export_tasks",
    "write_documents",
    "write_tasks",
]

# (header, width in characters); the headers are the import's own, see importers.headers.
TASK_HEADERS: tuple[tuple[str, int], ...] = (
    *zip((c.label for c in TASK_COLUMNS), (6, 60, 18, 18, 13, 13, 24, 30, 30, 18, 12, 24, 24),
         strict=True),
    (terms.STATUS, 22),
)
DOCUMENT_HEADERS: tuple[tuple[str, int], ...] = (
    ("STT", 6), ("Số ký hiệu", 20), ("Ngày ban hành", 14), ("Loại", 14),
    ("Cơ quan ban hành", 28), ("Trích yếu", 70),
)
_DATE_FORMAT = "dd/mm/yyyy"
_TASK_DATE_COLUMNS = (5, 6, 11)


@dataclass(frozen=True)
class ExportTask:
    """A task row with what the list query leaves out: the document cited and assignment date."""

    row: TaskRow
    document: DocumentRef | None
    assigned_on: date | None

    @property
    def group_id(self) -> int | None:
        """The plan group of the task (None outside any group)."""
        return self.row.group_id


def _styles():  # noqa: ANN202 - openpyxl style objects
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "header_font": Font(name="Times New Roman", bold=True, size=12),
        "header_fill": PatternFill("solid", fgColor="DDEBF7"),
        "header_align": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "font": Font(name="Times New Roman", size=12),
        "bold": Font(name="Times New Roman", size=12, bold=True),
        "title": Font(name="Times New Roman", size=14, bold=True),
        "italic": Font(name="Times New Roman", size=12, italic=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "center": Alignment(horizontal="center", vertical="top", wrap_text=True),
    }


def _sheet_start(ws, title: str, subtitle: str, headers: Sequence[tuple[str, int]], st) -> int:  # noqa: ANN001
    """Title, subtitle, then the header row (row 4); returns the header's row number."""
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(headers))
    ws["A1"], ws["A2"] = title, subtitle
    keep_as_text(ws["A1"])
    keep_as_text(ws["A2"])
    ws["A1"].font, ws["A2"].font = st["title"], st["italic"]
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    header_row = 4
    for col, (label, width) in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=col, value=label)
        cell.font, cell.fill = st["header_font"], st["header_fill"]
        cell.alignment, cell.border = st["header_align"], st["border"]
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[header_row].height = 32
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return header_row


def _finish(wb, ws, header_row: int, last_row: int, columns: int, path: Path) -> None:  # noqa: ANN001
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(last_row, header_row)}"
    save_workbook(wb, path)  # atomically: the previous file stays whole if this fails


def write_tasks(path: str | Path, tasks: Sequence[ExportTask], *, title: str,
                as_of: date, groups: dict[int, PlanGroupInfo] | None = None) -> int:
    """Write ``tasks`` (in plan order) under their plan's groups; returns the number of
    task rows."""
    from openpyxl import Workbook

    path = Path(path)
    st = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    header_row = _sheet_start(ws, title, f"(Tình hình đến ngày {format_date_vn(as_of)})",
                              TASK_HEADERS, st)
    r = header_row
    for group, members in sections(tasks, groups or {}, key="group_id"):
        if group is not None:
            r += 1
            ws.cell(row=r, column=1, value=group.number or None).font = st["bold"]
            ws.cell(row=r, column=2, value=group.title).font = st["bold"]
            for col in range(1, len(TASK_HEADERS) + 1):
                ws.cell(row=r, column=col).border = st["border"]
        for number, item in enumerate(members, start=1):
            t = item.row
            r += 1
            values = (
                number, t.content, t.output, t.timing_text, t.due_date, t.completed_on,
                t.lead_unit, "; ".join(t.supporting_units),
                item.document.label() if item.document else "", t.assigned_by,
                item.assigned_on, t.note, area_label(t.area),
                STATUS_LABELS[StatusClass(t.status)],
            )
            for col, value in enumerate(values, start=1):
                cell = keep_as_text(ws.cell(row=r, column=col, value=value if value != "" else None))
                cell.font, cell.border = st["font"], st["border"]
                cell.alignment = st["center"] if col in (1, *_TASK_DATE_COLUMNS) else st["wrap"]
                if col in _TASK_DATE_COLUMNS:
                    cell.number_format = _DATE_FORMAT
    _finish(wb, ws, header_row, r, len(TASK_HEADERS), path)
    return len(tasks)


def write_documents(path: str | Path, documents: Sequence[DocumentInfo], *, title: str) -> int:
    """Write the document register; returns the number of rows."""
    from openpyxl import Workbook

    path = Path(path)
    st = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "Văn bản"
    header_row = _sheet_start(ws, title, f"(Tổng số {len(documents)} văn bản)",
                              DOCUMENT_HEADERS, st)
    r = header_row
    for number, d in enumerate(documents, start=1):
        r += 1
        values = (number, d.symbol, d.issued_on, d.doc_type, d.issuer, d.summary)
        for col, value in enumerate(values, start=1):
            cell = keep_as_text(ws.cell(row=r, column=col, value=value if value != "" else None))
            cell.font, cell.border = st["font"], st["border"]
            cell.alignment = st["center"] if col in (1, 3) else st["wrap"]
            if col == 3:
                cell.number_format = _DATE_FORMAT
    _finish(wb, ws, header_row, r, len(DOCUMENT_HEADERS), path)
    return len(documents)


# --------------------------------------------------------------------------- use cases


def export_tasks(session: Session, path: str | Path, flt: TaskFilter | None = None, *,
                 as_of: date | None = None, title: str = "DANH SÁCH NHIỆM VỤ") -> int:
    """Export the tasks ``flt`` selects (all by default) to ``path``; returns how many."""
    as_of = as_of or date.today()
    rows = list_tasks(session, as_of, flt, order="plan")
    extra: dict[int, tuple[int | None, date | None]] = {}
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for task_id, doc_id, assigned_on in session.execute(
            select(Task.id, Task.document_id, Task.assigned_on).where(Task.id.in_(chunk))
        ):
            extra[task_id] = (doc_id, assigned_on)
    doc_ids = {d for d, _a in extra.values() if d is not None}
    refs: dict[int, DocumentRef] = {}
    if doc_ids:
        for doc in session.scalars(select(Document)):
            if doc.id in doc_ids:
                refs[doc.id] = DocumentRef(doc.symbol, doc.issued_on, doc.issuer or "")
    tasks = [
        ExportTask(r, refs.get(doc_id) if (doc_id := extra[r.id][0]) else None, extra[r.id][1])
        for r in rows
    ]
    return write_tasks(path, tasks, title=title, as_of=as_of,
                       groups=groups_by_id(session, [r.group_id for r in rows]))


def export_documents(session: Session, path: str | Path, *,
                     title: str = "DANH MỤC VĂN BẢN") -> int:
    """Export every document, in date order, to ``path``; returns how many."""
    return write_documents(path, list_documents(session), title=title)
