"""Hostile cells in an imported workbook, through the CLI: clear problems, nothing half-written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cchc_desktop.cli.main import main

HEADER = ["STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Hạn hoàn thành",
          "Ngày hoàn thành", "Cơ quan chủ trì", "Cơ quan phối hợp", "Văn bản giao",
          "Nguồn giao", "Ghi chú"]


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r, values in enumerate([HEADER, *rows], start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def _row(content: object, *, due: object = None, unit: object = "Văn phòng Sở", stt: object = 1,
         note: object = None) -> list[object]:
    return [stt, content, None, None, due, None, unit, None, None, None, note]


def _tasks(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT content, note, due_date FROM tasks ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(("bad_row", "expected"), [
    (_row("Hạn không có thật", due="31/02/2022"), "31/02/2022"),
    (_row("Đ" * 1_000_000), "quá dài"),
    (_row("Hạn âm", due=-5), ""),
])
def test_one_bad_row_refuses_the_whole_file(db, db_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture, bad_row, expected) -> None:
    from cchc_desktop.services.units import create_unit

    with db.session() as s:
        create_unit(s, "Văn phòng Sở", "VP")
    sheet = _workbook(tmp_path / "in.xlsx", [_row("Việc tốt 1", stt=1), bad_row,
                                              _row("Việc tốt 2", stt=3)])
    code = main(["--db", str(db_path), "import", "tasks", str(sheet), "--year", "2022"])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err and "internal error" not in err
    assert expected in err
    assert _tasks(db_path) == []  # all or nothing


def test_odd_but_valid_cells_are_stored_exactly(db, db_path: Path, tmp_path: Path) -> None:
    from cchc_desktop.services.units import create_unit

    with db.session() as s:
        create_unit(s, "Văn phòng Sở", "VP")
    texts = ["Robert'); DROP TABLE tasks;--", "Hoàn thành 🎉 đúng hạn", 'Trích "ngoặc" và \'đơn\'',
             "100% ; -- /* chú thích */"]
    sheet = _workbook(tmp_path / "in.xlsx", [_row(t, stt=i, note=t) for i, t in enumerate(texts, 1)])
    assert main(["--db", str(db_path), "import", "tasks", str(sheet), "--year", "2022"]) == 0
    stored = _tasks(db_path)
    assert [c for c, _n, _d in stored] == texts
    assert [n for _c, n, _d in stored] == texts
