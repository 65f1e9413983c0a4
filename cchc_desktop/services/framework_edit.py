"""Editing a year's criteria in place: change, add or remove a criterion.

The sums stay right by construction: after every change the max points of each
(normal) parent are recomputed bottom-up from its children, then the whole
framework is validated again; a bonus/penalty group's max is its cap and is edited
directly. Scores and evidence links of the criteria that stay are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cchc_desktop.domain.scoring import (
    CriterionSpec,
    Node,
    build_tree,
    code_key,
    parent_code,
    parse_rule,
    score_problem,
    validate_framework,
)
from cchc_desktop.domain.text import nfc
from cchc_desktop.errors import NotFoundError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.scoring import get_framework
from cchc_desktop.store.models import Criterion, ScoringFramework


@dataclass
class CriterionFields:
    """What a user edits on a criterion; None leaves a field unchanged."""

    title: str | None = None
    max_points: float | None = None
    kind: str | None = None
    guidance: str | None = None
    evidence_hint: str | None = None
    rule: str | None = None


def _specs(framework: ScoringFramework) -> list[CriterionSpec]:
    return [CriterionSpec(code=c.code, title=c.title, max_points=c.max_points, kind=c.kind,
                          rule=c.rule) for c in framework.criteria]


def _by_code(framework: ScoringFramework) -> dict[str, Criterion]:
    return {c.code: c for c in framework.criteria}


def _recompute(framework: ScoringFramework) -> None:
    """Set each normal parent's max to the sum of its normal children, bottom-up."""
    rows = _by_code(framework)

    def visit(node: Node) -> float:
        if not node.children:
            return rows[node.code].max_points
        sums = [(child, visit(child)) for child in node.children]
        if node.kind != "normal":
            return rows[node.code].max_points
        total = round(sum(v for child, v in sums if child.kind == "normal"), 4)
        rows[node.code].max_points = total
        return total

    for root in build_tree(_specs(framework)):
        visit(root)
    for position, row in enumerate(sorted(framework.criteria, key=lambda c: code_key(c.code))):
        row.position = position


def _check(session: Session, framework: ScoringFramework) -> None:
    problems = validate_framework(_specs(framework))
    for row in framework.criteria:
        score = row.score
        if score is None:
            continue
        for value in (score.self_score, score.appraised_1, score.appraised_2):
            if value is not None:
                problem = score_problem(value, row.max_points, row.code)
                if problem:
                    problems.append(f"Tiêu chí {row.code} đã có điểm {value:g}: {problem}")
    if problems:
        raise ValidationError("Không lưu được thay đổi bộ tiêu chí.", problems)
    session.flush()


def _apply(row: Criterion, fields: CriterionFields, is_leaf: bool, inherited: str) -> None:
    if fields.title is not None:
        title = nfc(fields.title).strip()
        if not title:
            raise ValidationError("Tên tiêu chí không được để trống.")
        row.title = title
    if fields.kind is not None:
        if fields.kind not in ("normal", "bonus", "penalty"):
            raise ValidationError(f"Loại tiêu chí không hợp lệ: {fields.kind}")
        row.kind = fields.kind
    if fields.max_points is not None:
        if fields.max_points < 0:
            raise ValidationError("Điểm tối đa không được âm.")
        effective = row.kind if row.kind != "normal" else inherited
        if not is_leaf and effective == "normal" and abs(fields.max_points - row.max_points) > 1e-9:
            raise ValidationError(
                f"Điểm tối đa của mã {row.code} là tổng điểm các tiêu chí con: "
                "hãy sửa điểm của các tiêu chí con."
            )
        row.max_points = float(fields.max_points)
    for name in ("guidance", "evidence_hint"):
        value = getattr(fields, name)
        if value is not None:
            setattr(row, name, nfc(value))
    if fields.rule is not None:
        rule = nfc(fields.rule).strip()
        if rule:
            try:
                parse_rule(rule)
            except ValueError as exc:
                raise ValidationError(f"Quy tắc không hợp lệ: {exc}") from exc
        row.rule = rule


def _node(framework: ScoringFramework, code: str) -> tuple[Criterion, Node]:
    rows = _by_code(framework)
    if code not in rows:
        raise NotFoundError(f"Không có tiêu chí mã {code} trong bộ tiêu chí năm {framework.year}.")
    for root in build_tree(_specs(framework)):
        for node in root.walk():
            if node.code == code:
                return rows[code], node
    raise NotFoundError(code)  # pragma: no cover - rows and tree come from the same list


def _inherited(framework: ScoringFramework, code: str) -> str:
    parent = parent_code(code)
    if parent is None:
        return "normal"
    return _node(framework, parent)[1].kind


def edit_criterion(session: Session, year: int, code: str, fields: CriterionFields) -> Criterion:
    """Change a criterion's text, rule or max points (a leaf's, or a bonus/penalty cap)."""
    require_session_admin(session, "sửa bộ tiêu chí")
    framework = get_framework(session, year)
    row, node = _node(framework, code)
    _apply(row, fields, node.is_leaf, _inherited(framework, code))
    _recompute(framework)
    _check(session, framework)
    return row


def add_criterion(
    session: Session, year: int, parent: str | None, fields: CriterionFields
) -> Criterion:
    """Add a criterion under ``parent`` (None: a new area or bonus/penalty group) with the next code."""
    require_session_admin(session, "sửa bộ tiêu chí")
    framework = get_framework(session, year)
    rows = _by_code(framework)
    owner = None
    if parent is not None:
        owner = _node(framework, parent)[0]
        if owner.score is not None and any(
            v is not None for v in (owner.score.self_score, owner.score.appraised_1,
                                    owner.score.appraised_2)
        ):
            raise ValidationError(
                f"Tiêu chí {parent} đã có điểm: xóa điểm của tiêu chí này trước khi thêm tiêu chí con."
            )
        if owner.score is not None:
            session.delete(owner.score)
    siblings = [c for c in rows if parent_code(c) == parent]
    last = max((code_key(c)[-1] for c in siblings), default=0)
    code = f"{parent}.{last + 1}" if parent else str(last + 1)
    row = Criterion(framework_id=framework.id, parent_id=owner.id if owner else None, code=code,
                    title="", max_points=0.0, kind="normal")
    _apply(row, CriterionFields(title=fields.title or "", max_points=fields.max_points or 0.0,
                                kind=fields.kind, guidance=fields.guidance,
                                evidence_hint=fields.evidence_hint, rule=fields.rule),
           True, "normal")
    framework.criteria.append(row)
    _recompute(framework)
    _check(session, framework)
    return row


def delete_criterion(session: Session, year: int, code: str) -> int:
    """Remove a criterion and its sub-criteria (their scores and evidence links; files stay).

    Returns how many criteria were removed. The caller has asked the user first.
    """
    require_session_admin(session, "sửa bộ tiêu chí")
    framework = get_framework(session, year)
    _row, node = _node(framework, code)
    doomed = sorted(node.walk(), key=lambda n: n.depth, reverse=True)
    rows = _by_code(framework)
    for item in doomed:  # deepest first: the database never cascades behind the ORM's back
        framework.criteria.remove(rows[item.code])
        session.flush()
    if not framework.criteria:
        raise ValidationError("Không thể xóa tiêu chí cuối cùng của bộ tiêu chí.")
    _recompute(framework)
    _check(session, framework)
    return len(doomed)
