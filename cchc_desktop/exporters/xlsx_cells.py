"""One rule for every text cell we write into a workbook: it stays text.

A cell whose text starts with ``=`` is stored by openpyxl as a formula, and Excel runs it
when the file opens (``=cmd|' /c calc'!A1`` is a DDE call). Text starting with ``+``, ``-``,
``@`` (or a tab or line break before one) is stored as text but becomes a formula as soon as
someone edits the cell. Such text is written as a string cell (``t="s"``, never ``<f>``)
with Excel's "quote prefix" style, so the text is shown and imported back exactly as it was:
nothing is added to it, and "-5%" stays "-5%". Only openpyxl objects are touched here, so
any module (task lists, the criteria template, the evidence index) can use it.
"""

from __future__ import annotations

import gc
import sys
from os import PathLike
from typing import Any

__all__ = ["FORMULA_STARTS", "keep_as_text", "looks_like_formula", "save_workbook"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make a spreadsheet read text as a formula (now or once edited)."""


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet would run, or run once the cell is edited."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_as_text(cell: Any) -> Any:
    """Make an openpyxl ``cell`` holding such text a plain text cell; returns the cell.

    Call it after setting the value (``ws.cell(row, col, value)`` or ``ws.append``):
    other values are left as they are.
    """
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def save_workbook(book: Any, path: str | PathLike[str]) -> None:
    """Save an openpyxl ``book`` atomically: the previous file stays whole when it fails.

    A failed write raises EnvironmentProblem (see :mod:`cchc_desktop.store.file_errors`).
    """
    from cchc_desktop.store.file_errors import written_atomically

    with written_atomically(path) as tmp:
        _save_quietly(book, tmp)


def _save_quietly(book: Any, tmp: PathLike[str]) -> None:
    # openpyxl streams each sheet through an lxml writer in a generator; when a write fails
    # that generator is left open, and finalising it later prints the same error again as
    # "Exception ignored in ...". It is finalised here, with that one report silenced.
    failure: OSError | None = None
    hook = sys.unraisablehook

    def quiet(unraisable: Any) -> None:
        if type(unraisable.exc_value).__name__ != "SerialisationError":
            hook(unraisable)

    sys.unraisablehook = quiet
    try:
        try:
            book.save(tmp)
        except Exception as exc:
            from cchc_desktop.store.file_errors import as_os_error

            failure = as_os_error(exc)
            if failure is None:
                raise
        gc.collect()
    finally:
        sys.unraisablehook = hook
    if failure is not None:
        raise OSError(failure.errno, failure.strerror)
