"""The Kế hoạch tab driven as a user would: plans of a year, tasks by area, undoable edits."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from cchc_desktop.domain.areas import area_name
from cchc_desktop.domain.timing import due_date_from_timing
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.plans.plan_dialog import PlanDialog
from cchc_desktop.gui.plans.tab import PlansTab
from cchc_desktop.services.plans import list_plans
from cchc_desktop.store.models import Plan, Task
from tests.gui.register_helpers import ConfirmRecorder, drive_dialogs, make_ctx


@pytest.fixture
def tab(qtbot: Any, demo_db: Any) -> PlansTab:
    widget = PlansTab(make_ctx(demo_db))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def plan_order(db: Any, plan_id: int) -> list[tuple[int | None, int]]:
    """(area, task id) of a plan's tasks in plan order, read straight from the database."""
    with db.session() as s:
        rows = s.execute(
            select(Task.area, Task.id).where(Task.plan_id == plan_id)
            .order_by(Task.area, Task.position, Task.id)
        ).all()
    return [(a, i) for a, i in rows]


def shown_order(tab: PlansTab) -> list[tuple[int | None, int]]:
    model = tab.task_model
    out = []
    for row in range(model.rowCount()):
        task = model.task_of(model.index(row, 0))
        if task is not None:
            out.append((task.area, task.id))
    return out


def select_task(qtbot: Any, tab: PlansTab, task_id: int) -> None:
    index = tab.task_model.index_of_task(task_id, 1)
    rect = tab.task_view.visualRect(index)
    qtbot.mouseClick(tab.task_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.selected_task_ids() == [task_id]


def test_lists_the_plans_of_the_year(tab: PlansTab, demo_db: Any) -> None:
    assert tab.selected_year() == 2024
    with demo_db.session() as s:
        expected = list_plans(s, 2024)
    model = tab.plan_model
    assert [p.id for p in model.rows()] == [p.id for p in expected]
    assert model.rowCount() == 2
    first = expected[0]
    assert model.data(model.index(0, 0)) == "Kế hoạch CCHC"
    assert model.data(model.index(0, 2)) == first.issued_on.strftime("%d/%m/%Y")
    assert model.data(model.index(0, 4)) == str(first.task_count)
    assert tab.selected_plan().id == first.id
    assert f"{first.task_count} nhiệm vụ" in tab.plan_heading.text()

    tab.set_year(2025)  # no plans that year
    assert tab.plan_model.rowCount() == 0
    assert tab.task_model.rowCount() == 0
    assert "Chưa có kế hoạch" in tab.plan_heading.text()
    assert not tab.add_task_button.isEnabled()


def test_tasks_are_grouped_by_area_in_plan_order(tab: PlansTab, demo_db: Any) -> None:
    plan_id = tab.selected_plan().id
    assert shown_order(tab) == plan_order(demo_db, plan_id)
    model = tab.task_model
    group_rows = model.group_rows()
    areas = [model.group_of(model.index(r, 0)).area for r in group_rows]
    assert areas == sorted({a for a, _ in plan_order(demo_db, plan_id)})
    assert [model.data(model.index(r, 0)) for r in group_rows] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII"
    ][: len(group_rows)]
    first = group_rows[0]
    assert model.data(model.index(first, 1)).startswith(area_name(areas[0]))
    assert model.data(model.index(first, 1), Qt.ItemDataRole.FontRole).bold()
    assert tab.task_view.columnSpan(first, 1) == model.columnCount() - 1
    # Tasks are numbered from 1 inside each group.
    assert model.data(model.index(first + 1, 0)) == "1"
    assert model.data(model.index(group_rows[1] + 1, 0)) == "1"


def test_show_all_areas_lists_empty_groups(tab: PlansTab) -> None:
    tab.all_areas_box.setChecked(True)
    groups = tab.task_model.groups()
    assert [g.area for g in groups][:8] == list(range(1, 9))


def test_move_down_with_keyboard_then_undo(qtbot: Any, tab: PlansTab, demo_db: Any) -> None:
    plan_id = tab.selected_plan().id
    before = plan_order(demo_db, plan_id)
    first_area = before[0][0]
    first, second = before[0][1], before[1][1]
    assert before[1][0] == first_area
    select_task(qtbot, tab, first)
    qtbot.keyClick(tab.task_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    after = plan_order(demo_db, plan_id)
    assert [i for _, i in after[:2]] == [second, first]
    assert shown_order(tab) == after
    assert tab.selected_task_ids() == [first]  # the moved task stays selected

    qtbot.keyClick(tab.task_view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert plan_order(demo_db, plan_id) == before
    tab.ctx.undo_stack.undo()
    assert plan_order(demo_db, plan_id) == after
    tab.ctx.undo_stack.undo()
    assert plan_order(demo_db, plan_id) == before
    assert shown_order(tab) == before


def test_move_up_at_top_of_group_does_nothing(qtbot: Any, tab: PlansTab, demo_db: Any) -> None:
    plan_id = tab.selected_plan().id
    before = plan_order(demo_db, plan_id)
    select_task(qtbot, tab, before[0][1])
    tab.up_button.click()
    assert plan_order(demo_db, plan_id) == before
    assert tab.ctx.undo_stack.count() == 0


def test_delete_task_asks_first_and_undo_restores(
    qtbot: Any, tab: PlansTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id = tab.selected_plan().id
    before = plan_order(demo_db, plan_id)
    victim = before[2][1]
    select_task(qtbot, tab, victim)
    confirm = ConfirmRecorder(False, True)
    monkeypatch.setattr(dialogs, "confirm", confirm)

    qtbot.keyClick(tab.task_view, Qt.Key.Key_Delete)  # answered "Không"
    assert plan_order(demo_db, plan_id) == before
    tab.delete_task_button.click()  # answered "Có"
    assert len(confirm.questions) == 2 and "Xóa nhiệm vụ" in confirm.questions[0]
    assert victim not in [i for _, i in plan_order(demo_db, plan_id)]
    assert victim not in [i for _, i in shown_order(tab)]
    assert f"{len(before) - 1} nhiệm vụ" in tab.plan_heading.text()

    tab.ctx.undo_stack.undo()
    assert plan_order(demo_db, plan_id) == before
    assert shown_order(tab) == before


def test_new_plan_validates_then_saves_and_undoes(
    tab: PlansTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []

    def fill(dialog: PlanDialog) -> None:
        dialog.number.setText("12/KH-SGDĐT")
        dialog.issued_on.setText("30/02/2024")
        dialog.try_accept()
        errors.append(dialog.error_text("issued_on"))
        dialog.issued_on.setText("05/03/2024")
        dialog.try_accept()  # no title yet
        errors.append(dialog.error_text("title"))
        dialog.kind.setCurrentIndex(dialog.kind.findData("inspection"))
        dialog.title_edit.setPlainText("Kế hoạch kiểm tra CCHC năm 2024")
        dialog.try_accept()

    drive_dialogs(monkeypatch, PlanDialog, fill)
    tab.new_plan_button.click()
    assert "30/02/2024" in errors[0]
    assert errors[1] == "Tên kế hoạch không được để trống."
    with demo_db.session() as s:
        plans = list_plans(s, 2024)
    assert len(plans) == 3
    new = next(p for p in plans if p.kind == "inspection")
    assert (new.number, new.issued_on.isoformat()) == ("12/KH-SGDĐT", "2024-03-05")
    assert tab.selected_plan().id == new.id

    tab.ctx.undo_stack.undo()
    assert tab.plan_model.rowCount() == 2
    tab.ctx.undo_stack.redo()
    assert new.id in [p.id for p in tab.plan_model.rows()]  # same id after redo


def test_edit_plan_then_undo(tab: PlansTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tab.selected_plan()

    def fill(dialog: PlanDialog) -> None:
        assert dialog.title_edit.toPlainText() == plan.title
        dialog.title_edit.setPlainText("Kế hoạch CCHC năm 2024 (sửa đổi)")
        dialog.try_accept()

    drive_dialogs(monkeypatch, PlanDialog, fill)
    tab.edit_plan_button.click()
    assert tab.selected_plan().title == "Kế hoạch CCHC năm 2024 (sửa đổi)"
    tab.ctx.undo_stack.undo()
    assert tab.selected_plan().title == plan.title


def test_delete_plan_names_the_task_count_and_undo_restores_all(
    tab: PlansTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tab.selected_plan()
    before = plan_order(demo_db, plan.id)
    confirm = ConfirmRecorder(True)
    monkeypatch.setattr(dialogs, "confirm", confirm)
    tab.delete_plan_button.click()
    assert f"{plan.task_count} nhiệm vụ" in confirm.questions[0]
    with demo_db.session() as s:
        assert s.get(Plan, plan.id) is None
    assert plan_order(demo_db, plan.id) == []
    assert plan.id not in [p.id for p in tab.plan_model.rows()]

    tab.ctx.undo_stack.undo()
    assert plan_order(demo_db, plan.id) == before
    assert plan.id in [p.id for p in tab.plan_model.rows()]


def test_copy_to_next_year_recomputes_due_dates(
    tab: PlansTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tab.selected_plan()
    confirm = ConfirmRecorder(False, True)
    monkeypatch.setattr(dialogs, "confirm", confirm)
    tab.copy_button.click()  # "Không"
    with demo_db.session() as s:
        assert list_plans(s, 2025) == []
    tab.copy_button.click()
    assert "sang năm 2025" in confirm.questions[1]
    assert tab.selected_year() == 2025
    copy = tab.selected_plan()
    assert copy.id != source.id and copy.task_count == source.task_count
    assert "2025" in copy.title
    with demo_db.session() as s:
        old = s.scalars(select(Task).where(Task.plan_id == source.id)
                        .order_by(Task.area, Task.position)).all()
        new = s.scalars(select(Task).where(Task.plan_id == copy.id)
                        .order_by(Task.area, Task.position)).all()
        assert [t.timing_text for t in new] == [t.timing_text for t in old]
        assert [t.due_date for t in new] == [
            due_date_from_timing(t.timing_text, 2025) for t in old
        ]
        assert all(t.completed_on is None for t in new)
    assert len(shown_order(tab)) == source.task_count

    tab.ctx.undo_stack.undo()
    with demo_db.session() as s:
        assert list_plans(s, 2025) == []


def test_add_task_into_the_selected_area(
    qtbot: Any, tab: PlansTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cchc_desktop.gui.tasks.editor import TaskEditorDialog

    plan_id = tab.selected_plan().id
    group_row = tab.task_model.index_of_area(3).row()
    rect = tab.task_view.visualRect(tab.task_model.index(group_row, 0))
    qtbot.mouseClick(tab.task_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def fill(dialog: TaskEditorDialog) -> None:
        assert dialog.plan_id == plan_id
        assert dialog.area.currentData() == 3
        dialog.content.setPlainText("Rà soát quy trình nội bộ giải quyết TTHC")
        dialog.lead_unit.setCurrentIndex(1)
        dialog.timing.setText("Quý IV")
        dialog.accept()
        assert dialog.saved, (dialog.problems(), dialog.general_error.text())

    drive_dialogs(monkeypatch, TaskEditorDialog, fill)
    before = plan_order(demo_db, plan_id)
    tab.add_task_button.click()
    after = plan_order(demo_db, plan_id)
    assert len(after) == len(before) + 1
    new_id = next(i for _, i in after if i not in {i for _, i in before})
    with demo_db.session() as s:
        task = s.get(Task, new_id)
        assert (task.plan_id, task.area, task.year) == (plan_id, 3, 2024)
        assert task.due_date.isoformat() == "2024-12-31"
    # Last of its area, shown and selected.
    assert [i for a, i in after if a == 3][-1] == new_id
    assert tab.selected_task_ids() == [new_id]
    tab.ctx.undo_stack.undo()
    assert plan_order(demo_db, plan_id) == before


def test_models_pass_the_model_tester(qtmodeltester: Any, tab: PlansTab) -> None:
    qtmodeltester.check(tab.plan_model)
    qtmodeltester.check(tab.plan_proxy)
    qtmodeltester.check(tab.task_model)


def test_enter_opens_the_editor_on_the_task(
    qtbot: Any, tab: PlansTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cchc_desktop.gui.tasks.editor import TaskEditorDialog

    task_id = plan_order(demo_db, tab.selected_plan().id)[1][1]
    select_task(qtbot, tab, task_id)
    opened = drive_dialogs(monkeypatch, TaskEditorDialog, lambda dialog: dialog.reject())
    qtbot.keyClick(tab.task_view, Qt.Key.Key_Return)
    assert [d.task_id for d in opened] == [task_id]
    assert tab.ctx.undo_stack.count() == 0


def test_layout_and_year_are_remembered(qtbot: Any, tab: PlansTab, demo_db: Any) -> None:
    from cchc_desktop.services.plans import save_plan

    with demo_db.session() as s:
        save_plan(s, title="Kế hoạch CCHC năm 2023", year=2023)
    tab.refresh()
    tab.set_year(2023)
    tab.task_view.setColumnWidth(1, 421)
    tab.splitter.setSizes([200, 450])
    sizes = tab.splitter.sizes()
    tab.save_layout()

    again = PlansTab(make_ctx(demo_db))
    qtbot.addWidget(again)
    again.resize(1200, 700)
    again.show()
    assert again.task_view.columnWidth(1) == 421
    assert again.splitter.sizes() == sizes
    assert again.selected_year() == 2023
    assert again.plan_model.row_at(0).title == "Kế hoạch CCHC năm 2023"


def test_inside_the_main_window_keys_undo_and_one_refresh_per_change(
    qtbot: Any, window: Any, demo_db: Any
) -> None:
    window.tabs.setCurrentIndex(window.index_of("plans_tab"))
    tab = window.tab("plans_tab")
    assert isinstance(tab, PlansTab)
    qtbot.waitUntil(lambda: tab.selected_plan() is not None)  # loads when first shown
    plan_id = tab.selected_plan().id
    before = plan_order(demo_db, plan_id)
    calls: list[int] = []
    original = tab.refresh
    tab.refresh = lambda: (calls.append(1), original())[1]  # type: ignore[method-assign]

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    select_task(qtbot, tab, before[0][1])
    qtbot.keyClick(tab.task_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(20)
    assert plan_order(demo_db, plan_id) != before
    assert len(calls) == 1
    qtbot.keyClick(tab.task_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(20)
    assert plan_order(demo_db, plan_id) == before
    assert shown_order(tab) == before
    assert len(calls) == 2


def test_export_button_calls_the_plan_exporter(
    tab: PlansTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cchc_desktop.gui import reports

    calls: list[tuple[Any, Any, int]] = []
    monkeypatch.setattr(reports, "export_plan",
                        lambda parent, ctx, plan_id: calls.append((parent, ctx, plan_id)) or True)
    assert tab.export_button.isVisibleTo(tab)
    tab.export_button.click()
    assert calls == [(tab, tab.ctx, tab.selected_plan().id)]
