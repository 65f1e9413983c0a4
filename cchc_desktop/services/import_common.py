"""What the task and document imports share: reading the source, the report's header."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cchc_desktop.domain.text import fold
from cchc_desktop.importers.headers import HeaderMap
from cchc_desktop.importers.sheet import SheetData, read_sheet
from cchc_desktop.services.import_report import ImportReport

Progress = Callable[[int, str], None]


def sheet(source: str | Path | SheetData) -> SheetData:
    """A workbook or Word file read, or a table already read (pasted from Word/Excel)."""
    if isinstance(source, SheetData):
        return source
    if Path(source).suffix.lower() in (".docx", ".doc"):
        from cchc_desktop.importers.word import read_word_tables

        return read_word_tables(source)
    return read_sheet(source)


def noop(_percent: int, _text: str) -> None:
    """A progress callback that shows nothing."""


def sentences(reasons: list[str]) -> str:
    """Several reasons for one row as one line of sentences."""
    return " ".join(r if r.endswith(".") else r + "." for r in reasons)


def document_key(symbol: str) -> str:
    """A số ký hiệu's identity: folded, without spaces."""
    return fold(symbol).replace(" ", "")


def start_report(kind: str, data: SheetData, specs: tuple, header: HeaderMap,
                 rows: int) -> ImportReport:
    """The report's header: the source, the columns found and ignored, the conversions."""
    labels = {s.key: s.label for s in specs}
    report = ImportReport(
        kind=kind,
        file=data.path.name,
        sheet=data.sheet_name,
        header_row=header.row_number,
        columns=[labels[k] for k in labels if k in header.columns],
        ignored_columns=list(header.ignored),
        rows_read=rows,
    )
    report.conversions = {enc.value: n for enc, n in data.conversions.items()}
    report.conversion_rows = {enc.value: rows for enc, rows in data.converted_rows.items()}
    return report


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (memory is still freed by reference counting).

    An import builds tens of thousands of small objects that hold no cycles; the collector
    would walk the ever larger heap again and again for nothing: a fifth of the time of a
    10,000-row import. It runs again afterwards (if it ran before).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
