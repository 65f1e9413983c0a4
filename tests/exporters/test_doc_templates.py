"""Templates the office owns: edited in Word, imported, printed; the frame stays the decree's.

Each test edits a real template as Word would leave it (python-docx on the exported file:
sentences rewritten, a field split over runs, another font and page size) and opens the
produced .docx to check the edit is there and the national header, A4 page and Times New
Roman are still right.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from tests.exporters.conftest import all_text, table_rows

NEW_SENTENCE = "Sở đã tổ chức hội nghị sơ kết công tác cải cách hành chính tại {{ dia_danh }}."


@pytest.fixture
def tpl_db(profile_db):  # noqa: ANN001, ANN201
    """The profile database with a plan of two tasks."""
    from cchc_desktop.store.models import Plan, Task

    with profile_db.session() as session:
        plan = Plan(year=2026, title="Kế hoạch cải cách hành chính năm 2026", kind="reform")
        session.add(plan)
        session.flush()
        for i, text in enumerate(("Rà soát thủ tục hành chính", "Tuyên truyền CCHC"), start=1):
            session.add(Task(content=text, content_key=text.lower(), year=2026, plan_id=plan.id,
                             position=i, due_date=date(2026, 3, i)))
    return profile_db


def _export(db, key: str, path: Path) -> Path:  # noqa: ANN001
    from cchc_desktop.services.doc_templates import export_template

    with db.session() as session:
        return export_template(session, key, path)


def _import(db, key: str, path: Path) -> list[str]:  # noqa: ANN001
    from cchc_desktop.services.doc_templates import import_template

    with db.session() as session:
        return import_template(session, key, path)


def _report(db, out: Path, kind: str = "general"):  # noqa: ANN001, ANN202
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.report_docx import ReportOptions, prepare_report, write_report

    with db.session() as session:
        prepared = prepare_report(session, ReportOptions(
            parse_period("2026-H1"), "263", date(2026, 6, 17), charts=False, kind=kind))
    write_report(prepared, out)
    return prepared


def _closing_lines(path: Path) -> tuple[list[str], list[str]]:
    """The lines of the "Nơi nhận" cell and of the signature cell."""
    doc = Document(str(path))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận"))
    left, right = table.rows[0].cells
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs]


def _assert_frame(doc) -> None:  # noqa: ANN001
    """The national header, A4 portrait and Times New Roman, whatever the template said."""
    header = table_rows(doc.tables[0])[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert "Số: 263/BC-SGDĐT" in header[0] or "Số:" in header[0]
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    for run in (r for p in doc.paragraphs for r in p.runs):
        assert run.font.name in (None, "Times New Roman")


def test_an_edited_sentence_is_printed_and_the_frame_stays(tpl_db, tmp_path: Path) -> None:  # noqa: ANN001
    path = _export(tpl_db, "report-general", tmp_path / "mau.docx")
    doc = Document(str(path))
    closing = next(p for p in doc.paragraphs if p.text.startswith("Trên đây là báo cáo"))
    closing.insert_paragraph_before(NEW_SENTENCE)
    for run in closing.runs:
        run.text = ""
    closing.runs[0].text = "Trên đây là báo cáo của {{ co_quan }}, kính trình {{ nam }}./."
    # Word's own touches the decree does not allow: another font, US Letter paper.
    for p in doc.paragraphs:
        for run in p.runs:
            run.font.name = "Arial"
    doc.sections[0].page_width, doc.sections[0].page_height = Mm(216), Mm(279)
    doc.save(str(path))

    warnings = _import(tpl_db, "report-general", path)
    assert any("phông chữ Arial" in w for w in warnings)
    assert any("216×279" in w and "A4" in w for w in warnings)

    prepared = _report(tpl_db, tmp_path / "bc.docx")
    assert any("phông chữ Arial" in w for w in prepared.warnings)  # said again at export
    out = Document(str(tmp_path / "bc.docx"))
    text = all_text(out)
    assert "Sở đã tổ chức hội nghị sơ kết công tác cải cách hành chính tại Sơn La." in text
    assert "Trên đây là báo cáo của Sở GD&ĐT tỉnh Sơn La, kính trình 2026./." in text
    assert "{{" not in text and "}}" not in text
    _assert_frame(out)


def test_a_field_word_split_over_runs_is_still_filled(tpl_db, tmp_path: Path) -> None:  # noqa: ANN001
    path = _export(tpl_db, "plan", tmp_path / "kh.docx")
    doc = Document(str(path))
    target = next(p for p in doc.paragraphs if "ban hành Kế hoạch" in p.text)
    for run in target.runs:
        run.text = ""
    # As Word stores a field after an edit in its middle: three runs, one bold.
    target.runs[0].text = "{{ co_"
    target.add_run("quan }} ban hành Kế hoạch ").bold = True
    target.add_run("{{ trich_yeu }} như sau:")
    doc.save(str(path))
    assert _import(tpl_db, "plan", path) == []

    from cchc_desktop.exporters.plan_docx import export_plan

    with tpl_db.session() as session:
        export_plan(session, 1, tmp_path / "out.docx")
    text = all_text(Document(str(tmp_path / "out.docx")))
    assert "Sở GD&ĐT tỉnh Sơn La ban hành Kế hoạch cải cách hành chính năm 2026 như sau:" in text


def test_unknown_and_missing_fields_are_warned_and_never_printed(tpl_db,  # noqa: ANN001
                                                                  tmp_path: Path) -> None:
    path = _export(tpl_db, "report-general", tmp_path / "mau.docx")
    doc = Document(str(path))
    area2 = next(p for p in doc.paragraphs if p.text == "{{ muc_area2 }}")
    area2.runs[0].text = "Cải cách thể chế: {{ so_van_ban_moi }} văn bản."
    doc.save(str(path))

    warnings = _import(tpl_db, "report-general", path)
    assert any("không biết: {{ so_van_ban_moi }}" in w for w in warnings)
    assert any("thiếu trường bắt buộc: {{ muc_area2 }}" in w for w in warnings)
    prepared = _report(tpl_db, tmp_path / "bc.docx")
    assert any("so_van_ban_moi" in w for w in prepared.warnings)
    text = all_text(Document(str(tmp_path / "bc.docx")))
    assert "Cải cách thể chế:  văn bản." in text
    assert "{{" not in text and "so_van_ban_moi" not in text


def test_broken_field_syntax_is_refused_and_nothing_is_stored(tpl_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.errors import ValidationError
    from cchc_desktop.services.doc_templates import list_templates

    path = _export(tpl_db, "letter", tmp_path / "cv.docx")
    doc = Document(str(path))
    doc.paragraphs[1].runs[0].text = "Kính gửi {{ don_vi "
    doc.save(str(path))
    with pytest.raises(ValidationError, match="trường viết sai"):
        _import(tpl_db, "letter", path)
    (tmp_path / "not.docx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ValidationError, match="không phải tài liệu Word"):
        _import(tpl_db, "letter", tmp_path / "not.docx")
    with tpl_db.session() as session:
        assert not any(t.own for t in list_templates(session))


def test_a_broken_stored_template_falls_back_to_the_shipped_one(tpl_db, tmp_path: Path) -> None:  # noqa: ANN001
    """A template that reached the database broken (an older version, a hand edit) prints
    with the shipped template and says so; never a traceback."""
    from cchc_desktop.services.doc_templates import SETTING_PREFIX
    from cchc_desktop.store.models import Setting

    with tpl_db.session() as session:
        session.add(Setting(key=SETTING_PREFIX + "report-general",
                            value=base64.b64encode(b"garbage").decode()))
    prepared = _report(tpl_db, tmp_path / "bc.docx")
    assert any("không dùng được" in w and "mẫu gốc" in w for w in prepared.warnings)
    out = Document(str(tmp_path / "bc.docx"))
    assert "Trên đây là báo cáo kết quả thực hiện" in all_text(out)
    _assert_frame(out)


def test_signature_and_recipients_come_from_the_template(tpl_db, tmp_path: Path) -> None:  # noqa: ANN001
    path = _export(tpl_db, "report-general", tmp_path / "mau.docx")
    doc = Document(str(path))
    closing = doc.tables[-1]
    left, right = closing.rows[0].cells
    left.paragraphs[1].insert_paragraph_before("UBND tỉnh (để báo cáo)")
    right.paragraphs[0].runs[0].text = "TM. BAN CHỈ ĐẠO"
    right.paragraphs[-1].runs[0].text = "Nguyễn Văn Bình"
    doc.save(str(path))
    _import(tpl_db, "report-general", path)
    _report(tpl_db, tmp_path / "bc.docx")

    left_lines, right_lines = _closing_lines(tmp_path / "bc.docx")
    assert left_lines[0] == "Nơi nhận:"
    assert left_lines[1] == "- UBND tỉnh (để báo cáo);"  # the decree's "- X;" added
    assert "- Sở Nội vụ (để báo cáo);" in left_lines
    assert left_lines[-1] == "- Lưu: VT, VP."
    assert right_lines[0] == "TM. BAN CHỈ ĐẠO"
    assert right_lines[1] == "PHÓ GIÁM ĐỐC"
    assert right_lines[-1] == "Nguyễn Văn Bình"
    assert right_lines.count("") >= 4  # room to sign and stamp


def test_recipients_differ_per_document_kind(tpl_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.plan_docx import export_plan

    with tpl_db.session() as session:
        export_plan(session, 1, tmp_path / "kh.docx")
    _report(tpl_db, tmp_path / "bc.docx")
    plan, _ = _closing_lines(tmp_path / "kh.docx")
    report, _ = _closing_lines(tmp_path / "bc.docx")
    assert "- Các phòng, Thanh tra Sở (để thực hiện);" in plan
    assert "- Sở Nội vụ (để báo cáo);" in report and plan != report


def test_reset_goes_back_to_the_shipped_template(tpl_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.services.doc_templates import (
        list_templates,
        reset_template,
        shipped_template,
        template_bytes,
    )

    path = _export(tpl_db, "scoring", tmp_path / "s.docx")
    _import(tpl_db, "scoring", path)
    with tpl_db.session() as session:
        assert {t.key for t in list_templates(session) if t.own} == {"scoring"}
        assert reset_template(session, "scoring") is True
        assert reset_template(session, "scoring") is False
        assert template_bytes(session, "scoring") == shipped_template("scoring")


def test_shipped_templates_are_what_the_script_builds() -> None:
    """resources/templates/ is built by code, not edited by hand: the check fails on a drift."""
    result = subprocess.run([sys.executable, "-m", "cchc_desktop.exporters.build_templates",
                             "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_shipped_template_is_sound() -> None:
    from cchc_desktop.exporters.doc_templates import TEMPLATE_KINDS, check_template
    from cchc_desktop.services.doc_templates import shipped_template

    for key, kind in TEMPLATE_KINDS.items():
        assert check_template(kind, shipped_template(key)) == [], key


def test_cli_templates(tpl_db, db_path: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from cchc_desktop.cli.main import main

    tpl_db.close()
    out = tmp_path / "cv.docx"
    assert main(["--db", str(db_path), "templates", "export", "letter", "--out", str(out)]) == 0
    doc = Document(str(out))
    doc.paragraphs[-1].runs[0].text = "Đề nghị {{ don_vi }} báo cáo trước ngày {{ han_moi }}./."
    doc.save(str(out))
    assert main(["--db", str(db_path), "templates", "import", "letter", str(out)]) == 0
    assert "{{ han_moi }}" in capsys.readouterr().err
    assert main(["--db", str(db_path), "templates", "list"]) == 0
    assert "letter" in capsys.readouterr().out
    assert main(["--db", str(db_path), "templates", "import", "nope", str(out)]) == 2
    assert "Loại mẫu văn bản không có" in capsys.readouterr().err
    assert main(["--db", str(db_path), "templates", "reset", "letter", "--yes"]) == 0


def test_the_signature_is_never_cut_from_its_block(tpl_db, tmp_path: Path) -> None:  # noqa: ANN001
    """The closing row is not split across pages and the last sentence stays with it (the
    signer's name once stood alone on a page of its own)."""
    from docx.oxml.ns import qn

    _report(tpl_db, tmp_path / "bc.docx")
    doc = Document(str(tmp_path / "bc.docx"))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận"))
    tr = table.rows[0]._tr
    assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None
    before = table._tbl.getprevious()
    assert before.tag == qn("w:p") and "trân trọng báo cáo" in "".join(before.itertext())
    assert before.find(qn("w:pPr")).find(qn("w:keepNext")) is not None
