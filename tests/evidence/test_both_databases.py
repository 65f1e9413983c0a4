"""The evidence store and scoring on SQLite and on a real PostgreSQL server (bytea blobs)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sqlalchemy import func, select

from cchc_desktop.services.evidence import (
    EvidenceStore,
    FileBlobs,
    TableBlobs,
    criterion_target,
)
from cchc_desktop.services.scoring import load_template, scoring_view, set_score
from cchc_desktop.store.models import EvidenceBlob


def test_store_score_verify_and_bundle(any_db, tmp_path: Path) -> None:
    first = tmp_path / "Kế hoạch.pdf"
    first.write_bytes(b"%PDF-1.4 plan" + bytes(range(256)))
    again = tmp_path / "copy.pdf"
    again.write_bytes(first.read_bytes())
    with any_db.session() as s:
        load_template(s, 2024)
        set_score(s, 2024, "1.1.1", score=0.75)
        store = EvidenceStore(s)
        expected = FileBlobs if any_db.is_sqlite else TableBlobs
        assert isinstance(store.blobs, expected)
        one = store.add_file(first, target=criterion_target(s, 2024, "1.1.1"))
        two = store.add_file(again, target=criterion_target(s, 2024, "1.2"))
        assert one.id == two.id and not two.created
    with any_db.session() as s:
        store = EvidenceStore(s)
        assert store.read_bytes(one.id) == first.read_bytes()
        assert store.verify().ok
        blobs = s.scalar(select(func.count()).select_from(EvidenceBlob))
        assert blobs == (0 if any_db.is_sqlite else 1)
        view = scoring_view(s, 2024)
        assert view.totals["self"] == 0.75 and view.missing_evidence() == []
        out = tmp_path / "goi.zip"
        assert store.bundle(2024, out) == 2
    with zipfile.ZipFile(out) as archive:
        assert archive.read("1.2/Kế hoạch.pdf") == first.read_bytes()
    with any_db.session() as s:
        EvidenceStore(s).delete(one.id)
    with any_db.session() as s:
        assert EvidenceStore(s).list() == []
        # In the trash the bytes are kept; emptying it removes them.
        assert s.scalar(select(func.count()).select_from(EvidenceBlob)) == (
            0 if any_db.is_sqlite else 1)
        assert EvidenceStore(s).empty_trash() == 1
    with any_db.session() as s:
        assert s.scalar(select(func.count()).select_from(EvidenceBlob)) == 0
