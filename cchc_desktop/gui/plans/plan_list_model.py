"""The plans of a year as a table (Kế hoạch tab, top)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cchc_desktop.gui.common.record_model import Column, RecordTableModel, date_key, date_text
from cchc_desktop.services.plans import PLAN_KIND_LABELS, PlanInfo


def _plan_kind(p: PlanInfo) -> str:
    return PLAN_KIND_LABELS.get(p.kind, p.kind)


class PlanListModel(RecordTableModel[PlanInfo]):
    """The plans of a year: kind, number, date, title, task count."""

    columns = (
        Column("Loại", _plan_kind),
        Column("Số, ký hiệu", lambda p: p.number),
        Column("Ngày ban hành", lambda p: date_text(p.issued_on), lambda p: date_key(p.issued_on)),
        Column("Tên kế hoạch", lambda p: p.title),
        Column(
            "Số nhiệm vụ", lambda p: str(p.task_count), lambda p: p.task_count,
            Qt.AlignmentFlag.AlignRight,
        ),
    )
