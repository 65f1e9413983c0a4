"""Alembic migrations, run by the application on the engine it opened."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.resources import resource_path


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resource_path("db", "migrations")))
    return config


def head_revision() -> str:
    """The newest migration this version of the application knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _backup_before_migration(engine: Engine) -> None:
    """Copy an existing SQLite database before its schema changes (Vorta's backup_current_db).

    A PostgreSQL server is backed up by its administrator (pg_dump), see README.
    """
    if engine.dialect.name != "sqlite":
        return
    database = engine.url.database
    if not database or database == ":memory:":
        return
    from cchc_desktop.store.backup import make_backup

    make_backup(Path(database), reason="migration")


def upgrade_to_head(engine: Engine) -> bool:
    """Bring the database to the newest schema; return True when something was applied.

    A database stamped with a revision this application does not know was made by
    a newer version: it is refused, never downgraded or touched.
    """
    config = _config()
    script = ScriptDirectory.from_config(config)
    current = current_revision(engine)
    head = script.get_current_head()
    if current == head:
        return False
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise EnvironmentProblem(
            "Cơ sở dữ liệu được tạo bởi phiên bản CCHC Desktop mới hơn. "
            "Hãy cập nhật phần mềm trước khi mở."
        )
    if current is not None:
        _backup_before_migration(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return True
