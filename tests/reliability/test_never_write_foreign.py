"""Opening never writes where it should not: another program's file, a truncated database, a
mistyped path; and a machine problem is told apart from damage by SQLite's result code."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_desktop.cli.main import main
from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store import backup
from cchc_desktop.store.db import (
    DatabaseDamaged,
    MissingDatabase,
    NotCchcDatabase,
    environment_problem,
    open_database,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    """A sound SQLite database of another program (notes of a reader)."""
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('của chương trình khác')")
    conn.commit()
    conn.close()
    return path


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


COMMANDS = [
    ["check"], ["init"], ["tasks", "list"], ["units", "add", "Phòng mới"], ["backup"],
    ["scoring", "template", "--year", "2026"], ["profile", "show"], ["users", "list"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a))
def test_no_command_writes_into_another_programs_database(
        foreign: Path, argv: list[str], capsys: pytest.CaptureFixture) -> None:
    before = foreign.read_bytes()
    assert main(["--db", str(foreign), *argv]) == 1
    err = capsys.readouterr().err
    assert "chương trình khác" in err and "Traceback" not in err
    assert foreign.read_bytes() == before  # today `check` added twenty tables
    assert _tables(foreign) == {"notes"}
    assert not (foreign.parent / "backups").exists()


def test_open_and_restore_refuse_another_programs_database(foreign: Path, filled_path: Path) -> None:
    with pytest.raises(NotCchcDatabase):
        open_database(str(foreign))
    saved = backup.make_backup(filled_path, reason="manual")
    with pytest.raises(NotCchcDatabase):
        backup.restore_backup(foreign, saved)
    assert _tables(foreign) == {"notes"}


def test_a_database_truncated_to_nothing_is_damaged_not_recreated(
        filled_path: Path, capsys: pytest.CaptureFixture) -> None:
    older = backup.make_backup(filled_path, reason="manual")
    newest = backup.make_backup(filled_path, reason="manual")
    filled_path.write_bytes(b"")
    with pytest.raises(DatabaseDamaged, match="0 byte") as info:
        open_database(str(filled_path))
    assert info.value.backup == newest and older != newest
    assert main(["--db", str(filled_path), "tasks", "list"]) == 1
    err = capsys.readouterr().err
    assert newest.name in err and "0 byte" in err
    assert main(["--db", str(filled_path), "init"]) == 1  # not even init re-creates it
    assert filled_path.stat().st_size == 0
    assert main(["--db", str(filled_path), "restore", str(newest)]) == 0
    database = open_database(str(filled_path))
    with database.session() as s:
        from sqlalchemy import text

        assert s.execute(text("SELECT count(*) FROM tasks")).scalar() == 3
    database.close()


@pytest.mark.parametrize("argv", [a for a in COMMANDS if a != ["init"]] + [
    ["tasks", "summary"], ["restore", "x.sqlite3"], ["evidence", "verify"], ["audit"],
    ["export", "documents", "out.xlsx"], ["plans", "list"]], ids=lambda a: " ".join(a))
def test_only_init_creates_a_database(tmp_path: Path, argv: list[str],
                                      capsys: pytest.CaptureFixture,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if argv[0] == "restore":
        good = tmp_path / "elsewhere" / "good.sqlite3"
        good.parent.mkdir()
        open_database(str(good)).close()
        argv = ["restore", str(good)]
    typo = tmp_path / "cchc.sqlite"  # a mistyped --db
    assert main(["--db", str(typo), *argv]) == 1
    err = capsys.readouterr().err
    assert "Không có cơ sở dữ liệu CCHC" in err or "Không tìm thấy" in err, err
    assert not typo.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["elsewhere"])
    assert main(["--db", str(typo), "init"]) == 0
    assert typo.exists()


def test_machine_problems_are_told_by_result_code() -> None:
    def error(name: str, text: str = "whatever the text says") -> sqlite3.OperationalError:
        exc = sqlite3.OperationalError(text)
        exc.sqlite_errorname = name  # type: ignore[attr-defined]
        return exc

    assert "đầy" in environment_problem(error("SQLITE_FULL")).message  # type: ignore[union-attr]
    io = environment_problem(error("SQLITE_IOERR_WRITE", "disk I/O error"))
    assert io is not None and "SQLITE_IOERR_WRITE" in io.message and "hỏng" not in io.message
    assert "khóa" in environment_problem(error("SQLITE_BUSY_SNAPSHOT")).message  # type: ignore[union-attr]
    assert "chỉ cho phép đọc" in environment_problem(error("SQLITE_READONLY_DBMOVED")).message  # type: ignore[union-attr]
    # The words no longer decide: "locked" in the text of a damaged file is still damage.
    assert environment_problem(error("SQLITE_CORRUPT", "database disk image is locked")) is None
    assert environment_problem(error("SQLITE_NOTADB")) is None


_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from cchc_desktop.cli.main import main
sys.exit(main(["--db", sys.argv[1], *sys.argv[3:]]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")
@pytest.mark.parametrize("limit", [20_000, 60_000])  # at open (the -shm), mid-write (-wal)
def test_a_file_size_limit_is_a_machine_problem_not_damage(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "cchc.sqlite3"
    database = open_database(str(path))
    from tests.reliability.conftest import fill

    fill(database, 150)
    database.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CCHC_BACKUP_KEEP": "1"}
    done = subprocess.run([sys.executable, "-c", _LIMITED, str(path), str(limit), "scoring",
                           "template", "--year", "2026"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "hỏng" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert "SQLITE_IOERR" in done.stderr and "vượt giới hạn" in done.stderr, done.stderr
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert check.execute("SELECT count(*) FROM tasks").fetchone() == (150,)
    assert check.execute("SELECT count(*) FROM criteria").fetchone() == (0,)  # all or nothing
    check.close()


def test_environment_problem_is_a_user_error() -> None:
    assert issubclass(MissingDatabase, EnvironmentProblem)
