"""Test workbooks built with openpyxl at test time (no binary fixtures)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

HEADER = ["STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Hạn hoàn thành",
          "Ngày hoàn thành", "Cơ quan chủ trì", "Cơ quan phối hợp", "Văn bản giao",
          "Nguồn giao", "Ghi chú"]


def write_workbook(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    first_row: int = 1,
    fonts: dict[tuple[int, int], str] | None = None,
    merges: Sequence[str] = (),
) -> Path:
    """Write ``rows`` starting at sheet row ``first_row``; ``fonts`` maps (row, col) to a font."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    for r, values in enumerate(rows, start=first_row):
        for c, value in enumerate(values, start=1):
            if value is not None and value != "":
                ws.cell(row=r, column=c, value=value)
    for (r, c), name in (fonts or {}).items():
        ws.cell(row=r, column=c).font = Font(name=name)
    for cells in merges:
        ws.merge_cells(cells)
    wb.save(path)
    return path


MakeSheet = Callable[..., Path]


@pytest.fixture
def make_sheet(tmp_path: Path) -> MakeSheet:
    """make_sheet(rows, name="x.xlsx", first_row=1, fonts=None, merges=()) -> path."""
    counter = iter(range(1000))

    def make(rows: Sequence[Sequence[object]], name: str | None = None, **kwargs: object) -> Path:
        path = tmp_path / (name or f"sheet{next(counter)}.xlsx")
        return write_workbook(path, rows, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def units_db(db):  # noqa: ANN001, ANN201
    """A database with three units and one document."""
    from datetime import date

    from cchc_desktop.services.documents import save_document
    from cchc_desktop.services.units import create_unit

    with db.session() as s:
        create_unit(s, "Văn phòng Sở", "VP")
        create_unit(s, "Phòng Tổ chức cán bộ", "TCCB")
        create_unit(s, "Thanh tra Sở", "TTr")
        save_document(s, "36/KH-UBND", date(2021, 1, 26), issuer="UBND tỉnh",
                      summary="Kế hoạch CCHC năm 2021")
    return db


def snapshot(db) -> dict[str, list[tuple]]:  # noqa: ANN001
    """Every row of every table that an import may touch, for before/after comparisons."""
    from sqlalchemy import text

    tables = ["units", "documents", "tasks", "task_supporting_units", "plans"]
    with db.engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")))) for t in tables}
