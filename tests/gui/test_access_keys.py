"""Keyboard and screen-reader help: a status tip on every action of the window and its
menus, a unique Alt-key letter on every editor label (its field as buddy), an accessible
name on every main widget of every tab."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from cchc_desktop.gui.common.accessibility import main_widgets
from cchc_desktop.gui.common.mnemonics import mnemonic_of
from tests.conftest import DEMO_TODAY


def _all_tabs(window) -> None:  # noqa: ANN001
    for module, _cls, _title in window.specs:
        assert window.tab(module) is not None


def _actions(window) -> list[QAction]:  # noqa: ANN001
    return [a for a in window.findChildren(QAction) if not a.isSeparator() and a.text()]


def test_every_action_has_a_status_tip(window) -> None:  # noqa: ANN001
    _all_tabs(window)
    actions = _actions(window)
    assert len(actions) >= 40  # the File, Edit, View, Help menus, toolbar and tab menus
    missing = [a.text() for a in actions if not a.statusTip()]
    assert missing == []
    # Tooltips say the same, with the shortcut (not for undo/redo: they show what is undone).
    refresh = window.refresh_action
    assert refresh.toolTip() == f"{refresh.statusTip()} (F5)"


def test_hovering_an_action_shows_its_tip_in_the_status_bar(qtbot, window) -> None:  # noqa: ANN001
    window.refresh_action.showStatusText(window)
    assert window.statusBar().currentMessage() == window.refresh_action.statusTip()


def _dialogs(ctx) -> list[QDialog]:  # noqa: ANN001
    from cchc_desktop.gui.catalog.unit_dialog import UnitDialog
    from cchc_desktop.gui.documents.document_dialog import DocumentDialog
    from cchc_desktop.gui.plans.plan_dialog import PlanDialog
    from cchc_desktop.gui.plans.plan_group_dialog import PlanGroupDialog
    from cchc_desktop.gui.scoring.criterion_dialog import CriterionDialog
    from cchc_desktop.gui.tasks.complete_dialog import CompleteTasksDialog
    from cchc_desktop.gui.tasks.editor import TaskEditorDialog

    def submit(_values: object) -> None:
        return None

    return [
        TaskEditorDialog(ctx),
        TaskEditorDialog(ctx, 1),
        UnitDialog(submit),
        PlanDialog(submit, year=2024),
        DocumentDialog(submit),
        PlanGroupDialog("I", "Công tác chỉ đạo", 1),
        CriterionDialog("Sửa tiêu chí", None, code="1.1", max_editable=True),
        CompleteTasksDialog(DEMO_TODAY, 3, 0),
    ]


def test_editor_labels_have_unique_alt_keys_to_their_fields(qtbot, window) -> None:  # noqa: ANN001
    for dialog in _dialogs(window.context()):
        qtbot.addWidget(dialog)
        labels = [label for label in dialog.findChildren(QLabel) if label.buddy() is not None]
        assert len(labels) >= 2, type(dialog).__name__
        letters = [mnemonic_of(label.text()) for label in labels]
        assert None not in letters, [lb.text() for lb in labels]
        assert all(letter.isascii() for letter in letters if letter)
        repeated = [k for k, n in Counter(letters).items() if n > 1]
        assert repeated == [], (type(dialog).__name__, [lb.text() for lb in labels])
        for label in labels:  # the buddy takes the focus itself (not a box around it)
            assert label.buddy().focusPolicy() & Qt.FocusPolicy.TabFocus, label.text()


def test_alt_letter_puts_the_cursor_in_the_field(qtbot, window) -> None:  # noqa: ANN001
    from cchc_desktop.gui.tasks.editor import TaskEditorDialog

    dialog = TaskEditorDialog(window.context())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    label = next(lb for lb in dialog.findChildren(QLabel)
                 if lb.buddy() is dialog.lead_unit)
    letter = mnemonic_of(label.text())
    assert letter
    dialog.content.setFocus()
    qtbot.keyClick(dialog.content, getattr(Qt.Key, f"Key_{letter.upper()}"),
                   Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.lead_unit.hasFocus())


@pytest.mark.parametrize("module", ["dashboard_tab", "plans_tab", "tasks_tab", "evidence_tab",
                                    "scoring_tab", "documents_tab", "reports_tab", "catalog_tab"])
def test_main_widgets_have_accessible_names(window, module) -> None:  # noqa: ANN001
    tab = window.tab(module)
    assert isinstance(tab, QWidget)
    widgets = main_widgets(tab)
    unnamed = [f"{type(w).__name__} {w.objectName()}" for w in widgets if not w.accessibleName()]
    assert unnamed == []
    assert window.tabs.accessibleName()


def test_tasks_tab_widgets_are_named_as_seen(tasks_tab) -> None:  # noqa: ANN001
    assert tasks_tab.status_filter.accessibleName() == "Tình trạng tính đến hôm nay"
    assert tasks_tab.search.accessibleName().startswith("Tìm nội dung")
    assert tasks_tab.view.accessibleName()
