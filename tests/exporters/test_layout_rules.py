"""Layout rules of issue 15, checked in the produced .docx files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from tests.exporters.conftest import all_text, q


def test_group_rows_keep_with_the_next_row(demo_report: Path) -> None:
    doc = DocxDocument(str(demo_report))
    table = doc.tables[-1]
    group_rows = [tr for tr in table._tbl.tr_lst if len(tr.tc_lst) == 2]
    assert group_rows
    for tr in group_rows:
        for tc in tr.tc_lst:
            assert tc.find(f".//{q('keepNext')}") is not None
    data_row = next(tr for tr in table._tbl.tr_lst[1:] if len(tr.tc_lst) == 7)
    assert data_row.find(f".//{q('keepNext')}") is None  # only group rows hold on


def test_each_appendix_numbers_its_pages_from_one(demo_report: Path) -> None:
    doc = DocxDocument(str(demo_report))
    assert len(doc.sections) == 3  # the report, Phụ lục I, Phụ lục II
    assert doc.sections[0]._sectPr.find(q("pgNumType")) is None
    for section in doc.sections[1:]:
        assert section._sectPr.find(q("pgNumType")).get(q("start")) == "1"


@pytest.mark.parametrize("place", ["Sơn La", "Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu"])
def test_date_line_fits_its_column(place: str) -> None:
    from cchc_desktop.domain.text import place_date_line
    from cchc_desktop.exporters.doc_parts import Heading, header_columns
    from cchc_desktop.exporters.text_metrics import text_width_cm

    line = place_date_line(place, date(2026, 11, 20))
    heading = Heading("UBND TỈNH SƠN LA", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 1/BC-SGDĐT", line)
    left, right, size = header_columns(heading, 16.5)
    assert left + right == pytest.approx(16.5)
    assert size in (13.0, 14.0)
    assert text_width_cm(line, size, italic=True) <= right
    assert left >= 5.0


def test_long_place_name_in_the_document(profile_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.docx_xml import TWIPS_PER_CM
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report
    from cchc_desktop.exporters.text_metrics import text_width_cm
    from cchc_desktop.services.profile import get_profile, save_profile

    with profile_db.session() as session:
        profile = get_profile(session)
        profile.place = "Thành phố Hồ Chí Minh"
        save_profile(session, profile)
        export_report(session, ReportOptions(parse_period("2026-H1"), "12", date(2026, 11, 20)),
                      tmp_path / "r.docx")
    doc = DocxDocument(str(tmp_path / "r.docx"))
    right = doc.tables[0].rows[0].cells[1]
    width_cm = int(right._tc.tcPr.tcW.get(q("w"))) / TWIPS_PER_CM
    date_p = next(p for p in right.paragraphs if p.text.startswith("Thành phố"))
    size = date_p.runs[0].font.size.pt
    assert text_width_cm(date_p.text, size, italic=True) <= width_cm


@pytest.mark.parametrize("summary", [
    "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026",
    "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026, nhiệm vụ trọng tâm "
    "6 tháng cuối năm 2026",
    "Kiểm tra",
])
def test_title_rule_is_a_third_to_a_half_of_the_title(summary: str) -> None:
    from cchc_desktop.exporters.doc_parts import title_rule_cm
    from cchc_desktop.exporters.text_metrics import text_width_cm

    line = min(text_width_cm(summary, 14, bold=True), 16.5)
    rule = title_rule_cm(summary, 16.5)
    assert line / 3 <= rule <= line / 2 or (rule == 1.5 and line < 3.75)


def test_recipients_per_document_kind(profile_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.plan_docx import export_plan
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report
    from cchc_desktop.services.plans import save_plan
    from cchc_desktop.services.profile import get_profile, save_profile

    with profile_db.session() as session:
        profile = get_profile(session)
        profile.recipients_by_kind = {"plan": ["Các phòng thuộc Sở (để thực hiện)"],
                                      "bogus": ["x"]}
        saved = save_profile(session, profile)
        assert saved.recipients_by_kind == {"plan": ["Các phòng thuộc Sở (để thực hiện)"]}
        plan = save_plan(session, title="Kế hoạch cải cách hành chính năm 2026", year=2026)
        export_plan(session, plan.id, tmp_path / "p.docx")
        export_report(session, ReportOptions(parse_period("2026-H1")), tmp_path / "r.docx")
    plan_text = all_text(DocxDocument(str(tmp_path / "p.docx")))
    report_text = all_text(DocxDocument(str(tmp_path / "r.docx")))
    assert "- Các phòng thuộc Sở (để thực hiện);" in plan_text
    assert "Sở Nội vụ (để báo cáo)" not in plan_text
    assert "- Sở Nội vụ (để báo cáo);" in report_text
    assert "Các phòng thuộc Sở" not in report_text


def test_scoring_report_does_not_cite_the_templates_name(profile_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.scoring_docx import export_scoring
    from cchc_desktop.services.scoring import load_template

    with profile_db.session() as session:
        load_template(session, 2026)
        export_scoring(session, 2026, tmp_path / "s.docx", charts=False)
    text = all_text(DocxDocument(str(tmp_path / "s.docx")))
    assert "Mẫu —" not in text and "điều chỉnh theo" not in text
    assert ("Căn cứ Bộ tiêu chí xác định Chỉ số cải cách hành chính của các sở, ban, ngành "
            "tỉnh năm 2026") in text
