"""The eight areas of CCHC work, in the official order, and recognising them in titles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc_desktop.domain.text import fold

__all__ = [
    "NO_AREA",
    "REFORM_AREAS",
    "UNCLASSIFIED",
    "ReformArea",
    "area_from_text",
    "area_label",
    "area_name",
    "suggest_area",
]


@dataclass(frozen=True)
class ReformArea:
    """One area: its official number (1..8), full name and short name for narrow columns."""

    code: int
    name: str
    short: str


REFORM_AREAS: tuple[ReformArea, ...] = (
    ReformArea(1, "Công tác chỉ đạo, điều hành CCHC", "Chỉ đạo, điều hành"),
    ReformArea(2, "Cải cách thể chế", "Thể chế"),
    ReformArea(3, "Cải cách thủ tục hành chính", "TTHC"),
    ReformArea(4, "Cải cách tổ chức bộ máy hành chính nhà nước", "Tổ chức bộ máy"),
    ReformArea(5, "Cải cách chế độ công vụ", "Công vụ"),
    ReformArea(6, "Cải cách tài chính công", "Tài chính công"),
    ReformArea(7, "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "Chính quyền số"),
    ReformArea(8, "Tác động của CCHC", "Tác động"),
)

UNCLASSIFIED = "Chưa phân loại"
# A group or task that belongs to no area (a propaganda plan's "Hình thức tuyên truyền").
NO_AREA = "Không thuộc lĩnh vực nào"

_BY_CODE = {area.code: area for area in REFORM_AREAS}

# Keywords on folded text, as group rows of real plans and reports phrase each area.
_KEYWORDS: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        (1, r"\bchi dao\b|\bdieu hanh (ve )?(cchc|cai cach)"),
        (2, r"\bthe che\b"),
        (3, r"\btthc\b|\bthu tuc hanh chinh\b|\bmot cua\b"),
        (4, r"\bbo may\b"),
        (5, r"\bcong vu\b|\bcong chuc\b"),
        (6, r"\btai chinh\b"),
        (
            7,
            r"\bchinh (quyen|phu) (dien tu|so)\b|\bhien dai hoa\b|\bchuyen doi so\b"
            r"|\bcong nghe thong tin\b",
        ),
        # The index a survey measures: satisfaction (SIPAS), governance (PAPI).
        (
            8,
            r"\btac dong\b|\bhai long\b|\bsipas\b|\bpapi\b"
            r"|\bquan tri va hanh chinh cong\b|\bhieu qua quan tri\b",
        ),
    )
)


def area_name(code: int | None) -> str:
    """Return the full name of area ``code``, or "Chưa phân loại" for None or an unknown code."""
    area = _BY_CODE.get(code) if code is not None else None
    return area.name if area else UNCLASSIFIED


def area_from_text(text: str) -> int | None:
    """Return the area a group-row title names ("Cải cách TTHC" → 3), or None.

    Matching ignores case, diacritics and numbering ("II. CẢI CÁCH THỂ CHẾ"). When a title names
    several areas, the one named first wins: a title leads with its subject.
    """
    key = fold(text)
    found = [(m.start(), code) for code, pattern in _KEYWORDS if (m := pattern.search(key))]
    return min(found)[1] if found else None


def suggest_area(title: str) -> int | None:
    """The area a plan's group title suggests, or None ("không thuộc lĩnh vực nào").

    Only the title's words count, never its numbering: a propaganda plan's "II. Nội dung
    tuyên truyền" is not area II. The suggestion is shown to the user, who may change it.
    """
    return area_from_text(title)


def area_label(code: int | None) -> str:
    """A group's or task's area for a preview or a list: "3. Cải cách thủ tục hành chính",
    or "Không thuộc lĩnh vực nào"."""
    area = _BY_CODE.get(code) if code is not None else None
    return f"{area.code}. {area.name}" if area else NO_AREA
