"""Write locks that make an import read what another import just committed.

Without them, two PCs importing the same sheet at the same moment both read "no such
task yet" and both add it (and both add the same new document: the second ends on the
unique constraint). An import takes its lock *before* it reads what already exists, and
keeps it to the end of its transaction; the one that comes second waits, then reads the
first one's rows and finds its own rows there ("không đổi").

- PostgreSQL: transaction-level advisory locks (``pg_advisory_xact_lock``), one per
  plan (or one for tasks outside plans) and one for the catalogue (units, documents) that
  imports add to. The server releases them at commit or rollback, also when the client
  dies. Taken in the order plan, then catalogue, so two imports never wait on each other
  in a circle.
- SQLite: the database's one write lock, taken at once (``BEGIN IMMEDIATE``) instead of
  at the first INSERT. It waits up to a minute (``IMPORT_WAIT_MS``); past it the import
  fails with "đang bị khóa" and writes nothing.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from cchc_desktop.store.db import SQLITE_BUSY_TIMEOUT_MS

__all__ = ["CATALOGUE", "lock_catalogue", "lock_plan_import"]

# Namespaces of the two-integer advisory lock keys (the audit chain uses the one-integer
# form, a separate key space).
_PLAN_IMPORT = 0x43434801  # "CCH" 1: tasks of one plan (key 0: tasks outside plans)
_CATALOGUE = 0x43434802  # "CCH" 2: units and documents
CATALOGUE = 0
# How long an import waits for SQLite's write lock (another import, a backup) before it
# gives up with "đang bị khóa".
IMPORT_WAIT_MS = 60_000


def _write_lock(session: Session, namespace: int, key: int) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Taking it again in the same transaction is harmless: it is released at its end.
        connection.execute(text("SELECT pg_advisory_xact_lock(:ns, :key)"),
                           {"ns": namespace, "key": key})
    elif connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        # pysqlite opens a transaction only before the first INSERT/UPDATE/DELETE, so the
        # reads before it see the database as it was then. BEGIN IMMEDIATE takes the write
        # lock now (waiting for another writer to commit); once a write has started the
        # transaction already holds it.
        if raw is not None and not raw.in_transaction:
            # Another import holds it for a second or two; wait longer than the usual
            # busy timeout for it, then go back to that.
            connection.exec_driver_sql(f"PRAGMA busy_timeout={IMPORT_WAIT_MS}")
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            finally:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def lock_plan_import(session: Session, plan_id: int | None) -> None:
    """Hold, to the end of the transaction, the right to add tasks to ``plan_id`` (None:
    tasks outside plans). Call it before reading the tasks an import compares with."""
    _write_lock(session, _PLAN_IMPORT, plan_id or 0)


def lock_catalogue(session: Session) -> None:
    """Hold, to the end of the transaction, the right to add units and documents. After
    :func:`lock_plan_import` when both are needed; read the catalogue again after it."""
    _write_lock(session, _CATALOGUE, CATALOGUE)
