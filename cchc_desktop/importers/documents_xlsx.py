"""A document list sheet (số ký hiệu, ngày ban hành, trích yếu ...) as parsed rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from cchc_desktop.domain.text import doc_type_from_symbol, parse_doc_number
from cchc_desktop.errors import UserError
from cchc_desktop.importers.cells import cell_date, cell_text
from cchc_desktop.importers.headers import DOCUMENT_COLUMNS, HeaderMap, find_header, header_key
from cchc_desktop.importers.sheet import Cell, SheetData

__all__ = ["ParsedDocument", "ParsedDocumentSheet", "parse_document_sheet"]


@dataclass
class ParsedDocument:
    """One document row; ``doc_type`` is derived from the symbol when "Loại" is empty."""

    row: int
    symbol: str
    issued_on: date | None
    summary: str
    issuer: str
    doc_type: str
    problems: list[str] = field(default_factory=list)


@dataclass
class ParsedDocumentSheet:
    """The header found and the document rows below it."""

    header: HeaderMap
    documents: list[ParsedDocument]


def _text(values: Sequence[Cell], header: HeaderMap, key: str) -> str:
    col = header.columns.get(key)
    if col is None or col >= len(values):
        return ""
    return " ".join(cell_text(values[col]).split()) if key != "summary" else cell_text(values[col])


def _document(number: int, values: Sequence[Cell], header: HeaderMap) -> ParsedDocument:
    problems: list[str] = []
    symbol = _text(values, header, "symbol")
    symbol = symbol.removeprefix("Số:").removeprefix("Số").strip() if symbol else ""
    issued_on = None
    col = header.columns.get("issued_on")
    raw_date = values[col] if col is not None and col < len(values) else None
    if raw_date is None:
        problems.append("Thiếu ngày ban hành.")
    else:
        try:
            issued_on = cell_date(raw_date)
        except ValueError as exc:
            problems.append(f"Ngày ban hành: {exc}")
    doc_type = _text(values, header, "doc_type")
    if not symbol:
        problems.append("Thiếu số ký hiệu.")
    else:
        try:
            parse_doc_number(symbol)
        except ValueError:
            problems.append(f"Số ký hiệu '{symbol}' không hợp lệ (ví dụ đúng: 36/KH-UBND).")
        else:
            doc_type = doc_type or doc_type_from_symbol(symbol) or ""
    return ParsedDocument(
        row=number,
        symbol=symbol,
        issued_on=issued_on,
        summary=_text(values, header, "summary"),
        issuer=_text(values, header, "issuer"),
        doc_type=doc_type,
        problems=problems,
    )


def parse_document_sheet(data: SheetData) -> ParsedDocumentSheet:
    """Find the header (the first row with a "Số ký hiệu" cell) and read every row below it."""
    header = find_header(data.rows, DOCUMENT_COLUMNS, "symbol")
    if "issued_on" not in header.columns:
        raise UserError('Bảng tính thiếu cột "Ngày ban hành" (bắt buộc cùng cột "Số ký hiệu").')
    documents: list[ParsedDocument] = []
    symbol_col = header.columns["symbol"]
    for number, values in data.rows[header.row_index + 1 :]:
        filled = [v for v in values if v is not None]
        if not filled:
            continue
        symbol_cell = values[symbol_col] if symbol_col < len(values) else None
        if header_key(symbol_cell) == "so ky hieu":  # repeated header
            continue
        if all(cell_text(v).strip("()").isdigit() and len(cell_text(v)) <= 4 for v in filled):
            continue  # the "(1) (2) (3)" numbering row
        documents.append(_document(number, values, header))
    return ParsedDocumentSheet(header, documents)
