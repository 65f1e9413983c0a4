"""Adding and linking evidence files; the size limit; what a file may be linked to.

:class:`EvidenceStore` gathers the parts: reading (``reading``), the trash (``trash``),
checking (``verify``) and the year's bundle (``bundle``).
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cchc_desktop.domain.filenames import display_name
from cchc_desktop.domain.scoring import code_key
from cchc_desktop.domain.text import nfc
from cchc_desktop.errors import NotFoundError, UserError, ValidationError
from cchc_desktop.services.access import (
    current_user,
    require_session_admin,
    require_task_progress,
)
from cchc_desktop.services.evidence.blobs import sha256_of
from cchc_desktop.services.evidence.bundle import BundleOps
from cchc_desktop.services.evidence.records import TARGET_MODELS, EvidenceInfo, LinkTarget
from cchc_desktop.services.evidence.verify import VerifyOps
from cchc_desktop.store.models import (
    Criterion,
    Document,
    Evidence,
    EvidenceLink,
    ScoringFramework,
    Setting,
    Task,
)

MAX_MB_KEY = "evidence_max_mb"
DEFAULT_MAX_MB = 50


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



class EvidenceStore(BundleOps, VerifyOps):
    """Add, link, list, verify and bundle evidence files (see the package docstring)."""

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
