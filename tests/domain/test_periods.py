"""Reporting periods and cut-off windows (Nghị định 09/2019/NĐ-CP, Điều 12)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.domain.periods import (
    PeriodKind,
    ReportPeriod,
    cutoff_window,
    parse_period,
    period_containing,
)

years = st.integers(min_value=1990, max_value=2100)
kinds = st.sampled_from(list(PeriodKind))


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        (PeriodKind.Q1, date(2020, 12, 15), date(2021, 3, 14)),  # crosses the year
        (PeriodKind.Q2, date(2021, 3, 15), date(2021, 6, 14)),
        (PeriodKind.Q3, date(2021, 6, 15), date(2021, 9, 14)),
        (PeriodKind.Q4, date(2021, 9, 15), date(2021, 12, 14)),
        (PeriodKind.H1, date(2020, 12, 15), date(2021, 6, 14)),
        (PeriodKind.M9, date(2020, 12, 15), date(2021, 9, 14)),
        (PeriodKind.YEAR, date(2020, 12, 15), date(2021, 12, 14)),
    ],
)
def test_windows(kind: PeriodKind, start: date, end: date) -> None:
    period = ReportPeriod(2021, kind)
    assert period.window() == (start, end)
    assert cutoff_window(period) == (start, end)


@pytest.mark.parametrize(
    ("kind", "code", "label", "title", "deadline", "calendar"),
    [
        (PeriodKind.Q1, "2021-Q1", "quý I năm 2021", "Quý I năm 2021", (3, 20), (1, 1, 3, 31)),
        (PeriodKind.Q2, "2021-Q2", "quý II năm 2021", "Quý II năm 2021", (6, 20), (4, 1, 6, 30)),
        (PeriodKind.Q3, "2021-Q3", "quý III năm 2021", "Quý III năm 2021", (9, 20), (7, 1, 9, 30)),
        (PeriodKind.Q4, "2021-Q4", "quý IV năm 2021", "Quý IV năm 2021", (12, 20), (10, 1, 12, 31)),
        (
            PeriodKind.H1,
            "2021-H1",
            "6 tháng đầu năm 2021",
            "6 tháng đầu năm 2021",
            (6, 20),
            (1, 1, 6, 30),
        ),
        (
            PeriodKind.M9,
            "2021-9M",
            "9 tháng đầu năm 2021",
            "9 tháng đầu năm 2021",
            (9, 20),
            (1, 1, 9, 30),
        ),
        (PeriodKind.YEAR, "2021", "năm 2021", "Năm 2021", (12, 20), (1, 1, 12, 31)),
    ],
)
def test_names_deadlines_and_calendar(
    kind: PeriodKind,
    code: str,
    label: str,
    title: str,
    deadline: tuple[int, int],
    calendar: tuple[int, int, int, int],
) -> None:
    period = ReportPeriod(2021, kind)
    assert period.code == code
    assert str(period) == code
    assert period.label_vi == label
    assert period.title_vi == title
    assert period.report_deadline() == date(2021, *deadline)
    m1, d1, m2, d2 = calendar
    assert period.calendar_range() == (date(2021, m1, d1), date(2021, m2, d2))


def test_kind_values() -> None:
    assert [k.value for k in PeriodKind] == ["Q1", "Q2", "Q3", "Q4", "H1", "9M", "Y"]


def test_kind_given_as_plain_text_is_converted() -> None:
    period = ReportPeriod(2021, "9M")  # type: ignore[arg-type]
    assert period.kind is PeriodKind.M9
    assert period == ReportPeriod(2021, PeriodKind.M9)


@pytest.mark.parametrize("year", [1989, 2101, 0])
def test_year_out_of_range_is_refused(year: int) -> None:
    with pytest.raises(ValueError, match="1990..2100"):
        ReportPeriod(year, PeriodKind.Q1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-Q1", ReportPeriod(2021, PeriodKind.Q1)),
        ("2021-Q2", ReportPeriod(2021, PeriodKind.Q2)),
        ("2021-Q3", ReportPeriod(2021, PeriodKind.Q3)),
        ("2021-Q4", ReportPeriod(2021, PeriodKind.Q4)),
        ("2021-H1", ReportPeriod(2021, PeriodKind.H1)),
        ("2021-9M", ReportPeriod(2021, PeriodKind.M9)),
        ("2021", ReportPeriod(2021, PeriodKind.YEAR)),
        ("2021-q1", ReportPeriod(2021, PeriodKind.Q1)),
        ("2021-h1", ReportPeriod(2021, PeriodKind.H1)),
        ("2021-9m", ReportPeriod(2021, PeriodKind.M9)),
        ("  2022-Q4 \n", ReportPeriod(2022, PeriodKind.Q4)),
        ("1990", ReportPeriod(1990, PeriodKind.YEAR)),
        ("2100-Q4", ReportPeriod(2100, PeriodKind.Q4)),
    ],
)
def test_parse_period(text: str, expected: ReportPeriod) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "21", "2021-Q5", "2021-Q0", "2021-H2", "2021-6M", "Q1-2021", "2021Q1", "2021-Y", "abc"],
)
def test_parse_period_errors_name_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"YYYY-Q1.*YYYY-H1, YYYY-9M or YYYY"):
        parse_period(text)


@pytest.mark.parametrize("text", ["1989", "2101-Q1", "0000"])
def test_parse_period_refuses_years_out_of_range(text: str) -> None:
    with pytest.raises(ValueError, match="1990"):
        parse_period(text)


@pytest.mark.parametrize(
    ("d", "kind", "expected"),
    [
        (date(2020, 12, 14), PeriodKind.Q1, "2020-Q4"),  # 14th: last day of Q4 2020
        (date(2020, 12, 15), PeriodKind.Q1, "2021-Q1"),  # 15th: first day of Q1 2021
        (date(2021, 1, 1), PeriodKind.Q1, "2021-Q1"),
        (date(2021, 3, 14), PeriodKind.Q1, "2021-Q1"),
        (date(2021, 3, 15), PeriodKind.Q1, "2021-Q2"),
        (date(2021, 6, 14), PeriodKind.Q3, "2021-Q2"),  # any quarter kind asks "which quarter"
        (date(2021, 6, 15), PeriodKind.Q2, "2021-Q3"),
        (date(2021, 9, 15), PeriodKind.Q1, "2021-Q4"),
        (date(2021, 12, 14), PeriodKind.Q4, "2021-Q4"),
        (date(2021, 6, 14), PeriodKind.H1, "2021-H1"),
        (date(2020, 12, 15), PeriodKind.H1, "2021-H1"),
        (date(2021, 9, 14), PeriodKind.M9, "2021-9M"),
        (date(2021, 12, 14), PeriodKind.YEAR, "2021"),
        (date(2021, 12, 15), PeriodKind.YEAR, "2022"),
    ],
)
def test_period_containing(d: date, kind: PeriodKind, expected: str) -> None:
    assert period_containing(d, kind) == parse_period(expected)


@pytest.mark.parametrize(
    ("d", "kind"),
    [(date(2021, 6, 15), PeriodKind.H1), (date(2021, 12, 14), PeriodKind.M9)],
)
def test_period_containing_outside_a_cumulative_window(d: date, kind: PeriodKind) -> None:
    with pytest.raises(ValueError, match="no"):
        period_containing(d, kind)


@given(years, kinds)
def test_window_rules_hold_for_every_period(year: int, kind: PeriodKind) -> None:
    period = ReportPeriod(year, kind)
    start, end = period.window()
    first, last = period.calendar_range()
    assert start.day == 15 and end.day == 14
    assert start < first and end < last
    assert end.month == last.month
    assert start == (first - timedelta(days=1)).replace(day=15)
    assert period.report_deadline() == last.replace(day=20)
    assert parse_period(period.code) == period


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 9, 14)))
def test_quarter_windows_partition_the_year(d: date) -> None:
    period = period_containing(d, PeriodKind.Q1)
    start, end = period.window()
    assert start <= d <= end
    assert period_containing(end + timedelta(days=1), PeriodKind.Q1) != period
