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
        ("Tháng 3, 6, 9, 12", date(2021, 12, 31)),  # the last month listed
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
        ("Quý II, III hằng năm", date(2021, 9, 30)),  # design choice: the last quarter listed
        ("Quý I, II, III, IV", date(2021, 12, 31)),
        ("Quý I và quý II", date(2021, 6, 30)),
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
        "Hằng quý",
        "Hàng tháng",
        "Trước ngày 10 hằng tháng",
        "6 tháng/lần",  # every six months, not "the first six months"
        "Định kỳ 6 tháng/lần",
        "6 tháng 1 lần",
        "1 lần/quý",
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


@given(st.text(max_size=60), st.integers(min_value=1, max_value=9999))
def test_any_text_gives_a_consistent_timing(text: str, year: int) -> None:
    timing = interpret_timing(text, year)
    assert isinstance(timing.kind, TimingKind)
    assert (timing.kind is TimingKind.DATE) == (timing.due_date is not None)
    assert due_date_from_timing(text, year) == timing.due_date


_pieces = st.sampled_from(
    ["tháng", "quý", "năm", "ngày", "hằng", "trước", "/", "-", ".", ",", " ", "I", "IV", "và"]
)


@given(st.lists(_pieces | st.integers(0, 2100).map(str), max_size=10), st.integers(1990, 2100))
def test_timing_like_text_never_crashes(parts: list[str], year: int) -> None:
    timing = interpret_timing(" ".join(parts), year)
    assert (timing.kind is TimingKind.DATE) == (timing.due_date is not None)


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
