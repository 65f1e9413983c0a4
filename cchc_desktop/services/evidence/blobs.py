"""Where the bytes of evidence files are kept: files named by SHA-256, or a table."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Protocol

from sqlalchemy import event, select
from sqlalchemy.orm import Session

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
    """Files under ``root/ab/cdef…``: one file per SHA-256."""

    def __init__(self, session: Session, root: Path) -> None:
        self.session = session
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, sha256: str, source: Path) -> None:
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copy to a temporary name then rename: a crash never leaves half a file under the hash.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def remove(self, sha256: str) -> None:
        # Only after the commit: a rolled-back delete must still find its file.
        pending = self.session.info.setdefault("evidence_unlink_after_commit", [])
        if not pending:
            event.listen(self.session, "after_commit", _unlink_pending, once=True)
            event.listen(self.session, "after_rollback", _forget_pending, once=True)
        pending.append(self.path(sha256))

    def describe(self, sha256: str) -> str:
        return str(self.path(sha256))


def _unlink_pending(session: Session) -> None:
    for path in session.info.pop("evidence_unlink_after_commit", []):
        path.unlink(missing_ok=True)


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
    """Files in the data folder for SQLite, the ``evidence_blobs`` table otherwise."""
    from cchc_desktop.store.db import data_dir

    if session.get_bind().dialect.name == "sqlite":
        return FileBlobs(session, data_dir() / "evidence")
    return TableBlobs(session)



def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()

