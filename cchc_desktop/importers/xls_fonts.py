"""The fonts of text cells in an .xls (Excel 97-2003, BIFF8), for legacy-font detection.

calamine gives the values only. An .xls is a compound file (OLE2) holding a "Workbook"
stream of BIFF records: FONT and XF records in the globals, and per sheet LABELSST, LABEL,
RSTRING cells that name their XF. Only what is needed to tell which cells use a TCVN3 or
VNI font is read; anything unexpected gives no fonts (the text is still recognised by its
characters). BIFF5 files (Excel 95) are not searched.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from cchc_desktop.importers.legacy import LegacyEncoding, font_encoding

__all__ = ["xls_legacy_fonts"]

_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
_FONT, _XF, _BOUNDSHEET, _EOF = 0x0031, 0x00E0, 0x0085, 0x000A
_TEXT_CELLS = frozenset({0x00FD, 0x0204, 0x00D6})  # LABELSST, LABEL, RSTRING

Fonts = dict[tuple[int, int], tuple[LegacyEncoding, bool]]


class _Damaged(Exception):
    pass


def _chain(table: list[int], start: int) -> list[int]:
    sectors: list[int] = []
    while start not in (_END, _FREE):
        if start >= len(table) or len(sectors) > len(table):
            raise _Damaged
        sectors.append(start)
        start = table[start]
    return sectors


def _workbook_stream(data: bytes) -> bytes:
    """The "Workbook" stream of an OLE2 compound file."""
    if len(data) < 512:
        raise _Damaged
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    first_dir, _txn, cutoff, first_mini, _n_mini, first_difat, n_difat = struct.unpack_from(
        "<7I", data, 0x30
    )

    def sector(n: int) -> bytes:
        start = (n + 1) * size
        if start >= len(data):
            raise _Damaged
        return data[start : start + size]

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n not in (_END, _FREE)]
    difat = first_difat
    for _ in range(min(n_difat, len(data) // size)):  # a looping chain ends here
        if difat in (_END, _FREE):
            break
        entries = struct.unpack(f"<{size // 4}I", sector(difat))
        fat_sectors += [n for n in entries[:-1] if n not in (_END, _FREE)]
        difat = entries[-1]
    fat = [n for s in fat_sectors for n in struct.unpack(f"<{size // 4}I", sector(s))]
    directory = b"".join(sector(n) for n in _chain(fat, first_dir))
    entry_list = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    root_start, wanted = None, None
    for entry in entry_list:
        name_len = struct.unpack_from("<H", entry, 0x40)[0]
        name = entry[: max(name_len - 2, 0)].decode("utf-16-le", "replace")
        kind, start, length = entry[0x42], *struct.unpack_from("<II", entry, 0x74)
        if kind == 5:
            root_start = (start, length)
        elif kind == 2 and name == "Workbook":
            wanted = (start, length)
    if wanted is None or root_start is None:
        raise _Damaged
    start, length = wanted
    if length >= cutoff:
        return b"".join(sector(n) for n in _chain(fat, start))[:length]
    mini_fat_raw = b"".join(sector(n) for n in _chain(fat, first_mini))
    mini_fat = list(struct.unpack(f"<{len(mini_fat_raw) // 4}I", mini_fat_raw))
    mini_stream = b"".join(sector(n) for n in _chain(fat, root_start[0]))
    return b"".join(
        mini_stream[n * mini_size : (n + 1) * mini_size] for n in _chain(mini_fat, start)
    )[:length]


def _records(stream: bytes, offset: int = 0) -> Iterator[tuple[int, bytes]]:
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4 : offset + 4 + length]
        if kind == _EOF:
            return
        offset += 4 + length


def _short_string(body: bytes, at: int, count: int) -> str:
    wide = body[at] & 1
    raw = body[at + 1 : at + 1 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def xls_legacy_fonts(data: bytes, sheet_name: str) -> Fonts:
    """(row, column) → (encoding, capitals only) for text cells in a legacy font; 1-based."""
    try:
        return _fonts(_workbook_stream(data), sheet_name)
    except (_Damaged, struct.error, IndexError, ValueError):
        return {}


def _fonts(stream: bytes, sheet_name: str) -> Fonts:
    fonts: list[tuple[LegacyEncoding, bool] | None] = []
    xf_fonts: list[int] = []
    sheets: dict[str, int] = {}
    for kind, body in _records(stream):
        if kind == _FONT:
            fonts.append(font_encoding(_short_string(body, 15, body[14])))
        elif kind == _XF:
            xf_fonts.append(struct.unpack_from("<H", body)[0])
        elif kind == _BOUNDSHEET:
            sheets.setdefault(_short_string(body, 7, body[6]), struct.unpack_from("<I", body)[0])
    if not any(fonts) or sheet_name not in sheets:
        return {}
    # Font index 4 does not exist in BIFF: indexes above it are one past the record.
    legacy_xf: dict[int, tuple[LegacyEncoding, bool]] = {}
    for xf, ifnt in enumerate(xf_fonts):
        index = ifnt - 1 if ifnt > 4 else ifnt
        font = fonts[index] if 0 <= index < len(fonts) else None
        if font is not None:
            legacy_xf[xf] = font
    found: Fonts = {}
    if not legacy_xf:
        return found
    for kind, body in _records(stream, sheets[sheet_name]):
        if kind in _TEXT_CELLS:
            row, col, xf = struct.unpack_from("<HHH", body)
            if xf in legacy_xf:
                found[row + 1, col + 1] = legacy_xf[xf]
    return found
