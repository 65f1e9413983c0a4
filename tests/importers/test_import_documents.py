"""Importing document lists: required columns, derived types, one document per symbol+body."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cchc_desktop.errors import UserError
from cchc_desktop.services.imports import import_documents
from cchc_desktop.store.models import Document
from tests.importers.conftest import snapshot

HEADER = ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành", "Loại"]


def run(db, path, **kwargs):  # noqa: ANN001, ANN201
    with db.session() as s:
        return import_documents(s, path, **kwargs)


def docs(db) -> list[Document]:  # noqa: ANN001
    with db.session() as s:
        return list(s.scalars(select(Document).order_by(Document.id)))


def test_import_derives_type_and_reads_dates(db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([
        ["DANH MỤC VĂN BẢN CHỈ ĐẠO"], [],
        HEADER,
        [1, "263/BC-SGDĐT", date(2021, 6, 7), "Báo cáo CCHC 6 tháng", "Sở GD&ĐT", None],
        [2, "Số: 36/KH-UBND", "26/01/2021", "Kế hoạch CCHC", "UBND tỉnh", None],
        [3, "123/SGDĐT-VP", "5/3/2021", "Về việc báo cáo", "Sở GD&ĐT", None],
        [4, "2094/QĐ-UBND", "15/9/2022", "Công bố Chỉ số CCHC", "UBND tỉnh", "Quyết định"],
    ])
    report = run(db, path)
    assert report.ok, report.problems
    assert report.added == 4 and report.header_row == 3
    stored = {d.symbol: d for d in docs(db)}
    assert stored["263/BC-SGDĐT"].doc_type == "Báo cáo"
    assert stored["36/KH-UBND"].doc_type == "Kế hoạch"
    assert stored["36/KH-UBND"].issued_on == date(2021, 1, 26)
    assert stored["123/SGDĐT-VP"].doc_type == "Công văn"
    assert stored["2094/QĐ-UBND"].doc_type == "Quyết định"


def test_same_symbol_and_body_is_one_document(db, make_sheet) -> None:  # noqa: ANN001
    rows = [HEADER, [1, "36/KH-UBND", "26/01/2021", "Kế hoạch CCHC", "UBND tỉnh"],
            [2, "36/KH-UBND", "26/01/2021", "Kế hoạch CCHC", "UBND tỉnh"],
            [3, "36/KH-UBND", "20/02/2021", "Kế hoạch khác", "Sở Nội vụ"]]
    report = run(db, make_sheet(rows))
    assert report.added == 2
    again = run(db, make_sheet(rows))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    changed = run(db, make_sheet([HEADER, [1, "36/kh-ubnd", "26/01/2021", "Kế hoạch mới",
                                           "ubnd tỉnh"]]))
    assert (changed.added, changed.updated) == (0, 1)
    assert [d.summary for d in docs(db)] == ["Kế hoạch mới", "Kế hoạch khác"]
    assert docs(db)[0].symbol == "36/KH-UBND"


def test_bad_rows_write_nothing(db, make_sheet) -> None:  # noqa: ANN001
    before = snapshot(db)
    path = make_sheet([
        HEADER,
        [1, "36/KH-UBND", "26/01/2021", "Tốt", "UBND tỉnh"],
        [2, None, "26/01/2021", "Không số", "UBND tỉnh"],
        [3, "37/KH-UBND", None, "Không ngày", "UBND tỉnh"],
        [4, "38/KH-UBND", "30/02/2021", "Ngày sai", "UBND tỉnh"],
        [5, "Công văn", "01/02/2021", "Không có dấu /", "UBND tỉnh"],
        [6, "36/KH-UBND", "27/01/2021", "Trùng mà khác", "UBND tỉnh"],
    ])
    report = run(db, path)
    assert [r for r, _ in report.problems] == [3, 4, 5, 6, 7]
    assert report.problem_lines()[0] == "row 3: Thiếu số ký hiệu."
    assert "30/02/2021" in report.problem_lines()[2]
    assert "dòng 2" in report.problem_lines()[4]
    assert snapshot(db) == before


def test_missing_date_column(db, make_sheet) -> None:  # noqa: ANN001
    with pytest.raises(UserError, match="Ngày ban hành"):
        run(db, make_sheet([["Số ký hiệu", "Trích yếu"], ["36/KH-UBND", "x"]]))


def test_completes_a_document_first_met_in_a_task_sheet(db, make_sheet) -> None:  # noqa: ANN001
    from cchc_desktop.services.documents import save_document

    with db.session() as s:
        save_document(s, "36/KH-UBND", date(2021, 1, 26))
    report = run(db, make_sheet([HEADER, [1, "36/KH-UBND", "26/01/2021", "Kế hoạch", "UBND tỉnh"]]))
    assert (report.added, report.updated) == (0, 1)
    [doc] = docs(db)
    assert (doc.issuer, doc.summary) == ("UBND tỉnh", "Kế hoạch")
