"""The window's start-up opens a large database without reading all of it; the integrity check
and the daily backup follow behind the data shown (open_database(defer_checks=True) then
checks_after_open), and still happen, in the same order, with the same refusals."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cchc_desktop.store import backup
from cchc_desktop.store.db import DatabaseDamaged, checks_after_open, open_database
from cchc_desktop.store.file_check import FileCheck, check_sqlite_file
from cchc_desktop.store.migrate import _config
from tests.reliability.conftest import damage_unread_table


def _auto_backups(path: Path) -> list[backup.BackupInfo]:
    return [b for b in backup.list_backups(path)
            if b.reason == "auto" and b.taken_at.date() == date.today()]


def _no_backups(path: Path) -> None:
    shutil.rmtree(backup.backups_dir(path), ignore_errors=True)


def test_the_check_and_the_daily_backup_come_after_the_open(filled_path: Path) -> None:
    _no_backups(filled_path)
    db = open_database(str(filled_path), defer_checks=True)
    try:
        assert db.checks_pending
        assert _auto_backups(filled_path) == []  # not yet: the data is shown first
        with db.session() as session:
            assert session.execute(text("SELECT count(*) FROM tasks")).scalar() == 3
        checks_after_open(db)
        assert not db.checks_pending
        assert len(_auto_backups(filled_path)) == 1
        checks_after_open(db)  # once only
        assert len(_auto_backups(filled_path)) == 1
    finally:
        db.close()


def test_without_the_option_both_happen_at_open(filled_path: Path) -> None:
    _no_backups(filled_path)
    db = open_database(str(filled_path))
    db.close()
    assert not db.checks_pending
    assert len(_auto_backups(filled_path)) == 1


def test_damage_found_behind_the_data_names_the_good_backup_and_takes_no_backup(
        filled_path: Path) -> None:
    good = backup.make_backup(filled_path, reason="manual")
    damage_unread_table(filled_path)
    with pytest.raises(DatabaseDamaged):  # what the old open found at once
        check_sqlite_file(filled_path)
    check_sqlite_file(filled_path, integrity=False)  # the quick part passes
    before = filled_path.read_bytes()
    db = open_database(str(filled_path), defer_checks=True)
    try:
        with pytest.raises(DatabaseDamaged) as info:
            checks_after_open(db)
    finally:
        db.close()
    assert info.value.backup == good and info.value.path == filled_path
    assert _auto_backups(filled_path) == []  # a damaged file is never the day's backup
    assert filled_path.read_bytes() == before
    assert db.checks_pending  # still to do: nothing was passed


def test_a_quick_precheck_is_completed_when_checks_are_not_deferred(filled_path: Path) -> None:
    damage_unread_table(filled_path)
    check = FileCheck(filled_path, integrity=False)
    with pytest.raises(DatabaseDamaged):
        open_database(str(filled_path), precheck=check)


@pytest.fixture
def older_schema(filled_path: Path) -> Path:
    """The filled database one schema revision back (a migration is due at open)."""
    from alembic import command

    engine = create_engine(f"sqlite:///{filled_path}")
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "-1")
    engine.dispose()
    _no_backups(filled_path)
    return filled_path


def test_a_migration_due_is_checked_and_backed_up_first(older_schema: Path) -> None:
    db = open_database(str(older_schema), defer_checks=True)
    db.close()
    assert not db.checks_pending
    assert len(_auto_backups(older_schema)) == 1
    assert backup.list_backups(older_schema)[0].reason in ("auto", "migration")


def test_a_damaged_file_is_never_migrated(older_schema: Path) -> None:
    damage_unread_table(older_schema)
    before = older_schema.read_bytes()
    with pytest.raises(DatabaseDamaged):
        open_database(str(older_schema), defer_checks=True)
    assert older_schema.read_bytes() == before
