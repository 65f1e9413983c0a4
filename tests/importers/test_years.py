"""Dates whose year is outside 1900–2100 are refused row by row in every import.

Before the fix "12/05/20215" in "Hạn hoàn thành" was taken for a timing text and became
12/05 of the plan's year without a word; "ngày 12/05/20215" in "Văn bản giao" became 2021.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cchc_desktop.cli.main import main
from cchc_desktop.importers.cells import YearOutOfRange, cell_date, parse_document_ref
from tests.importers.conftest import HEADER, snapshot


@pytest.mark.parametrize("value", ["12/05/20215", "1/1/1899", "31/12/2101", "2150-01-01",
                                   date(1850, 1, 1), datetime(9999, 12, 31), 79_999])
def test_a_date_outside_1900_2100_is_refused(value: object) -> None:
    with pytest.raises(YearOutOfRange, match="nằm ngoài khoảng 1900–2100"):
        cell_date(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("1/1/1900", date(1900, 1, 1)), ("31/12/2100", date(2100, 12, 31)),
    (44222, date(2021, 1, 26)), (datetime(2024, 3, 15, 17, 0), date(2024, 3, 15)),
])
def test_dates_inside_the_range_still_read(value: object, expected: date) -> None:
    assert cell_date(value) == expected


def test_a_document_reference_with_a_five_digit_year_is_refused() -> None:
    with pytest.raises(ValueError, match="20215"):
        parse_document_ref("36/KH-UBND ngày 12/05/20215 của UBND tỉnh")


def test_task_import_names_each_row(units_db, db_path, make_sheet, capsys) -> None:  # noqa: ANN001
    path = make_sheet([
        HEADER,
        [1, "Hạn năm năm chữ số", None, None, "12/05/20215", None, "Văn phòng Sở"],
        [2, "Thời gian năm xa", None, "Trước ngày 15/3/20215", None, None, "Văn phòng Sở"],
        [3, "Hoàn thành năm 1850", None, None, None, "01/02/1850", "Văn phòng Sở"],
        [4, "Văn bản năm xa", None, None, None, None, "Văn phòng Sở",
         None, "36/KH-UBND ngày 26/01/20215"],
        [5, "Tốt", None, None, "31/12/2024", None, "Văn phòng Sở"],
    ])
    before = snapshot(units_db)
    assert main(["--db", str(db_path), "import", "tasks", str(path), "--year", "2024"]) == 2
    err = capsys.readouterr().err
    assert "row 2: Thời hạn: '12/05/20215': năm 20215 nằm ngoài khoảng 1900–2100" in err
    assert "row 3: Thời gian thực hiện: năm 20215 nằm ngoài khoảng 1900–2100" in err
    assert "row 4: Ngày hoàn thành: '01/02/1850': năm 1850" in err
    assert "row 5: Văn bản giao: '26/01/20215': năm 20215" in err
    assert "row 6" not in err
    assert snapshot(units_db) == before


def test_document_import_names_the_row(units_db, db_path, make_sheet, capsys) -> None:  # noqa: ANN001
    path = make_sheet([
        ["STT", "Số ký hiệu", "Ngày ban hành", "Trích yếu"],
        [1, "12/QĐ-UBND", "05/03/3024", "Quyết định năm xa"],
        [2, "13/QĐ-UBND", "05/03/2024", "Quyết định tốt"],
    ])
    assert main(["--db", str(db_path), "import", "documents", str(path)]) == 2
    err = capsys.readouterr().err
    assert "row 2: Ngày ban hành: '05/03/3024': năm 3024 nằm ngoài khoảng 1900–2100" in err
