"""The evidence store (tài liệu kiểm chứng): files the application owns, kept once by SHA-256.

Where the bytes live depends on the database:

* **SQLite (one PC):** files under ``data_dir()/evidence/ab/cdef…`` named by their
  SHA-256 (the first two hex digits are a folder, so no folder holds more than a few
  hundred files). A user's file name is stored in the database and never used as a path.
* **PostgreSQL (shared server):** the bytes go into the ``evidence_blobs`` table
  (``bytea``). Every client that reaches the database reaches the evidence, with the
  same permissions, inside the same transaction as the rows that describe it, and
  ``pg_dump`` backs both up together. A shared network folder was the alternative; it
  was rejected because office PCs map it under different drive letters and user
  accounts, and because a file and its database row could then disagree after a
  crash. The cost is a larger database; evidence files are a few MB each and capped by
  the ``evidence_max_mb`` setting, so a year's evidence stays in the hundreds of MB.

Deleting a file moves it to the trash (thùng rác, table ``evidence_trash``): its row
and links become one trash row, the bytes stay in the blob store, and
:meth:`EvidenceStore.restore_from_trash` brings it back. Only :meth:`EvidenceStore.purge`
and :meth:`EvidenceStore.empty_trash` delete for good, and they remove the bytes only
when no live file and no other trash row has the same SHA-256. The live tables never
hold trashed files, so nothing that reads evidence needs to know about the trash.

Services take an open Session and never commit. With the file backend a new file is
written before the row (an orphan file after a rollback is harmless: the next add of
the same bytes reuses it); a purged file is removed only after the commit.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.filenames import display_name, safe_component
from cchc_desktop.domain.scoring import code_key
from cchc_desktop.domain.text import nfc
from cchc_desktop.errors import NotFoundError, UserError, ValidationError
from cchc_desktop.services.access import (
    current_user,
    require_session_admin,
    require_task_progress,
)
from cchc_desktop.store.models import (
    Criterion,
    Document,
    Evidence,
    EvidenceBlob,
    EvidenceLink,
    EvidenceTrash,
    ScoringFramework,
    Setting,
    Task,
)

MAX_MB_KEY = "evidence_max_mb"
DEFAULT_MAX_MB = 50
CHUNK = 1 << 20
INDEX_NAME = "Danh mục tài liệu kiểm chứng.xlsx"
TARGET_KINDS = ("task", "criterion", "document")
TARGET_MODELS: dict[str, type] = {"task": Task, "criterion": Criterion, "document": Document}
Progress = Callable[[int, int], None]


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


@dataclass(frozen=True)
class LinkTarget:
    """What a file proves: a task, a criterion (of a year's framework) or a document."""

    kind: str
    id: int

    def column(self) -> str:
        return f"{self.kind}_id"


@dataclass
class LinkInfo:
    """One link of a file, with a short Vietnamese label of its target."""

    id: int
    kind: str
    target_id: int
    label: str

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "target_id": self.target_id, "label": self.label}


@dataclass
class EvidenceInfo:
    """A stored file as lists show it."""

    id: int
    name: str
    size: int
    sha256: str
    added_by: str
    added_at: datetime
    links: list[LinkInfo] = field(default_factory=list)
    created: bool = False  # True when add_file stored new bytes

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "size": self.size, "sha256": self.sha256,
            "added_by": self.added_by, "added_at": self.added_at.isoformat(),
            "links": [link.as_json() for link in self.links],
        }


@dataclass
class TrashedLink:
    """A link a trashed file had, with the label its target had when the file was deleted.

    ``key`` tells the target apart from a later record that took its id (SQLite reuses the
    highest id after a delete): a task's creation time, a document's creation time and
    number, a criterion's year/code. Empty in trash rows written before it existed.
    """

    kind: str
    target_id: int
    label: str
    key: str = ""

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "target_id": self.target_id, "label": self.label,
                "key": self.key}


@dataclass
class TrashInfo:
    """A file in the trash (thùng rác). ``id`` is the trash row; ``evidence_id`` its former id."""

    id: int
    evidence_id: int
    name: str
    size: int
    sha256: str
    added_by: str
    added_at: datetime
    note: str
    deleted_at: datetime
    deleted_by: str
    links: list[TrashedLink] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "evidence_id": self.evidence_id, "name": self.name,
            "size": self.size, "sha256": self.sha256, "added_by": self.added_by,
            "added_at": self.added_at.isoformat(), "deleted_at": self.deleted_at.isoformat(),
            "deleted_by": self.deleted_by, "links": [link.as_json() for link in self.links],
        }


@dataclass
class RestoreResult:
    """What :meth:`EvidenceStore.restore_from_trash` did.

    ``merged``: the same content had been added again meanwhile, so the links went to
    that file (``evidence``) instead of a second copy. ``lost_links``: links whose task,
    criterion or document no longer exists and so could not be re-created.
    """

    evidence: EvidenceInfo
    merged: bool
    lost_links: list[TrashedLink]


@dataclass
class VerifyReport:
    """Result of :meth:`EvidenceStore.verify`: files missing from the store or altered.

    ``checked``/``missing``/``altered`` are the live files; ``trash_*`` the same for the
    files in the trash (their bytes are kept, so they are checked too).
    """

    checked: int
    missing: list[EvidenceInfo]
    altered: list[EvidenceInfo]
    trash_checked: int = 0
    trash_missing: list[TrashInfo] = field(default_factory=list)
    trash_altered: list[TrashInfo] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.trash_missing or self.trash_altered)

    def problems(self) -> list[str]:
        """One line per bad file, naming it."""
        return (
            [f"thiếu tệp: {e.name} (#{e.id}, {e.sha256[:12]})" for e in self.missing]
            + [f"tệp bị thay đổi: {e.name} (#{e.id}, {e.sha256[:12]})" for e in self.altered]
            + [f"thùng rác, thiếu tệp: {t.name} (#{t.evidence_id}, {t.sha256[:12]})"
               for t in self.trash_missing]
            + [f"thùng rác, tệp bị thay đổi: {t.name} (#{t.evidence_id}, {t.sha256[:12]})"
               for t in self.trash_altered]
        )


def max_size_mb(session: Session) -> float:
    """The size limit for one file, in MB (setting ``evidence_max_mb``, default 50)."""
    row = session.get(Setting, MAX_MB_KEY)
    try:
        value = float(json.loads(row.value)) if row is not None and row.value else DEFAULT_MAX_MB
    except (ValueError, TypeError):
        value = DEFAULT_MAX_MB
    return value if value > 0 else DEFAULT_MAX_MB


def set_max_size_mb(session: Session, megabytes: float) -> None:
    """Change the size limit for one evidence file (administrators only)."""
    require_session_admin(session, "đổi giới hạn dung lượng tài liệu kiểm chứng")
    if not megabytes > 0:
        raise ValidationError("Giới hạn dung lượng phải lớn hơn 0 MB.")
    row = session.get(Setting, MAX_MB_KEY) or Setting(key=MAX_MB_KEY)
    row.value = json.dumps(megabytes)
    session.add(row)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def criterion_target(session: Session, year: int, code: str) -> LinkTarget:
    """The link target for criterion ``code`` of the ``year`` framework."""
    criterion_id = session.scalar(
        select(Criterion.id)
        .join(ScoringFramework, ScoringFramework.id == Criterion.framework_id)
        .where(ScoringFramework.year == year, Criterion.code == code.strip())
    )
    if criterion_id is None:
        raise NotFoundError(f"Không có tiêu chí mã {code} trong bộ tiêu chí năm {year}.")
    return LinkTarget("criterion", criterion_id)


class EvidenceStore:
    """Add, link, list, verify and bundle evidence files (see the module docstring)."""

    def __init__(self, session: Session, blobs: BlobBackend | None = None) -> None:
        self.session = session
        self.blobs = blobs or default_backend(session)

    # -- adding and linking -------------------------------------------------
    def add_file(
        self, path: Path | str, *, added_by: str = "", target: LinkTarget | None = None,
        name: str | None = None,
    ) -> EvidenceInfo:
        """Store a file (once per content) and link it to ``target`` when given.

        Refuses a missing, empty or too large file with a Vietnamese reason.
        ``name`` overrides the name shown (default: the file's own name).
        """
        path = Path(path)
        # Control characters cannot be stored (PostgreSQL refuses NUL) and garble a table.
        shown = display_name(nfc(name if name is not None else path.name))
        if not path.is_file():
            raise UserError(f"Không tìm thấy tệp: {display_name(shown)}")
        size = path.stat().st_size
        if size == 0:
            raise ValidationError(
                f"Tệp {display_name(shown)} rỗng (0 byte): không có gì để làm tài liệu kiểm chứng."
            )
        limit = max_size_mb(self.session)
        if size > limit * 1024 * 1024:
            raise ValidationError(
                f"Tệp {display_name(shown)} nặng {size / 1048576:.1f} MB, vượt giới hạn "
                f"{limit:g} MB (cài đặt {MAX_MB_KEY})."
            )
        if target is not None:
            self._check_target(target)
        else:
            require_session_admin(self.session, "thêm tài liệu kiểm chứng không gắn với nhiệm vụ")
        added_by = added_by or current_user(self.session).username
        digest = sha256_of(path)
        evidence = self.session.scalar(select(Evidence).where(Evidence.sha256 == digest))
        created = evidence is None
        if evidence is None:
            if not self.blobs.has(digest):
                self.blobs.put(digest, path)
            evidence = Evidence(
                sha256=digest, original_name=shown[:500], size=size, added_by=added_by
            )
            self.session.add(evidence)
            self.session.flush()
        elif not self.blobs.has(digest):
            self.blobs.put(digest, path)  # repair a file lost from the store
        if target is not None:
            self.link(evidence.id, target)
        info = self.get(evidence.id)
        info.created = created
        return info

    def _check_target(self, target: LinkTarget) -> None:
        model = TARGET_MODELS.get(target.kind)
        if model is None:
            raise ValidationError(f"Loại liên kết không hợp lệ: {target.kind}")
        row = self.session.get(model, target.id)
        if row is None:
            labels = {"task": "nhiệm vụ", "criterion": "tiêu chí", "document": "văn bản"}
            raise NotFoundError(f"Không tìm thấy {labels[target.kind]} #{target.id}.")
        # A unit's focal point files evidence for the tasks it leads; the rest is the secretariat's.
        if target.kind == "task":
            require_task_progress(current_user(self.session), row)
        else:
            require_session_admin(self.session, "gắn tài liệu kiểm chứng cho tiêu chí, văn bản")

    def link(self, evidence_id: int, target: LinkTarget) -> int:
        """Link a stored file to a target; linking twice is harmless. Returns the link id."""
        self._evidence(evidence_id)
        self._check_target(target)
        column = getattr(EvidenceLink, target.column())
        existing = self.session.scalar(
            select(EvidenceLink.id).where(
                EvidenceLink.evidence_id == evidence_id, column == target.id
            )
        )
        if existing is not None:
            return existing
        link = EvidenceLink(evidence_id=evidence_id, **{target.column(): target.id})
        self.session.add(link)
        self.session.flush()
        return link.id

    def unlink(self, evidence_id: int, target: LinkTarget) -> bool:
        """Remove one link; the file stays in the store. True when a link was removed."""
        self._check_target(target)
        column = getattr(EvidenceLink, target.column())
        link = self.session.scalar(
            select(EvidenceLink).where(
                EvidenceLink.evidence_id == evidence_id, column == target.id
            )
        )
        if link is None:
            return False
        self.session.delete(link)
        self.session.flush()
        return True

    def delete(self, evidence_id: int) -> TrashInfo:
        """Move a file and its links to the trash; the bytes stay (the caller asked first).

        :meth:`restore_from_trash` with the returned trash id undoes it.
        """
        require_session_admin(self.session, "xóa tài liệu kiểm chứng")
        info = self.get(evidence_id)
        evidence = self._evidence(evidence_id)
        links = [TrashedLink(link.kind, link.target_id, link.label,
                             self._target_key(link.kind, link.target_id) or "")
                 for link in info.links]
        row = EvidenceTrash(
            evidence_id=evidence.id, sha256=evidence.sha256,
            original_name=evidence.original_name, size=evidence.size,
            added_by=evidence.added_by, added_at=evidence.added_at, note=evidence.note or "",
            links=json.dumps([link.as_json() for link in links], ensure_ascii=False),
            deleted_by=current_user(self.session).username,
        )
        for link in self.session.scalars(
            select(EvidenceLink).where(EvidenceLink.evidence_id == evidence_id)
        ):
            self.session.delete(link)
        self.session.delete(evidence)
        self.session.add(row)
        self.session.flush()
        return self._trash_info(row)

    # -- the trash (thùng rác) ----------------------------------------------
    def list_trash(self) -> list[TrashInfo]:
        """The files in the trash, most recently deleted first."""
        rows = self.session.scalars(
            select(EvidenceTrash).order_by(EvidenceTrash.deleted_at.desc(),
                                           EvidenceTrash.id.desc())
        )
        return [self._trash_info(row) for row in rows]

    def count_trash(self) -> int:
        """How many files are in the trash."""
        return int(self.session.scalar(select(func.count()).select_from(EvidenceTrash)) or 0)

    def get_trash(self, trash_id: int) -> TrashInfo:
        """One file of the trash."""
        return self._trash_info(self._trash_row(trash_id))

    def restore_from_trash(self, trash_id: int) -> RestoreResult:
        """Bring a trashed file back with its links.

        The file gets its former id when nobody took it. When the same content was
        added again meanwhile, the links are merged into that file. Links to a task,
        criterion or document deleted since are reported in ``lost_links``.
        """
        require_session_admin(self.session, "khôi phục tài liệu kiểm chứng từ thùng rác")
        row = self._trash_row(trash_id)
        if not self.blobs.has(row.sha256):
            raise UserError(
                f"Nội dung tệp {display_name(row.original_name)} không còn trong kho lưu trữ "
                "nên không khôi phục được. Hãy thêm lại tệp từ bản gốc."
            )
        evidence = self.session.scalar(select(Evidence).where(Evidence.sha256 == row.sha256))
        merged = evidence is not None
        if evidence is None:
            taken = self.session.get(Evidence, row.evidence_id) is not None
            evidence = Evidence(
                sha256=row.sha256, original_name=row.original_name, size=row.size,
                added_by=row.added_by, added_at=row.added_at, note=row.note,
            )
            if not taken:
                evidence.id = row.evidence_id
            self.session.add(evidence)
            self.session.flush()
        elif row.note and not evidence.note:
            evidence.note = row.note
        lost: list[TrashedLink] = []
        for link in _trashed_links(row):
            current = self._target_key(link.kind, link.target_id)
            if current is None or (link.key and link.key != current):  # gone, or another record
                lost.append(link)
                continue
            column = getattr(EvidenceLink, f"{link.kind}_id")
            exists = self.session.scalar(
                select(EvidenceLink.id).where(
                    EvidenceLink.evidence_id == evidence.id, column == link.target_id
                )
            )
            if exists is None:
                self.session.add(
                    EvidenceLink(evidence_id=evidence.id, **{f"{link.kind}_id": link.target_id})
                )
        self.session.delete(row)
        self.session.flush()
        return RestoreResult(self.get(evidence.id), merged, lost)

    def purge(self, trash_id: int) -> TrashInfo:
        """Delete a trashed file for good (the caller asked first).

        Its bytes go too, after the commit, unless a live file or another trash row
        has the same content.
        """
        require_session_admin(self.session, "xóa vĩnh viễn tài liệu kiểm chứng")
        row = self._trash_row(trash_id)
        info = self._trash_info(row)
        self.session.delete(row)
        self.session.flush()
        self._remove_unreferenced({info.sha256})
        return info

    def empty_trash(self) -> int:
        """Delete every trashed file for good; returns how many there were."""
        require_session_admin(self.session, "dọn sạch thùng rác tài liệu kiểm chứng")
        rows = list(self.session.scalars(select(EvidenceTrash)))
        for row in rows:
            self.session.delete(row)
        self.session.flush()
        self._remove_unreferenced({row.sha256 for row in rows})
        return len(rows)

    def _remove_unreferenced(self, digests: set[str]) -> None:
        for digest in sorted(digests):
            live = self.session.scalar(select(Evidence.id).where(Evidence.sha256 == digest))
            trashed = self.session.scalar(
                select(EvidenceTrash.id).where(EvidenceTrash.sha256 == digest).limit(1)
            )
            if live is None and trashed is None:
                self.blobs.remove(digest)

    def _trash_row(self, trash_id: int) -> EvidenceTrash:
        row = self.session.get(EvidenceTrash, trash_id)
        if row is None:
            raise NotFoundError(
                f"Không có tệp #{trash_id} trong thùng rác (có thể đã được khôi phục "
                "hoặc xóa vĩnh viễn)."
            )
        return row

    def _trash_info(self, row: EvidenceTrash) -> TrashInfo:
        return TrashInfo(
            id=row.id, evidence_id=row.evidence_id, name=row.original_name, size=row.size,
            sha256=row.sha256, added_by=row.added_by, added_at=row.added_at, note=row.note,
            deleted_at=row.deleted_at, deleted_by=row.deleted_by, links=_trashed_links(row),
        )

    # -- reading ------------------------------------------------------------
    def _evidence(self, evidence_id: int) -> Evidence:
        evidence = self.session.get(Evidence, evidence_id)
        if evidence is None:
            raise NotFoundError(f"Không tìm thấy tài liệu kiểm chứng #{evidence_id}.")
        return evidence

    def get(self, evidence_id: int) -> EvidenceInfo:
        """One stored file with its links."""
        evidence = self._evidence(evidence_id)
        return self._infos([evidence])[0]

    def list(self, target: LinkTarget | None = None) -> list[EvidenceInfo]:
        """Every stored file (newest first), or those linked to ``target``."""
        stmt = select(Evidence).order_by(Evidence.added_at.desc(), Evidence.id.desc())
        if target is not None:
            column = getattr(EvidenceLink, target.column())
            stmt = stmt.where(
                Evidence.id.in_(
                    select(EvidenceLink.evidence_id).where(column == target.id)
                )
            )
        return self._infos(list(self.session.scalars(stmt)))

    # builtins.list: inside the class, ``list`` is the method above.
    def _infos(self, rows: builtins.list[Evidence]) -> builtins.list[EvidenceInfo]:
        ids = [e.id for e in rows]
        links: dict[int, list[LinkInfo]] = {i: [] for i in ids}
        if ids:
            for link in self.session.scalars(
                select(EvidenceLink).where(EvidenceLink.evidence_id.in_(ids))
                .order_by(EvidenceLink.id)
            ):
                links[link.evidence_id].append(self._link_info(link))
        return [
            EvidenceInfo(
                id=e.id, name=e.original_name, size=e.size, sha256=e.sha256,
                added_by=e.added_by, added_at=e.added_at, links=links[e.id],
            )
            for e in rows
        ]

    def _target_key(self, kind: str, target_id: int) -> str | None:
        """What identifies a link target beyond its id (see TrashedLink); None if it is gone."""
        model = TARGET_MODELS.get(kind)
        row = self.session.get(model, target_id) if model is not None else None
        if row is None:
            return None
        if isinstance(row, Criterion):
            return f"{row.framework.year}/{row.code}"
        created = getattr(row, "created_at", None)
        stamp = created.isoformat() if created is not None else ""
        # Creation times have whole seconds: a document's number also tells two apart.
        return f"{stamp}|{row.symbol}" if isinstance(row, Document) else stamp

    def _link_info(self, link: EvidenceLink) -> LinkInfo:
        if link.task_id is not None:
            task = self.session.get(Task, link.task_id)
            text = _short(task.content if task else "")
            return LinkInfo(link.id, "task", link.task_id, f"Nhiệm vụ #{link.task_id}: {text}")
        if link.criterion_id is not None:
            crit = self.session.get(Criterion, link.criterion_id)
            year = crit.framework.year if crit else ""
            code = crit.code if crit else "?"
            title = _short(crit.title if crit else "")
            return LinkInfo(link.id, "criterion", link.criterion_id,
                            f"Tiêu chí {code} ({year}): {title}")
        doc = self.session.get(Document, link.document_id)
        symbol = doc.symbol if doc else "?"
        return LinkInfo(link.id, "document", link.document_id or 0, f"Văn bản {symbol}")

    def read_bytes(self, evidence_id: int) -> bytes:
        """The bytes of a stored file."""
        evidence = self._evidence(evidence_id)
        try:
            return self.blobs.read(evidence.sha256)
        except FileNotFoundError as exc:
            raise UserError(
                f"Tệp {display_name(evidence.original_name)} không còn trong kho lưu trữ."
            ) from exc

    def export_copy(self, evidence_id: int, folder: Path) -> Path:
        """Write a copy named after the original (made safe) into ``folder``, e.g. to open it."""
        evidence = self._evidence(evidence_id)
        target = Path(folder) / safe_component(evidence.original_name)
        target.write_bytes(self.read_bytes(evidence_id))
        return target

    def counts_by_criterion(self, year: int) -> dict[str, int]:
        """Number of files linked to each criterion code of a year's framework."""
        stmt = (
            select(Criterion.code, func.count(EvidenceLink.id))
            .join(EvidenceLink, EvidenceLink.criterion_id == Criterion.id)
            .join(ScoringFramework, ScoringFramework.id == Criterion.framework_id)
            .where(ScoringFramework.year == year)
            .group_by(Criterion.code)
        )
        return {code: int(n) for code, n in self.session.execute(stmt)}

    # -- checking and bundling ---------------------------------------------
    def verify(self, on_progress: Progress | None = None) -> VerifyReport:
        """Re-hash every stored file, the trashed ones too; report the missing and the altered.

        ``on_progress(done, total)`` is called after each file (it may raise to stop).
        """
        rows = list(self.session.scalars(select(Evidence).order_by(Evidence.id)))
        trash = self.list_trash()
        total = len(rows) + len(trash)
        state: dict[str, str] = {}  # sha256 -> "ok", "missing" or "altered"; each hashed once

        def check(done: int, digest: str) -> str:
            if on_progress is not None:
                on_progress(done, total)
            if digest not in state:
                try:
                    data = self.blobs.read(digest)
                except FileNotFoundError:
                    state[digest] = "missing"
                else:
                    ok = hashlib.sha256(data).hexdigest() == digest
                    state[digest] = "ok" if ok else "altered"
            return state[digest]

        report = VerifyReport(checked=len(rows), missing=[], altered=[],
                              trash_checked=len(trash))
        for done, info in enumerate(self._infos(rows)):
            result = check(done, info.sha256)
            if result != "ok":
                (report.missing if result == "missing" else report.altered).append(info)
        for done, item in enumerate(trash, start=len(rows)):
            result = check(done, item.sha256)
            if result != "ok":
                (report.trash_missing if result == "missing" else report.trash_altered).append(
                    item)
        return report

    def _criterion_files(self, year: int) -> Iterator[tuple[Criterion, Evidence]]:
        stmt = (
            select(Criterion, Evidence)
            .join(EvidenceLink, EvidenceLink.criterion_id == Criterion.id)
            .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
            .join(ScoringFramework, ScoringFramework.id == Criterion.framework_id)
            .where(ScoringFramework.year == year)
        )
        rows = [(c, e) for c, e in self.session.execute(stmt)]
        rows.sort(key=lambda r: (code_key(r[0].code), r[1].original_name, r[1].id))
        yield from rows

    def bundle(self, year: int, out_zip: Path | str, on_progress: Progress | None = None) -> int:
        """Write the year's evidence as a zip: one folder per criterion code and an index sheet.

        Returns the number of files written. The zip is written to a temporary name and
        renamed, so a failure never leaves half a bundle under the requested name.
        """
        from openpyxl import Workbook
        from openpyxl.styles import Font

        out_zip = Path(out_zip)
        if not self.session.scalar(select(ScoringFramework.id).where(ScoringFramework.year == year)):
            raise NotFoundError(f"Chưa có bộ tiêu chí năm {year}.")
        book = Workbook()
        sheet = book.active
        sheet.title = "Danh mục"
        sheet.append(["Mã tiêu chí", "Tiêu chí", "Tệp trong gói", "Tên tệp gốc",
                      "Dung lượng (byte)", "SHA-256"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        count = 0
        tmp = out_zip.with_name(out_zip.name + ".part")
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
                used: set[str] = set()
                files = list(self._criterion_files(year))
                for criterion, evidence in files:
                    if on_progress is not None:
                        on_progress(count, len(files))
                    entry = _unique_entry(criterion.code, evidence.original_name, used)
                    archive.writestr(entry, self.read_bytes(evidence.id))
                    sheet.append([criterion.code, criterion.title, entry,
                                  evidence.original_name, evidence.size, evidence.sha256])
                    count += 1
                for column, width in zip("ABCDEF", (12, 60, 40, 40, 16, 66), strict=True):
                    sheet.column_dimensions[column].width = width
                with tempfile.TemporaryDirectory() as scratch:
                    index = Path(scratch) / "index.xlsx"
                    book.save(index)
                    archive.write(index, INDEX_NAME)
            os.replace(tmp, out_zip)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return count


def _trashed_links(row: EvidenceTrash) -> list[TrashedLink]:
    try:
        items = json.loads(row.links or "[]")
    except ValueError:
        return []
    return [TrashedLink(str(i.get("kind", "")), int(i.get("target_id", 0)),
                        str(i.get("label", "")), str(i.get("key", "")))
            for i in items if isinstance(i, dict)]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unique_entry(code: str, name: str, used: set[str]) -> str:
    base = safe_component(name)
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    candidate, n = f"{code}/{base}", 2
    while candidate.lower() in used:
        candidate = f"{code}/{stem} ({n}){'.' + ext if ext else ''}"
        n += 1
    used.add(candidate.lower())
    return candidate


def link_choices(session: Session, kind: str, year: int | None = None) -> list[tuple[LinkTarget, str]]:
    """What a file may be linked to, with a label: a year's criteria, tasks or documents."""
    if kind == "criterion":
        stmt = (
            select(Criterion.id, Criterion.code, Criterion.title)
            .join(ScoringFramework, ScoringFramework.id == Criterion.framework_id)
            .where(ScoringFramework.year == year)
        )
        rows = sorted(session.execute(stmt), key=lambda r: code_key(r[1]))
        return [(LinkTarget("criterion", i), f"{code} — {title}") for i, code, title in rows]
    if kind == "task":
        tasks = select(Task.id, Task.content).order_by(Task.id.desc())
        if year is not None:
            tasks = tasks.where(Task.year == year)
        return [(LinkTarget("task", i), f"#{i} — {content[:120]}")
                for i, content in session.execute(tasks)]
    if kind == "document":
        stmt = select(Document.id, Document.symbol, Document.summary).order_by(
            Document.issued_on.desc(), Document.id.desc())
        return [(LinkTarget("document", i), f"{symbol} — {summary[:100]}")
                for i, symbol, summary in session.execute(stmt)]
    raise ValidationError(f"Loại liên kết không hợp lệ: {kind}")
