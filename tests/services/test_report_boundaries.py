"""Exact counts at every day boundary: per unit, per area, overdue, due within N days.

Each figure is checked on the day before, the day of and the day after the date that
changes it (due today, due in exactly N days, completed on the cut-off day, completed the
day after). The expected numbers are written out by hand, not computed by the code under
test, so moving any boundary by one day fails here.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

D = date(2021, 6, 14)  # the H1 2021 window's last day (cut-off)
N = 7


def _seed(db) -> None:  # noqa: ANN001
    from cchc_desktop.store.models import Task, Unit

    with db.session() as session:
        vp = Unit(name="Văn phòng Sở", short_name="VP", kind="division", position=1)
        tt = Unit(name="Thanh tra Sở", short_name="TTr", kind="division", position=2)
        session.add_all([vp, tt])
        session.flush()

        def task(content: str, unit: Unit, area: int, **kw: object) -> None:
            session.add(Task(content=content, content_key=content.lower(), year=2021,
                             lead_unit_id=unit.id, area=area, **kw))

        task("due yesterday", vp, 1, due_date=D - timedelta(days=1))
        task("due today", vp, 1, due_date=D)
        task("due in N days", tt, 2, due_date=D + timedelta(days=N))
        task("due in N+1 days", tt, 2, due_date=D + timedelta(days=N + 1))
        task("done on the cut-off day", vp, 3, due_date=D - timedelta(days=3), completed_on=D)
        task("done the day after", tt, 3, due_date=D - timedelta(days=3),
             completed_on=D + timedelta(days=1))
        task("done on time early", tt, 3, due_date=D, completed_on=D - timedelta(days=10))


@pytest.fixture
def seeded(db):  # noqa: ANN001, ANN201
    _seed(db)
    return db


# as_of -> {unit: (total, done, overdue)}
UNITS = {
    D - timedelta(days=1): {"Văn phòng Sở": (3, 0, 1), "Thanh tra Sở": (4, 1, 1)},
    D: {"Văn phòng Sở": (3, 1, 1), "Thanh tra Sở": (4, 1, 1)},
    D + timedelta(days=1): {"Văn phòng Sở": (3, 1, 2), "Thanh tra Sở": (4, 2, 0)},
}
# as_of -> {area: (total, done)}
AREAS = {
    D - timedelta(days=1): {1: (2, 0), 2: (2, 0), 3: (3, 1)},
    D: {1: (2, 0), 2: (2, 0), 3: (3, 2)},
    D + timedelta(days=1): {1: (2, 0), 2: (2, 0), 3: (3, 3)},
}
# as_of -> overdue contents (most overdue first)
OVERDUE = {
    D - timedelta(days=1): ["done on the cut-off day", "done the day after"],
    D: ["done the day after", "due yesterday"],
    D + timedelta(days=1): ["due yesterday", "due today"],
}
# (as_of, days) -> due-within contents
DUE_WITHIN = {
    (D, 0): ["due today"],
    (D, N - 1): ["due today"],
    (D, N): ["due today", "due in N days"],
    (D, N + 1): ["due today", "due in N days", "due in N+1 days"],
    (D + timedelta(days=1), N): ["due in N days", "due in N+1 days"],
    (D - timedelta(days=1), N): ["due yesterday", "due today"],  # due on as_of: still due
}


@pytest.mark.parametrize("as_of", sorted(UNITS))
def test_per_unit_figures_at_each_boundary(seeded, as_of: date) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.services.reports import gather_report

    with seeded.session() as session:
        data = gather_report(session, parse_period("2021-H1"), end=as_of)
    assert {u.unit: (u.total, u.done, u.overdue) for u in data.by_unit} == UNITS[as_of]


@pytest.mark.parametrize("as_of", sorted(AREAS))
def test_per_area_figures_at_each_boundary(seeded, as_of: date) -> None:  # noqa: ANN001
    from cchc_desktop.services.task_queries import completion_by_area

    with seeded.session() as session:
        rows = completion_by_area(session, as_of)
    assert {a: (t, d) for a, t, d in rows} == AREAS[as_of]


@pytest.mark.parametrize("as_of", sorted(OVERDUE))
def test_overdue_list_at_each_boundary(seeded, as_of: date) -> None:  # noqa: ANN001
    from cchc_desktop.services.task_queries import TaskFilter, list_tasks

    with seeded.session() as session:
        rows = list_tasks(session, as_of, TaskFilter(overdue=True))
    assert [t.content for t in rows] == OVERDUE[as_of]


@pytest.mark.parametrize(("as_of", "days"), sorted(DUE_WITHIN))
def test_due_within_n_days_at_each_boundary(seeded, as_of: date, days: int) -> None:  # noqa: ANN001
    from cchc_desktop.services.task_queries import TaskFilter, list_tasks

    with seeded.session() as session:
        rows = list_tasks(session, as_of, TaskFilter(due_within=days))
    assert [t.content for t in rows] == DUE_WITHIN[(as_of, days)]


@pytest.mark.parametrize(("end", "done", "late"), [
    (D - timedelta(days=1), 1, 2),  # the day before the cut-off: completed on it is still open
    (D, 2, 2),                      # completed on the cut-off day counts as done
    (D + timedelta(days=1), 3, 2),  # the day after: "done the day after" counts too
])
def test_report_drafts_count_per_area_at_the_cut_off(seeded, end: date, done: int,  # noqa: ANN001
                                                      late: int) -> None:
    """Area 3's draft names exactly the tasks completed in the window up to its last day."""
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.services.profile import AgencyProfile
    from cchc_desktop.services.report_drafts import period_drafts

    with seeded.session() as session:
        texts = period_drafts(session, parse_period("2021-H1"), "general", AgencyProfile(),
                              end=end)
    assert texts.text("area3").startswith(f"Đã hoàn thành {done} nhiệm vụ: ")
    assert f"Còn {late} nhiệm vụ quá hạn chưa hoàn thành" in texts.text("assessment")


@pytest.mark.parametrize(("as_of", "expected"), [
    (D - timedelta(days=1), {"Thanh tra Sở": (["done the day after"], []),
                             "Văn phòng Sở": (["done on the cut-off day"],
                                              ["due yesterday", "due today"])}),
    (D, {"Thanh tra Sở": (["done the day after"], ["due in N days"]),
         "Văn phòng Sở": (["due yesterday"], ["due today"])}),
    (D + timedelta(days=1), {"Thanh tra Sở": ([], ["due in N days", "due in N+1 days"]),
                             "Văn phòng Sở": (["due yesterday", "due today"], [])}),
])
def test_reminder_groups_per_unit_at_each_boundary(seeded, as_of: date,  # noqa: ANN001
                                                   expected: dict) -> None:
    from cchc_desktop.exporters.reminders_docx import reminder_groups

    with seeded.session() as session:
        groups = reminder_groups(session, as_of, within=N)
    assert {g.unit: ([t.content for t in g.overdue], [t.content for t in g.due_soon])
            for g in groups} == expected


def test_drafts_and_letters_agree_on_sqlite_and_postgresql(any_db) -> None:  # noqa: ANN001
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.reminders_docx import reminder_groups
    from cchc_desktop.services.profile import AgencyProfile
    from cchc_desktop.services.report_drafts import period_drafts

    _seed(any_db)
    with any_db.session() as session:
        general = period_drafts(session, parse_period("2021-H1"), "general", AgencyProfile())
        propaganda = period_drafts(session, parse_period("2021-H1"), "propaganda",
                                   AgencyProfile())
        groups = reminder_groups(session, D, within=N)
    assert general.text("area3").startswith("Đã hoàn thành 2 nhiệm vụ: ")
    assert ("tổng số nhiệm vụ 7, đã hoàn thành trong hạn 1, hoàn thành quá hạn 1, hoàn thành "
            "không hạn 0; chưa hoàn thành: trong hạn 3, quá hạn 2, không hạn 0; tỷ lệ hoàn "
            "thành đạt 28,57%") in general.text("area1")
    assert propaganda.empty == ["intro", "deploy", "staff", "public", "assessment", "next"]
    assert [(g.unit, len(g.overdue), len(g.due_soon)) for g in groups] == [
        ("Thanh tra Sở", 1, 1), ("Văn phòng Sở", 1, 1)]
