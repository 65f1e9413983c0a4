"""The Nhiệm vụ tab and the task editor, driven through real widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cchc_desktop.domain.status import StatusClass
from cchc_desktop.domain.text import fold, vi_sort_key
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.tasks import editor as task_editor
from cchc_desktop.gui.tasks.editor import TaskEditorDialog
from cchc_desktop.gui.tasks.paged_model import PagedTaskModel
from cchc_desktop.gui.tasks.table_models import TaskTableModel
from cchc_desktop.services.task_queries import TaskFilter, list_tasks, summarize_tasks
from cchc_desktop.services.tasks import get_task
from cchc_desktop.store.models import Task
from tests.conftest import DEMO_TODAY

LEFT = Qt.MouseButton.LeftButton


def task_count(db) -> int:
    with db.session() as session:
        return session.query(Task).count()


def test_models_pass_the_model_tester(qtmodeltester, demo_db):
    with demo_db.session() as session:
        rows = list_tasks(session, DEMO_TODAY)
    model = TaskTableModel(DEMO_TODAY)
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_paged_model_passes_the_model_tester_over_many_pages(qtmodeltester, demo_db):
    # 300 rows in pages of 25 with room for 3 pages: the tester reads every row, so pages
    # are read, dropped and read again.
    model = PagedTaskModel(demo_db.session, DEMO_TODAY, page_size=25, max_pages=3)
    model.reload()
    assert model.rowCount() == 300
    qtmodeltester.check(model)
    assert model.cached_rows() <= 75
    model.set_filter(TaskFilter(search="bao cao"))
    assert 25 < model.rowCount() < 300
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.cached_rows() <= 75


def test_lists_every_task_and_marks_overdue(tasks_tab, demo_db):
    model = tasks_tab.model
    assert model.rowCount() == task_count(demo_db) == 300
    overdue = next(r for r in range(model.rowCount())
                   if model.row_at(r).status is StatusClass.OPEN_OVERDUE)
    index = model.index(overdue, 0)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    status_col = [c.key for c in model.columns].index("status")
    assert model.data(model.index(overdue, status_col)) == "Chưa hoàn thành, quá hạn"
    assert "Quá hạn" in model.data(model.index(overdue, status_col), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(overdue, status_col), Qt.ItemDataRole.DecorationRole) is not None


def test_search_ignores_case_and_diacritics(qtbot, tasks_tab):
    qtbot.keyClicks(tasks_tab.search, "THU tuc")
    rows = tasks_tab.model.visible_rows()
    assert rows
    assert any("thủ tục" in r.content for r in rows)
    assert all("thu tuc" in fold(" ".join([r.content, r.output, r.lead_unit,
                                            *r.supporting_units, r.assigned_by, r.document,
                                            r.timing_text])) for r in rows)
    assert "Hiển thị" in tasks_tab.count_label.text()
    tasks_tab.search.clear()
    assert tasks_tab.model.rowCount() == 300


def test_filter_by_status_and_unit(tasks_tab, demo_db):
    with demo_db.session() as session:
        summary = summarize_tasks(session, DEMO_TODAY)
    combo = tasks_tab.status_filter
    combo.setCurrentIndex(combo.findData(StatusClass.DONE_LATE.value))
    rows = tasks_tab.model.visible_rows()
    assert len(rows) == summary["done_late"]
    assert {r.status for r in rows} == {StatusClass.DONE_LATE}
    combo.setCurrentIndex(0)

    unit = tasks_tab.unit_filter
    unit.setCurrentIndex(unit.findData("Văn phòng Sở"))
    rows = tasks_tab.model.visible_rows()
    with demo_db.session() as session:
        expected = summarize_tasks(
            session, DEMO_TODAY, TaskFilter(unit="Văn phòng Sở", include_supporting=True)
        )["total"]
    assert len(rows) == expected > 0
    assert all(r.lead_unit == "Văn phòng Sở" or "Văn phòng Sở" in r.supporting_units
               for r in rows)
    tasks_tab.clear_filters()
    assert tasks_tab.model.rowCount() == 300


def test_filter_by_assigner_and_area(tasks_tab):
    tasks_tab.assigned_filter.setCurrentIndex(tasks_tab.assigned_filter.findData("UBND tỉnh"))
    tasks_tab.area_filter.setCurrentIndex(tasks_tab.area_filter.findData(3))
    rows = tasks_tab.model.visible_rows()
    assert rows
    assert all(r.assigned_by == "UBND tỉnh" and r.area == 3 for r in rows)


def test_sorts_in_vietnamese_order(tasks_tab):
    column = [c.key for c in tasks_tab.model.columns].index("lead_unit")
    tasks_tab.view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    names = [r.lead_unit for r in tasks_tab.model.visible_rows()]
    assert names == sorted(names, key=vi_sort_key)


def test_sort_follows_the_vietnamese_alphabet(tasks_tab, demo_db):
    with demo_db.session() as session:
        tasks = session.query(Task).order_by(Task.id).limit(5).all()
        for task, text in zip(tasks, ["Zalo", "Đào tạo", "Dự án", "Ứng dụng", "Uỷ quyền"],
                              strict=True):
            task.content, task.content_key, task.year = text, fold(text), 2031
    tasks_tab.refresh()
    tasks_tab.wait_loaded()  # the filter choices follow the list
    tasks_tab.year_filter.setCurrentIndex(tasks_tab.year_filter.findData(2031))
    model = tasks_tab.model
    tasks_tab.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [r.content for r in model.visible_rows()] == [
        "Dự án", "Đào tạo", "Uỷ quyền", "Ứng dụng", "Zalo"]
    tasks_tab.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(i).content for i in range(5)] == [
        "Zalo", "Ứng dụng", "Uỷ quyền", "Đào tạo", "Dự án"]


def test_show_filtered(tasks_tab, demo_db):
    tasks_tab.show_filtered(status=StatusClass.OPEN_NO_DEADLINE, year=2024)
    rows = tasks_tab.model.visible_rows()
    with demo_db.session() as session:
        count = summarize_tasks(session, DEMO_TODAY)["open_no_deadline"]
    assert len(rows) == count
    tasks_tab.show_filtered(overdue=True)
    assert {r.status for r in tasks_tab.model.visible_rows()} == {StatusClass.OPEN_OVERDUE}


def test_keyboard_find_and_enter(qtbot, window, tasks_tab, monkeypatch):
    opened = []
    monkeypatch.setattr(task_editor, "edit_task", lambda ctx, parent, task_id=None, **kw:
                        opened.append(task_id) or False)
    tasks_tab.view.setFocus()
    qtbot.keyClick(tasks_tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is tasks_tab.search
    first = tasks_tab.model.task_id_at(0)
    tasks_tab.select_task(first)
    tasks_tab.view.setFocus()
    qtbot.keyClick(tasks_tab.view, Qt.Key.Key_Return)
    assert opened == [first]
    qtbot.keyClick(tasks_tab.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [first, None]


def pick_unit(combo, name: str) -> None:
    combo.setCurrentIndex(combo.findText(name))


def test_create_task_through_the_editor_then_undo_redo(qtbot, window, tasks_tab, demo_db,
                                                        type_text):
    before = task_count(demo_db)
    dialog = TaskEditorDialog(window.ctx, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.content, "Rà soát thủ tục hành chính lĩnh vực giáo dục")
    pick_unit(dialog.lead_unit, "Văn phòng Sở")
    type_text(dialog.timing, "Quý II")
    assert "30/06/2024" in dialog.implied.text()
    assert dialog.due.date() == date(2024, 6, 30)
    assert dialog.errors["due_date"].text() == (  # assigned "today", 20/11/2024
        "Thời hạn không được trước ngày giao nhiệm vụ.")
    dialog.assigned_on.setDate(date(2024, 1, 15))
    assert dialog.errors["due_date"].isHidden()
    qtbot.keyClicks(dialog.unit_filter, "thanh tra")
    visible = [dialog.supporting.item(i) for i in range(dialog.supporting.count())
               if not dialog.supporting.item(i).isHidden()]
    assert [i.text() for i in visible] == ["Thanh tra Sở"]
    visible[0].setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == dialog.DialogCode.Accepted
    new_id = dialog.task_id
    tasks_tab.wait_loaded()  # 300 rows: the first 200 at once, the rest in the background
    with demo_db.session() as session:
        task = get_task(session, new_id)
        assert task.due_date == date(2024, 6, 30)
        assert [u.name for u in task.supporting_units] == ["Thanh tra Sở"]
        assert task.lead_unit.name == "Văn phòng Sở"
    assert task_count(demo_db) == before + 1
    assert tasks_tab.model.row_of_task(new_id) >= 0  # the list refreshed
    window.undo_stack.undo()
    tasks_tab.wait_loaded()
    assert task_count(demo_db) == before
    assert tasks_tab.model.row_of_task(new_id) < 0
    window.undo_stack.redo()
    with demo_db.session() as session:
        assert get_task(session, new_id).supporting_units[0].name == "Thanh tra Sở"


def test_editor_refuses_invalid_input(qtbot, window, demo_db, type_text):
    before = task_count(demo_db)
    dialog = TaskEditorDialog(window.ctx, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert dialog.errors["content"].text() == "Nội dung nhiệm vụ không được để trống."
    assert dialog.errors["lead_unit_id"].text() == "Phải chọn một đơn vị chủ trì."
    assert dialog.errors["content"].isVisible()

    type_text(dialog.content, "Báo cáo kết quả CCHC")
    assert not dialog.errors["content"].isVisible()
    pick_unit(dialog.lead_unit, "Văn phòng Sở")
    dialog.assigned_on.setDate(date(2024, 5, 10))
    dialog.completed_on.setDate(date(2024, 5, 1))
    assert dialog.errors["completed_on"].text() == (
        "Ngày hoàn thành không được trước ngày giao nhiệm vụ.")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert task_count(demo_db) == before
    assert window.undo_stack.count() == 0

    dialog.completed_on.check.setChecked(False)
    assert dialog.problems() == {}
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert task_count(demo_db) == before + 1


def test_edit_task_then_undo(qtbot, window, tasks_tab, demo_db, type_text):
    task_id = tasks_tab.model.task_id_at(0)
    with demo_db.session() as session:
        old = get_task(session, task_id).content
    dialog = TaskEditorDialog(window.ctx, task_id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.content.toPlainText() == old
    dialog.content.selectAll()
    type_text(dialog.content, "Nội dung đã sửa")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    with demo_db.session() as session:
        assert get_task(session, task_id).content == "Nội dung đã sửa"
    tasks_tab.wait_loaded()
    assert tasks_tab.model.row_at(tasks_tab.model.row_of_task(task_id)).content == "Nội dung đã sửa"
    window.undo_stack.undo()
    with demo_db.session() as session:
        assert get_task(session, task_id).content == old


def test_editor_progress_and_extension(qtbot, window, tasks_tab, demo_db, type_text):
    tasks_tab.show_filtered(overdue=True)
    task_id = tasks_tab.model.task_id_at(0)
    dialog = TaskEditorDialog(window.ctx, task_id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.history.progress_note, "Đã xin ý kiến các phòng")
    dialog.history.progress_percent.setValue(40)
    qtbot.mouseClick(dialog.history.add_progress_button, LEFT)
    assert dialog.history.progress_list.count() == 1
    assert "Đã xin ý kiến các phòng (40%)" in dialog.history.progress_list.item(0).text()
    qtbot.mouseClick(dialog.history.add_extension_button, LEFT)  # no reason: refused
    assert dialog.history.history_error.text() == "Phải ghi lý do gia hạn."
    dialog.history.extension_date.setDate(date(2024, 12, 31))
    type_text(dialog.history.extension_reason, "UBND tỉnh đồng ý gia hạn")
    qtbot.mouseClick(dialog.history.add_extension_button, LEFT)
    assert dialog.history.extension_list.count() == 1
    assert dialog.due.date() == date(2024, 12, 31)
    with demo_db.session() as session:
        task = get_task(session, task_id)
        assert task.due_date == date(2024, 12, 31)
        assert task.extensions[0].reason == "UBND tỉnh đồng ý gia hạn"
        assert task.progress_updates[0].percent == 40


@pytest.mark.parametrize("answer", [False, True])
def test_delete_asks_first_then_undo_and_redo(qtbot, tasks_tab, window, demo_db, monkeypatch,
                                              answer):
    asked = []
    monkeypatch.setattr(dialogs, "confirm",
                        lambda _parent, text, danger=False: asked.append((text, danger)) or answer)
    with demo_db.session() as session:
        with_support = next(r for r in list_tasks(session, DEMO_TODAY) if r.supporting_units)
    task_id = with_support.id
    assert tasks_tab.select_task(task_id)
    tasks_tab.view.setFocus()
    qtbot.keyClick(tasks_tab.view, Qt.Key.Key_Delete)
    assert asked and asked[0][1] is True
    assert "Xóa nhiệm vụ" in asked[0][0]
    if not answer:
        assert task_count(demo_db) == 300
        return
    assert task_count(demo_db) == 299
    tasks_tab.wait_loaded()
    assert tasks_tab.model.row_of_task(task_id) < 0
    window.undo_action.trigger()
    tasks_tab.wait_loaded()
    with demo_db.session() as session:
        task = get_task(session, task_id)
        assert sorted(u.name for u in task.supporting_units) == sorted(
            with_support.supporting_units)
    assert tasks_tab.model.row_of_task(task_id) >= 0
    window.redo_action.trigger()
    assert task_count(demo_db) == 299


def test_the_list_reads_pages_as_it_scrolls_and_keeps_few(qtbot, window, monkeypatch):
    from cchc_desktop.gui.tasks import paged_model

    monkeypatch.setattr(paged_model, "PAGE_SIZE", 20)
    monkeypatch.setattr(paged_model, "MAX_PAGES", 3)
    tab = window.show_tasks()
    model = tab.model
    assert model.rowCount() == 300 and "Hiển thị 300 / 300" in tab.count_label.text()
    assert model.cached_rows() <= 60  # the first screen, not every row
    # (again until the view has laid itself out and painted the last rows)
    qtbot.waitUntil(lambda: tab.view.scrollToBottom() or 299 // 20 in model._pages)
    assert model.cached_rows() <= 60
    everything = [r.id for r in model.visible_rows()]
    assert [model.task_id_at(r) for r in range(300)] == everything  # pages in and out
    qtbot.keyClicks(tab.search, "bao cao")
    expected = [r.id for r in model.visible_rows()]
    assert expected and model.rowCount() == len(expected) < 300
    # Search covers what the list shows of a task (content, output, units, assigner...).
    assert all("bao cao" in fold(" ".join(
        [r.content, r.output, r.timing_text, r.lead_unit, *r.supporting_units,
         r.assigned_by, r.document])) for r in model.visible_rows())


def test_search_waits_for_a_pause_in_typing_on_a_long_list(qtbot, window, monkeypatch):
    from cchc_desktop.gui.tasks import tab as module

    monkeypatch.setattr(module, "DEBOUNCE_ABOVE", 100)  # 300 tasks count as long here
    tab = window.show_tasks()
    qtbot.keyClicks(tab.search, "bao")
    assert tab.model.rowCount() == 300  # not yet: one query when the typing pauses
    qtbot.waitUntil(lambda: tab.model.rowCount() < 300)
    assert tab.model.filter.search == "bao"
    qtbot.keyClicks(tab.search, " cao")
    tab.wait_loaded()
    assert tab.model.filter.search == "bao cao"


def test_select_all_reads_ids_not_pages(qtbot, window, monkeypatch):
    from cchc_desktop.gui.tasks import paged_model

    monkeypatch.setattr(paged_model, "PAGE_SIZE", 20)
    monkeypatch.setattr(paged_model, "MAX_PAGES", 2)
    tab = window.show_tasks()
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert tab._selected_ids() == [r.id for r in tab.model.visible_rows()]
    assert tab.model.cached_rows() <= 40


def test_the_current_task_is_kept_across_a_refresh_far_down(qtbot, window, monkeypatch):
    from cchc_desktop.gui.tasks import paged_model

    monkeypatch.setattr(paged_model, "PAGE_SIZE", 20)
    tab = window.show_tasks()
    tab.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    task_id = tab.model.task_id_at(250)
    assert tab.select_task(task_id)
    tab.refresh()
    assert tab._current_id() == task_id
    assert tab.view.currentIndex().row() == 250
    with window.ctx.db.session() as session:  # its lead unit changes: the row moves far
        task = session.get(Task, task_id)
        task.lead_unit_id = min(u for u in {t.lead_unit_id for t in session.query(Task)}
                                if u != task.lead_unit_id)
    tab.refresh()
    assert tab._current_id() == task_id
    assert abs(tab.view.currentIndex().row() - 250) > 20


def test_settings_round_trip():
    from cchc_desktop.gui.common.settings import Settings

    settings = Settings()
    assert settings.last_year() is None and settings.column_widths("x") == []
    settings.set_last_year(2025)
    settings.set_column_widths("x", [120, 80])
    settings.set_last_tab("tasks_tab")
    again = Settings()
    assert again.last_year() == 2025
    assert again.column_widths("x") == [120, 80]
    assert again.last_tab() == "tasks_tab"
    assert again.store.organizationName() == "CCHC"
    assert again.store.applicationName() == "CCHC Desktop"


def test_undo_commands_move_and_refuse(window, demo_db):
    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.gui.tasks.commands import CreateTaskCommand, MoveTaskCommand, push
    from cchc_desktop.store.models import Plan

    ctx = window.ctx
    error = push(ctx, CreateTaskCommand(ctx, TaskDraft(content="", lead_unit_id=None)))
    assert error.startswith("Nhiệm vụ chưa hợp lệ")
    assert window.undo_stack.count() == 0 and task_count(demo_db) == 300

    with demo_db.session() as session:
        plan = session.query(Plan).first()
        tasks = sorted((t for t in plan.tasks), key=lambda t: (t.area or 0, t.position))
        first = next(t for t in tasks if sum(1 for u in tasks if u.area == t.area) > 1)
        area, plan_id = first.area, plan.id

    def order() -> list[int]:
        with demo_db.session() as session:
            rows = session.query(Task).filter_by(plan_id=plan_id, area=area)
            return [t.id for t in rows.order_by(Task.position, Task.id)]

    before = order()
    assert push(ctx, MoveTaskCommand(ctx, before[0], +1)) == ""
    assert order()[:2] == [before[1], before[0]]
    window.undo_stack.undo()
    assert order() == before
    window.undo_stack.redo()
    assert order()[:2] == [before[1], before[0]]
    count = window.undo_stack.count()
    push(ctx, MoveTaskCommand(ctx, before[1], -5))  # cannot move above the first: no command
    assert window.undo_stack.count() == count


def test_editor_reports_a_save_by_someone_else(qtbot, window, tasks_tab, demo_db, type_text,
                                                monkeypatch):
    from cchc_desktop.services.tasks import draft_from_task, update_task

    offered: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, text, **_k: offered.append(text) or False)
    task_id = tasks_tab.model.task_id_at(0)
    dialog = TaskEditorDialog(window.ctx, task_id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    with demo_db.session() as session:  # another user saves meanwhile
        draft = draft_from_task(get_task(session, task_id))
        draft.note = "Sửa từ máy khác"
        update_task(session, task_id, draft)
    type_text(dialog.note, " (bổ sung)")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert "vừa được người khác sửa" in dialog.general_error.text()
    assert offered and "Tải lại" in offered[0]  # the choice to reload was offered
    with demo_db.session() as session:
        assert get_task(session, task_id).note == "Sửa từ máy khác"
    assert window.undo_stack.count() == 0


def test_ctrl_z_and_ctrl_y_undo_and_redo_a_delete(qtbot, window, tasks_tab, demo_db,
                                                   monkeypatch):
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    task_id = tasks_tab.model.task_id_at(3)
    tasks_tab.select_task(task_id)
    tasks_tab.view.setFocus()
    qtbot.keyClick(tasks_tab.view, Qt.Key.Key_Delete)
    assert task_count(demo_db) == 299
    qtbot.keyClick(tasks_tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert task_count(demo_db) == 300
    qtbot.keyClick(tasks_tab.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert task_count(demo_db) == 299
    tasks_tab.wait_loaded()
    assert tasks_tab.model.row_of_task(task_id) < 0


def test_show_filtered_by_a_year_without_tasks(qtbot, window):
    tab = window.tab("tasks_tab")
    tab.show_filtered(status=StatusClass.DONE_ON_TIME, year=2031)  # no task of 2031
    assert tab.year_filter.currentData() == 2031
    tab.refresh()
    assert tab.year_filter.currentData() == 2031
    assert tab.model.rowCount() == 0
    tab.show_filtered(status=StatusClass.DONE_ON_TIME, year=2024)
    rows = tab.model.visible_rows()
    assert rows and all(r.year == 2024 and r.status is StatusClass.DONE_ON_TIME for r in rows)


def test_editing_a_task_deleted_meanwhile_shows_an_error(window, monkeypatch):
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(text))
    assert task_editor.edit_task(window.ctx, window, 999_999) is False
    assert shown == ["Không tìm thấy nhiệm vụ số 999999."]


def test_mark_several_tasks_completed_then_undo_and_redo(qtbot, tasks_tab, window, demo_db,
                                                         monkeypatch):
    from PySide6.QtCore import QItemSelectionModel

    from cchc_desktop.gui.tasks.complete_dialog import CompleteTasksDialog

    model = tasks_tab.model
    tasks_tab.status_filter.setCurrentIndex(tasks_tab.status_filter.findData("open_overdue"))
    chosen = [model.row_at(r).id for r in range(3)]
    selection = tasks_tab.view.selectionModel()
    for r in range(3):
        selection.select(model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    seen = []

    def user_fills_in(dialog: CompleteTasksDialog) -> int:
        seen.append(dialog.summary.text())
        dialog.date_edit.setDate(dialog.date_edit.date().addDays(-1))
        qtbot.keyClicks(dialog.note_edit, "Bao cao so 12")
        return 1

    monkeypatch.setattr(CompleteTasksDialog, "exec", user_fills_in)
    qtbot.mouseClick(tasks_tab.complete_button, LEFT)
    assert seen and seen[0].startswith("Đánh dấu 3 nhiệm vụ chưa hoàn thành")

    def completed() -> list[date | None]:
        with demo_db.session() as session:
            return [get_task(session, i).completed_on for i in chosen]

    assert completed() == [date(2024, 11, 19)] * 3
    tasks_tab.wait_loaded()
    assert all(model.row_of_task(i) < 0 for i in chosen)  # no longer overdue: filtered out
    assert window.undo_action.text() == "Hoàn tác: Đánh dấu hoàn thành 3 nhiệm vụ"
    window.undo_action.trigger()
    assert completed() == [None] * 3
    window.redo_action.trigger()
    assert completed() == [date(2024, 11, 19)] * 3


def test_a_refused_undo_is_said_and_dropped(qtbot, tasks_tab, window, demo_db):
    from cchc_desktop.gui.tasks.commands import CompleteTasksCommand, push
    from cchc_desktop.services.tasks import draft_from_task, update_task

    with demo_db.session() as session:
        task_id = next(t.id for t in session.query(Task).order_by(Task.id)
                       if t.completed_on is None)
    assert push(window.ctx, CompleteTasksCommand(window.ctx, [task_id], date(2024, 11, 19))) == ""
    with demo_db.session() as session:  # another PC changes the completion meanwhile
        draft = draft_from_task(get_task(session, task_id))
        draft.completed_on = date(2024, 11, 18)
        update_task(session, task_id, draft)
    window.undo_action.trigger()
    assert "Không hoàn tác/làm lại được" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0  # dropped: the menu no longer offers it
    with demo_db.session() as session:
        assert get_task(session, task_id).completed_on == date(2024, 11, 18)
