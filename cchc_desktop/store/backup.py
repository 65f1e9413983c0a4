"""Backups of an SQLite database: taken, rotated, checked and restored.

Copies are made with SQLite's online backup API, which reads through the WAL,
so a backup is consistent even while the application has the database open.
They live in ``backups/`` beside the database, named
``<stem>-<YYYYmmdd-HHMMSS>-<reason>.sqlite3``; only the newest ``keep`` (30 by
default) are kept. A restore checks the file first, keeps the current database
as a backup, then swaps the files; the current file is never written into.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store.atomic import atomic_path
from cchc_desktop.store.file_errors import cannot_write

BACKUP_DIR_NAME = "backups"
DEFAULT_KEEP = 30
KEEP_ENV_VAR = "CCHC_BACKUP_KEEP"
REASONS = ("auto", "manual", "migration", "before-restore")
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d+)?)-(?P<reason>[a-z-]+)\.sqlite3$")
_WAL_SUFFIXES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was taken and why."""

    path: Path
    taken_at: datetime
    reason: str
    size: int


def backups_dir(db_path: Path) -> Path:
    """The folder holding the backups of ``db_path``."""
    return Path(db_path).parent / BACKUP_DIR_NAME


def default_keep() -> int:
    """How many backups rotation keeps: ``CCHC_BACKUP_KEEP`` or 30."""
    try:
        return max(1, int(os.environ.get(KEEP_ENV_VAR, DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def _environment(exc: OSError | sqlite3.Error, what: str) -> EnvironmentProblem:
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno == 28 or "full" in text:
        return EnvironmentProblem(f"{what}: ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại.")
    if isinstance(exc, PermissionError) or "readonly" in text or "read-only" in text:
        return EnvironmentProblem(f"{what}: không có quyền ghi vào thư mục. ({text})")
    return EnvironmentProblem(f"{what}: {text}")


def _copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` with the online backup API (WAL included).

    Written atomically: a failed or killed copy leaves ``target`` as it was, and a temporary
    file that :func:`cchc_desktop.store.atomic.clean_leftovers` removes at the next start.
    """
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=5)
    try:
        with atomic_path(target) as partial:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
    finally:
        src.close()


def _unique_name(folder: Path, stem: str, reason: str, when: datetime) -> Path:
    # A counter orders backups taken within the same second, whatever their reason.
    stamp = when.strftime("%Y%m%d-%H%M%S")
    n = 0
    while any(folder.glob(f"{glob.escape(stem)}-{stamp}{f'-{n}' if n else ''}-*.sqlite3")):
        n += 1
    return folder / f"{stem}-{stamp}{f'-{n}' if n else ''}-{reason}.sqlite3"


def make_backup(
    db_path: Path,
    out: Path | None = None,
    *,
    reason: str = "manual",
    keep: int | None = None,
    now: datetime | None = None,
) -> Path:
    """Back up ``db_path`` to ``out`` or into the backups folder (then rotate); return the copy."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise EnvironmentProblem(f"Không tìm thấy cơ sở dữ liệu để sao lưu: {db_path}")
    try:
        if out is None:
            folder = backups_dir(db_path)
            folder.mkdir(exist_ok=True)
            out = _unique_name(folder, db_path.stem, reason, now or datetime.now())
        _copy_database(db_path, Path(out))
    except OSError as exc:  # the copy could not be written: the previous file is still whole
        raise cannot_write(exc, out or backups_dir(db_path)) from exc
    except sqlite3.Error as exc:
        raise _environment(exc, "Không sao lưu được cơ sở dữ liệu") from exc
    if Path(out).parent == backups_dir(db_path):
        rotate(db_path, keep if keep is not None else default_keep())
    return Path(out)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first."""
    folder = backups_dir(Path(db_path))
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != Path(db_path).stem or match["reason"] not in REASONS:
            continue
        taken = datetime.strptime(match["stamp"][:15], "%Y%m%d-%H%M%S")
        counter = int(match["stamp"][16:] or 0)
        found.append((taken, counter, BackupInfo(path, taken, match["reason"], path.stat().st_size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _taken, _counter, info in found]


def rotate(db_path: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return the deleted files."""
    removed = []
    for info in list_backups(db_path)[max(1, keep):]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def backup_if_due(db_path: Path, *, today: date | None = None, keep: int | None = None) -> Path | None:
    """The automatic backup at open: at most one a day; None when one exists already."""
    today = today or date.today()
    if any(b.taken_at.date() == today for b in list_backups(db_path) if b.reason == "auto"):
        return None
    return make_backup(db_path, reason="auto", keep=keep)


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not a sound CCHC Desktop database (integrity, our tables)."""
    path = Path(path)
    if not path.is_file():
        raise EnvironmentProblem(f"Không tìm thấy tệp: {path}")
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise EnvironmentProblem(f"Tệp {path.name} không phải là cơ sở dữ liệu SQLite.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise EnvironmentProblem(f"Tệp {path.name} bị hỏng: {exc}") from exc
    if result != ["ok"]:
        raise EnvironmentProblem(f"Tệp {path.name} bị hỏng: {'; '.join(result[:3])}")
    if not {"alembic_version", "tasks"} <= tables:
        raise EnvironmentProblem(
            f"Tệp {path.name} không phải là cơ sở dữ liệu của CCHC Desktop."
        )


def newest_good_backup(db_path: Path) -> Path | None:
    """The newest backup that passes :func:`check_backup_file`, if any."""
    for info in list_backups(db_path):
        try:
            check_backup_file(info.path)
        except EnvironmentProblem:
            continue
        return info.path
    return None


def _keep_damaged(db_path: Path) -> Path:
    """Copy a file that cannot be read as a database aside, with its WAL, untouched."""
    folder = backups_dir(db_path)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{db_path.name}.damaged-{stamp}"
    for suffix in ("", *_WAL_SUFFIXES):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            with atomic_path(target.with_name(target.name + suffix)) as tmp:
                shutil.copy2(side, tmp)
    return target


def restore_backup(db_path: Path, source: Path) -> Path | None:
    """Replace the database at ``db_path`` with the backup ``source``.

    The backup is checked first. The current database is kept as a
    ``before-restore`` backup (or, when it is unreadable, copied aside as
    ``*.damaged-*``) before anything is replaced. The caller must have closed
    every connection to ``db_path``. Returns the copy of the previous database.
    """
    db_path, source = Path(db_path), Path(source)
    check_backup_file(source)
    kept: Path | None = None
    try:
        if db_path.exists():
            try:
                check_backup_file(db_path)
                kept = make_backup(db_path, reason="before-restore")
            except EnvironmentProblem:
                kept = _keep_damaged(db_path)
        incoming = db_path.with_name(db_path.name + ".restoring")
        _copy_database(source, incoming)
        # The old WAL belongs to the old file: it must not be replayed into the new one.
        for suffix in _WAL_SUFFIXES:
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(incoming, db_path)
    except (OSError, sqlite3.Error) as exc:
        raise _environment(exc, "Không khôi phục được bản sao lưu") from exc
    return kept
