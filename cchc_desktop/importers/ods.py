"""What calamine does not tell about an OpenDocument sheet: merged cells and cell fonts.

calamine reads the values of an .ods sheet but returns no merged ranges for it, and no
format gives fonts. Both are read here from ``content.xml`` in one streaming pass; fonts
only when the document declares a legacy Vietnamese font at all (``.VnTime``, ``VNI-Times``).
Rows and columns are 0-based, as calamine's ``merged_cell_ranges`` are.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, cast
from xml.etree.ElementTree import Element, XMLPullParser

from cchc_desktop.importers.legacy import LegacyEncoding, font_encoding

__all__ = ["OdsLayout", "read_ods_layout"]

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_LEGACY_FONT_DECLARED = re.compile(
    rb'font-family="(?:&apos;|&quot;|[\'"])?(?:\.vn|vni[- ])', re.IGNORECASE
)

Span = tuple[tuple[int, int], tuple[int, int]]


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_TABLE, _ROW, _COLUMN = _q("table:table"), _q("table:table-row"), _q("table:table-column")
_CELL, _COVERED = _q("table:table-cell"), _q("table:covered-table-cell")
_SPAN = _q("text:span")
_STYLE, _FONT_FACE, _TEXT_PROPS = _q("style:style"), _q("style:font-face"), _q("style:text-properties")
_STYLE_NAME, _TEXT_STYLE_NAME = _q("table:style-name"), _q("text:style-name")
_DEFAULT_CELL_STYLE = _q("table:default-cell-style-name")
_ROWS_REPEATED, _COLUMNS_REPEATED = _q("table:number-rows-repeated"), _q("table:number-columns-repeated")
_ROWS_SPANNED = _q("table:number-rows-spanned")
_COLUMNS_SPANNED = _q("table:number-columns-spanned")
_VALUE_TYPE = _q("office:value-type")


@dataclass
class OdsLayout:
    """Merged ranges (calamine's shape) and (row, column) → legacy font, both 1-based fonts."""

    merged: list[Span] = field(default_factory=list)
    fonts: dict[tuple[int, int], tuple[LegacyEncoding, bool]] = field(default_factory=dict)


@dataclass
class _Styles:
    """Style name → (parent style, font family) for cell and text styles, and font faces."""

    faces: dict[str, str] = field(default_factory=dict)
    styles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def add(self, element: Element) -> None:
        if element.tag == _FONT_FACE:
            name = element.get(_q("style:name"))
            family = element.get(_q("svg:font-family"), name or "")
            if name:
                self.faces[name] = family.strip("'\"")
        elif element.tag == _STYLE:
            props = element.find(_TEXT_PROPS)
            font = None
            if props is not None:
                face = props.get(_q("style:font-name"))
                font = self.faces.get(face, face) if face else props.get(_q("fo:font-family"))
            name = element.get(_q("style:name"))
            if name:
                self.styles[name] = (element.get(_q("style:parent-style-name")), font)

    def legacy(self, name: str | None) -> tuple[LegacyEncoding, bool] | None:
        for _ in range(10):  # parent chains are short; a loop in a broken file must end
            if name is None or name not in self.styles:
                return None
            parent, font = self.styles[name]
            if font is not None:
                return font_encoding(font.strip("'\""))
            name = parent
        return None


def _events(stream: IO[bytes], events: tuple[Literal["start", "end"], ...]
            ) -> Iterator[tuple[str, Element]]:
    """iterparse with large chunks: expat rescans an unfinished token (a huge comment or
    text) on every chunk, so iterparse's 16 KB chunks make such a file take minutes."""
    parser: XMLPullParser = XMLPullParser(events=events)
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
        for item in parser.read_events():  # only start/end events: (event, element)
            yield cast(tuple[str, Element], item)
        if not chunk:
            return


def _read_styles(archive: zipfile.ZipFile, styles: _Styles) -> None:
    try:
        with archive.open("styles.xml") as stream:
            for _event, element in _events(stream, ("end",)):
                if element.tag in (_FONT_FACE, _STYLE):
                    styles.add(element)
    except KeyError:
        return


MAX_CONTENT_BYTES = 64 * 1024 * 1024  # far beyond any task sheet (10,000 rows: about 7 MB)
CHUNK_BYTES = 8 * 1024 * 1024


def read_ods_layout(path: Path, index: int, rows: int) -> OdsLayout:
    """Merged ranges and legacy-font cells of the ``index``-th sheet (0-based) of ``path``.

    ``rows`` is the number of rows calamine read: repeated empty rows past it are not walked.
    A part that cannot be read gives an empty layout (the values are calamine's business).
    """
    layout = OdsLayout()
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.getinfo("content.xml").file_size > MAX_CONTENT_BYTES:
                return layout  # the values come from calamine; merges and fonts are extras
            content = archive.read("content.xml")
            styles_xml = archive.read("styles.xml") if "styles.xml" in archive.namelist() else b""
            with_fonts = bool(
                _LEGACY_FONT_DECLARED.search(content) or _LEGACY_FONT_DECLARED.search(styles_xml)
            )
            styles = _Styles()
            if with_fonts:
                _read_styles(archive, styles)
            _walk(archive, index, rows, layout, styles if with_fonts else None)
    except Exception:  # a damaged part (zlib, XML, numbers): the layout is only an extra
        return OdsLayout()
    return layout


def _walk(archive: zipfile.ZipFile, index: int, rows: int, layout: OdsLayout,
          styles: _Styles | None) -> None:
    tables = -1  # sheets met so far, minus one
    depth = 0  # table:table elements open (a sheet, or a table nested in one)
    row = col = 0
    row_repeat = 1
    row_style: str | None = None
    column_styles: list[tuple[int, str | None]] = []  # (last column, default cell style)
    with archive.open("content.xml") as stream:
        for event, element in _events(stream, ("start", "end")):
            tag = element.tag
            if tag == _TABLE:
                depth += 1 if event == "start" else -1
                if event == "start" and depth == 1:
                    tables += 1
                elif event == "end" and depth == 0 and tables == index:
                    return
                continue
            if event == "start":
                if tag == _ROW and depth == 1 and tables == index:
                    col = 0
                    row_repeat = int(element.get(_ROWS_REPEATED, "1"))
                    row_style = element.get(_DEFAULT_CELL_STYLE)
                continue
            if styles is not None and tag in (_FONT_FACE, _STYLE):
                styles.add(element)
            if depth != 1 or tables != index:
                continue
            if tag == _COLUMN:
                first = column_styles[-1][0] + 1 if column_styles else 0
                repeat = int(element.get(_COLUMNS_REPEATED, "1"))
                column_styles.append((first + repeat - 1, element.get(_DEFAULT_CELL_STYLE)))
            elif tag in (_CELL, _COVERED):
                if tag == _CELL and row < rows:
                    _cell(element, row, col, min(row_repeat, rows - row), layout, styles,
                          row_style, column_styles)
                col += int(element.get(_COLUMNS_REPEATED, "1"))
                element.clear()
            elif tag == _ROW:
                row += row_repeat
                element.clear()


def _cell(element: Element, row: int, col: int, repeat: int, layout: OdsLayout,
          styles: _Styles | None, row_style: str | None,
          column_styles: list[tuple[int, str | None]]) -> None:
    down = int(element.get(_ROWS_SPANNED, "1"))
    across = int(element.get(_COLUMNS_SPANNED, "1"))
    for r in range(row, row + repeat):
        if down > 1 or across > 1:
            layout.merged.append(((r, col), (r + down - 1, col + across - 1)))
    if styles is None or element.get(_VALUE_TYPE) != "string":
        return
    style = element.get(_STYLE_NAME) or row_style or _column_style(column_styles, col)
    legacy = styles.legacy(style)
    for span in element.iter(_SPAN):
        legacy = styles.legacy(span.get(_TEXT_STYLE_NAME)) or legacy
    if legacy is not None:
        for r in range(row, row + repeat):
            layout.fonts[r + 1, col + 1] = legacy


def _column_style(column_styles: list[tuple[int, str | None]], col: int) -> str | None:
    for last, style in column_styles:
        if col <= last:
            return style
    return None
