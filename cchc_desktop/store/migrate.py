"""Alembic migrations, run by the application on the engine it opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from cchc_desktop.errors import EnvironmentProblem, UserError
from cchc_desktop.resources import resource_path
from cchc_desktop.store.sqlite_file import DatabaseDamaged, NewerDatabase, environment_problem

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration in db/migrations/versions. Opening an up-to-date database
# compares against it with one SQL query and never imports Alembic (a third of the
# start-up time); a test checks that it equals Alembic's own head.
SCHEMA_HEAD = "0012"


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resource_path("db", "migrations")))
    return config


def head_revision() -> str:
    """The newest migration this version of the application knows (asks Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None  # no alembic_version table: a new, empty database


def _backup_before_migration(engine: Engine) -> None:
    """Copy an existing SQLite database before its schema changes (Vorta's backup_current_db).

    The copy goes to its own folder, apart from the daily rotation (see
    :func:`cchc_desktop.store.backup.backup_before_migration`).
    A PostgreSQL server is backed up by its administrator (pg_dump), see README.
    """
    if engine.dialect.name != "sqlite":
        return
    database = engine.url.database
    if not database or database == ":memory:":
        return
    from cchc_desktop.store.backup import backup_before_migration

    backup_before_migration(Path(database))


class MigrationFailed(DatabaseDamaged):
    """The upgrade of the schema failed; the database was left as it was (one transaction)."""


def _sqlite_migration_engine(engine: Engine) -> Engine:
    """An engine whose transactions are real SQLite transactions, DDL included.

    The standard library driver only begins a transaction before INSERT/UPDATE/DELETE, so
    ``CREATE TABLE`` and the table copies of batch operations would each be committed on
    their own, and a crash half-way would leave a schema no revision describes. Here the
    driver's own handling is off and every transaction is ``BEGIN IMMEDIATE``; foreign
    keys are off while tables are rebuilt and checked before the commit (the procedure of
    https://www.sqlite.org/lang_altertable.html#otheralter).
    """
    migration_engine = create_engine(engine.url, poolclass=NullPool,
                                     connect_args={"timeout": 5, "isolation_level": None})

    @event.listens_for(migration_engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=FULL")

    @event.listens_for(migration_engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return migration_engine


def _run_upgrade(connection: Connection) -> None:
    from alembic import command

    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the upgrade: {broken[:3]}")


def upgrade_to_head(engine: Engine) -> bool:
    """Bring the database to the newest schema; return True when something was applied.

    The whole upgrade (every revision and its version stamp) is one transaction, on SQLite
    too: a crash at any point leaves the database as it was before, and the next start
    upgrades it again. A database stamped with a revision this application does not know
    was made by a newer version: it is refused, never downgraded or touched.
    """
    current = current_revision(engine)
    if current == SCHEMA_HEAD:
        return False
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    if current == head:
        return False
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise NewerDatabase("Cơ sở dữ liệu", current)
    if current is not None:
        _backup_before_migration(engine)
    target = _sqlite_migration_engine(engine) if engine.dialect.name == "sqlite" else engine
    try:
        with target.begin() as conn:
            _run_upgrade(conn)
    except (OperationalError, sqlite3.OperationalError) as exc:
        problem = environment_problem(exc)
        if problem is not None:
            raise problem from exc
        raise _failed(engine, current, exc) from exc
    except UserError:
        raise
    except Exception as exc:  # a migration that cannot run on this data
        raise _failed(engine, current, exc) from exc
    finally:
        if target is not engine:
            target.dispose()
    return True


def _failed(engine: Engine, current: str | None, exc: BaseException) -> UserError:
    path = Path(engine.url.database) if engine.dialect.name == "sqlite" and engine.url.database \
        else None
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]
    if path is None:
        return EnvironmentProblem(f"Không nâng cấp được cơ sở dữ liệu: {detail}")
    from cchc_desktop.store.backup import newest_good_backup

    backup = newest_good_backup(path)
    hint = (f" Bản sao lưu tốt gần nhất: {backup.name}." if backup
            else " Không tìm thấy bản sao lưu tốt nào.")
    return MigrationFailed(
        f"Không nâng cấp được cơ sở dữ liệu lên phiên bản mới ({detail}). Cơ sở dữ liệu được "
        f"giữ nguyên ở lược đồ {current or 'trống'}, không mất dữ liệu.{hint}",
        path, backup)
