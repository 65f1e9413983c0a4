"""Changing tasks: create, edit, delete (and restore), move, progress, extensions.

Every function takes an open session and leaves committing to the caller's
transaction (``Database.session()``), so a failure writes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from types import EllipsisType
from typing import Any

from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from cchc_desktop.domain.task_rules import TaskDraft, validate_task
from cchc_desktop.domain.text import nfc
from cchc_desktop.domain.timing import due_date_from_timing
from cchc_desktop.errors import ConflictError, NotFoundError, ValidationError
from cchc_desktop.services.access import (
    changed_fields,
    current_user,
    require_session_admin,
    require_task_edit,
    require_task_progress,
)
from cchc_desktop.store.models import (
    DeadlineExtension,
    Evidence,
    EvidenceLink,
    Plan,
    PlanGroup,
    ProgressUpdate,
    Task,
    Unit,
    task_supporting_units,
)

_TEXT_FIELDS = ("content", "output", "timing_text", "completion_note", "note", "assigned_by")


def _clean(draft: TaskDraft) -> TaskDraft:
    values = asdict(draft)
    for name in _TEXT_FIELDS:
        values[name] = nfc(values[name])
    values["supporting_unit_ids"] = list(dict.fromkeys(draft.supporting_unit_ids))
    return TaskDraft(**values)


def _check(session: Session, draft: TaskDraft) -> None:
    problems = validate_task(draft, today=date.today())
    unit_ids = [draft.lead_unit_id, *draft.supporting_unit_ids]
    known = set(session.scalars(select(Unit.id).where(Unit.id.in_([u for u in unit_ids if u]))))
    if draft.lead_unit_id is not None and draft.lead_unit_id not in known:
        problems["lead_unit_id"] = "Đơn vị chủ trì không tồn tại."
    if any(u not in known for u in draft.supporting_unit_ids):
        problems["supporting_unit_ids"] = "Có đơn vị phối hợp không tồn tại."
    if problems:
        raise ValidationError(
            "Nhiệm vụ chưa hợp lệ: " + " ".join(problems.values()),
            [f"{k}: {v}" for k, v in problems.items()],
        )


def _apply(session: Session, task: Task, draft: TaskDraft) -> None:
    task.content = draft.content  # content_key & co.: store/search_columns.py's ORM event
    task.output = draft.output
    task.timing_text = draft.timing_text
    task.due_date = draft.due_date
    task.assigned_on = draft.assigned_on
    task.completed_on = draft.completed_on
    task.completion_note = draft.completion_note
    task.note = draft.note
    task.assigned_by = draft.assigned_by or None
    task.area = draft.area
    task.lead_unit_id = draft.lead_unit_id
    units = session.scalars(select(Unit).where(Unit.id.in_(draft.supporting_unit_ids))).all()
    by_id = {u.id: u for u in units}
    task.supporting_units = [by_id[i] for i in draft.supporting_unit_ids]


def draft_from_task(task: Task) -> TaskDraft:
    """The editable fields of a stored task."""
    return TaskDraft(
        content=task.content,
        lead_unit_id=task.lead_unit_id,
        supporting_unit_ids=[u.id for u in task.supporting_units],
        output=task.output or "",
        timing_text=task.timing_text or "",
        due_date=task.due_date,
        assigned_on=task.assigned_on,
        completed_on=task.completed_on,
        completion_note=task.completion_note or "",
        note=task.note or "",
        assigned_by=task.assigned_by or "",
        area=task.area,
        year=task.year,
    )


def get_task(session: Session, task_id: int) -> Task:
    """Load a task or raise :class:`NotFoundError`."""
    task = session.get(Task, task_id)
    if task is None:
        raise NotFoundError(f"Không tìm thấy nhiệm vụ số {task_id}.")
    return task


def create_task(
    session: Session,
    draft: TaskDraft,
    *,
    plan_id: int | None = None,
    document_id: int | None = None,
    position: int | None = None,
) -> Task:
    """Validate and add a task; the due date defaults to the one its timing implies.

    In a plan with its own groups, the task joins the first group of its CCHC area (none
    when no group has that area).
    """
    require_session_admin(session, "thêm nhiệm vụ")
    draft = _clean(draft)
    year = draft.year
    if plan_id is not None:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFoundError(f"Không tìm thấy kế hoạch số {plan_id}.")
        year = year or plan.year
    year = year or (draft.due_date or draft.assigned_on or date.today()).year
    draft.year = year
    if draft.due_date is None and draft.timing_text:
        draft.due_date = due_date_from_timing(draft.timing_text, year)
    _check(session, draft)
    if position is None:
        last = session.scalar(
            select(Task.position).where(Task.plan_id == plan_id).order_by(Task.position.desc())
        )
        position = (last or 0) + 1
    group_id = None
    if plan_id is not None:
        same_area = (PlanGroup.area.is_(None) if draft.area is None
                     else PlanGroup.area == draft.area)
        group_id = session.scalar(
            select(PlanGroup.id).where(PlanGroup.plan_id == plan_id, same_area)
            .order_by(PlanGroup.position).limit(1))
    task = Task(year=year, plan_id=plan_id, document_id=document_id, position=position,
                group_id=group_id)
    _apply(session, task, draft)
    session.add(task)
    session.flush()
    _store_support_order(session, task.id, draft.supporting_unit_ids)
    return task


def update_task(
    session: Session, task_id: int, draft: TaskDraft, *, expected_version: int | None = None,
    document_id: int | None | EllipsisType = ...,
) -> Task:
    """Validate and save new values; a stale ``expected_version`` is a conflict.

    ``document_id`` links the task to its assigning document (None: no document); left
    out, the link stays as it is. Who may change what: :func:`require_task_edit`.
    """
    task = get_task(session, task_id)
    changed = changed_fields(draft_from_task(task), _clean(draft))
    if not isinstance(document_id, EllipsisType) and document_id != task.document_id:
        changed.add("document_id")
    require_task_edit(current_user(session), task, changed)
    if expected_version is not None and task.version != expected_version:
        raise ConflictError(
            "Nhiệm vụ này vừa được người khác sửa. Hãy tải lại để xem thay đổi mới nhất."
        )
    draft = _clean(draft)
    draft.year = draft.year or task.year
    _check(session, draft)
    with session.no_autoflush:  # a concurrent save must surface at the flush below
        _apply(session, task, draft)
    task.year = draft.year
    if not isinstance(document_id, EllipsisType):
        task.document_id = document_id
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(
            "Nhiệm vụ này vừa được người khác sửa. Hãy tải lại để xem thay đổi mới nhất."
        ) from exc
    _store_support_order(session, task.id, draft.supporting_unit_ids)
    return task


def _store_support_order(session: Session, task_id: int, unit_ids: list[int]) -> None:
    """Number the task's supporting-unit links in the order given (lists print them so)."""
    for position, unit_id in enumerate(unit_ids):
        session.execute(
            sql_update(task_supporting_units)
            .where(task_supporting_units.c.task_id == task_id,
                   task_supporting_units.c.unit_id == unit_id)
            .values(position=position)
        )


@dataclass
class TaskSnapshot:
    """Everything needed to put a deleted task back exactly as it was."""

    fields: dict[str, Any]
    supporting_unit_ids: list[int]
    progress: list[dict[str, Any]] = field(default_factory=list)
    extensions: list[dict[str, Any]] = field(default_factory=list)
    evidence_ids: list[int] = field(default_factory=list)


_SNAPSHOT_COLUMNS = (
    "id", "plan_id", "document_id", "assigned_by", "assigned_on", "year", "area", "group_id",
    "position",
    "content", "content_key", "output", "timing_text", "due_date", "lead_unit_id",
    "completed_on", "completion_note", "note", "created_at",
)


def delete_task(session: Session, task_id: int) -> TaskSnapshot:
    """Delete a task and return a snapshot that :func:`restore_task` can put back."""
    require_session_admin(session, "xóa nhiệm vụ")
    get_task(session, task_id)
    return delete_tasks(session, [task_id])[0]


def delete_tasks(session: Session, task_ids: list[int]) -> list[TaskSnapshot]:
    """Delete tasks in one flush; their snapshots, in the order of ``task_ids``.

    Children are loaded in a few queries rather than a few per task, and no
    autoflush runs between the deletes, so a plan of hundreds of tasks goes in
    well under a second. Every task, progress note, extension and evidence link
    is recorded in the audit log (store/audit.py).
    """
    require_session_admin(session, "xóa nhiệm vụ")
    if not task_ids:
        return []
    loaded = {
        t.id: t
        for t in session.scalars(
            select(Task).where(Task.id.in_(task_ids)).options(
                selectinload(Task.supporting_units),
                selectinload(Task.progress_updates),
                selectinload(Task.extensions),
            )
        )
    }
    missing = [i for i in task_ids if i not in loaded]
    if missing:
        raise NotFoundError(f"Không tìm thấy nhiệm vụ số {missing[0]}.")
    evidence: dict[int | None, list[int]] = {}
    # The links go with the task (ON DELETE CASCADE); the files themselves stay.
    for owner, evidence_id in session.execute(
        select(EvidenceLink.task_id, EvidenceLink.evidence_id)
        .where(EvidenceLink.task_id.in_(task_ids))
        .order_by(EvidenceLink.id)
    ):
        evidence.setdefault(owner, []).append(evidence_id)
    snapshots = []
    with session.no_autoflush:
        for task_id in task_ids:
            task = loaded[task_id]
            snapshots.append(TaskSnapshot(
                fields={c: getattr(task, c) for c in _SNAPSHOT_COLUMNS},
                supporting_unit_ids=[u.id for u in task.supporting_units],
                progress=[
                    {"on_date": p.on_date, "note": p.note, "percent": p.percent,
                     "source": p.source}
                    for p in task.progress_updates
                ],
                extensions=[
                    {
                        "old_due_date": e.old_due_date,
                        "new_due_date": e.new_due_date,
                        "granted_on": e.granted_on,
                        "reason": e.reason,
                    }
                    for e in task.extensions
                ],
                evidence_ids=evidence.get(task_id, []),
            ))
            session.delete(task)
    session.flush()
    return snapshots


def restore_task(session: Session, snapshot: TaskSnapshot) -> Task:
    """Put a deleted task back with its id, links, progress and extensions."""
    require_session_admin(session, "khôi phục nhiệm vụ")
    fields = dict(snapshot.fields)
    if fields.get("group_id") is not None and session.get(PlanGroup, fields["group_id"]) is None:
        fields["group_id"] = None  # its group went since: the task comes back outside any group
    task = Task(**fields)
    task.supporting_units = list(
        session.scalars(select(Unit).where(Unit.id.in_(snapshot.supporting_unit_ids)))
    )
    task.progress_updates = [ProgressUpdate(**p) for p in snapshot.progress]
    task.extensions = [DeadlineExtension(**e) for e in snapshot.extensions]
    session.add(task)
    session.flush()
    still_stored = session.scalars(
        select(Evidence.id).where(Evidence.id.in_(snapshot.evidence_ids))
    ).all()
    session.add_all(EvidenceLink(evidence_id=e, task_id=task.id) for e in still_stored)
    session.flush()
    return task


def move_task(session: Session, task_id: int, offset: int) -> bool:
    """Move a task up (-1) or down (+1) among its plan's tasks of the same group (of the
    same area for tasks outside any group)."""
    require_session_admin(session, "sắp xếp nhiệm vụ")
    task = get_task(session, task_id)
    if task.group_id is not None:
        same_area = Task.group_id == task.group_id
    else:
        same_area = Task.group_id.is_(None) & (
            Task.area.is_(None) if task.area is None else Task.area == task.area)
    same_plan = Task.plan_id.is_(None) if task.plan_id is None else Task.plan_id == task.plan_id
    siblings = list(
        session.scalars(select(Task).where(same_plan, same_area).order_by(Task.position, Task.id))
    )
    index = next(i for i, t in enumerate(siblings) if t.id == task_id)
    target = index + offset
    if not 0 <= target < len(siblings):
        return False
    siblings.insert(target, siblings.pop(index))
    for pos, sibling in enumerate(siblings, start=1):
        if sibling.position != pos:
            sibling.position = pos
    session.flush()
    return True


def add_progress(
    session: Session, task_id: int, on_date: date, note: str, percent: int | None = None,
    *, source: str = "",
) -> ProgressUpdate:
    """Record a dated progress note on a task; ``source`` names who reported it (a unit)."""
    task = get_task(session, task_id)
    require_task_progress(current_user(session), task)
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError("Tiến độ phải từ 0 đến 100%.")
    if not nfc(note):
        raise ValidationError("Nội dung cập nhật tiến độ không được để trống.")
    update = ProgressUpdate(on_date=on_date, note=nfc(note), percent=percent, source=nfc(source))
    task.progress_updates.append(update)
    session.flush()
    return update


def extend_deadline(
    session: Session, task_id: int, new_due: date, reason: str, granted_on: date | None = None
) -> DeadlineExtension:
    """Move a task's due date, keeping the old one and the reason in its history."""
    require_session_admin(session, "gia hạn nhiệm vụ")
    task = get_task(session, task_id)
    if not nfc(reason):
        raise ValidationError("Phải ghi lý do gia hạn.")
    if task.assigned_on and new_due < task.assigned_on:
        raise ValidationError("Thời hạn mới không được trước ngày giao nhiệm vụ.")
    extension = DeadlineExtension(
        old_due_date=task.due_date, new_due_date=new_due, granted_on=granted_on,
        reason=nfc(reason),
    )
    task.extensions.append(extension)
    task.due_date = new_due
    session.flush()
    return extension


@dataclass
class CompletionChange:
    """One task :func:`complete_tasks` marked done: its values before and after."""

    task_id: int
    before: TaskDraft
    after: TaskDraft


def complete_tasks(
    session: Session, task_ids: list[int], completed_on: date, note: str = "",
    *, today: date | None = None,
) -> list[CompletionChange]:
    """Mark the open tasks among ``task_ids`` as completed on ``completed_on``, all or nothing.

    Tasks already completed are left as they are. ``note`` becomes the completion note of
    each task marked (a task keeps its own note when ``note`` is empty). Raises
    :class:`ValidationError` naming the tasks for which the date is not possible (before
    the task was assigned, after today); then nothing is changed.
    """
    changes: list[CompletionChange] = []
    problems: list[str] = []
    for task_id in dict.fromkeys(task_ids):
        task = get_task(session, task_id)
        before = draft_from_task(task)
        if before.completed_on is not None:
            continue
        after = TaskDraft(**{**asdict(before), "completed_on": completed_on,
                             "completion_note": nfc(note) or before.completion_note})
        reason = validate_task(after, today=today).get("completed_on")
        if reason:
            content = " ".join(task.content.split())
            problems.append(f"“{content[:60]}{'…' if len(content) > 60 else ''}”: {reason}")
        changes.append(CompletionChange(task_id, before, after))
    if problems:
        more = f" (và {len(problems) - 3} nhiệm vụ khác)" if len(problems) > 3 else ""
        raise ValidationError("Chưa đánh dấu hoàn thành nhiệm vụ nào. " + " ".join(problems[:3])
                              + more, problems)
    for change in changes:
        update_task(session, change.task_id, change.after)
    return changes


def swap_completion(session: Session, changes: list[CompletionChange], *, undo: bool) -> None:
    """Undo (or redo) :func:`complete_tasks`: only the completion date and note go back.

    A task whose completion was changed by someone else since is not touched: raises
    :class:`ConflictError` naming it, and nothing is changed.
    """
    for change in changes:
        source, target = (change.after, change.before) if undo else (change.before, change.after)
        task = get_task(session, change.task_id)
        current = draft_from_task(task)
        if (current.completed_on, current.completion_note) != (source.completed_on,
                                                                source.completion_note):
            content = " ".join(task.content.split())
            raise ConflictError(
                f"Nhiệm vụ “{content[:60]}{'…' if len(content) > 60 else ''}” đã được sửa ngày "
                "hoàn thành sau thao tác này: không hoàn tác được."
            )
        update_task(session, change.task_id, TaskDraft(**{
            **asdict(current), "completed_on": target.completed_on,
            "completion_note": target.completion_note}))
