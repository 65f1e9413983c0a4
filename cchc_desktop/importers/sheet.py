"""Reading the first sheet of a workbook (.xlsx, .xls, .ods) into plain rows.

python-calamine reads the values fast and keeps the empty rows above the data, so every
row keeps the number Excel shows for it (1-based). Cells in a legacy font (TCVN3, VNI) are
found with openpyxl, only when the workbook's styles name such a font, and converted.
A value merged down over several rows (a lead unit shared by three tasks) is repeated
on each of those rows.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cchc_desktop.errors import UserError
from cchc_desktop.importers.legacy import LegacyEncoding, detect_encoding, font_encoding, to_unicode

__all__ = ["EXCEL_SUFFIXES", "SheetData", "read_sheet"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_LEGACY_FONT_IN_STYLES = re.compile(rb'<(?:\w+:)?name val="(?:\.vn|vni[- ])', re.IGNORECASE)

Cell = str | date | float | int | bool | None


@dataclass
class SheetData:
    """The cells of one sheet: ``rows`` pairs each sheet row number with its values.

    Text is NFC and stripped ("" becomes None); date cells are ``date``. ``conversions``
    counts the cells converted from each legacy encoding, ``converted_rows`` names the rows.
    """

    path: Path
    sheet_name: str
    rows: list[tuple[int, list[Cell]]]
    conversions: Counter[LegacyEncoding] = field(default_factory=Counter)
    converted_rows: dict[LegacyEncoding, list[int]] = field(default_factory=dict)


def _open_workbook(path: Path) -> Any:
    import python_calamine

    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp: {path}")
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise UserError(
            f"Tệp {path.name} không phải bảng tính Excel: hãy chọn tệp .xlsx, .xls hoặc .ods."
        )
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several kinds for a damaged or foreign file
        raise UserError(
            f"Không đọc được tệp {path.name}: tệp không phải bảng tính Excel hoặc đã bị hỏng."
        ) from exc


def _legacy_fonts(path: Path, index: int) -> dict[tuple[int, int], tuple[LegacyEncoding, bool]]:
    """(row, column) → (encoding, capitals only) for cells in a legacy font; 1-based."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            styles = archive.read("xl/styles.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    if not _LEGACY_FONT_IN_STYLES.search(styles):
        return {}
    import openpyxl

    found: dict[tuple[int, int], tuple[LegacyEncoding, bool]] = {}
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[index]
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(getattr(cell, "value", None), str):
                    continue
                legacy = font_encoding(cell.font.name if cell.font else None)
                if legacy is not None:
                    found[cell.row, cell.column] = legacy
    finally:
        workbook.close()
    return found


def _fill_merged_down(grid: list[list[Any]], merged: list[Any] | None) -> None:
    for (top, left), (bottom, _right) in merged or ():
        if bottom <= top or top >= len(grid):
            continue
        value = grid[top][left] if left < len(grid[top]) else None
        for r in range(top + 1, min(bottom, len(grid) - 1) + 1):
            row = grid[r]
            if left >= len(row):
                row.extend([None] * (left + 1 - len(row)))
            if row[left] is None:
                row[left] = value


def read_sheet(path: str | Path) -> SheetData:
    """Read the first non-empty sheet of ``path``.

    Raises :class:`UserError` with a Vietnamese message for a missing file, a file that is
    not a workbook, and a workbook whose sheets are all empty.
    """
    path = Path(path)
    workbook = _open_workbook(path)
    chosen = None
    for index, name in enumerate(workbook.sheet_names):
        try:
            sheet = workbook.get_sheet_by_index(index)
            grid = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise UserError(f"Không đọc được trang '{name}' của tệp {path.name}.") from exc
        if any(v not in ("", None) for row in grid for v in row):
            chosen = (index, name, grid, getattr(sheet, "merged_cell_ranges", None))
            break
    if chosen is None:
        raise UserError(f"Bảng tính {path.name} trống: không có dòng dữ liệu nào.")
    index, name, grid, merged = chosen
    fonts = _legacy_fonts(path, index)
    data = SheetData(path=path, sheet_name=name, rows=[])
    for r, raw in enumerate(grid, start=1):
        values: list[Cell] = []
        for c, value in enumerate(raw, start=1):
            if isinstance(value, str):
                values.append(_text_cell(value, fonts.get((r, c)), r, data))
            elif isinstance(value, datetime):
                values.append(value.date())
            elif value == "":
                values.append(None)
            else:
                values.append(value)
        data.rows.append((r, values))
    _fill_merged_down([values for _r, values in data.rows], merged)
    return data


def _text_cell(
    value: str, font: tuple[LegacyEncoding, bool] | None, row: int, data: SheetData
) -> str | None:
    text = value.strip()
    if not text:
        return None
    if not text.isascii():
        encoding, upper = font if font else (detect_encoding(text), False)
        if encoding is not None:
            converted = to_unicode(text, encoding, upper=upper)
            if converted != text:
                data.conversions[encoding] += 1
                rows = data.converted_rows.setdefault(encoding, [])
                if not rows or rows[-1] != row:
                    rows.append(row)
            text = converted
    return unicodedata.normalize("NFC", text)
