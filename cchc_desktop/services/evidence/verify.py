"""Checking the evidence store: every file, trashed ones too, re-hashed."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from cchc_desktop.services.evidence.records import Progress, VerifyReport
from cchc_desktop.services.evidence.trash import TrashOps
from cchc_desktop.store.models import Evidence


class VerifyOps(TrashOps):
    """:meth:`verify` (part of :class:`EvidenceStore`)."""

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
