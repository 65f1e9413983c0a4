"""Due dates read out of "Thời gian thực hiện" texts (DOMAIN.md, "Timings as written")."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.domain.timing import Timing, TimingKind, due_date_from_timing, interpret_timing

YEAR = 2021


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # months: the month's last day
        ("Tháng 01 hằng năm", date(2021, 1, 31)),
        ("Tháng 01 hàng năm", date(2021, 1, 31)),
        ("Tháng 1", date(2021, 1, 31)),
        ("tháng 2", date(2021, 2, 28)),
        ("THÁNG 6", date(2021, 6, 30)),
        ("tháng 12/2022", date(2022, 12, 31)),
        ("Tháng 6 năm 2022", date(2022, 6, 30)),
        ("tháng 2/2024", date(2024, 2, 29)),  # leap year of the year written
        ("tháng 01-02/2022", date(2022, 2, 28)),
        # quarters: the quarter's end
        ("Quý I", date(2021, 3, 31)),
        ("Quý II", date(2021, 6, 30)),
        ("Quý III", date(2021, 9, 30)),
        ("Quý IV", date(2021, 12, 31)),
        ("quý iv", date(2021, 12, 31)),
        ("Quý 1", date(2021, 3, 31)),
        ("Quý 2", date(2021, 6, 30)),
        ("Quý 3 hằng năm", date(2021, 9, 30)),
        ("Quý 4", date(2021, 12, 31)),
        ("Quý IV/2022", date(2022, 12, 31)),
        ("Quý I năm 2023", date(2023, 3, 31)),
        # parts of the year
        ("6 tháng đầu năm", date(2021, 6, 30)),
        ("6 tháng đầu năm 2022", date(2022, 6, 30)),
        ("9 tháng", date(2021, 9, 30)),
        ("9 tháng đầu năm", date(2021, 9, 30)),
        ("9 tháng năm 2022", date(2022, 9, 30)),
        ("6 tháng cuối năm", date(2021, 12, 31)),
        # years
        ("Năm 2022", date(2022, 12, 31)),
        ("Trong năm 2022", date(2022, 12, 31)),
        ("Hằng năm", date(2021, 12, 31)),
        ("Hàng năm", date(2021, 12, 31)),
        ("Trong năm", date(2021, 12, 31)),
        ("Cả năm", date(2021, 12, 31)),
        # explicit dates
        ("15/3/2022", date(2022, 3, 15)),
        ("15/03/2022", date(2022, 3, 15)),
        ("15-3-2022", date(2022, 3, 15)),
        ("15.03.2022", date(2022, 3, 15)),
        ("Trước ngày 15/3/2022", date(2022, 3, 15)),
        ("trước 15/3", date(2021, 3, 15)),  # no year: the plan's year
        ("Trước ngày 05/01", date(2021, 1, 5)),
        ("ngày 15 tháng 3 năm 2022", date(2022, 3, 15)),
        ("ngày 6 tháng 9", date(2021, 9, 6)),
        ("2022-03-15", date(2022, 3, 15)),
        ("29/02/2024", date(2024, 2, 29)),
        # several dates: the last one
        ("Từ 01/3/2022 đến 15/4/2022", date(2022, 4, 15)),
        ("Quý I; báo cáo trước 20/6", date(2021, 6, 20)),
        ("15/3 và tháng 11", date(2021, 11, 30)),
        # a date beats an ongoing word
        ("Thường xuyên, báo cáo trước 15/12", date(2021, 12, 15)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert interpret_timing(text, YEAR) == Timing(TimingKind.DATE, expected)
    assert due_date_from_timing(text, YEAR) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Thường xuyên",
        "Thường xuyên trong năm",
        "thuong xuyen",
        "Định kỳ và đột xuất",
        "Định kỳ",
        "Đột xuất",
        "Khi có yêu cầu",
        "Theo yêu cầu của UBND tỉnh",
        "Hàng tháng",
        "Trước ngày 10 hằng tháng",
        "Thường xuyên trong năm 2022",
        "Thường xuyên, liên tục",
        "Hằng tháng",
        "Thường xuyên trong năm",
        "Thường xuyên, giai đoạn 2021-2025",
        "Hàng tháng, Quý IV tổng hợp",
    ],
)
def test_ongoing(text: str) -> None:
    assert interpret_timing(text, YEAR) == Timing(TimingKind.ONGOING, None)


@pytest.mark.parametrize(
    "text",
    [
        "Sau khi có Quyết định UBND tỉnh",
        "sau khi có văn bản hướng dẫn",
        "SAU KHI được phê duyệt",
        "Sau khi có Quyết định năm 2022",  # starting "sau khi" wins over a year in the text
        "Ngay sau khi có hướng dẫn",
    ],
)
def test_event(text: str) -> None:
    assert interpret_timing(text, YEAR) == Timing(TimingKind.EVENT, None)


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t"])
def test_empty(text: str | None) -> None:
    assert interpret_timing(text, YEAR) == Timing(TimingKind.EMPTY, None)


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2022",  # impossible date: no crash
        "30/2",
        "Trước ngày 32/1/2022",
        "tháng 13",
        "Quý 5",
        "Theo tiến độ",
        "Năm",
        "abc",
        "Kế hoạch 36/KH-UBND",
        "15/3/0000",
    ],
)
def test_unknown(text: str) -> None:
    assert interpret_timing(text, YEAR) == Timing(TimingKind.UNKNOWN, None)
    assert due_date_from_timing(text, YEAR) is None


@pytest.mark.parametrize(
    "text",
    ["Tháng 01 hằng năm", "Quý II, III hằng năm", "Trước ngày 15/3/2022", "Thường xuyên"],
)
def test_nfd_input_reads_like_nfc(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert interpret_timing(nfd, YEAR) == interpret_timing(text, YEAR)


@pytest.mark.parametrize(
    "text",
    ["  Tháng   01\thằng năm ", "THÁNG 01 HẰNG NĂM", "thang 01 hang nam", "Tháng 01 hằng năm."],
)
def test_case_space_and_diacritics_do_not_matter(text: str) -> None:
    assert due_date_from_timing(text, YEAR) == date(2021, 1, 31)


def test_the_plan_year_is_used_when_none_is_written() -> None:
    assert due_date_from_timing("Quý IV", 2030) == date(2030, 12, 31)
    assert due_date_from_timing("Quý IV năm 2022", 2030) == date(2022, 12, 31)


_DATED = (TimingKind.DATE, TimingKind.RECURRING)


def _check_occurrences(timing: Timing) -> None:
    """A recurring timing's due date is its latest occurrence; others have none."""
    if timing.kind is TimingKind.RECURRING:
        assert len(timing.occurrences) >= 2
        assert timing.due_date == max(timing.occurrences)
        assert list(timing.occurrences) == sorted(timing.occurrences)
    else:
        assert timing.occurrences == ()


@given(st.text(max_size=60), st.integers(min_value=1, max_value=9999))
def test_any_text_gives_a_consistent_timing(text: str, year: int) -> None:
    timing = interpret_timing(text, year)
    assert isinstance(timing.kind, TimingKind)
    assert (timing.kind in _DATED) == (timing.due_date is not None)
    _check_occurrences(timing)
    assert due_date_from_timing(text, year) == timing.due_date


_pieces = st.sampled_from(
    ["tháng", "quý", "năm", "ngày", "hằng", "trước", "/", "-", ".", ",", " ", "I", "IV", "và"]
)


@given(st.lists(_pieces | st.integers(0, 2100).map(str), max_size=10), st.integers(1990, 2100))
def test_timing_like_text_never_crashes(parts: list[str], year: int) -> None:
    timing = interpret_timing(" ".join(parts), year)
    assert (timing.kind in _DATED) == (timing.due_date is not None)
    _check_occurrences(timing)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.integers(1990, 2100))
def test_any_written_date_is_read_back(d: date, year: int) -> None:
    text = f"Trước ngày {d.day}/{d.month}/{d.year}"
    assert due_date_from_timing(text, year) == d


@given(st.integers(1000, 1899) | st.integers(2101, 99999), st.integers(1990, 2100))
def test_a_year_outside_1900_2100_gives_no_date_never_the_plan_year(written: int, year: int) -> None:
    # "15/3/20215" once lost its fifth digit's meaning and became 15/3 of the plan's year.
    for text in (f"Trước ngày 15/3/{written}", f"Quý II/{written}", f"Tháng 12 năm {written}"):
        assert interpret_timing(text, year).due_date is None, text


# --------------------------------------------------------------------------- DOMAIN.md's extended rules


@pytest.mark.parametrize(
    ("text", "occurrences"),
    [
        ("Quý II, III hằng năm", [date(2021, 6, 30), date(2021, 9, 30)]),
        ("Quý I, Quý III", [date(2021, 3, 31), date(2021, 9, 30)]),
        ("Quý I, II, III, IV", [date(2021, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]),
        ("Quý I và quý II", [date(2021, 3, 31), date(2021, 6, 30)]),
        ("Tháng 3, 6, 9, 12", [date(2021, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]),
        ("Định kỳ hằng quý", [date(2021, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]),
        ("Hằng quý", [date(2021, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]),
        ("1 lần/quý", [date(2021, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]),
        ("6 tháng/lần", [date(2021, 6, 30), date(2021, 12, 31)]),
        ("Định kỳ 6 tháng/lần", [date(2021, 6, 30), date(2021, 12, 31)]),
        ("6 tháng 1 lần", [date(2021, 6, 30), date(2021, 12, 31)]),
        (
            "Quý, 6 tháng và năm trước ngày 12 của tháng cuối kỳ báo cáo",
            [date(2021, 3, 12), date(2021, 6, 12), date(2021, 9, 12), date(2021, 12, 12)],
        ),
    ],
)
def test_recurring(text: str, occurrences: list[date]) -> None:
    timing = interpret_timing(text, YEAR)
    assert timing.kind is TimingKind.RECURRING
    assert list(timing.occurrences) == occurrences
    # Overdue only when the latest occurrence is: the task's due date is the last one.
    assert timing.due_date == occurrences[-1]
    assert due_date_from_timing(text, YEAR) == occurrences[-1]


def test_next_occurrence_is_the_one_due_next() -> None:
    timing = interpret_timing("Quý, 6 tháng và năm trước ngày 12 của tháng cuối kỳ báo cáo", 2022)
    assert timing.next_due(date(2022, 1, 5)) == date(2022, 3, 12)
    assert timing.next_due(date(2022, 3, 12)) == date(2022, 3, 12)
    assert timing.next_due(date(2022, 3, 13)) == date(2022, 6, 12)
    assert timing.next_due(date(2023, 1, 1)) == date(2022, 12, 12)
    assert "12/06/2022" in timing.describe()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("giai đoạn 2021–2025", date(2025, 12, 31)),
        ("Giai đoạn 2021-2025", date(2025, 12, 31)),
        ("2021 - 2025", date(2025, 12, 31)),
        ("đến năm 2025", date(2025, 12, 31)),
        ("Đến năm 2030", date(2030, 12, 31)),
        ("năm học 2021–2022", date(2022, 5, 31)),
        ("Năm học 2021-2022", date(2022, 5, 31)),
        ("Trong năm học 2022 - 2023", date(2023, 5, 31)),
    ],
)
def test_ranges_and_school_years(text: str, expected: date) -> None:
    assert interpret_timing(text, YEAR) == Timing(TimingKind.DATE, expected)


def test_unknown_is_flagged_not_guessed() -> None:
    timing = interpret_timing("Theo tiến độ của Bộ", YEAR)
    assert not timing.understood
    assert timing.describe() == "chưa hiểu thời hạn"
    assert interpret_timing("Quý IV", YEAR).understood


# Every distinct timing written in ../shared/samples (002's appendix, 004's items and its report
# deadline rule), with what it must mean for the plan's year 2022.
SAMPLE_TIMINGS: list[tuple[str, TimingKind, date | None]] = [
    ("Tháng 01 hằng năm", TimingKind.DATE, date(2022, 1, 31)),
    ("Thường xuyên", TimingKind.ONGOING, None),
    ("Định kỳ và đột xuất", TimingKind.ONGOING, None),
    ("Năm 2022", TimingKind.DATE, date(2022, 12, 31)),
    ("Quý II, III hằng năm", TimingKind.RECURRING, date(2022, 9, 30)),
    ("Thường xuyên trong năm", TimingKind.ONGOING, None),
    ("Hàng năm", TimingKind.DATE, date(2022, 12, 31)),
    ("Sau khi có Quyết định UBND tỉnh", TimingKind.EVENT, None),
    ("Thường xuyên trong năm 2022", TimingKind.ONGOING, None),
    ("Quý IV", TimingKind.DATE, date(2022, 12, 31)),
    ("", TimingKind.EMPTY, None),
    ("Trong năm 2022", TimingKind.DATE, date(2022, 12, 31)),
    ("Quý, 6 tháng và năm trước ngày 12 của tháng cuối kỳ báo cáo", TimingKind.RECURRING,
     date(2022, 12, 12)),
    ("Thường xuyên, liên tục", TimingKind.ONGOING, None),
    ("Hằng tháng", TimingKind.ONGOING, None),
    ("Định kỳ hằng quý", TimingKind.RECURRING, date(2022, 12, 31)),
    ("giai đoạn 2021-2025", TimingKind.DATE, date(2025, 12, 31)),
    ("năm học 2021-2022", TimingKind.DATE, date(2022, 5, 31)),
]


@pytest.mark.parametrize(("text", "kind", "due"), SAMPLE_TIMINGS)
def test_every_timing_of_the_samples(text: str, kind: TimingKind, due: date | None) -> None:
    timing = interpret_timing(text, 2022)
    assert (timing.kind, timing.due_date) == (kind, due)


_ONGOING_LEAD = st.sampled_from(["Thường xuyên", "Thường xuyên, liên tục", "Hằng tháng",
                                 "Hàng tháng", "thường xuyên"])
_PERIOD_TAIL = st.sampled_from(["", " trong năm", " trong năm {y}", " năm {y}", ", quý IV",
                                " giai đoạn {y}-{z}", " 6 tháng đầu năm", " đến năm {z}"])


@given(_ONGOING_LEAD, _PERIOD_TAIL, st.integers(1990, 2090), st.integers(1990, 2100))
def test_ongoing_with_a_year_or_period_never_gets_a_deadline(
    lead: str, tail: str, written: int, year: int
) -> None:
    text = lead + tail.format(y=written, z=written + 4)
    timing = interpret_timing(text, year)
    assert timing.kind is TimingKind.ONGOING
    assert timing.due_date is None


@given(st.lists(st.sampled_from(["I", "II", "III", "IV"]), min_size=2, max_size=4, unique=True),
       st.sampled_from([", ", " và ", ", Quý ", " và quý "]), st.integers(1990, 2100))
def test_a_list_of_quarters_gives_one_occurrence_each(
    quarters: list[str], joiner: str, year: int
) -> None:
    text = "Quý " + joiner.join(quarters) + " hằng năm"
    timing = interpret_timing(text, year)
    ends = {"I": (3, 31), "II": (6, 30), "III": (9, 30), "IV": (12, 31)}
    expected = sorted(date(year, *ends[q]) for q in quarters)
    assert timing.kind is TimingKind.RECURRING
    assert list(timing.occurrences) == expected
    assert timing.due_date == expected[-1]


@given(st.integers(1990, 2095), st.integers(1, 10), st.sampled_from(["-", "–", " - ", " – "]))
def test_ranges_end_on_31_12_and_school_years_on_31_05(first: int, span: int, dash: str) -> None:
    assert due_date_from_timing(f"giai đoạn {first}{dash}{first + span}", 2000) == date(
        first + span, 12, 31)
    assert due_date_from_timing(f"năm học {first}{dash}{first + 1}", 2000) == date(
        first + 1, 5, 31)
