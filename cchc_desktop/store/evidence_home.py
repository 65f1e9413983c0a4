"""Where an SQLite database keeps its evidence files, and adopting them from the old shared folder.

The evidence files of an SQLite database live in a folder beside the database file, named
after it: ``cchc.sqlite3`` keeps its files in ``cchc.sqlite3.evidence/``. The folder is found
from the database's own path, so copying the file and its folder (or a ``.zip`` archive, see
:mod:`cchc_desktop.store.archive`) moves the work, and emptying the trash of one database can
never remove a file that another database uses.

Versions before this one kept the files of every SQLite database in one per-user folder,
``data_dir()/evidence``. :func:`adopt_shared_files` runs when a database is opened: it copies
the files the database references (live and trashed) from that folder into the database's own
folder, checking each copy's SHA-256, then leaves a marker so that it runs once. The old folder
is left exactly as it was: two databases may share a file there, and no database can know
which others exist, so nothing is ever moved out of it or deleted from it (it is itself the
backup of the adopted files; delete it by hand once every database has been opened).

Only the standard library and sqlite3: called from :func:`cchc_desktop.store.db.open_database`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cchc_desktop.store.atomic import TEMP_PREFIX, atomic_path, atomic_write_bytes, clean_leftovers
from cchc_desktop.store.backup import read_only_uri

EVIDENCE_SUFFIX = ".evidence"
LEGACY_DIR_NAME = "evidence"
ADOPTED_MARKER = ".adopted-from-shared-folder"
DEFERRED_LIST = ".kept-for-backups"  # purged files that a kept backup still references
LEGACY_TEMP_PREFIX = ".incoming-"  # what the store wrote before store.atomic existed
CHUNK = 1 << 20


def evidence_dir(db_path: Path) -> Path:
    """The evidence folder of the SQLite database at ``db_path`` (not created here)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + EVIDENCE_SUFFIX)


def legacy_dir() -> Path:
    """The per-user folder every SQLite database shared before (``data_dir()/evidence``)."""
    from cchc_desktop.store.sqlite_file import data_dir

    return data_dir() / LEGACY_DIR_NAME


def blob_path(root: Path, sha256: str) -> Path:
    """Where the file with this SHA-256 lives under an evidence folder ``root``."""
    return root / sha256[:2] / sha256[2:]


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def referenced_digests(db_path: Path) -> set[str]:
    """The SHA-256 of every file a database references, live or in the trash (read only)."""
    conn = sqlite3.connect(read_only_uri(db_path), uri=True, timeout=5)
    try:
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
        found: set[str] = set()
        for table in ("evidence", "evidence_trash"):
            if table in tables:
                found.update(row[0] for row in conn.execute(f"SELECT sha256 FROM {table}"))
        return found
    finally:
        conn.close()


@dataclass
class Adoption:
    """What :func:`adopt_shared_files` did: files copied in, files found nowhere."""

    copied: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ran: bool = False


def adopt_shared_files(db_path: Path, legacy: Path | None = None) -> Adoption:
    """Copy the files ``db_path`` references from the old shared folder into its own, once.

    A file already in the database's own folder is left alone; a file in the old folder is
    copied under a temporary name, its SHA-256 checked, then renamed into place. A copy whose
    content does not match its name is not adopted (``verify`` will report it). Nothing in the
    old folder is changed. The marker is written only when every copy succeeded, so an
    interrupted adoption runs again at the next open.
    """
    db_path = Path(db_path)
    legacy = legacy if legacy is not None else legacy_dir()
    home = evidence_dir(db_path)
    result = Adoption()
    if (home / ADOPTED_MARKER).exists() or not legacy.is_dir() or not db_path.is_file():
        return result
    result.ran = True
    for digest in sorted(referenced_digests(db_path)):
        target = blob_path(home, digest)
        if target.is_file():
            continue
        source = blob_path(legacy, digest)
        if not source.is_file():
            result.missing.append(digest)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with atomic_path(target) as tmp:
                shutil.copyfile(source, tmp)
                if file_sha256(tmp) != digest:
                    raise _Altered(digest)
        except _Altered:
            result.missing.append(digest)  # not copied: ``evidence verify`` names it
            continue
        result.copied.append(digest)
    home.mkdir(parents=True, exist_ok=True)
    (home / ADOPTED_MARKER).write_text(
        f"Copied {len(result.copied)} file(s) from {legacy}; that folder was left as it was.\n",
        encoding="utf-8",
    )
    return result


class _Altered(Exception):
    """A file of the old folder whose content does not match its name."""


def clean_evidence_leftovers(home: Path, min_age_seconds: float = 60.0) -> list[Path]:
    """Remove temporary files a killed write left in an evidence folder and its sub-folders."""
    removed: list[Path] = []
    if not home.is_dir():
        return removed
    # A restore from an archive killed while unpacking leaves its staging folder.
    for staging in home.glob(f"{TEMP_PREFIX}*"):
        try:
            if staging.is_dir() and time.time() - staging.stat().st_mtime >= min_age_seconds:
                shutil.rmtree(staging, ignore_errors=True)
                removed.append(staging)
        except OSError:
            continue
    folders = [home, *(p for p in home.iterdir() if p.is_dir() and len(p.name) == 2)]
    for folder in folders:
        removed += clean_leftovers(folder, min_age_seconds)
        # The same for the older ".incoming-" names, spared while young like the others.
        for path in folder.glob(f"{LEGACY_TEMP_PREFIX}*"):
            removed += _remove_if_old(path, min_age_seconds)
    return removed


def _remove_if_old(path: Path, min_age_seconds: float) -> list[Path]:
    try:
        if path.is_file() and time.time() - path.stat().st_mtime >= min_age_seconds:
            path.unlink()
            return [path]
    except OSError:
        pass
    return []


def digests_in_backups(db_path: Path) -> set[str] | None:
    """Every SHA-256 the kept backups of ``db_path`` reference; None if one cannot be read."""
    from cchc_desktop.store.backup import list_backups

    found: set[str] = set()
    try:
        for backup in list_backups(db_path):
            try:
                found |= referenced_digests(backup.path)
            except sqlite3.OperationalError:
                return None  # locked or unreadable now: it may still be restored later
            except sqlite3.DatabaseError:
                continue  # not a database (a damaged copy): it cannot be restored anyway
    except OSError:
        return None
    return found


def _read_deferred(home: Path) -> set[str]:
    try:
        text = (home / DEFERRED_LIST).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return set()
    return {line for line in text.split() if re.fullmatch(r"[0-9a-f]{64}", line)}


def release_files(db_path: Path, digests: Iterable[str]) -> list[str]:
    """Remove files the database at ``db_path`` no longer references; return those removed.

    Called after a commit that purged ``digests`` from the trash, and at open (with none)
    once backups may have rotated away. A file that a kept backup references stays, so
    restoring that backup gives a database whose files are all there; it is remembered in
    the folder's ``.kept-for-backups`` list and removed by a later call once no kept
    backup needs it. A file the database references again (added back since) stays too.
    """
    home = evidence_dir(Path(db_path))
    deferred = _read_deferred(home)
    candidates = set(digests) | deferred
    if not candidates:
        return []
    protected = digests_in_backups(db_path)
    if protected is None:  # cannot tell: keep everything, try again next time
        protected = candidates
    live = referenced_digests(db_path)
    removed: list[str] = []
    keep: set[str] = set()
    for digest in sorted(candidates - live):
        if digest in protected:
            keep.add(digest)
            continue
        blob_path(home, digest).unlink(missing_ok=True)
        removed.append(digest)
    if keep != deferred:
        home.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(home / DEFERRED_LIST, "".join(f"{d}\n" for d in sorted(keep)).encode())
    return removed


def prepare_evidence_home(db_path: Path) -> Adoption:
    """At open: clean debris of killed writes, adopt files from the old shared folder, and
    remove files kept for backups that have rotated away since."""
    clean_evidence_leftovers(evidence_dir(db_path))
    adoption = adopt_shared_files(db_path)
    release_files(db_path, [])
    return adoption

