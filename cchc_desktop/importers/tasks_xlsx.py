"""A task sheet as parsed rows: group rows set the CCHC area, task rows carry their cells.

Only the sheet is read here; units, documents and existing tasks are matched by
:mod:`cchc_desktop.services.imports`. Each row keeps the sheet's own row number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from cchc_desktop.domain.areas import UNCLASSIFIED, area_from_text
from cchc_desktop.domain.text import fold, from_roman
from cchc_desktop.domain.timing import TimingKind, interpret_timing
from cchc_desktop.importers.cells import (
    DocumentRef,
    YearOutOfRange,
    cell_date,
    cell_text,
    parse_document_ref,
    split_units,
    year_out_of_range,
)
from cchc_desktop.importers.headers import TASK_COLUMNS, HeaderMap, find_header, header_key
from cchc_desktop.importers.sheet import Cell, SheetData

__all__ = ["ParsedTask", "ParsedTaskSheet", "group_area", "parse_task_sheet"]


@dataclass
class ParsedTask:
    """One task row. A field is None when its column is absent from the sheet."""

    row: int
    content: str
    lead: str
    support: list[str] | None
    output: str | None
    timing: str | None
    due: date | None
    completed: date | None
    document: DocumentRef | None
    assigned_by: str | None
    assigned_on: date | None
    note: str | None
    area: int | None
    problems: list[str] = field(default_factory=list)


@dataclass
class ParsedTaskSheet:
    """The header found, the task rows, and whether group rows set areas."""

    header: HeaderMap
    tasks: list[ParsedTask]
    group_rows: int
    columns: frozenset[str]


_ROMAN_TITLE = re.compile(r"^([IVXLC]+)\s*[.):\-]?\s+(\S.*)$", re.DOTALL)
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


def group_area(title: str, roman: int | None) -> int | None:
    """The area a group row sets: named in its title, else its roman number when 1..8."""
    if fold(title) == fold(UNCLASSIFIED):
        return None
    area = area_from_text(title)
    if area is None and roman is not None and 1 <= roman <= 8:
        area = roman
    return area


def _group(values: Sequence[Cell], header: HeaderMap) -> tuple[bool, int | None]:
    """(is a group row, its area) for a row with at most a number and a title."""
    filled = [(i, v) for i, v in enumerate(values) if v is not None]
    texts = [cell_text(v) for _i, v in filled]
    content_col = header.columns["content"]
    if len(filled) == 1:
        text = texts[0]
        if m := _ROMAN_TITLE.match(text):
            if (roman := from_roman(m[1])) is not None:
                return True, group_area(m[2], roman)
        if filled[0][0] == content_col and fold(text) == fold(UNCLASSIFIED):
            return True, None
        return False, None
    if len(filled) == 2 and filled[1][0] == content_col:
        roman = from_roman(texts[0]) if texts[0].isupper() else None
        if roman is not None:
            return True, group_area(texts[1], roman)
    return False, None


def _is_skipped(values: Sequence[Cell], header: HeaderMap) -> bool:
    filled = [v for v in values if v is not None]
    if not filled:
        return True
    content = values[header.columns["content"]] if header.columns["content"] < len(values) else None
    if header_key(content) == "noi dung":  # the header repeated after a page break
        return True
    # The "(1) (2) (3)" row many tables carry under the header.
    return content is not None and all(_NUMBERING.match(cell_text(v)) for v in filled)


def _text(values: Sequence[Cell], header: HeaderMap, key: str) -> str | None:
    col = header.columns.get(key)
    if col is None:
        return None
    return cell_text(values[col]) if col < len(values) else ""


def _date(values: Sequence[Cell], header: HeaderMap, key: str, label: str,
          problems: list[str]) -> date | None:
    col = header.columns.get(key)
    if col is None or col >= len(values):
        return None
    try:
        return cell_date(values[col])
    except ValueError as exc:
        problems.append(f"{label}: {exc}")
        return None


def _due(values: Sequence[Cell], header: HeaderMap, task: ParsedTask) -> None:
    """Read "Hạn hoàn thành"; a text such as "Quý IV" there is a timing, not an error."""
    col = header.columns.get("due")
    if col is None or col >= len(values) or values[col] is None:
        return
    try:
        task.due = cell_date(values[col])
        return
    except YearOutOfRange as exc:  # a date typed with a slip, never a timing text
        task.problems.append(f"Hạn hoàn thành: {exc}")
        return
    except ValueError as exc:
        reason = str(exc)
    text = cell_text(values[col])
    if interpret_timing(text, 2000).kind in (TimingKind.DATE, TimingKind.ONGOING, TimingKind.EVENT):
        if not task.timing:
            task.timing = text
            return
        if fold(task.timing) == fold(text):
            return
    task.problems.append(f"Hạn hoàn thành: {reason}")


def _task(number: int, values: Sequence[Cell], header: HeaderMap, area: int | None) -> ParsedTask:
    problems: list[str] = []
    content = _text(values, header, "content") or ""
    support_text = _text(values, header, "support")
    task = ParsedTask(
        row=number,
        content=content,
        lead=" ".join((_text(values, header, "lead") or "").split()),
        support=None if support_text is None else split_units(support_text),
        output=_text(values, header, "output"),
        timing=_text(values, header, "timing"),
        due=None,
        completed=_date(values, header, "completed", "Ngày hoàn thành", problems),
        document=None,
        assigned_by=_text(values, header, "assigned_by"),
        assigned_on=_date(values, header, "assigned_on", "Ngày giao", problems),
        note=_text(values, header, "note"),
        area=area,
        problems=problems,
    )
    _due(values, header, task)
    if (year := year_out_of_range(task.timing)) is not None:
        problems.append(f"Thời gian thực hiện: năm {year} nằm ngoài khoảng 1900–2100")
    if not content:
        problems.append("Nội dung nhiệm vụ để trống.")
    if not task.lead:
        problems.append("Thiếu cơ quan chủ trì.")
    document_text = _text(values, header, "document")
    if document_text:
        try:
            task.document = parse_document_ref(document_text)
        except ValueError as exc:
            problems.append(f"Văn bản giao: {exc}")
    return task


def parse_task_sheet(data: SheetData) -> ParsedTaskSheet:
    """Find the header (the first row with a "Nội dung" cell) and read every row below it."""
    header = find_header(data.rows, TASK_COLUMNS, "content")
    tasks: list[ParsedTask] = []
    area: int | None = None
    groups = 0
    for number, values in data.rows[header.row_index + 1 :]:
        if _is_skipped(values, header):
            continue
        is_group, group_value = _group(values, header)
        if is_group:
            area, groups = group_value, groups + 1
            continue
        tasks.append(_task(number, values, header, area))
    return ParsedTaskSheet(header, tasks, groups, frozenset(header.columns))
