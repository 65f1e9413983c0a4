"""Importing task sheets: headers, dates, groups, units, documents, all or nothing."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from cchc_desktop.errors import NotFoundError, UserError
from cchc_desktop.services.imports import import_tasks
from cchc_desktop.store.models import Document, Plan, Task, Unit
from tests.importers.conftest import HEADER, snapshot

TODAY = date(2024, 11, 20)


def run(db, path, **kwargs):  # noqa: ANN001, ANN201
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("create_units", True)  # these tests predate the confirmation step
    with db.session() as s:
        return import_tasks(s, path, **kwargs)


def tasks(db) -> list[Task]:  # noqa: ANN001
    with db.session() as s:
        found = list(s.scalars(select(Task).order_by(Task.id)))
        for t in found:
            _ = t.lead_unit, t.supporting_units, t.document
        return found


def task_row(content: str, lead: str = "Văn phòng Sở", **cells: object) -> list[object]:
    values = dict(zip(HEADER, [None] * len(HEADER), strict=True))
    values["Nội dung"], values["Cơ quan chủ trì"] = content, lead
    for key, value in cells.items():
        values[key.replace("_", " ")] = value
    return list(values.values())


def row(content: str, lead: str = "Văn phòng Sở", **cells: object) -> list[object]:
    mapping = {
        "output": "Kết quả", "timing": "Thời gian thực hiện", "due": "Hạn hoàn thành",
        "done": "Ngày hoàn thành", "support": "Cơ quan phối hợp", "doc": "Văn bản giao",
        "by": "Nguồn giao", "note": "Ghi chú", "stt": "STT",
    }
    return task_row(content, lead, **{mapping[k].replace(" ", "_"): v for k, v in cells.items()})


def test_header_below_title_rows_and_row_numbers(units_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet(
        [["PHỤ LỤC"], [None, "CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2022"], [], HEADER,
         row("Xây dựng kế hoạch CCHC", stt=1), row("Báo cáo CCHC quý", stt=2)],
        first_row=3,
    )
    report = run(units_db, path, year=2022)
    assert report.header_row == 6
    assert (report.added, report.updated, report.unchanged) == (2, 0, 0)
    assert [t.content for t in tasks(units_db)] == ["Xây dựng kế hoạch CCHC", "Báo cáo CCHC quý"]


def test_excel_and_text_dates(units_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([
        HEADER,
        row("A", due=date(2022, 3, 15), done=datetime(2022, 3, 10, 0, 0)),
        row("B", due="15/03/2022", done="1/3/2022"),
        row("C", due="5/3/2022"),
    ])
    report = run(units_db, path)
    assert report.ok, report.problems
    by_content = {t.content: t for t in tasks(units_db)}
    assert by_content["A"].due_date == date(2022, 3, 15)
    assert by_content["A"].completed_on == date(2022, 3, 10)
    assert by_content["B"].due_date == date(2022, 3, 15)
    assert by_content["B"].completed_on == date(2022, 3, 1)
    assert by_content["C"].due_date == date(2022, 3, 5)
    assert by_content["C"].year == 2022  # from its due date when no plan or year is given


def test_due_date_from_timing_for_the_plan_year(units_db, make_sheet) -> None:  # noqa: ANN001
    with units_db.session() as s:
        plan = Plan(kind="reform", year=2022, title="Kế hoạch CCHC năm 2022")
        s.add(plan)
        s.flush()
        plan_id = plan.id
    path = make_sheet([
        HEADER,
        row("Tháng", timing="Tháng 01 hằng năm"),
        row("Quý", timing="Quý II"),
        row("Thường xuyên", timing="Thường xuyên"),
        row("Có hạn", timing="Quý IV", due="20/12/2022"),
    ])
    report = run(units_db, path, plan_id=plan_id)
    assert report.ok, report.problems
    due = {t.content: t.due_date for t in tasks(units_db)}
    assert due == {
        "Tháng": date(2022, 1, 31), "Quý": date(2022, 6, 30), "Thường xuyên": None,
        "Có hạn": date(2022, 12, 20),
    }
    assert {t.plan_id for t in tasks(units_db)} == {plan_id}
    assert [t.position for t in tasks(units_db)] == [1, 2, 3, 4]


def test_timing_text_in_the_due_column_is_a_timing(units_db, make_sheet) -> None:  # noqa: ANN001
    header = ["STT", "Nội dung", "Thời hạn", "Đơn vị chủ trì"]
    path = make_sheet([header, [1, "Báo cáo năm", "Quý IV/2022", "Văn phòng Sở"]])
    report = run(units_db, path)
    assert report.ok, report.problems
    [task] = tasks(units_db)
    assert task.timing_text == "Quý IV/2022"
    assert task.due_date == date(2022, 12, 31)


def test_group_rows_set_the_area(units_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([
        HEADER,
        ["I", "Công tác chỉ đạo, điều hành về CCHC"],
        row("Kế hoạch CCHC", stt=1),
        ["II", "Cải cách thể chế"],
        row("Rà soát văn bản QPPL", stt=1),
        ["VI. Cải cách tài chính công"],
        row("Quy chế chi tiêu nội bộ", stt=1),
        ["VI", "Cải cách tổ chức bộ máy hành chính nhà nước"],  # the title wins over a wrong number
        row("Sắp xếp bộ máy", stt=1),
        ["VIII", "Chỉ số hiệu quả quản trị"],  # no area named: its number
        row("PAPI", stt=1),
    ], first_row=2)
    report = run(units_db, path, year=2022)
    assert report.ok, report.problems
    assert report.group_rows == 5
    assert report.rows_read == 5
    assert {t.content: t.area for t in tasks(units_db)} == {
        "Kế hoạch CCHC": 1, "Rà soát văn bản QPPL": 2, "Quy chế chi tiêu nội bộ": 6,
        "Sắp xếp bộ máy": 4, "PAPI": 8,
    }


def test_units_nfd_separators_and_new_units(units_db, make_sheet) -> None:  # noqa: ANN001
    nfd = unicodedata.normalize("NFD", "VĂN PHÒNG SỞ")
    path = make_sheet([
        HEADER,
        row("A", lead=nfd, support="Phòng Tổ chức cán bộ; Thanh tra Sở\nPhòng KH, TC"),
        row("B", lead="tccb", support="Phòng KH, TC;\n  Phòng mới  "),
    ])
    report = run(units_db, path, year=2022)
    assert report.ok, report.problems
    assert report.created_units == ["Phòng KH, TC", "Phòng mới"]
    assert report.suggestions == []
    a, b = tasks(units_db)
    assert a.lead_unit.name == "Văn phòng Sở"
    assert sorted(u.name for u in a.supporting_units) == [
        "Phòng KH, TC", "Phòng Tổ chức cán bộ", "Thanh tra Sở"]
    assert b.lead_unit.name == "Phòng Tổ chức cán bộ"  # its short name, any case
    assert sorted(u.name for u in b.supporting_units) == ["Phòng KH, TC", "Phòng mới"]
    with units_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == 5


def test_names_equal_without_diacritics_are_suggestions(units_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([HEADER, row("A", lead="Van phong So"), row("B", lead="Thanh tra Sở")])
    report = run(units_db, path, year=2022, dry_run=True)
    [suggestion] = report.suggestions
    assert (suggestion.written, suggestion.existing, suggestion.rows) == (
        "Van phong So", "Văn phòng Sở", [2])
    assert not suggestion.merged
    assert report.created_units == ["Van phong So"]  # created as written unless confirmed

    report = run(units_db, path, year=2022, merge_suggestions={"van phong so"})
    assert report.suggestions[0].merged and report.created_units == []
    assert tasks(units_db)[0].lead_unit.name == "Văn phòng Sở"


def test_documents_and_assigning_body(units_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([
        HEADER,
        row("A", doc="36/KH-UBND ngày 26/01/2021", by="UBND tỉnh"),
        row("B", doc="Kế hoạch số 12/KH-SNV ngày 05 tháng 02 năm 2022 của Sở Nội vụ",
            by="Chủ tịch UBND tỉnh"),
        row("C", doc="12/KH-SNV ngày 05/02/2022"),
    ])
    report = run(units_db, path)
    assert report.ok, report.problems
    assert report.created_documents == ["12/KH-SNV ngày 05/02/2022 của Sở Nội vụ"]
    a, b, c = tasks(units_db)
    assert a.document.symbol == "36/KH-UBND" and a.document.issuer == "UBND tỉnh"
    assert a.assigned_by == "UBND tỉnh"
    assert a.assigned_on == date(2021, 1, 26)  # the document's date
    assert b.document.issuer == "Sở Nội vụ" and b.document.doc_type == "Kế hoạch"
    assert b.assigned_by == "Chủ tịch UBND tỉnh"
    assert c.document_id == b.document_id
    with units_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 2


def test_bad_rows_write_nothing_and_name_every_row(units_db, make_sheet) -> None:  # noqa: ANN001
    run(units_db, make_sheet([HEADER, row("Đã có", support="Thanh tra Sở")]), year=2022)
    before = snapshot(units_db)
    path = make_sheet([
        ["KẾ HOẠCH"], [],
        HEADER,
        row("Tốt 1", lead="Đơn vị mới", doc="99/KH-UBND ngày 01/02/2022"),
        row("Ngày sai", due="31/02/2022"),
        row("Không chủ trì", lead=None),
        row("Xong trước khi giao", doc="36/KH-UBND ngày 26/01/2021", done="01/01/2021"),
        row("Văn bản sai", doc="Kế hoạch năm nay"),
        row("Đã có", support="Văn phòng Sở"),  # lead also supporting
        row("Tốt 2", done="abc"),
    ])
    report = run(units_db, path, year=2022)
    assert [r for r, _ in report.problems] == [5, 6, 7, 8, 10]
    lines = report.problem_lines()
    assert lines[0].startswith("row 5: Thời hạn:") and "31/02/2022" in lines[0]
    assert lines[1] == "row 6: Thiếu đơn vị chủ trì."
    assert "trước ngày giao" in lines[2]
    assert "không có số ký hiệu" in lines[3]
    assert lines[4].startswith("row 10: Ngày hoàn thành:") and "abc" in lines[4]
    # A lead also written as supporting is a warning now, not a refusal of the import.
    assert [(r, "phối hợp" in w) for r, w in report.warnings] == [(9, True)]
    assert not report.committed
    assert snapshot(units_db) == before


def test_reimport_updates_instead_of_duplicating(units_db, make_sheet) -> None:  # noqa: ANN001
    rows = [HEADER, row("Kế hoạch CCHC", due="31/01/2022"), row("Báo cáo quý", due="31/03/2022")]
    first = run(units_db, make_sheet(rows), year=2022)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    again = run(units_db, make_sheet(rows), year=2022)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    changed = [HEADER, row("KẾ HOẠCH  CCHC", due="31/01/2022", done="15/01/2022"),
               row("Báo cáo quý", due="31/03/2022"), row("Nhiệm vụ mới")]
    third = run(units_db, make_sheet(changed), year=2022)
    assert (third.added, third.updated, third.unchanged) == (1, 1, 1)
    stored = tasks(units_db)
    assert len(stored) == 3
    assert stored[0].completed_on == date(2022, 1, 15)
    assert stored[0].content == "KẾ HOẠCH  CCHC"  # kept as written; matched on its folded key


def test_missing_columns_keep_stored_values(units_db, make_sheet) -> None:  # noqa: ANN001
    run(units_db, make_sheet([HEADER, row("A", output="Kế hoạch", note="ghi chú")]), year=2022)
    progress = make_sheet([["Nội dung", "Chủ trì", "Ngày hoàn thành"],
                           ["A", "Văn phòng Sở", "10/02/2022"]])
    report = run(units_db, progress)
    assert (report.updated, report.added) == (1, 0)
    [task] = tasks(units_db)
    assert (task.output, task.note, task.completed_on) == ("Kế hoạch", "ghi chú", date(2022, 2, 10))


def test_dry_run_writes_nothing(units_db, make_sheet) -> None:  # noqa: ANN001
    before = snapshot(units_db)
    report = run(units_db, make_sheet([HEADER, row("A", lead="Mới")]), dry_run=True)
    assert report.added == 1 and report.created_units == ["Mới"] and not report.committed
    assert snapshot(units_db) == before


def test_unknown_plan(units_db, make_sheet) -> None:  # noqa: ANN001
    with pytest.raises(NotFoundError):
        run(units_db, make_sheet([HEADER, row("A")]), plan_id=999)


def test_sheet_without_content_header(units_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([["STT", "Công việc", "Chủ trì"], [1, "A", "Văn phòng Sở"]])
    with pytest.raises(UserError, match='cột "Nội dung"'):
        run(units_db, path)


def test_empty_sheet(units_db, make_sheet) -> None:  # noqa: ANN001
    with pytest.raises(UserError, match="trống"):
        run(units_db, make_sheet([]))


def test_header_only_sheet_adds_nothing(units_db, make_sheet) -> None:  # noqa: ANN001
    report = run(units_db, make_sheet([HEADER]))
    assert report.ok and report.rows_read == 0 and report.added == 0


@pytest.mark.parametrize("name", ["notes.txt", "fake.xlsx", "table.csv"])
def test_file_that_is_not_excel(units_db, tmp_path, name) -> None:  # noqa: ANN001
    path = tmp_path / name
    path.write_text("STT,Nội dung\n1,A\n", encoding="utf-8")
    with pytest.raises(UserError, match="không phải bảng tính Excel"):
        run(units_db, path)


def test_missing_file(units_db, tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        run(units_db, tmp_path / "absent.xlsx")


def test_tcvn3_and_vni_sheets(units_db, make_sheet) -> None:  # noqa: ANN001
    tcvn3 = make_sheet(
        [["STT", "Néi dung", "C¬ quan chñ tr×", "Thêi gian thùc hiÖn"],
         [1, "X©y dùng KÕ ho¹ch CCHC", "V¨n phßng Së", "Quý IV"]],
        fonts={(r, c): ".VnTime" for r in (1, 2) for c in (2, 3, 4)},
    )
    report = run(units_db, tcvn3, year=2022)
    assert report.ok, report.problems
    assert report.conversions == {"TCVN3": 5}
    assert any("TCVN3" in line for line in report.summary_lines())
    # No font at all: the byte patterns give VNI away.
    vni = make_sheet([["STT", "Noäi dung", "Cô quan chuû trì"],
                      [1, "Baùo caùo keát quaû thöïc hieän", "Thanh tra Sôû"]])
    report = run(units_db, vni, year=2022)
    assert report.ok, report.problems
    assert report.conversions == {"VNI": 4}
    first, second = tasks(units_db)
    assert (first.content, first.lead_unit.name, first.due_date) == (
        "Xây dựng Kế hoạch CCHC", "Văn phòng Sở", date(2022, 12, 31))
    assert (second.content, second.lead_unit.name) == (
        "Báo cáo kết quả thực hiện", "Thanh tra Sở")


def test_merged_lead_unit_applies_to_each_row(units_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet(
        [["STT", "Nội dung", "Cơ quan chủ trì"], [1, "A", "Thanh tra Sở"], [2, "B"], [3, "C"]],
        merges=["C2:C4"],
    )
    report = run(units_db, path, year=2022)
    assert report.ok, report.problems
    assert {t.lead_unit.name for t in tasks(units_db)} == {"Thanh tra Sở"}


def test_repeated_header_and_numbering_rows_are_skipped(units_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([
        HEADER, ["(1)", "(2)", "(3)", "(4)"], row("A"), HEADER, row("B"),
    ])
    report = run(units_db, path, year=2022)
    assert report.ok and report.added == 2


def test_only_an_administrator_imports(units_db, make_sheet) -> None:  # noqa: ANN001
    from cchc_desktop.errors import PermissionDenied
    from cchc_desktop.services.access import CurrentUser

    units_db.act_as(CurrentUser("xem", "viewer"))
    path = make_sheet([HEADER, row("A")])
    assert run(units_db, path, dry_run=True).added == 1  # a preview is allowed
    with pytest.raises(PermissionDenied):
        run(units_db, path)
    assert tasks(units_db) == []


def test_tasks_without_area_round_trip(units_db, make_sheet, tmp_path) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.xlsx import export_tasks

    run(units_db, make_sheet([HEADER, row("Không lĩnh vực"), ["II", "Cải cách thể chế"],
                              row("Thể chế")]), year=2022)
    assert {t.content: t.area for t in tasks(units_db)} == {"Không lĩnh vực": None, "Thể chế": 2}
    out = tmp_path / "out.xlsx"
    with units_db.session() as s:
        export_tasks(s, out)
    again = run(units_db, out)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
