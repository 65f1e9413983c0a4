"""Importing old Excel (.xls) and LibreOffice (.ods) workbooks, as offices receive them.

The workbooks in ``data/`` were converted from the .xlsx next to them by LibreOffice
(``data/make_fixtures.py``); these tests read the committed files and need no LibreOffice.
Every format must give exactly the tasks and documents the .xlsx original gives.
"""

from __future__ import annotations

import random
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cchc_desktop.cli.main import main as cli_main
from cchc_desktop.errors import UserError
from cchc_desktop.importers.sheet import read_sheet
from cchc_desktop.services.imports import import_documents, import_tasks
from cchc_desktop.store.models import Document, Task
from tests.importers.conftest import snapshot

DATA = Path(__file__).resolve().parent / "data"
TODAY = date(2025, 1, 20)
FORMATS = ["xlsx", "xls", "ods"]
LEGACY_FORMATS = ["xls", "ods"]

# (content, lead, supporting units, timing, due, area, note) of data/tasks.*, in sheet order.
EXPECTED_TASKS = [
    ("Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực giáo dục", "Thanh tra Sở",
     ["Phòng Giáo dục Trung học", "Văn phòng Sở"], "Quý I", date(2025, 3, 31), 2, ""),
    ("Kiểm tra việc thực hiện quy định về công tác văn thư, lưu trữ", "Thanh tra Sở",
     ["Văn phòng Sở"], "Quý II", date(2025, 6, 30), 2, "Trước ngày 25 hằng tháng gửi số liệu"),
    ("Theo dõi tình hình thi hành pháp luật về xử lý vi phạm hành chính", "Thanh tra Sở",
     [], "Tháng 12", date(2025, 12, 15), 2, ""),
    ("Công bố, công khai đầy đủ thủ tục hành chính trên Cổng Dịch vụ công quốc gia",
     "Văn phòng Sở", ["Các phòng chuyên môn thuộc Sở", "Trung tâm Phục vụ hành chính công tỉnh"],
     "Thường xuyên", None, 3, "Ưu tiên thực hiện"),
    ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt tỷ lệ 100%",
     "Phòng Kế hoạch – Tài chính", ["Văn phòng Sở"], "Quý III", date(2025, 9, 30), 3, ""),
    ("Sắp xếp, kiện toàn tổ chức bộ máy các phòng chuyên môn", "Phòng Tổ chức cán bộ",
     ["Các đơn vị trực thuộc"], "Tháng 11", date(2025, 11, 15), 4, "Đẩy mạnh; ưu tiên; kỹ lưỡng"),
]


def fixture(name: str) -> Path:
    path = DATA / name
    assert path.is_file(), f"{name} is missing: run tests/importers/data/make_fixtures.py"
    return path


def run_tasks(db, path: Path, **kwargs):  # noqa: ANN001, ANN201
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("year", 2025)
    kwargs.setdefault("create_units", True)  # the fixtures' units are new to a fresh database
    with db.session() as s:
        return import_tasks(s, path, **kwargs)


def stored_tasks(db) -> list[tuple]:  # noqa: ANN001
    """Every task as plain values, in the order the import wrote them."""
    with db.session() as s:
        return [
            (t.content, t.lead_unit.name, sorted(u.name for u in t.supporting_units),
             t.timing_text, t.due_date, t.area, t.note or "", t.output, t.year, t.position)
            for t in s.scalars(select(Task).order_by(Task.id))
        ]


def stored_documents(db) -> list[tuple]:  # noqa: ANN001
    with db.session() as s:
        return [
            (d.symbol, d.issued_on, d.summary, d.issuer, d.doc_type)
            for d in s.scalars(select(Document).order_by(Document.id))
        ]


# --------------------------------------------------------------------------- tasks


@pytest.mark.parametrize("fmt", FORMATS)
def test_task_sheet_imports_every_row_with_exact_text_and_dates(db, fmt: str) -> None:  # noqa: ANN001
    report = run_tasks(db, fixture(f"tasks.{fmt}"))
    assert report.ok, report.problems
    assert report.committed
    assert report.header_row == 4
    assert (report.rows_read, report.group_rows, report.added) == (6, 3, 6)
    assert report.sheet == "Phụ lục I"
    assert report.conversions == {}  # Unicode text is never mistaken for TCVN3/VNI
    got = [row[:7] for row in stored_tasks(db)]
    assert got == EXPECTED_TASKS
    for content, lead, support, *_rest in got:
        for text in (content, lead, *support):
            assert unicodedata.is_normalized("NFC", text), text


@pytest.mark.parametrize("fmt", LEGACY_FORMATS)
def test_same_tasks_as_the_xlsx_original(db, tmp_path, fmt: str) -> None:  # noqa: ANN001
    from cchc_desktop.store.db import open_database

    assert run_tasks(db, fixture("tasks.xlsx")).ok
    from_xlsx = stored_tasks(db)
    other_path = tmp_path / f"other.{fmt}.sqlite3"
    shutil.copyfile(tmp_path / "test.sqlite3", other_path)
    other = open_database(str(other_path), auto_backup=False)
    try:
        with other.session() as s:
            for task in s.scalars(select(Task)):
                s.delete(task)
        assert run_tasks(other, fixture(f"tasks.{fmt}")).ok
        assert stored_tasks(other) == from_xlsx
        # Importing the other format into the first database changes nothing: same tasks.
        again = run_tasks(db, fixture(f"tasks.{fmt}"))
        assert (again.added, again.updated, again.unchanged) == (0, 0, 6)
    finally:
        other.engine.dispose()


@pytest.mark.parametrize("fmt", LEGACY_FORMATS)
def test_sheet_rows_match_the_xlsx_original(fmt: str) -> None:
    """Cell by cell, apart from how a whole number is typed (1 or 1.0)."""
    def plain(path: Path) -> list[tuple[int, list[object]]]:
        return [
            (n, [int(v) if isinstance(v, float) and v.is_integer() else v for v in values])
            for n, values in read_sheet(path).rows
        ]

    original = plain(fixture("tasks.xlsx"))
    assert plain(fixture(f"tasks.{fmt}")) == original
    merged_rows = [values[2] for n, values in original if n in (7, 8, 9)]
    assert merged_rows == ["Thanh tra Sở"] * 3  # repeated down the merged range


@pytest.mark.parametrize("fmt", FORMATS)
def test_bad_rows_are_named_by_sheet_row_and_nothing_is_written(db, fmt: str) -> None:  # noqa: ANN001
    before = snapshot(db)
    report = run_tasks(db, fixture(f"tasks_bad.{fmt}"))
    assert not report.committed
    assert [row for row, _reason in report.problems] == [6, 8]
    lines = report.problem_lines()
    assert lines[0].startswith("row 6: Thời hạn:") and "31/02/2025" in lines[0]
    assert lines[1] == "row 8: Thiếu đơn vị chủ trì."
    assert snapshot(db) == before


# --------------------------------------------------------------------------- documents


@pytest.mark.parametrize("fmt", FORMATS)
def test_document_register(db, fmt: str) -> None:  # noqa: ANN001
    with db.session() as s:
        report = import_documents(s, fixture(f"documents.{fmt}"))
    assert report.ok, report.problems
    assert (report.header_row, report.added) == (3, 4)
    assert stored_documents(db) == [
        ("15/KH-UBND", date(2025, 1, 10), "Kế hoạch cải cách hành chính tỉnh Đắk Lắk năm 2025",
         "UBND tỉnh", "Kế hoạch"),
        ("123/QĐ-SGDĐT", date(2025, 3, 5),
         "Quyết định công bố danh mục thủ tục hành chính được chuẩn hóa",
         "Sở Giáo dục và Đào tạo", "Quyết định"),
        ("456/SNV-CCHC", date(2025, 4, 2),
         "Về việc hướng dẫn tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2025",
         "Sở Nội vụ", "Công văn"),
        ("07/CT-UBND", date(2025, 6, 18), "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính",
         "UBND tỉnh", "Chỉ thị"),
    ]


# --------------------------------------------------------------------------- legacy fonts


@pytest.mark.parametrize("fmt", FORMATS)
def test_tcvn3_fonts_are_converted(db, fmt: str) -> None:  # noqa: ANN001
    """.VnTime cells, and the capitals-only .VnTimeH group row, found from the fonts."""
    data = read_sheet(fixture(f"tasks_tcvn3.{fmt}"))
    assert data.rows[0][1][0] == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025"
    assert data.rows[2][1][0] == "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"
    report = run_tasks(db, fixture(f"tasks_tcvn3.{fmt}"))
    assert report.ok, report.problems
    assert report.group_rows == 1
    assert report.conversions == {"TCVN3": 9}
    assert [row[:6] for row in stored_tasks(db)] == [
        ("Rà soát thủ tục hành chính", "Văn phòng Sở", [], "Quý IV", date(2025, 12, 31), 3),
        ("Niêm yết công khai thủ tục", "Phòng Tổ chức cán bộ", [], "Quý II", date(2025, 6, 30), 3),
    ]


def test_xls_font_reader_gives_up_quietly_on_damaged_files() -> None:
    """No fonts (the characters still decide), never an exception, for a cut or garbled .xls."""
    from cchc_desktop.importers.xls_fonts import xls_legacy_fonts

    whole = fixture("tasks_tcvn3.xls").read_bytes()
    assert len(xls_legacy_fonts(whole, "Sheet1")) == 9
    assert xls_legacy_fonts(whole, "Sheet2") == {}
    rng = random.Random(3)
    for size in range(0, len(whole), 97):
        assert isinstance(xls_legacy_fonts(whole[:size], "Sheet1"), dict)
    for _ in range(200):
        damaged = bytearray(whole)
        for _ in range(8):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        assert isinstance(xls_legacy_fonts(bytes(damaged), "Sheet1"), dict)


# --------------------------------------------------------------------------- damaged and odd files


def test_xlsx_renamed_xls_is_read_as_what_it_is(db, tmp_path) -> None:  # noqa: ANN001
    renamed = tmp_path / "phu_luc.xls"
    shutil.copyfile(fixture("tasks.xlsx"), renamed)
    report = run_tasks(db, renamed)
    assert report.ok and report.added == 6
    assert [row[:7] for row in stored_tasks(db)] == EXPECTED_TASKS


def test_xls_renamed_xlsx_is_read_as_what_it_is(db, tmp_path) -> None:  # noqa: ANN001
    renamed = tmp_path / "phu_luc.xlsx"
    shutil.copyfile(fixture("tasks.xls"), renamed)
    assert run_tasks(db, renamed).added == 6


def test_html_table_named_xls_gets_a_clear_message(db, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "van_ban.xls"
    path.write_text("<html><body><table><tr><td>Nội dung</td></tr></table></body></html>",
                    encoding="utf-8")
    with pytest.raises(UserError, match="trang web \\(HTML\\).*lưu dạng .xlsx"):
        run_tasks(db, path)


@pytest.mark.parametrize(("fmt", "size"), [
    ("xls", 3000), ("xls", 4864),
    ("xls", 8192),  # calamine 0.9 panics on this one (pyo3's PanicException, a BaseException)
    ("ods", 3000), ("ods", 6000), ("ods", 8000),
])
def test_truncated_file_is_a_user_error_not_a_crash(db, tmp_path, fmt: str, size: int) -> None:  # noqa: ANN001, E501
    """A half-downloaded attachment gives the "damaged file" message, never a traceback."""
    path = tmp_path / f"dang_tai.{fmt}"
    path.write_bytes(fixture(f"tasks.{fmt}").read_bytes()[:size])
    before = snapshot(db)
    with pytest.raises(UserError, match=f"dang_tai.{fmt}: tệp không phải bảng tính Excel hoặc đã bị hỏng"):
        run_tasks(db, path)
    assert snapshot(db) == before


# --------------------------------------------------------------------------- the CLI


def cli(db_path: Path, *args: str) -> int:
    return cli_main(["--db", str(db_path), *args])


@pytest.mark.parametrize("fmt", LEGACY_FORMATS)
def test_cli_imports_xls_and_ods(db, db_path, capsys, fmt: str) -> None:  # noqa: ANN001
    assert cli(db_path, "import", "documents", str(fixture(f"documents.{fmt}"))) == 0
    assert "Đã thêm 4 văn bản" in capsys.readouterr().out
    assert cli(db_path, "import", "tasks", str(fixture(f"tasks.{fmt}")), "--year", "2025",
               "--create-units") == 0
    out = capsys.readouterr().out
    assert "Đã thêm 6 nhiệm vụ" in out and "3 dòng nhóm" in out
    assert [row[:7] for row in stored_tasks(db)] == EXPECTED_TASKS


@pytest.mark.parametrize("fmt", LEGACY_FORMATS)
def test_cli_bad_rows_exit_2(db, db_path, capsys, fmt: str) -> None:  # noqa: ANN001
    before = snapshot(db)
    assert cli(db_path, "import", "tasks", str(fixture(f"tasks_bad.{fmt}"))) == 2
    err = capsys.readouterr().err
    assert "row 6: Thời hạn:" in err and "row 8: Thiếu đơn vị chủ trì." in err
    assert snapshot(db) == before


def test_cli_corrupt_xls_exits_1_with_a_clear_message(db, db_path, tmp_path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "phu_luc.xls"
    path.write_bytes(random.Random(1).randbytes(6000))
    assert cli(db_path, "import", "tasks", str(path)) == 1
    err = capsys.readouterr().err
    assert "phu_luc.xls" in err and "không phải bảng tính Excel hoặc đã bị hỏng" in err
    assert "Traceback" not in err
    truncated = tmp_path / "dang_do.xls"
    truncated.write_bytes(fixture("tasks.xls").read_bytes()[:8192])  # a reader panic
    assert cli(db_path, "import", "tasks", str(truncated)) == 1
    assert "đã bị hỏng" in capsys.readouterr().err
