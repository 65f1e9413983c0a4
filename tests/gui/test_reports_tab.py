"""The Báo cáo tab and the export dialogs, driven with real widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QUndoStack

from tests.conftest import DEMO_TODAY


@pytest.fixture
def ctx(demo_db):  # noqa: ANN001, ANN201
    from cchc_desktop.gui.common.context import GuiContext

    return GuiContext(db=demo_db, undo_stack=QUndoStack(), today=lambda: DEMO_TODAY)


@pytest.fixture
def tab(qtbot, ctx):  # noqa: ANN001, ANN201
    from cchc_desktop.gui.reports.tab import ReportsTab

    widget = ReportsTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    _ready(qtbot, widget)
    return widget


def _ready(qtbot, tab) -> None:  # noqa: ANN001
    """Wait for the sections' texts, computed off the GUI thread."""
    qtbot.waitUntil(lambda: tab.texts_ready, timeout=10000)


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, object]:
    """Patch the save dialog to answer a path, and record the "Mở" offer instead of showing it."""
    from cchc_desktop.gui.common import dialogs
    from cchc_desktop.gui.reports import export_dialog

    record: dict[str, object] = {"path": tmp_path / "out.docx", "opened": [], "errors": [],
                                 "warned": []}
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: record["path"])
    monkeypatch.setattr(dialogs, "confirm",
                        lambda parent, text, **k: record["warned"].append(text) or True)
    monkeypatch.setattr(export_dialog, "offer_open",
                        lambda parent, path, text="": record["opened"].append(path))
    monkeypatch.setattr(dialogs, "show_error",
                        lambda parent, text, details="": record["errors"].append(text))
    return record


def _select_period(qtbot, tab, kind_label: str, year: int) -> None:  # noqa: ANN001
    tab.kind_box.setCurrentIndex(tab.kind_box.findText(kind_label))
    tab.year_box.setValue(year)
    _ready(qtbot, tab)


def test_default_period_is_todays_quarter_with_its_window(tab) -> None:  # noqa: ANN001
    assert tab.period.code == "2024-Q4"
    assert tab.cutoff_window() == (date(2024, 9, 15), date(2024, 12, 14))
    assert "15/09/2024 – 14/12/2024" in tab.window_label.text()


def test_preview_shows_the_figures_of_the_window(qtbot, tab, demo_db) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.services.reports import gather_report

    _select_period(qtbot, tab, "6 tháng đầu năm", 2024)
    assert tab.period.code == "2024-H1"
    with demo_db.session() as session:
        data = gather_report(session, parse_period("2024-H1"))
    text = tab.preview.toPlainText()
    assert f"tổng số {data.summary['total']}" in text
    assert "Số liệu từ ngày 15/12/2023 đến ngày 14/06/2024" in text
    assert f"Văn bản chỉ đạo, triển khai của cơ quan trong kỳ: {len(data.documents) - 2}" \
        in text  # UBND's two plans are cited, not listed as the department's own


def test_a_date_inside_the_window_ends_the_data_as_the_export_does(qtbot, tab) -> None:  # noqa: ANN001
    _select_period(qtbot, tab, "6 tháng đầu năm", 2024)
    tab.date_edit.setDate(QDate(2024, 6, 7))
    assert "Số liệu từ ngày 15/12/2023 đến ngày 07/06/2024" in tab.preview.toPlainText()
    _ready(qtbot, tab)
    tab.section_list.setCurrentRow(1)
    assert "tính đến ngày 07/6/2024" in tab.editor.toPlainText()
    tab.date_edit.setDate(QDate(2023, 12, 1))  # before the window: said plainly
    assert "trước thời gian chốt số liệu" in tab.preview.toPlainText()
    tab.no_date_box.setChecked(True)  # no date: the whole window
    assert "đến ngày 14/06/2024" in tab.preview.toPlainText()


def test_window_override_and_reset(qtbot, tab) -> None:  # noqa: ANN001
    _select_period(qtbot, tab, "6 tháng đầu năm", 2024)
    tab.end_edit.setDate(QDate(2024, 6, 30))
    assert "đến ngày 30/06/2024" in tab.preview.toPlainText()
    assert tab.report_options().end == date(2024, 6, 30)
    assert tab.report_options().start is None
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert tab.cutoff_window() == (date(2023, 12, 15), date(2024, 6, 14))
    assert tab.report_options().end is None


def _stored(db, code: str, kind: str = "general") -> dict[str, str]:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.services.report_drafts import stored_texts

    with db.session() as session:
        return stored_texts(session, parse_period(code), kind)


def test_section_text_is_saved_as_typed_per_period(qtbot, tab, demo_db) -> None:  # noqa: ANN001
    _select_period(qtbot, tab, "6 tháng đầu năm", 2024)
    tab.section_list.setCurrentRow(2)  # 2. Cải cách thể chế
    tab.editor.selectAll()
    qtbot.keyClicks(tab.editor, "Da ra soat 12 van ban QPPL.")
    assert "area2" not in _stored(demo_db, "2024-H1")  # not yet: a short pause first
    qtbot.waitUntil(lambda: "area2" in _stored(demo_db, "2024-H1"), timeout=3000)
    assert _stored(demo_db, "2024-H1")["area2"] == "Da ra soat 12 van ban QPPL."
    assert "đã soạn" in tab.source_label.text()
    # Another period has its own text (its draft); coming back shows ours again.
    _select_period(qtbot, tab, "Năm", 2024)
    assert tab.editor.toPlainText() != "Da ra soat 12 van ban QPPL."
    _select_period(qtbot, tab, "6 tháng đầu năm", 2024)
    tab.section_list.setCurrentRow(2)
    assert tab.editor.toPlainText() == "Da ra soat 12 van ban QPPL."
    # "Soạn lại từ số liệu" drops the written text for the draft.
    qtbot.mouseClick(tab.redraft_button, Qt.MouseButton.LeftButton)
    assert "area2" not in _stored(demo_db, "2024-H1")
    assert tab.editor.toPlainText().startswith(("Đã hoàn thành", "Trong kỳ", "Còn"))


def test_sections_show_drafts_from_the_data(qtbot, tab) -> None:  # noqa: ANN001
    _select_period(qtbot, tab, "6 tháng đầu năm", 2024)
    tab.section_list.setCurrentRow(1)  # 1. Công tác chỉ đạo, điều hành
    assert "Tình hình thực hiện nhiệm vụ cải cách hành chính tính đến ngày 14/6/2024" \
        in tab.editor.toPlainText()
    assert "Bản nháp" in tab.source_label.text()


def test_text_being_typed_is_saved_when_switching_section_or_leaving(qtbot, tab,  # noqa: ANN001
                                                                    demo_db) -> None:
    tab.section_list.setCurrentRow(0)
    tab.editor.selectAll()
    qtbot.keyClicks(tab.editor, "Mo dau")
    tab.section_list.setCurrentRow(10)  # immediately, without waiting for the pause
    assert _stored(demo_db, tab.period.code)["intro"] == "Mo dau"
    tab.section_list.setCurrentRow(11)  # phương hướng kỳ tới
    tab.editor.selectAll()
    qtbot.keyClicks(tab.editor, "Ky toi")
    tab.hide()
    assert _stored(demo_db, tab.period.code)["next"] == "Ky toi"


def test_each_report_kind_has_its_outline_and_texts(qtbot, tab, demo_db) -> None:  # noqa: ANN001
    tab.report_kind_box.setCurrentIndex(tab.report_kind_box.findData("propaganda"))
    _ready(qtbot, tab)
    labels = [tab.section_list.item(i).text() for i in range(tab.section_list.count())]
    assert labels[:3] == ["Mở đầu (căn cứ)", "1. Công tác triển khai",
                          "a. Tuyên truyền tới cán bộ, công chức, viên chức"]
    tab.section_list.setCurrentRow(1)
    tab.editor.selectAll()
    qtbot.keyClicks(tab.editor, "Da ban hanh ke hoach tuyen truyen")
    tab.report_kind_box.setCurrentIndex(tab.report_kind_box.findData("general"))
    assert _stored(demo_db, tab.period.code, "propaganda") == {
        "deploy": "Da ban hanh ke hoach tuyen truyen"}
    assert _stored(demo_db, tab.period.code) == {}


def test_export_report_from_the_tab(qtbot, tab, saved, ctx) -> None:  # noqa: ANN001
    _select_period(qtbot, tab, "6 tháng đầu năm", 2024)
    tab.section_list.setCurrentRow(11)
    tab.editor.selectAll()
    qtbot.keyClicks(tab.editor, "Tiep tuc ra soat TTHC.")
    qtbot.keyClicks(tab.number_edit, "263")
    tab.date_edit.setDate(QDate(2024, 6, 7))
    tab.charts_box.setChecked(False)
    tab.appendix_box.setCurrentIndex(tab.appendix_box.findData("none"))
    assert tab.export_report()
    out = saved["path"]
    assert saved["opened"] == [out] and not saved["errors"]
    doc = DocxDocument(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "Tiep tuc ra soat TTHC." in texts  # the unsaved text was saved first
    left = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]
    right = [p.text for p in doc.tables[0].rows[0].cells[1].paragraphs]
    assert "Số: 263/BC-SGDĐT" in left and "Sơn La, ngày 07 tháng 6 năm 2024" in right
    assert "PHỤ LỤC II" not in texts and "PHỤ LỤC" in texts  # documents only


def test_a_bad_number_is_shown_and_nothing_written(qtbot, tab, saved) -> None:  # noqa: ANN001
    qtbot.keyClicks(tab.number_edit, "12a")
    assert tab.export_report() is False
    assert saved["errors"] and "Số văn bản không hợp lệ" in saved["errors"][0]
    assert not saved["path"].exists()


def test_warnings_are_confirmed_before_writing(qtbot, db, saved, monkeypatch) -> None:  # noqa: ANN001
    from cchc_desktop.gui.common import dialogs
    from cchc_desktop.gui.common.context import GuiContext
    from cchc_desktop.gui.reports.tab import ReportsTab
    from cchc_desktop.services.profile import AgencyProfile, save_profile

    with db.session() as session:
        save_profile(session, AgencyProfile())  # a database without one refuses to export
    ctx = GuiContext(db=db, undo_stack=QUndoStack(), today=lambda: DEMO_TODAY)
    widget = ReportsTab(ctx)
    qtbot.addWidget(widget)
    monkeypatch.setattr(dialogs, "confirm", lambda parent, text, **k:
                        saved["warned"].append(text) and False)
    assert widget.export_report() is False
    assert "Mục “2. Cải cách thể chế” không có số liệu" in saved["warned"][0]
    assert not saved["path"].exists()


def test_export_overdue_and_plan_dialog_functions(qtbot, ctx, saved, tmp_path) -> None:  # noqa: ANN001
    from cchc_desktop.gui.reports import export_dialog

    assert export_dialog.export_overdue(None, ctx)
    text = "\n".join(p.text for p in DocxDocument(str(saved["path"])).paragraphs)
    assert "tính đến ngày 20/11/2024" in text
    saved["path"] = tmp_path / "plan.docx"
    assert export_dialog.export_plan(None, ctx, 1)
    assert saved["opened"][-1] == tmp_path / "plan.docx"


def test_cancelled_save_writes_nothing(ctx, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                       tmp_path: Path) -> None:
    from cchc_desktop.gui.common import dialogs
    from cchc_desktop.gui.reports import export_dialog

    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: None)
    assert export_dialog.export_overdue(None, ctx) is False
    assert not list(tmp_path.glob("*.docx"))


def test_export_error_is_shown_in_vietnamese(ctx, saved, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.gui.reports import export_dialog

    saved["path"] = tmp_path / "khong_co" / "a.docx"
    assert export_dialog.export_plan(None, ctx, 1) is False
    assert saved["errors"] and "Thư mục không tồn tại" in saved["errors"][0]
    assert saved["opened"] == []


def test_report_options_dialog(qtbot, ctx) -> None:  # noqa: ANN001
    from cchc_desktop.gui.reports.export_dialog import ReportOptionsDialog

    dialog = ReportOptionsDialog(DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findText("9 tháng đầu năm"))
    dialog.year_box.setValue(2023)
    qtbot.keyClicks(dialog.number_edit, "12")
    dialog.no_date_box.setChecked(True)
    dialog.report_kind_box.setCurrentIndex(dialog.report_kind_box.findData("index"))
    dialog.appendix_box.setCurrentIndex(dialog.appendix_box.findData("all"))
    options = dialog.options()
    assert options.period.code == "2023-9M" and options.number == "12"
    assert options.doc_date is None and options.charts
    assert options.kind == "index" and options.tasks_appendix == "all" and options.unit is None


def test_export_scoring_without_framework_shows_why(ctx, saved) -> None:  # noqa: ANN001
    from cchc_desktop.gui.reports import export_dialog

    assert export_dialog.scoring_available()
    assert export_dialog.export_scoring(None, ctx, 2030) is False
    assert saved["errors"] == ["Chưa có bộ tiêu chí năm 2030."]


def test_empty_database_tab_and_export(qtbot, db, saved) -> None:  # noqa: ANN001
    from cchc_desktop.gui.common.context import GuiContext
    from cchc_desktop.gui.reports.tab import ReportsTab
    from cchc_desktop.services.profile import AgencyProfile, save_profile

    with db.session() as session:
        save_profile(session, AgencyProfile())
    ctx = GuiContext(db=db, undo_stack=QUndoStack(), today=lambda: DEMO_TODAY)
    widget = ReportsTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    text = widget.preview.toPlainText()
    assert "tổng số 0" in text and "chưa có số liệu trong kỳ" in text
    widget.charts_box.setChecked(False)
    assert widget.export_report()
    paragraphs = [p.text for p in DocxDocument(str(saved["path"])).paragraphs]
    assert "Trong kỳ báo cáo, không có nội dung phát sinh." in paragraphs
    assert not any(t.startswith("[") for t in paragraphs)
    assert saved["warned"]  # the empty sections were listed before writing


def test_viewer_reads_but_cannot_write_the_text(qtbot, demo_db) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.gui.common.context import GuiContext
    from cchc_desktop.gui.reports.tab import ReportsTab
    from cchc_desktop.services.access import CurrentUser
    from cchc_desktop.services.report_drafts import save_text

    with demo_db.session() as session:
        save_text(session, parse_period("2024-Q4"), "general", "intro",
                  "Căn cứ Kế hoạch số 36/KH-UBND")
    demo_db.act_as(CurrentUser("xem", "viewer"))
    ctx = GuiContext(db=demo_db, undo_stack=QUndoStack(), today=lambda: DEMO_TODAY)
    widget = ReportsTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    _ready(qtbot, widget)
    widget.section_list.setCurrentRow(0)
    assert widget.editor.toPlainText() == "Căn cứ Kế hoạch số 36/KH-UBND"
    assert widget.editor.isReadOnly() and not widget.redraft_button.isVisible()


def test_chasing_letters_from_the_tab(qtbot, tab, saved, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    from cchc_desktop.gui.common import dialogs

    folder = tmp_path / "letters"
    folder.mkdir()
    monkeypatch.setattr(dialogs, "choose_folder", lambda *a, **k: folder)
    assert tab.export_reminders()
    names = sorted(p.name for p in folder.glob("*.docx"))
    assert "Cong_van_don_doc_tat_ca.docx" in names and len(names) >= 2
    assert saved["opened"] == [folder / "Cong_van_don_doc_tat_ca.docx"]
    doc = DocxDocument(str(folder / names[0]))
    assert any(p.text.startswith("Kính gửi: ") for p in doc.paragraphs)


def test_cancelled_export_leaves_no_file(qtbot, ctx, saved, tmp_path) -> None:  # noqa: ANN001
    """"Hủy" while the document is being written: no file, no temporary debris."""
    import time

    from cchc_desktop.gui.reports.export_dialog import run_export
    from tests.gui.progress import press_cancel_when_shown

    def write(session, path: Path) -> Path:  # noqa: ANN001, ARG001
        path.write_bytes(b"PK draft")
        time.sleep(1.0)
        return path

    pressed: list[bool] = []
    press_cancel_when_shown(qtbot, pressed)
    assert not run_export(None, ctx, title="Xuất", default_name="x.docx", write=write)
    assert pressed == [True]
    assert sorted(p.name for p in tmp_path.iterdir() if "sqlite" not in p.name) == []
    assert saved["opened"] == [] and saved["errors"] == []


def test_text_typed_just_before_the_window_closes_is_kept(qtbot, window, demo_db) -> None:  # noqa: ANN001
    """Closing the window inside the save pause loses nothing the secretary typed."""
    tab = window.tab("reports_tab")
    window.tabs.setCurrentIndex(window.index_of("reports_tab"))
    qtbot.waitUntil(lambda: tab.section_list.count() > 0)
    _ready(qtbot, tab)
    tab.section_list.setCurrentRow(0)
    tab.editor.setPlainText("")
    qtbot.keyClicks(tab.editor, "Go roi dong ngay")
    code = tab.period.code
    window.close()  # at once, well inside the 600 ms pause
    assert _stored(demo_db, code)["intro"] == "Go roi dong ngay"


def test_drafts_are_computed_off_the_gui_thread_and_typing_waits_for_them(  # noqa: ANN001
        qtbot, tab, monkeypatch) -> None:
    """A slow draft (20,000 tasks) leaves the window answering; the editor takes no keys
    until the texts of the latest choice arrive, so nothing typed is overwritten."""
    import threading
    import time

    from PySide6.QtCore import QTimer

    from cchc_desktop.services import report_drafts

    real = report_drafts.period_drafts
    threads: list[str] = []

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        threads.append(threading.current_thread().name)
        time.sleep(0.4)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_drafts, "period_drafts", slow)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    tab.kind_box.setCurrentIndex(tab.kind_box.findText("Năm"))
    tab.kind_box.setCurrentIndex(tab.kind_box.findText("6 tháng đầu năm"))  # changed again
    assert not tab.texts_ready
    assert tab.editor.isReadOnly() and "Đang soạn" in tab.source_label.text()
    qtbot.keyClicks(tab.editor, "go vao luc dang tai")
    assert tab.editor.toPlainText() == ""
    _ready(qtbot, tab)
    timer.stop()
    assert len(ticks) >= 5  # the event loop ran while the drafts were computed
    assert threading.main_thread().name not in threads
    tab.section_list.setCurrentRow(1)
    assert "tính đến ngày 14/6/2024" in tab.editor.toPlainText()  # the last choice: 2024-H1
    assert not tab.editor.isReadOnly()
