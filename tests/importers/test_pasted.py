"""A task table copied in Word or Excel and pasted: read like a workbook, imported like one."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from PySide6.QtCore import QMimeData, Qt
from sqlalchemy import select

from cchc_desktop.errors import UserError
from cchc_desktop.importers.pasted import (
    NO_TABLE_MESSAGE,
    PASTED_NAME,
    pasted_sheet,
    sheet_from_html,
    sheet_from_text,
)
from cchc_desktop.store.models import Task

# What Word puts on the clipboard for a plan's task table (trimmed): Office namespaces, a
# style block, conditional comments, paragraphs in cells, &nbsp;, a lead unit merged down
# over two rows, and a group row spread over every column.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta charset="utf-8">
<style><!-- p.MsoNormal {margin:0cm; font-family:"Times New Roman"} --></style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->
</head><body lang=VI><!--StartFragment-->
<p class=MsoNormal>PHỤ LỤC</p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0>
 <tr><td><p class=MsoNormal><b>STT</b></p></td>
  <td><p class=MsoNormal><b>Nội dung nhiệm vụ</b></p></td>
  <td><p class=MsoNormal><b>Cơ quan chủ trì</b></p></td>
  <td><p class=MsoNormal><b>Cơ quan phối hợp</b></p></td>
  <td><p class=MsoNormal><b>Thời gian hoàn thành</b></p></td></tr>
 <tr><td colspan=5><p class=MsoNormal><b>I. CẢI&nbsp;CÁCH THỂ CHẾ</b></p></td></tr>
 <tr><td><p class=MsoNormal>1</p></td>
  <td><p class=MsoNormal>Rà soát văn bản</p><p class=MsoNormal>quy phạm pháp luật</p></td>
  <td rowspan=2><p class=MsoNormal>Văn phòng Sở</p></td>
  <td><p class=MsoNormal>Thanh tra Sở</p></td>
  <td><p class=MsoNormal>30/6/2025</p></td></tr>
 <tr><td><p class=MsoNormal>2</p></td>
  <td><p class=MsoNormal>Kiểm tra công tác CCHC</p></td>
  <td><p class=MsoNormal>&nbsp;</p></td>
  <td><p class=MsoNormal>Quý III</p></td></tr>
 <tr><td colspan=5><p class=MsoNormal><b>II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH</b></p></td></tr>
 <tr><td><p class=MsoNormal>3</p></td>
  <td><p class=MsoNormal>Công khai thủ tục hành chính</p></td>
  <td><p class=MsoNormal>Phòng Tổ chức cán bộ</p></td>
  <td></td><td><p class=MsoNormal>Thường xuyên</p></td></tr>
</table><!--EndFragment--></body></html>"""

HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
          "Thời gian hoàn thành"]


def test_word_html_becomes_sheet_rows():
    data = sheet_from_html(WORD_HTML)
    assert data is not None
    assert data.path.name == PASTED_NAME
    rows = [values for _number, values in data.rows]
    assert rows[0] == HEADER
    assert rows[1] == ["I. CẢI CÁCH THỂ CHẾ", None, None, None, None]
    assert rows[2] == ["1", "Rà soát văn bản\nquy phạm pháp luật", "Văn phòng Sở",
                       "Thanh tra Sở", "30/6/2025"]
    assert rows[3] == ["2", "Kiểm tra công tác CCHC", "Văn phòng Sở", None, "Quý III"]
    assert rows[5][2:] == ["Phòng Tổ chức cán bộ", None, "Thường xuyên"]
    assert [number for number, _values in data.rows] == [1, 2, 3, 4, 5, 6]


def test_the_largest_table_is_taken_and_text_is_nfc():
    nfd = unicodedata.normalize("NFD", "Nội dung")
    html = ("<table><tr><td>chữ ký</td></tr></table>"
            f"<table><tr><td>STT</td><td>{nfd}</td></tr><tr><td>1</td><td>Việc A</td></tr>"
            "<tr><td>2</td><td><table><tr><td>bảng lồng</td></tr></table>Việc B</td></tr>"
            "</table>")
    data = sheet_from_html(html)
    assert data is not None
    assert [v for _n, v in data.rows] == [["STT", "Nội dung"], ["1", "Việc A"], ["2", "Việc B"]]


def test_excel_text_with_a_quoted_multiline_cell():
    text = ("STT\tNội dung\tCơ quan chủ trì\r\n"
            "1\t\"Việc có\r\nhai dòng\"\tVăn phòng Sở\r\n"
            "\t\t\r\n"
            "2\tViệc khác\tThanh tra Sở\r\n")
    data = sheet_from_text(text)
    assert data is not None
    assert [v for _n, v in data.rows] == [
        ["STT", "Nội dung", "Cơ quan chủ trì"],
        ["1", "Việc có\nhai dòng", "Văn phòng Sở"],
        ["2", "Việc khác", "Thanh tra Sở"],
    ]


def test_html_is_preferred_and_no_table_is_a_clear_message():
    assert pasted_sheet(WORD_HTML, "STT\tkhác").rows[0][1] == HEADER
    assert pasted_sheet("<p>không có bảng</p>", "A\tB\n1\t2").rows[0][1] == ["A", "B"]
    for html, text in ((None, None), ("<p>chỉ là đoạn văn</p>", "chỉ là đoạn văn"),
                       ("<table></table>", "")):
        with pytest.raises(UserError) as info:
            pasted_sheet(html, text)
        assert info.value.message == NO_TABLE_MESSAGE


def test_importing_the_pasted_table_into_a_plan(units_db):
    from cchc_desktop.services.imports import import_tasks
    from cchc_desktop.services.plans import save_plan

    with units_db.session() as session:
        plan_id = save_plan(session, title="Kế hoạch CCHC năm 2025", year=2025).id
    with units_db.session() as session:
        report = import_tasks(session, pasted_sheet(WORD_HTML, None), plan_id=plan_id,
                              today=date(2025, 1, 10))
    assert report.problems == [] and report.added == 3
    assert report.file == PASTED_NAME
    with units_db.session() as session:
        tasks = session.scalars(select(Task).order_by(Task.position)).all()
        got = [(t.content, t.lead_unit.name, [u.name for u in t.supporting_units], t.area,
                t.due_date, t.plan_id) for t in tasks]
    assert got[0] == ("Rà soát văn bản\nquy phạm pháp luật", "Văn phòng Sở", ["Thanh tra Sở"],
                      2, date(2025, 6, 30), plan_id)
    assert got[1][:2] == ("Kiểm tra công tác CCHC", "Văn phòng Sở")  # merged down
    assert got[1][4] == date(2025, 9, 30)  # "Quý III" of the plan's year
    assert got[2][1] == "Phòng Tổ chức cán bộ" and got[2][3] == 3  # second group row


@pytest.fixture
def clipboard():
    """Puts (html, text) on the clipboard; cleared afterwards (Qt's offscreen clipboard
    otherwise deletes the mime data twice when the test process exits)."""
    from PySide6.QtWidgets import QApplication

    def put(html: str | None, text: str | None) -> None:
        mime = QMimeData()
        if html is not None:
            mime.setHtml(html)
        if text is not None:
            mime.setText(text)
        QApplication.clipboard().setMimeData(mime)

    yield put
    QApplication.clipboard().clear()


def test_ctrl_v_in_the_plans_tab_previews_then_imports(qtbot, qtmodeltester, units_db,
                                                        monkeypatch, clipboard):
    from PySide6.QtGui import QUndoStack

    from cchc_desktop.gui.common import dialogs
    from cchc_desktop.gui.common.context import GuiContext
    from cchc_desktop.gui.plans.tab import PlansTab
    from cchc_desktop.gui.tasks.import_dialog import ImportDialog
    from cchc_desktop.services.plans import save_plan

    with units_db.session() as session:
        plan_id = save_plan(session, title="Kế hoạch CCHC năm 2025", year=2025).id
    stack = QUndoStack()
    ctx = GuiContext(db=units_db, undo_stack=stack, today=lambda: date(2025, 1, 10))
    tab = PlansTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.select_plan(plan_id)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_info",
                        lambda _p, text, details="": shown.append(f"{text} {details}"))
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(text))
    previews: list[tuple[str, str]] = []

    def user_reads_then_imports(dialog: ImportDialog) -> int:
        previews.append((dialog.windowTitle(), dialog.summary.text()))
        model = dialog.preview_model
        qtmodeltester.check(model)
        shown_rows = [[model.index(r, c).data() for c in range(9)] for r in range(3)]
        assert shown_rows[0] == ["3", "thêm", "I. CẢI CÁCH THỂ CHẾ", "Thể chế",
                                 "Rà soát văn bản quy phạm pháp luật", "Văn phòng Sở",
                                 "Thanh tra Sở", "30/06/2025", "hạn 30/06/2025"]
        assert shown_rows[1][5] == "Văn phòng Sở" and shown_rows[1][7] == "Quý III (30/09/2025)"
        assert shown_rows[2][3] == "TTHC"
        assert shown_rows[2][8] == "thường xuyên, không có hạn"
        assert dialog.plan_combo.currentData() == plan_id  # the plan the user was in
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return 1

    monkeypatch.setattr(ImportDialog, "exec", user_reads_then_imports)

    clipboard(None, "không phải bảng")
    tab.activateWindow()  # shortcuts of the table work where it has the keyboard focus
    qtbot.waitUntil(tab.isActiveWindow)
    qtbot.mouseClick(tab.task_view.viewport(), Qt.MouseButton.LeftButton)  # the user clicks in
    qtbot.keyClick(tab.task_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert shown == [NO_TABLE_MESSAGE] and previews == []

    clipboard(WORD_HTML, "STT\tNội dung")
    qtbot.keyClick(tab.task_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert previews and previews[0][0] == "Dán nhiệm vụ từ bảng đã sao chép"
    assert "Sẽ thêm 3 nhiệm vụ" in previews[0][1]
    assert shown and "Đã thêm 3 nhiệm vụ" in shown[-1]

    def tasks_shown() -> int:
        return sum(len(group.tasks) for group in tab.task_model.groups())

    qtbot.waitUntil(lambda: tasks_shown() == 3, timeout=5000)  # the tab reloaded the plan

    def plan_task_ids() -> list[int]:
        with units_db.session() as session:
            return list(session.scalars(select(Task.id).where(Task.plan_id == plan_id)
                                        .order_by(Task.id)))

    pasted_ids = plan_task_ids()
    assert stack.count() == 1 and stack.undoText() == f"Nhập 3 nhiệm vụ từ {PASTED_NAME}"
    stack.undo()  # Ctrl+Z: the pasted tasks go again
    assert plan_task_ids() == []
    qtbot.waitUntil(lambda: tasks_shown() == 0, timeout=5000)
    stack.redo()
    assert plan_task_ids() == pasted_ids  # the same tasks, same ids
    stack.deleteLater()


def test_the_report_says_what_happens_to_each_row(units_db):
    from cchc_desktop.services.imports import import_tasks

    table = pasted_sheet(WORD_HTML, None)
    with units_db.session() as session:
        import_tasks(session, table, year=2025, today=date(2025, 1, 10))
    changed = WORD_HTML.replace("Quý III", "Quý IV").replace(
        "<td><p class=MsoNormal>3</p></td>\n  <td><p class=MsoNormal>Công khai thủ tục hành chính",
        "<td><p class=MsoNormal>3</p></td>\n  <td><p class=MsoNormal>")
    with units_db.session() as session:
        report = import_tasks(session, pasted_sheet(changed, None), year=2025, dry_run=True,
                              today=date(2025, 1, 10))
    assert [(r.row, r.action) for r in report.rows] == [
        (3, "không đổi"), (4, "cập nhật"), (6, "lỗi")]
    assert report.rows[1].timing == "Quý IV" and report.rows[1].due == date(2025, 12, 31)
    assert [row for row, _reason in report.problems] == [6]
    assert report.summary_lines()[0] == f"Nguồn: {PASTED_NAME}, dòng tiêu đề: 1"


def test_a_cut_fragment_and_absurd_spans_stay_bounded():
    data = sheet_from_html("<table><tr><td>STT</td><td>Nội dung</td></tr><tr><td>1</td><td>Việc")
    assert data is not None and [v for _n, v in data.rows] == [["STT", "Nội dung"], ["1", "Việc"]]
    spans = ("<tr><td rowspan=1000 colspan=1000>x</td><td colspan=1000>y</td></tr>") * 200
    data = sheet_from_html(f"<table>{spans}</table>")
    assert data is not None and max(len(values) for _n, values in data.rows) <= 200


def test_a_stray_quote_in_pasted_text_does_not_swallow_the_rest():
    text = ('STT\tNội dung\tCơ quan chủ trì\n'
            '1\t"Đề án 06 triển khai\tVăn phòng Sở\n'
            '2\tViệc khác\tThanh tra Sở\n')
    data = sheet_from_text(text)
    assert data is not None
    assert [v for _n, v in data.rows] == [
        ["STT", "Nội dung", "Cơ quan chủ trì"],
        ["1", '"Đề án 06 triển khai', "Văn phòng Sở"],
        ["2", "Việc khác", "Thanh tra Sở"],
    ]
