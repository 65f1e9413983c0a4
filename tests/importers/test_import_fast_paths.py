"""The shortcuts that make a 10,000-row import fast store exactly what the slow way stored.

- store/bulk_load.insert_values (multi-row INSERT statements on SQLite) writes the same
  values as a Core ``insert`` (defaults, dates, NULLs), whatever the rows per statement;
- the audit chain's inlined hashing (audit_chain.chain_rows) gives :func:`row_hash`;
- the import's memos (units, documents, cells read once per distinct text) answer every
  row as if it were asked alone: each row is still listed, a bad cell is still reported
  on each row, a document created later is still found by the rows after it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Table, insert, select, text

from cchc_desktop.importers.sheet import SheetData
from cchc_desktop.services.imports import _Documents, import_tasks
from cchc_desktop.store.audit_chain import GENESIS, chain_rows, row_hash, verify_chain
from cchc_desktop.store.bulk_load import insert_values
from cchc_desktop.store.models import AuditEntry, Document, Task, Unit
from tests.importers.conftest import HEADER

TODAY = date(2024, 11, 20)
TASKS: Table = Task.__table__  # type: ignore[assignment]


def _task(n: int, **values: object) -> dict[str, object]:
    """The columns an import gives (every row the same keys); the rest take defaults."""
    row: dict[str, object] = {"content": f"Việc {n}", "year": 2024, "position": n,
                              "content_key": f"viec {n}", "due_date": None,
                              "completed_on": None, "assigned_on": None, "lead_unit_id": None,
                              "note": "", "area": 1, "output": ""}
    row.update(values)
    return row


def _stored(session, ids: list[int]) -> list[tuple]:  # noqa: ANN001
    skip = {"created_at", "updated_at"}  # the clock's: compared apart
    columns = [c for c in TASKS.columns if c.key not in skip]
    return [tuple(r) for r in session.execute(
        select(*columns).where(TASKS.c.id.in_(ids)).order_by(TASKS.c.id))]


@pytest.mark.parametrize("per_statement", [1, 2, 500])
def test_insert_values_stores_what_a_core_insert(db, per_statement: int) -> None:  # noqa: ANN001
    with db.session() as session:
        unit = Unit(name="Văn phòng Sở")
        session.add(unit)
        session.flush()
        rows = [_task(1, due_date=date(2024, 3, 1), completed_on=None, lead_unit_id=unit.id),
                _task(2, note="Ghi chú", assigned_on=date(2024, 1, 2)),
                _task(3, area=None, output="Báo cáo"),
                _task(4, note="đã xong", due_date=date(2024, 12, 31)),
                _task(5)]
        for n, row in enumerate(rows, start=1):
            row["id"] = n
        session.execute(insert(TASKS), [dict(r) for r in rows])
        moved = [{**r, "id": r["id"] + 100} for r in rows]
        insert_values(session.connection(), TASKS, moved, per_statement=per_statement)
        expected = [(i + 100, *rest) for i, *rest in _stored(session, [1, 2, 3, 4, 5])]
        assert _stored(session, [101, 102, 103, 104, 105]) == expected
        # Dates and times as SQLAlchemy writes them in SQLite (text the ORM reads back).
        raw = session.execute(text(
            "SELECT due_date, created_at, version, completion_note FROM tasks WHERE id = 101"
        )).one()
        assert raw[0] == "2024-03-01" and len(raw[1]) == len("2024-01-01 00:00:00.000000")
        assert (raw[2], raw[3]) == (1, "")
        assert isinstance(session.get(Task, 101).created_at, datetime)


def test_insert_values_keeps_the_full_text_index_in_step(db) -> None:  # noqa: ANN001
    with db.session() as session:
        rows = [_task(n, id=n, search_text=f"viec so {n} bao cao") for n in range(1, 8)]
        insert_values(session.connection(), TASKS, rows, per_statement=3)
        found = session.execute(text(
            "SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH "
            "'\"o 5\" AND \" 5 \" AND \"5 b\"'")).scalars().all()  # "so 5 bao"'s own
        assert found == [5]


def test_chained_rows_hash_as_row_hash_does(db) -> None:  # noqa: ANN001
    base = {"username": "admin", "action": "create", "entity": "task", "field": None,
            "old_value": None, "new_value": "{}"}
    rows = [
        {**base, "at": datetime(2024, 5, 1, 8, 0, 0, 123456), "entity_id": 1},
        {**base, "at": datetime(2024, 5, 1, 8, 0, 0), "entity_id": None, "field": "note",
         "old_value": "a\\Nb", "new_value": None},
        {**base, "at": datetime(2024, 5, 1, 8, 0, 1), "entity_id": 3},
        {**base, "at": datetime(2024, 5, 1, 8, 0, 0), "entity_id": 4},
    ]
    last = chain_rows(GENESIS, [dict(r) for r in rows])
    prev = GENESIS
    for row in rows:
        row["at"] = row["at"].replace(microsecond=0)
        prev = row_hash(prev, row)
    assert last == prev
    # Written through the multi-row path, the chain verifies.
    with db.session() as session:
        conn = session.connection()
        from cchc_desktop.store.audit_chain import append_rows

        append_rows(conn, [dict(r) for _ in range(300) for r in rows])
        assert session.query(AuditEntry).count() >= 1200
        assert verify_chain(conn).ok


def _sheet(rows: list[list[object]]) -> SheetData:
    numbered = [(1, HEADER), *((n, r) for n, r in enumerate(rows, start=2))]
    return SheetData(path=Path("dan.txt"), sheet_name="", rows=numbered)  # type: ignore[arg-type]


def _row(n: int, lead: str, support: str | None = None, document: str | None = None,
         due: object = None) -> list[object]:
    return [n, f"Nhiệm vụ {n}", "Báo cáo", "Quý II", due, None, lead, support, document,
            "UBND tỉnh", ""]


def test_each_row_of_a_repeated_unknown_unit_is_listed(db) -> None:  # noqa: ANN001
    rows = [_row(n, "Phòng Mới", "Phòng Khác;\nPhòng Mới") for n in range(1, 6)]
    with db.session() as session:
        report = import_tasks(session, _sheet(rows), year=2024, today=TODAY, dry_run=True)
    unknown = {u.written: u.rows for u in report.unknown_units}
    assert unknown == {"Phòng Mới": [2, 3, 4, 5, 6], "Phòng Khác": [2, 3, 4, 5, 6]}
    assert not report.ok


def test_a_bad_cell_repeated_is_reported_on_every_row(db) -> None:  # noqa: ANN001
    rows = [_row(n, "Văn phòng Sở", document="Kế hoạch ngày 32/13/2021", due="31/02/2024")
            for n in range(1, 4)]
    with db.session() as session:
        report = import_tasks(session, _sheet(rows), year=2024, today=TODAY, dry_run=True,
                              create_units=True)
    assert [row for row, _reason in report.problems] == [2, 3, 4]
    assert len({reason for _row, reason in report.problems}) == 1


def test_a_document_created_by_a_later_row_answers_the_rows_after_it(db) -> None:  # noqa: ANN001
    """The memo of _Documents is forgotten when a document is added: as without it."""
    from cchc_desktop.importers.cells import parse_document_ref

    with db.session() as session:
        session.add(Document(symbol="36/KH-UBND", issued_on=date(2021, 1, 26), issuer=""))
        session.flush()
        stored = session.scalar(select(Document.id))
        documents = _Documents(session)
        plain = parse_document_ref("36/KH-UBND ngày 02/03/2021")
        with_body = parse_document_ref("36/KH-UBND ngày 02/03/2021 của Sở Nội vụ")
        assert documents.resolve(plain) == stored  # no date matches: the one stored
        created = documents.resolve(with_body)
        assert created < 0
        assert documents.resolve(plain) == created  # now one with its date exists
        assert documents.resolve(with_body) == created


def test_the_log_made_beside_the_insert_is_the_log_made_after_it(db) -> None:  # noqa: ANN001
    """store/audit.record_inserted(during=...): same "create" rows, the insert run once."""
    from cchc_desktop.store.audit import list_audit, record_inserted

    runs: list[int] = []
    with db.session() as session:
        days = [date(2024, 1 + n % 12, n % 28 + 1) for n in range(41)]
        rows = [_task(n, id=n, due_date=days[n]) for n in range(1, 41)]
        conn = session.connection()

        def insert() -> None:
            runs.append(1)
            insert_values(conn, TASKS, rows)

        record_inserted(session, Task, rows, during=insert)
        later = [_task(n, id=n + 100, due_date=days[n]) for n in range(1, 41)]
        insert_values(conn, TASKS, later)
        record_inserted(session, Task, later)
    assert runs == [1]
    with db.session() as session:
        entries = {e.entity_id: e.new_value for e in list_audit(session, entity="task")}
        assert verify_chain(session.connection()).ok
    assert sorted(entries) == [*range(1, 41), *range(101, 141)]
    assert all(entries[n] == entries[n + 100].replace(f'"id": {n + 100}', f'"id": {n}')
               for n in range(1, 41))


def test_an_insert_that_fails_beside_the_log_raises_and_logs_nothing(db) -> None:  # noqa: ANN001
    import threading

    from cchc_desktop.errors import ValidationError
    from cchc_desktop.store.audit import record_inserted

    threads = threading.active_count()

    def fail() -> None:
        raise ValidationError("Không lưu được.")

    with db.session() as session:
        before = session.query(AuditEntry).count()
        with pytest.raises(ValidationError):
            record_inserted(session, Task, [_task(n, id=n) for n in range(1, 2001)], during=fail)
        assert session.query(AuditEntry).count() == before
    assert threading.active_count() == threads
