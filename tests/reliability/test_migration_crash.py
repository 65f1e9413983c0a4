"""A process killed at any point of a schema upgrade leaves a database that opens with its data."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store import backup
from cchc_desktop.store.db import DatabaseDamaged, open_database
from cchc_desktop.store.migrate import SCHEMA_HEAD, MigrationFailed, _config
from tests.reliability.conftest import fill

ROOT = Path(__file__).resolve().parents[2]

# Counts the statements SQLAlchemy sends while the database is opened (and upgraded), and
# SIGKILLs itself just before statement number argv[2] (0: never, print the count).
_UPGRADE = """
import os, signal, sys
from sqlalchemy import Engine, event

kill_at = int(sys.argv[2])
count = 0

@event.listens_for(Engine, "before_cursor_execute")
def _count(*_args):
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

from cchc_desktop.store.db import open_database

open_database(sys.argv[1]).close()
print(f"statements {count}", flush=True)
"""


@pytest.fixture(scope="module")
def old_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with data at the first schema revision, as an old version left it."""
    from alembic import command

    folder = tmp_path_factory.mktemp("old")
    path = folder / "cchc.sqlite3"
    database = open_database(str(path))
    fill(database, 5)
    database.close()
    engine = create_engine(f"sqlite:///{path}")
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    engine.dispose()
    shutil.rmtree(folder / "backups", ignore_errors=True)
    return path


def _revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def _run(path: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", _UPGRADE, str(path), str(kill_at)],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_at_any_point_of_an_upgrade_leaves_a_database_that_opens(
        old_database: Path, tmp_path: Path) -> None:
    assert _revision(old_database) == "0001"
    probe = tmp_path / "probe" / "cchc.sqlite3"
    probe.parent.mkdir()
    shutil.copy(old_database, probe)
    done = _run(probe, 0)
    assert done.returncode == 0, done.stderr
    total = int(done.stdout.split()[1])
    assert _revision(probe) == SCHEMA_HEAD
    # Every point of the open: the checks, the backup, every revision's DDL and version
    # stamp, the commit. Before the fix, a kill after revision 0002's CREATE TABLE left
    # "table evidence_blobs already exists" on every later start.
    for kill_at in range(1, total + 1):
        case = tmp_path / f"kill-{kill_at}" / "cchc.sqlite3"
        case.parent.mkdir()
        shutil.copy(old_database, case)
        killed = _run(case, kill_at)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
        assert _revision(case) in {"0001", SCHEMA_HEAD}, kill_at  # all or nothing
        database = open_database(str(case))  # the next start: opens and finishes the upgrade
        with database.session() as s:
            tasks = s.execute(text("SELECT count(*) FROM tasks")).scalar()
            ok = s.execute(text("PRAGMA integrity_check")).scalar()
        database.close()
        assert (tasks, ok, _revision(case)) == (5, "ok", SCHEMA_HEAD), kill_at
        # Retries never pile up copies, and the copy before the upgrade is kept apart.
        before_upgrade = [b for b in backup.list_backups(case) if b.reason == "migration"]
        assert len(before_upgrade) <= 1, kill_at
        for info in before_upgrade:
            assert info.path.parent == backup.migration_backups_dir(case)
            assert _revision(info.path) == "0001"


def test_pre_upgrade_copies_survive_the_rotation(old_database: Path, tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    shutil.copy(old_database, path)
    open_database(str(path), auto_backup=False).close()
    copies = [b for b in backup.list_backups(path) if b.reason == "migration"]
    assert len(copies) == 1 and _revision(copies[0].path) == "0001"
    for _ in range(4):
        backup.make_backup(path, reason="manual", keep=1)
    assert [b.reason for b in backup.list_backups(path)].count("migration") == 1
    assert copies[0].path.exists()


def test_a_database_that_fails_to_upgrade_is_left_as_it_was_and_can_be_restored(
        old_database: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from cchc_desktop.cli.main import main

    path = tmp_path / "cchc.sqlite3"
    shutil.copy(old_database, path)
    good = backup.make_backup(path, tmp_path / "good.sqlite3")
    conn = sqlite3.connect(path)  # something in the way of revision 0002's new table
    conn.execute("CREATE TABLE evidence_blobs (x INTEGER)")
    conn.commit()
    conn.close()
    for _attempt in range(2):
        with pytest.raises(MigrationFailed) as info:
            open_database(str(path))
        assert "Không nâng cấp được" in info.value.message
        assert isinstance(info.value, DatabaseDamaged) and info.value.path == path
        assert _revision(path) == "0001"  # rolled back, not half-upgraded
    assert info.value.backup is not None  # offered to the GUI, named by the CLI
    assert [b.reason for b in backup.list_backups(path)].count("migration") == 1
    assert main(["--db", str(path), "tasks", "list"]) == 1
    assert "Không nâng cấp được" in capsys.readouterr().err
    assert main(["--db", str(path), "restore", str(good)]) == 0
    database = open_database(str(path))
    with database.session() as s:
        assert s.execute(text("SELECT count(*) FROM tasks")).scalar() == 5
    database.close()


def test_a_database_made_by_a_newer_version_is_refused_untouched(old_database: Path,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    shutil.copy(old_database, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(EnvironmentProblem, match="mới hơn"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_known_revisions_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    from cchc_desktop.store.sqlite_file import known_revisions

    script = ScriptDirectory.from_config(_config())
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}


# A future revision that rebuilds the tasks table (batch mode copies it on SQLite): the
# children run with a migrations folder holding it, as a newer version of the application.
_BATCH_REVISION = '''
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"


def upgrade() -> None:
    with op.batch_alter_table("tasks", recreate="always") as batch:
        batch.add_column(sa.Column("extra_note", sa.Text(), nullable=True))
'''

_NEWER_APP = """
import os, signal, sys
from alembic.config import Config
from sqlalchemy import Engine, event, text
import cchc_desktop.store.backup as backup_module
import cchc_desktop.store.migrate as migrate
import cchc_desktop.store.sqlite_file as sqlite_file

def _config():
    config = Config()
    config.set_main_option("script_location", sys.argv[3])
    return config

migrate._config = _config
migrate.SCHEMA_HEAD = "0099"
known = sqlite_file.known_revisions() | {"0099"}
sqlite_file.known_revisions = backup_module.known_revisions = lambda: known
kill_at = int(sys.argv[2])
count = 0

@event.listens_for(Engine, "before_cursor_execute")
def _count(*_args):
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

from cchc_desktop.store.db import open_database

db = open_database(sys.argv[1])
with db.engine.connect() as conn:
    tasks = conn.execute(text("SELECT count(*) FROM tasks WHERE extra_note IS NULL")).scalar()
db.close()
print(f"statements {count} tasks {tasks}", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_while_a_table_is_rebuilt_loses_nothing(tmp_path: Path) -> None:
    from cchc_desktop.resources import resource_path

    scripts = tmp_path / "migrations"
    shutil.copytree(resource_path("db", "migrations"), scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_rebuild_tasks.py").write_text(
        _BATCH_REVISION.format(head=SCHEMA_HEAD), encoding="utf-8")
    current = tmp_path / "current.sqlite3"
    database = open_database(str(current))
    fill(database, 7)
    database.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def newer_app(path: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", _NEWER_APP, str(path), str(kill_at),
                               str(scripts)], capture_output=True, text=True, env=env, timeout=120)

    probe = tmp_path / "probe" / "cchc.sqlite3"
    probe.parent.mkdir()
    shutil.copy(current, probe)
    done = newer_app(probe, 0)
    assert done.returncode == 0, done.stderr
    total = int(done.stdout.split()[1])
    assert done.stdout.split()[3] == "7" and _revision(probe) == "0099"
    for kill_at in sorted({max(1, round(total * k / 6)) for k in range(1, 6)}):
        case = tmp_path / f"kill-{kill_at}" / "cchc.sqlite3"
        case.parent.mkdir()
        shutil.copy(current, case)
        killed = newer_app(case, kill_at)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
        assert _revision(case) in {SCHEMA_HEAD, "0099"}, kill_at
        again = newer_app(case, 0)  # the next start of the newer version
        assert again.returncode == 0, (kill_at, again.stderr)
        assert again.stdout.split()[3] == "7", kill_at
        assert _revision(case) == "0099"
