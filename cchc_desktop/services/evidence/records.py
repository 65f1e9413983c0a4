"""The plain data the evidence services return: files, links, trash rows, check reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from cchc_desktop.store.models import Criterion, Document, Task

TARGET_KINDS = ("task", "criterion", "document")
TARGET_MODELS: dict[str, type] = {"task": Task, "criterion": Criterion, "document": Document}
Progress = Callable[[int, int], None]


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
