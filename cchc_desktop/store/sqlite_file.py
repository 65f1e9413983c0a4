"""The database file itself, with the standard library only (no SQLAlchemy).

Where the default database lives, the open-time check of an SQLite file (a database, not
locked, ``PRAGMA quick_check`` ok) and the clear messages for a machine problem. Kept apart
from :mod:`cchc_desktop.store.db` so that the window can start checking the file while
SQLAlchemy is still being imported (:class:`FileCheck`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_data_dir

from cchc_desktop.errors import EnvironmentProblem

APP_DIR_NAME = "CCHC Desktop"
DB_ENV_VAR = "CCHC_DB"
DEFAULT_DB_NAME = "cchc.sqlite3"
OPEN_CHECK_TIMEOUT_S = 0.5
NETWORK_FILESYSTEMS = frozenset(
    {"cifs", "smb3", "smbfs", "nfs", "nfs4", "ncpfs", "afs", "9p", "fuse.sshfs"}
)
DRIVE_REMOTE = 4  # GetDriveTypeW
LOCKED_MESSAGE = (
    "Cơ sở dữ liệu đang bị một chương trình khác khóa. "
    "Hãy đóng chương trình đó rồi thử lại."
)


class DatabaseDamaged(EnvironmentProblem):
    """The database file is unreadable or fails the integrity check.

    ``path`` is the damaged file (kept as it is); ``backup`` the newest backup
    that passes the check, which the GUI offers to restore.
    """

    def __init__(self, message: str, path: Path, backup: Path | None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup


def data_dir() -> Path:
    """The per-user data folder (created on demand); ``CCHC_DATA_DIR`` overrides it."""
    override = os.environ.get("CCHC_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def environment_problem(exc: BaseException) -> EnvironmentProblem | None:
    """The clear message for a machine problem (locked, disk full, read-only), else None."""
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return EnvironmentProblem(LOCKED_MESSAGE)
    if "disk is full" in lowered or "no space" in lowered:
        return EnvironmentProblem(
            "Ổ đĩa đã đầy nên thay đổi vừa rồi chưa được lưu; dữ liệu đã lưu trước đó vẫn còn "
            "nguyên. Hãy giải phóng dung lượng rồi thử lại."
        )
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return EnvironmentProblem(
            "Không ghi được vào cơ sở dữ liệu: thư mục hoặc tệp chỉ cho phép đọc. "
            "Hãy chọn thư mục có quyền ghi (ví dụ Tài liệu của bạn). Dữ liệu đã lưu vẫn còn nguyên."
        )
    return None


def damaged(path: Path, detail: str) -> DatabaseDamaged:
    from cchc_desktop.store.backup import newest_good_backup

    backup = newest_good_backup(path)
    hint = (f" Có bản sao lưu tốt gần nhất: {backup.name}." if backup
            else " Không tìm thấy bản sao lưu tốt nào.")
    return DatabaseDamaged(
        "Tệp không phải là cơ sở dữ liệu của CCHC Desktop hoặc đã bị hỏng "
        f"({detail}). Tệp hỏng được giữ nguyên, không bị ghi đè.{hint}",
        path,
        backup,
    )


def check_sqlite_file(path: Path, *, timeout: float = OPEN_CHECK_TIMEOUT_S) -> None:
    """The open-time check: a database file, not locked, ``PRAGMA quick_check`` ok.

    Uses a short timeout so a database held by another program is reported at
    once instead of waiting for the 5-second busy timeout on every statement.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise EnvironmentProblem(f"Không đọc được tệp cơ sở dữ liệu: {exc}") from exc
    if header != b"SQLite format 3\x00":
        raise damaged(path, "không phải tệp SQLite")
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise EnvironmentProblem(f"Không mở được cơ sở dữ liệu: {exc}") from exc
    try:
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
        except sqlite3.OperationalError as exc:
            problem = environment_problem(exc)
            if problem is not None:
                raise problem from exc
            raise damaged(path, str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise damaged(path, str(exc)) from exc
        if rows != ["ok"]:
            raise damaged(path, "; ".join(rows[:3]))
        try:  # a writer holding its lock for long (or an exclusive locking mode)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            problem = environment_problem(exc)
            if problem is not None and "khóa" in problem.message:
                raise problem from exc
            # A read-only folder or file can still be opened to read and back up.
    finally:
        conn.close()


def _mount_table(mounts_file: str) -> list[tuple[str, str]]:
    try:
        lines = Path(mounts_file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    table = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:  # /proc/mounts escapes spaces as \040
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), parts[1])
            table.append((point, parts[2]))
    return table


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def network_share_reason(
    target: str,
    *,
    mounts_file: str = "/proc/mounts",
    drive_type: Callable[[str], int] | None = None,
) -> str | None:
    """Why the file path ``target`` is on a network share, or None when it is local.

    A UNC path (``\\\\server\\share``), a Windows drive whose type is
    DRIVE_REMOTE, or (elsewhere) a folder mounted from cifs/smb/nfs.
    """
    raw = str(target)
    if raw.startswith(("\\\\", "//")):
        return f"đường dẫn mạng {raw}"
    drive = re.match(r"^([A-Za-z]):[\\/]", raw)
    if drive and (drive_type is not None or sys.platform == "win32"):
        kind = (drive_type or _windows_drive_type)(f"{drive[1].upper()}:\\")
        return f"ổ {drive[1].upper()}: là ổ mạng" if kind == DRIVE_REMOTE else None
    if drive or sys.platform == "win32":
        return None
    path = os.path.abspath(raw)
    best = ("", "")
    for point, fstype in _mount_table(mounts_file):
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best[0]):
            best = (point, fstype)
    if best[1].lower() in NETWORK_FILESYSTEMS:
        return f"{best[0]} ({best[1]})"
    return None


def chosen_target(target: str | None = None) -> str:
    """``--db``, else ``CCHC_DB``, else ``cchc.sqlite3`` in the data folder."""
    return target or os.environ.get(DB_ENV_VAR) or str(data_dir() / DEFAULT_DB_NAME)


def sqlite_file_for(target: str | None = None) -> Path | None:
    """The SQLite file a plain path target names (None for a URL: the caller parses it)."""
    chosen = chosen_target(target)
    return None if "://" in chosen else Path(chosen).expanduser().resolve()


class FileCheck:
    """:func:`check_sqlite_file` running in its own thread.

    SQLite releases the GIL while it reads, so the check of a large file runs on another
    core while the caller imports SQLAlchemy. :meth:`result` waits and raises what the check
    raised.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cchc-file-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            check_sqlite_file(self.path)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> None:
        self.wait()
        if self._error is not None:
            raise self._error
