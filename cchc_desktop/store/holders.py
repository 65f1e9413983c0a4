"""Who has an SQLite database open: one registration file per open database, per process.

Every :class:`~cchc_desktop.store.db.Database` on an SQLite file writes a small file beside it,
``.<database name>.in-use.<pid>.<n>``, saying which program, user, machine and process holds
it, and keeps an operating-system lock on that file until it is closed. A killed process loses
its lock with its life, so a file nobody locks is stale and is removed by the next look.

A restore registers itself the same way (purpose ``restore``) before it looks for other
holders, and an opener registers before it looks for a restore in progress: whichever comes
second sees the first, so a restore never swaps the file under a process that has it open
(Dekker's order). Only the standard library: the start-up path uses it before SQLAlchemy.
"""

from __future__ import annotations

import getpass
import itertools
import json
import os
import socket
import sys
import weakref
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cchc_desktop.store.atomic import TEMP_PREFIX

_counter = itertools.count(1)
_LOCK_OFFSET = 1 << 20  # Windows locks are mandatory: lock a byte past the text, not the text


@dataclass(frozen=True)
class Holder:
    """One live registration: who holds the database and since when."""

    program: str
    user: str
    host: str
    pid: int
    since: str
    purpose: str

    def describe(self) -> str:
        """A Vietnamese line naming the holder."""
        what = "đang khôi phục dữ liệu" if self.purpose == "restore" else "đang mở"
        return (f"{self.program} {what} (máy {self.host}, người dùng {self.user}, "
                f"tiến trình {self.pid}, từ {self.since})")


def _lock(fd: int) -> bool:
    """Take the exclusive lock of a registration file without waiting; False if taken."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    """Drop a lock taken by :func:`_lock` (Windows wants it before the file is closed)."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _prefix(db_path: Path) -> str:
    return f".{db_path.name}.in-use."


def _program() -> str:
    name = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else "python"
    return {"cchc": "Dòng lệnh cchc", "cchc-desktop": "CCHC Desktop"}.get(name, name or "python")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (a service, a container)
        return "?"


class Registration:
    """This process holds ``db_path`` (for ``purpose``) until :meth:`release`.

    ``path`` is None when the folder could not be written (a read-only folder: the database
    cannot be changed there either, so nobody can restore over it).
    """

    def __init__(self, db_path: Path, purpose: str = "open") -> None:
        self.db_path = Path(db_path)
        self.purpose = purpose
        self.path: Path | None = None
        info = {"program": _program(), "user": _user(), "host": socket.gethostname(),
                "pid": os.getpid(), "since": datetime.now().strftime("%d/%m/%Y %H:%M:%S"),
                "purpose": purpose}
        final = self.db_path.with_name(f"{_prefix(self.db_path)}{os.getpid()}.{next(_counter)}")
        # Windows cannot rename an open file, but neither can anyone delete it while it is
        # open, so there it is written in place.
        temp = final if sys.platform == "win32" else final.with_name(f"{TEMP_PREFIX}{final.name}")
        try:
            fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        except OSError:
            return
        try:
            os.write(fd, json.dumps(info, ensure_ascii=False).encode())
            if not _lock(fd):
                raise OSError("registration file locked by someone else")
            # Renamed only once locked: a reader never sees it unlocked and takes it for stale.
            if temp != final:
                os.replace(temp, final)
        except OSError:
            os.close(fd)
            _unlink(temp)
            return
        self.path = final
        self._finalizer = weakref.finalize(self, _drop, fd, final)

    def release(self) -> None:
        """Remove the registration and drop its lock (idempotent)."""
        if self.path is not None:
            self._finalizer()
            self.path = None


def _drop(fd: int, path: Path) -> None:
    if sys.platform != "win32":
        _unlink(path)  # before closing: the lock still says "mine" while the file goes
    try:
        os.close(fd)
    except OSError:
        pass
    _unlink(path)  # Windows removes no file that is still open


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def holders(db_path: Path, *, exclude_own: bool = True) -> list[Holder]:
    """The live registrations of ``db_path`` (other processes' only when ``exclude_own``).

    A registration file that nobody locks any more was left by a killed process: removed.
    """
    db_path = Path(db_path)
    found: list[Holder] = []
    try:
        names = [p for p in db_path.parent.iterdir() if p.name.startswith(_prefix(db_path))]
    except OSError:
        return found
    for path in names:
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            stale = _lock(fd)  # nobody holds it
            if stale:
                _unlock(fd)
            os.lseek(fd, 0, os.SEEK_SET)
            raw = b"" if stale else os.read(fd, 4096)
        finally:
            os.close(fd)
        if stale:
            _unlink(path)
            continue
        try:
            info = json.loads(raw.decode("utf-8", errors="replace"))
            holder = Holder(str(info["program"]), str(info["user"]), str(info["host"]),
                            int(info["pid"]), str(info["since"]), str(info.get("purpose", "open")))
        except (ValueError, KeyError, TypeError):
            holder = Holder("Một chương trình", "?", "?", 0, "?", "open")
        if exclude_own and holder.pid == os.getpid() and holder.host == socket.gethostname():
            continue
        found.append(holder)
    return found
