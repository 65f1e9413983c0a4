"""Reading the first sheet of a workbook (.xlsx, .xls, .ods) into plain rows.

python-calamine reads the values fast and keeps the empty rows above the data, so every
row keeps the number Excel shows for it (1-based). The format is taken from the file's
content, not its name: an .xlsx renamed .xls is read as what it is. Cells in a legacy font
(TCVN3, VNI) are found with openpyxl in an .xlsx, in ``content.xml`` in an .ods and in the
BIFF records of an .xls, only when the workbook names such a font, and converted; other
cells are recognised by their characters alone (:func:`detect_encoding`). A value merged down
over several rows (a lead unit shared by three tasks) is repeated on each of those rows.
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
from cchc_desktop.importers.extent import SheetGuard, check_extent
from cchc_desktop.importers.legacy import LegacyEncoding, detect_encoding, font_encoding, to_unicode
from cchc_desktop.importers.ods import read_ods_layout
from cchc_desktop.importers.xls_fonts import xls_legacy_fonts

__all__ = ["EXCEL_SUFFIXES", "SheetData", "read_sheet", "text_cell"]

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


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls (Excel 97-2003)
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _not_a_workbook(path: Path) -> UserError:
    return UserError(
        f"Không đọc được tệp {path.name}: tệp không phải bảng tính Excel hoặc đã bị hỏng."
    )


def _file_kind(path: Path) -> str:
    """The workbook format ("xls", "ods" or "xlsx") from the content, whatever the name says.

    Offices rename files freely (an .xlsx saved as "bao_cao.xls" opens in Excel), and web
    systems export HTML tables named .xls; those get a message saying what to do.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(2048)
    except OSError as exc:
        raise UserError(f"Không mở được tệp {path.name}: {exc.strerror or exc}.") from exc
    if head.startswith(_OLE2):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if ("mimetype" in names and archive.getinfo("mimetype").file_size < 1024
                        and archive.read("mimetype").startswith(_ODS_MIMETYPE)):
                    return "ods"
        except Exception:  # a damaged archive fails in many ways (zlib, EOF, bad names...)
            raise _not_a_workbook(path) from None
        if names & {"xl/workbook.xml", "xl/workbook.bin"}:
            return "xlsx"
        raise _not_a_workbook(path)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<") and (b"<html" in text or b"<table" in text or b"spreadsheet" in text):
        raise UserError(
            f"Tệp {path.name} là trang web (HTML) hoặc bảng tính XML chỉ mang tên {path.suffix}: "
            "hãy mở tệp bằng Excel, chọn File → Save As và lưu dạng .xlsx rồi nhập lại."
        )
    raise _not_a_workbook(path)


def _is_reader_failure(exc: BaseException) -> bool:
    """calamine's errors, and the Rust panics a damaged .xls can cause (pyo3's
    PanicException derives from BaseException, so ``except Exception`` misses it)."""
    if isinstance(exc, Exception):
        return True
    return type(exc).__name__ == "PanicException"


def _open_workbook(path: Path) -> tuple[Any, str, SheetGuard]:
    import python_calamine

    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp: {path}")
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise UserError(
            f"Tệp {path.name} không phải bảng tính Excel: hãy chọn tệp .xlsx, .xls hoặc .ods."
        )
    kind = _file_kind(path)
    # Before calamine sees the file: it reads every .xls/.ods sheet as it opens the workbook.
    guard = SheetGuard(path, kind)
    try:
        # From the content, not the name: from_path picks the reader by the suffix.
        with path.open("rb") as stream:
            return python_calamine.CalamineWorkbook.from_filelike(stream), kind, guard
    except BaseException as exc:
        if not _is_reader_failure(exc):
            raise
        raise _not_a_workbook(path) from exc


def _legacy_fonts(path: Path, index: int) -> dict[tuple[int, int], tuple[LegacyEncoding, bool]]:
    """(row, column) → (encoding, capitals only) for cells in a legacy font; 1-based.

    For an .xlsx (by content) only; .ods fonts come with :func:`read_ods_layout`.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            styles = archive.read("xl/styles.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    if not _LEGACY_FONT_IN_STYLES.search(styles):
        return {}
    import openpyxl

    found: dict[tuple[int, int], tuple[LegacyEncoding, bool]] = {}
    with path.open("rb") as stream:  # a stream: openpyxl refuses a name not ending in .xlsx
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[index]
            sheet.reset_dimensions()  # a lying <dimension> would pad every row to its width
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
    width = max((len(row) for row in grid), default=0)
    for (top, left), (bottom, _right) in merged or ():
        if bottom <= top or top >= len(grid) or left >= width:  # outside the cells read
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
    workbook, kind, guard = _open_workbook(path)
    chosen = None
    for index, name in enumerate(workbook.sheet_names):
        guard.check(index, name)  # before calamine builds the grid: a huge one aborts
        try:
            sheet = workbook.get_sheet_by_index(index)
            end = sheet.end  # (row, column) 0-based of the last value; the grid starts at A1
            if end is not None:
                check_extent(path, name, (end[0] + 1, end[1] + 1))
            grid = sheet.to_python(skip_empty_area=False)
            merged = getattr(sheet, "merged_cell_ranges", None)
        except UserError:
            raise
        except BaseException as exc:
            if not _is_reader_failure(exc):
                raise
            raise UserError(f"Không đọc được trang '{name}' của tệp {path.name}.") from exc
        if any(v not in ("", None) for row in grid for v in row):
            chosen = (index, name, grid, merged)
            break
    if chosen is None:
        raise UserError(f"Bảng tính {path.name} trống: không có dòng dữ liệu nào.")
    index, name, grid, merged = chosen
    fonts: dict[tuple[int, int], tuple[LegacyEncoding, bool]] = {}
    if kind == "xlsx":
        fonts = _legacy_fonts(path, index)
    elif kind == "xls":
        fonts = xls_legacy_fonts(path.read_bytes(), name)
    elif kind == "ods":  # calamine gives no merged ranges for .ods
        layout = read_ods_layout(path, index, len(grid))
        merged, fonts = merged or layout.merged, layout.fonts
    data = SheetData(path=path, sheet_name=name, rows=[])
    # A plan repeats the same few unit names, timings and outputs on every row: a text
    # in no legacy font and left as it was is read once.
    plain: dict[str, str | None] = {}
    for r, raw in enumerate(grid, start=1):
        values: list[Cell] = []
        for c, value in enumerate(raw, start=1):
            if isinstance(value, str):
                font = fonts.get((r, c)) if fonts else None
                if font is None and value in plain:
                    values.append(plain[value])
                    continue
                before = sum(data.conversions.values())
                text = text_cell(value, font, r, data)
                if font is None and sum(data.conversions.values()) == before:
                    plain[value] = text
                values.append(text)
            elif isinstance(value, datetime):
                values.append(value.date())
            elif value == "":
                values.append(None)
            else:
                values.append(value)
        data.rows.append((r, values))
    _fill_merged_down([values for _r, values in data.rows], merged)
    return data


def text_cell(
    value: str, font: tuple[LegacyEncoding, bool] | None, row: int, data: SheetData
) -> str | None:
    """A text cell as stored: stripped, NFC, converted from TCVN3/VNI when its font or its
    characters say so (counted in ``data``); None when empty."""
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
