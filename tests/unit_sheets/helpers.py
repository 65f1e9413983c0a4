"""Editing exported unit workbooks the way a unit would (with openpyxl, in Excel's place)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from cchc_desktop.services.unit_sheets import COLUMNS

COL = {c.key: i for i, c in enumerate(COLUMNS, start=1)}


def task_rows(path: Path) -> dict[int, int]:
    """task id -> sheet row number, read from the hidden keys."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    found = {}
    for r in range(1, ws.max_row + 1):
        key = ws.cell(row=r, column=COL["key"]).value
        if isinstance(key, str) and key.startswith("CCHC1:") and key.count(":") == 6:
            found[int(key.split(":")[3])] = r
    return found


def fill(path: Path, task_id: int, **values: object) -> None:
    """Set cells of the row of ``task_id`` (column keys of services.unit_sheets.COLUMNS)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = task_rows(path)[task_id]
    for key, value in values.items():
        ws.cell(row=row, column=COL[key]).value = value
    wb.save(path)


def copy_row(source: Path, task_id: int, target: Path) -> int:
    """Append the row of ``task_id`` in ``source`` (key included) to ``target``; its number."""
    src = openpyxl.load_workbook(source).active
    row = task_rows(source)[task_id]
    wb = openpyxl.load_workbook(target)
    ws = wb.active
    new = ws.max_row + 1
    for col in range(1, len(COLUMNS) + 1):
        ws.cell(row=new, column=col).value = src.cell(row=row, column=col).value
    wb.save(target)
    return new


def sheet_of(files: list[Path], unit_name_part: str) -> Path:
    """The workbook whose file name contains ``unit_name_part``."""
    return next(f for f in files if unit_name_part in f.name)


