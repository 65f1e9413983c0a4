"""The plan and overdue documents, and every export on an empty database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT

from tests.exporters.conftest import all_text, q, table_rows

PLAN_HEADER = ["STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Đơn vị chủ trì",
               "Đơn vị phối hợp", "Ghi chú"]


def test_plan_export_has_landscape_appendix_with_roman_groups(shared_demo_db,  # noqa: ANN001
                                                               tmp_path: Path) -> None:
    from cchc_desktop.exporters.plan_docx import export_plan
    from cchc_desktop.services.plans import list_plans
    from cchc_desktop.services.task_queries import TaskFilter, list_tasks

    out = tmp_path / "plan.docx"
    with shared_demo_db.session() as session:
        plan = next(p for p in list_plans(session) if p.kind == "reform")
        export_plan(session, plan.id, out)
        tasks = list_tasks(session, date(2024, 11, 20), TaskFilter(plan_id=plan.id),
                           order="plan")
    doc = DocxDocument(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "KẾ HOẠCH" in texts
    assert texts[texts.index("KẾ HOẠCH") + 1] == "Cải cách hành chính năm 2024"
    header_left = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert header_left[-1] == f"Số: {plan.number}"
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    last = doc.sections[-1]
    assert last.orientation == WD_ORIENT.LANDSCAPE and last.page_width > last.page_height
    i = texts.index("PHỤ LỤC")
    assert texts[i + 2] == (f"(Kèm theo Kế hoạch số {plan.number} ngày 15/01/2024 "
                            "của Sở GD&ĐT tỉnh Sơn La)")
    table = doc.tables[-1]
    rows = table_rows(table)
    assert rows[0] == PLAN_HEADER
    assert table._tbl.tr_lst[0].find(f"{q('trPr')}/{q('tblHeader')}") is not None
    groups = [r for r in rows[1:] if len(r) == 2]
    assert [g[0] for g in groups] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert groups[0][1] == "Công tác chỉ đạo, điều hành CCHC"
    group_trs = [tr for tr in table._tbl.tr_lst[1:] if len(tr.tc_lst) == 2]
    assert all("CCHCCellGroup" in tr.xml and 'w:gridSpan w:val="6"' in tr.xml
               for tr in group_trs)
    data = [r for r in rows[1:] if len(r) == 7]
    assert [r[1] for r in data] == [t.content for t in tasks]
    # Timings are printed exactly as written; numbering restarts in each group.
    assert [r[3] for r in data] == [t.timing_text for t in tasks]
    assert "Tháng 01 hằng năm" in [r[3] for r in data]
    assert data[0][0] == "1"
    styles = doc.styles
    assert styles["CCHC Cell Group"].font.bold and styles["CCHC Cell Head"].font.bold


def test_plan_not_found_is_a_user_error(db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.errors import NotFoundError
    from cchc_desktop.exporters.plan_docx import export_plan

    with pytest.raises(NotFoundError), db.session() as session:
        export_plan(session, 42, tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def _overdue_seed(db) -> None:  # noqa: ANN001
    from cchc_desktop.store.models import Task, Unit

    with db.session() as session:
        vp = Unit(name="Văn phòng Sở", kind="division", position=1)
        an = Unit(name="Phòng Giáo dục Trung học", kind="division", position=2)
        session.add_all([vp, an])
        session.flush()
        for content, unit, due, done in (
            ("Quá hạn 5 ngày", vp, date(2024, 11, 15), None),
            ("Đến hạn hôm nay", vp, date(2024, 11, 20), None),
            ("Còn 3 ngày", an, date(2024, 11, 23), None),
            ("Còn 30 ngày", an, date(2024, 12, 20), None),
            ("Đã xong", an, date(2024, 11, 1), date(2024, 11, 2)),
            ("Không hạn", vp, None, None),
        ):
            session.add(Task(content=content, content_key=content.lower(), year=2024,
                             lead_unit_id=unit.id, due_date=due, completed_on=done,
                             assigned_by="UBND tỉnh"))


def test_overdue_groups_by_unit_and_says_how_late(profile_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.overdue_docx import export_overdue

    _overdue_seed(profile_db)
    out = tmp_path / "overdue.docx"
    with profile_db.session() as session:
        export_overdue(session, date(2024, 11, 20), out, days=7)
    doc = DocxDocument(str(out))
    summary = table_rows(doc.tables[1])
    assert summary[1:] == [["1", "Phòng Giáo dục Trung học", "0", "1"],
                           ["2", "Văn phòng Sở", "1", "1"], ["", "Tổng cộng", "1", "2"]]
    rows = table_rows(doc.tables[-1])
    assert rows[1:] == [
        ["I", "Phòng Giáo dục Trung học (quá hạn 0, sắp đến hạn 1)"],
        ["1", "Còn 3 ngày", "UBND tỉnh", "23/11/2024", "Còn 3 ngày", "", ""],
        ["II", "Văn phòng Sở (quá hạn 1, sắp đến hạn 1)"],
        ["1", "Quá hạn 5 ngày", "UBND tỉnh", "15/11/2024", "Quá hạn 5 ngày", "", ""],
        ["2", "Đến hạn hôm nay", "UBND tỉnh", "20/11/2024", "Đến hạn hôm nay", "", ""],
    ]
    text = all_text(doc)
    assert "có 1 nhiệm vụ đã quá hạn nhưng chưa hoàn thành và 2 nhiệm vụ đến hạn trong 7 ngày tới" in text
    assert "Sơn La, ngày 20 tháng 11 năm 2024" in text
    assert "- Lưu: VT, VP." in text


def test_overdue_bad_days_is_refused(db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.errors import ValidationError
    from cchc_desktop.exporters.overdue_docx import export_overdue

    with pytest.raises(ValidationError), db.session() as session:
        export_overdue(session, date(2024, 11, 20), tmp_path / "o.docx", days=-1)


def test_a_database_without_agency_profile_refuses_to_export(db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.errors import UserError
    from cchc_desktop.exporters.overdue_docx import export_overdue
    from cchc_desktop.exporters.plan_docx import export_plan
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report
    from cchc_desktop.services.plans import save_plan

    # A new database prints nobody's letterhead (it used to print a Sơn La one for everyone).
    with db.session() as session:
        plan = save_plan(session, title="Kế hoạch kiểm tra CCHC năm 2025", year=2025)
        for export in (
            lambda: export_report(session, ReportOptions(parse_period("2021-H1")),
                                  tmp_path / "r.docx"),
            lambda: export_plan(session, plan.id, tmp_path / "p.docx"),
            lambda: export_overdue(session, date(2025, 3, 1), tmp_path / "o.docx"),
        ):
            with pytest.raises(UserError, match="Danh mục / Cài đặt"):
                export()
    assert list(tmp_path.glob("*.docx")) == []


def test_exports_on_an_empty_database_have_placeholders(db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.overdue_docx import export_overdue
    from cchc_desktop.exporters.plan_docx import export_plan
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report
    from cchc_desktop.services.plans import save_plan
    from cchc_desktop.services.profile import AgencyProfile, save_profile

    with db.session() as session:
        save_profile(session, AgencyProfile())  # saved once, no signer yet
        export_report(session, ReportOptions(parse_period("2021-H1")), tmp_path / "r.docx")
        plan = save_plan(session, title="Kế hoạch kiểm tra CCHC năm 2025", year=2025)
        export_plan(session, plan.id, tmp_path / "p.docx")
        export_overdue(session, date(2025, 3, 1), tmp_path / "o.docx")

    report = DocxDocument(str(tmp_path / "r.docx"))
    text = all_text(report)
    header = [p.text for p in report.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert header[-1] == "Số:       /BC-SGDĐT"
    assert "Sơn La, ngày       tháng       năm 2021" in text
    assert "Trong kỳ báo cáo, không có nội dung phát sinh." in text
    assert "[" not in text and "PHỤ LỤC" not in text  # no instructions, no empty appendices
    assert "(Họ và tên người ký)" in text

    plan_doc = DocxDocument(str(tmp_path / "p.docx"))
    plan_text = all_text(plan_doc)
    assert "[" not in plan_text and "PHỤ LỤC" not in plan_text
    assert "Các nhiệm vụ cụ thể sẽ được bổ sung theo chỉ đạo của cấp trên." in plan_text
    assert "Kiểm tra CCHC năm 2025" in plan_text
    assert len(plan_doc.sections) == 1

    overdue_text = all_text(DocxDocument(str(tmp_path / "o.docx")))
    assert "không có nhiệm vụ nào quá hạn" in overdue_text


def test_unwritable_target_is_a_clear_error(profile_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.errors import EnvironmentProblem
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report

    with pytest.raises(EnvironmentProblem, match="Thư mục không tồn tại"), \
            profile_db.session() as session:
        export_report(session, ReportOptions(parse_period("2021"), charts=False),
                      tmp_path / "missing" / "r.docx")


def test_big_appendix_is_written_whole(tmp_path: Path) -> None:
    """2,000 rows with groups and odd text (its speed: bench/bench_export.py)."""
    from cchc_desktop.exporters.doc_parts import Column, GroupRow
    from cchc_desktop.exporters.docx_base import DocWriter

    w = DocWriter()
    rows: list = []
    for i in range(2000):
        if i % 250 == 0:
            rows.append(GroupRow("I", "Nhóm <&> \"đặc biệt\""))
        rows.append([str(i + 1), f"Nội dung {i} <b>&amp;", "Báo cáo", "Quý II\nhằng năm",
                     "Văn phòng Sở", "", "\x0bghi chú"])
    w.table([Column(h, 3.0) for h in PLAN_HEADER], rows)
    w.save(tmp_path / "big.docx")
    table = DocxDocument(str(tmp_path / "big.docx")).tables[0]
    got = table_rows(table)
    assert len(got) == 1 + 2000 + 8
    assert got[1] == ["I", 'Nhóm <&> "đặc biệt"']
    assert got[2][1] == "Nội dung 0 <b>&amp;" and got[2][6] == "ghi chú"
    assert got[2][3] == "Quý IIhằng năm"  # two lines: a <w:br/> between the texts
    assert "<w:br/>" in table._tbl.tr_lst[2].xml


def test_blank_agency_in_text_falls_back_to_the_agency(db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report
    from cchc_desktop.services.profile import AgencyProfile, save_profile

    with db.session() as session:
        save_profile(session, AgencyProfile(agency="SỞ Y TẾ", agency_in_text=""))
        export_report(session, ReportOptions(parse_period("2025"), charts=False),
                      tmp_path / "r.docx")
    text = all_text(DocxDocument(str(tmp_path / "r.docx")))
    assert "Sở Y Tế báo cáo kết quả thực hiện" in text and "Sở Y Tế trân trọng báo cáo" in text


def test_exporter_modules_import_no_docx_or_matplotlib() -> None:
    import subprocess
    import sys

    code = ("import sys, cchc_desktop.exporters.report_docx, cchc_desktop.exporters.plan_docx, "
            "cchc_desktop.exporters.overdue_docx, cchc_desktop.exporters.charts, "
            "cchc_desktop.exporters.pdf, cchc_desktop.cli.export_commands; "
            "print('docx' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_each_plan_kind_has_its_own_purposes(profile_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.plan_docx import export_plan
    from cchc_desktop.services.plans import save_plan

    texts = {}
    with profile_db.session() as session:
        for kind in ("reform", "propaganda", "inspection", "index_improvement"):
            plan = save_plan(session, title=f"Kế hoạch {kind} năm 2026", year=2026, kind=kind)
            export_plan(session, plan.id, tmp_path / f"{kind}.docx")
            texts[kind] = all_text(DocxDocument(str(tmp_path / f"{kind}.docx")))
    assert "Nâng cao nhận thức, trách nhiệm" in texts["propaganda"]
    assert "kiểm tra" in texts["inspection"] and "PAPI" in texts["index_improvement"]
    assert "cải cách thể chế, cải cách thủ tục hành chính" in texts["reform"]
    assert len({t.split("II. NỘI DUNG")[0] for t in texts.values()}) == 4  # all different
    for text in texts.values():
        assert "1. Mục đích" in text and "2. Yêu cầu" in text
