"""Backups: taken with the online API, rotated, checked, restored without losing the current file."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store import backup
from cchc_desktop.store.db import open_database
from tests.reliability.conftest import fill


def _task_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    finally:
        conn.close()


def test_backup_of_an_open_database_includes_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    database = open_database(str(path))
    fill(database, 5)  # committed, still in the -wal file: no checkpoint while open
    assert Path(f"{path}-wal").stat().st_size > 0
    out = backup.make_backup(path, tmp_path / "copy.sqlite3")
    database.close()
    assert _task_count(out) == 5
    backup.check_backup_file(out)
    assert not Path(f"{out}-wal").exists()  # a backup is one self-contained file


def test_open_backs_up_an_existing_database_once_a_day(filled_path: Path) -> None:
    assert backup.list_backups(filled_path) == []  # a new, empty database needs no backup
    open_database(str(filled_path)).close()
    open_database(str(filled_path)).close()
    backups = backup.list_backups(filled_path)
    assert [b.reason for b in backups] == ["auto"]
    assert backups[0].path.parent == filled_path.parent / "backups"
    assert _task_count(backups[0].path) == 3
    assert backup.backup_if_due(filled_path, today=date.today() + timedelta(days=1)) is not None


def test_rotation_keeps_the_newest(filled_path: Path) -> None:
    start = datetime(2024, 1, 1, 8, 0, 0)
    for i in range(7):
        backup.make_backup(filled_path, reason="manual", keep=5, now=start + timedelta(hours=i))
    kept = backup.list_backups(filled_path)
    assert len(kept) == 5
    assert [b.taken_at.hour for b in kept] == [14, 13, 12, 11, 10]


def test_keep_is_configurable_by_environment(monkeypatch: pytest.MonkeyPatch, filled_path: Path) -> None:
    monkeypatch.setenv("CCHC_BACKUP_KEEP", "2")
    for i in range(4):
        backup.make_backup(filled_path, now=datetime(2024, 1, 1, 8, 0, i))
    assert len(backup.list_backups(filled_path)) == 2


def test_backup_before_migration(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from cchc_desktop.store.migrate import _config, head_revision

    if head_revision() == "0001":
        pytest.skip("only one migration exists, nothing to upgrade")
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text("INSERT INTO units (name, kind, active, position, created_at) "
                          "VALUES ('Văn phòng Sở', 'division', 1, 1, '2024-01-01 00:00:00')"))
    engine.dispose()
    open_database(str(path), auto_backup=False).close()
    backups = backup.list_backups(path)
    assert [b.reason for b in backups] == ["migration"]
    conn = sqlite3.connect(backups[0].path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    conn.close()


def test_restore_replaces_and_keeps_the_current_database(filled_path: Path, tmp_path: Path) -> None:
    saved = backup.make_backup(filled_path, tmp_path / "three.sqlite3")
    database = open_database(str(filled_path))
    with database.session() as s:
        s.execute(text("DELETE FROM tasks"))
    database.close()
    assert _task_count(filled_path) == 0
    kept = backup.restore_backup(filled_path, saved)
    assert _task_count(filled_path) == 3
    assert kept is not None and kept.name.endswith("-before-restore.sqlite3")
    assert _task_count(kept) == 0  # the state just before the restore is not lost
    reopened = open_database(str(filled_path))
    with reopened.session() as s:
        assert s.execute(text("SELECT count(*) FROM tasks")).scalar() == 3
    reopened.close()


def test_restore_discards_the_old_wal(filled_path: Path, tmp_path: Path) -> None:
    saved = backup.make_backup(filled_path, tmp_path / "three.sqlite3")
    database = open_database(str(filled_path))
    fill_more = database.engine.connect()
    fill_more.execute(text("DELETE FROM tasks"))
    fill_more.commit()
    fill_more.close()
    database.engine.dispose()  # the -wal may remain; it belongs to the old file
    backup.restore_backup(filled_path, saved)
    assert _task_count(filled_path) == 3


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 50])
def test_restore_refuses_files_that_are_not_databases(filled_path: Path, tmp_path: Path,
                                                      content: bytes) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(content)
    with pytest.raises(EnvironmentProblem):
        backup.restore_backup(filled_path, bogus)
    assert _task_count(filled_path) == 3


def test_restore_refuses_a_foreign_sqlite_file(filled_path: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "other_app.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(EnvironmentProblem, match="không phải là cơ sở dữ liệu của CCHC"):
        backup.restore_backup(filled_path, foreign)
    assert backup.list_backups(filled_path) == []  # refused before anything was touched


def test_backup_of_postgres_is_refused_by_cli_with_a_pointer(capsys: pytest.CaptureFixture) -> None:
    from cchc_desktop.cli.main import main

    assert main(["--db", "postgresql+psycopg://u@127.0.0.1:1/x", "backup"]) == 1
    assert "pg_dump" in capsys.readouterr().err


def test_cli_backup_restore_check(filled_path: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture) -> None:
    from cchc_desktop.cli.main import main

    out = tmp_path / "manual.sqlite3"
    assert main(["--db", str(filled_path), "backup", "--out", str(out)]) == 0
    assert _task_count(out) == 3
    assert main(["--db", str(filled_path), "check"]) == 0
    assert "ok:" in capsys.readouterr().out
    conn = sqlite3.connect(filled_path)
    conn.execute("DELETE FROM tasks")
    conn.commit()
    conn.close()
    assert main(["--db", str(filled_path), "restore", str(out)]) == 0
    assert _task_count(filled_path) == 3
    assert "previous database was kept" in capsys.readouterr().out
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("hello")
    assert main(["--db", str(filled_path), "restore", str(bad)]) == 1
    assert _task_count(filled_path) == 3


def test_backups_within_one_second_keep_their_order(filled_path: Path) -> None:
    same = datetime(2024, 5, 1, 9, 30, 0)
    first = backup.make_backup(filled_path, reason="auto", now=same)
    second = backup.make_backup(filled_path, reason="manual", now=same)
    third = backup.make_backup(filled_path, reason="auto", now=same)
    assert [b.path for b in backup.list_backups(filled_path)] == [third, second, first]
