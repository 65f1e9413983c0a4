"""The report's format, checked in the produced file against Nghị định 30/2020 (DOMAIN.md)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from tests.exporters.conftest import NS, all_text, part, parts, q, table_rows

FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
TOLERANCE = Mm(0.5)


def _between(value: int, low: float, high: float) -> bool:
    return Mm(low) - TOLERANCE <= value <= Mm(high) + TOLERANCE


def test_a4_and_margins_in_the_decree_ranges(demo_report: Path) -> None:
    doc = Document(str(demo_report))
    assert len(doc.sections) == 3  # body, appendix I, appendix II (landscape)
    for section in doc.sections:
        short, long_ = sorted((section.page_width, section.page_height))
        assert abs(short - Mm(210)) <= TOLERANCE and abs(long_ - Mm(297)) <= TOLERANCE
        assert _between(section.top_margin, 20, 25)
        assert _between(section.bottom_margin, 20, 25)
        assert _between(section.left_margin, 30, 35)
        assert _between(section.right_margin, 15, 20)
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert doc.sections[0].page_width < doc.sections[0].page_height
    last = doc.sections[-1]
    assert last.orientation == WD_ORIENT.LANDSCAPE and last.page_width > last.page_height


def test_times_new_roman_in_every_font_slot_and_no_theme_fonts(demo_report: Path) -> None:
    styles = part(demo_report, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = defaults.find("w:rFonts", NS)
    assert all(fonts.get(q(slot)) == "Times New Roman" for slot in FONT_SLOTS)
    assert defaults.find("w:lang", NS).get(q("val")) == "vi-VN"
    # Every paragraph, character and table style names the font in all four slots.
    for style in styles.findall("w:style", NS):
        if style.get(q("type")) in ("paragraph", "character", "table"):
            rfonts = style.find("w:rPr/w:rFonts", NS)
            assert rfonts is not None, style.get(q("styleId"))
    checked = 0
    xml_parts = {"word/styles.xml": styles, **parts(demo_report, "word/")}
    assert "word/stylesWithEffects.xml" not in xml_parts
    for name, root in xml_parts.items():
        if name == "word/numbering.xml":  # bullet glyphs (Symbol), no text is numbered
            continue
        for rfonts in root.iter(q("rFonts")):
            checked += 1
            for slot in FONT_SLOTS:
                assert rfonts.get(q(slot)) == "Times New Roman", (name, slot)
            for attr in THEME_ATTRS:
                assert rfonts.get(q(attr)) is None, (name, attr)
    assert checked > 20
    # No run in the document picks another font.
    doc = Document(str(demo_report))
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs][:2000]
    assert runs and all(r.font.name in (None, "Times New Roman") for r in runs)
    assert all(r.font.color.rgb in (None,) for r in runs[:200])


def test_body_paragraph_format(demo_report: Path) -> None:
    doc = Document(str(demo_report))
    normal = doc.styles["Normal"]
    assert Pt(13) <= normal.font.size <= Pt(14)
    pf = normal.paragraph_format
    assert pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Cm(1) - 100 <= pf.first_line_indent <= Cm(1.27) + 100
    assert pf.space_before + (pf.space_after or 0) >= Pt(6)
    assert 1.0 <= pf.line_spacing <= 1.5
    body = [p for p in doc.paragraphs if p.text.startswith("Sở GD&ĐT tỉnh Sơn La báo cáo")]
    assert body and body[0].style.name == "Normal"


def test_national_header(demo_report: Path) -> None:
    doc = Document(str(demo_report))
    header = doc.tables[0]
    left, right = (cell for cell in header.rows[0].cells)
    left_texts = [p.text for p in left.paragraphs if p.text]
    right_texts = [p.text for p in right.paragraphs if p.text]
    assert left_texts == ["UBND TỈNH SƠN LA", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 263/BC-SGDĐT"]
    assert right_texts == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                           "Sơn La, ngày 07 tháng 6 năm 2024"]
    agency = next(p for p in left.paragraphs if p.text == "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    assert all(r.bold for r in agency.runs)
    parent = left.paragraphs[0]
    assert not any(r.bold for r in parent.runs) and not parent.style.font.bold
    nation = right.paragraphs[0]
    assert all(r.bold for r in nation.runs) and Pt(12) <= nation.runs[0].font.size <= Pt(13)
    motto = next(p for p in right.paragraphs if p.text.startswith("Độc lập"))
    assert all(r.bold for r in motto.runs) and Pt(13) <= motto.runs[0].font.size <= Pt(14)
    date_line = next(p for p in right.paragraphs if p.text.startswith("Sơn La"))
    assert all(r.italic for r in date_line.runs)
    # Short rules: bordered empty paragraphs under the agency and under the motto.
    xml = header._tbl.xml
    assert xml.count("<w:pBdr>") == 2
    # The header table has no borders.
    assert 'w:insideV w:val="nil"' in xml.replace("<w:insideV ", "<w:insideV ")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2022, 2, 5), "Sơn La, ngày 05 tháng 02 năm 2022"),
        (date(2022, 1, 15), "Sơn La, ngày 15 tháng 01 năm 2022"),
        (date(2022, 11, 20), "Sơn La, ngày 20 tháng 11 năm 2022"),
    ],
)
def test_date_line_leading_zero_rule(profile_db, tmp_path: Path, when: date,  # noqa: ANN001
                                     expected: str) -> None:
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report

    out = tmp_path / "r.docx"
    with profile_db.session() as session:
        export_report(session, ReportOptions(parse_period("2022-Q1"), "5", when, charts=False), out)
    doc = Document(str(out))
    texts = [p.text for p in doc.tables[0].rows[0].cells[1].paragraphs]
    assert expected in texts
    assert "Số: 05/BC-SGDĐT" in [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]


def test_page_numbers_in_the_header_from_page_two(demo_report: Path) -> None:
    doc = Document(str(demo_report))
    first = doc.sections[0]
    assert first.different_first_page_header_footer  # w:titlePg
    sect = part(demo_report, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect is not None
    header_xml = first.header._element.xml
    assert "PAGE" in header_xml and "fldChar" in header_xml
    assert first.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in first.first_page_header._element.xml
    # Appendix sections number every page and keep the same header.
    for section in doc.sections[1:]:
        assert not section.different_first_page_header_footer
        assert section.header.is_linked_to_previous


def test_title_and_trich_yeu(demo_report: Path) -> None:
    doc = Document(str(demo_report))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    assert texts[i + 1] == ("Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm "
                            "2024, nhiệm vụ trọng tâm 6 tháng cuối năm 2024")
    title = doc.paragraphs[i]
    assert title.style.font.bold and title.alignment in (None, WD_ALIGN_PARAGRAPH.CENTER)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "<w:pBdr>" in doc.paragraphs[i + 2]._p.xml  # the short rule under the trích yếu
    for heading in ("I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
                    "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2024"):
        p = doc.paragraphs[texts.index(heading)]
        assert p.style.font.bold
    assert "1. Công tác chỉ đạo, điều hành CCHC" in texts
    assert "8. Tác động của CCHC" in texts


def test_recipients_and_signature(demo_report: Path) -> None:
    doc = Document(str(demo_report))
    closing = next(t for t in doc.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    left, right = closing.rows[0].cells
    head = left.paragraphs[0]
    assert head.style.font.bold and head.style.font.italic and head.style.font.size == Pt(12)
    lines = [p for p in left.paragraphs[1:]]
    assert [p.text for p in lines] == [
        "- Sở Nội vụ (để báo cáo);", "- Ban Giám đốc Sở;", "- Lưu: VT, VP."]
    assert all(p.style.font.size == Pt(11) for p in lines)
    texts = [p.text for p in right.paragraphs]
    assert texts[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert texts[-1] == "Cầm Văn An"
    assert texts[2:-1] and all(t == "" for t in texts[2:-1])  # room to sign and stamp
    assert all(p.style.font.bold for p in right.paragraphs)
    assert right.paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_recipient_lines_rule() -> None:
    from cchc_desktop.exporters.doc_parts import recipient_lines

    assert recipient_lines(["- Sở Nội vụ;", "", "Lưu: VT", "Ban Giám đốc Sở."], "VP") == [
        "- Sở Nội vụ;", "- Ban Giám đốc Sở;", "- Lưu: VT, VP."]
    assert recipient_lines([], "") == ["- Lưu: VT."]


def test_appendix_headings_and_repeated_table_header(demo_report: Path) -> None:
    doc = Document(str(demo_report))
    texts = [p.text for p in doc.paragraphs]
    attached = "(Kèm theo Báo cáo số 263/BC-SGDĐT ngày 07/6/2024 của Sở GD&ĐT tỉnh Sơn La)"
    # Too long for a portrait line: broken before the agency, as sample 000 prints it; a
    # landscape appendix keeps it on one line.
    broken = attached.replace(" của", "\ncủa")
    for label, expected in (("PHỤ LỤC I", broken), ("PHỤ LỤC II", attached)):
        i = texts.index(label)
        assert texts[i + 1].isupper() and texts[i + 2] == expected
        assert all(r.italic for r in doc.paragraphs[i + 2].runs)
    appendix_tables = [t for t in doc.tables if table_rows(t)[0][0] == "STT"]
    assert len(appendix_tables) >= 4  # units, indexes, appendix I, appendix II
    for t in appendix_tables:
        trs = t._tbl.tr_lst
        assert trs[0].find(f"{q('trPr')}/{q('tblHeader')}") is not None
        assert all(tr.find(f"{q('trPr')}/{q('tblHeader')}") is None for tr in trs[1:])


def test_decimal_comma_in_numbers(demo_report: Path) -> None:
    text = all_text(Document(str(demo_report)))
    assert re.search(r"\b\d{1,3},\d{1,2}\b", text)  # e.g. a score 92,95 or a rate 70,73
    assert not re.search(r"\b\d{1,3}\.\d{1,2}\b(?!/)", text.replace("9001:2015", ""))
    assert "tỷ lệ hoàn thành đạt" in text


def test_appendix_two_lists_the_report_tasks_grouped_by_area(shared_demo_db,  # noqa: ANN001
                                                             demo_report: Path) -> None:
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.services.reports import gather_report

    with shared_demo_db.session() as session:
        # Dated 07/6, inside its window: the data ends on the report's date.
        data = gather_report(session, parse_period("2024-H1"), end=date(2024, 6, 7))
    doc = Document(str(demo_report))
    table = doc.tables[-1]
    rows = table_rows(table)[1:]
    groups = [r for r in rows if len(r) == 2]
    tasks = [r for r in rows if len(r) == 7]
    assert [g[0] for g in groups] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"][:len(groups)]
    assert len(tasks) == len(data.tasks) == data.summary["total"] > 0
    assert [r[1] for r in tasks] == [t.content for t in data.tasks]
    bold = table._tbl.tr_lst[1].tc_lst[1]
    assert "CCHCCellGroup" in bold.xml
