"""The open-time check of an SQLite file, and the "damaged" error that names a good backup.

Standard library only (no SQLAlchemy), like :mod:`cchc_desktop.store.sqlite_file`, so the window
can check the file while SQLAlchemy is still being imported (:class:`FileCheck`). Kept apart from
that module because naming the newest good backup needs :mod:`cchc_desktop.store.backup`, which
itself builds on :mod:`cchc_desktop.store.sqlite_file`.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store.backup import list_backups, newest_good_backup, read_only_uri
from cchc_desktop.store.file_errors import os_reason
from cchc_desktop.store.sqlite_file import (
    LOCKED_MESSAGE,
    OPEN_CHECK_TIMEOUT_S,
    DatabaseDamaged,
    MissingDatabase,
    NewerDatabase,
    NotCchcDatabase,
    database_kind,
    environment_problem,
    is_damage,
    is_locked,
    known_revisions,
)


def damaged(path: Path, detail: str) -> DatabaseDamaged:
    backup = newest_good_backup(path)
    hint = (f" Có bản sao lưu tốt gần nhất: {backup.name}." if backup
            else " Không tìm thấy bản sao lưu tốt nào.")
    return DatabaseDamaged(
        "Tệp không phải là cơ sở dữ liệu của CCHC Desktop hoặc đã bị hỏng "
        f"({detail}). Tệp hỏng được giữ nguyên, không bị ghi đè.{hint}",
        path,
        backup,
    )


def check_sqlite_file(path: Path, *, timeout: float = OPEN_CHECK_TIMEOUT_S,
                      create: bool = True, integrity: bool = True) -> None:
    """The open-time check: a CCHC database we know, sound, not locked.

    ``integrity=False`` leaves out ``PRAGMA quick_check`` (seconds on a large file), which
    the caller then runs itself with :func:`verify_integrity` once the data is shown; the
    rest (header, our tables, a revision this version knows, the lock) is still checked.

    Refuses (never writes into) another program's SQLite file and a database made by a newer
    version. A file truncated to 0 bytes is damaged when backups of it exist. A missing or
    empty file is fine only when ``create`` (else :class:`MissingDatabase`). Uses a short
    timeout so a database held by another program is reported at once instead of waiting for
    the 5-second busy timeout on every statement.
    """
    if not path.exists():
        if not create:
            raise MissingDatabase(path)
        return
    if path.stat().st_size == 0:
        if list_backups(path):
            raise damaged(path, "tệp rỗng, 0 byte")
        if not create:
            raise MissingDatabase(path, "tệp rỗng, 0 byte")
        return
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise EnvironmentProblem(f"Không đọc được tệp cơ sở dữ liệu: {os_reason(exc)}.") from exc
    if header != b"SQLite format 3\x00":
        raise damaged(path, "không phải tệp SQLite")
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        logging.getLogger(__name__).warning("cannot open %s: %s", path, exc)
        raise EnvironmentProblem("Không mở được cơ sở dữ liệu: tệp bị khóa, không có quyền "
                                 "đọc hoặc ổ đĩa có lỗi.") from exc
    try:
        try:
            rows = _quick_check(conn) if integrity else ["ok"]
            kind, revision = database_kind(conn) if rows == ["ok"] else ("cchc", None)
        except sqlite3.Error as exc:
            raise _read_failure(path, exc) from exc
        if rows != ["ok"]:
            raise damaged(path, "; ".join(rows[:3]))
        if kind == "foreign":
            raise NotCchcDatabase(path)
        if kind == "empty" and not create:
            raise MissingDatabase(path, "tệp SQLite chưa có dữ liệu CCHC")
        if revision is not None and revision not in known_revisions():
            raise NewerDatabase("Cơ sở dữ liệu", revision)
        try:  # a writer holding its lock for long (or an exclusive locking mode)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            if is_locked(exc):
                raise EnvironmentProblem(LOCKED_MESSAGE) from exc
            # A read-only folder or file can still be opened to read and back up.
    finally:
        conn.close()


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("PRAGMA quick_check")]


def _read_failure(path: Path, exc: sqlite3.Error) -> EnvironmentProblem:
    """A read that failed: the machine's problem (locked, no rights...) or a damaged file."""
    problem = None if is_damage(exc) else environment_problem(exc)
    return problem if problem is not None else damaged(path, str(exc))


def verify_integrity(path: Path) -> None:
    """``PRAGMA quick_check`` of the whole file, read-only; raises :class:`DatabaseDamaged`
    (naming the newest good backup) when it finds a problem.

    The part of :func:`check_sqlite_file` that reads every page: at start-up it runs behind
    the data already shown (see :func:`cchc_desktop.store.db.checks_after_open`).
    """
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=OPEN_CHECK_TIMEOUT_S)
        try:
            rows = _quick_check(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _read_failure(path, exc) from exc
    if rows != ["ok"]:
        raise damaged(path, "; ".join(rows[:3]))


class FileCheck:
    """:func:`check_sqlite_file` running in its own thread.

    SQLite releases the GIL while it reads, so the check of a large file runs on another
    core while the caller imports SQLAlchemy. :meth:`result` waits and raises what the check
    raised.
    """

    def __init__(self, path: Path, *, create: bool = True, integrity: bool = True) -> None:
        self.path = path
        self.create = create
        self.integrity = integrity  # False: PRAGMA quick_check left to verify_integrity
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cchc-file-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            check_sqlite_file(self.path, create=self.create, integrity=self.integrity)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> None:
        self.wait()
        if self._error is not None:
            raise self._error
