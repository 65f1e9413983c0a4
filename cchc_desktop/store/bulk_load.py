"""Writing many rows at once: the demo's million tasks in well under a minute and a half.

:func:`insert_rows` runs ``executemany`` in chunks; on SQLite it goes straight to the
driver's cursor, so a row costs SQLite's work and nothing of SQLAlchemy's. The rows must be
ready to store: every column given, derived columns included
(:func:`cchc_desktop.store.search_columns.task_index_values`), dates as ISO text on SQLite
(:func:`sqlite_value`).

:func:`empty_tasks_load` is for filling an *empty* ``tasks`` table (the demo replaces every
task): on SQLite the table's indexes and the full-text triggers are dropped while the rows
go in, and built once at the end (one sort instead of a million B-tree inserts; the
full-text 'rebuild' costs an eighth of the triggers' row-by-row work), with a larger page
cache. All of it happens inside the session's transaction: a failure rolls back
the rows, the dropped indexes and triggers alike. Durability is untouched (no
``synchronous=OFF``): the commit is as safe as any other.

On PostgreSQL the rows go through ``COPY ... FROM STDIN``; an empty load drops and rebuilds
the plain indexes as on SQLite (when the role owns the tables), moves the id sequence past
the ids written, and runs ANALYZE, all in the same transaction.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Connection, Date, DateTime, Table, text
from sqlalchemy.orm import Session

from cchc_desktop.store.search_columns import SQLITE_FTS_FILL, SQLITE_FTS_TRIGGERS

CHUNK = 20_000
_LOADED = ("tasks", "task_supporting_units")
_BULK_CACHE_KIB = 256 * 1024  # page cache while indexes are built (SQLite's default is 2 MiB)


def sqlite_value(value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite (dates and times as ISO text)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _chunks_made_ahead(rows: Iterable[Sequence[Any]], chunk: int) -> Iterator[list[Any]]:
    """The chunks of ``rows``, made by a helper thread while the caller writes the previous.

    SQLite's driver lets go of the interpreter while SQLite works, so making rows in
    Python and storing them (B-tree, full-text triggers) run on two cores. The thread is
    always joined; an error it meets is raised here.
    """
    ready: queue.Queue[list[Any] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def make() -> None:
        try:
            iterator = iter(rows)
            while not stop.is_set():
                batch = list(islice(iterator, chunk))
                if not batch:
                    break
                ready.put(batch)
            ready.put(None)
        except BaseException as exc:  # noqa: BLE001 (handed over to the writing thread)
            ready.put(exc)

    worker = threading.Thread(target=make, name="bulk-rows", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a producer blocked on a full queue finish
            try:
                ready.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]],
    *, chunk: int = CHUNK, ahead: bool = False,
) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) in chunks; return how many.

    On SQLite the values go to the driver as they are: pass dates through
    :func:`sqlite_value` first. ``ahead``: make the next chunk in a helper thread while
    one is written (``rows`` must then not touch the session).
    """
    connection = session.connection()
    count = 0
    batches = _chunks_made_ahead(rows, chunk) if ahead else _chunks(rows, chunk)
    if connection.dialect.name == "sqlite":
        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608 (our names)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for batch in batches:
                cursor.executemany(sql, batch)
                count += len(batch)
        finally:
            cursor.close()
        return count
    if connection.dialect.name == "postgresql":
        return _copy_rows(connection, table, columns, batches)
    insert = table.insert()
    for batch in batches:
        connection.execute(insert, [dict(zip(columns, row, strict=True)) for row in batch])
        count += len(batch)
    return count


def _copy_rows(connection: Any, table: Table, columns: Sequence[str],
               batches: Iterable[list[Any]]) -> int:
    """PostgreSQL: the rows through ``COPY ... FROM STDIN`` (one stream, no statement per
    row: a third of the time of executemany at a million rows)."""
    names = ", ".join(columns)
    cursor = connection.connection.driver_connection.cursor()
    count = 0
    try:
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:  # noqa: S608
            for batch in batches:
                for row in batch:
                    copy.write_row(row)
                count += len(batch)
    finally:
        cursor.close()
    return count


ROWS_PER_STATEMENT = 5000  # in fact fewer: SQLite allows 32,766 values a statement


def _default_of(column: Column[Any]) -> Callable[[], Any]:
    """What SQLAlchemy inserts for ``column`` when a row leaves it out: its Python default."""
    default = column.default
    if default is None:
        return lambda: None
    if default.is_scalar:
        return lambda: default.arg  # type: ignore[attr-defined]
    if default.is_callable:
        return lambda: default.arg(None)  # type: ignore[attr-defined]
    raise ValueError(f"{column.key}: a default insert_values cannot compute")


def insert_values(connection: Connection, table: Table, rows: Sequence[dict[str, Any]],
                  *, per_statement: int = ROWS_PER_STATEMENT) -> None:
    """Insert ``rows`` (dicts of column values, as for a Core ``insert``) on SQLite with
    multi-row ``INSERT ... VALUES (...), (...)`` statements of ``per_statement`` rows.

    Why not ``executemany``: a table with a full-text trigger (``tasks``) pays for each
    *statement*, not each row. SQLite opens a statement savepoint for every execution, and
    FTS5 writes its pending terms out as a new segment at each savepoint, then merges
    those segments again and again: one row per statement costs five times what 500 rows
    per statement cost. Every row has the keys of the first (as for a Core ``insert``);
    the other columns with a Python-side default are filled as SQLAlchemy fills them (a
    callable is called per row); dates go in as SQLAlchemy stores them
    (:func:`sqlite_value`). Through ``connection``: its transaction, its error wrapping
    and its parameter guard apply. Other databases: a Core ``executemany``.
    """
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(table.insert(), list(rows))
        return
    given = [c for c in table.columns if c.key in rows[0]]
    defaulted = [c for c in table.columns if c.key not in rows[0] and c.default is not None]
    columns = given + defaulted
    driver = connection.connection.driver_connection
    limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)  # type: ignore[union-attr]
    per_statement = max(1, min(per_statement, limit // len(columns)))
    names = ", ".join(f'"{c.name}"' for c in columns)
    one = f"({', '.join('?' * len(columns))})"
    take = itemgetter(*(c.key for c in given)) if len(given) > 1 else None
    defaults = [_default_of(c) for c in defaulted]
    dated = [i for i, c in enumerate(columns) if isinstance(c.type, Date | DateTime)]
    as_text: dict[Any, Any] = {}  # the same few dates and times on every row: made text once
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values: list[Any] = []
        for row in chunk:
            if take is not None:
                values.extend(take(row))
            else:
                values.extend(row[c.key] for c in given)
            values.extend(default() for default in defaults)
        width = len(columns)
        for first in dated:
            for i in range(first, len(values), width):
                value = values[i]
                if isinstance(value, date):
                    found = as_text.get(value)
                    if found is None:
                        found = as_text[value] = sqlite_value(value)
                    values[i] = found
        statement = f"INSERT INTO {table.name} ({names}) VALUES "  # noqa: S608 (our names)
        connection.exec_driver_sql(statement + ", ".join([one] * len(chunk)), tuple(values))


def _chunks(rows: Iterable[Sequence[Any]], chunk: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, chunk)):
        yield batch


@contextmanager
def empty_tasks_load(session: Session) -> Iterator[None]:
    """Fill the empty ``tasks`` table (and its links) with the indexes built at the end."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        with _postgres_empty_load(connection):
            yield
        return
    if connection.dialect.name != "sqlite":
        yield
        return
    if connection.execute(text("SELECT 1 FROM tasks LIMIT 1")).first() is not None:
        raise RuntimeError("empty_tasks_load needs an empty tasks table")
    if not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        # The driver opens a transaction only before a data change: DDL would commit alone.
        raise RuntimeError("empty_tasks_load must run inside a transaction")
    saved_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
    tables = ("tasks", "task_supporting_units")
    # CREATE statements exactly as the schema has them (automatic indexes have no SQL).
    marks = ", ".join(f"'{t}'" for t in tables)
    indexes = connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks}) "
        "AND sql IS NOT NULL").all()
    triggers = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
        f"({', '.join(repr(t) for t in SQLITE_FTS_TRIGGERS)})").all()
    try:
        for name, _sql in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        for name, _sql in triggers:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        yield
        for _name, sql in indexes:
            connection.exec_driver_sql(sql)
        if triggers:  # one pass over the table: eight times less work than row by row
            for statement in SQLITE_FTS_FILL:
                connection.exec_driver_sql(statement)
        for _name, sql in triggers:
            connection.exec_driver_sql(sql)
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(saved_cache or -2000)}")


# PostgreSQL: the indexes of the loaded tables that no constraint owns, with their DDL.
_PG_PLAIN_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = CAST(:table AS regclass) AND NOT EXISTS (
  SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)
"""
_PG_BUILD_MEMORY = "256MB"  # maintenance_work_mem while the indexes are built (default 64MB)


@contextmanager
def _postgres_empty_load(connection: Any) -> Iterator[None]:
    """PostgreSQL: the same idea as SQLite's (indexes built once at the end, the trigram GIN
    index above all), when the role owns the tables; then the id sequence is moved past the
    ids the load wrote, and the planner's statistics are refreshed (ANALYZE), so that the
    very first list after a million rows is planned on true figures."""
    if connection.execute(text("SELECT 1 FROM tasks LIMIT 1")).first() is not None:
        raise RuntimeError("empty_tasks_load needs an empty tasks table")
    owner = bool(connection.execute(text(
        "SELECT bool_and(pg_has_role(c.relowner, 'USAGE')) FROM pg_class c "
        "WHERE c.oid IN ('tasks'::regclass, 'task_supporting_units'::regclass)")).scalar())
    indexes: list[tuple[str, str]] = []
    if owner:
        for table in _LOADED:
            indexes += [(n, sql) for n, sql in connection.execute(text(_PG_PLAIN_INDEXES),
                                                                  {"table": table})]
        for name, _sql in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    if indexes:
        connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{_PG_BUILD_MEMORY}'")
        for _name, sql in indexes:
            connection.exec_driver_sql(sql)
    _advance_task_ids(connection)
    if owner:  # ANALYZE is the owner's (others get a warning); allowed in a transaction
        for table in _LOADED:
            connection.exec_driver_sql(f"ANALYZE {table}")


def _advance_task_ids(connection: Any) -> None:
    """Move the tasks' id sequence past the highest id (rows written with their ids), by
    drawing numbers (nextval): the USAGE right suffices, setval would need UPDATE."""
    sequence = connection.execute(text("SELECT pg_get_serial_sequence('tasks', 'id')")).scalar()
    if sequence is None:
        return
    highest = int(connection.execute(text("SELECT coalesce(max(id), 0) FROM tasks")).scalar())
    last, called = connection.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
    missing = highest - (int(last) + 1 if called else int(last)) + 1
    if missing > 0:
        connection.execute(text("SELECT max(nextval(CAST(:s AS regclass))) "
                                "FROM generate_series(1, :n)"), {"s": sequence, "n": missing})
