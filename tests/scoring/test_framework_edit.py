"""Editing a year's criteria: sums follow, scores and links of kept criteria stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cchc_desktop.errors import ValidationError
from cchc_desktop.services.evidence import EvidenceStore, criterion_target
from cchc_desktop.services.framework_edit import (
    CriterionFields,
    add_criterion,
    delete_criterion,
    edit_criterion,
)
from cchc_desktop.services.scoring import load_template, scoring_view, set_score
from cchc_desktop.store.models import Criterion, EvidenceLink


@pytest.fixture
def year_db(db):
    with db.session() as s:
        load_template(s, 2024)
        set_score(s, 2024, "1.1.2", score=1.5)
    return db


def rows(db) -> dict[str, object]:
    with db.session() as s:
        return {r.code: r for r in scoring_view(s, 2024).walk()}


def test_changing_a_leaf_max_updates_its_parents(year_db) -> None:
    with year_db.session() as s:
        edit_criterion(s, 2024, "1.1.1", CriterionFields(max_points=1.5, title="Ban hành KH CCHC"))
    r = rows(year_db)
    assert r["1.1.1"].max_points == 1.5 and r["1.1.1"].title == "Ban hành KH CCHC"
    assert r["1.1"].max_points == 3.5 and r["1"].max_points == 10.5
    assert r["1.1.2"].self_score == 1.5  # kept


def test_a_parent_max_cannot_be_typed_and_a_score_above_the_new_max_is_refused(year_db) -> None:
    with pytest.raises(ValidationError, match="tổng điểm các tiêu chí con"), year_db.session() as s:
        edit_criterion(s, 2024, "1.1", CriterionFields(max_points=5))
    with pytest.raises(ValidationError) as info, year_db.session() as s:
        edit_criterion(s, 2024, "1.1.2", CriterionFields(max_points=1))
    assert "1.1.2" in " ".join(info.value.problems)
    assert rows(year_db)["1.1.2"].max_points == 2  # nothing changed


def test_bad_rule_is_refused(year_db) -> None:
    with pytest.raises(ValidationError, match="Quy tắc"), year_db.session() as s:
        edit_criterion(s, 2024, "1.2", CriterionFields(rule="plan_on_time; 80=1"))
    with year_db.session() as s:
        edit_criterion(s, 2024, "1.2", CriterionFields(rule="all_on_time; 90%=1.5; 0%=0"))
    assert rows(year_db)["1.2"].suggestion is not None


def test_add_children_and_a_bonus_group(year_db) -> None:
    with year_db.session() as s:
        new = add_criterion(s, 2024, "1.2", CriterionFields(title="Báo cáo quý", max_points=0.5))
        assert new.code == "1.2.1"
        add_criterion(s, 2024, "1.2", CriterionFields(title="Báo cáo năm", max_points=1))
        add_criterion(s, 2024, None, CriterionFields(title="Điểm thưởng", max_points=2, kind="bonus"))
        add_criterion(s, 2024, "9", CriterionFields(title="Sáng kiến cấp tỉnh", max_points=1))
    r = rows(year_db)
    assert r["1.2"].max_points == 1.5 and r["1"].max_points == 10
    assert r["9"].kind == "bonus" and r["9.1"].kind == "bonus" and r["9"].max_points == 2
    with year_db.session() as s:
        set_score(s, 2024, "9.1", score=1)
        assert scoring_view(s, 2024).totals["self"] == 2.5


def test_adding_under_a_scored_leaf_is_refused(year_db) -> None:
    with pytest.raises(ValidationError, match="đã có điểm"), year_db.session() as s:
        add_criterion(s, 2024, "1.1.2", CriterionFields(title="x", max_points=1))


def test_delete_a_subtree_keeps_files_and_sums(year_db, tmp_path: Path) -> None:
    f = tmp_path / "a.pdf"
    f.write_bytes(b"a")
    with year_db.session() as s:
        EvidenceStore(s).add_file(f, target=criterion_target(s, 2024, "1.1.2"))
        before = s.scalar(select(func.count()).select_from(Criterion))
    with year_db.session() as s:
        assert delete_criterion(s, 2024, "1.1") == 3
    with year_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Criterion)) == before - 3
        assert s.scalar(select(func.count()).select_from(EvidenceLink)) == 0
        assert len(EvidenceStore(s).list()) == 1
        view = scoring_view(s, 2024)
    assert view.roots[0].max_points == 7 and view.max_total == 97
    assert view.totals["self"] is None
