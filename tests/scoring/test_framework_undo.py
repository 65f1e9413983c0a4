"""Undoing a criterion's removal: the subtree, every round's scores, notes and links come back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cchc_desktop.errors import ValidationError
from cchc_desktop.services.evidence import EvidenceStore, criterion_target
from cchc_desktop.services.framework_edit import (
    CriterionFields,
    add_criterion,
    criterion_fields,
    delete_criterion_with_snapshot,
    remove_added_criterion,
    restore_criterion,
)
from cchc_desktop.services.scoring import load_template, scoring_view, set_score
from cchc_desktop.store.models import Criterion, EvidenceLink, Score


def stored(db: Any) -> dict[str, list[dict[str, Any]]]:
    """Every criterion, score and evidence-link row of the database, as stored."""
    with db.session() as s:
        return {
            model.__tablename__: [dict(r) for r in s.execute(
                select(model.__table__).order_by(model.__table__.c.id)).mappings()]
            for model in (Criterion, Score, EvidenceLink)
        }


@pytest.fixture
def scored_db(any_db: Any, tmp_path: Path) -> Any:
    """The 2024 template with scores of all three rounds, notes and two evidence links."""
    db = any_db
    with db.session() as s:
        load_template(s, 2024)
        set_score(s, 2024, "1.1.1", score=1, note="Ban hành ngày 05/01")
        set_score(s, 2024, "1.1.1", score=0.75, round_name="1", note="Thiếu phụ lục")
        set_score(s, 2024, "1.1.1", explanation="Đã bổ sung phụ lục")
        set_score(s, 2024, "1.1.1", score=1, round_name="2")
        set_score(s, 2024, "1.1.2", score=1.5)
        set_score(s, 2024, "2.3", score=1)
        for name, code in (("qd.pdf", "1.1.1"), ("bc.pdf", "1.1.2")):
            path = tmp_path / name
            path.write_bytes(name.encode())
            EvidenceStore(s).add_file(path, target=criterion_target(s, 2024, code))
    with db.session() as s:  # a time in the past: a restore stamping "now" shows up
        for score in s.scalars(select(Score)):
            score.updated_at = datetime(2024, 3, 1, 8, 30)
    return db


def test_a_removed_subtree_comes_back_identical(scored_db: Any) -> None:
    before = stored(scored_db)
    with scored_db.session() as s:
        view = scoring_view(s, 2024)
        totals, max_total = view.totals, view.max_total
    with scored_db.session() as s:
        snapshot = delete_criterion_with_snapshot(s, 2024, "1.1")
    assert snapshot.count == 3 and snapshot.title
    after_delete = stored(scored_db)
    assert len(after_delete["criteria"]) == len(before["criteria"]) - 3
    assert after_delete["evidence_links"] == []
    assert len(after_delete["scores"]) == 1  # only 2.3's is left

    with scored_db.session() as s:
        restored = restore_criterion(s, snapshot)
        assert restored.code == "1.1"
    assert stored(scored_db) == before  # ids, codes, positions, max points, versions, notes
    with scored_db.session() as s:
        view = scoring_view(s, 2024)
        assert view.totals == totals and view.max_total == max_total
        row = next(r for r in view.walk() if r.code == "1.1.1")
        assert (row.self_note, row.council_note, row.explanation) == (
            "Ban hành ngày 05/01", "Thiếu phụ lục", "Đã bổ sung phụ lục")
        assert row.evidence_count == 1


def test_delete_and_restore_twice_round_trips(scored_db: Any) -> None:
    before = stored(scored_db)
    for _ in range(2):
        with scored_db.session() as s:
            snapshot = delete_criterion_with_snapshot(s, 2024, "1")
        with scored_db.session() as s:
            restore_criterion(s, snapshot)
    assert stored(scored_db) == before


def test_restore_is_refused_when_the_code_was_taken_again(scored_db: Any) -> None:
    with scored_db.session() as s:
        snapshot = delete_criterion_with_snapshot(s, 2024, "1.6")
        add_criterion(s, 2024, "1", CriterionFields(title="Khác", max_points=1))  # gets 1.6
    with pytest.raises(ValidationError, match="mã 1.6 đã có"), scored_db.session() as s:
        restore_criterion(s, snapshot)


def test_restore_under_a_parent_scored_since_is_refused(scored_db: Any) -> None:
    with scored_db.session() as s:
        snapshot = delete_criterion_with_snapshot(s, 2024, "1.1.2")
        snapshot_child = delete_criterion_with_snapshot(s, 2024, "1.1.1")
        set_score(s, 2024, "1.1", score=1)  # 1.1 is a leaf now
    with pytest.raises(ValidationError, match="đã có điểm"), scored_db.session() as s:
        restore_criterion(s, snapshot_child)
    with scored_db.session() as s:
        set_score(s, 2024, "1.1", score=None)
        restore_criterion(s, snapshot_child)
        restore_criterion(s, snapshot)
    with scored_db.session() as s:
        assert scoring_view(s, 2024).totals["self"] == 3.5


def test_a_link_to_a_file_deleted_since_is_left_out(scored_db: Any) -> None:
    with scored_db.session() as s:
        snapshot = delete_criterion_with_snapshot(s, 2024, "1.1")
        store = EvidenceStore(s)
        gone = next(e for e in store.list() if e.name == "bc.pdf")
        store.delete(gone.id)
    with scored_db.session() as s:
        restore_criterion(s, snapshot)
    links = stored(scored_db)["evidence_links"]
    assert len(links) == 1


def test_adding_under_a_leaf_with_notes_is_refused_not_silently_emptied(scored_db: Any) -> None:
    with scored_db.session() as s:
        set_score(s, 2024, "1.2", note="Đã ban hành kế hoạch kiểm tra")
    with pytest.raises(ValidationError, match="thuyết minh"), scored_db.session() as s:
        add_criterion(s, 2024, "1.2", CriterionFields(title="Báo cáo quý", max_points=0.5))
    with scored_db.session() as s:
        row = next(r for r in scoring_view(s, 2024).walk() if r.code == "1.2")
        assert row.self_note == "Đã ban hành kế hoạch kiểm tra" and row.is_leaf


def test_criterion_fields_are_the_stored_values(scored_db: Any) -> None:
    with scored_db.session() as s:
        fields = criterion_fields(s, 2024, "1.1.2")
        row = next(r for r in scoring_view(s, 2024).walk() if r.code == "1.1.2")
    assert (fields.title, fields.max_points, fields.kind, fields.rule) == (
        row.title, row.max_points, row.kind, row.rule)


def test_undoing_an_add_gives_a_leaf_parent_its_own_max_back(scored_db: Any) -> None:
    before = stored(scored_db)
    with scored_db.session() as s:
        added = add_criterion(s, 2024, "1.6", CriterionFields(title="Sáng kiến", max_points=0.25))
        assert added.code == "1.6.1"
    with scored_db.session() as s:
        assert next(r for r in scoring_view(s, 2024).walk() if r.code == "1.6").max_points == 0.25
        snapshot = remove_added_criterion(s, 2024, "1.6.1", parent_max=0.5)
    assert stored(scored_db) == before
    with scored_db.session() as s:  # redo
        restore_criterion(s, snapshot)
        assert scoring_view(s, 2024).max_total == 99.75
