"""Plans (kế hoạch) of a year and their ordered task tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import nfc
from cchc_desktop.domain.timing import due_date_from_timing
from cchc_desktop.errors import NotFoundError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.tasks import TaskSnapshot, delete_tasks, restore_task
from cchc_desktop.store.models import PLAN_KINDS, Plan, PlanGroup, Task

PLAN_KIND_LABELS = {
    "reform": "Kế hoạch CCHC",
    "propaganda": "Kế hoạch tuyên truyền CCHC",
    "inspection": "Kế hoạch kiểm tra CCHC",
    "index_improvement": "Kế hoạch cải thiện chỉ số",
    "other": "Kế hoạch khác",
}


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """A plan as lists show it."""

    id: int
    kind: str
    year: int
    number: str
    issued_on: date | None
    title: str
    task_count: int

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "kind": self.kind, "year": self.year, "number": self.number,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "title": self.title, "task_count": self.task_count,
        }


def list_plans(session: Session, year: int | None = None) -> list[PlanInfo]:
    """Plans (of a year) with their task counts, newest year first."""
    counts = (
        select(Task.plan_id, func.count(Task.id).label("n")).group_by(Task.plan_id).subquery()
    )
    stmt = (
        select(Plan, counts.c.n)
        .outerjoin(counts, counts.c.plan_id == Plan.id)
        .order_by(Plan.year.desc(), Plan.id)
    )
    if year is not None:
        stmt = stmt.where(Plan.year == year)
    return [
        PlanInfo(p.id, p.kind, p.year, p.number or "", p.issued_on, p.title, n or 0)
        for p, n in session.execute(stmt)
    ]


def get_plan(session: Session, plan_id: int) -> Plan:
    """Load a plan or raise :class:`NotFoundError`."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFoundError(f"Không tìm thấy kế hoạch số {plan_id}.")
    return plan


def save_plan(
    session: Session,
    *,
    title: str,
    year: int,
    kind: str = "reform",
    number: str = "",
    issued_on: date | None = None,
    intro: str = "",
    plan_id: int | None = None,
) -> Plan:
    """Create a plan, or update the one with ``plan_id``."""
    require_session_admin(session, "lưu kế hoạch")
    title = nfc(title)
    if not title:
        raise ValidationError("Tên kế hoạch không được để trống.")
    if kind not in PLAN_KINDS:
        raise ValidationError(f"Loại kế hoạch không hợp lệ: {kind}")
    if not 1990 <= year <= 2100:
        raise ValidationError("Năm không hợp lệ.")
    plan = get_plan(session, plan_id) if plan_id is not None else Plan()
    plan.title, plan.year, plan.kind = title, year, kind
    plan.number, plan.issued_on, plan.intro = nfc(number) or None, issued_on, nfc(intro)
    session.add(plan)
    session.flush()
    return plan


def copy_plan_to_year(session: Session, plan_id: int, year: int) -> Plan:
    """Copy a plan and its tasks to ``year``: timings kept, due dates recomputed, progress cleared."""
    require_session_admin(session, "sao chép kế hoạch")
    source = get_plan(session, plan_id)
    title = source.title
    if str(source.year) in title:
        title = title.replace(str(source.year), str(year))
    copy = Plan(kind=source.kind, year=year, title=title, intro=source.intro)
    session.add(copy)
    session.flush()
    group_ids: dict[int, int] = {}
    for group in source.groups:
        new = PlanGroup(plan_id=copy.id, position=group.position, number=group.number,
                        title=group.title, area=group.area)
        session.add(new)
        session.flush()
        group_ids[group.id] = new.id
    for task in source.tasks:
        session.add(
            Task(
                plan_id=copy.id, year=year, area=task.area, position=task.position,
                group_id=group_ids.get(task.group_id) if task.group_id else None,
                content=task.content, output=task.output,
                timing_text=task.timing_text,
                due_date=due_date_from_timing(task.timing_text, year),
                lead_unit_id=task.lead_unit_id, supporting_units=list(task.supporting_units),
                note=task.note, assigned_by=task.assigned_by,
            )
        )
    session.flush()
    return copy


def delete_plan(session: Session, plan_id: int) -> int:
    """Delete a plan and its tasks; returns how many tasks went with it."""
    require_session_admin(session, "xóa kế hoạch")
    return len(delete_plan_with_snapshot(session, plan_id).tasks)


def plan_years(session: Session) -> list[int]:
    """The years that have at least one plan, newest first."""
    return list(session.scalars(select(Plan.year).distinct().order_by(Plan.year.desc())))


@dataclass
class PlanSnapshot:
    """A deleted plan and its tasks, enough for :func:`restore_plan` to put them back."""

    fields: dict[str, object]
    tasks: list[TaskSnapshot]
    groups: list[dict[str, object]] = field(default_factory=list)


_PLAN_COLUMNS = ("id", "kind", "year", "number", "issued_on", "title", "intro", "created_at")
_GROUP_COLUMNS = ("id", "plan_id", "position", "number", "title", "area")


def delete_plan_with_snapshot(session: Session, plan_id: int) -> PlanSnapshot:
    """Delete a plan and its tasks, returning what :func:`restore_plan` needs to undo it."""
    require_session_admin(session, "xóa kế hoạch")
    plan = get_plan(session, plan_id)
    fields = {c: getattr(plan, c) for c in _PLAN_COLUMNS}
    groups = [{c: getattr(g, c) for c in _GROUP_COLUMNS} for g in plan.groups]
    task_ids = list(session.scalars(
        select(Task.id).where(Task.plan_id == plan.id).order_by(Task.position, Task.id)))
    tasks = delete_tasks(session, task_ids)
    session.expire(plan, ["tasks"])
    session.expire(plan, ["groups"])
    session.delete(plan)
    session.flush()
    return PlanSnapshot(fields, tasks, groups)


def restore_plan(session: Session, snapshot: PlanSnapshot) -> Plan:
    """Put a deleted plan back with its id and its tasks."""
    require_session_admin(session, "khôi phục kế hoạch")
    plan = Plan(**snapshot.fields)
    session.add(plan)
    session.flush()
    for group in snapshot.groups:
        session.add(PlanGroup(**group))
    session.flush()
    for task in snapshot.tasks:
        restore_task(session, task)
    return plan


# --------------------------------------------------------------------------- the plan's groups


@dataclass(frozen=True, slots=True)
class PlanGroupInfo:
    """A group of a plan as the plan writes it, and the CCHC area it belongs to (None: none)."""

    id: int
    plan_id: int
    position: int
    number: str
    title: str
    area: int | None

    def label(self) -> str:
        """"I. Công tác chỉ đạo ..." (the title alone when the group has no number)."""
        return f"{self.number}. {self.title}" if self.number else self.title


def _info(g: PlanGroup) -> PlanGroupInfo:
    return PlanGroupInfo(g.id, g.plan_id, g.position, g.number or "", g.title or "", g.area)


def plan_groups(session: Session, plan_id: int) -> list[PlanGroupInfo]:
    """The groups of a plan in their order (empty for a plan without groups)."""
    return [_info(g) for g in session.scalars(
        select(PlanGroup).where(PlanGroup.plan_id == plan_id).order_by(PlanGroup.position))]


def groups_by_id(session: Session, group_ids: Sequence[int | None]) -> dict[int, PlanGroupInfo]:
    """The groups with these ids (tasks' ``group_id``; None is skipped)."""
    wanted = sorted({g for g in group_ids if g is not None})
    found: dict[int, PlanGroupInfo] = {}
    for start in range(0, len(wanted), 500):
        for g in session.scalars(select(PlanGroup).where(
                PlanGroup.id.in_(wanted[start : start + 500]))):
            found[g.id] = _info(g)
    return found


_Row = TypeVar("_Row")


def sections(rows: Sequence[_Row], group_of: dict[int, PlanGroupInfo],
             key: str = "group_id") -> list[tuple[PlanGroupInfo | None, list[_Row]]]:
    """Rows (in plan order) cut where their group changes: (group or None, its rows).

    Rows outside any group form sections of their own with no group row to print.
    """
    out: list[tuple[PlanGroupInfo | None, list[_Row]]] = []
    current: object = object()
    for row in rows:
        group_id = getattr(row, key)
        if group_id != current or not out:
            current = group_id
            out.append((group_of.get(group_id) if group_id is not None else None, []))
        out[-1][1].append(row)
    return out


def update_group(session: Session, group_id: int, *, number: str, title: str,
                 area: int | None) -> PlanGroup:
    """Change a group's numbering, title or area; tasks that had the group's area follow
    the new area (a task given another area keeps it)."""
    require_session_admin(session, "sửa nhóm nhiệm vụ của kế hoạch")
    group = session.get(PlanGroup, group_id)
    if group is None:
        raise NotFoundError(f"Không tìm thấy nhóm số {group_id}.")
    if area is not None and not 1 <= area <= 8:
        raise ValidationError("Lĩnh vực CCHC phải từ 1 đến 8, hoặc không thuộc lĩnh vực nào.")
    title = nfc(title)
    if not title:
        raise ValidationError("Tên nhóm không được để trống.")
    old_area = group.area
    group.number, group.title, group.area = nfc(number), title, area
    if old_area != area:
        same = Task.area.is_(None) if old_area is None else Task.area == old_area
        for task in session.scalars(select(Task).where(Task.group_id == group_id, same)):
            task.area = area
    session.flush()
    return group
