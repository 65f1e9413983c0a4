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
from collections.abc import Callable
from functools import cache
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


class MissingDatabase(EnvironmentProblem):
    """There is no CCHC database at ``path`` and this caller may not create one."""

    def __init__(self, path: Path, detail: str = "chưa có tệp") -> None:
        super().__init__(
            f"Không có cơ sở dữ liệu CCHC tại {path} ({detail}). Hãy kiểm tra lại đường dẫn; "
            "muốn tạo cơ sở dữ liệu mới ở đó thì dùng lệnh init (cchc --db ĐƯỜNG_DẪN init). "
            "Không có gì được tạo hay thay đổi."
        )
        self.path = path


class NotCchcDatabase(EnvironmentProblem):
    """The file is a sound SQLite database of another program: never written into."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Tệp {path} là cơ sở dữ liệu SQLite của một chương trình khác, không phải của "
            "CCHC Desktop. Tệp được giữ nguyên, không ghi gì vào đó. Hãy chọn đúng tệp dữ liệu "
            "CCHC (thường là cchc.sqlite3)."
        )
        self.path = path


class NewerDatabase(EnvironmentProblem):
    """The database (or backup) was made by a newer version of the application."""

    def __init__(self, what: str, revision: str) -> None:
        super().__init__(
            f"{what} được tạo bởi phiên bản CCHC Desktop mới hơn (lược đồ {revision}). "
            "Hãy cập nhật phần mềm trước khi mở; tệp được giữ nguyên."
        )
        self.revision = revision


def data_dir() -> Path:
    """The per-user data folder (created on demand); ``CCHC_DATA_DIR`` overrides it."""
    override = os.environ.get("CCHC_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


# SQLite's primary result codes (``sqlite3.Error.sqlite_errorname`` gives the extended name,
# e.g. SQLITE_IOERR_WRITE, whose prefix is the primary one). English message text differs
# between SQLite versions and platforms; the codes do not.
_LOCKED_CODES = ("SQLITE_BUSY", "SQLITE_LOCKED")
# CANTOPEN: SQLite could not create its journal or WAL beside the file (a read-only folder).
_READONLY_CODES = ("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_CANTOPEN")
DAMAGE_CODES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
FULL_MESSAGE = (
    "Ổ đĩa đã đầy nên thay đổi vừa rồi chưa được lưu; dữ liệu đã lưu trước đó vẫn còn "
    "nguyên. Hãy giải phóng dung lượng rồi thử lại."
)
IO_MESSAGE = (
    "Máy không ghi (hoặc không đọc) được tệp cơ sở dữ liệu ({code}): ổ đĩa đầy, tệp vượt giới "
    "hạn dung lượng cho phép hoặc ổ đĩa gặp sự cố. Thay đổi vừa rồi chưa được lưu; dữ liệu đã "
    "lưu trước đó vẫn còn nguyên. Hãy kiểm tra ổ đĩa rồi thử lại."
)
READONLY_MESSAGE = (
    "Không ghi được vào cơ sở dữ liệu: thư mục hoặc tệp chỉ cho phép đọc. "
    "Hãy chọn thư mục có quyền ghi (ví dụ Tài liệu của bạn). Dữ liệu đã lưu vẫn còn nguyên."
)
# PostgreSQL SQLSTATE classes (psycopg's ``sqlstate``): 53 insufficient resources,
# 55P03 lock not available, 25006 read-only transaction. (A deadlock, 40P01, is no program
# holding the database: store/db_errors.py says "thử lại".)
_PG_FULL, _PG_LOCKED, _PG_READONLY = ("53",), ("55P03",), ("25006",)


def sqlite_code(exc: BaseException | None) -> str:
    """SQLite's extended result name of ``exc`` (or of the driver error it wraps), else ''."""
    seen = 0
    while exc is not None and seen < 5:
        name = getattr(exc, "sqlite_errorname", None)
        if isinstance(name, str):
            return name
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return ""


def _primary(code: str) -> str:
    # SQLITE_IOERR_SHMSIZE -> SQLITE_IOERR; SQLITE_READONLY_DBMOVED -> SQLITE_READONLY
    parts = code.split("_")
    return "_".join(parts[:2]) if len(parts) > 2 else code


def is_locked(exc: BaseException) -> bool:
    """True when SQLite refused because another connection holds a lock (BUSY/LOCKED)."""
    return _primary(sqlite_code(exc)) in _LOCKED_CODES


def is_damage(exc: BaseException) -> bool:
    """True when SQLite says the file is not a database or is corrupt."""
    return _primary(sqlite_code(exc)) in DAMAGE_CODES


def environment_problem(exc: BaseException) -> EnvironmentProblem | None:
    """The clear message for a machine problem (locked, disk full, I/O, read-only), else None.

    Decided by SQLite's result code (PostgreSQL's SQLSTATE on the server), never by the
    English text of the message: a write refused by a file-size limit is an I/O problem of
    the machine, not a damaged database.
    """
    code = sqlite_code(exc)
    if code:
        primary = _primary(code)
        if primary in _LOCKED_CODES:
            return EnvironmentProblem(LOCKED_MESSAGE)
        if primary == "SQLITE_FULL":
            return EnvironmentProblem(FULL_MESSAGE)
        if primary == "SQLITE_IOERR":
            return EnvironmentProblem(IO_MESSAGE.format(code=code))
        if primary in _READONLY_CODES:
            return EnvironmentProblem(READONLY_MESSAGE)
        return None
    state = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if isinstance(state, str):
        if state.startswith(_PG_FULL):
            return EnvironmentProblem(FULL_MESSAGE)
        if state in _PG_LOCKED:
            return EnvironmentProblem(LOCKED_MESSAGE)
        if state in _PG_READONLY:
            return EnvironmentProblem(READONLY_MESSAGE)
    return None


@cache
def known_revisions() -> frozenset[str]:
    """The schema revisions this version knows: those of ``db/migrations/versions``.

    Read from the migration files themselves (no Alembic import: the start-up path uses it).
    """
    from cchc_desktop.resources import resource_path

    found = set()
    for script in resource_path("db", "migrations", "versions").glob("*.py"):
        match = _REVISION.search(script.read_text(encoding="utf-8"))
        if match:
            found.add(match[1])
    return frozenset(found)


_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
OUR_TABLES = frozenset({"alembic_version", "tasks", "units"})


def database_kind(conn: sqlite3.Connection) -> tuple[str, str | None]:
    """``("empty"|"cchc"|"foreign", revision)`` for an open SQLite connection.

    Empty: no table at all (a database about to be created). CCHC: our tables and an
    ``alembic_version`` row. Anything else belongs to another program.
    """
    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
    if not tables:
        return "empty", None
    if not OUR_TABLES <= tables:
        return "foreign", None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return "cchc", (row[0] if row else None)


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




def personal_login_server(target: str | None = None) -> str | None:
    """``host:port/database`` when the target is a server address without a user name.

    Such an address (``postgresql+psycopg://HOST/DB``) is what PCs use on a server set up
    by ``cchc server setup``: each person signs in with their own role and password.
    Parsed without SQLAlchemy (start-up asks before it is imported).
    """
    from urllib.parse import urlsplit

    chosen = chosen_target(target)
    if not chosen.startswith(("postgresql://", "postgresql+", "postgres://")):
        return None
    parts = urlsplit(chosen)
    if parts.username:
        return None
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.hostname or 'localhost'}{port}{parts.path or '/'}"
