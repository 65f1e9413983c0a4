"""A ``unit`` account changes only the progress fields of its own tasks: every column tried.

The columns come from the Task model, so a column added later is tried too. Each
layer is tried on its own (the rule of ``update_task``, the row check under every
session), so a hole in one is not hidden by the other.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Date, DateTime, Integer, select

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.errors import PermissionDenied
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.access import CurrentUser, require_task_edit
from cchc_desktop.services.documents import save_document
from cchc_desktop.services.plans import save_plan
from cchc_desktop.services.units import create_unit
from cchc_desktop.store.models import Task

# What the issue allows a unit's focal point to change; written out here, not imported,
# so that widening the rule in the code fails this test.
EXPECTED_PROGRESS = {"completed_on", "completion_note", "note"}
# Set by the application itself on every save (never typed by anyone); the search and sort
# columns are derived from the text on every flush (store/search_columns.py).
APPLICATION_SET = {"updated_at", "version", "content_key", "search_text", "content_sort",
                   "timing_sort", "assigned_by_sort"}


@pytest.fixture
def org(db) -> dict[str, Any]:
    """Two units, two plans, a document and a task led by each unit."""
    with db.session() as s:
        vp = create_unit(s, "Văn phòng Sở", "VP").id
        tt = create_unit(s, "Thanh tra Sở", "TTr").id
        plan = save_plan(s, year=2024, title="Kế hoạch CCHC năm 2024").id
        plan2 = save_plan(s, year=2024, title="Kế hoạch tuyên truyền năm 2024").id
        doc = save_document(s, "36/KH-UBND", date(2024, 1, 26), issuer="UBND tỉnh").id
        draft = TaskDraft(content="Việc của VP", lead_unit_id=vp, year=2024, output="Báo cáo",
                          timing_text="Quý II", due_date=date(2024, 6, 30),
                          assigned_on=date(2024, 1, 15), assigned_by="UBND tỉnh", area=1)
        own = svc.create_task(s, draft, plan_id=plan).id
        other = svc.create_task(s, TaskDraft(content="Việc của TTr", lead_unit_id=tt, year=2024),
                                plan_id=plan).id
    db.act_as(CurrentUser("vp", "unit", vp))
    return {"db": db, "vp": vp, "tt": tt, "plan2": plan2, "doc": doc, "own": own,
            "other": other}


def _task_columns() -> list[str]:
    return [c.key for c in Task.__table__.columns if c.key not in APPLICATION_SET]


def _new_value(org: dict[str, Any], column: str, old: Any) -> Any:
    """A different, valid value for ``column`` of the task."""
    other_unit = org["vp"] if old == org["tt"] else org["tt"]  # taking a task over, too
    foreign = {"plan_id": org["plan2"], "document_id": org["doc"], "lead_unit_id": other_unit,
               "id": 10_000}
    if column in foreign:
        return foreign[column]
    kind = Task.__table__.columns[column].type
    if isinstance(kind, DateTime):
        return datetime(2024, 3, 1, 8, 0)
    if isinstance(kind, Date):
        return (old or date(2024, 5, 1)) + timedelta(days=3)
    if isinstance(kind, Integer):
        return (old or 0) + 1 if column != "area" else 5
    return f"{old or ''} (sửa)"


def _snapshot(db, task_id: int) -> dict[str, Any]:
    with db.session() as s:
        task = s.get(Task, task_id)
        return {c.key: getattr(task, c.key) for c in Task.__table__.columns}


def test_every_column_of_the_model_is_tried() -> None:
    columns = {c.key for c in Task.__table__.columns}
    assert APPLICATION_SET <= columns
    assert EXPECTED_PROGRESS <= set(_task_columns())


@pytest.mark.parametrize("column", _task_columns())
def test_unit_writes_only_progress_columns_of_its_own_task(org, column: str) -> None:
    """Any service (or a forgotten check) writing a column as a unit account: the row check."""
    db = org["db"]
    for task_id, own in ((org["other"], False), (org["own"], True)):
        before = _snapshot(db, task_id)
        allowed = own and column in EXPECTED_PROGRESS
        try:
            with db.session() as s:
                task = s.get(Task, task_id)
                setattr(task, column, _new_value(org, column, getattr(task, column)))
                s.flush()
        except PermissionDenied as exc:
            assert not allowed, f"a unit account could not change {column} of its own task: {exc}"
            assert _snapshot(db, task_id) == before
        else:
            assert allowed, f"a unit account changed {column} of a task (own={own})"
            assert _snapshot(db, task_id)[column] != before[column]


def _draft_fields() -> list[str]:
    return [f.name for f in fields(TaskDraft)]


@pytest.mark.parametrize("name", _draft_fields())
def test_update_task_lets_a_unit_change_only_progress_fields(org, name: str) -> None:
    """Through the service the editor and the CLI use, each field of the draft on its own."""
    db = org["db"]
    for task_id, own in ((org["other"], False), (org["own"], True)):
        before = _snapshot(db, task_id)
        with db.session() as s:
            draft = svc.draft_from_task(svc.get_task(s, task_id))
        values = asdict(draft)
        if name == "supporting_unit_ids":
            values[name] = [org["tt"] if task_id == org["own"] else org["vp"]]
        else:
            values[name] = _new_value(org, name, values[name])
        allowed = own and name in EXPECTED_PROGRESS
        try:
            with db.session() as s:
                svc.update_task(s, task_id, TaskDraft(**values))
        except PermissionDenied:
            assert not allowed, f"a unit account could not change {name} of its own task"
            assert _snapshot(db, task_id) == before
        else:
            assert allowed, f"a unit account changed {name} of a task (own={own})"


@pytest.mark.parametrize("name", _draft_fields())
def test_the_edit_rule_itself_refuses_every_other_field(name: str) -> None:
    """require_task_edit alone (the row check below it must not be what refuses)."""
    unit = CurrentUser("vp", "unit", 1)
    own, other = Task(lead_unit_id=1), Task(lead_unit_id=2)
    with pytest.raises(PermissionDenied):
        require_task_edit(unit, other, {name})
    with pytest.raises(PermissionDenied):
        require_task_edit(CurrentUser("xem", "viewer"), own, {name})
    if name in EXPECTED_PROGRESS:
        require_task_edit(unit, own, {name})
    else:
        with pytest.raises(PermissionDenied):
            require_task_edit(unit, own, {name})


def test_unit_cannot_add_or_delete_tasks_or_bulk_update(org) -> None:
    from sqlalchemy import update

    db = org["db"]
    with pytest.raises(PermissionDenied), db.session() as s:
        s.add(Task(content="Lén thêm", year=2024, lead_unit_id=org["vp"]))
    with pytest.raises(PermissionDenied), db.session() as s:
        s.delete(s.get(Task, org["own"]))
    with pytest.raises(PermissionDenied), db.session() as s:
        s.execute(update(Task).where(Task.id == org["own"]).values(due_date=date(2030, 1, 1)))
    with db.session() as s:
        assert s.scalar(select(Task.due_date).where(Task.id == org["own"])) == date(2024, 6, 30)
        assert len(s.scalars(select(Task)).all()) == 2


def test_services_without_a_check_of_their_own_are_refused_too(org) -> None:
    """Undo helpers: each says who may do it (and the row check is beneath them anyway)."""
    from cchc_desktop.services.documents import cite_document
    from cchc_desktop.services.plans import PlanSnapshot, restore_plan

    db = org["db"]
    with pytest.raises(PermissionDenied, match="chỉ người quản trị"), db.session() as s:
        cite_document(s, org["doc"], [org["own"]])
    with pytest.raises(PermissionDenied, match="chỉ người quản trị"), db.session() as s:
        restore_plan(s, PlanSnapshot(fields={"id": 99, "kind": "reform", "year": 2024,
                                             "title": "Kế hoạch giả"}, tasks=[]))
    with db.session() as s:
        assert s.get(Task, org["own"]).document_id is None
