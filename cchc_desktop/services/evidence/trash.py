"""The trash (thùng rác): deleting to it, listing, restoring, purging for good."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from cchc_desktop.domain.filenames import display_name
from cchc_desktop.errors import NotFoundError, UserError
from cchc_desktop.services.access import current_user, require_session_admin
from cchc_desktop.services.evidence.reading import StoreBase
from cchc_desktop.services.evidence.records import RestoreResult, TrashedLink, TrashInfo
from cchc_desktop.store.models import Evidence, EvidenceLink, EvidenceTrash


class TrashOps(StoreBase):
    """Deleting to the trash and what the trash offers (part of :class:`EvidenceStore`)."""

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


def _trashed_links(row: EvidenceTrash) -> list[TrashedLink]:
    try:
        items = json.loads(row.links or "[]")
    except ValueError:
        return []
    return [TrashedLink(str(i.get("kind", "")), int(i.get("target_id", 0)),
                        str(i.get("label", "")), str(i.get("key", "")))
            for i in items if isinstance(i, dict)]
