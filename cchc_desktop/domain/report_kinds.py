"""The kinds of periodic report and the outline each prints, section by section.

Three kinds: the general CCHC report (the Bộ Nội vụ's outline: the eight areas, the tasks a
higher level assigned, shortcomings, next period), the propaganda report (as sample 000) and
the report on the index-improvement plan (as sample 002, per area "Về ..."). An outline is a
sequence of fixed headings and editable sections; the text of a section is drafted from the
period's data and may be rewritten by the secretariat.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cchc_desktop.domain.areas import REFORM_AREAS

__all__ = [
    "KIND_LABELS",
    "KIND_SUBJECTS",
    "NEUTRAL_SENTENCE",
    "OutlineHeading",
    "OutlineSection",
    "ReportKind",
    "narrative_key",
    "outline",
    "parse_report_kind",
    "section_keys",
    "sections",
]

# What a section with neither data nor text says: true, and no instruction to anyone.
NEUTRAL_SENTENCE = "Trong kỳ báo cáo, không có nội dung phát sinh."


class ReportKind(StrEnum):
    """The report kinds; the value is the CLI's ``--kind``."""

    GENERAL = "general"
    PROPAGANDA = "propaganda"
    INDEX = "index"


KIND_LABELS: dict[ReportKind, str] = {
    ReportKind.GENERAL: "Báo cáo CCHC định kỳ",
    ReportKind.PROPAGANDA: "Báo cáo công tác tuyên truyền CCHC",
    ReportKind.INDEX: "Báo cáo thực hiện Kế hoạch cải thiện các chỉ số",
}

# The subject of each kind, inside the trích yếu and the closing sentence.
KIND_SUBJECTS: dict[ReportKind, str] = {
    ReportKind.GENERAL: "công tác cải cách hành chính",
    ReportKind.PROPAGANDA: "công tác tuyên truyền cải cách hành chính",
    ReportKind.INDEX: ("Kế hoạch cải thiện Chỉ số cải cách hành chính, Chỉ số Hiệu quả Quản trị "
                       "và Hành chính công và Chỉ số hài lòng"),
}


@dataclass(frozen=True)
class OutlineHeading:
    """A fixed heading: ``level`` 1 "I. ..." (bold capitals), 2 "1. ..." (bold), 3 "a. ..."."""

    text: str
    level: int


@dataclass(frozen=True)
class OutlineSection:
    """An editable section: its key, the label the Báo cáo tab lists, and its own heading.

    ``heading`` may be "" (the introduction prints no heading) and may hold "{next}", the
    next period in a sentence ("6 tháng cuối năm 2021").
    """

    key: str
    label: str
    heading: str = ""
    level: int = 2


OutlineItem = OutlineHeading | OutlineSection


def _general() -> tuple[OutlineItem, ...]:
    areas = tuple(OutlineSection(f"area{a.code}", f"{a.code}. {a.name}", f"{a.code}. {a.name}")
                  for a in REFORM_AREAS)
    return (
        OutlineSection("intro", "Mở đầu (căn cứ)"),
        OutlineHeading("I. Kết quả thực hiện công tác cải cách hành chính", 1),
        *areas,
        OutlineSection("assigned", "Nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao",
                       "II. Kết quả thực hiện nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao", 1),
        OutlineSection("assessment", "Tồn tại, hạn chế và nguyên nhân",
                       "III. Tồn tại, hạn chế và nguyên nhân", 1),
        OutlineSection("next", "Phương hướng, nhiệm vụ kỳ tới",
                       "IV. Phương hướng, nhiệm vụ trọng tâm {next}", 1),
    )


def _propaganda() -> tuple[OutlineItem, ...]:
    return (
        OutlineSection("intro", "Mở đầu (căn cứ)"),
        OutlineHeading("I. Kết quả thực hiện", 1),
        OutlineSection("deploy", "1. Công tác triển khai", "1. Công tác triển khai"),
        OutlineHeading("2. Kết quả thực hiện", 2),
        OutlineSection("staff", "a. Tuyên truyền tới cán bộ, công chức, viên chức",
                       "a. Tuyên truyền tới cán bộ, công chức, viên chức", 3),
        OutlineSection("public", "b. Tuyên truyền tới tổ chức, cá nhân",
                       "b. Tuyên truyền tới tổ chức, cá nhân", 3),
        OutlineSection("assessment", "Tồn tại, hạn chế", "3. Tồn tại, hạn chế"),
        OutlineSection("next", "Nhiệm vụ kỳ tới",
                       "II. Nhiệm vụ công tác tuyên truyền CCHC {next}", 1),
    )


def _index() -> tuple[OutlineItem, ...]:
    areas = tuple(
        OutlineSection(f"area{a.code}", f"{a.code}. Về {a.name[:1].lower()}{a.name[1:]}",
                       f"{a.code}. Về {a.name[:1].lower()}{a.name[1:]}")
        for a in REFORM_AREAS[:7]
    )
    return (
        OutlineSection("intro", "Mở đầu (căn cứ)"),
        OutlineSection("indexes", "Kết quả các chỉ số", "I. Kết quả các chỉ số", 1),
        OutlineHeading("II. Kết quả thực hiện các nhiệm vụ cải thiện chỉ số", 1),
        *areas,
        OutlineSection("papi", "8. Về Chỉ số PAPI",
                       "8. Về Chỉ số Hiệu quả Quản trị và Hành chính công (PAPI)"),
        OutlineSection("sipas", "9. Về Chỉ số hài lòng (SIPAS)", "9. Về Chỉ số hài lòng (SIPAS)"),
        OutlineSection("assessment", "Tồn tại, hạn chế", "III. Tồn tại, hạn chế", 1),
        OutlineSection("next", "Giải pháp, nhiệm vụ kỳ tới",
                       "IV. Giải pháp, nhiệm vụ trọng tâm {next}", 1),
    )


_OUTLINES: dict[ReportKind, tuple[OutlineItem, ...]] = {
    ReportKind.GENERAL: _general(),
    ReportKind.PROPAGANDA: _propaganda(),
    ReportKind.INDEX: _index(),
}


def outline(kind: ReportKind) -> tuple[OutlineItem, ...]:
    """The headings and sections of a report of ``kind``, in print order."""
    return _OUTLINES[ReportKind(kind)]


def sections(kind: ReportKind) -> tuple[OutlineSection, ...]:
    """The editable sections of ``kind``, in print order."""
    return tuple(item for item in outline(kind) if isinstance(item, OutlineSection))


def section_keys(kind: ReportKind) -> tuple[str, ...]:
    """The keys of the editable sections of ``kind``."""
    return tuple(s.key for s in sections(kind))


def parse_report_kind(text: str) -> ReportKind:
    """``general``, ``propaganda`` or ``index``; ValueError (Vietnamese) for anything else."""
    try:
        return ReportKind(text.strip().lower())
    except ValueError:
        choices = ", ".join(k.value for k in ReportKind)
        raise ValueError(f"Loại báo cáo không hợp lệ: “{text}” (chọn một trong: {choices})") \
            from None


def narrative_key(period_code: str, kind: ReportKind) -> str:
    """Where a report's texts are stored: the period code, with the kind after it but for the
    general report (whose texts were stored under the bare code before kinds existed)."""
    kind = ReportKind(kind)
    return period_code if kind is ReportKind.GENERAL else f"{period_code}:{kind.value}"
