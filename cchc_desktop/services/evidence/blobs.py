"""Where the bytes of evidence files are kept: files named by SHA-256, or a table."""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Protocol

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from cchc_desktop.store.atomic import atomic_path
from cchc_desktop.store.evidence_home import blob_path, evidence_dir, release_files
from cchc_desktop.store.models import EvidenceBlob

CHUNK = 1 << 20


class BlobBackend(Protocol):
    """Where the bytes of evidence files are kept."""

    def has(self, sha256: str) -> bool: ...
    def put(self, sha256: str, source: Path) -> None: ...
    def read(self, sha256: str) -> bytes: ...
    def remove(self, sha256: str) -> None: ...
    def describe(self, sha256: str) -> str: ...


class FileBlobs:
    """Files under ``root/ab/cdef…``: one file per SHA-256.

    ``db_path`` is the database the folder belongs to: a file that one of its kept backups
    (``backups/`` beside it) references is never removed, so restoring any of them gives a
    database whose files are all there.
    """

    def __init__(self, session: Session, root: Path, db_path: Path | None = None) -> None:
        self.session = session
        self.root = root
        self.db_path = db_path

    def path(self, sha256: str) -> Path:
        return blob_path(self.root, sha256)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, sha256: str, source: Path) -> None:
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        # A temporary name then a rename: a crash never leaves half a file under the hash.
        with atomic_path(target) as tmp, tmp.open("wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, CHUNK)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def remove(self, sha256: str) -> None:
        # Only after the commit: a rolled-back delete must still find its file.
        pending = self.session.info.setdefault("evidence_unlink_after_commit", [])
        if not pending:
            event.listen(self.session, "after_commit", _unlink_pending, once=True)
            event.listen(self.session, "after_rollback", _forget_pending, once=True)
        pending.append((self, sha256))

    def describe(self, sha256: str) -> str:
        return str(self.path(sha256))


def _unlink_pending(session: Session) -> None:
    pending: list[tuple[FileBlobs, str]] = session.info.pop("evidence_unlink_after_commit", [])
    by_database: dict[Path | None, list[tuple[FileBlobs, str]]] = {}
    for blobs, digest in pending:
        by_database.setdefault(blobs.db_path, []).append((blobs, digest))
    for db_path, items in by_database.items():
        if db_path is None:  # no file, so no backups
            for blobs, digest in items:
                blobs.path(digest).unlink(missing_ok=True)
            continue
        try:
            release_files(db_path, [digest for _blobs, digest in items])
        except (OSError, sqlite3.Error):
            # The rows are gone (committed); the bytes stay, which loses nothing.
            logging.getLogger(__name__).exception("evidence files of %s not released", db_path)


def _forget_pending(session: Session) -> None:
    session.info.pop("evidence_unlink_after_commit", None)


class TableBlobs:
    """Bytes in the ``evidence_blobs`` table, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def has(self, sha256: str) -> bool:
        # The key only: loading the row would read the whole file from the server.
        found = select(EvidenceBlob.sha256).where(EvidenceBlob.sha256 == sha256)
        return self.session.scalar(found) is not None

    def put(self, sha256: str, source: Path) -> None:
        self.session.merge(EvidenceBlob(sha256=sha256, content=source.read_bytes()))

    def read(self, sha256: str) -> bytes:
        blob = self.session.get(EvidenceBlob, sha256)
        if blob is None:
            raise FileNotFoundError(sha256)
        return blob.content

    def remove(self, sha256: str) -> None:
        blob = self.session.get(EvidenceBlob, sha256)
        if blob is not None:
            self.session.delete(blob)

    def describe(self, sha256: str) -> str:
        return f"evidence_blobs/{sha256}"


def default_backend(session: Session) -> BlobBackend:
    """The folder beside an SQLite database file, the ``evidence_blobs`` table otherwise.

    An SQLite database without a file (``:memory:``) keeps its files in a temporary folder
    for the life of the process.
    """
    if session.get_bind().dialect.name == "sqlite":
        database = session.get_bind().engine.url.database
        db_path = Path(database) if database and database != ":memory:" else None
        return FileBlobs(session, sqlite_evidence_dir(session), db_path)
    return TableBlobs(session)


def sqlite_evidence_dir(session: Session) -> Path:
    """The evidence folder of the SQLite database ``session`` is bound to."""
    database = session.get_bind().engine.url.database
    if not database or database == ":memory:":
        global _MEMORY_HOME
        if _MEMORY_HOME is None:
            _MEMORY_HOME = Path(tempfile.mkdtemp(prefix="cchc-evidence-"))
        return _MEMORY_HOME
    return evidence_dir(Path(database))


_MEMORY_HOME: Path | None = None


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()

