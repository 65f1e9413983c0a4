"""A task's status as of a date: the six classes every report of assigned tasks counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "STATUS_LABELS",
    "SUMMARY_KEYS",
    "StatusClass",
    "classify_status",
    "due_within",
    "empty_summary",
    "is_done",
    "summarize",
]


class StatusClass(StrEnum):
    """The six status classes, in the official order; values are the JSON keys."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    DONE_NO_DEADLINE = "done_no_deadline"
    OPEN_ON_TIME = "open_on_time"
    OPEN_OVERDUE = "open_overdue"
    OPEN_NO_DEADLINE = "open_no_deadline"


STATUS_LABELS: dict[StatusClass, str] = {
    StatusClass.DONE_ON_TIME: "Hoàn thành trong hạn",
    StatusClass.DONE_LATE: "Hoàn thành quá hạn",
    StatusClass.DONE_NO_DEADLINE: "Hoàn thành không hạn",
    StatusClass.OPEN_ON_TIME: "Chưa hoàn thành, trong hạn",
    StatusClass.OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
    StatusClass.OPEN_NO_DEADLINE: "Chưa hoàn thành, không hạn",
}

SUMMARY_KEYS: tuple[str, ...] = ("total", *(c.value for c in StatusClass))

_DONE = frozenset({StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE, StatusClass.DONE_NO_DEADLINE})


def classify_status(due_date: date | None, completed_on: date | None, as_of: date) -> StatusClass:
    """Return the status class of a task on ``as_of``.

    Completed means completed on or before ``as_of``. A task due on ``as_of`` itself is still on
    time; it is overdue from the next day. A task completed on its due date is done on time.
    """
    # A completion recorded after the as-of date had not happened yet on that date.
    if completed_on is not None and completed_on <= as_of:
        if due_date is None:
            return StatusClass.DONE_NO_DEADLINE
        return StatusClass.DONE_ON_TIME if completed_on <= due_date else StatusClass.DONE_LATE
    if due_date is None:
        return StatusClass.OPEN_NO_DEADLINE
    return StatusClass.OPEN_ON_TIME if due_date >= as_of else StatusClass.OPEN_OVERDUE


def is_done(cls: StatusClass) -> bool:
    """Return True for the three "hoàn thành" classes."""
    return cls in _DONE


def due_within(due_date: date | None, completed_on: date | None, as_of: date, days: int) -> bool:
    """Return True for a task still open on ``as_of`` and due in the next ``days`` days.

    The window includes both ends: ``as_of <= due_date <= as_of + days``. Overdue tasks and
    tasks without a due date are not "due within"; a negative ``days`` matches nothing.
    """
    if due_date is None or (completed_on is not None and completed_on <= as_of):
        return False
    return as_of <= due_date <= as_of + timedelta(days=days)


def empty_summary() -> dict[str, int]:
    """Return a summary with every count at 0 (keys: total, then the six classes)."""
    return dict.fromkeys(SUMMARY_KEYS, 0)


def summarize(pairs: Iterable[tuple[date | None, date | None]], as_of: date) -> dict[str, int]:
    """Count (due_date, completed_on) pairs by status class on ``as_of``, with the total."""
    summary = empty_summary()
    for due_date, completed_on in pairs:
        summary[classify_status(due_date, completed_on, as_of).value] += 1
        summary["total"] += 1
    return summary
