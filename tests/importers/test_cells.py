"""Single cells: dates in every form people type, unit lists, the "Văn bản giao" text."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cchc_desktop.importers.cells import (
    DocumentRef,
    cell_date,
    cell_text,
    parse_document_ref,
    split_units,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2022, 3, 5), date(2022, 3, 5)),
        (datetime(2022, 3, 5, 0, 0), date(2022, 3, 5)),
        ("05/03/2022", date(2022, 3, 5)),
        ("5/3/2022", date(2022, 3, 5)),
        (" 5-3-2022 ", date(2022, 3, 5)),
        ("05.03.2022", date(2022, 3, 5)),
        ("2022-03-05", date(2022, 3, 5)),
        (44222.0, date(2021, 1, 26)),  # a date cell that lost its format
        (None, None),
    ],
)
def test_cell_date(value: object, expected: date | None) -> None:
    assert cell_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2022", "2022", "tháng 3", "abc", 12.0, "03/2022"])
def test_cell_date_refuses_what_is_not_a_date(value: object) -> None:
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        cell_date(value)


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(3.0) == "3" and cell_text(2.5) == "2.5"
    assert cell_text(date(2022, 1, 5)) == "05/01/2022"
    assert cell_text(" Văn phòng Sở ") == "Văn phòng Sở"


def test_split_units_on_semicolons_and_line_breaks_only() -> None:
    assert split_units("Phòng TCCB; Thanh tra Sở\nPhòng KH, TC\r\n- Văn phòng Sở;;") == [
        "Phòng TCCB", "Thanh tra Sở", "Phòng KH, TC", "Văn phòng Sở"]
    assert split_units("Các phòng, Thanh tra Sở") == ["Các phòng, Thanh tra Sở"]
    assert split_units("A; a; A") == ["A", "a"]
    assert split_units("") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("36/KH-UBND ngày 26/01/2021", DocumentRef("36/KH-UBND", date(2021, 1, 26), "")),
        ("Kế hoạch số 36/KH-UBND ngày 26 tháng 01 năm 2021 của UBND tỉnh",
         DocumentRef("36/KH-UBND", date(2021, 1, 26), "UBND tỉnh")),
        ("Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ",
         DocumentRef("30/2020/NĐ-CP", date(2020, 3, 5), "Chính phủ")),
        ("Công văn 123/SGDĐT-VP", DocumentRef("123/SGDĐT-VP", None, "")),
        ("Nghị quyết 01-NQ/TU", DocumentRef("01-NQ/TU", None, "")),
        ("263/BC-SGD&ĐT ngày 7/6/2021", DocumentRef("263/BC-SGD&ĐT", date(2021, 6, 7), "")),
    ],
)
def test_parse_document_ref(text: str, expected: DocumentRef) -> None:
    assert parse_document_ref(text) == expected
    assert parse_document_ref(expected.label()) == expected


@pytest.mark.parametrize("text", ["Kế hoạch năm nay", "36/KH-UBND ngày 30/02/2021"])
def test_parse_document_ref_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_document_ref(text)
