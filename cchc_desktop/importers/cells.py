"""Reading single cells: text, dates and the "Văn bản giao" reference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cchc_desktop.domain.text import nfc, parse_date_vn

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "DocumentRef",
    "YearOutOfRange",
    "cell_date",
    "cell_text",
    "parse_document_ref",
    "split_units",
    "year_out_of_range",
]

_EXCEL_EPOCH = date(1899, 12, 30)
FIRST_YEAR, LAST_YEAR = 1900, 2100
"""Years a date in an imported sheet may have; anything else is a typing slip (20215)."""
_DATE_TEXT = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*(\d+)", re.ASCII)
# A year written after a date separator or "năm": "15/3/20215", "tháng 12/1850", "năm 3000".
_WRITTEN_YEAR = re.compile(r"(?:[/.\-]\s*|\bn[aă]m\s+)(\d{4,})(?!\d)", re.IGNORECASE)


class YearOutOfRange(ValueError):
    """A date whose year is outside FIRST_YEAR..LAST_YEAR."""


def _year_problem(year: int | str, shown: str) -> YearOutOfRange:
    return YearOutOfRange(
        f"'{shown}': năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}"
    )


def _checked(value: date, shown: str) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _year_problem(value.year, shown)
    return value


def year_out_of_range(text: str | None) -> int | None:
    """The first year written in ``text`` ("15/3/20215", "năm 3000") outside the range, if any."""
    for m in _WRITTEN_YEAR.finditer(nfc(text or "")):
        if not FIRST_YEAR <= int(m[1]) <= LAST_YEAR:
            return int(m[1])
    return None


def cell_text(value: object) -> str:
    """A cell as text: "" for empty, integral numbers without ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if type(value) is str:  # nearly every cell: no other test to pass first
        return nfc(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return nfc(str(value))


def cell_date(value: object) -> date | None:
    """A date cell, a date typed as text (dd/mm/yyyy, d/m/yyyy) or an Excel serial number.

    Empty gives None; anything else raises ValueError with a Vietnamese reason, and
    :class:`YearOutOfRange` (a ValueError) for a year outside 1900–2100.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _checked(value.date(), f"{value:%d/%m/%Y}")
    if isinstance(value, date):
        return _checked(value, f"{value:%d/%m/%Y}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell that lost its date format shows as its serial number (44222 = 26/01/2021).
        if 20_000 <= value <= 80_000:
            return _checked(_EXCEL_EPOCH + timedelta(days=int(value)), cell_text(value))
        raise ValueError(f"'{cell_text(value)}' không phải là ngày (cần dạng dd/mm/yyyy)")
    text = nfc(str(value))
    try:
        return _checked(parse_date_vn(text), text)
    except YearOutOfRange:
        raise
    except ValueError:
        if (m := _DATE_TEXT.fullmatch(text.strip())) and len(m[1]) > 4:
            raise _year_problem(m[1], text) from None
        raise ValueError(f"'{text}' không phải là ngày hợp lệ (cần dạng dd/mm/yyyy)") from None


_UNIT_SEPARATORS = re.compile(r"[;\n\r]+")


def split_units(text: str) -> list[str]:
    """Supporting units: separated by ";" or line breaks only (a comma may be in a name)."""
    names: list[str] = []
    for part in _UNIT_SEPARATORS.split(text or ""):
        name = " ".join(part.split()).strip(" -+•.")
        if name and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class DocumentRef:
    """A document as a task sheet cites it: "36/KH-UBND ngày 26/01/2021 của UBND tỉnh"."""

    symbol: str
    issued_on: date | None
    issuer: str

    def label(self) -> str:
        """The text exports write, which :func:`parse_document_ref` reads back."""
        text = self.symbol
        if self.issued_on:
            text += f" ngày {self.issued_on:%d/%m/%Y}"
        if self.issuer:
            text += f" của {self.issuer}"
        return text


_SYMBOL = re.compile(r"\d[\w.]*(?:-[\w.&]+)?(?:/[\w.&]+(?:-[\w.&]+)*)+")
_DATE_SHORT = re.compile(r"ngày\s+(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4,})", re.IGNORECASE)
_DATE_LONG = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4,})", re.IGNORECASE)
_ISSUER = re.compile(r"\bcủa\s+(.+?)\s*[.;]?$", re.IGNORECASE)


def parse_document_ref(text: str) -> DocumentRef:
    """Read "36/KH-UBND ngày 26/01/2021", "Kế hoạch số 36/KH-UBND ngày 26 tháng 01 năm 2021
    của UBND tỉnh" and the like. Raises ValueError with a Vietnamese reason."""
    text = " ".join(nfc(text).split())
    symbol_match = _SYMBOL.search(text)
    if symbol_match is None:
        raise ValueError(
            f"'{text}' không có số ký hiệu (ví dụ: 36/KH-UBND ngày 26/01/2021)"
        )
    issued_on = None
    if m := _DATE_SHORT.search(text):
        issued_on = cell_date(m[1].replace(" ", ""))
    elif m := _DATE_LONG.search(text):
        issued_on = cell_date(f"{m[1]}/{m[2]}/{m[3]}")
    elif "ngày" in text.lower():
        raise ValueError(f"ngày ban hành trong '{text}' không hợp lệ (cần dạng dd/mm/yyyy)")
    issuer_match = _ISSUER.search(text)
    issuer = issuer_match[1] if issuer_match else ""
    return DocumentRef(symbol_match[0], issued_on, issuer)
