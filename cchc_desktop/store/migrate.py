"""Alembic migrations, run by the application on the engine it opened."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.resources import resource_path

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration in db/migrations/versions. Opening an up-to-date database
# compares against it with one SQL query and never imports Alembic (a third of the
# start-up time); a test checks that it equals Alembic's own head.
SCHEMA_HEAD = "0006"


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
    current = current_revision(engine)
    if current == SCHEMA_HEAD:
        return False
    from alembic import command
    from alembic.script import ScriptDirectory

    config = _config()
    script = ScriptDirectory.from_config(config)
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
