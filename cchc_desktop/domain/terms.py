"""The words the screens and documents use for the things of DOMAIN.md's glossary.

One term per thing, everywhere: the task table, the editor, the filters, the CLI tables,
the workbooks and the documents say "Đơn vị chủ trì", never "Cơ quan chủ trì" in one place
and "Đơn vị chủ trì" in another. Importers still *read* the other spellings (see
:mod:`cchc_desktop.importers.headers`); only what we write is held to these terms.
:data:`AVOIDED` lists the variants we do not write, with the term to use instead; a test
scans the main window and the exported files for them.
"""

from __future__ import annotations

import re

from cchc_desktop.domain.status import STATUS_LABELS

__all__ = [
    "ALL",
    "AREA",
    "ASSIGNED_BY",
    "ASSIGNED_ON",
    "AVOIDED",
    "COMPLETED_ON",
    "CONTENT",
    "DOCUMENT",
    "DUE_DATE",
    "LEAD_UNIT",
    "NOTE",
    "NUMBER",
    "OUTPUT",
    "STATUS",
    "STATUS_LABELS",
    "TASK_CONTENT",
    "SUPPORTING_UNITS",
    "TIMING",
    "YEAR",
    "avoided_terms_in",
    "earlier_names",
    "size_text",
]

CONTENT = "Nội dung"
TASK_CONTENT = "Nội dung nhiệm vụ"  # the column of a task list
OUTPUT = "Kết quả"  # the expected output (Kết quả / Sản phẩm)
TIMING = "Thời gian thực hiện"  # the timing as written
DUE_DATE = "Thời hạn"  # the deadline it implies
COMPLETED_ON = "Ngày hoàn thành"
LEAD_UNIT = "Đơn vị chủ trì"
SUPPORTING_UNITS = "Đơn vị phối hợp"
ASSIGNED_BY = "Cơ quan giao"  # UBND tỉnh, Chủ tịch UBND tỉnh... who assigned the task
ASSIGNED_ON = "Ngày giao"
DOCUMENT = "Văn bản giao"
AREA = "Lĩnh vực CCHC"
STATUS = "Tình trạng"
NOTE = "Ghi chú"
NUMBER = "STT"
YEAR = "Năm"
ALL = "Tất cả"  # the first choice of a filter: no filter

# A variant we do not write → the term to write instead. "Hạn hoàn thành" is avoided as a
# whole phrase only: "Ngày hoàn thành" and "hoàn thành quá hạn" are terms of their own.
AVOIDED: dict[str, str] = {
    "Cơ quan chủ trì": LEAD_UNIT,
    "Cơ quan phối hợp": SUPPORTING_UNITS,
    "Hạn hoàn thành": DUE_DATE,
    "Nguồn giao": ASSIGNED_BY,
    "Mọi tình trạng": ALL,
    "Mọi đơn vị": ALL,
    "Mọi năm": ALL,
    "Mọi lĩnh vực": ALL,
    "Mọi cơ quan giao": ALL,
}

_AVOIDED_RE = re.compile(
    r"(?<![\w])(" + "|".join(re.escape(v) for v in AVOIDED) + r")(?![\w])", re.IGNORECASE
)


def earlier_names(term: str) -> list[str]:
    """The variants :data:`AVOIDED` replaces by ``term`` (files written before still use them)."""
    return [old for old, new in AVOIDED.items() if new == term]


def avoided_terms_in(text: str) -> list[str]:
    """The avoided variants that occur in ``text`` (whole words, any case)."""
    return [m.group(1) for m in _AVOIDED_RE.finditer(text)]


def size_text(size: int) -> str:
    """A file size for people, with a decimal comma: "—" for none, "512 byte", "1,5 KB", "2 KB"."""
    if size <= 0:
        return "—"
    if size < 1024:
        return f"{size} byte"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    text = f"{value:.0f}" if value >= 100 else f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") + f" {unit}"
