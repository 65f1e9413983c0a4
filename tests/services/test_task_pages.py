"""Pages of the task list: counted, filtered and sorted in SQL by the one filter rule."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from cchc_desktop.domain.status import StatusClass
from cchc_desktop.domain.text import fold, vi_sort_key
from cchc_desktop.services.demo import build_demo
from cchc_desktop.services.task_queries import (
    TaskFilter,
    completed_ids,
    count_overdue,
    count_tasks,
    list_tasks,
    summarize_tasks,
    task_assigners,
    task_ids,
    task_page,
    task_position,
    task_years,
)
from cchc_desktop.store.models import Task
from tests.conftest import DEMO_TODAY

SORTS = [None, "content", "lead_unit", "supporting_units", "timing_text", "due_date",
         "completed_on", "status", "assigned_by", "area", "year"]
FILTERS = [
    TaskFilter(),
    TaskFilter(statuses={StatusClass.OPEN_OVERDUE}),
    TaskFilter(statuses={StatusClass.DONE_LATE, StatusClass.DONE_ON_TIME}, year=2024),
    TaskFilter(unit="Văn phòng Sở", include_supporting=True),
    TaskFilter(assigner="UBND tỉnh"),
    TaskFilter(area=0),
    TaskFilter(area=3, due_within=30),
    TaskFilter(search="BAO cao"),
]


@pytest.fixture
def demo(any_db):
    with any_db.session() as s:
        build_demo(s, 120, seed=3, today=DEMO_TODAY)
    return any_db


@pytest.mark.parametrize("flt", FILTERS)
def test_count_and_pages_agree_with_the_list(demo, flt) -> None:
    with demo.session() as s:
        expected = list_tasks(s, DEMO_TODAY, flt)
        assert count_tasks(s, flt, DEMO_TODAY) == len(expected)
        assert [r.id for r in task_page(s, flt, DEMO_TODAY)] == [r.id for r in expected]
        pages = [task_page(s, flt, DEMO_TODAY, offset=o, limit=25)
                 for o in range(0, len(expected) + 25, 25)]
        rows = [r for page in pages for r in page]
        assert rows == expected  # every field, supporting units included


def test_every_filter_field_is_applied(demo) -> None:
    with demo.session() as s:
        s.execute(update(Task).where(Task.id % 7 == 0).values(area=None))
        every = list_tasks(s, DEMO_TODAY)
        unclassified = [r.id for r in every if r.area is None]
        assert unclassified and [r.id for r in task_page(s, TaskFilter(area=0), DEMO_TODAY)] \
            == unclassified
        exact = [r.id for r in every if r.assigned_by == "UBND tỉnh"]
        loose = count_tasks(s, TaskFilter(assigned_by="UBND tỉnh"), DEMO_TODAY)
        assert exact and len(exact) < loose  # "Văn phòng UBND tỉnh" is not "UBND tỉnh"
        assert [r.id for r in task_page(s, TaskFilter(assigner="UBND tỉnh"), DEMO_TODAY)] \
            == exact
        found = task_page(s, TaskFilter(search="bao cao"), DEMO_TODAY)
        # Search covers what the list shows of a task (content, output, units, assigner...).
        assert found and all("bao cao" in fold(" ".join(
            [r.content, r.output, r.timing_text, r.lead_unit, *r.supporting_units,
             r.assigned_by, r.document])) for r in found)


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_sorted_pages_positions_and_ids(demo, sort, descending) -> None:
    flt = TaskFilter(year=2024)
    with demo.session() as s:
        whole = task_page(s, flt, DEMO_TODAY, sort=sort, descending=descending)
        ids = [r.id for r in whole]
        assert len(set(ids)) == len(ids) == count_tasks(s, flt, DEMO_TODAY) > 50
        assert task_ids(s, flt, DEMO_TODAY, sort=sort, descending=descending) == ids
        assert task_ids(s, flt, DEMO_TODAY, sort=sort, descending=descending,
                        offset=10, limit=30) == ids[10:40]
        paged = [r.id for o in range(0, len(ids), 40)
                 for r in task_page(s, flt, DEMO_TODAY, sort=sort, descending=descending,
                                    offset=o, limit=40)]
        assert paged == ids
        # With the total known, pages past the middle are read from the other end.
        for offset in (len(ids) // 2 - 1, len(ids) // 2 + 1, len(ids) - 30, len(ids) - 1,
                       len(ids), len(ids) + 5):
            assert task_ids(s, flt, DEMO_TODAY, sort=sort, descending=descending,
                            offset=offset, limit=25, total=len(ids)) \
                == ids[offset:offset + 25], offset
        for n in (0, len(ids) // 2, len(ids) - 1):
            assert task_position(s, flt, DEMO_TODAY, sort, descending, ids[n]) == n
        absent = next(r.id for r in list_tasks(s, DEMO_TODAY) if r.year != 2024) \
            if count_tasks(s, TaskFilter(), DEMO_TODAY) > len(ids) else 10**9
        assert task_position(s, flt, DEMO_TODAY, sort, descending, absent) is None
    if sort in ("due_date", "completed_on", "area"):  # no value: last going up
        values = [getattr(r, sort) for r in whole]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=descending)
        blanks = [v is None for v in values]
        assert blanks == sorted(blanks, reverse=descending)
    if sort == "status":
        order = [list(StatusClass).index(r.status) for r in whole]
        assert order == sorted(order, reverse=descending)


@pytest.mark.parametrize("sort", ["content", "lead_unit", "assigned_by", "timing_text"])
def test_text_sorts_in_vietnamese_order_on_sqlite(db, sort) -> None:
    with db.session() as s:
        build_demo(s, 120, seed=5, today=DEMO_TODAY)
        values = [getattr(r, sort) for r in task_page(s, TaskFilter(), DEMO_TODAY, sort=sort)]
    assert values == sorted(values, key=vi_sort_key)


def test_completed_ids_years_and_assigners(demo) -> None:
    with demo.session() as s:
        s.execute(update(Task).where(Task.id % 5 == 0).values(year=2021))
        s.execute(update(Task).where(Task.id % 7 == 0).values(year=2030))
        every = list_tasks(s, DEMO_TODAY)
        assert completed_ids(s, [r.id for r in every]) == {
            r.id for r in every if r.completed_on is not None}
        assert completed_ids(s, []) == set()
        years, assigners = task_years(s), task_assigners(s)
    assert years == sorted({r.year for r in every}, reverse=True) and len(years) > 1
    assert assigners == sorted({r.assigned_by for r in every if r.assigned_by}, key=vi_sort_key)


@pytest.mark.parametrize("descending", [False, True])
def test_lead_unit_sort_walks_the_units_in_order_with_ties_and_blanks(demo, descending) -> None:
    # Sorted by lead unit, the list reads each unit's tasks in turn (an index range in id
    # order): units of one sort key mix their tasks by id, tasks without a lead come first
    # going up, exactly as ORDER BY the unit's key, id.
    from sqlalchemy import func, select

    from cchc_desktop.store.models import Unit

    with demo.session() as s:
        units = s.execute(select(Unit.id, Unit.name_sort).order_by(Unit.id)).all()
        s.execute(update(Unit).where(Unit.id == units[1][0]).values(name_sort=units[0][1]))
        s.execute(update(Task).where(Task.id % 9 == 0).values(lead_unit_id=None))
        key = func.coalesce(select(Unit.name_sort).where(Unit.id == Task.lead_unit_id)
                            .scalar_subquery(), "")
        order = [key.desc(), Task.id.desc()] if descending else [key, Task.id]
        expected = list(s.scalars(select(Task.id).order_by(*order)))
        flt = TaskFilter()
        assert task_ids(s, flt, DEMO_TODAY, sort="lead_unit", descending=descending) == expected
        paged = [i for o in range(0, len(expected), 17)
                 for i in task_ids(s, flt, DEMO_TODAY, sort="lead_unit",
                                   descending=descending, offset=o, limit=17)]
        assert paged == expected
        for n in (0, 40, len(expected) - 1):
            assert task_position(s, flt, DEMO_TODAY, "lead_unit", descending,
                                 expected[n]) == n


@pytest.mark.parametrize("days", [-800, -30, 0, 1, 45, 400])
def test_the_reminders_overdue_count_is_the_summarys(demo, days) -> None:
    from datetime import timedelta

    as_of = DEMO_TODAY + timedelta(days=days)
    with demo.session() as s:
        s.execute(update(Task).where(Task.id % 7 == 0).values(completed_on=as_of + timedelta(3)))
        expected = summarize_tasks(s, as_of)["open_overdue"]
        assert count_overdue(s, as_of) == expected
        assert count_tasks(s, TaskFilter(overdue=True), as_of) == expected
