"""A table copied in Word, Excel or LibreOffice and pasted into the application, as sheet rows.

The secretariat's plans live in Word: copying the task table of the plan and pasting it is
faster than saving it as a workbook first. The clipboard holds the table as HTML (Word,
Excel, LibreOffice) and as tab-separated text (Excel, LibreOffice); either becomes the same
:class:`~cchc_desktop.importers.sheet.SheetData` a workbook gives, so the task importer reads
it with the same rules: header anywhere, group rows, merged cells repeated down, dates, old
TCVN3/VNI text converted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from cchc_desktop.errors import UserError
from cchc_desktop.importers.sheet import Cell, SheetData, text_cell

__all__ = [
    "NO_TABLE_MESSAGE",
    "PASTED_NAME",
    "pasted_sheet",
    "sheet_from_grid",
    "sheet_from_html",
    "sheet_from_text",
]

PASTED_NAME = "bảng đã dán"
NO_TABLE_MESSAGE = (
    "Bộ nhớ tạm không có bảng nào. Hãy bôi đen bảng nhiệm vụ trong Word hoặc Excel (cả dòng "
    "tiêu đề), bấm Ctrl+C rồi dán lại."
)
_BREAKS = {"br", "p", "div", "li", "tr"}
_SKIPPED = {"style", "script", "head", "title", "xml"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
MAX_COLUMNS = 200  # a task table has about a dozen; spans beyond this are cut
MAX_CELLS = 500_000
TOO_BIG_MESSAGE = "Bảng đã dán quá lớn (hơn 500.000 ô). Hãy dán từng phần của bảng."


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


class _TableParser(HTMLParser):
    """Collects every table's rows and cells; a table inside a cell is a table of its own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self._open: list[_Table] = []
        self._cell: list[_Cell | None] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "table":
            self._open.append(_Table())
            self._cell.append(None)
        elif not self._open:
            return
        elif tag == "tr":
            self._open[-1].rows.append([])
        elif tag in ("td", "th"):
            table = self._open[-1]
            if not table.rows:
                table.rows.append([])
            named = dict(attrs)
            cell = _Cell(rowspan=_span(named.get("rowspan")), colspan=_span(named.get("colspan")))
            table.rows[-1].append(cell)
            self._cell[-1] = cell
        elif tag in _BREAKS and self._cell and self._cell[-1] is not None:
            self._cell[-1].text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())
            self._cell.pop()
        elif tag in ("td", "th") and self._cell:
            self._cell[-1] = None
        elif tag in ("p", "div", "li") and self._cell and self._cell[-1] is not None:
            self._cell[-1].text.append("\n")

    def close(self) -> None:
        super().close()
        while self._open:  # a fragment cut before its </table> still holds a table
            self.tables.append(self._open.pop())
            self._cell.pop()

    def handle_data(self, data: str) -> None:
        if self._skipping or not self._cell or self._cell[-1] is None:
            return
        self._cell[-1].text.append(data)


def _cell_text(cell: _Cell) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(cell.text).split("\n"))
    return "\n".join(line for line in lines if line)


def _grid(table: _Table) -> list[list[str | None]]:
    """Rows of text with row and column spans laid out: a value merged down is repeated on
    each row it covers (as for a workbook); a value spread across columns stands in the first."""
    grid: list[list[str | None]] = []
    carried: dict[int, tuple[int, str | None]] = {}  # column -> (rows still covered, value)
    cells_made = 0
    for cells in table.rows:
        row: list[str | None] = []
        queue = list(cells)
        while queue or any(column >= len(row) for column in carried):
            column = len(row)
            if column in carried:  # covered by a cell above that spans rows
                left, value = carried.pop(column)
                if left > 1:
                    carried[column] = (left - 1, value)
                row.append(value)
            elif not queue:  # a gap before a covered column further right
                row.append(None)
            else:
                cell = queue.pop(0)
                text = _cell_text(cell) or None
                for offset in range(min(cell.colspan, MAX_COLUMNS - len(row))):
                    value = text if offset == 0 else None
                    if cell.rowspan > 1:
                        carried[len(row)] = (cell.rowspan - 1, value)
                    row.append(value)
        cells_made += len(row)
        if cells_made > MAX_CELLS:
            raise UserError(TOO_BIG_MESSAGE)
        grid.append(row)
    return grid


def _sheet(grid: Sequence[Sequence[str | None]]) -> SheetData:
    return sheet_from_grid(grid, Path(PASTED_NAME), PASTED_NAME)


def sheet_from_grid(grid: Sequence[Sequence[str | None]], path: Path, name: str) -> SheetData:
    """Rows of cell texts (None for empty) as a sheet; empty rows are left out and the
    others numbered from 1, TCVN3/VNI text converted as for a workbook."""
    data = SheetData(path=path, sheet_name=name, rows=[])
    number = 0
    for raw in grid:
        if not any(raw):
            continue
        number += 1
        values: list[Cell] = [text_cell(v, None, number, data) if v else None for v in raw]
        data.rows.append((number, values))
    return data


def sheet_from_html(html: str) -> SheetData | None:
    """The largest table of an HTML fragment, or None when it holds no table with data."""
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    tables = [t for t in parser.tables if any(t.rows)]
    if not tables:
        return None
    best = max(tables, key=lambda t: (len(t.rows), -parser.tables.index(t)))
    data = _sheet(_grid(best))
    return data if data.rows else None


def sheet_from_text(text: str) -> SheetData | None:
    """Tab-separated rows (Excel quotes a cell holding line breaks), or None without tabs."""
    if "\t" not in text:
        return None
    text = text.replace("\r\n", "\n")
    rows: list[list[str]] = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'))
    if any("\t" in cell for row in rows for cell in row):
        # A stray quote (not Excel's own quoting) swallowed cells: take the lines as they are.
        rows = [line.split("\t") for line in text.split("\n")]
    data = _sheet(rows)
    return data if data.rows else None


def pasted_sheet(html: str | None, text: str | None) -> SheetData:
    """The pasted table: from its HTML when there is one (spans known), else from its text.

    Raises :class:`UserError` (in Vietnamese) when the clipboard holds no table.
    """
    data = sheet_from_html(html) if html else None
    if data is None and text:
        data = sheet_from_text(text)
    if data is None:
        raise UserError(NO_TABLE_MESSAGE)
    return data
