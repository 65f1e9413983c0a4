"""Reading a due date out of a plan's free-text "Thời gian thực hiện" column.

The text itself is always kept and printed as written; this module only derives a due date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cchc_desktop.domain.text import fold, from_roman

__all__ = ["Timing", "TimingKind", "due_date_from_timing", "interpret_timing"]


class TimingKind(StrEnum):
    """What a timing text says: a due date, ongoing work, a future event, or nothing usable."""

    DATE = "date"
    ONGOING = "ongoing"
    EVENT = "event"
    UNKNOWN = "unknown"
    EMPTY = "empty"


@dataclass(frozen=True)
class Timing:
    """The reading of a timing text; ``due_date`` is set only when ``kind`` is DATE."""

    kind: TimingKind
    due_date: date | None


_EMPTY = Timing(TimingKind.EMPTY, None)
_UNKNOWN = Timing(TimingKind.UNKNOWN, None)
_ONGOING = Timing(TimingKind.ONGOING, None)
_EVENT = Timing(TimingKind.EVENT, None)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(m: re.Match[str], year: int) -> int:
    # A year written in the text wins over the plan's year.
    # A year outside 1900-2100 is a typing slip (20215): no date rather than a wrong one.
    written = m.groupdict().get("year")
    if written and not 1900 <= int(written) <= 2100:
        raise ValueError(f"year {written} out of range")
    return int(written) if written else year


def _explicit_date(m: re.Match[str], year: int) -> date:
    return date(_year(m, year), int(m["month"]), int(m["day"]))


def _month(m: re.Match[str], year: int) -> date:
    return _month_end(_year(m, year), int(re.findall(r"\d+", m["months"])[-1]))


def _months_into_year(m: re.Match[str], year: int) -> date:
    month = 12 if m.groupdict().get("part") == "cuoi" else int(m["count"])
    return _month_end(_year(m, year), month)


def _quarter(m: re.Match[str], year: int) -> date:
    last = re.findall(r"[iv]+|\d", m["quarters"])[-1]
    number = int(last) if last.isdigit() else from_roman(last)
    if number is None:  # unreachable: the pattern admits only i..iv and 1..4
        raise ValueError(last)
    return _month_end(_year(m, year), 3 * number)


def _year_end(m: re.Match[str], year: int) -> date:
    return date(_year(m, year), 12, 31)


# The patterns read folded text (lower case, no diacritics, single spaces).
_YEAR = r"(?:\s*/\s*|\s+nam\s+)(?P<year>\d{4,})(?!\d)"
_LIST = r"\s*(?:,|-|va|den)\s*"
_QUARTER = r"(?:iv|iii|ii|i|[1-4])(?![a-z0-9])"
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], int], date]], ...] = tuple(
    (re.compile(pattern, re.ASCII), build)
    for pattern, build in (
        # ISO 2022-03-15
        (r"(?<!\d)(?P<year>\d{4,})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)", _explicit_date),
        # 15/3/2022, 15.03.2022, 15-3 năm 2022, trước 15/3; not "tháng 01-02/2022"
        (
            r"(?<!\d)(?<!thang )(?P<day>\d{1,2})\s*[/.\-]\s*(?P<month>\d{1,2})(?!\d)"
            r"(?:(?:\s*[/.\-]\s*|\s+nam\s+)(?P<year>\d{4,})(?!\d))?",
            _explicit_date,
        ),
        # ngày 15 tháng 3 năm 2022
        (
            rf"\bngay\s+(?P<day>\d{{1,2}})\s+thang\s+(?P<month>\d{{1,2}})(?!\d)(?:{_YEAR})?",
            _explicit_date,
        ),
        # tháng 01 hằng năm, tháng 12/2022, tháng 3, 6, 9 (the last month listed);
        # not "6 tháng 1 lần" (every six months)
        (
            rf"\bthang\s*(?P<months>\d{{1,2}}(?:{_LIST}\d{{1,2}})*)(?!\d)(?!\s*lan\b)(?:{_YEAR})?",
            _month,
        ),
        # 6 tháng đầu năm 2022, 6 tháng cuối năm
        (
            r"(?<![\d/.\-])(?P<count>\d{1,2})\s+thang\s+(?P<part>dau|cuoi)\s+nam"
            r"(?:\s+(?P<year>\d{4,})(?!\d))?",
            _months_into_year,
        ),
        # 6 tháng, 9 tháng năm 2022; not "6 tháng/lần" (every six months)
        (
            rf"(?<![\d/.\-])(?P<count>6|9)\s+thang(?!\s*\d)(?!\s*(?:/|1|mot)\s*lan)(?:{_YEAR})?",
            _months_into_year,
        ),
        # Quý IV, Quý 2/2022, Quý II, III hằng năm (the last quarter listed)
        (rf"\bquy\s*(?P<quarters>{_QUARTER}(?:{_LIST}{_QUARTER})*)(?:{_YEAR})?", _quarter),
        # Năm 2022
        (r"\bnam\s+(?P<year>\d{4,})(?!\d)", _year_end),
    )
)
_ONGOING_WORDS = re.compile(
    r"\b(thuong xuyen|dinh ky|dot xuat|khi co yeu cau|theo yeu cau|lien tuc"
    r"|hang (ngay|tuan|thang|quy)|(ngay|tuan|thang|quy|nam)\s*(/|1|mot)\s*lan|lan\s*/)\b"
)
_WHOLE_YEAR = re.compile(r"\b(hang|trong|ca) nam\b")


def interpret_timing(text: str | None, year: int) -> Timing:
    """Read a timing text for a plan of ``year``; ignores case, diacritics, spacing and NFD.

    - "Sau khi có Quyết định ..." (starting "sau khi", or holding it and no date) → EVENT,
      no due date until the event is recorded.
    - A date "15/3/2022", "Trước ngày 15/3" (the plan's year) → that date; an impossible date
      such as 31/02/2022 → UNKNOWN. "Tháng 01 hằng năm", "tháng 12/2022" → the month's last day.
      "Quý II" → 30/06. "6 tháng đầu năm" → 30/06, "9 tháng" → 30/09. "Năm 2022" → 31/12/2022.
    - Design choice: a list ("Quý II, III hằng năm", "tháng 3, 6, 9") gives one task due at the
      end of the LAST item, and a text with several dates takes the last one written.
    - "Thường xuyên", "Định kỳ và đột xuất", "Khi có yêu cầu", "6 tháng/lần" ... → ONGOING.
    - "Hằng năm" / "Hàng năm", "Trong năm", "Cả năm" → 31/12 of ``year``.
    - Empty text → EMPTY; anything else → UNKNOWN.
    """
    key = fold(text)
    if not key:
        return _EMPTY
    if key.startswith("sau khi"):
        return _EVENT
    found = [(m, build) for pattern, build in _PATTERNS for m in pattern.finditer(key)]
    if found:
        # The last date written wins; of two ending together, the longer reading
        # ("tháng 6 năm 2022" over "năm 2022").
        m, build = max(found, key=lambda item: (item[0].end(), -item[0].start()))
        try:
            return Timing(TimingKind.DATE, build(m, year))
        except ValueError:
            return _UNKNOWN
    if _ONGOING_WORDS.search(key):
        return _ONGOING
    if "sau khi" in key:
        return _EVENT
    if _WHOLE_YEAR.search(key):
        try:
            return Timing(TimingKind.DATE, date(year, 12, 31))
        except ValueError:
            return _UNKNOWN
    return _UNKNOWN


def due_date_from_timing(text: str | None, year: int) -> date | None:
    """Return the due date a timing text implies for a plan of ``year``, or None."""
    return interpret_timing(text, year).due_date
