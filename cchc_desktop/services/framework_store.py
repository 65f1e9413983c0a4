"""A year's stored framework of criteria, read back: what scoring and the framework files share."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cchc_desktop.domain.scoring import CriterionSpec
from cchc_desktop.errors import NotFoundError
from cchc_desktop.store.models import ScoringFramework


def get_framework(session: Session, year: int) -> ScoringFramework:
    """The framework of ``year``; NotFoundError when there is none."""
    framework = session.scalar(select(ScoringFramework).where(ScoringFramework.year == year))
    if framework is None:
        raise NotFoundError(f"Chưa có bộ tiêu chí năm {year}.")
    return framework


def specs_of(framework: ScoringFramework) -> list[CriterionSpec]:
    """The stored criteria of ``framework`` as specs, in their stored order (import format)."""
    return [
        CriterionSpec(code=c.code, title=c.title, max_points=c.max_points, kind=c.kind,
                      guidance=c.guidance, evidence_hint=c.evidence_hint, rule=c.rule)
        for c in framework.criteria
    ]
