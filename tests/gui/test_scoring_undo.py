"""Undo and redo of criteria edits in the Tự chấm điểm tab, through the window's Edit menu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.scoring.criterion_dialog import CriterionDialog
from cchc_desktop.gui.scoring.model import COLUMN_KEYS
from cchc_desktop.gui.scoring.tab import ScoringTab
from cchc_desktop.services.evidence import EvidenceStore, criterion_target
from cchc_desktop.services.scoring import load_template, set_score
from tests.gui.register_helpers import ConfirmRecorder, drive_dialogs


@pytest.fixture
def tab(window: Any, demo_db: Any, tmp_path: Path) -> ScoringTab:
    """The 2024 template with scores of two rounds, notes and an evidence file, shown."""
    evidence = tmp_path / "ke_hoach_cchc_2024.pdf"
    evidence.write_bytes(b"%PDF-1.4 demo")
    with demo_db.session() as s:
        load_template(s, 2024)
        set_score(s, 2024, "1.1.1", score=1, note="Ban hành ngày 05/01/2024")
        set_score(s, 2024, "1.1.1", score=0.75, round_name="1", note="Thiếu phụ lục")
        set_score(s, 2024, "1.1.2", score=1.5)
        set_score(s, 2024, "2.3", score=1)
        EvidenceStore(s).add_file(evidence, target=criterion_target(s, 2024, "1.1.1"))
    window.tabs.setCurrentIndex(window.index_of("scoring_tab"))
    widget = window.tab("scoring_tab")
    assert isinstance(widget, ScoringTab) and widget.selected_year() == 2024
    return widget


def cells(tab: ScoringTab) -> dict[str, list[Any]]:
    """What the tree shows: every column of every criterion, and the totals row."""
    assert tab.view is not None
    shown = {row.code: [tab.model.data(tab.model.find(row.code, key)) for key in COLUMN_KEYS]
             for row in tab.view.walk()}
    shown["totals"] = [tab.model.data(tab.model.total_index(key))
                       for key in ("max", "self", "round1")]
    return shown


def select(tab: ScoringTab, code: str) -> None:
    tab.tree.setCurrentIndex(tab.model.find(code, "title"))
    assert tab.selected_row().code == code


def test_delete_a_scored_criterion_then_undo_brings_scores_and_totals_back(
    window: Any, tab: ScoringTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cells(tab)
    assert before["totals"] == ["100", "3,5", "0,75"]
    select(tab, "1.1")
    confirm = ConfirmRecorder(True)
    monkeypatch.setattr(dialogs, "confirm", confirm)
    tab.delete_action.trigger()
    assert "Có thể hoàn tác bằng Ctrl+Z" in confirm.questions[0]
    assert not tab.model.find("1.1.1").isValid()
    assert cells(tab)["totals"] == ["97", "1", ""]
    assert window.undo_action.text() == "Hoàn tác: Xóa tiêu chí 1.1 “Kế hoạch CCHC năm”"

    window.undo_action.trigger()
    assert cells(tab) == before  # scores of both rounds, notes, evidence count, sums
    assert "3,5 / 100" in tab.summary.text() and "vòng 1: <b>0,75" in tab.summary.text()
    row = next(r for r in tab.view.walk() if r.code == "1.1.1")
    assert (row.self_note, row.council_note, row.evidence_count) == (
        "Ban hành ngày 05/01/2024", "Thiếu phụ lục", 1)

    window.redo_action.trigger()
    assert not tab.model.find("1.1").isValid()
    window.undo_action.trigger()
    assert cells(tab) == before


def test_add_a_criterion_then_undo_removes_it_and_redo_restores_it(
    window: Any, tab: ScoringTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cells(tab)
    select(tab, "1.6")

    def add(dialog: CriterionDialog) -> None:
        dialog.title.insert("Sáng kiến cấp tỉnh")
        dialog.max_points.setValue(0.25)
        dialog.accept()

    drive_dialogs(monkeypatch, CriterionDialog, add)
    tab.add_child_action.trigger()
    assert tab.model.data(tab.model.find("1.6.1", "title")) == "Sáng kiến cấp tỉnh"
    assert tab.model.data(tab.model.find("1.6", "max")) == "0,25"
    assert window.undo_action.text() == "Hoàn tác: Thêm tiêu chí 1.6.1 “Sáng kiến cấp tỉnh”"

    window.undo_action.trigger()
    assert not tab.model.find("1.6.1").isValid()
    assert cells(tab) == before
    window.redo_action.trigger()
    assert tab.model.data(tab.model.find("1.6.1", "title")) == "Sáng kiến cấp tỉnh"
    assert tab.model.data(tab.model.total_index("max")) == "99,75"


def test_edit_a_criterion_then_undo_restores_name_and_sums(
    window: Any, tab: ScoringTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cells(tab)
    select(tab, "1.1.2")

    def edit(dialog: CriterionDialog) -> None:
        dialog.title.clear()
        dialog.title.insert("Hoàn thành Kế hoạch CCHC")
        dialog.max_points.setValue(2.5)
        dialog.accept()

    drive_dialogs(monkeypatch, CriterionDialog, edit)
    tab.edit_action.trigger()
    assert tab.model.data(tab.model.find("1", "max")) == "10,5"
    assert window.undo_action.text() == "Hoàn tác: Sửa tiêu chí 1.1.2 “Hoàn thành Kế hoạch CCHC”"
    window.undo_action.trigger()
    assert cells(tab) == before
    window.redo_action.trigger()
    assert tab.model.data(tab.model.find("1.1.2", "title")) == "Hoàn thành Kế hoạch CCHC"


def test_a_refused_change_is_shown_and_leaves_nothing_to_undo(
    window: Any, tab: ScoringTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": errors.append(text))
    select(tab, "1.1.1")  # scored: no sub-criteria until its score is cleared

    def add(dialog: CriterionDialog) -> None:
        dialog.title.insert("Ban hành đúng hạn")
        dialog.accept()

    drive_dialogs(monkeypatch, CriterionDialog, add)
    depth = window.undo_stack.count()
    assert not tab.add_child()
    assert errors and "đã có điểm" in errors[0]
    assert window.undo_stack.count() == depth and not tab.model.find("1.1.1.1").isValid()
