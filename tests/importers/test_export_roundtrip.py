"""Exports: the workbook's form, and the round trip export → import → unchanged."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from cchc_desktop.exporters.xlsx import (
    DOCUMENT_HEADERS,
    TASK_HEADERS,
    export_documents,
    export_tasks,
)
from cchc_desktop.services.imports import import_documents, import_tasks
from cchc_desktop.services.task_queries import TaskFilter
from cchc_desktop.store.models import Task
from tests.importers.conftest import snapshot

AS_OF = date(2024, 11, 20)


def test_task_export_form(demo_db, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "tasks.xlsx"
    with demo_db.session() as s:
        count = export_tasks(s, path, as_of=AS_OF)
        first_due = s.scalar(select(Task.due_date).where(Task.due_date.is_not(None)).limit(1))
    assert count == 300 and first_due is not None
    ws = load_workbook(path).active
    header = [c.value for c in ws[4]]
    assert header == [h for h, _w in TASK_HEADERS]
    assert all(c.font.bold for c in ws[4])
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref.startswith("A4:N")
    assert ws.column_dimensions["B"].width == 60
    assert (ws["A5"].value, ws["B5"].value) == ("I", "Công tác chỉ đạo, điều hành CCHC")
    due_cells = [row[4] for row in ws.iter_rows(min_row=5) if row[4].value is not None]
    assert due_cells and all(isinstance(c.value, datetime) for c in due_cells)
    assert due_cells[0].number_format == "dd/mm/yyyy"


def test_round_trip_tasks_unchanged(demo_db, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "tasks.xlsx"
    with demo_db.session() as s:
        export_tasks(s, path, as_of=AS_OF)
    before = snapshot(demo_db)
    with demo_db.session() as s:
        report = import_tasks(s, path)
    assert report.ok, report.problem_lines()[:5]
    assert (report.added, report.updated, report.unchanged) == (0, 0, 300)
    assert report.created_units == [] and report.created_documents == []
    assert snapshot(demo_db) == before


def test_round_trip_into_an_empty_database_gives_the_same_tasks(demo_db, db_path, tmp_path) -> None:  # noqa: ANN001, E501
    from cchc_desktop.store.db import open_database

    path = tmp_path / "tasks.xlsx"
    flt = TaskFilter(assigned_by="UBND")
    with demo_db.session() as s:
        exported = export_tasks(s, path, flt, as_of=AS_OF)
    fresh = open_database(str(tmp_path / "fresh.sqlite3"))
    try:
        with fresh.session() as s:
            refused = import_tasks(s, path)
        assert refused.undecided_units and not refused.committed  # never created silently
        with fresh.session() as s:
            report = import_tasks(s, path, create_units=True)
        assert report.ok, report.problem_lines()[:5]
        assert report.added == exported > 0
        with fresh.session() as s:
            again = import_tasks(s, path)
        assert (again.added, again.updated, again.unchanged) == (0, 0, exported)

        def fields(database):  # noqa: ANN001, ANN202
            with database.session() as s:
                rows = s.scalars(select(Task)).all()
                return sorted(
                    (t.content, t.lead_unit.name, t.due_date, t.completed_on, t.area,
                     t.assigned_by, t.assigned_on, t.document.symbol if t.document else None,
                     tuple(sorted(u.name for u in t.supporting_units)))
                    for t in rows if fresh is database or "ubnd" in (t.assigned_by or "").lower()
                )

        assert fields(fresh) == fields(demo_db)
    finally:
        fresh.close()


def test_document_export_and_round_trip(demo_db, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "docs.xlsx"
    with demo_db.session() as s:
        count = export_documents(s, path)
    ws = load_workbook(path).active
    assert [c.value for c in ws[4]] == [h for h, _w in DOCUMENT_HEADERS]
    assert ws.max_row == 4 + count
    before = snapshot(demo_db)
    with demo_db.session() as s:
        report = import_documents(s, path)
    assert (report.added, report.updated, report.unchanged) == (0, 0, count)
    assert snapshot(demo_db) == before
