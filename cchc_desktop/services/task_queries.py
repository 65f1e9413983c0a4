"""Reading tasks: the status summary and filtered lists, done in SQL for speed.

The six status classes are defined once, in :mod:`cchc_desktop.domain.status`;
:func:`status_case` is the same rule written as an SQL ``CASE`` so that 100,000
tasks are counted by the database. A test checks the two agree on every case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Date

from cchc_desktop.domain.status import StatusClass, empty_summary
from cchc_desktop.domain.text import fold, vi_sort_key
from cchc_desktop.domain.timing import interpret_timing
from cchc_desktop.services.task_search import search_condition
from cchc_desktop.store.models import (
    Document,
    ExtensionRequest,
    PlanGroup,
    Task,
    Unit,
    task_supporting_units,
)

_STATUS_BY_VALUE = {cls.value: cls for cls in StatusClass}


def status_case(as_of: date | ColumnElement[date]) -> ColumnElement[str]:
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


def _open_as_of(as_of: date | ColumnElement[date]) -> ColumnElement[bool]:
    return or_(Task.completed_on.is_(None), Task.completed_on > as_of)


def status_condition(cls: StatusClass, as_of: date) -> ColumnElement[bool]:
    """SQL condition: the task is in ``cls`` as of ``as_of`` (as :func:`status_case` says,
    written where it helps so that the database can use its due-date index)."""
    done = and_(Task.completed_on.is_not(None), Task.completed_on <= as_of)
    open_ = _open_as_of(as_of)
    return {
        StatusClass.DONE_NO_DEADLINE: and_(done, Task.due_date.is_(None)),
        # Done in time or late: most tasks are done, and an index on the completion date
        # would be read row by row; the CASE is a plain scan (of the due-date index).
        StatusClass.DONE_ON_TIME: status_case(as_of) == StatusClass.DONE_ON_TIME.value,
        StatusClass.DONE_LATE: status_case(as_of) == StatusClass.DONE_LATE.value,
        StatusClass.OPEN_NO_DEADLINE: and_(open_, Task.due_date.is_(None)),
        StatusClass.OPEN_ON_TIME: and_(open_, Task.due_date >= as_of),
        StatusClass.OPEN_OVERDUE: and_(open_, Task.due_date < as_of),
    }[cls]


@dataclass
class TaskFilter:
    """Which tasks a summary or a list covers; every field is optional."""

    unit: str | None = None  # a unit name or short name (lead unit)
    unit_id: int | None = None
    include_supporting: bool = False
    assigned_by: str | None = None  # folded substring of "assigned by"
    assigner: str | None = None  # exactly this "assigned by" (a choice from the list)
    year: int | None = None
    area: int | None = None  # a CCHC area 1..8, or 0 for tasks of no area
    plan_id: int | None = None
    statuses: set[StatusClass] = field(default_factory=set)
    overdue: bool = False
    due_within: int | None = None
    search: str | None = None


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
    session: Session, stmt: Select, flt: TaskFilter, as_of: date, *, in_order: bool = False
) -> Select:
    """Add the WHERE clauses of ``flt`` to a statement over :class:`Task`.

    ``in_order``: the statement reads the first rows in the list's order (a page), so a
    search checks each row as it comes rather than gathering every match first (which
    suits a count or a summary)."""
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
    if flt.assigned_by:
        # Folding happens in Python: SQLite and PostgreSQL fold Vietnamese differently.
        wanted = fold(flt.assigned_by)
        values = session.scalars(select(Task.assigned_by).distinct()).all()
        matching = [v for v in values if v and wanted in fold(v)]
        stmt = stmt.where(Task.assigned_by.in_(matching))
    if flt.assigner is not None:
        stmt = stmt.where(Task.assigned_by == flt.assigner)
    if flt.year is not None:
        stmt = stmt.where(Task.year == flt.year)
    if flt.area == 0:
        stmt = stmt.where(Task.area.is_(None))
    elif flt.area is not None:
        stmt = stmt.where(Task.area == flt.area)
    if flt.plan_id is not None:
        stmt = stmt.where(Task.plan_id == flt.plan_id)
    if flt.statuses:
        stmt = stmt.where(or_(*(status_condition(s, as_of)
                                for s in sorted(flt.statuses, key=list(StatusClass).index))))
    if flt.overdue or flt.due_within is not None:
        conditions = []
        if flt.overdue:
            conditions.append(Task.due_date < as_of)
        if flt.due_within is not None:
            end = as_of + timedelta(days=flt.due_within)
            conditions.append(and_(Task.due_date >= as_of, Task.due_date <= end))
        stmt = stmt.where(_open_as_of(as_of), Task.due_date.is_not(None), or_(*conditions))
    if flt.search:
        stmt = stmt.where(search_condition(session, flt.search, in_order=in_order))
    return stmt


class local_today(FunctionElement[date]):  # noqa: N801 (an SQL function's name)
    """Today's date on the computer running the application's database, as SQL."""

    type = Date()
    inherit_cache = True


@compiles(local_today, "sqlite")
def _local_today_sqlite(_element: local_today, _compiler: object, **_kw: object) -> str:
    return "date('now', 'localtime')"


@compiles(local_today)
def _local_today_default(_element: local_today, _compiler: object, **_kw: object) -> str:
    return "CURRENT_DATE"


def sort_expression(key: str) -> ColumnElement:
    """The SQL value the task list sorts column ``key`` by (a key of ``TASK_COLUMNS``).

    Text sorts in Vietnamese alphabetical order through the stored sort keys
    (``tasks.content_sort``, ``timing_sort``, ``assigned_by_sort``, ``units.name_sort``);
    empty text first, empty dates last, as the list always sorted. The lead unit is a scalar
    subquery on ``units`` (no join to add to the statement); supporting units sort by the
    first one written. Status is the official order of the six classes as of today.
    Append ``Task.id`` to the ORDER BY for a total order. Raises KeyError for an unknown key.
    """
    if key == "content":
        return Task.content_sort.expression
    if key == "lead_unit":
        return func.coalesce(
            select(Unit.name_sort).where(Unit.id == Task.lead_unit_id).scalar_subquery(), "")
    if key == "supporting_units":
        first = (select(Unit.name_sort)
                 .join(task_supporting_units, task_supporting_units.c.unit_id == Unit.id)
                 .where(task_supporting_units.c.task_id == Task.id)
                 .order_by(task_supporting_units.c.position, Unit.position, Unit.name_sort)
                 .limit(1).scalar_subquery())
        return func.coalesce(first, "")
    if key in ("due_date", "completed_on"):
        value = getattr(Task, key)
        # Empty dates last: a date far beyond any deadline stands in for them.
        return func.coalesce(value, date(9999, 12, 31))
    if key == "status":
        return status_rank(local_today())
    if key == "area":
        return func.coalesce(Task.area, 99)
    if key == "year":
        return Task.year.expression
    if key == "timing_text":
        return Task.timing_sort.expression
    if key == "assigned_by":
        return Task.assigned_by_sort.expression
    raise KeyError(key)


def status_rank(as_of: date | ColumnElement[date]) -> ColumnElement[int]:
    """A task's status class as its place (0-5) in the official order of the six classes
    (:func:`status_case`, the one SQL form of the rule, numbered)."""
    return case({cls.value: n for n, cls in enumerate(StatusClass)}, value=status_case(as_of))


def summarize_tasks(
    session: Session, as_of: date, flt: TaskFilter | None = None
) -> dict[str, int]:
    """The six status classes and the total, as of ``as_of``."""
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
    pending_due: date | None = None  # the deadline a pending extension request asks for

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


_LEAD = Unit.__table__.alias("lead")


def _row_select(as_of: date) -> Select:
    """The columns of a :class:`TaskRow` (without supporting units), joined as needed."""
    return (
        select(
            Task.id,
            Task.content,
            Task.output,
            Task.timing_text,
            Task.due_date,
            Task.completed_on,
            _LEAD.c.name,
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
        .outerjoin(_LEAD, _LEAD.c.id == Task.lead_unit_id)
        .outerjoin(Document, Document.id == Task.document_id)
    )


def _to_rows(raw: Sequence[Row], support: dict[int, list[str]],
             pending: dict[int, date]) -> list[TaskRow]:
    return [
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
            pending_due=pending.get(r[0]),
        )
        for r in raw
    ]


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
    stmt = apply_filter(session, _row_select(as_of), flt or TaskFilter(), as_of)
    if order == "plan":
        stmt = stmt.outerjoin(PlanGroup, PlanGroup.id == Task.group_id).order_by(
            Task.plan_id.is_(None), Task.plan_id, PlanGroup.position.is_not(None),
            PlanGroup.position, Task.position, Task.id)
    elif flt is not None and (flt.overdue or flt.due_within is not None):
        # Every row has a deadline: the plain order lets ix_tasks_due_completed give it.
        stmt = stmt.order_by(Task.due_date, Task.id)
    else:
        stmt = stmt.order_by(Task.due_date.is_(None), Task.due_date, Task.id)
    if limit is not None:
        stmt = stmt.limit(max(0, limit))  # PostgreSQL refuses a negative LIMIT
    # Core execution on the session's connection: no ORM entity processing is needed here.
    raw = session.connection().execute(stmt).all()
    if limit is None:
        ids: Select | list[int] = apply_filter(session, select(Task.id), flt or TaskFilter(), as_of)
    else:
        ids = [r[0] for r in raw]
    return _to_rows(raw, supporting_names(session, ids), pending_extension_dues(session))


def pending_extension_dues(session: Session) -> dict[int, date]:
    """The deadline each task's pending extension request asks for (the latest request
    when a task has several). Requests wait for a decision by the handful, so all are read:
    one probe of the status index, whatever the size of the list."""
    return dict(session.connection().execute(
        select(ExtensionRequest.task_id, ExtensionRequest.requested_due)
        .where(ExtensionRequest.status == "pending")
        .order_by(ExtensionRequest.id)).all())


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


# --------------------------------------------------------------------------- pages
# The Nhiệm vụ tab shows any number of tasks by reading pages of rows, filtered by
# apply_filter and sorted here, so memory does not grow with the database.


# Column key (gui TASK_COLUMNS) → what the list sorts by; Task.id breaks ties. "status"
# depends on the as-of date, see _sort_expression. Text sorts by the stored Vietnamese sort
# keys (sort_expression); dates and the area keep their NULLs for the index-friendly segments.
_PAGE_SORTS: dict[str, ColumnElement] = {
    "content": sort_expression("content"),
    "lead_unit": func.coalesce(_LEAD.c.name_sort, ""),
    "supporting_units": sort_expression("supporting_units"),
    "timing_text": sort_expression("timing_text"),
    "due_date": Task.due_date.expression,
    "completed_on": Task.completed_on.expression,
    "assigned_by": sort_expression("assigned_by"),
    "area": Task.area.expression,
    "year": Task.year.expression,
}
_NULLABLE = frozenset({"due_date", "completed_on", "area"})  # empty values sort last
DEFAULT_SORT = "due_date"  # the order of list_tasks: due date, no deadline last, then id


def _sort_expression(key: str, as_of: date) -> ColumnElement:
    if key == "status":  # in the order of StatusClass
        return status_rank(as_of)
    if key in _PAGE_SORTS:
        return _PAGE_SORTS[key]
    raise ValueError(f"unknown sort column: {key}")


def _sort_order(sort: str | None, descending: bool, as_of: date) -> list[ColumnElement]:
    key = sort or DEFAULT_SORT
    expr = _sort_expression(key, as_of)
    columns: list[ColumnElement] = [expr.is_(None), expr] if key in _NULLABLE else [expr]
    columns.append(Task.id.expression)
    return [c.desc() for c in columns] if descending else columns


def _id_select(session: Session, flt: TaskFilter, as_of: date, sort: str | None) -> Select:
    stmt = select(Task.id).select_from(Task)
    if sort == "lead_unit":
        stmt = stmt.outerjoin(_LEAD, _LEAD.c.id == Task.lead_unit_id)
    return apply_filter(session, stmt, flt, as_of, in_order=True)


def count_tasks(session: Session, flt: TaskFilter, as_of: date) -> int:
    """How many tasks ``flt`` accepts as of ``as_of``."""
    stmt = apply_filter(session, select(func.count()).select_from(Task), flt, as_of)
    return int(session.connection().execute(stmt).scalar_one())


def count_overdue(session: Session, as_of: date) -> int:
    """How many tasks are open and overdue as of ``as_of`` (the reminder's count).

    Counted as the open tasks less the open ones with no deadline or a deadline still ahead:
    three short index ranges, where the overdue condition itself reads the due-date index of
    every past deadline (most tasks of a large database).
    """
    run = session.connection().execute

    def count(condition: ColumnElement[bool]) -> int:
        return int(run(select(func.count()).select_from(Task).where(condition)).scalar_one())

    return (count(_open_as_of(as_of))
            - count(status_condition(StatusClass.OPEN_ON_TIME, as_of))
            - count(status_condition(StatusClass.OPEN_NO_DEADLINE, as_of)))


def task_ids(session: Session, flt: TaskFilter, as_of: date, *, sort: str | None = None,
             descending: bool = False, offset: int = 0, limit: int | None = None,
             total: int | None = None) -> list[int]:
    """The ids of rows ``offset`` to ``offset + limit`` of the tasks ``flt`` accepts, sorted
    by the column ``sort`` (a key of the task list's columns; None: by due date, as
    :func:`list_tasks`), ties by id; an empty date or area sorts last going up.

    ``total``, the number of matches when known: a page in the second half is read from
    the other end, in the reverse order (an OFFSET skips every row before the page: 1 s to
    the end of a million tasks on PostgreSQL).
    """
    offset = max(0, offset)
    if total is not None and limit is not None and offset > total // 2:
        end = min(offset + limit, total)
        if end <= offset:
            return []
        mirrored = task_ids(session, flt, as_of, sort=sort, descending=not descending,
                            offset=total - end, limit=end - offset)
        return mirrored[::-1]
    base = _id_select(session, flt, as_of, sort)
    run = session.connection().execute
    ids: list[int] = []
    for condition, order in _segments(session, sort or DEFAULT_SORT, descending, as_of):
        if limit is not None and len(ids) >= limit:
            break
        stmt = base if condition is None else base.where(condition)
        part = stmt.order_by(*order).offset(offset)
        if limit is not None:
            part = part.limit(limit - len(ids))
        found = list(run(part).scalars())
        if not found and offset:  # all of this segment lies before the page
            counted = select(func.count()).select_from(stmt.subquery())
            offset = max(0, offset - int(run(counted).scalar_one()))
        else:
            offset = 0
        ids.extend(found)
    return ids


def _segments(session: Session, key: str, descending: bool, as_of: date
              ) -> list[tuple[ColumnElement[bool] | None, list[ColumnElement]]]:
    """The sorted list as consecutive parts (condition, order): tasks with a value and those
    without, each status class in turn, or each lead unit in the order of its name, so that
    each part can walk an index (the due-date index for dates, the lead-unit index) where
    "ORDER BY x IS NULL, x", a CASE or a joined unit's name must sort every task."""
    by_id = Task.id.desc() if descending else Task.id.asc()
    parts: list[tuple[ColumnElement[bool] | None, list[ColumnElement]]]
    if key == "status":
        parts = [(status_condition(cls, as_of), [by_id]) for cls in StatusClass]
    elif key == "lead_unit":
        parts = [(condition, [by_id]) for condition in _lead_unit_parts(session)]
    elif key in _NULLABLE:
        expr = _sort_expression(key, as_of)
        parts = [(expr.is_not(None), [expr.desc() if descending else expr.asc(), by_id]),
                 (expr.is_(None), [by_id])]
    else:
        return [(None, _sort_order(key, descending, as_of))]
    return parts[::-1] if descending else parts


def _lead_unit_parts(session: Session) -> list[ColumnElement[bool]]:
    """Conditions picking the tasks of each lead-unit sort key in turn, in the order the
    database sorts those keys (no lead unit sorts as an empty name, first)."""
    key = func.coalesce(Unit.name_sort, "")
    groups: list[tuple[str, list[int]]] = [("", [])]
    for unit_id, value in session.execute(select(Unit.id, key).order_by(key, Unit.id)):
        if value != groups[-1][0]:
            groups.append((value, []))
        groups[-1][1].append(unit_id)
    parts: list[ColumnElement[bool]] = [Task.lead_unit_id.in_(ids) for _value, ids in groups]
    parts[0] = or_(Task.lead_unit_id.is_(None), parts[0])
    return parts


def task_page(session: Session, flt: TaskFilter, as_of: date, *, sort: str | None = None,
              descending: bool = False, offset: int = 0, limit: int | None = None,
              total: int | None = None) -> list[TaskRow]:
    """The rows :func:`task_ids` names, whole (two queries: the rows, their supporting units)."""
    ids = task_ids(session, flt, as_of, sort=sort, descending=descending, offset=offset,
                   limit=limit, total=total)
    raw: list[Row] = []
    for start in range(0, len(ids), 10_000):  # keep under the bound-parameter limits
        chunk = ids[start:start + 10_000]
        raw.extend(session.connection().execute(
            _row_select(as_of).where(Task.id.in_(chunk))).all())
    place = {task_id: n for n, task_id in enumerate(ids)}
    raw.sort(key=lambda r: place[r[0]])
    return _to_rows(raw, supporting_names(session, ids), pending_extension_dues(session))


def task_position(session: Session, flt: TaskFilter, as_of: date, sort: str | None,
                  descending: bool, task_id: int) -> int | None:
    """The row number of ``task_id`` in the list :func:`task_ids` gives, or None if absent
    (counts the rows before it: no sorting, an index range where there is one)."""
    key = sort or DEFAULT_SORT
    expr = _sort_expression(key, as_of)
    run = session.connection().execute
    found = run(_id_select(session, flt, as_of, sort).add_columns(expr)
                .where(Task.id == task_id)).first()
    if found is None:
        return None
    value = found[1]
    same_then_id = Task.id > task_id if descending else Task.id < task_id
    if value is None:  # only nullable columns: blanks come last going up, first going down
        before = [and_(expr.is_(None), same_then_id)]
        if not descending:
            before.append(expr.is_not(None))
    else:
        before = [expr > value if descending else expr < value, and_(expr == value, same_then_id)]
        if descending and key in _NULLABLE:
            before.append(expr.is_(None))
    # Disjoint parts counted one by one: each can be an index range, an OR of them cannot.
    base = _id_select(session, flt, as_of, sort)
    return sum(int(run(select(func.count()).select_from(base.where(part).subquery()))
                   .scalar_one()) for part in before)


def completed_ids(session: Session, ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` whose task has a completion date."""
    wanted = list(ids)
    done: set[int] = set()
    for start in range(0, len(wanted), 10_000):  # keep under the bound-parameter limits
        chunk = wanted[start:start + 10_000]
        done.update(session.connection().execute(
            select(Task.id).where(Task.id.in_(chunk), Task.completed_on.is_not(None))
        ).scalars())
    return done


def task_years(session: Session) -> list[int]:
    """The years that have tasks, newest first (a hop along the year index per year)."""
    years = select(func.max(Task.year).label("y")).cte("years", recursive=True)
    earlier = select(select(func.max(Task.year)).where(Task.year < years.c.y).scalar_subquery())
    years = years.union_all(earlier.where(years.c.y.is_not(None)))
    return [int(y) for y in session.scalars(select(years.c.y).where(years.c.y.is_not(None)))]


def task_assigners(session: Session) -> list[str]:
    """The "assigned by" texts in use, in Vietnamese order (reads every task)."""
    assigners = session.scalars(
        select(Task.assigned_by).where(Task.assigned_by.is_not(None)).distinct())
    return sorted((a for a in assigners if a), key=vi_sort_key)
