"""New tasks are written with one Core INSERT: what the ORM's hooks did still holds.

Every created task has its "create" row in the audit log (the same snapshot a flush
writes), a value no column can hold is refused with nothing written, the import can be
undone and redone (same ids), and a second import of the sheet changes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from cchc_desktop.errors import ValidationError
from cchc_desktop.importers.sheet import SheetData
from cchc_desktop.services import tasks as task_service
from cchc_desktop.services.imports import import_tasks
from cchc_desktop.store.audit import _row_snapshot, list_audit
from cchc_desktop.store.models import Task, task_supporting_units
from tests.importers.conftest import HEADER, snapshot

TODAY = date(2024, 11, 20)


def _rows(n: int) -> list[list[object]]:
    return [[i, f"Nhiệm vụ {i}", "Báo cáo", "Quý II", None, "01/06/2024" if i % 2 else None,
             "Văn phòng Sở", "Thanh tra Sở;\nPhòng Tổ chức cán bộ", "36/KH-UBND ngày 26/01/2021",
             "UBND tỉnh", ""] for i in range(1, n + 1)]


def _import(db, source, **kwargs):  # noqa: ANN001, ANN003, ANN201
    with db.session() as session:
        return import_tasks(session, source, year=2024, today=TODAY, create_units=True,
                            **kwargs)


def test_each_created_task_is_in_the_audit_log_as_a_flush_writes_it(any_db, make_sheet) -> None:  # noqa: ANN001
    report = _import(any_db, make_sheet([HEADER, *_rows(30)]))
    assert report.added == 30 and len(report.created_task_ids) == 30
    mapper = inspect(Task)
    with any_db.session() as session:
        created = {a.entity_id: a for a in list_audit(session, entity="task")
                   if a.action == "create"}
        assert set(created) == set(report.created_task_ids)
        stored = {row.id: row for row in session.execute(select(Task.__table__))}
        for task_id, entry in created.items():
            # The snapshot the audit module takes of a stored row: same keys, same values.
            assert json.loads(entry.new_value) == json.loads(_row_snapshot(mapper, stored[task_id]))
            assert entry.username == "admin"
        assert json.loads(created[report.created_task_ids[0]].new_value)["completion_note"] == ""
        links = session.execute(select(func.count()).select_from(task_supporting_units)).scalar()
        assert links == 60
        # Supporting units keep the order the plan wrote them in.
        first = session.get(Task, report.created_task_ids[0])
        assert [u.name for u in first.supporting_units] == ["Thanh tra Sở", "Phòng Tổ chức cán bộ"]


def test_reimport_is_unchanged_and_writes_nothing(any_db, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([HEADER, *_rows(20)])
    _import(any_db, path)
    before = snapshot(any_db)
    with any_db.session() as session:
        audit_rows = len(list_audit(session))
    report = _import(any_db, path)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 20)
    assert {r.action for r in report.rows} == {"không đổi"}
    assert snapshot(any_db) == before
    with any_db.session() as session:
        assert len(list_audit(session)) == audit_rows


def test_a_value_no_column_can_hold_is_refused_and_nothing_is_written(any_db) -> None:  # noqa: ANN001
    rows = [(1, ["STT", "Nội dung", "Cơ quan chủ trì"]),
            (2, [1, "Việc bình thường", "Văn phòng Sở"]),
            (3, [2, "Việc có ký tự\x07 lạ", "Văn phòng Sở"])]
    source = SheetData(path=Path("dan.txt"), sheet_name="", rows=rows)
    before = snapshot(any_db)
    with pytest.raises(ValidationError, match="ký tự điều khiển"):
        _import(any_db, source)
    assert snapshot(any_db) == before


def test_an_import_undone_and_redone_keeps_its_ids(any_db, make_sheet) -> None:  # noqa: ANN001
    """What Ctrl+Z after an import does (gui/tasks/commands.ImportedTasksCommand)."""
    report = _import(any_db, make_sheet([HEADER, *_rows(12)]))
    ids = report.created_task_ids
    with any_db.session() as session:
        snapshots = task_service.delete_tasks(session, ids)
    with any_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Task)) == 0
        deleted = {a.entity_id for a in list_audit(session, entity="task") if a.action == "delete"}
        assert deleted == set(ids)
    with any_db.session() as session:
        for s in snapshots:
            task_service.restore_task(session, s)
    with any_db.session() as session:
        restored = session.scalars(select(Task).order_by(Task.id)).all()
        assert [t.id for t in restored] == ids
        assert [len(t.supporting_units) for t in restored] == [2] * 12


def test_new_ids_follow_the_largest_even_after_deletes(db, make_sheet) -> None:  # noqa: ANN001
    """SQLite: the ids the import gives are the ones after the largest stored id."""
    first = _import(db, make_sheet([HEADER, *_rows(5)]))
    with db.session() as session:
        task_service.delete_tasks(session, first.created_task_ids[:2])
    rows = [[i, f"Việc khác {i}", None, None, None, None, "Thanh tra Sở", None, None, None, None]
            for i in range(1, 4)]
    second = _import(db, make_sheet([HEADER, *rows]))
    assert second.created_task_ids == [6, 7, 8]
    with db.session() as session:
        assert session.scalars(select(Task.id).order_by(Task.id)).all() == [3, 4, 5, 6, 7, 8]


def test_bulk_rows_get_the_guard_of_a_flush() -> None:
    """store/guard.check_rows: what the flush-time guard refuses, for Core rows."""
    from cchc_desktop.store.guard import check_rows

    table = Task.__table__
    check_rows(table, [{"content": "Việc", "year": 2024, "assigned_by": "UBND tỉnh"}] * 3)
    with pytest.raises(ValidationError) as caught:
        check_rows(table, [{"content": "Việc", "year": 2024},
                           {"content": "Việc", "assigned_by": "x" * 201, "year": 2**40}])
    assert caught.value.problems == ["Cơ quan giao: quá dài (201 ký tự, tối đa 200).",
                                     f"year: số {2**40} nằm ngoài giới hạn cho phép."]
