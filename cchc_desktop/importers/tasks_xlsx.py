"""A task sheet as parsed rows: the plan's own group rows (numbering, title) and task rows.

A group row keeps its numbering and title as written; the CCHC area it belongs to is only
*suggested* from its title (never from its number: a propaganda plan's "II. Nội dung tuyên
truyền" is not area II). Tasks under it carry its index and its suggested area.

Only the sheet is read here; units, documents and existing tasks are matched by
:mod:`cchc_desktop.services.imports`. Each row keeps the sheet's own row number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from cchc_desktop.domain import terms
from cchc_desktop.domain.areas import suggest_area
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

__all__ = ["ParsedGroup", "ParsedTask", "ParsedTaskSheet", "parse_task_sheet"]

# A plan repeats the same few documents, unit lists, timings and dates on every row: each
# distinct text is read once (the functions are pure; a ValueError is not remembered).
_document_ref = lru_cache(maxsize=4096)(parse_document_ref)
_year_out_of_range = lru_cache(maxsize=4096)(year_out_of_range)
_text_date = lru_cache(maxsize=4096)(cell_date)


@lru_cache(maxsize=4096)
def _unit_names(text: str) -> tuple[str, ...]:
    return tuple(split_units(text))


def _cell_date(value: Cell) -> date | None:
    return _text_date(value) if type(value) is str else cell_date(value)


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
    group: int | None = None  # index into ParsedTaskSheet.groups
    area_written: bool = False  # the sheet has a "Lĩnh vực CCHC" column: its value wins
    lead_text: str = ""  # the lead cell as written (it may name several units)
    support_text: str | None = None  # the supporting cell as written


@dataclass
class ParsedGroup:
    """A group row as written: "I" / "1" (may be ""), its title, and the area its title
    suggests (None: no area)."""

    row: int
    number: str
    title: str
    area: int | None


@dataclass
class ParsedTaskSheet:
    """The header found, the plan's groups in order, and the task rows."""

    header: HeaderMap
    tasks: list[ParsedTask]
    group_rows: int
    columns: frozenset[str]
    groups: list[ParsedGroup] = field(default_factory=list)


_ROMAN_TITLE = re.compile(r"^([IVXLC]+)\s*[.):\-]?\s+(\S.*)$", re.DOTALL)
_ARABIC_TITLE = re.compile(r"^(\d{1,2})\s*[.):]\s*(\S.*)$", re.DOTALL)
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_SUB_NUMBER = re.compile(r"^\d{1,2}\.\d{1,2}\.?$")
_GROUP_NUMBER = re.compile(r"^\s*([IVXLC]+|\d{1,2})\s*[.):]?\s*$")


def _group(values: Sequence[Cell], header: HeaderMap, arabic: bool) -> tuple[str, str] | None:
    """(numbering, title) for a group row, None for a task row.

    A group row has at most a number and a title: "I" | "Công tác chỉ đạo ...", one cell
    "VI. Cải cách tài chính công" / "1. Nội dung tuyên truyền" spread over the table from
    the first column. A task row always has more (its lead unit at least). A number "1"
    and a title is a group only when ``arabic`` (tasks are numbered "1.1", "1.2" …);
    otherwise it is a task row that lacks its lead unit.
    """
    filled: list[tuple[int, str]] = []
    for i, v in enumerate(values):
        if v is not None and (text := cell_text(v)):
            filled.append((i, text))
            if len(filled) > 2:  # a task row: no need to read the rest of it
                return None
    texts = [text for _i, text in filled]
    content_col = header.columns["content"]
    if len(filled) == 1:
        text = texts[0]
        if (m := _ROMAN_TITLE.match(text)) and from_roman(m[1]) is not None:
            return m[1], m[2].strip()
        if (m := _ARABIC_TITLE.match(text)) and filled[0][0] != content_col:
            return m[1], m[2].strip()
        return None
    if len(filled) == 2 and filled[1][0] == content_col:
        if (m := _GROUP_NUMBER.match(texts[0])) is None:
            return None
        if (m[1].isdigit() and arabic) or (m[1].isupper() and from_roman(m[1]) is not None):
            return m[1], texts[1]
    return None


_AREA_NUMBER = re.compile(r"^\s*([1-8])\s*[.):\-]?(?!\d)")


def area_from_cell(text: str) -> int | None:
    """A "Lĩnh vực CCHC" cell: "3. Cải cách thủ tục hành chính", "3", a name, or
    "Không thuộc lĩnh vực nào" / empty (None)."""
    if m := _AREA_NUMBER.match(text):
        return int(m[1])
    return suggest_area(text) if text.strip() else None


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
        return _cell_date(values[col])
    except ValueError as exc:
        problems.append(f"{label}: {exc}")
        return None


def _due(values: Sequence[Cell], header: HeaderMap, task: ParsedTask) -> None:
    """Read the "Thời hạn" column; a text such as "Quý IV" there is a timing, not an error."""
    col = header.columns.get("due")
    if col is None or col >= len(values) or values[col] is None:
        return
    try:
        task.due = _cell_date(values[col])
        return
    except YearOutOfRange as exc:  # a date typed with a slip, never a timing text
        task.problems.append(f"{terms.DUE_DATE}: {exc}")
        return
    except ValueError as exc:
        reason = str(exc)
    text = cell_text(values[col])
    if interpret_timing(text, 2000).kind not in (TimingKind.UNKNOWN, TimingKind.EMPTY):
        if not task.timing:
            task.timing = text
            return
        if fold(task.timing) == fold(text):
            return
    task.problems.append(f"{terms.DUE_DATE}: {reason}")


def _task(number: int, values: Sequence[Cell], header: HeaderMap, area: int | None) -> ParsedTask:
    problems: list[str] = []
    content = _text(values, header, "content") or ""
    support_text = _text(values, header, "support")
    lead_text = _text(values, header, "lead") or ""
    task = ParsedTask(
        row=number,
        content=content,
        lead=" ".join(lead_text.split()),
        support=None if support_text is None else list(_unit_names(support_text)),
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
        lead_text=lead_text,
        support_text=support_text,
    )
    area_text = _text(values, header, "area")
    if area_text is not None:
        task.area, task.area_written = area_from_cell(area_text), True
    _due(values, header, task)
    if (year := _year_out_of_range(task.timing)) is not None:
        problems.append(f"Thời gian thực hiện: năm {year} nằm ngoài khoảng 1900–2100")
    if not content:
        problems.append("Nội dung nhiệm vụ để trống.")
    if not task.lead:
        problems.append("Thiếu đơn vị chủ trì.")
    document_text = _text(values, header, "document")
    if document_text:
        try:
            task.document = _document_ref(document_text)
        except ValueError as exc:
            problems.append(f"Văn bản giao: {exc}")
    return task


def parse_task_sheet(data: SheetData) -> ParsedTaskSheet:
    """Find the header (the first row with a "Nội dung" cell) and read every row below it."""
    header = find_header(data.rows, TASK_COLUMNS, "content")
    tasks: list[ParsedTask] = []
    groups: list[ParsedGroup] = []
    stt = header.columns.get("stt")
    arabic = stt is not None and any(
        stt < len(values) and _SUB_NUMBER.match(cell_text(values[stt]))
        for _n, values in data.rows[header.row_index + 1 :]
    )
    for number, values in data.rows[header.row_index + 1 :]:
        if _is_skipped(values, header):
            continue
        found = _group(values, header, arabic)
        if found is not None:
            groups.append(ParsedGroup(number, found[0], found[1], suggest_area(found[1])))
            continue
        task = _task(number, values, header, groups[-1].area if groups else None)
        task.group = len(groups) - 1 if groups else None
        tasks.append(task)
    return ParsedTaskSheet(header, tasks, len(groups), frozenset(header.columns), groups)
