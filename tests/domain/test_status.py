"""Task status as of a date (DOMAIN.md, "Task status as of a date")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.domain.status import (
    STATUS_LABELS,
    SUMMARY_KEYS,
    StatusClass,
    classify_status,
    due_within,
    empty_summary,
    is_done,
    summarize,
)

D = date(2022, 6, 15)  # the as-of date used throughout
DAY = timedelta(days=1)

optional_dates = st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@pytest.mark.parametrize(
    ("due", "done", "expected"),
    [
        # completed on or before D
        (D, D - DAY, StatusClass.DONE_ON_TIME),
        (D - DAY, D - DAY, StatusClass.DONE_ON_TIME),  # completed exactly on the due date
        (D, D, StatusClass.DONE_ON_TIME),  # completed on D, due on D
        (D + 10 * DAY, D, StatusClass.DONE_ON_TIME),
        (D - 2 * DAY, D - DAY, StatusClass.DONE_LATE),  # one day late
        (D - DAY, D, StatusClass.DONE_LATE),
        (None, D, StatusClass.DONE_NO_DEADLINE),
        (None, D - 100 * DAY, StatusClass.DONE_NO_DEADLINE),
        # not completed by D
        (D, None, StatusClass.OPEN_ON_TIME),  # due on D itself: still on time
        (D + DAY, None, StatusClass.OPEN_ON_TIME),
        (D - DAY, None, StatusClass.OPEN_OVERDUE),  # overdue from the next day
        (None, None, StatusClass.OPEN_NO_DEADLINE),
        # completed after D counts as not completed on D
        (D, D + DAY, StatusClass.OPEN_ON_TIME),
        (D - DAY, D + DAY, StatusClass.OPEN_OVERDUE),
        (None, D + DAY, StatusClass.OPEN_NO_DEADLINE),
        (D + 5 * DAY, D + DAY, StatusClass.OPEN_ON_TIME),
    ],
)
def test_classify_status(due: date | None, done: date | None, expected: StatusClass) -> None:
    assert classify_status(due, done, D) is expected


def test_due_date_is_on_time_on_the_day_and_overdue_the_next() -> None:
    due = date(2021, 3, 31)
    assert classify_status(due, None, due) is StatusClass.OPEN_ON_TIME
    assert classify_status(due, None, due + DAY) is StatusClass.OPEN_OVERDUE


def test_the_same_task_changes_class_as_the_as_of_date_moves() -> None:
    due, done = date(2021, 3, 31), date(2021, 4, 5)
    assert classify_status(due, done, date(2021, 3, 1)) is StatusClass.OPEN_ON_TIME
    assert classify_status(due, done, date(2021, 4, 1)) is StatusClass.OPEN_OVERDUE
    assert classify_status(due, done, date(2021, 4, 5)) is StatusClass.DONE_LATE


def test_official_order_and_json_keys() -> None:
    assert [c.value for c in StatusClass] == [
        "done_on_time",
        "done_late",
        "done_no_deadline",
        "open_on_time",
        "open_overdue",
        "open_no_deadline",
    ]
    assert SUMMARY_KEYS == ("total", *(c.value for c in StatusClass))


def test_labels() -> None:
    assert list(STATUS_LABELS) == list(StatusClass)
    assert STATUS_LABELS[StatusClass.DONE_ON_TIME] == "Hoàn thành trong hạn"
    assert STATUS_LABELS[StatusClass.DONE_LATE] == "Hoàn thành quá hạn"
    assert STATUS_LABELS[StatusClass.DONE_NO_DEADLINE] == "Hoàn thành không hạn"
    assert STATUS_LABELS[StatusClass.OPEN_ON_TIME] == "Chưa hoàn thành, trong hạn"
    assert STATUS_LABELS[StatusClass.OPEN_OVERDUE] == "Chưa hoàn thành, quá hạn"
    assert STATUS_LABELS[StatusClass.OPEN_NO_DEADLINE] == "Chưa hoàn thành, không hạn"


@pytest.mark.parametrize("cls", list(StatusClass))
def test_is_done(cls: StatusClass) -> None:
    assert is_done(cls) is cls.value.startswith("done_")


@pytest.mark.parametrize(
    ("due", "done", "days", "expected"),
    [
        (D, None, 0, True),  # due today
        (D, None, 7, True),
        (D + 7 * DAY, None, 7, True),  # last day of the window
        (D + 8 * DAY, None, 7, False),
        (D - DAY, None, 7, False),  # overdue is not "due within"
        (None, None, 7, False),
        (D + DAY, D, 7, False),  # already done
        (D + DAY, D + DAY, 7, True),  # done only after the as-of date: still open on D
        (D + DAY, None, -1, False),
    ],
)
def test_due_within(due: date | None, done: date | None, days: int, expected: bool) -> None:
    assert due_within(due, done, D, days) is expected


def test_summarize_sample_002() -> None:
    # "Tổng số nhiệm vụ được giao 41, đã hoàn thành trong hạn 9, hoàn thành quá hạn 15,
    # hoàn thành không hạn 11; chưa hoàn thành: trong hạn 1, quá hạn 2, không hạn 3"
    pairs = (
        [(D, D - DAY)] * 9
        + [(D - 5 * DAY, D - DAY)] * 15
        + [(None, D - DAY)] * 11
        + [(D + DAY, None)] * 1
        + [(D - DAY, None)] * 2
        + [(None, D + DAY)] * 3
    )
    assert summarize(pairs, D) == {
        "total": 41,
        "done_on_time": 9,
        "done_late": 15,
        "done_no_deadline": 11,
        "open_on_time": 1,
        "open_overdue": 2,
        "open_no_deadline": 3,
    }


def test_summarize_accepts_a_generator_and_empty_input() -> None:
    assert summarize((p for p in [(D, None)]), D)["open_on_time"] == 1
    assert summarize([], D) == empty_summary()


def test_empty_summary() -> None:
    summary = empty_summary()
    assert list(summary) == list(SUMMARY_KEYS)
    assert set(summary.values()) == {0}
    summary["total"] = 5
    assert empty_summary()["total"] == 0  # a fresh dict each time


@given(optional_dates, optional_dates, st.dates())
def test_classify_status_is_consistent(due: date | None, done: date | None, as_of: date) -> None:
    cls = classify_status(due, done, as_of)
    assert is_done(cls) == (done is not None and done <= as_of)
    assert (due is None) == (cls in {StatusClass.DONE_NO_DEADLINE, StatusClass.OPEN_NO_DEADLINE})
    if cls is StatusClass.OPEN_OVERDUE:
        assert due is not None and due < as_of


@given(st.lists(st.tuples(optional_dates, optional_dates), max_size=30), st.dates())
def test_summarize_totals_add_up(pairs: list[tuple[date | None, date | None]], as_of: date) -> None:
    summary = summarize(pairs, as_of)
    assert summary["total"] == len(pairs)
    assert sum(summary[c.value] for c in StatusClass) == len(pairs)
    for cls in StatusClass:
        expected = sum(1 for due, done in pairs if classify_status(due, done, as_of) is cls)
        assert summary[cls.value] == expected


@given(optional_dates, optional_dates, st.dates(), st.integers(min_value=0, max_value=60))
def test_due_within_implies_open_on_time(
    due: date | None, done: date | None, as_of: date, days: int
) -> None:
    if due_within(due, done, as_of, days):
        assert classify_status(due, done, as_of) is StatusClass.OPEN_ON_TIME
