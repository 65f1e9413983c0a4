"""How far a sheet's data really reaches, found before any reader builds its grid.

calamine builds a dense grid from the first row and column to the last cell holding a value:
one value in the last cell of an .xlsx sheet (XFD1048576) asks for 17 billion cells and
aborts the whole process, a value a few thousand columns out costs seconds and gigabytes.
So the cells of a sheet are counted here first, by a cheap streaming scan of its raw part
(the worksheet XML of an .xlsx, ``content.xml`` of an .ods, the BIFF records of an .xls),
and a sheet reaching past :data:`MAX_ROWS` rows, :data:`MAX_COLUMNS` columns or
:data:`MAX_CELLS` cells is refused with a clear message. Only cells holding a value count, as
they do for calamine: a lying ``<dimension>`` or formatting over whole columns changes nothing.
"""

from __future__ import annotations

import html
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, TypeVar
from xml.etree import ElementTree

from cchc_desktop.errors import UserError

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_PART_BYTES",
    "MAX_SHARED_STRINGS_BYTES",
    "MAX_ROWS",
    "Extent",
    "SheetGuard",
    "check_extent",
    "ods_extents",
    "xls_extents",
    "xlsx_extent",
]

MAX_ROWS = 100_000
"""Rows a sheet may reach (a 10,000-task plan is large; a province's list is a few hundred)."""
MAX_COLUMNS = 200
MAX_CELLS = 3_000_000
"""rows × columns of the grid read: about 150 MB while reading."""
MAX_PART_BYTES = 128 * 1024 * 1024
"""Uncompressed size of one part of an .xlsx/.ods (a 10,000-row sheet is about 8 MB)."""
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
"""The shared strings of an .xlsx, which calamine holds in memory whole (72 MB: 5 s)."""
_CHUNK = 4 * 1024 * 1024
_T = TypeVar("_T")

Extent = tuple[int, int]
"""(last row, last column) holding a value, 1-based; (0, 0) for an empty sheet."""


def _too_big(path: Path, sheet: str, rows: int, columns: int) -> UserError:
    def n(value: int) -> str:
        return f"{value:,}".replace(",", ".")

    return UserError(
        f"Bảng tính {path.name} quá lớn để nhập: trang '{sheet}' có dữ liệu đến dòng "
        f"{n(rows)}, cột {n(columns)} (tối đa {n(MAX_ROWS)} dòng, {MAX_COLUMNS} cột và "
        f"{n(MAX_CELLS)} ô). Hãy xoá các ô thừa ở cuối trang hoặc chép riêng bảng cần nhập "
        "sang một tệp mới."
    )


def check_extent(path: Path, sheet: str, extent: Extent) -> None:
    """Raise UserError when a sheet reaching ``extent`` is too big to read."""
    rows, columns = extent
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise _too_big(path, sheet, rows, columns)


def _part_too_big(path: Path, part: str, limit: int = MAX_PART_BYTES) -> UserError:
    return UserError(
        f"Bảng tính {path.name} quá lớn để nhập (phần '{part}' vượt "
        f"{limit // (1024 * 1024)} MB khi giải nén)."
    )


def check_parts(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook archive holding a part that unpacks to more than MAX_PART_BYTES."""
    for info in archive.infolist():
        limit = (MAX_SHARED_STRINGS_BYTES if info.filename.lower().endswith("sharedstrings.xml")
                 else MAX_PART_BYTES)
        if info.file_size > limit:
            raise _part_too_big(path, info.filename, limit)


def _tags(stream: IO[bytes], pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
    """Matches of ``pattern`` over a stream, never across a tag cut by a chunk boundary."""
    for segment in _segments(stream):
        yield from pattern.finditer(segment)


# --------------------------------------------------------------------------- .xlsx

# A <row> or <c> start tag (any prefix), or a <v>/<t> start tag followed by text: a value.
_XLSX_TOKENS = re.compile(
    rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>|<(?:\w+:)?[vt](?=[\s/>])[^>]*>(?=[^<])"
)
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)(\d+)["']""")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


# The fast path reads the cells' own references: every cell start tag, those naming their
# reference (as Excel, LibreOffice and openpyxl write them: r first) as (letters, digits,
# "/" for an empty self-closing cell), and a cell tag with a namespace prefix (slow path).
_ANY_CELL = re.compile(rb"<c[\s/>]")
_REFERENCED_CELL = re.compile(rb"""<c r=["']([A-Z]{1,4})(\d{1,9})["'][^>]*?(/?)>""")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")


def _segments(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream in large pieces, each cut just before a "<" so that no tag is split."""
    carry = b""
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        total += len(chunk)
        if total > MAX_PART_BYTES:
            raise OverflowError
        buffer = carry + chunk
        if not chunk:
            yield buffer
            return
        cut = buffer.rfind(b"<")
        if cut <= 0:
            carry = buffer
            continue
        yield buffer[:cut]
        carry = buffer[cut:]


def _referenced_extent(stream: IO[bytes]) -> Extent | None:
    """The fast path: every cell names its reference; None when one does not."""
    last_row = 0
    letters: set[bytes] = set()
    for segment in _segments(stream):
        cells = _REFERENCED_CELL.findall(segment)
        if len(cells) != len(_ANY_CELL.findall(segment)) or _PREFIXED_CELL.search(segment):
            return None
        valued = [(col, row) for col, row, empty in cells if not empty]
        if valued:
            last_row = max(last_row, max(int(row) for _col, row in valued))
            letters.update(col for col, _row in valued)
    return last_row, max((_column_number(col) for col in letters), default=0)


def xlsx_extent(stream: IO[bytes]) -> Extent:
    """The extent of the worksheet XML in ``stream`` (cells without ``r`` count on).

    A cell written out with content counts (calamine reads a value from it); an empty,
    self-closing one (formatting only) does not. ``stream`` must be seekable.
    """
    start = stream.tell()
    fast = _referenced_extent(stream)
    if fast is not None:
        return fast
    stream.seek(start)
    return _counted_extent(stream)


def _counted_extent(stream: IO[bytes]) -> Extent:
    """The slow path, for cells without ``r``: rows and cells counted on, values seen."""
    row = col = 0
    last_row = last_col = 0
    for m in _tags(stream, _XLSX_TOKENS):
        tag = m[1]
        if tag is None:  # a value inside the current cell
            last_row, last_col = max(last_row, row), max(last_col, col)
        elif tag == b"row":
            ref = _R_ATTR.search(m[2])
            row = int(ref[2]) if ref else row + 1
            col = 0
        else:
            ref = _R_ATTR.search(m[2])
            if ref and ref[1]:
                col = _column_number(ref[1])
                row = int(ref[2])
            else:
                col += 1
    return last_row, last_col


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAX_BOOK_BYTES = 4 * 1024 * 1024


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the archive, from workbook.xml and its relationships."""
    parts: dict[str, str] = {}
    try:
        if max(archive.getinfo(n).file_size for n in (
                "xl/workbook.xml", "xl/_rels/workbook.xml.rels")) > _MAX_BOOK_BYTES:
            return parts  # not a real workbook's: every sheet part is scanned instead
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return parts
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        parts[sheet.get("name", "")] = part
    return parts


# --------------------------------------------------------------------------- .ods

_ODS_TOKENS = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ROWS_REPEATED = re.compile(rb"""table:number-rows-repeated\s*=\s*["'](\d+)["']""")
_COLUMNS_REPEATED = re.compile(rb"""table:number-columns-repeated\s*=\s*["'](\d+)["']""")
_VALUE_TYPE = re.compile(rb"office:value-type\s*=")
# calamine drops cells past the widest sheet LibreOffice makes (16,384 columns); so does this.
_ODS_LAST_COLUMN = 16_384
_TABLE_NAME = re.compile(rb"""table:name\s*=\s*["']([^"']*)["']""")


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return max(1, int(found[1])) if found else 1


def ods_extents(stream: IO[bytes]) -> list[tuple[str, Extent]]:
    """(name, extent) of every sheet of the ``content.xml`` in ``stream``, in order.

    A cell counts when it has a value type or any content; repeated rows and columns count
    as often as they are repeated (that is how calamine expands them); cells past column
    16,384, which calamine drops, do not count.
    """
    extents: list[tuple[str, Extent]] = []
    name = ""
    depth = 0
    row = col = repeat = 0
    row_has_value = False
    last_row = last_col = 0
    for m in _tags(stream, _ODS_TOKENS):
        closing, tag, attributes, empty = m[1], m[2], m[3], m[4]
        if tag == b"table":
            if closing:
                depth -= 1
                if depth == 0:
                    extents.append((name, (last_row, last_col)))
            elif not empty:
                depth += 1
                if depth == 1:
                    row = last_row = last_col = 0
                    found = _TABLE_NAME.search(attributes)
                    name = html.unescape(found[1].decode("utf-8", "replace")) if found else ""
            continue
        if depth != 1:
            continue
        if tag == b"table-row":
            if closing:
                if row_has_value:
                    last_row = max(last_row, row + repeat - 1)
                row += repeat - 1
            else:
                row, col, repeat = row + 1, 0, _repeat(_ROWS_REPEATED, attributes)
                row_has_value = False
                if empty:
                    row += repeat - 1
        elif not closing:
            count = _repeat(_COLUMNS_REPEATED, attributes)
            valued = tag == b"table-cell" and (not empty or _VALUE_TYPE.search(attributes))
            if valued and col < _ODS_LAST_COLUMN:
                row_has_value = True
                last_col = max(last_col, min(col + count, _ODS_LAST_COLUMN))
            col += count
    return extents


# --------------------------------------------------------------------------- .xls

_BOUNDSHEET, _EOF = 0x0085, 0x000A
# Cell records holding a value; each starts with its row and column (BLANK and MULBLANK,
# formatting only, are left out as calamine leaves them out).
_VALUE_CELLS = frozenset({0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, 0x0205, 0x0006})
_MULRK = 0x00BD


def xls_extents(data: bytes) -> dict[str, Extent] | None:
    """Sheet name → extent of an .xls (BIFF8); None when the file cannot be walked.

    Raises OverflowError when its sheets point into each other so that walking them would
    take far longer than reading the file once.
    """
    from cchc_desktop.importers.xls_fonts import _Damaged, _records, _short_string, _workbook_stream

    try:
        stream = _workbook_stream(data)
        offsets = {
            _short_string(body, 7, body[6]): struct.unpack_from("<I", body)[0]
            for kind, body in _records(stream) if kind == _BOUNDSHEET
        }
        extents: dict[str, Extent] = {}
        # Sheets are disjoint parts of the stream; sheets pointing into each other (a damaged
        # or hostile file) would walk it again and again: the walk is budgeted.
        budget = 2 * len(stream) // 4 + 1000
        for name, offset in offsets.items():
            last_row = last_col = 0
            for kind, body in _records(stream, offset):
                budget -= 1
                if budget < 0:
                    raise OverflowError
                if kind in _VALUE_CELLS or kind == _MULRK:
                    row, col = struct.unpack_from("<HH", body)
                    if kind == _MULRK:
                        col = struct.unpack_from("<H", body, len(body) - 2)[0]
                    last_row, last_col = max(last_row, row + 1), max(last_col, col + 1)
            extents[name] = (last_row, last_col)
        return extents
    except (_Damaged, struct.error, IndexError, ValueError):
        return None


# --------------------------------------------------------------------------- one guard


class SheetGuard:
    """Checks each sheet of one workbook before it is read; built once per file.

    ``check(index, name)`` raises UserError for a sheet too big to read (or, for a zip-based
    workbook, a part too big to unpack). A part that cannot be scanned is left to the
    reader's own checks, which refuse it as damaged.
    """

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self._ods: list[tuple[str, Extent]] | None = None
        self._xls: dict[str, Extent] | None = None
        self._parts: dict[str, str] | None = None
        self._scanned: dict[str, Extent] = {}
        if kind in ("xlsx", "ods"):
            self._in_archive(lambda archive: check_parts(path, archive))
        # calamine reads every sheet of an .ods or .xls as it opens the file: all are checked
        # now; an .xlsx sheet is read (and checked) only when asked for.
        if kind == "ods":
            self._ods = self._in_archive(_read_ods) or []
            for index, (name, extent) in enumerate(self._ods):
                check_extent(path, name or f"{index + 1}", extent)
        elif kind == "xls":
            try:
                self._xls = xls_extents(path.read_bytes())
            except OverflowError:
                raise UserError(f"Không đọc được tệp {path.name}: tệp không phải bảng tính "
                                "Excel hoặc đã bị hỏng.") from None
            for name, extent in (self._xls or {}).items():
                check_extent(path, name, extent)

    def _in_archive(self, action: Callable[[zipfile.ZipFile], _T]) -> _T | None:
        try:
            with zipfile.ZipFile(self.path) as archive:
                return action(archive)
        except UserError:
            raise
        except OverflowError:
            raise _part_too_big(self.path, "?") from None
        except Exception:  # damaged: calamine says so in its own words
            return None

    def check(self, index: int, name: str) -> None:
        """Refuse the ``index``-th sheet (0-based), called ``name``, when it is too big."""
        extent: Extent | None = None
        if self.kind == "xlsx":
            extent = self._xlsx(name)
        elif self.kind == "ods" and self._ods and index < len(self._ods):
            extent = self._ods[index][1]
        elif self.kind == "xls" and self._xls is not None:
            extent = self._xls.get(name)
        if extent is not None:
            check_extent(self.path, name, extent)

    def _xlsx(self, name: str) -> Extent | None:
        def scan(archive: zipfile.ZipFile) -> Extent | None:
            if self._parts is None:
                self._parts = _xlsx_sheet_parts(archive)
            part = self._parts.get(name)
            names = [part] if part in archive.namelist() else [
                n for n in archive.namelist() if n.startswith("xl/worksheets/")
                and n.endswith(".xml")
            ]  # unresolved: the largest extent of them all, to be safe
            found = (0, 0)
            for each in names:
                if each not in self._scanned:  # many sheets may name one part
                    with archive.open(each) as stream:  # seekable (Python 3.7+)
                        self._scanned[each] = xlsx_extent(stream)
                rows, columns = self._scanned[each]
                found = (max(found[0], rows), max(found[1], columns))
            return found

        return self._in_archive(scan)


def _read_ods(archive: zipfile.ZipFile) -> list[tuple[str, Extent]]:
    with archive.open("content.xml") as stream:
        return ods_extents(stream)
