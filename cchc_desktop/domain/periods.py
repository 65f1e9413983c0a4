"""Periodic reporting periods and their cut-off windows (Nghị định 09/2019/NĐ-CP, Điều 12)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cchc_desktop.domain.text import to_roman

__all__ = [
    "YEAR_MAX",
    "YEAR_MIN",
    "PeriodKind",
    "ReportPeriod",
    "cutoff_window",
    "parse_period",
    "period_containing",
]

YEAR_MIN = 1990
YEAR_MAX = 2100


class PeriodKind(StrEnum):
    """A kind of periodic report: a quarter, six months, nine months or the year."""

    Q1 = "Q1"
    Q2 = "Q2"
    Q3 = "Q3"
    Q4 = "Q4"
    H1 = "H1"
    M9 = "9M"
    YEAR = "Y"


# (first month, last month) of the calendar period each kind covers.
_MONTHS: dict[PeriodKind, tuple[int, int]] = {
    PeriodKind.Q1: (1, 3),
    PeriodKind.Q2: (4, 6),
    PeriodKind.Q3: (7, 9),
    PeriodKind.Q4: (10, 12),
    PeriodKind.H1: (1, 6),
    PeriodKind.M9: (1, 9),
    PeriodKind.YEAR: (1, 12),
}
_QUARTERS = (PeriodKind.Q1, PeriodKind.Q2, PeriodKind.Q3, PeriodKind.Q4)
_CUTOFF_START_DAY = 15  # the window opens on the 15th of the month before the period ...
_CUTOFF_END_DAY = 14  # ... and closes on the 14th of the period's last month
_REPORT_DAY = 20  # văn bản 581/BNV-CCHC: the report is due by the 20th of the last month


@dataclass(frozen=True)
class ReportPeriod:
    """A reporting period: a year and a kind. Years outside 1990..2100 are refused."""

    year: int
    kind: PeriodKind

    def __post_init__(self) -> None:
        # Accept the plain value ("Q1", "9M") as well as the enum member.
        object.__setattr__(self, "kind", PeriodKind(self.kind))
        if not YEAR_MIN <= self.year <= YEAR_MAX:
            raise ValueError(f"Report year must be {YEAR_MIN}..{YEAR_MAX}, got {self.year}")

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """The period's code: "2021-Q1", "2021-H1", "2021-9M" or "2021" for the year."""
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        return f"{self.year}-{self.kind.value}"

    def window(self) -> tuple[date, date]:
        """Return the cut-off window, both ends included: Q1 2021 = 15/12/2020 – 14/03/2021."""
        first, last = _MONTHS[self.kind]
        if first == 1:
            start = date(self.year - 1, 12, _CUTOFF_START_DAY)
        else:
            start = date(self.year, first - 1, _CUTOFF_START_DAY)
        return start, date(self.year, last, _CUTOFF_END_DAY)

    @property
    def label_vi(self) -> str:
        """The period inside a sentence: "quý I năm 2021", "6 tháng đầu năm 2021", "năm 2021"."""
        if self.kind in _QUARTERS:
            return f"quý {to_roman(_QUARTERS.index(self.kind) + 1)} năm {self.year}"
        if self.kind is PeriodKind.YEAR:
            return f"năm {self.year}"
        return f"{_MONTHS[self.kind][1]} tháng đầu năm {self.year}"

    @property
    def title_vi(self) -> str:
        """The period in a report title: "Quý I năm 2021", "6 tháng đầu năm 2021", "Năm 2021"."""
        label = self.label_vi
        return label[0].upper() + label[1:]

    def report_deadline(self) -> date:
        """Return the default report deadline: the 20th of the period's last month."""
        return date(self.year, _MONTHS[self.kind][1], _REPORT_DAY)

    def calendar_range(self) -> tuple[date, date]:
        """Return the calendar period: first day of its first month to last day of its last."""
        first, last = _MONTHS[self.kind]
        last_day = calendar.monthrange(self.year, last)[1]
        return date(self.year, first, 1), date(self.year, last, last_day)


_PERIOD = re.compile(r"(\d{4})(?:-(Q[1-4]|H1|9M))?")


def parse_period(text: str) -> ReportPeriod:
    """Parse "2021-Q1" .. "2021-Q4", "2021-H1", "2021-9M" or "2021" (any case, outer spaces).

    Raises ValueError naming the accepted forms for anything else, or a year outside 1990..2100.
    """
    m = _PERIOD.fullmatch(text.strip().upper())
    if m is None:
        raise ValueError(
            f"Invalid report period {text!r}: expected YYYY-Q1, YYYY-Q2, YYYY-Q3, YYYY-Q4, "
            f"YYYY-H1, YYYY-9M or YYYY, with a year from {YEAR_MIN} to {YEAR_MAX}"
        )
    kind = PeriodKind(m[2]) if m[2] else PeriodKind.YEAR
    return ReportPeriod(int(m[1]), kind)


def cutoff_window(period: ReportPeriod) -> tuple[date, date]:
    """Return the period's default cut-off window (the same as ``period.window()``)."""
    return period.window()


def period_containing(d: date, kind: PeriodKind) -> ReportPeriod:
    """Return the period of ``kind`` whose cut-off window contains ``d``.

    Windows run from 15/12 of the previous year, so 20/12/2020 falls in 2021's periods. Quarter
    and year windows cover every day; six- and nine-month windows do not, and a date after
    them (20/07/2021 for H1) raises ValueError.
    """
    year = d.year + 1 if (d.month, d.day) >= (12, _CUTOFF_START_DAY) else d.year
    kind = PeriodKind(kind)
    if kind in _QUARTERS:
        # Each quarter's window ends on the 14th of its last month; later days belong to the next.
        index = next(i for i, q in enumerate(_QUARTERS) if d <= ReportPeriod(year, q).window()[1])
        return ReportPeriod(year, _QUARTERS[index])
    period = ReportPeriod(year, kind)
    start, end = period.window()
    if not start <= d <= end:
        raise ValueError(f"{d.isoformat()} is in no {kind.value} cut-off window")
    return period
