"""The parts of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I) and the
rules that lay them out: the number line, the national header's columns, the rule under
the title, the recipients, the signature block; and what a table is made of.

Nothing here needs python-docx (:mod:`cchc_desktop.exporters.docx_base` writes these
parts): a text that only needs "Số: 263/BC-SGDĐT" or the recipients' lines does not pay
for loading it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BLANK_NUMBER = " " * 6  # "Số:       /BC-SGDĐT" leaves room to write the number by hand
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Column:
    """A table column: header text, width in cm, and "left" or "center" alignment of its cells."""

    header: str
    width_cm: float
    align: str = "left"


@dataclass(frozen=True)
class GroupRow:
    """A bold group row (I, II ... with the group's title spanning the other columns)."""

    label: str
    title: str


@dataclass(frozen=True)
class BoldRow:
    """A data row printed in bold (an area or criterion with its sub-total, a total row)."""

    cells: Sequence[str]


@dataclass(frozen=True)
class Heading:
    """The data of the national header: the left column and the date line."""

    parent: str
    agency: str
    number_line: str  # "Số: 263/BC-SGDĐT"
    date_line: str  # "Sơn La, ngày 07 tháng 6 năm 2021"
    subject: str = ""  # an official letter's "V/v ..." under its number


@dataclass(frozen=True)
class Signature:
    """The recipients block and the signature block at the end of a document."""

    recipients: Sequence[str]
    drafter: str
    authority: str
    signer_title: str
    signer: str


def number_line(number: str | int | None, type_abbr: str | None, agency_abbr: str) -> str:
    """Return "Số: 263/BC-SGDĐT", or "Số:       /BC-SGDĐT" to be numbered by hand.

    A ``number`` that already holds a whole symbol ("36/KH-SGDĐT") is printed as it is.
    """
    from cchc_desktop.domain.text import format_doc_number

    text = "" if number is None else str(number).strip()
    if "/" in text:
        return f"Số: {text}"
    if not text:
        return f"Số: {BLANK_NUMBER}{format_doc_number(None, type_abbr, agency_abbr)}"
    return f"Số: {format_doc_number(text, type_abbr, agency_abbr)}"


def header_columns(heading: Heading, available_cm: float) -> tuple[float, float, float]:
    """(left cm, right cm, date pt) of the national header for this heading's texts."""
    from cchc_desktop.exporters.text_metrics import text_width_cm

    pad = 0.3
    agency = max(text_width_cm(heading.agency.upper(), 13, bold=True), 5.0) + pad
    nation = text_width_cm(NATION, 12, bold=True) + pad
    for size in (14.0, 13.0):
        date_cm = text_width_cm(heading.date_line, size, italic=True) + pad
        right = max(nation, date_cm)
        if right + agency <= available_cm:
            return available_cm - right, right, size
    # Even at 13 pt the date and the agency's name do not fit side by side: the date line
    # keeps its one line and the agency's name wraps in what is left (at least 5 cm).
    right = min(max(nation, date_cm), available_cm - 5.0)
    return available_cm - right, right, 13.0


def title_rule_cm(summary: str, text_width_cm: float) -> float:
    """The rule under a title: 40 % of the trích yếu's longest printed line (1/3–1/2 asked)."""
    from cchc_desktop.exporters.text_metrics import text_width_cm as width_of

    line = min(width_of(summary, 14, bold=True), text_width_cm)
    return round(max(line * 0.4, 1.5), 2)


def recipient_lines(recipients: Iterable[str], drafter: str) -> list[str]:
    """The lines under "Nơi nhận:": "- X;" each, the last "- Lưu: VT, {drafter}."."""
    lines = []
    for r in recipients:
        text = r.strip().lstrip("-").strip().rstrip(";.").strip()
        if text and not text.lower().startswith("lưu:"):
            lines.append(f"- {text};")
    drafter = drafter.strip().rstrip(".")
    lines.append(f"- Lưu: VT, {drafter}." if drafter else "- Lưu: VT.")
    return lines


def signature_parts(lines: Sequence[str]) -> tuple[list[str], int, list[str]]:
    """(authority and title lines, blank lines to sign in, name lines) of a signature block
    as a template writes it: the lines before the first blank, the blanks, the rest."""
    lines = [line.strip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    top: list[str] = []
    i = 0
    while i < len(lines) and lines[i]:
        top.append(lines[i])
        i += 1
    blanks = 0
    while i < len(lines) and not lines[i]:
        blanks += 1
        i += 1
    return top, blanks, [line for line in lines[i:] if line]
