"""Reading the evidence store: files with their links, their bytes, counts per criterion."""

from __future__ import annotations

import builtins
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.filenames import display_name, safe_component
from cchc_desktop.errors import NotFoundError, UserError
from cchc_desktop.services.evidence.blobs import BlobBackend, default_backend
from cchc_desktop.services.evidence.records import TARGET_MODELS, EvidenceInfo, LinkInfo, LinkTarget
from cchc_desktop.store.atomic import atomic_write_bytes
from cchc_desktop.store.models import (
    Criterion,
    Document,
    Evidence,
    EvidenceLink,
    ScoringFramework,
    Task,
)


class StoreBase:
    """The session, the blob backend and the reading half of :class:`EvidenceStore`."""

    def __init__(self, session: Session, blobs: BlobBackend | None = None) -> None:
        self.session = session
        self.blobs = blobs or default_backend(session)

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
        return atomic_write_bytes(target, self.read_bytes(evidence_id))

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


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
