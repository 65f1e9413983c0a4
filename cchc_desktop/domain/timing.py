"""Reading a due date out of a plan's free-text "Thời gian thực hiện" column.

The text itself is always kept and printed as written; this module only derives a due date.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cchc_desktop.domain.text import fold, from_roman

__all__ = [
    "NOT_UNDERSTOOD",
    "TIMING_KIND_LABELS",
    "Timing",
    "TimingKind",
    "due_date_from_timing",
    "interpret_timing",
]


class TimingKind(StrEnum):
    """What a timing text says: a due date, recurring occurrences, ongoing work, a future
    event, or nothing usable (UNKNOWN: a person sets the date)."""

    DATE = "date"
    RECURRING = "recurring"
    ONGOING = "ongoing"
    EVENT = "event"
    UNKNOWN = "unknown"
    EMPTY = "empty"


TIMING_KIND_LABELS = {
    TimingKind.DATE: "hạn một lần",
    TimingKind.RECURRING: "định kỳ",
    TimingKind.ONGOING: "thường xuyên, không có hạn",
    TimingKind.EVENT: "chờ sự kiện, chưa có hạn",
    TimingKind.UNKNOWN: "chưa hiểu thời hạn",
    TimingKind.EMPTY: "không ghi thời gian",
}
NOT_UNDERSTOOD = TIMING_KIND_LABELS[TimingKind.UNKNOWN]


@dataclass(frozen=True)
class Timing:
    """The reading of a timing text.

    ``due_date`` is set for DATE and RECURRING; for RECURRING it is the LATEST occurrence
    (the task is overdue only when that one is), and ``occurrences`` lists every due date.
    """

    kind: TimingKind
    due_date: date | None
    occurrences: tuple[date, ...] = ()

    @property
    def understood(self) -> bool:
        """False when no rule read the text: it needs a date set by a person."""
        return self.kind is not TimingKind.UNKNOWN

    def next_due(self, as_of: date) -> date | None:
        """The occurrence due next on ``as_of`` (the last one once all have passed)."""
        if not self.occurrences:
            return self.due_date
        return next((d for d in self.occurrences if d >= as_of), self.occurrences[-1])

    def describe(self) -> str:
        """How the text was read, in Vietnamese, for the import preview."""
        if self.kind is TimingKind.DATE and self.due_date:
            return f"hạn {self.due_date:%d/%m/%Y}"
        if self.kind is TimingKind.RECURRING:
            dates = ", ".join(f"{d:%d/%m/%Y}" for d in self.occurrences)
            return f"định kỳ: {dates}"
        return TIMING_KIND_LABELS[self.kind]


_EMPTY = Timing(TimingKind.EMPTY, None)
_UNKNOWN = Timing(TimingKind.UNKNOWN, None)
_ONGOING = Timing(TimingKind.ONGOING, None)
_EVENT = Timing(TimingKind.EVENT, None)

Dates = tuple[date, ...]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(m: re.Match[str], year: int) -> int:
    # A year written in the text wins over the plan's year.
    # A year outside 1900-2100 is a typing slip (20215): no date rather than a wrong one.
    written = m.groupdict().get("year")
    if written and not 1900 <= int(written) <= 2100:
        raise ValueError(f"year {written} out of range")
    return int(written) if written else year


def _listed(text: str, item: str) -> list[str]:
    """The items of "3, 6, 9" or "II và III"; a range "01-02" or "I đến III" gives its end."""
    items = re.findall(item, text)
    if re.search(r"-|\bden\b", text):
        return items[-1:]
    return items


def _explicit_date(m: re.Match[str], year: int) -> Dates:
    return (date(_year(m, year), int(m["month"]), int(m["day"])),)


def _month(m: re.Match[str], year: int) -> Dates:
    months = _listed(m["months"], r"\d+")
    return tuple(_month_end(_year(m, year), int(n)) for n in months)


def _months_into_year(m: re.Match[str], year: int) -> Dates:
    month = 12 if m.groupdict().get("part") == "cuoi" else int(m["count"])
    return (_month_end(_year(m, year), month),)


def _quarter(m: re.Match[str], year: int) -> Dates:
    numbers = []
    for q in _listed(m["quarters"], r"iv|iii|ii|i|\d"):
        number = int(q) if q.isdigit() else from_roman(q)
        if number is None:  # unreachable: the pattern admits only i..iv and 1..4
            raise ValueError(q)
        numbers.append(number)
    return tuple(_month_end(_year(m, year), 3 * n) for n in numbers)


def _year_end(m: re.Match[str], year: int) -> Dates:
    return (date(_year(m, year), 12, 31),)


def _year_range(m: re.Match[str], _year_: int) -> Dates:
    return (date(int(m["last"]), 12, 31),)


def _school_year(m: re.Match[str], _year_: int) -> Dates:
    return (date(int(m["last"]), 5, 31),)


# The patterns read folded text (lower case, no diacritics, single spaces).
_YEAR = r"(?:\s*/\s*|\s+nam\s+)(?P<year>\d{4,})(?!\d)"
_LIST = r"\s*(?:,|-|va|den)\s*(?:quy\s*)?"
_QUARTER = r"(?:iv|iii|ii|i|[1-4])(?![a-z0-9])"
_DASH = r"\s*[-\u2013\u2014]\s*"
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], int], Dates]], ...] = tuple(
    (re.compile(pattern, re.ASCII), build)
    for pattern, build in (
        # năm học 2021-2022: the school year ends on 31/05 of its second year
        (rf"\bnam hoc\s+(?P<first>\d{{4}}){_DASH}(?P<last>\d{{4}})(?!\d)", _school_year),
        # giai đoạn 2021-2025, 2021–2025: 31/12 of the last year
        (rf"(?<![\d/.])(?<!nam hoc )(?P<first>\d{{4}}){_DASH}(?P<last>\d{{4}})(?!\d)",
         _year_range),
        # ISO 2022-03-15
        (r"(?<!\d)(?P<year>\d{4,})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)", _explicit_date),
        # 15/3/2022, 15.03.2022, 15-3 năm 2022, trước 15/3; not "tháng 01-02/2022"
        (
            r"(?<![\d\-\u2013])(?<!thang )(?P<day>\d{1,2})\s*[/.\-]\s*(?P<month>\d{1,2})(?!\d)"
            r"(?:(?:\s*[/.\-]\s*|\s+nam\s+)(?P<year>\d{4,})(?!\d))?",
            _explicit_date,
        ),
        # ngày 15 tháng 3 năm 2022
        (
            rf"\bngay\s+(?P<day>\d{{1,2}})\s+thang\s+(?P<month>\d{{1,2}})(?!\d)(?:{_YEAR})?",
            _explicit_date,
        ),
        # tháng 01 hằng năm, tháng 12/2022, tháng 3, 6, 9 (one occurrence each);
        # not "6 tháng 1 lần" (every six months)
        (
            rf"\bthang\s*(?P<months>\d{{1,2}}(?:\s*(?:,|-|va|den)\s*(?:thang\s*)?\d{{1,2}})*)"
            rf"(?!\d)(?!\s*lan\b)(?:{_YEAR})?",
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
        # Quý IV, Quý 2/2022, Quý II, III hằng năm, Quý I, Quý III (one occurrence each)
        (rf"\bquy\s*(?P<quarters>{_QUARTER}(?:{_LIST}{_QUARTER})*)(?:{_YEAR})?", _quarter),
        # Năm 2022, đến năm 2025
        (r"\bnam\s+(?P<year>\d{4,})(?!\d)", _year_end),
    )
)
# Ongoing work even when a year or period follows ("Thường xuyên trong năm 2022"):
# only a date written with its day beats these.
_STRONG_ONGOING = re.compile(
    r"\b(thuong xuyen|lien tuc|hang (ngay|tuan|thang)|moi (ngay|tuan|thang)"
    r"|khi co yeu cau|theo yeu cau|dot xuat)\b"
)
_ONGOING_WORDS = re.compile(
    r"\b(thuong xuyen|dinh ky|dot xuat|khi co yeu cau|theo yeu cau|lien tuc"
    r"|hang (ngay|tuan|thang)|(ngay|tuan|thang|nam)\s*(/|1|mot)\s*lan|lan\s*/)\b"
)
_WHOLE_YEAR = re.compile(r"\b(hang|trong|ca) nam\b")
# Recurring reporting: "Quý, 6 tháng và năm ...", "Định kỳ hằng quý", "1 lần/quý", "6 tháng/lần".
_QUARTERLY = re.compile(
    r"\b(hang|moi) quy\b|\bdinh ky (hang )?quy\b|\bquy\s*(/|1|mot)\s*lan\b"
    r"|\blan\s*/\s*quy\b|\bquy\s*,\s*6 thang\b|\btheo quy\b"
)
_HALF_YEARLY = re.compile(
    r"\b6 thang\s*(/|1|mot)\s*lan\b|\bdinh ky 6 thang\b|\blan\s*/\s*6 thang\b"
    r"|\b(hang|moi) 6 thang\b"
)
_PERIOD_DAY = re.compile(
    r"\btruoc ngay\s+(?P<day>\d{1,2})\s+(cua\s+)?thang cuoi (ky|quy|ky bao cao)\b"
)
_WRITTEN_DAY = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}(?!\d)|\bngay\s+\d{1,2}\s+thang\s+\d")


def _recurring(key: str, year: int) -> Timing | None:
    """Reporting phrases that repeat each quarter or half-year of the plan's year."""
    if _QUARTERLY.search(key):
        months: tuple[int, ...] = (3, 6, 9, 12)
    elif _HALF_YEARLY.search(key):
        months = (6, 12)
    else:
        return None
    day_match = _PERIOD_DAY.search(key)
    try:
        if day_match:
            day = int(day_match["day"])
            dates = tuple(date(year, m, day) for m in months)
        else:
            dates = tuple(_month_end(year, m) for m in months)
    except ValueError:
        return _UNKNOWN
    return Timing(TimingKind.RECURRING, dates[-1], dates)


@functools.lru_cache(maxsize=4096)  # a plan repeats a few timings; a Timing is immutable
def interpret_timing(text: str | None, year: int) -> Timing:
    """Read a timing text for a plan of ``year``; ignores case, diacritics, spacing and NFD.

    - "Sau khi có Quyết định ..." (starting "sau khi", or holding it and no date) → EVENT,
      no due date until the event is recorded.
    - "Thường xuyên", "Thường xuyên trong năm 2022", "Thường xuyên, liên tục", "Hằng tháng",
      "Định kỳ và đột xuất", "Khi có yêu cầu" → ONGOING (never overdue); only a date written
      with its day ("Thường xuyên, báo cáo trước 15/12") beats them.
    - Recurring reporting ("Định kỳ hằng quý", "1 lần/quý", "6 tháng/lần", "Quý, 6 tháng và
      năm trước ngày 12 của tháng cuối kỳ báo cáo") → RECURRING: one occurrence per period
      of the year, due on its last day or on the day named of the period's last month.
    - A list of periods ("Quý II, III hằng năm", "Quý I, Quý III", "tháng 3, 6, 9") →
      RECURRING with one occurrence per period; a range ("tháng 01-02/2022") → its end.
    - A date "15/3/2022", "Trước ngày 15/3" (the plan's year) → that date; an impossible date
      such as 31/02/2022 → UNKNOWN. "Tháng 01 hằng năm", "tháng 12/2022" → the month's last day.
      "Quý II" → 30/06. "6 tháng đầu năm" → 30/06, "9 tháng" → 30/09. "Năm 2022", "đến năm
      2025" → 31/12 of that year; "giai đoạn 2021-2025" → 31/12/2025; "năm học 2021-2022" →
      31/05/2022. A text with several dates takes the last one written.
    - "Hằng năm" / "Hàng năm", "Trong năm", "Cả năm" → 31/12 of ``year``.
    - Empty text → EMPTY; anything else → UNKNOWN (kept verbatim, no date: a person sets it).
    """
    key = fold(text)
    if not key:
        return _EMPTY
    if key.startswith("sau khi"):
        return _EVENT
    if _STRONG_ONGOING.search(key) and not _WRITTEN_DAY.search(key):
        return _ONGOING
    recurring = _recurring(key, year)
    if recurring is not None:
        return recurring
    found = [(m, build) for pattern, build in _PATTERNS for m in pattern.finditer(key)]
    if found:
        # The last date written wins; of two ending together, the longer reading
        # ("tháng 6 năm 2022" over "năm 2022").
        m, build = max(found, key=lambda item: (item[0].end(), -item[0].start()))
        try:
            dates = build(m, year)
        except ValueError:
            return _UNKNOWN
        dates = tuple(sorted(set(dates)))
        if len(dates) > 1:
            return Timing(TimingKind.RECURRING, dates[-1], dates)
        return Timing(TimingKind.DATE, dates[0])
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
