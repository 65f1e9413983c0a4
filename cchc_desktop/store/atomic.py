"""Writing files so that a failed write never leaves a half-written file or debris.

Every file the application writes (documents, workbooks, archives, backups, evidence) goes to a
temporary name in the target's own folder and is renamed over the target only once it is
complete: ``os.replace`` is atomic within one file system, so the previous file stays intact
when the disk fills, a file-size limit is hit or the process is killed. Temporary names share
one prefix so that :func:`clean_leftovers` can remove what a killed process left behind.
Only the standard library: the start-up path may call it before SQLAlchemy is imported.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".cchc-tmp-"
"""Every temporary file of an atomic write starts with this; nothing else does."""

# The process umask, read once at import (reading it means setting it, which is not
# thread-safe later). mkstemp creates files 0600; a finished file gets the usual mode.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    Write the whole file to the yielded path. When the block ends normally the file is flushed
    to disk and renamed over ``target``; when it raises, the temporary file is removed and
    ``target`` is left exactly as it was. The temporary name keeps ``target``'s suffix because
    some writers (openpyxl, LibreOffice) look at it.
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=target.suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync(tmp)
        mode = (target.stat().st_mode & 0o7777) if target.exists() else (0o666 & ~_UMASK)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the target's path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def clean_leftovers(folder: str | os.PathLike[str], min_age_seconds: float = 60.0) -> list[Path]:
    """Remove temporary files of atomic writes that a killed process left in ``folder``.

    Only names with :data:`TEMP_PREFIX` are touched, and only those older than
    ``min_age_seconds`` so that a write still in progress in another process is spared.
    Returns the removed paths; a file that cannot be removed is left alone.
    """
    removed: list[Path] = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        try:
            if path.is_file() and now - path.stat().st_mtime >= min_age_seconds:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed
