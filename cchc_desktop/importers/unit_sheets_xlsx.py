"""Reading a unit's returned progress workbook: its signed token, its rows, formula cells.

The values come from the generic reader (:func:`importers.sheet.read_sheet`, with its checks
of what a file really is); the formula cells of an .xlsx are found with openpyxl in read-only
mode. A file that is too big to be a returned sheet is refused before it is parsed. The rules
(what a row means, whether it may be merged) live in services/unit_sheets.py.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cchc_desktop.domain.terms import earlier_names
from cchc_desktop.errors import UserError
from cchc_desktop.importers.sheet import Cell, read_sheet

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "ReturnedSheet", "read_unit_sheet"]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass
class ReturnedSheet:
    """The rows under the header, in the expected columns' order, and the formula cells.

    ``formulas`` maps a sheet row number to the indexes (in the expected order) of the
    columns holding a formula there.
    """

    token: str
    rows: list[tuple[int, list[Cell]]]
    formulas: dict[int, set[int]] = field(default_factory=dict)


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"Không mở được tệp {path.name}: {exc.strerror or exc}.") from exc
    if size > MAX_FILE_BYTES:
        raise UserError(f"Tệp {path.name} quá lớn ({size // (1024 * 1024)} MB) để là phiếu cập "
                        "nhật của một đơn vị.")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(i.file_size for i in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return  # read_sheet says what is wrong with it
        if unpacked > MAX_UNPACKED_BYTES:
            raise UserError(f"Tệp {path.name} chứa quá nhiều dữ liệu để là phiếu cập nhật "
                            "của một đơn vị.")


def _formula_cells(path: Path, sheet_name: str, columns: list[int], first_row: int
                   ) -> dict[int, set[int]]:
    """(row → expected-column indexes) of the cells of ``columns`` (1-based) holding formulas."""
    import openpyxl

    found: dict[int, set[int]] = {}
    wanted = {col: i for i, col in enumerate(columns)}
    try:
        with path.open("rb") as stream:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
            try:
                sheet = workbook[sheet_name]
                for row in sheet.iter_rows(min_row=first_row, max_col=max(columns)):
                    for cell in row:
                        if getattr(cell, "data_type", None) == "f" and cell.column in wanted:
                            found.setdefault(cell.row, set()).add(wanted[cell.column])
            finally:
                workbook.close()
    except Exception as exc:  # openpyxl fails in many ways on files calamine could read
        raise UserError(f"Không đọc được công thức trong tệp {path.name}: tệp có thể đã hỏng."
                        ) from exc
    return found


def read_unit_sheet(path: str | Path, headers: list[str], token_prefix: str) -> ReturnedSheet:
    """Read a returned workbook whose header row holds ``headers`` and, in the last of them
    (the hidden key column), a token starting with ``token_prefix``.

    Raises :class:`UserError` with a Vietnamese message for a file that is not a workbook,
    is too big, or is not a unit's progress workbook.
    """
    path = Path(path)
    _check_size(path)
    data = read_sheet(path)
    header_at = None
    for number, values in data.rows:
        for col, value in enumerate(values):
            if isinstance(value, str) and value.startswith(token_prefix):
                header_at = (number, values, col)
                break
        if header_at:
            break
    if header_at is None:
        raise UserError(f"Tệp {path.name} không phải phiếu cập nhật do chương trình gửi cho "
                        "đơn vị (không có phần nhận dạng của phiếu).")
    number, header_values, token_col = header_at
    positions: list[int] = []
    for label in headers[:-1]:
        # A sheet sent out before a header took the glossary's term still has the old one.
        found = [header_values.index(name) for name in (label, *earlier_names(label))
                 if name in header_values]
        if found:
            positions.append(found[0])
        else:
            raise UserError(f"Tệp {path.name}: thiếu cột “{label}” của phiếu cập nhật (cột bị "
                            "xóa hoặc đổi tên): không nhận.")
    positions.append(token_col)
    body = [(n, v) for n, v in data.rows if n > number]
    if len(body) > MAX_ROWS:
        raise UserError(f"Tệp {path.name} có {len(body)} dòng, quá nhiều cho một phiếu cập nhật "
                        f"(tối đa {MAX_ROWS}).")
    rows = [(n, [values[p] if p < len(values) else None for p in positions]) for n, values in body]
    formulas: dict[int, set[int]] = {}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            is_xlsx = "xl/workbook.xml" in archive.namelist()
        if is_xlsx:
            formulas = _formula_cells(path, data.sheet_name, [p + 1 for p in positions],
                                      number + 1)
    return ReturnedSheet(str(header_values[token_col]), rows, formulas)
