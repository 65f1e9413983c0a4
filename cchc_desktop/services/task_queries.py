"""Reading tasks: the status summary and filtered lists, done in SQL for speed.

The six status classes are defined once, in :mod:`cchc_desktop.domain.status`;
:func:`status_case` is the same rule written as an SQL ``CASE`` so that 100,000
tasks are counted by the database. A test checks the two agree on every case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.status import StatusClass, empty_summary
from cchc_desktop.domain.text import fold
from cchc_desktop.domain.timing import interpret_timing
from cchc_desktop.store.models import Document, PlanGroup, Task, Unit, task_supporting_units

_STATUS_BY_VALUE = {cls.value: cls for cls in StatusClass}


def status_case(as_of: date) -> ColumnElement[str]:
    """SQL expression giving a task's :class:`StatusClass` value as of ``as_of``."""
    done = and_(Task.completed_on.is_not(None), Task.completed_on <= as_of)
    return case(
        (and_(done, Task.due_date.is_(None)), literal(StatusClass.DONE_NO_DEADLINE.value)),
        (and_(done, Task.completed_on <= Task.due_date), literal(StatusClass.DONE_ON_TIME.value)),
        (done, literal(StatusClass.DONE_LATE.value)),
        (Task.due_date.is_(None), literal(StatusClass.OPEN_NO_DEADLINE.value)),
        (Task.due_date >= as_of, literal(StatusClass.OPEN_ON_TIME.value)),
        else_=literal(StatusClass.OPEN_OVERDUE.value),
    )


def _open_as_of(as_of: date) -> ColumnElement[bool]:
    return or_(Task.completed_on.is_(None), Task.completed_on > as_of)


@dataclass
class TaskFilter:
    """Which tasks a summary or a list covers; every field is optional."""

    unit: str | None = None  # a unit name or short name (lead unit)
    unit_id: int | None = None
    include_supporting: bool = False
    assigned_by: str | None = None  # folded substring of "assigned by"
    year: int | None = None
    area: int | None = None  # 1..8; 0 = not classified
    plan_id: int | None = None
    statuses: set[StatusClass] = field(default_factory=set)
    overdue: bool = False
    due_within: int | None = None
    search: str | None = None
    assigned_exact: bool = False  # assigned_by is the whole value as stored, not a part
    search_all: bool = False  # search also the output, units, assigner, document, timing


def resolve_unit_id(session: Session, name: str) -> int:
    """Find a unit by name or short name, ignoring case and diacritics."""
    from cchc_desktop.errors import NotFoundError

    key = fold(name)
    for unit_id, unit_name, short in session.execute(
        select(Unit.id, Unit.name, Unit.short_name)
    ):
        if fold(unit_name) == key or (short and fold(short) == key):
            return unit_id
    raise NotFoundError(f"Không tìm thấy đơn vị: {name}")


def apply_filter(
    session: Session, stmt: Select, flt: TaskFilter, as_of: date
) -> Select:
    """Add the WHERE clauses of ``flt`` to a statement over :class:`Task`."""
    unit_id = flt.unit_id
    if flt.unit:
        unit_id = resolve_unit_id(session, flt.unit)
    if unit_id is not None:
        if flt.include_supporting:
            supporting = select(task_supporting_units.c.task_id).where(
                task_supporting_units.c.unit_id == unit_id
            )
            stmt = stmt.where(or_(Task.lead_unit_id == unit_id, Task.id.in_(supporting)))
        else:
            stmt = stmt.where(Task.lead_unit_id == unit_id)
    if flt.assigned_by and flt.assigned_exact:
        stmt = stmt.where(Task.assigned_by == flt.assigned_by)
    elif flt.assigned_by:
        # Folding happens in Python: SQLite and PostgreSQL fold Vietnamese differently.
        wanted = fold(flt.assigned_by)
        values = session.scalars(select(Task.assigned_by).distinct()).all()
        matching = [v for v in values if v and wanted in fold(v)]
        stmt = stmt.where(Task.assigned_by.in_(matching))
    if flt.year is not None:
        stmt = stmt.where(Task.year == flt.year)
    if flt.area is not None:
        stmt = stmt.where(Task.area == flt.area if flt.area else Task.area.is_(None))
    if flt.plan_id is not None:
        stmt = stmt.where(Task.plan_id == flt.plan_id)
    if flt.statuses:
        stmt = stmt.where(status_case(as_of).in_([s.value for s in flt.statuses]))
    if flt.overdue or flt.due_within is not None:
        conditions = []
        if flt.overdue:
            conditions.append(Task.due_date < as_of)
        if flt.due_within is not None:
            end = as_of + timedelta(days=flt.due_within)
            conditions.append(and_(Task.due_date >= as_of, Task.due_date <= end))
        stmt = stmt.where(_open_as_of(as_of), Task.due_date.is_not(None), or_(*conditions))
    if flt.search and not flt.search_all:  # search_all: see row_matches_search
        for word in fold(flt.search).split():
            stmt = stmt.where(Task.content_key.contains(word, autoescape=True))
    return stmt


def summarize_tasks(
    session: Session, as_of: date, flt: TaskFilter | None = None
) -> dict[str, int]:
    """The six status classes and the total, as of ``as_of``."""
    if flt is not None and flt.search_all and flt.search:
        result = empty_summary()
        for row in list_tasks(session, as_of, flt):
            result[row.status.value] += 1
            result["total"] += 1
        return result
    status = status_case(as_of).label("status")
    stmt = select(status, func.count()).select_from(Task)
    stmt = apply_filter(session, stmt, flt or TaskFilter(), as_of).group_by(status)
    result = empty_summary()
    for key, count in session.execute(stmt):
        result[key] = count
        result["total"] += count
    return result


@dataclass(slots=True)
class TaskRow:
    """One task as lists and exports show it."""

    id: int
    content: str
    output: str
    timing_text: str
    due_date: date | None
    completed_on: date | None
    lead_unit: str
    lead_unit_id: int | None
    supporting_units: list[str]
    assigned_by: str
    document: str
    area: int | None
    year: int
    plan_id: int | None
    position: int
    note: str
    status: StatusClass
    group_id: int | None = None

    @property
    def timing_not_understood(self) -> bool:
        """A written timing that no rule reads and no deadline set by hand: a person must."""
        return (self.due_date is None and bool(self.timing_text)
                and not interpret_timing(self.timing_text, self.year).understood)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "content": self.content,
            "output": self.output,
            "timing_text": self.timing_text,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "lead_unit": self.lead_unit,
            "supporting_units": self.supporting_units,
            "assigned_by": self.assigned_by,
            "document": self.document,
            "area": self.area,
            "year": self.year,
            "plan_id": self.plan_id,
            "status": self.status.value,
            "group_id": self.group_id,
        }


def supporting_names(session: Session, task_ids: Select | list[int]) -> dict[int, list[str]]:
    """Supporting unit names per task, for a list of ids or a SELECT of task ids."""
    stmt = (
        select(task_supporting_units.c.task_id, Unit.name)
        .join(Unit, Unit.id == task_supporting_units.c.unit_id)
        .where(task_supporting_units.c.task_id.in_(task_ids))
        .order_by(task_supporting_units.c.task_id, task_supporting_units.c.position,
                  Unit.position, Unit.name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for task_id, name in session.connection().execute(stmt).all():
        names[task_id].append(name)
    return names


def list_tasks(
    session: Session,
    as_of: date,
    flt: TaskFilter | None = None,
    *,
    order: str = "due",
    limit: int | None = None,
) -> list[TaskRow]:
    """Tasks matching ``flt`` with their status as of ``as_of``.

    ``order`` is "due" (due date, then id) or "plan" (plan, the plan's groups in their
    order with tasks outside any group first, then position in the plan).
    """
    lead = Unit.__table__.alias("lead")
    stmt = (
        select(
            Task.id,
            Task.content,
            Task.output,
            Task.timing_text,
            Task.due_date,
            Task.completed_on,
            lead.c.name,
            Task.lead_unit_id,
            Task.assigned_by,
            Document.symbol,
            Task.area,
            Task.year,
            Task.plan_id,
            Task.position,
            Task.note,
            status_case(as_of),
            Task.group_id,
        )
        .select_from(Task)
        .outerjoin(lead, lead.c.id == Task.lead_unit_id)
        .outerjoin(Document, Document.id == Task.document_id)
    )
    stmt = apply_filter(session, stmt, flt or TaskFilter(), as_of)
    if order == "plan":
        stmt = stmt.outerjoin(PlanGroup, PlanGroup.id == Task.group_id).order_by(
            Task.plan_id.is_(None), Task.plan_id, PlanGroup.position.is_not(None),
            PlanGroup.position, Task.position, Task.id)
    else:
        stmt = stmt.order_by(Task.due_date.is_(None), Task.due_date, Task.id)
    searching_all = bool(flt is not None and flt.search_all and flt.search)
    if limit is not None and not searching_all:
        stmt = stmt.limit(max(0, limit))  # PostgreSQL refuses a negative LIMIT
    # Core execution on the session's connection: no ORM entity processing is needed here.
    raw = session.connection().execute(stmt).all()
    if limit is None or searching_all:
        ids: Select | list[int] = apply_filter(session, select(Task.id), flt or TaskFilter(), as_of)
    else:
        ids = [r[0] for r in raw]
    support = supporting_names(session, ids)
    rows = [
        TaskRow(
            id=r[0],
            content=r[1],
            output=r[2] or "",
            timing_text=r[3] or "",
            due_date=r[4],
            completed_on=r[5],
            lead_unit=r[6] or "",
            lead_unit_id=r[7],
            supporting_units=support.get(r[0], []),
            assigned_by=r[8] or "",
            document=r[9] or "",
            area=r[10],
            year=r[11],
            plan_id=r[12],
            position=r[13],
            note=r[14] or "",
            status=_STATUS_BY_VALUE[r[15]],
            group_id=r[16],
        )
        for r in raw
    ]
    if searching_all and flt is not None and flt.search:
        words = fold(flt.search).split()
        rows = [row for row in rows if row_matches_search(row, words)][:limit]
    return rows


def row_search_text(row: TaskRow) -> str:
    """The folded text a search over "everything" looks in: content, output, units,
    assigner, document and timing (what the Nhiệm vụ tab's search box covers)."""
    return fold(" ".join((row.content, row.output, row.lead_unit, " ".join(row.supporting_units),
                          row.assigned_by, row.document, row.timing_text)))


def row_matches_search(row: TaskRow, words: list[str]) -> bool:
    """True when every folded word of a search occurs in :func:`row_search_text`."""
    text = row_search_text(row)
    return all(word in text for word in words)


def completion_by_unit(
    session: Session,
    as_of: date,
    flt: TaskFilter | None = None,
    *,
    scope: ColumnElement[bool] | None = None,
) -> list[tuple[str, int, int, int]]:
    """Per lead unit: (name, total, done by as_of, open and overdue), in the units' order.

    ``scope`` is an extra SQL condition on :class:`Task` (a report's window, say).
    """
    done = and_(Task.completed_on.is_not(None), Task.completed_on <= as_of)
    overdue = and_(_open_as_of(as_of), Task.due_date < as_of)
    stmt = (
        select(
            Unit.name,
            func.count(Task.id),
            func.sum(case((done, 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
        )
        .select_from(Task)
        .join(Unit, Unit.id == Task.lead_unit_id)
        .group_by(Unit.name, Unit.position)
        .order_by(Unit.position, Unit.name)
    )
    if scope is not None:
        stmt = stmt.where(scope)
    stmt = apply_filter(session, stmt, flt or TaskFilter(), as_of)
    return [(n, int(t), int(d or 0), int(o or 0)) for n, t, d, o in session.execute(stmt)]


def completion_by_area(
    session: Session, as_of: date, flt: TaskFilter | None = None
) -> list[tuple[int | None, int, int]]:
    """Per CCHC area: (area code, total, done by as_of), in area order."""
    done = and_(Task.completed_on.is_not(None), Task.completed_on <= as_of)
    stmt = (
        select(Task.area, func.count(Task.id), func.sum(case((done, 1), else_=0)))
        .select_from(Task)
        .group_by(Task.area)
        .order_by(Task.area)
    )
    stmt = apply_filter(session, stmt, flt or TaskFilter(), as_of)
    return [(a, int(t), int(d or 0)) for a, t, d in session.execute(stmt)]
