"""The Văn bản tab: the register, search without diacritics, date range, undoable edits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.documents.document_dialog import DocumentDialog
from cchc_desktop.gui.documents.tab import DocumentsTab
from cchc_desktop.services.documents import list_documents, save_document
from cchc_desktop.services.tasks import get_task
from cchc_desktop.store.models import Task
from tests.gui.register_helpers import ConfirmRecorder, drive_dialogs, make_ctx


@pytest.fixture
def filled_db(db: Any) -> Any:
    with db.session() as s:
        save_document(s, "263/BC-SGDĐT", date(2021, 6, 7), issuer="Sở GD&ĐT",
                      summary="Báo cáo kết quả tuyên truyền CCHC 6 tháng đầu năm 2021")
        save_document(s, "36/KH-UBND", date(2021, 1, 26), issuer="UBND tỉnh",
                      summary="Tuyên truyền công tác cải cách hành chính tỉnh năm 2021")
        save_document(s, "123/SGDĐT-VP", date(2021, 3, 2), issuer="Sở GD&ĐT",
                      summary="Về việc đôn đốc thực hiện nhiệm vụ Đào tạo, bồi dưỡng")
    return db


@pytest.fixture
def tab(qtbot: Any, filled_db: Any) -> DocumentsTab:
    widget = DocumentsTab(make_ctx(filled_db))
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


def shown_symbols(tab: DocumentsTab) -> list[str]:
    return [tab.proxy.data(tab.proxy.index(r, 0)) for r in range(tab.proxy.rowCount())]


def select_symbol(qtbot: Any, tab: DocumentsTab, symbol: str) -> None:
    row = shown_symbols(tab).index(symbol)
    rect = tab.view.visualRect(tab.proxy.index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.selected_document().symbol == symbol


def test_register_sorted_by_date_with_vietnamese_dates(tab: DocumentsTab) -> None:
    assert shown_symbols(tab) == ["36/KH-UBND", "123/SGDĐT-VP", "263/BC-SGDĐT"]
    assert tab.proxy.data(tab.proxy.index(0, 2)) == "26/01/2021"
    assert tab.proxy.data(tab.proxy.index(1, 1)) == "Công văn"
    assert tab.count_label.text() == "3 văn bản"


def test_text_columns_sort_in_vietnamese_order(tab: DocumentsTab) -> None:
    tab.view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # trích yếu
    summaries = [tab.proxy.data(tab.proxy.index(r, 4)) for r in range(3)]
    # B < T < V in the Vietnamese alphabet; "Tuyên" before "Về".
    assert [s.split()[0] for s in summaries] == ["Báo", "Tuyên", "Về"]
    tab.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # cơ quan: "Sở" < "UBND"
    assert tab.proxy.data(tab.proxy.index(2, 3)) == "UBND tỉnh"


def test_search_ignores_case_and_diacritics(qtbot: Any, tab: DocumentsTab) -> None:
    tab.view.setFocus()
    tab.focus_search()  # what the main window's Ctrl+F calls on the current tab
    assert tab.search_box.hasFocus()
    qtbot.keyClicks(tab.search_box, "dao tao")
    assert shown_symbols(tab) == ["123/SGDĐT-VP"]
    assert tab.count_label.text() == "Hiện 1 / 3 văn bản"
    tab.search_box.clear()
    qtbot.keyClicks(tab.search_box, "UBND TUYEN")
    assert shown_symbols(tab) == ["36/KH-UBND"]
    tab.search_box.clear()
    assert len(shown_symbols(tab)) == 3


def test_date_range_filter(tab: DocumentsTab) -> None:
    tab.from_date.setDate(QDate(2021, 2, 1))
    tab.to_date.setDate(QDate(2021, 6, 7))
    assert len(shown_symbols(tab)) == 3  # not applied until ticked
    tab.range_box.setChecked(True)
    assert shown_symbols(tab) == ["123/SGDĐT-VP", "263/BC-SGDĐT"]
    assert "từ 01/02/2021 đến 07/06/2021" in tab.count_label.text()
    tab.range_box.setChecked(False)
    assert len(shown_symbols(tab)) == 3


def test_add_validates_an_impossible_date_then_saves_and_undoes(
    qtbot: Any, tab: DocumentsTab, filled_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, str] = {}

    def fill(dialog: DocumentDialog) -> None:
        dialog.try_accept()
        seen["empty"] = dialog.error_text("symbol")
        dialog.symbol.insert("15/KH-SGDĐT")  # keyClicks types ASCII only
        seen["type"] = dialog.doc_type.currentText()
        qtbot.keyClicks(dialog.issued_on, "31/02/2022")
        dialog.issuer.insert("Sở GD&ĐT")
        dialog.summary.setPlainText("Kế hoạch tuyên truyền cải cách hành chính năm 2022")
        dialog.try_accept()
        seen["date"] = dialog.error_text("issued_on")
        dialog.issued_on.setText("28/02/2022")
        dialog.try_accept()

    drive_dialogs(monkeypatch, DocumentDialog, fill)
    tab.add_button.click()
    assert seen["empty"] == "Số ký hiệu không được để trống."
    assert seen["type"] == "(Tự nhận: Kế hoạch)"
    assert "31/02/2022" in seen["date"]
    with filled_db.session() as s:
        docs = {d.symbol: d for d in list_documents(s)}
    new = docs["15/KH-SGDĐT"]
    assert (new.doc_type, new.issued_on) == ("Kế hoạch", date(2022, 2, 28))
    assert shown_symbols(tab)[-1] == "15/KH-SGDĐT"  # date order
    assert tab.selected_document().symbol == "15/KH-SGDĐT"

    tab.ctx.undo_stack.undo()
    assert "15/KH-SGDĐT" not in shown_symbols(tab)


def test_add_refuses_a_document_already_registered(
    tab: DocumentsTab, filled_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def fill(dialog: DocumentDialog) -> None:
        dialog.symbol.setText("36/kh-ubnd")
        dialog.issuer.setText("UBND tỉnh")
        dialog.try_accept()
        seen.append(dialog.error_text("symbol"))
        dialog.reject()

    drive_dialogs(monkeypatch, DocumentDialog, fill)
    tab.add_button.click()
    assert "đã có trong sổ" in seen[0]
    with filled_db.session() as s:
        assert len(list_documents(s)) == 3
    assert tab.ctx.undo_stack.count() == 0


def test_edit_then_undo(qtbot: Any, tab: DocumentsTab, monkeypatch: pytest.MonkeyPatch) -> None:
    select_symbol(qtbot, tab, "263/BC-SGDĐT")

    def fill(dialog: DocumentDialog) -> None:
        assert dialog.symbol.text() == "263/BC-SGDĐT"
        dialog.issued_on.setText("08/06/2021")
        dialog.try_accept()

    drive_dialogs(monkeypatch, DocumentDialog, fill)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert tab.selected_document().issued_on == date(2021, 6, 8)
    tab.ctx.undo_stack.undo()
    assert tab.selected_document().issued_on == date(2021, 6, 7)


def test_delete_asks_and_undo_restores_fields_and_task_links(
    qtbot: Any, tab: DocumentsTab, filled_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with filled_db.session() as s:
        doc_id = next(d.id for d in list_documents(s) if d.symbol == "36/KH-UBND")
        s.add(Task(content="Tuyên truyền CCHC", content_key="tuyen truyen cchc", year=2021,
                   document_id=doc_id))
        s.flush()
        task_id = s.query(Task.id).scalar()
    select_symbol(qtbot, tab, "36/KH-UBND")
    confirm = ConfirmRecorder(False, True)
    monkeypatch.setattr(dialogs, "confirm", confirm)
    tab.delete_button.click()
    assert len(shown_symbols(tab)) == 3
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert "1 nhiệm vụ" in confirm.questions[1]
    assert "36/KH-UBND" not in shown_symbols(tab)

    tab.ctx.undo_stack.undo()
    with filled_db.session() as s:
        back = next(d for d in list_documents(s) if d.symbol == "36/KH-UBND")
        assert (back.issued_on, back.issuer, back.doc_type) == (
            date(2021, 1, 26), "UBND tỉnh", "Kế hoạch"
        )
        assert back.summary.startswith("Tuyên truyền công tác")
        assert get_task(s, task_id).document_id == back.id
    tab.ctx.undo_stack.redo()
    assert "36/KH-UBND" not in shown_symbols(tab)


def test_model_passes_the_model_tester(qtmodeltester: Any, tab: DocumentsTab) -> None:
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)


def test_column_widths_are_remembered(qtbot: Any, tab: DocumentsTab, filled_db: Any) -> None:
    tab.view.setColumnWidth(3, 333)
    tab.save_layout()
    again = DocumentsTab(make_ctx(filled_db))
    qtbot.addWidget(again)
    assert again.view.columnWidth(3) == 333
