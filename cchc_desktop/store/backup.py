"""Backups of an SQLite database: taken, rotated, checked and restored.

Copies are made with SQLite's online backup API, which reads through the WAL,
so a backup is consistent even while the application has the database open.
They live in ``backups/`` beside the database, named
``<stem>-<YYYYmmdd-HHMMSS>-<reason>.sqlite3``; only the newest ``keep`` (30 by
default) are kept. The copies taken before a schema upgrade live apart, in
``backups/before-upgrade/``, and are never rotated: retrying a failed upgrade cannot push
the last good copy out.

A restore (:func:`restore_backup`, the one entry point of every restore) checks the backup
fully (integrity, a CCHC database, a schema this version knows), refuses while any other
process has the database open, keeps the current database as a backup, then swaps the files;
the current file is never written into.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store.atomic import atomic_path
from cchc_desktop.store.file_errors import cannot_write
from cchc_desktop.store.holders import Holder, Registration, holders
from cchc_desktop.store.sqlite_file import (
    NewerDatabase,
    NotCchcDatabase,
    database_kind,
    environment_problem,
    is_damage,
    is_locked,
    known_revisions,
)

BACKUP_DIR_NAME = "backups"
MIGRATION_DIR_NAME = "before-upgrade"
DEFAULT_KEEP = 30
KEEP_ENV_VAR = "CCHC_BACKUP_KEEP"
BACKUP_KEEP_KEY = "backup_keep"  # the office's choice, in the database's settings table
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


def default_keep(db_path: Path | None = None) -> int:
    """How many backups rotation keeps: ``CCHC_BACKUP_KEEP`` when set, else the office's
    setting stored in ``db_path`` (Tùy chọn, key :data:`BACKUP_KEEP_KEY`), else 30."""
    if os.environ.get(KEEP_ENV_VAR):
        try:
            return max(1, int(os.environ[KEEP_ENV_VAR]))
        except ValueError:
            return DEFAULT_KEEP
    return _stored_keep(db_path) if db_path is not None else DEFAULT_KEEP


def _stored_keep(db_path: Path) -> int:
    """The backups-kept setting read straight from the SQLite file; 30 when unreadable."""
    try:
        conn = sqlite3.connect(read_only_uri(db_path), uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?",
                               (BACKUP_KEEP_KEY,)).fetchone()
        finally:
            conn.close()
        value = int(json.loads(row[0])) if row and row[0] else DEFAULT_KEEP
    except (sqlite3.Error, ValueError, TypeError, OSError):
        return DEFAULT_KEEP
    return value if value >= 1 else DEFAULT_KEEP


_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


def _environment(exc: OSError | sqlite3.Error, what: str) -> EnvironmentProblem:
    """The machine problem behind ``exc``, by errno or SQLite result code (never by its text)."""
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return EnvironmentProblem(f"{what}: ổ đĩa đã đầy hoặc tệp vượt giới hạn dung lượng "
                                      "cho phép. Hãy giải phóng dung lượng rồi thử lại.")
        if isinstance(exc, PermissionError) or exc.errno in _DENIED_ERRNOS:
            return EnvironmentProblem(f"{what}: không có quyền ghi vào thư mục. ({exc})")
        return EnvironmentProblem(f"{what}: {exc}")
    problem = environment_problem(exc)
    return EnvironmentProblem(f"{what}: {problem.message if problem else exc}")


def read_only_uri(path: Path) -> str:
    """An SQLite URI opening ``path`` read-only; escapes "#", "?" and "%" of a folder name
    (``file:{path}`` cut "Sở #1/cchc.sqlite3" at the "#" and backed up an empty database)."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def _copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` with the online backup API (WAL included), atomically."""
    src = sqlite3.connect(read_only_uri(source), uri=True, timeout=5)
    try:
        _copy_from(src, target)
    finally:
        src.close()


def _copy_from(src: sqlite3.Connection, target: Path) -> None:
    with atomic_path(target) as partial:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()


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
        rotate(db_path, keep if keep is not None else default_keep(db_path))
    return Path(out)


def migration_backups_dir(db_path: Path) -> Path:
    """The folder of the copies taken before a schema upgrade (never rotated)."""
    return backups_dir(db_path) / MIGRATION_DIR_NAME


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of ``db_path`` (rotated ones and pre-upgrade ones), newest first."""
    found = []
    for folder in (backups_dir(Path(db_path)), migration_backups_dir(Path(db_path))):
        found.extend(_scan(folder, Path(db_path).stem))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _taken, _counter, info in found]


def _scan(folder: Path, stem: str) -> list[tuple[datetime, int, BackupInfo]]:
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != stem or match["reason"] not in REASONS:
            continue
        taken = datetime.strptime(match["stamp"][:15], "%Y%m%d-%H%M%S")
        counter = int(match["stamp"][16:] or 0)
        found.append((taken, counter, BackupInfo(path, taken, match["reason"], path.stat().st_size)))
    return found


def rotate(db_path: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return the deleted files.

    Only the rotated folder: the copies taken before an upgrade are never deleted here.
    """
    removed = []
    rotated = [info for info in list_backups(db_path) if info.path.parent == backups_dir(db_path)]
    for info in rotated[max(1, keep):]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def backup_if_due(db_path: Path, *, today: date | None = None, keep: int | None = None) -> Path | None:
    """The automatic backup at open: at most one a day; None when one exists already."""
    today = today or date.today()
    if any(b.taken_at.date() == today for b in list_backups(db_path) if b.reason == "auto"):
        return None
    return make_backup(db_path, reason="auto", keep=keep)


def backup_before_migration(db_path: Path, *, now: datetime | None = None) -> Path | None:
    """Copy ``db_path`` into the pre-upgrade folder before its schema changes; return the copy.

    Skipped (None) when the newest pre-upgrade copy is at the same schema revision and younger
    than the database file: a retried upgrade (the previous attempt failed or was killed, and
    its transaction changed nothing) keeps the copy it has instead of piling up identical ones.
    """
    db_path = Path(db_path)
    folder = migration_backups_dir(db_path)
    taken = [info for info in list_backups(db_path) if info.path.parent == folder]
    if taken and taken[0].path.stat().st_mtime >= db_path.stat().st_mtime and \
            _revision_of(taken[0].path) == _revision_of(db_path):
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        out = _unique_name(folder, db_path.stem, "migration", now or datetime.now())
        _copy_database(db_path, out)
    except (OSError, sqlite3.Error) as exc:
        raise _environment(exc, "Không sao lưu được cơ sở dữ liệu trước khi nâng cấp") from exc
    return out


def _revision_of(path: Path) -> str | None:
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=5)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not a sound CCHC Desktop database this version can open.

    Checks the whole file (``PRAGMA integrity_check``), that it holds our tables and a
    schema revision, and that the revision is one this version knows (a backup made by a
    newer version is refused: once restored, the database would no longer open).
    """
    path = Path(path)
    if not path.is_file():
        raise EnvironmentProblem(f"Không tìm thấy tệp: {path}")
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise EnvironmentProblem(f"Tệp {path.name} không phải là cơ sở dữ liệu SQLite.")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=1)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            kind, revision = database_kind(conn) if result == ["ok"] else ("cchc", None)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if is_damage(exc) or not environment_problem(exc):
            raise EnvironmentProblem(f"Tệp {path.name} bị hỏng: {exc}") from exc
        raise _environment(exc, f"Không đọc được tệp {path.name}") from exc
    if result != ["ok"]:
        raise EnvironmentProblem(f"Tệp {path.name} bị hỏng: {'; '.join(result[:3])}")
    if kind != "cchc":
        raise EnvironmentProblem(
            f"Tệp {path.name} không phải là cơ sở dữ liệu của CCHC Desktop."
        )
    if revision is None:
        raise EnvironmentProblem(f"Tệp {path.name} không ghi phiên bản lược đồ (alembic_version "
                                 "rỗng): không phải bản sao lưu đầy đủ của CCHC Desktop.")
    if revision not in known_revisions():
        raise NewerDatabase(f"Bản sao lưu {path.name}", revision)


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


class DatabaseInUse(EnvironmentProblem):
    """Another process has the database open: a restore would pull it from under it."""

    def __init__(self, who: list[Holder] | None) -> None:
        if who:
            lines = "\n".join(f"- {h.describe()}" for h in who)
            text = f"Cơ sở dữ liệu đang được sử dụng:\n{lines}\n"
        else:
            text = ("Cơ sở dữ liệu đang được một chương trình khác mở (không rõ chương trình "
                    "nào, ví dụ một trình xem SQLite). ")
        super().__init__(f"Không khôi phục được. {text}Hãy đóng chương trình đó rồi thử lại. "
                         "Dữ liệu hiện tại không bị thay đổi.")
        self.holders = list(who or [])


@contextmanager
def _exclusive(db_path: Path) -> Iterator[sqlite3.Connection | None]:
    """Hold ``db_path`` exclusively (None when it is absent, empty or no database at all).

    In WAL mode every connection that has read the database keeps a shared lock on the file,
    so an exclusive lock is refused while any process, ours or another program, has it open.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        yield None
        return
    with open(db_path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            yield None
            return
    conn = sqlite3.connect(db_path, timeout=0.5, isolation_level=None)
    try:
        try:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            # In exclusive locking mode the lock outlives the transaction; ending it lets the
            # backup API read from this connection (it waits forever on an open write one).
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if is_locked(exc):
                raise DatabaseInUse(None) from exc
            if not is_damage(exc):
                raise
            yield None
            return
        yield conn
    finally:
        conn.close()


def _keep_current(db_path: Path, conn: sqlite3.Connection | None) -> Path | None:
    """Copy the database about to be replaced: a backup when sound, else aside as damaged."""
    if conn is None:
        return _keep_damaged(db_path) if db_path.exists() else None
    try:
        sound = [r[0] for r in conn.execute("PRAGMA quick_check")] == ["ok"]
        kind = database_kind(conn)[0] if sound else "cchc"
    except sqlite3.Error as exc:
        if not is_damage(exc):
            raise
        sound, kind = False, "cchc"
    if kind == "foreign":
        raise NotCchcDatabase(db_path)
    if kind == "empty" or not sound:
        return _keep_damaged(db_path)
    folder = backups_dir(db_path)
    folder.mkdir(exist_ok=True)
    kept = _unique_name(folder, db_path.stem, "before-restore", datetime.now())
    _copy_from(conn, kept)
    return kept


def restore_backup(db_path: Path, source: Path) -> Path | None:
    """Replace the database at ``db_path`` with the backup ``source``; the one way to restore.

    The backup is checked fully first (:func:`check_backup_file`). The restore is refused with
    :class:`DatabaseInUse`, naming who, while another process has the database open (its
    registration, see :mod:`cchc_desktop.store.holders`, or SQLite's own lock for any other
    program); the caller must have closed its own connections. The current database is kept
    as a ``before-restore`` backup (or, when it is unreadable, copied aside as
    ``*.damaged-*``) before anything is replaced; another program's database is never
    replaced. Returns the copy of the previous database.
    """
    db_path, source = Path(db_path), Path(source)
    check_backup_file(source)
    registration = Registration(db_path, purpose="restore")
    try:
        others = holders(db_path)
        if others:
            raise DatabaseInUse(others)
        with atomic_path(db_path) as incoming:
            _copy_database(source, incoming)
            with _exclusive(db_path) as conn:
                kept = _keep_current(db_path, conn)
            # The old WAL belongs to the old file: it must not be replayed into the new one.
            for suffix in _WAL_SUFFIXES:
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        rotate(db_path, default_keep(db_path))
    except (OSError, sqlite3.Error) as exc:
        raise _environment(exc, "Không khôi phục được bản sao lưu") from exc
    finally:
        registration.release()
    return kept
