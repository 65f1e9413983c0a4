"""Writing a checked task import (see services/imports.py): groups, units, documents, tasks.

New tasks go in with one Core INSERT (executemany with RETURNING), not one ORM object each:
at 10,000 rows the ORM's unit of work, the guard and the audit hooks cost three times the
INSERT itself. What those hooks do is done here for the same rows, in the same transaction:
:func:`~cchc_desktop.store.guard.check_rows` refuses values a column cannot hold and
:func:`~cchc_desktop.store.audit.record_inserted` logs each task created. Changed tasks are
few and keep going through the ORM (the audit log records each changed column).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, literal_column, select, update
from sqlalchemy.orm import Session

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.domain.text import doc_type_from_symbol, fold, nfc
from cchc_desktop.errors import ValidationError, check_cancelled
from cchc_desktop.importers.cells import DocumentRef
from cchc_desktop.services.import_common import document_key
from cchc_desktop.services.import_report import GroupPreview
from cchc_desktop.services.import_units import ImportUnits
from cchc_desktop.services.unit_matching import add_unit_alias
from cchc_desktop.services.units import create_unit, find_unit
from cchc_desktop.store.audit import record_inserted
from cchc_desktop.store.bulk_load import insert_values
from cchc_desktop.store.guard import check_rows
from cchc_desktop.store.locks import lock_catalogue, lock_plan_import
from cchc_desktop.store.models import Document, Plan, PlanGroup, Task, task_supporting_units
from cchc_desktop.store.search_columns import task_index_values

__all__ = ["Existing", "Planned", "existing_tasks", "new_task_row", "write_groups",
           "write_tasks"]

_CHUNK = 500
_TASKS = cast(Table, Task.__table__)


@dataclass
class Existing:
    """The stored values an imported row is compared with."""

    id: int
    draft: TaskDraft
    plan_id: int | None
    group_id: int | None = None


@dataclass
class Planned:
    """What the import does with one row: add it, or update (or leave) ``existing``."""

    row: int
    draft: TaskDraft
    document_id: int | None
    existing: Existing | None = None
    changed: bool = True
    problems: list[str] = field(default_factory=list)
    group: int | None = None


def existing_tasks(
    session: Session, plan_id: int | None, keys: set[tuple[str, int, int | None]]
) -> dict[tuple[str, int | None, int | None], list[Existing]]:
    """Stored tasks (of ``plan_id``, else of any plan) whose (content key, lead, document)
    a row of the sheet has; read as plain columns, not ORM objects."""
    found: dict[tuple[str, int | None, int | None], list[Existing]] = defaultdict(list)
    if not keys:
        return found
    stmt = select(Task.id, Task.content_key, Task.lead_unit_id, Task.document_id)
    if plan_id is not None:
        stmt = stmt.where(Task.plan_id == plan_id)
    if session.get_bind().dialect.name == "sqlite":
        # The sheet's content keys go in as one JSON array and SQLite filters the table
        # itself: at 1,000,000 tasks, a million rows made Python tuples cost twice the scan.
        stmt = stmt.where(Task.content_key.in_(
            select(literal_column("value")).select_from(
                func.json_each(json.dumps(sorted({key for key, _l, _d in keys}))))))
    wanted = [row[0] for row in session.execute(stmt) if (row[1], row[2], row[3]) in keys]
    support: dict[int, list[int]] = defaultdict(list)
    t = _TASKS.c
    columns = (t.id, t.content_key, t.lead_unit_id, t.document_id, t.content, t.output,
               t.timing_text, t.due_date, t.assigned_on, t.completed_on, t.completion_note,
               t.note, t.assigned_by, t.area, t.year, t.plan_id, t.group_id)
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        for task_id, unit_id in session.execute(
            select(task_supporting_units.c.task_id, task_supporting_units.c.unit_id)
            .where(task_supporting_units.c.task_id.in_(chunk))
            .order_by(task_supporting_units.c.task_id, task_supporting_units.c.position)
        ):
            support[task_id].append(unit_id)
        for (task_id, key, lead, doc, content, output, timing, due, assigned_on, completed_on,
             completion_note, note, assigned_by, area, year, plan, group) in session.execute(
                select(*columns).where(t.id.in_(chunk)).order_by(t.id)):
            draft = TaskDraft(
                content=content, lead_unit_id=lead, supporting_unit_ids=support.get(task_id, []),
                output=output or "", timing_text=timing or "", due_date=due,
                assigned_on=assigned_on, completed_on=completed_on,
                completion_note=completion_note or "", note=note or "",
                assigned_by=assigned_by or "", area=area, year=year,
            )
            found[key, lead, doc].append(Existing(task_id, draft, plan, group))
    return found


def write_groups(session: Session, plan: Plan | None,
                 groups: list[GroupPreview]) -> dict[int, int]:
    """The plan's groups for the sheet's (index → group id): an existing group with the same
    numbering and title is reused (its area updated), others are added after the last."""
    if plan is None or not groups:
        return {}
    stored = list(session.scalars(
        select(PlanGroup).where(PlanGroup.plan_id == plan.id).order_by(PlanGroup.position)))
    by_key = {(g.number.strip().upper(), fold(g.title)): g for g in stored}
    position = max((g.position for g in stored), default=0)
    ids: dict[int, int] = {}
    for index, g in enumerate(groups):
        found = by_key.get((g.number.strip().upper(), fold(g.title)))
        if found is None:
            position += 1
            found = PlanGroup(plan_id=plan.id, position=position, number=nfc(g.number),
                              title=nfc(g.title), area=g.area)
            session.add(found)
            session.flush()
            by_key[(g.number.strip().upper(), fold(g.title))] = found
        elif found.area != g.area:
            found.area = g.area
        ids[index] = found.id
    return ids


def new_task_row(draft: TaskDraft, *, plan_id: int | None, position: int,
                 group_id: int | None, document_id: int | None,
                 lead_unit_id: int) -> dict[str, Any]:
    """The column values of a task the import adds, for the Core INSERT.

    THE one place these rows are built. Stored columns derived from a task's values
    (``content_key`` today; the folded search text and sort keys of the task list) are
    filled here, by the same function that fills them for the ORM. Columns left out
    (``completion_note``, ``created_at``, ``version``...) take their defaults.
    """
    return {
        "plan_id": plan_id, "year": draft.year, "position": position, "group_id": group_id,
        "document_id": document_id, "lead_unit_id": lead_unit_id,
        "content": draft.content,
        "output": draft.output, "timing_text": draft.timing_text, "due_date": draft.due_date,
        "assigned_on": draft.assigned_on, "completed_on": draft.completed_on,
        "note": draft.note, "assigned_by": draft.assigned_by or None, "area": draft.area,
        **task_index_values(draft.content, draft.output, draft.assigned_by or None,
                            draft.timing_text),
    }


def _create_catalogue(session: Session, units: ImportUnits,
                      new_documents: Mapping[int, DocumentRef]) -> dict[int, int]:
    """Write the new units, aliases and documents; provisional id → real id.

    Under the catalogue lock, and read again under it: another import may have added the
    same unit or document since this one read the catalogue (then that one is used)."""
    real: dict[int, int] = {}
    if units.new or units.aliases or new_documents:
        lock_catalogue(session)
    for provisional, name in units.new.items():
        found = find_unit(session, name)
        real[provisional] = found.id if found is not None else create_unit(session, name).id
    for alias, unit_name in units.aliases.values():
        add_unit_alias(session, unit_name, alias)
    for provisional, ref in new_documents.items():
        symbol, issuer = nfc(ref.symbol), nfc(ref.issuer)
        same = [(doc_id, stored_issuer) for doc_id, stored_symbol, stored_issuer in
                session.execute(select(Document.id, Document.symbol, Document.issuer)
                                .where(Document.symbol == symbol))
                if document_key(stored_symbol) == document_key(symbol)]
        found_id = next((d for d, i in same if fold(i or "") == fold(issuer)), None)
        if found_id is None:
            doc = Document(symbol=symbol, issued_on=ref.issued_on, issuer=issuer,
                           summary="", doc_type=doc_type_from_symbol(ref.symbol) or "")
            session.add(doc)
            session.flush()
            found_id = doc.id
        real[provisional] = found_id
    return real


def write_tasks(
    session: Session, planned: list[Planned], units: ImportUnits,
    new_documents: Mapping[int, DocumentRef], plan_id: int | None, group_ids: dict[int, int],
    cancelled: Callable[[], bool] | None = None,
) -> list[int]:
    """Write the planned rows; returns the ids of the tasks created."""
    lock_plan_import(session, plan_id)  # taken already by the import; again costs nothing
    real = _create_catalogue(session, units, new_documents)
    position = 0
    # Only new tasks are numbered: a re-import does not read the largest position (outside
    # any plan, with no index on it, that reads the whole table).
    if any(i.existing is None for i in planned):
        position = session.scalar(
            select(func.max(Task.position)).where(
                Task.plan_id.is_(None) if plan_id is None else Task.plan_id == plan_id
            )
        ) or 0
    updates = {i.existing.id: i for i in planned if i.existing is not None and i.changed}
    stored: dict[int, Task] = {}
    ids = list(updates)
    for start in range(0, len(ids), _CHUNK):
        for t in session.scalars(select(Task).where(Task.id.in_(ids[start : start + _CHUNK]))):
            stored[t.id] = t
    regrouped: dict[int | None, list[int]] = defaultdict(list)
    changed: list[tuple[Task, list[int]]] = []
    new_rows: list[dict[str, Any]] = []
    new_support: list[list[int]] = []
    for item in planned:
        check_cancelled(cancelled)
        group_id = group_ids.get(item.group) if item.group is not None else None
        if item.existing is not None and not item.changed:
            if group_ids and item.existing.group_id != group_id:
                regrouped[group_id].append(item.existing.id)
            continue
        d = item.draft
        # Checked when the rows were planned; kept here so no row reaches the table half-made.
        if d.lead_unit_id is None:
            raise ValidationError(f"Dòng {item.row}: thiếu đơn vị chủ trì.")
        if d.year is None:
            raise ValidationError(f"Dòng {item.row}: chưa xác định được năm của nhiệm vụ.")
        support = [real.get(u, u) for u in dict.fromkeys(d.supporting_unit_ids)]
        if item.existing is None:
            position += 1
            document_id = (real.get(item.document_id, item.document_id)
                           if item.document_id is not None else None)
            new_rows.append(new_task_row(
                d, plan_id=plan_id, position=position, group_id=group_id,
                document_id=document_id, lead_unit_id=real.get(d.lead_unit_id, d.lead_unit_id)))
            new_support.append(support)
            continue
        task = stored[item.existing.id]  # a changed task: through the ORM, like any edit
        if group_ids:
            task.group_id = group_id
        # The derived columns (content_key, search text, sort keys) follow through the ORM
        # event of store/search_columns.py, as new_task_row fills them for new rows.
        task.content = d.content
        task.output, task.timing_text, task.due_date = d.output, d.timing_text, d.due_date
        task.assigned_on, task.completed_on = d.assigned_on, d.completed_on
        task.note, task.assigned_by, task.area = d.note, d.assigned_by or None, d.area
        task.year = d.year
        task.lead_unit_id = real.get(d.lead_unit_id, d.lead_unit_id)
        changed.append((task, support))
    for group_id, task_ids in regrouped.items():
        for start in range(0, len(task_ids), _CHUNK):
            session.execute(update(Task).where(Task.id.in_(task_ids[start : start + _CHUNK]))
                            .values(group_id=group_id))
    session.flush()
    created = _insert_tasks(session, new_rows)
    _write_support(session, changed, list(zip(created, new_support, strict=True)))
    return created


def _insert_tasks(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """The new tasks written, checked and logged: on SQLite in multi-row INSERT statements
    (store/bulk_load.insert_values), elsewhere one executemany INSERT … RETURNING id."""
    if not rows:
        return []
    check_rows(_TASKS, rows)
    if session.get_bind().dialect.name == "sqlite":
        # The import holds SQLite's write lock from before it read anything (locks.py): no
        # other connection can add a task until it commits, so the ids after the largest
        # are free. Given here, the INSERT needs no RETURNING, which costs as much again.
        first = (session.scalar(select(func.max(Task.id))) or 0) + 1
        created = list(range(first, first + len(rows)))
        for row, task_id in zip(rows, created, strict=True):
            row["id"] = task_id
        connection = session.connection()
        # The audit log's rows are made while SQLite stores the tasks (two cores at work).
        record_inserted(session, Task, rows,
                        during=lambda: insert_values(connection, _TASKS, rows))
        return created
    result = session.execute(
        insert(_TASKS).returning(_TASKS.c.id, sort_by_parameter_order=True), rows)
    created = list(result.scalars())
    for row, task_id in zip(rows, created, strict=True):
        row["id"] = task_id
    record_inserted(session, Task, rows)
    return created


def _write_support(session: Session, changed: list[tuple[Task, list[int]]],
                   created: list[tuple[int, list[int]]]) -> None:
    """Supporting units in the order the plan wrote them (the link rows carry a position)."""
    ids = [t.id for t, _u in changed]
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(task_supporting_units).where(
            task_supporting_units.c.task_id.in_(ids[start : start + _CHUNK])))
    links = [(t.id, units) for t, units in changed] + created
    rows = [(task_id, u, n) for task_id, units in links for n, u in enumerate(units)]
    if rows:
        # Three integers a row, nothing for SQLAlchemy to convert: straight to the driver's
        # executemany (20,000 links of a 10,000-row plan cost a third of the time so).
        conn = session.connection()
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql("INSERT INTO task_supporting_units (task_id, unit_id, position) "
                             f"VALUES ({mark}, {mark}, {mark})", rows)
    for task, _units in changed:
        session.expire(task, ["supporting_units"])
