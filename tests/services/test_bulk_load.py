"""Bulk loads (the demo's million tasks): COPY on PostgreSQL, indexes rebuilt, ids moved on."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

import pytest
from sqlalchemy import Table, func, select, text

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.demo import build_demo
from cchc_desktop.services.units import create_unit
from cchc_desktop.store.bulk_load import insert_rows, sqlite_value
from cchc_desktop.store.models import Task, Unit
from cchc_desktop.store.search_columns import TASK_INDEX_COLUMNS, task_index_values

TODAY = date(2024, 11, 20)


def test_a_task_added_after_the_demo_gets_a_new_id(any_db) -> None:
    # The demo writes its tasks with their ids: PostgreSQL's sequence must be moved past
    # them, or the next task collides with task 1 (duplicate key).
    with any_db.session() as s:
        build_demo(s, 60, seed=3, today=TODAY)
    with any_db.session() as s:
        highest = s.scalar(select(func.max(Task.id)))
        lead = s.scalar(select(Unit.id).order_by(Unit.id))
        created = svc.create_task(s, TaskDraft(content="Nhiệm vụ mới sau dữ liệu mẫu",
                                               lead_unit_id=lead, year=2024)).id
    assert highest == 60 and created > highest


def test_the_demo_leaves_postgres_indexes_as_the_schema_has_them_and_analyzed(pg_db) -> None:
    def indexes() -> set[tuple[str, str]]:
        with pg_db.session() as s:
            return set(s.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                "('tasks', 'task_supporting_units')")).all())

    before = indexes()
    assert any(name == "ix_tasks_search_text_trgm" for name, _ in before)
    with pg_db.session() as s:
        build_demo(s, 80, seed=3, today=TODAY)
    assert indexes() == before
    with pg_db.session() as s:
        analyzed = s.execute(text(
            "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname IN ('tasks', 'task_supporting_units')")).all()
        assert dict(analyzed) == {"tasks": True, "task_supporting_units": True}
        # the trigram index serves the search after the rebuild
        found = s.scalar(text("SELECT count(*) FROM tasks WHERE search_text LIKE '%bao cao%'"))
        assert found and found > 0


def test_rows_written_in_bulk_read_back_exactly(any_db) -> None:
    # COPY's text format has its own escapes (tab, newline, backslash): nothing may change.
    awkward = "Tab\there, new\nline, back\\slash \\N, 'quote' \"double\" — Đổi số 100%"
    with any_db.session() as s:
        lead = create_unit(s, "Văn phòng Sở", "VP").id
    sqlite = any_db.is_sqlite
    columns = ("id", "year", "position", "content", "content_key", "output", "timing_text",
               "due_date", "completed_on", "lead_unit_id", "completion_note", "note",
               "created_at", "updated_at", "version", "area", "assigned_by",
               *[c for c in TASK_INDEX_COLUMNS if c != "content_key"])
    stamp = datetime(2024, 5, 6, 7, 8, 9)

    def value(v: object) -> object:
        return sqlite_value(v) if sqlite else v

    rows = []
    for n in range(1, 4):
        index = task_index_values(awkward, "Báo cáo", None, "Quý II")
        derived = [index[c] for c in TASK_INDEX_COLUMNS if c != "content_key"]
        rows.append((n, 2024, n, awkward, index["content_key"], "Báo cáo", "Quý II",
                     value(date(2024, 6, n)), None, lead, "", "", value(stamp), value(stamp),
                     1, None if n == 2 else n, None, *derived))
    with any_db.session() as s:
        written = insert_rows(s, cast(Table, Task.__table__), columns, rows, chunk=2)
    assert written == 3
    with any_db.session() as s:
        got = s.execute(select(Task.id, Task.content, Task.due_date, Task.completed_on,
                               Task.area, Task.created_at, Task.search_text)
                        .order_by(Task.id)).all()
    assert [tuple(r) for r in got] == [
        (n, awkward, date(2024, 6, n), None, None if n == 2 else n, stamp,
         task_index_values(awkward, "Báo cáo", None, "Quý II")["search_text"])
        for n in range(1, 4)]


@pytest.mark.postgres
def test_postgres_connections_run_without_jit(pg_db) -> None:
    # JIT compiling a count over a million tasks costs more than it saves (80-180 ms).
    with pg_db.session() as s:
        assert s.scalar(text("SHOW jit")) == "off"


def test_the_lead_unit_index_is_postgres_only(any_db) -> None:
    # Migration 0010: PostgreSQL needs (lead_unit_id, id); SQLite's index on lead_unit_id
    # already ends with the id (the rowid), and its schema stays as it was.
    from sqlalchemy import inspect

    names = {ix["name"] for ix in inspect(any_db.engine).get_indexes("tasks")}
    assert ("ix_tasks_lead_unit_id_id" in names) == (not any_db.is_sqlite)
    assert "ix_tasks_lead_unit_id" in names
