"""What makes a task valid, as plain rules the GUI form and the services share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

MAX_TEXT = 20_000  # a task's content is a paragraph, not a document


@dataclass
class TaskDraft:
    """The editable fields of a task, before it reaches the database."""

    content: str = ""
    lead_unit_id: int | None = None
    supporting_unit_ids: list[int] = field(default_factory=list)
    output: str = ""
    timing_text: str = ""
    due_date: date | None = None
    assigned_on: date | None = None
    completed_on: date | None = None
    completion_note: str = ""
    note: str = ""
    assigned_by: str = ""
    area: int | None = None
    year: int | None = None


def validate_task(draft: TaskDraft, *, today: date | None = None) -> dict[str, str]:
    """Return ``{field: Vietnamese reason}`` for every broken rule (empty when valid)."""
    problems: dict[str, str] = {}
    if not draft.content.strip():
        problems["content"] = "Nội dung nhiệm vụ không được để trống."
    elif len(draft.content) > MAX_TEXT:
        problems["content"] = f"Nội dung quá dài (tối đa {MAX_TEXT:,} ký tự).".replace(",", ".")
    if draft.lead_unit_id is None:
        problems["lead_unit_id"] = "Phải chọn một đơn vị chủ trì."
    elif draft.lead_unit_id in draft.supporting_unit_ids:
        problems["supporting_unit_ids"] = "Đơn vị chủ trì không đồng thời là đơn vị phối hợp."
    if draft.completed_on and draft.assigned_on and draft.completed_on < draft.assigned_on:
        problems["completed_on"] = "Ngày hoàn thành không được trước ngày giao nhiệm vụ."
    if draft.due_date and draft.assigned_on and draft.due_date < draft.assigned_on:
        problems["due_date"] = "Thời hạn không được trước ngày giao nhiệm vụ."
    if draft.completed_on and today and draft.completed_on > today:
        problems["completed_on"] = "Ngày hoàn thành không được sau ngày hôm nay."
    if draft.area is not None and not 1 <= draft.area <= 8:
        problems["area"] = "Lĩnh vực CCHC phải từ 1 đến 8."
    if draft.year is not None and not 1990 <= draft.year <= 2100:
        problems["year"] = "Năm không hợp lệ."
    for name in ("output", "timing_text", "completion_note", "note", "assigned_by"):
        if len(getattr(draft, name)) > MAX_TEXT:
            problems[name] = "Nội dung quá dài."
    return problems
