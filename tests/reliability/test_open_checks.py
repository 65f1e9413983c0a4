"""Opening a database safely: damaged files, locks, network shares, read-only folders, full disks."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store import backup
from cchc_desktop.store.db import DatabaseDamaged, network_share_reason, open_database
from tests.reliability.conftest import damage


def test_damaged_file_is_kept_and_the_newest_good_backup_offered(filled_path: Path) -> None:
    older = backup.make_backup(filled_path, reason="manual")
    newest = backup.make_backup(filled_path, reason="manual")
    damage(newest)  # the newest backup is itself bad: it must be skipped
    damage(filled_path)
    before = filled_path.read_bytes()
    with pytest.raises(DatabaseDamaged) as info:
        open_database(str(filled_path))
    assert "bị hỏng" in info.value.message
    assert info.value.backup == older
    assert info.value.path == filled_path
    assert filled_path.read_bytes() == before  # the bad file is never written to
    kept = backup.restore_backup(filled_path, info.value.backup)
    assert kept is not None and kept.read_bytes() == before
    reopened = open_database(str(filled_path))
    with reopened.session() as s:
        assert s.execute(text("SELECT count(*) FROM tasks")).scalar() == 3
    reopened.close()


def test_not_a_database_without_backups(tmp_path: Path) -> None:
    bad = tmp_path / "report.sqlite3"
    bad.write_bytes(b"PK\x03\x04 this is a .docx renamed" * 40)
    with pytest.raises(DatabaseDamaged, match="Không tìm thấy bản sao lưu tốt") as info:
        open_database(str(bad))
    assert info.value.backup is None
    assert bad.read_bytes().startswith(b"PK\x03\x04")


@pytest.mark.parametrize("how", ["exclusive-transaction", "exclusive-locking-mode"])
def test_locked_database_is_reported_quickly(filled_path: Path, how: str) -> None:
    holder = sqlite3.connect(filled_path, isolation_level=None)
    if how == "exclusive-locking-mode":
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE tasks SET note = 'held'")
    try:
        start = time.monotonic()
        with pytest.raises(EnvironmentProblem, match="đang bị một chương trình khác khóa"):
            open_database(str(filled_path))
        assert time.monotonic() - start < 3  # not the 5-second busy timeout, not a freeze
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    open_database(str(filled_path)).close()  # free again: opens normally


@pytest.mark.parametrize("path", [
    r"\\fileserver\vanphong\cchc.sqlite3",
    r"\\192.168.1.10\share\CCHC\cchc.sqlite3",
    "//fileserver/vanphong/cchc.sqlite3",
])
def test_unc_paths_are_network_shares(path: str) -> None:
    assert network_share_reason(path)


def test_mapped_drive_uses_the_drive_type() -> None:
    def drive_type(root: str) -> int:
        return {"Z:\\": 4, "C:\\": 3}[root]

    assert network_share_reason(r"Z:\CCHC\cchc.sqlite3", drive_type=drive_type)
    assert network_share_reason(r"c:\Users\vp\cchc.sqlite3", drive_type=drive_type) is None


def test_mounts_decide_on_linux(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "//nas/share /mnt/nas cifs rw,vers=3.0 0 0\n"
        "nas:/export /srv/nfs nfs4 rw 0 0\n"
        "/dev/sdb1 /mnt/nas/local ext4 rw 0 0\n"
        "//nas/p /mnt/with\\040space cifs rw 0 0\n"
    )
    reason = network_share_reason
    assert "cifs" in reason("/mnt/nas/cchc.sqlite3", mounts_file=str(mounts))
    assert "nfs4" in reason("/srv/nfs/a/b.sqlite3", mounts_file=str(mounts))
    assert reason("/mnt/with space/x.sqlite3", mounts_file=str(mounts))
    assert reason("/mnt/nas/local/x.sqlite3", mounts_file=str(mounts)) is None  # deeper local mount
    assert reason("/mnt/nasty/x.sqlite3", mounts_file=str(mounts)) is None
    assert reason("/home/vp/x.sqlite3", mounts_file=str(mounts)) is None


def test_open_refuses_a_network_share_pointing_to_server_mode() -> None:
    with pytest.raises(EnvironmentProblem, match="PostgreSQL") as info:
        open_database(r"\\fileserver\vanphong\cchc.sqlite3")
    assert "ổ mạng" in info.value.message


def test_full_disk_is_a_clear_message_and_keeps_saved_data(filled_path: Path) -> None:
    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.services.tasks import create_task

    database = open_database(str(filled_path))
    with database.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()

    def cap(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    from sqlalchemy import event

    database.engine.dispose()
    event.listen(database.engine, "connect", cap)
    with pytest.raises(EnvironmentProblem, match="Ổ đĩa đã đầy"), database.session() as s:
        for i in range(200):
            create_task(s, TaskDraft(content=f"Nhiệm vụ dài {i} " + "x" * 4000,
                                     lead_unit_id=1, year=2024))
    database.close()
    reopened = open_database(str(filled_path))
    with reopened.session() as s:
        assert s.execute(text("SELECT count(*) FROM tasks")).scalar() == 3
    reopened.close()


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` and its files unwritable, also for root (chattr +i)."""
    files = [folder, *folder.iterdir()]
    if os.geteuid() != 0:
        for f in files:
            f.chmod(0o555 if f.is_dir() else 0o444)
        try:
            yield
        finally:
            for f in files:
                f.chmod(0o755 if f.is_dir() else 0o644)
        return
    if not shutil.which("chattr"):
        pytest.skip("running as root without chattr: cannot make a folder read-only")
    done = subprocess.run(["chattr", "+i", *map(str, files)], capture_output=True)
    if done.returncode != 0:
        subprocess.run(["chattr", "-i", *map(str, files)], capture_output=True)
        pytest.skip(f"chattr +i not permitted here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, files)], check=True)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_folder_is_a_clear_message(filled_path: Path) -> None:
    before = filled_path.read_bytes()
    with read_only(filled_path.parent):
        with pytest.raises(EnvironmentProblem, match="chỉ cho phép đọc"):
            database = open_database(str(filled_path))
            from cchc_desktop.services.units import create_unit

            with database.session() as s:
                create_unit(s, "Phòng mới")
    assert filled_path.read_bytes() == before
    reopened = open_database(str(filled_path))
    with reopened.session() as s:
        assert s.execute(text("SELECT count(*) FROM tasks")).scalar() == 3
    reopened.close()
