"""Restore never pulls a database from under a process, and checks a backup fully first."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store import backup
from cchc_desktop.store.db import NewerDatabase, open_database

ROOT = Path(__file__).resolve().parents[2]

_WRITER = """
import sys, time
from pathlib import Path
from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.services.tasks import create_task
from cchc_desktop.store.db import open_database

db = open_database(sys.argv[1])
stop = Path(sys.argv[2])
i = 0
while not stop.exists():  # single saves, each reported after its commit
    i += 1
    with db.session() as s:
        create_task(s, TaskDraft(content=f"Lưu {i}", lead_unit_id=1, year=2024))
    print(f"saved {i}", flush=True)
    time.sleep(0.02)
db.close()
print("closed", flush=True)
"""

_READER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM tasks").fetchone()  # another program, idle but open
print("reading", flush=True)
time.sleep(60)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _contents(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT content FROM tasks")}
    finally:
        conn.close()


def _wait_for(proc: subprocess.Popen[str], prefix: str, count: int = 1) -> list[str]:
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 60
    for line in proc.stdout:
        if line.startswith(prefix):
            seen.append(line.strip())
            if len(seen) >= count:
                return seen
        assert time.monotonic() < deadline, "the helper process is too slow"
    raise AssertionError(f"the helper process ended before printing {prefix!r}: "
                         f"{proc.stderr.read() if proc.stderr else ''}")


def test_restore_is_refused_while_a_process_keeps_saving(filled_path: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    from cchc_desktop.cli.main import main

    saved = backup.make_backup(filled_path, tmp_path / "old.sqlite3")
    stop = tmp_path / "stop"
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(filled_path), str(stop)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    seen: list[str] = []
    try:
        seen += _wait_for(proc, "saved ", 3)
        with pytest.raises(backup.DatabaseInUse) as info:
            backup.restore_backup(filled_path, saved)
        assert f"tiến trình {proc.pid}" in info.value.message
        assert [h.pid for h in info.value.holders] == [proc.pid]
        assert main(["--db", str(filled_path), "restore", str(saved)]) == 1
        err = capsys.readouterr().err
        assert "đang được sử dụng" in err and f"tiến trình {proc.pid}" in err
        seen += _wait_for(proc, "saved ", 3)  # still saving after both refusals
    finally:
        stop.touch()
        out, errors = proc.communicate(timeout=60)
    assert proc.returncode == 0, errors
    assert "closed" in out
    seen += [line for line in out.splitlines() if line.startswith("saved ")]
    last = max(int(line.split()[1]) for line in seen)
    contents = _contents(filled_path)
    assert {f"Lưu {i}" for i in range(1, last + 1)} <= contents  # no committed save vanished
    assert not any(p.name.startswith(".cchc.sqlite3.in-use.") for p in filled_path.parent.iterdir())
    # Once the writer has closed the database, the same restore goes through.
    kept = backup.restore_backup(filled_path, saved)
    assert kept is not None and {f"Lưu {last}"} <= _contents(kept)
    assert len(_contents(filled_path)) == 3


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_holder_does_not_block_a_restore(filled_path: Path, tmp_path: Path) -> None:
    saved = backup.make_backup(filled_path, tmp_path / "old.sqlite3")
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(filled_path), str(tmp_path / "x")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    _wait_for(proc, "saved ", 2)
    proc.kill()
    proc.communicate(timeout=30)
    assert any(p.name.startswith(".cchc.sqlite3.in-use.") for p in filled_path.parent.iterdir())
    backup.restore_backup(filled_path, saved)  # its registration is stale: no lock behind it
    assert not any(p.name.startswith(".cchc.sqlite3.in-use.") for p in filled_path.parent.iterdir())


def test_restore_is_refused_while_another_program_has_the_file_open(filled_path: Path,
                                                                     tmp_path: Path) -> None:
    saved = backup.make_backup(filled_path, tmp_path / "old.sqlite3")
    with sqlite3.connect(filled_path) as conn:
        conn.execute("DELETE FROM tasks WHERE id = 1")
    conn.close()
    proc = subprocess.Popen([sys.executable, "-c", _READER, str(filled_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        _wait_for(proc, "reading")
        with pytest.raises(backup.DatabaseInUse, match="một chương trình khác"):
            backup.restore_backup(filled_path, saved)
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    assert len(_contents(filled_path)) == 2  # untouched
    assert backup.list_backups(filled_path) == []


def test_opening_is_refused_while_another_process_restores(filled_path: Path) -> None:
    from cchc_desktop.store.holders import Holder, Registration

    # A restore registered by another process (simulated by a registration of a foreign pid).
    registration = Registration(filled_path, purpose="restore")
    assert registration.path is not None
    text = registration.path.read_text(encoding="utf-8").replace(f'"pid": {os.getpid()}',
                                                                 '"pid": 1')
    registration.path.write_text(text, encoding="utf-8")
    try:
        with pytest.raises(EnvironmentProblem, match="đang được khôi phục"):
            open_database(str(filled_path))
    finally:
        registration.release()
    open_database(str(filled_path)).close()
    assert Holder("a", "b", "c", 1, "d", "open").describe().startswith("a đang mở")


def _stamp(path: Path, revision: str | None) -> None:
    conn = sqlite3.connect(path)
    if revision is None:
        conn.execute("DELETE FROM alembic_version")
    else:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()


def test_a_backup_made_by_a_newer_version_is_refused(filled_path: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    from cchc_desktop.cli.main import main

    newer = backup.make_backup(filled_path, tmp_path / "from-the-future.sqlite3")
    _stamp(newer, "9999_future")
    with pytest.raises(NewerDatabase, match="phiên bản CCHC Desktop mới hơn"):
        backup.restore_backup(filled_path, newer)
    assert main(["--db", str(filled_path), "restore", str(newer)]) == 1
    assert "mới hơn" in capsys.readouterr().err
    assert "before-restore" not in {b.reason for b in backup.list_backups(filled_path)}
    database = open_database(str(filled_path))  # still opens, untouched
    database.close()
    assert len(_contents(filled_path)) == 3
    unstamped = backup.make_backup(filled_path, tmp_path / "no-version.sqlite3")
    _stamp(unstamped, None)
    with pytest.raises(EnvironmentProblem, match="phiên bản lược đồ"):
        backup.check_backup_file(unstamped)


def test_a_damaged_backup_is_refused_before_anything_changes(filled_path: Path,
                                                             tmp_path: Path) -> None:
    from tests.reliability.conftest import damage

    bad = backup.make_backup(filled_path, tmp_path / "bad.sqlite3")
    damage(bad)
    before = filled_path.read_bytes()
    with pytest.raises(EnvironmentProblem, match="bị hỏng"):
        backup.restore_backup(filled_path, bad)
    assert filled_path.read_bytes() == before
    assert backup.list_backups(filled_path) == []


def test_restoring_the_oldest_backup_survives_its_own_rotation(
        filled_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime, timedelta

    monkeypatch.setenv("CCHC_BACKUP_KEEP", "3")
    start = datetime(2024, 1, 1, 8)
    oldest = backup.make_backup(filled_path, now=start)
    for i in range(1, 3):
        backup.make_backup(filled_path, now=start + timedelta(hours=i))
    with sqlite3.connect(filled_path) as conn:
        conn.execute("DELETE FROM tasks")
    conn.close()
    backup.restore_backup(filled_path, oldest)  # the before-restore copy rotates it away
    assert len(_contents(filled_path)) == 3
    assert len(backup.list_backups(filled_path)) == 3
