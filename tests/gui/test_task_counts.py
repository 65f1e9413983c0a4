"""On a large database the Nhiệm vụ list shows its first page before its count, which a
worker thread makes (issue 18): the rows grow as the view scrolls, the count arrives
later, a count made stale by the next keystroke is interrupted and dropped."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from cchc_desktop.gui.tasks import paged_model
from cchc_desktop.gui.tasks.paged_model import PagedTaskModel, _Counter
from cchc_desktop.services import task_queries
from cchc_desktop.services.task_queries import TaskFilter, count_tasks
from tests.conftest import DEMO_TODAY


def counted(db, flt: TaskFilter) -> int:
    with db.session() as session:
        return count_tasks(session, flt, DEMO_TODAY)


@pytest.fixture
def held_counts(monkeypatch):
    """Counts made in a worker thread wait until the test lets them go."""
    gate = threading.Event()
    real = task_queries.count_tasks

    def held(session, flt, as_of):
        if threading.current_thread() is not threading.main_thread():
            assert gate.wait(20), "the test never let the count go"
        return real(session, flt, as_of)

    monkeypatch.setattr(task_queries, "count_tasks", held)
    yield gate
    gate.set()


def deferred_model(db, page_size: int = 25) -> PagedTaskModel:
    model = PagedTaskModel(db.session, DEMO_TODAY, page_size=page_size, max_pages=3)
    model.defer_counts = True
    return model


def test_the_first_page_shows_before_the_count_which_follows(qtbot, demo_db, held_counts):
    model = deferred_model(demo_db)
    flt = TaskFilter(search="bao cao")
    expected = counted(demo_db, flt)
    assert expected > 25
    model.set_filter(flt)
    assert model.counting and model.rowCount() == 25  # one page read, the count not yet
    assert model.canFetchMore(model.index(-1, -1))
    with qtbot.waitSignal(model.counted, timeout=10_000):
        held_counts.set()
    assert not model.counting and model.rowCount() == expected
    assert not model.canFetchMore(model.index(-1, -1))
    with demo_db.session() as session:
        ids = task_queries.task_ids(session, flt, DEMO_TODAY)
    assert [model.task_id_at(r) for r in range(expected)] == ids


def test_a_short_list_needs_no_count_at_all(demo_db, monkeypatch):
    model = deferred_model(demo_db, page_size=200)

    def no_count(*_args):
        raise AssertionError("a list shorter than a page was counted")

    monkeypatch.setattr(task_queries, "count_tasks", no_count)
    model.set_filter(TaskFilter(search="bao cao"))
    assert not model.counting and 0 < model.rowCount() < 200


def test_rows_grow_a_page_at_a_time_while_counting(qtbot, demo_db, held_counts):
    model = deferred_model(demo_db, page_size=40)
    model.set_filter(TaskFilter())
    assert model.rowCount() == 40
    inserted = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 80 and inserted == [(40, 79)]
    # A task far down, asked for while counting: the rows read reach it.
    with demo_db.session() as session:
        far = task_queries.task_ids(session, TaskFilter(), DEMO_TODAY)[250]
    assert model.row_of_task(far) == 250 and model.rowCount() == 280
    held_counts.set()
    model.wait_counted()
    assert model.rowCount() == 300 and inserted[-1] == (280, 299)


def test_a_stale_count_is_dropped(qtbot, demo_db, held_counts):
    model = deferred_model(demo_db)
    model.set_filter(TaskFilter(search="bao"))
    model.set_filter(TaskFilter(search="ke hoach"))  # the next keystroke, before any count
    signals = []
    model.counted.connect(lambda: signals.append(model.rowCount()))
    held_counts.set()
    model.wait_counted()
    assert model.rowCount() == counted(demo_db, TaskFilter(search="ke hoach"))
    assert signals == [model.rowCount()]  # only the live count was taken


def test_the_deferred_model_passes_the_model_tester(qtmodeltester, demo_db, held_counts):
    # One tester per model (testers stacked on one model call each other's fetchMore):
    # it watches the rows read, fetched, then counted; and a reset while counting.
    model = deferred_model(demo_db)
    model.set_filter(TaskFilter(search="bao cao"))
    assert model.counting
    qtmodeltester.check(model)  # while counting: rows read so far, more to fetch
    held_counts.set()
    model.wait_counted()
    assert not model.counting
    assert model.rowCount() == counted(demo_db, TaskFilter(search="bao cao"))
    held_counts.clear()
    sorted_model = deferred_model(demo_db)
    qtmodeltester.check(sorted_model)
    sorted_model.sort(1, Qt.SortOrder.DescendingOrder)  # a reset, then a count behind it
    assert sorted_model.counting
    sorted_model.fetchMore(sorted_model.index(-1, -1))
    held_counts.set()
    sorted_model.wait_counted()
    assert sorted_model.rowCount() == 300


def test_a_long_count_is_interrupted_in_the_database(qtbot, any_db):
    # Counting to a billion: only the interrupt (SQLite's interrupt, PostgreSQL's cancel
    # request on its own connection) ends it in time.
    from sqlalchemy import text

    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            "WHERE i < 1000000000) SELECT count(*) FROM n")
    counter = _Counter(any_db.session, lambda s: int(s.execute(text(slow)).scalar_one()))
    outcome: list[object] = []
    counter.start(outcome.append, lambda: outcome.append("ended"))
    qtbot.waitUntil(lambda: counter._connection is not None, timeout=5_000)
    qtbot.wait(50)  # the query is running
    counter.interrupt()
    qtbot.waitUntil(lambda: outcome == ["ended"], timeout=5_000)
    counter.wait()


def test_the_tab_says_it_is_counting_then_shows_the_count(qtbot, window, monkeypatch,
                                                          held_counts):
    from cchc_desktop.gui.tasks import tab as module

    monkeypatch.setattr(module, "DEBOUNCE_ABOVE", 100)  # 300 tasks count as many here
    monkeypatch.setattr(paged_model, "PAGE_SIZE", 20)
    tab = window.show_tasks()
    tab.search.setText("bao")
    tab.wait_loaded()
    assert tab.model.counting
    assert tab.count_label.text() == "Hiển thị 20+ / 300 nhiệm vụ (đang đếm…)"
    held_counts.set()
    tab.model.wait_counted()
    total = counted(window.ctx.db, TaskFilter(search="bao", include_supporting=True))
    assert tab.count_label.text() == f"Hiển thị {total} / 300 nhiệm vụ"
    # Closing while a count runs waits for its thread (none is left behind).
    held_counts.clear()
    tab.search.setText("bao cao")
    tab.wait_loaded()
    assert tab.model.counting
    held_counts.set()
    window.close()
    assert not tab.model._counters
