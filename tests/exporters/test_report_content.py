"""What the report contains: exactly the documents and tasks of the cut-off window."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from tests.exporters.conftest import all_text, q, table_rows


def _seed(db) -> None:  # noqa: ANN001
    from cchc_desktop.services.documents import save_document
    from cchc_desktop.store.models import Task, Unit

    with db.session() as session:
        # Inserted out of date order on purpose; H1 2021's window is 15/12/2020 – 14/06/2021.
        save_document(session, "15/KH-SGDĐT", date(2021, 6, 15), issuer="Sở GD&ĐT",
                      summary="Ngày 15: ngoài kỳ")
        save_document(session, "14/KH-SGDĐT", date(2021, 6, 14), issuer="Sở GD&ĐT",
                      summary="Ngày 14: trong kỳ")
        save_document(session, "01/KH-SGDĐT", date(2020, 12, 15), issuer="Sở GD&ĐT",
                      summary="Ngày đầu kỳ")
        save_document(session, "99/KH-SGDĐT", date(2020, 12, 14), issuer="Sở GD&ĐT",
                      summary="Trước kỳ")
        save_document(session, "36/KH-UBND", date(2021, 1, 26), issuer="UBND tỉnh",
                      summary="Tuyên truyền công tác cải cách hành chính")
        letter = save_document(session, "07/SGDĐT-VP", date(2021, 3, 1), issuer="Sở GD&ĐT",
                               summary="Không phải văn bản chỉ đạo")
        letter.is_directing = False
        save_document(session, "50/BC-SGDĐT", None, issuer="Sở GD&ĐT", summary="Không ngày")
        vp = Unit(name="Văn phòng Sở", short_name="VP", kind="division", position=1)
        tt = Unit(name="Thanh tra Sở", short_name="TTr", kind="division", position=2)
        session.add_all([vp, tt])
        session.flush()

        def task(content: str, **kw: object) -> None:
            kw.setdefault("lead_unit_id", vp.id)
            session.add(Task(content=content, content_key=content.lower(), year=2021, **kw))

        task("Nhiệm vụ A hoàn thành đúng hạn", area=1, position=1, due_date=date(2021, 3, 31),
             completed_on=date(2021, 3, 30), assigned_on=date(2021, 1, 5))
        task("Nhiệm vụ B quá hạn", area=1, position=2, due_date=date(2021, 5, 31),
             assigned_on=date(2021, 2, 1), lead_unit_id=tt.id, assigned_by="UBND tỉnh")
        task("Nhiệm vụ C hoàn thành sau kỳ", area=3, position=1, due_date=date(2021, 6, 30),
             completed_on=date(2021, 6, 20), assigned_on=date(2021, 3, 1))
        task("Nhiệm vụ D thường xuyên", area=None, position=1, timing_text="Thường xuyên")
        task("Nhiệm vụ E giao sau kỳ", area=2, position=1, due_date=date(2021, 8, 1),
             assigned_on=date(2021, 6, 20))
        session.add(Task(content="Nhiệm vụ năm trước", content_key="x", year=2020, area=1,
                         lead_unit_id=vp.id))


@pytest.fixture
def seeded(profile_db):  # noqa: ANN001, ANN201
    _seed(profile_db)
    return profile_db


def _export(db, tmp_path: Path, code: str = "2021-H1", **kw: object) -> Path:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report

    out = tmp_path / f"{code}.docx"
    # Dated after the window's end by default, so the whole window is reported.
    options = ReportOptions(parse_period(code), kw.pop("number", "263"),
                            kw.pop("doc_date", date(2021, 6, 18)),
                            charts=bool(kw.pop("charts", False)), **kw)
    with db.session() as session:
        export_report(session, options, out)
    return out


def _appendix(doc, label: str):  # noqa: ANN001, ANN202
    """The table right after the heading ``label`` (PHỤ LỤC I / II)."""
    body = doc.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag == q("p") and "".join(t.text or "" for t in child.iter(q("t"))) == label:
            seen = True
        elif seen and child.tag == q("tbl"):
            from docx.table import Table

            return Table(child, doc)
    raise AssertionError(f"no table after {label}")


def test_appendix_one_is_exactly_the_departments_directing_documents_of_the_window(
        seeded, tmp_path: Path) -> None:  # noqa: ANN001
    doc = DocxDocument(str(_export(seeded, tmp_path, tasks_appendix="all")))
    rows = table_rows(_appendix(doc, "PHỤ LỤC I"))
    assert rows[0] == ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu"]
    # UBND's 36/KH-UBND is cited in the introduction, not listed as the department's own.
    assert rows[1:] == [
        ["1", "01/KH-SGDĐT", "15/12/2020", "Ngày đầu kỳ"],
        ["2", "14/KH-SGDĐT", "14/6/2021", "Ngày 14: trong kỳ"],
    ]
    text = all_text(doc)
    assert ("đã ban hành 2 văn bản chỉ đạo, triển khai công tác cải cách hành chính (chi tiết "
            "tại phụ lục kèm theo), trong đó về công tác chỉ đạo, điều hành: Kế hoạch số "
            "01/KH-SGDĐT ngày 15/12/2020 về ngày đầu kỳ; Kế hoạch số 14/KH-SGDĐT ngày "
            "14/6/2021 về ngày 14: trong kỳ.") in text
    assert ("Thực hiện Kế hoạch số 36/KH-UBND ngày 26/01/2021 của UBND tỉnh về tuyên truyền "
            "công tác cải cách hành chính.") in text


def test_a_report_dated_inside_its_window_reports_up_to_its_date(seeded,  # noqa: ANN001
                                                                  tmp_path: Path) -> None:
    doc = DocxDocument(str(_export(seeded, tmp_path, doc_date=date(2021, 6, 13),
                                   tasks_appendix="all")))
    assert [r[1] for r in table_rows(_appendix(doc, "PHỤ LỤC I"))[1:]] == ["01/KH-SGDĐT"]
    text = all_text(doc)
    assert "(số liệu tính từ ngày 15/12/2020 đến ngày 13/6/2021, ngày ban hành báo cáo)" in text
    assert "tính đến ngày 13/6/2021" in text and "14/6/2021" not in text
    # On its own date (a day before the window's end) the data still reaches that date.
    doc = DocxDocument(str(_export(seeded, tmp_path, doc_date=date(2021, 6, 14))))
    assert [r[1] for r in table_rows(_appendix(doc, "PHỤ LỤC I"))[1:]] == [
        "01/KH-SGDĐT", "14/KH-SGDĐT"]
    assert "ngày ban hành báo cáo" not in all_text(doc)


def test_a_date_before_the_window_is_refused_and_a_late_one_warned(seeded) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.errors import ValidationError
    from cchc_desktop.exporters.report_docx import ReportOptions, prepare_report

    period = parse_period("2021-H1")
    with seeded.session() as session:
        with pytest.raises(ValidationError, match="trước thời gian chốt số liệu"):
            prepare_report(session, ReportOptions(period, doc_date=date(2020, 12, 14)))
        prepare_report(session, ReportOptions(period, doc_date=date(2020, 12, 15)))
        on_limit = prepare_report(session, ReportOptions(period, doc_date=date(2021, 7, 29)))
        late = prepare_report(session, ReportOptions(period, doc_date=date(2021, 7, 30)))
    assert not any("sau ngày chốt số liệu" in w for w in on_limit.warnings)
    assert any("sau ngày chốt số liệu 14/06/2021 hơn 45 ngày" in w for w in late.warnings)


@pytest.mark.parametrize(("typed", "printed"), [("263", "Số: 263/BC-SGDĐT"),
                                                 ("5", "Số: 05/BC-SGDĐT"),
                                                 (" 07 ", "Số: 07/BC-SGDĐT"),
                                                 ("", "Số:       /BC-SGDĐT"),
                                                 (None, "Số:       /BC-SGDĐT")])
def test_number_digits_or_blank(seeded, tmp_path: Path, typed, printed) -> None:  # noqa: ANN001
    doc = DocxDocument(str(_export(seeded, tmp_path, number=typed)))
    assert printed in [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]


@pytest.mark.parametrize("typed", ["abc", "263/BC-SGDĐT", "12a", "-5", "0", "1 2"])
def test_number_anything_else_is_refused(seeded, tmp_path: Path, typed: str) -> None:  # noqa: ANN001
    from cchc_desktop.errors import ValidationError

    with pytest.raises(ValidationError, match="Số văn bản không hợp lệ"):
        _export(seeded, tmp_path, number=typed)
    assert not list(tmp_path.glob("*.docx"))


def test_appendix_two_is_exactly_the_tasks_with_status_at_window_end(seeded,  # noqa: ANN001
                                                                     tmp_path: Path) -> None:
    doc = DocxDocument(str(_export(seeded, tmp_path, tasks_appendix="all")))
    rows = table_rows(_appendix(doc, "PHỤ LỤC II"))
    assert rows[1:] == [
        ["I", "Công tác chỉ đạo, điều hành CCHC"],
        ["1", "Nhiệm vụ A hoàn thành đúng hạn", "Kế hoạch của Sở", "Văn phòng Sở", "31/3/2021",
         "30/3/2021", "Hoàn thành trong hạn"],
        ["2", "Nhiệm vụ B quá hạn", "UBND tỉnh", "Thanh tra Sở", "31/5/2021", "",
         "Chưa hoàn thành, quá hạn"],
        ["II", "Cải cách thủ tục hành chính"],
        # Completed on 20/6, after the window: still open (and on time) on 14/6.
        ["1", "Nhiệm vụ C hoàn thành sau kỳ", "Kế hoạch của Sở", "Văn phòng Sở", "30/6/2021",
         "", "Chưa hoàn thành, trong hạn"],
        ["III", "Chưa phân loại"],
        ["1", "Nhiệm vụ D thường xuyên", "Kế hoạch của Sở", "Văn phòng Sở", "Thường xuyên", "",
         "Chưa hoàn thành, không hạn"],
    ]
    text = all_text(doc)
    assert ("tổng số nhiệm vụ 4, đã hoàn thành trong hạn 1, hoàn thành quá hạn 0, hoàn thành "
            "không hạn 0; chưa hoàn thành: trong hạn 1, quá hạn 1, không hạn 1; tỷ lệ hoàn "
            "thành đạt 25%") in text
    assert ("Tình hình thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao tính đến ngày "
            "14/6/2021: tổng số nhiệm vụ 1, đã hoàn thành trong hạn 0, hoàn thành quá hạn 0, "
            "hoàn thành không hạn 0; chưa hoàn thành: trong hạn 0, quá hạn 1, không hạn 0") \
        in text
    assert "Nhiệm vụ B quá hạn (Thanh tra Sở, hạn 31/5/2021)" in text


def test_tasks_appendix_choices(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    def listed(**kw: object) -> list[str]:
        doc = DocxDocument(str(_export(seeded, tmp_path, **kw)))
        try:
            rows = table_rows(_appendix(doc, "PHỤ LỤC II"))
        except AssertionError:
            return []
        return [r[1] for r in rows[1:] if len(r) > 2]

    assert listed(tasks_appendix="none") == []
    assert listed(tasks_appendix="open") == [
        "Nhiệm vụ B quá hạn", "Nhiệm vụ C hoàn thành sau kỳ", "Nhiệm vụ D thường xuyên"]
    assert listed(tasks_appendix="all", unit="thanh tra so") == ["Nhiệm vụ B quá hạn"]
    assert listed(tasks_appendix="open", unit="VP") == [
        "Nhiệm vụ C hoàn thành sau kỳ", "Nhiệm vụ D thường xuyên"]
    # Without a task table the documents' appendix is the only one: "PHỤ LỤC", no number.
    doc = DocxDocument(str(_export(seeded, tmp_path, tasks_appendix="none")))
    assert "PHỤ LỤC" in [p.text for p in doc.paragraphs]
    assert "PHỤ LỤC I" not in [p.text for p in doc.paragraphs]


def test_unknown_unit_for_the_appendix_is_refused(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.errors import NotFoundError

    with pytest.raises(NotFoundError, match="Không tìm thấy đơn vị"):
        _export(seeded, tmp_path, unit="Phòng không có")


def test_window_override_moves_the_cut(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    doc = DocxDocument(str(_export(seeded, tmp_path, start=date(2021, 1, 1),
                                   end=date(2021, 6, 15))))
    symbols = [r[1] for r in table_rows(_appendix(doc, "PHỤ LỤC I"))[1:]]
    assert symbols == ["14/KH-SGDĐT", "15/KH-SGDĐT"]
    assert "từ ngày 01/01/2021 đến ngày 15/6/2021" in all_text(doc)


def test_reversed_window_is_refused(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.errors import ValidationError

    with pytest.raises(ValidationError, match="không hợp lệ"):
        _export(seeded, tmp_path, start=date(2021, 6, 1), end=date(2021, 1, 1))


def test_units_table_and_rates(seeded) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.services.reports import gather_report

    with seeded.session() as session:
        data = gather_report(session, parse_period("2021-H1"))
    assert [(u.unit, u.total, u.done, u.overdue) for u in data.by_unit] == [
        ("Văn phòng Sở", 3, 1, 0), ("Thanh tra Sở", 1, 0, 1)]
    assert data.completion_rate == 25.0
    assert data.as_of == date(2021, 6, 14)


def test_written_texts_go_to_their_sections_and_drafts_fill_the_others(
        seeded, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.domain.report_kinds import NEUTRAL_SENTENCE, ReportKind
    from cchc_desktop.services.report_drafts import save_text, stored_texts

    h1, q1 = parse_period("2021-H1"), parse_period("2021-Q1")
    with seeded.session() as session:
        save_text(session, h1, ReportKind.GENERAL, "area2",
                  "Đã rà soát 12 văn bản QPPL.\n\nĐoạn hai.")
        save_text(session, h1, ReportKind.GENERAL, "next", "Tiếp tục rà soát TTHC.")
        save_text(session, q1, ReportKind.GENERAL, "area2", "Của báo cáo khác.")
        save_text(session, h1, ReportKind.PROPAGANDA, "next", "Của báo cáo tuyên truyền.")
    with seeded.session() as session:
        assert stored_texts(session, h1, ReportKind.GENERAL)["area2"].endswith("Đoạn hai.")
        assert "area5" not in stored_texts(session, h1, ReportKind.GENERAL)
    doc = DocxDocument(str(_export(seeded, tmp_path)))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("2. Cải cách thể chế")
    assert texts[i + 1:i + 3] == ["Đã rà soát 12 văn bản QPPL.", "Đoạn hai."]
    assert texts[i + 3] == "3. Cải cách thủ tục hành chính"
    j = texts.index("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2021")
    assert texts[j + 1] == "Tiếp tục rà soát TTHC."
    assert "Của báo cáo khác." not in texts and "Của báo cáo tuyên truyền." not in texts
    # A section with no data and no text says so plainly; no instruction anywhere.
    k = texts.index("5. Cải cách chế độ công vụ")
    assert texts[k + 1] == NEUTRAL_SENTENCE
    # Area 3 is drafted from its task: completed after the window, so still open on 14/6.
    m = texts.index("3. Cải cách thủ tục hành chính")
    assert texts[m + 1] == NEUTRAL_SENTENCE


def test_no_instruction_text_in_any_report(seeded, db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.report_kinds import ReportKind

    for database in (seeded, db):
        for kind in ReportKind:
            text = all_text(DocxDocument(str(_export(database, tmp_path, kind=kind,
                                                     tasks_appendix="all"))))
            for words in ("[", "nhập tại", "thẻ Báo cáo", "phần mềm", "Chưa có nội dung"):
                assert words not in text, (kind, words)


def test_empty_sections_are_warned_before_writing(profile_db) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.report_docx import ReportOptions, prepare_report

    with profile_db.session() as session:
        report = prepare_report(session, ReportOptions(parse_period("2021-H1")))
    assert len([w for w in report.warnings if w.startswith("Mục “")]) == 12
    assert "Mục “2. Cải cách thể chế” không có số liệu và chưa được soạn: văn bản ghi " \
           "“Trong kỳ báo cáo, không có nội dung phát sinh.”" in report.warnings
    assert any("không in phụ lục văn bản" in w for w in report.warnings)
    assert any("không in phụ lục nhiệm vụ" in w for w in report.warnings)


def test_save_text_refuses_unknown_section(db) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.domain.report_kinds import ReportKind
    from cchc_desktop.errors import ValidationError
    from cchc_desktop.services.report_drafts import save_text

    with pytest.raises(ValidationError), db.session() as session:
        save_text(session, parse_period("2021-H1"), ReportKind.GENERAL, "area9", "x")
    with pytest.raises(ValidationError), db.session() as session:
        save_text(session, parse_period("2021-H1"), ReportKind.PROPAGANDA, "area2", "x")


def test_save_text_overwrites_and_blank_goes_back_to_the_draft(db) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.domain.report_kinds import ReportKind
    from cchc_desktop.services.report_drafts import save_text, stored_texts

    year = parse_period("2021")
    with db.session() as session:
        save_text(session, year, ReportKind.GENERAL, "intro", "Một")
    with db.session() as session:
        save_text(session, year, ReportKind.GENERAL, "intro", "  Hai\n")
    with db.session() as session:
        assert stored_texts(session, year, ReportKind.GENERAL) == {"intro": "Hai"}
        save_text(session, year, ReportKind.GENERAL, "intro", "  \n")
    with db.session() as session:
        assert stored_texts(session, year, ReportKind.GENERAL) == {}


@pytest.mark.parametrize(
    ("code", "summary"),
    [
        ("2021-Q1", "quý I năm 2021, nhiệm vụ trọng tâm quý II năm 2021"),
        ("2021-Q4", "quý IV năm 2021, nhiệm vụ trọng tâm quý I năm 2022"),
        ("2021-9M", "9 tháng đầu năm 2021, nhiệm vụ trọng tâm quý IV năm 2021"),
        ("2021", "năm 2021, nhiệm vụ trọng tâm năm 2022"),
    ],
)
def test_trich_yeu_per_period(code: str, summary: str) -> None:
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.report_docx import report_summary_line

    assert report_summary_line(parse_period(code)) == (
        f"Kết quả thực hiện công tác cải cách hành chính {summary}")


def test_report_with_charts_embeds_print_resolution_pictures(seeded,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    import io
    import zipfile

    from PIL import Image

    out = _export(seeded, tmp_path, charts=True)
    with zipfile.ZipFile(out) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(images) == 2  # status classes, completion by unit (no index results)
        for name in images:
            dpi = Image.open(io.BytesIO(z.read(name))).info["dpi"]
            assert dpi[0] >= 199
    texts = [p.text for p in DocxDocument(str(out)).paragraphs]
    assert "Biểu đồ 1. Tình hình thực hiện nhiệm vụ theo trạng thái" in texts


def test_figures_agree_on_sqlite_and_postgresql(any_db) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.services.reports import gather_report

    _seed(any_db)
    with any_db.session() as session:
        data = gather_report(session, parse_period("2021-H1"))
    assert data.summary == {"total": 4, "done_on_time": 1, "done_late": 0, "done_no_deadline": 0,
                            "open_on_time": 1, "open_overdue": 1, "open_no_deadline": 1}
    assert data.assigned_summary["total"] == 1 and data.assigned_summary["open_overdue"] == 1
    assert [(u.unit, u.total, u.done, u.overdue) for u in data.by_unit] == [
        ("Văn phòng Sở", 3, 1, 0), ("Thanh tra Sở", 1, 0, 1)]
    assert [d.symbol for d in data.documents] == ["01/KH-SGDĐT", "36/KH-UBND", "14/KH-SGDĐT"]
    assert [t.content for t in data.tasks] == [
        "Nhiệm vụ A hoàn thành đúng hạn", "Nhiệm vụ B quá hạn", "Nhiệm vụ C hoàn thành sau kỳ",
        "Nhiệm vụ D thường xuyên"]

