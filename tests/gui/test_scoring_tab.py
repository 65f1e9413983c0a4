"""The Tự chấm điểm tab driven with qtbot: inline scores, totals, limits, template, index panel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from cchc_desktop.gui.common import dialogs
from cchc_desktop.services.scoring import load_template, scoring_view, set_score
from tests.gui.register_helpers import make_ctx


@pytest.fixture
def scored_db(demo_db):
    with demo_db.session() as s:
        load_template(s, 2024)
        set_score(s, 2024, "1.1.1", score=1)
    return demo_db


@pytest.fixture
def tab(qtbot, scored_db):
    from cchc_desktop.gui.scoring.tab import ScoringTab

    widget = ScoringTab(make_ctx(scored_db))
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.selected_year() == 2024
    return widget


def test_models_pass_the_model_tester(tab, qtmodeltester) -> None:
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.index_panel.model)


def _edit_inline(qtbot, tab, code: str, column: str, text: str) -> None:
    index = tab.model.find(code, column)
    assert index.isValid()
    tab.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
    tab.tree.setCurrentIndex(index)
    tab.tree.setFocus()
    tab.tree.edit(index)
    editor = tab.tree.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits through a queued call: let the event loop run it.
    qtbot.waitUntil(lambda: tab.tree.state() != QAbstractItemView.State.EditingState)


def test_set_a_score_inline_and_totals_update(qtbot, tab) -> None:
    total = tab.model.total_index("self")
    assert tab.model.data(total) == "1"
    _edit_inline(qtbot, tab, "1.1.2", "self", "1,25")
    assert tab.model.data(tab.model.find("1.1.2", "self")) == "1,25"
    assert tab.model.data(tab.model.find("1.1", "self")) == "2,25"
    assert tab.model.data(tab.model.find("1", "self")) == "2,25"
    assert tab.model.data(tab.model.total_index("self")) == "2,25"
    assert "2,25 / 100" in tab.summary.text()
    with tab.ctx.db.session() as s:
        assert scoring_view(s, 2024).totals["self"] == 2.25
    tab.ctx.undo_stack.undo()
    with tab.ctx.db.session() as s:
        assert scoring_view(s, 2024).totals["self"] == 1


def test_a_score_above_max_is_refused_and_nothing_changes(qtbot, tab, monkeypatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": errors.append(text))
    _edit_inline(qtbot, tab, "1.1.1", "self", "3")
    assert errors and "vượt điểm tối đa 1" in errors[0]
    assert tab.model.data(tab.model.find("1.1.1", "self")) == "1"
    with tab.ctx.db.session() as s:
        assert scoring_view(s, 2024).totals["self"] == 1


def test_parent_rows_are_not_editable_and_round_one_is(tab) -> None:
    assert not tab.model.flags(tab.model.find("1.1", "self")) & Qt.ItemFlag.ItemIsEditable
    assert tab.model.flags(tab.model.find("1.1.1", "round1")) & Qt.ItemFlag.ItemIsEditable
    assert tab.model.setData(tab.model.find("1.1.1", "round1"), "0,5")
    assert tab.model.data(tab.model.total_index("round1")) == "0,5"


def test_missing_evidence_is_flagged_and_suggestion_has_numbers(tab) -> None:
    cell = tab.model.find("1.1.1", "evidence")
    assert "⚠" in tab.model.data(cell)
    assert "chưa có tài liệu kiểm chứng" in tab.model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert tab.warning.isVisible() and "1.1.1" in tab.warning.text()
    suggestion = tab.model.find("1.5", "suggested")
    tip = tab.model.data(suggestion, Qt.ItemDataRole.ToolTipRole)
    assert "nhiệm vụ đến hạn hoàn thành đúng hạn" in tip and "20/11/2024" in tip


def test_template_and_copy_buttons(qtbot, demo_db, monkeypatch) -> None:
    from cchc_desktop.gui.scoring.tab import ScoringTab

    tab = ScoringTab(make_ctx(demo_db))
    qtbot.addWidget(tab)
    assert tab.view is None and "chưa có bộ tiêu chí" in tab.framework_label.text()
    tab.year.setCurrentIndex(tab.year.findData(2024))
    qtbot.mouseClick(tab.template_button, Qt.MouseButton.LeftButton)
    assert tab.view is not None and tab.view.max_total == 100
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    assert tab.selected_year() == 2025 and tab.view is not None and tab.view.year == 2025
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, text, danger=False: asked.append(text) or False)
    assert not tab.load_template()  # replacing asks first; "No" changes nothing
    assert asked and tab.view.year == 2025


def test_index_results_panel_and_chart(qtbot, tab, monkeypatch) -> None:
    panel = tab.index_panel
    before = len(panel.model.rows)
    assert before == 8 and panel.chart.drawn >= 1
    assert panel.save("PAPI", 2023, 44.5, "03/63", "")
    assert len(panel.model.rows) == before + 1
    assert any(r.rank_text == "03/63" for r in panel.model.rows)
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": errors.append(text))
    assert not panel.save("PAPI", 2023, 44.5, "70/63", "")
    assert errors
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    panel.table.selectRow(0)
    assert panel.delete_selected()
    assert len(panel.model.rows) == before


def test_today_bounds_the_measurement(scored_db) -> None:
    with scored_db.session() as s:
        assert scoring_view(s, 2024, today=date(2026, 1, 5)).as_of == date(2024, 12, 31)


def test_edit_add_and_delete_criteria_from_the_tab(qtbot, tab, monkeypatch) -> None:
    from cchc_desktop.gui.scoring.criterion_dialog import CriterionDialog
    from tests.gui.register_helpers import drive_dialogs

    tab.tree.setCurrentIndex(tab.model.find("1.1.1", "title"))

    def edit(dialog: CriterionDialog) -> None:
        assert dialog.max_points.isEnabled()
        dialog.title.clear()
        dialog.title.insert("Ban hành KH CCHC trong tháng 01")
        dialog.max_points.setValue(1.5)
        dialog.accept()

    drive_dialogs(monkeypatch, CriterionDialog, edit)
    assert tab.edit_selected()
    assert tab.model.data(tab.model.find("1.1.1", "title")) == "Ban hành KH CCHC trong tháng 01"
    assert tab.model.data(tab.model.find("1", "max")) == "10,5"
    assert tab.model.data(tab.model.total_index("max")) == "100,5"

    tab.tree.setCurrentIndex(tab.model.find("1.6", "title"))

    def add(dialog: CriterionDialog) -> None:
        dialog.title.insert("Sáng kiến cấp tỉnh")
        dialog.max_points.setValue(0.25)
        dialog.accept()

    drive_dialogs(monkeypatch, CriterionDialog, add)
    assert tab.add_child()
    assert tab.model.find("1.6.1").isValid()
    assert tab.model.data(tab.model.find("1.6", "max")) == "0,25"

    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: False)
    tab.tree.setCurrentIndex(tab.model.find("1.6", "title"))
    assert not tab.delete_selected() and tab.model.find("1.6.1").isValid()
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    tab.tree.setCurrentIndex(tab.model.find("1.6", "title"))
    assert tab.delete_selected()
    assert not tab.model.find("1.6").isValid()


def test_export_the_framework_and_import_it_back(qtbot, tab, tmp_path, monkeypatch) -> None:
    path = tmp_path / "khung.xlsx"
    offered: list[Path] = []
    monkeypatch.setattr(dialogs, "offer_open", lambda _p, where, text="": offered.append(where))
    assert tab.write_framework_xlsx(path)
    assert offered == [path]
    tab.copy_to_next_year()
    assert tab.selected_year() == 2025
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error",
                        lambda _p, text, details="": errors.append(text + details))
    assert tab._import(path), errors
    assert tab.view is not None and tab.view.year == 2025 and tab.view.max_total == 100
