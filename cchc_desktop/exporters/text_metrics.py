"""How wide a line of Times New Roman is, to size header columns and title rules.

The office PCs print in Times New Roman, which the machine exporting may not have installed, so
widths come from the font's published metrics (the Adobe Times AFM widths, which Times New
Roman and Liberation Serif share) rather than from whatever font is at hand. A Vietnamese
letter is as wide as its base letter (ế as e, Đ as D): the marks sit above or below.
"""

from __future__ import annotations

import unicodedata

__all__ = ["text_width_cm"]

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
# Widths per 1,000 em: upper case A..Z, lower case a..z, for regular, bold and italic.
_WIDTHS = {
    "regular": (
        (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722,
         667, 556, 611, 722, 722, 944, 722, 722, 611),
        (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500,
         333, 389, 278, 500, 500, 722, 500, 500, 444),
    ),
    "bold": (
        (722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778,
         722, 556, 667, 722, 722, 1000, 722, 722, 667),
        (500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556,
         444, 389, 333, 556, 500, 722, 500, 500, 444),
    ),
    "italic": (
        (611, 611, 667, 722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722, 611, 722,
         611, 500, 556, 722, 611, 833, 611, 556, 556),
        (500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500, 500, 500,
         389, 389, 278, 500, 444, 667, 444, 444, 389),
    ),
}
_OTHER = {" ": 250, ",": 250, ".": 250, ":": 278, ";": 278, "-": 333, "/": 278, "(": 333,
          ")": 333, "&": 778, "–": 500, "%": 833}
_PT_TO_CM = 2.54 / 72


def _base(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    return unicodedata.normalize("NFD", ch)[0]


def _width(ch: str, style: str) -> int:
    upper, lower = _WIDTHS[style]
    base = _base(ch)
    if base in _UPPER:
        return upper[_UPPER.index(base)]
    if base in _LOWER:
        return lower[_LOWER.index(base)]
    if base.isdigit():
        return 500
    return _OTHER.get(base, 500)


def text_width_cm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """The printed width of ``text`` on one line, in centimetres (bold italic counts as bold)."""
    style = "bold" if bold else "italic" if italic else "regular"
    return sum(_width(ch, style) for ch in text) / 1000 * size_pt * _PT_TO_CM
