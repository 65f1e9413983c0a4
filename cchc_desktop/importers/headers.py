"""Finding the header row of a sheet and which column holds what.

Headers match ignoring case, diacritics, spacing, line breaks and punctuation, so
"NỘI DUNG", "Nội  dung" and "Noi\\ndung" are the same header. Each field lists every
alias people write for it; the first column matching a field wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cchc_desktop.domain import terms
from cchc_desktop.domain.text import fold
from cchc_desktop.errors import UserError

__all__ = [
    "DOCUMENT_COLUMNS",
    "TASK_COLUMNS",
    "ColumnSpec",
    "HeaderMap",
    "find_header",
    "header_key",
]


@dataclass(frozen=True)
class ColumnSpec:
    """A field of an import: its key, the header exports write, and every accepted alias."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


TASK_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("stt", "STT", ("TT", "Số TT", "Số thứ tự")),
    ColumnSpec("content", "Nội dung", ("Nội dung nhiệm vụ", "Nội dung công việc", "Nhiệm vụ",
                                       "Tên nhiệm vụ", "Nội dung thực hiện")),
    ColumnSpec("output", "Kết quả", ("Sản phẩm", "Kết quả/Sản phẩm", "Kết quả, sản phẩm",
                                     "Sản phẩm đầu ra", "Kết quả đầu ra", "Kết quả dự kiến")),
    ColumnSpec("timing", terms.TIMING, ("Thời gian", "Thời gian hoàn thành",
                                                 "Tiến độ thực hiện", "Tiến độ")),
    ColumnSpec("due", terms.DUE_DATE, ("Hạn hoàn thành", "Thời hạn hoàn thành", "Hạn",
                                       "Hạn xử lý", "Ngày hết hạn")),
    ColumnSpec("completed", terms.COMPLETED_ON, ("Ngày hoàn thành thực tế",)),
    ColumnSpec("lead", terms.LEAD_UNIT, ("Cơ quan chủ trì", "Chủ trì", "Chủ trì thực hiện",
                                         "Cơ quan, đơn vị chủ trì", "Đơn vị thực hiện")),
    ColumnSpec("support", terms.SUPPORTING_UNITS, ("Cơ quan phối hợp", "Phối hợp",
                                                   "Phối hợp thực hiện",
                                                   "Cơ quan, đơn vị phối hợp")),
    ColumnSpec("document", terms.DOCUMENT, ("Văn bản", "Văn bản chỉ đạo",
                                            "Văn bản giao nhiệm vụ")),
    ColumnSpec("assigned_by", terms.ASSIGNED_BY, ("Nguồn giao", "Người giao", "Nơi giao")),
    ColumnSpec("assigned_on", terms.ASSIGNED_ON, ("Ngày giao nhiệm vụ",)),
    ColumnSpec("note", terms.NOTE, ()),
    ColumnSpec("area", terms.AREA, ("Lĩnh vực", "Lĩnh vực cải cách hành chính")),
)

DOCUMENT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("stt", "STT", ("TT", "Số TT", "Số thứ tự")),
    ColumnSpec("symbol", "Số ký hiệu", ("Số, ký hiệu", "Số hiệu", "Ký hiệu", "Số văn bản",
                                        "Số và ký hiệu", "Số ký hiệu văn bản")),
    ColumnSpec("issued_on", "Ngày ban hành", ("Ngày", "Ngày văn bản", "Ngày ký", "Ngày, tháng")),
    ColumnSpec("summary", "Trích yếu", ("Trích yếu nội dung", "Nội dung", "Tên văn bản")),
    ColumnSpec("issuer", "Cơ quan ban hành", ("Cơ quan", "Nơi ban hành", "Đơn vị ban hành")),
    ColumnSpec("doc_type", "Loại", ("Loại văn bản", "Thể loại")),
)

_NON_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text: object) -> str:
    """A header's comparison key: folded, punctuation and line breaks as single spaces."""
    if not isinstance(text, str):
        return ""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


@dataclass(frozen=True)
class HeaderMap:
    """Where the header is (sheet row number, index in ``rows``) and field key → column index."""

    row_number: int
    row_index: int
    columns: dict[str, int]
    ignored: tuple[str, ...]


def _alias_table(specs: Sequence[ColumnSpec]) -> dict[str, str]:
    table: dict[str, str] = {}
    for spec in specs:
        for name in (spec.label, *spec.aliases):
            table.setdefault(header_key(name), spec.key)
    return table


def find_header(
    rows: Sequence[tuple[int, Sequence[object]]],
    specs: Sequence[ColumnSpec],
    required: str,
) -> HeaderMap:
    """Find the first row holding the ``required`` field's header and map every column.

    Raises :class:`UserError` naming the missing header when no row has it.
    """
    aliases = _alias_table(specs)
    required_spec = next(s for s in specs if s.key == required)
    label = header_key(required_spec.label)
    for index, (number, values) in enumerate(rows):
        keys = [header_key(v) for v in values]
        if not any(aliases.get(k) == required for k in keys):
            continue
        # An alias alone ("Nhiệm vụ") may be a title: a header has the label itself or
        # at least one other known column beside it.
        known = {aliases[k] for k in keys if k in aliases}
        if label not in keys and len(known) < 2:
            continue
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for col, (key, value) in enumerate(zip(keys, values, strict=True)):
            field_key = aliases.get(key)
            if field_key is not None and field_key not in columns:
                columns[field_key] = col
            elif key:  # unknown, or a second column for the same field
                ignored.append(" ".join(str(value).split()))
        return HeaderMap(number, index, columns, tuple(ignored))
    raise UserError(
        f'Không tìm thấy dòng tiêu đề: bảng tính cần một cột "{required_spec.label}" '
        "(tiêu đề cột có thể nằm dưới các dòng tên bảng)."
    )
