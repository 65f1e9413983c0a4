"""The Tổng quan tab: counts as of today, lists, charts, clicking through to the tasks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cchc_desktop.domain.status import StatusClass
from cchc_desktop.gui.common.settings import Settings
from cchc_desktop.services.task_queries import TaskFilter, summarize_tasks
from tests.conftest import DEMO_TODAY


@pytest.fixture
def dashboard(qtbot, window):
    window.tabs.setCurrentIndex(0)
    tab = window.tab("dashboard_tab")
    qtbot.waitUntil(lambda: tab.details_ready)  # lists and charts follow the counts
    return tab


def test_counts_equal_the_summary(dashboard, demo_db):
    assert dashboard.selected_year() == 2024  # today's year, present in the data
    with demo_db.session() as session:
        summary = summarize_tasks(session, DEMO_TODAY, TaskFilter(year=2024))
    assert dashboard.cards[None].number.text() == str(summary["total"])
    for cls in StatusClass:
        assert dashboard.cards[cls].number.text() == str(summary[cls.value])
    assert dashboard.overdue_model.rowCount() == summary["open_overdue"]
    assert f"({summary['open_overdue']})" in dashboard.lists.box_title(0)
    assert all(r.status is StatusClass.OPEN_OVERDUE
               for r in dashboard.overdue_model.visible_rows())
    soon = dashboard.soon_model.visible_rows()
    assert all(0 <= (r.due_date - DEMO_TODAY).days <= 7 for r in soon)


def test_the_counts_are_announced_before_the_lists_and_charts(qtbot, window, demo_db):
    """``counted`` (what bench/bench_gui.py times as "data shown"): the cards are filled."""
    tab = window.tab("dashboard_tab")
    with qtbot.waitSignal(tab.counted, timeout=10_000):
        tab.refresh()
        assert tab.cards[None].number.text() != "…"
    qtbot.waitUntil(lambda: tab.details_ready)


@pytest.mark.parametrize("cls", [StatusClass.DONE_LATE, StatusClass.OPEN_OVERDUE])
def test_clicking_a_card_filters_the_task_tab(qtbot, window, dashboard, cls):
    qtbot.mouseClick(dashboard.cards[cls], Qt.MouseButton.LeftButton)
    assert window.current_module() == "tasks_tab"
    tab = window.tab("tasks_tab")
    tab.wait_loaded()
    rows = tab.model.visible_rows()
    assert len(rows) == int(dashboard.cards[cls].number.text().replace(".", ""))
    assert {r.status for r in rows} == {cls}
    assert tab.year_filter.currentData() == 2024


def test_total_card_shows_every_task_of_the_year(qtbot, window, dashboard):
    qtbot.mouseClick(dashboard.cards[None], Qt.MouseButton.LeftButton)
    window.tab("tasks_tab").wait_loaded()
    assert window.tab("tasks_tab").model.rowCount() == 300


def test_charts_are_drawn_in_the_window(qtbot, dashboard):
    qtbot.waitUntil(lambda: dashboard.unit_chart.drawn > 0 and dashboard.area_chart.drawn > 0)
    assert dashboard.unit_chart.canvas is not None
    axes = dashboard.area_chart.figure.axes[0]
    assert len(axes.patches) == 8  # one bar per CCHC area
    assert dashboard.area_chart.figure.get_suptitle().replace("\n", " ") == (
        "Tỷ lệ hoàn thành theo lĩnh vực CCHC")


def test_year_selector_recounts_and_is_remembered(dashboard):
    all_years = dashboard.year.findData(None)
    dashboard.year.setCurrentIndex(all_years)
    assert dashboard.cards[None].number.text() == "300"
    assert Settings().last_year() is None
    dashboard.year.setCurrentIndex(dashboard.year.findData(2024))
    assert Settings().last_year() == 2024


def test_empty_database_shows_zeros(qtbot, db):
    from cchc_desktop.gui.main_window import MainWindow

    window = MainWindow(db, today=DEMO_TODAY)
    qtbot.addWidget(window)
    dashboard = window.tab("dashboard_tab")
    dashboard.refresh()
    dashboard.load_lists()
    dashboard.draw_charts()
    assert dashboard.cards[None].number.text() == "0"
    assert dashboard.overdue_model.rowCount() == 0
    window.update_reminder()
    assert window.reminder.label.text() == "0 nhiệm vụ quá hạn, 0 nhiệm vụ đến hạn trong 7 ngày"
    assert window.reminder.isHidden()
    # Thousands are grouped the Vietnamese way (a large office's counts).
    assert window.reminder.show_counts(22191, 1780) == (
        "22.191 nhiệm vụ quá hạn, 1.780 nhiệm vụ đến hạn trong 7 ngày")
    window.close()


def test_welcome_panel_on_an_empty_database_leads_to_the_first_steps(qtbot, db, monkeypatch):
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.gui.tasks import import_dialog

    window = MainWindow(db, today=DEMO_TODAY)
    qtbot.addWidget(window)
    window.show()
    dashboard = window.tab("dashboard_tab")
    dashboard.refresh()
    assert dashboard.welcome.isVisible()
    assert dashboard.year.currentText() == "Tất cả các năm"
    qtbot.mouseClick(dashboard.welcome_buttons["catalog_tab"], Qt.MouseButton.LeftButton)
    assert window.current_module() == "catalog_tab"
    window.tabs.setCurrentIndex(0)
    qtbot.mouseClick(dashboard.welcome_buttons["plans_tab"], Qt.MouseButton.LeftButton)
    assert window.current_module() == "plans_tab"
    window.tabs.setCurrentIndex(0)
    calls = []
    monkeypatch.setattr(import_dialog, "import_tasks",
                        lambda parent, ctx: calls.append(parent) or False)
    qtbot.mouseClick(dashboard.welcome_buttons["import_tasks"], Qt.MouseButton.LeftButton)
    assert calls == [window]
    window.close()


def test_no_welcome_panel_once_there_are_tasks(dashboard):
    assert not dashboard.welcome.isVisible()
    dashboard.year.setCurrentIndex(dashboard.year.findData(None))
    assert not dashboard.welcome.isVisible()


def test_the_reminder_counts_extension_requests_and_opens_their_queue(qtbot, window, demo_db,
                                                                      monkeypatch):
    from datetime import timedelta

    from sqlalchemy import select

    from cchc_desktop.gui.tasks.extensions_dialog import ExtensionsDialog
    from cchc_desktop.services.extensions import request_extension
    from cchc_desktop.store.models import Task
    from tests.gui.register_helpers import drive_dialogs

    window.update_reminder()
    assert "đề nghị gia hạn" not in window.reminder.label.text()
    assert window.reminder.requests_button.isHidden()
    with demo_db.session() as session:
        task = session.scalars(select(Task).where(Task.completed_on.is_(None),
                                                  Task.due_date.is_not(None))).first()
        request_extension(session, task.id, task.due_date + timedelta(days=30), "Chờ số liệu")
    window.update_reminder()
    assert window.reminder.label.text().endswith("; 1 đề nghị gia hạn chờ quyết định")
    assert not window.reminder.requests_button.isHidden()
    seen: list[int] = []
    drive_dialogs(monkeypatch, ExtensionsDialog, lambda d: seen.append(d.table.rowCount()))
    qtbot.mouseClick(window.reminder.requests_button, Qt.MouseButton.LeftButton)
    assert seen == [1]  # the queue, with the request waiting
    window.reminder.set_compact(True)  # a short window: the same as a link
    assert 'href="requests">1 đề nghị gia hạn' in window.reminder.compact_label.text()
    with qtbot.waitSignal(window.reminder.show_requests):
        window.reminder.compact_label.linkActivated.emit("requests")
