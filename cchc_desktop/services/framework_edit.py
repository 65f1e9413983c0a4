"""Editing a year's criteria in place: change, add or remove a criterion.

The sums stay right by construction: after every change the max points of each
(normal) parent are recomputed bottom-up from its children, then the whole
framework is validated again; a bonus/penalty group's max is its cap and is edited
directly. Scores and evidence links of the criteria that stay are kept.

A removal can be undone: :func:`delete_criterion_with_snapshot` returns a
:class:`CriterionSnapshot` (plain data: the stored rows of the removed criteria, their
scores and evidence links) that :func:`restore_criterion` puts back with the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select, update
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
from cchc_desktop.services.framework_store import get_framework
from cchc_desktop.store.models import Criterion, Evidence, EvidenceLink, Score, ScoringFramework


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
    """Set each normal parent's max to the sum of its normal children; renumber positions."""
    _recompute_sums(framework)
    _renumber(framework)


def _recompute_sums(framework: ScoringFramework) -> None:
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


def _renumber(framework: ScoringFramework) -> None:
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


def _give_up_score(session: Session, owner: Criterion) -> None:
    """A leaf about to get sub-criteria drops its score row, which must hold nothing.

    Scores and the notes written for them are refused rather than thrown away silently.
    """
    score = owner.score
    if score is None:
        return
    if any(v is not None for v in (score.self_score, score.appraised_1, score.appraised_2)):
        raise ValidationError(
            f"Tiêu chí {owner.code} đã có điểm: xóa điểm của tiêu chí này trước khi thêm "
            "(hoặc khôi phục) tiêu chí con."
        )
    if any(text.strip() for text in (score.self_note, score.explanation, score.council_note)):
        raise ValidationError(
            f"Tiêu chí {owner.code} đã có thuyết minh, giải trình hoặc ý kiến Hội đồng: "
            "xóa các nội dung này trước khi thêm (hoặc khôi phục) tiêu chí con."
        )
    session.delete(score)
    session.flush()
    session.expire(owner, ["score"])


def criterion_fields(session: Session, year: int, code: str) -> CriterionFields:
    """The editable fields of a criterion as stored (what an undo of an edit saves back)."""
    framework = get_framework(session, year)
    row = _node(framework, code)[0]
    return CriterionFields(title=row.title, max_points=row.max_points, kind=row.kind,
                           guidance=row.guidance, evidence_hint=row.evidence_hint, rule=row.rule)


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
        _give_up_score(session, owner)
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


@dataclass(frozen=True)
class CriterionSnapshot:
    """A removed criterion with its sub-criteria, as stored: what an undo puts back.

    ``criteria``, ``scores`` and ``links`` are the stored rows (column name -> value;
    criteria parents first). ``positions`` is every criterion's position in the year's
    framework before the removal, so an undo restores the order exactly.
    """

    year: int
    framework_id: int
    code: str
    title: str
    criteria: tuple[dict[str, Any], ...]
    scores: tuple[dict[str, Any], ...]
    links: tuple[dict[str, Any], ...]
    positions: dict[str, int]

    @property
    def count(self) -> int:
        """How many criteria were removed."""
        return len(self.criteria)


def _stored_rows(session: Session, model: Any, column: str, ids: list[int]) -> list[dict[str, Any]]:
    """The rows of ``model`` whose ``column`` is in ``ids``, column by column as stored."""
    table = model.__table__
    stmt = select(table).where(table.c[column].in_(ids)).order_by(table.c.id)
    return [dict(row) for row in session.execute(stmt).mappings()]


def delete_criterion_with_snapshot(session: Session, year: int, code: str) -> CriterionSnapshot:
    """:func:`delete_criterion`, returning what :func:`restore_criterion` needs to undo it."""
    require_session_admin(session, "sửa bộ tiêu chí")
    framework = get_framework(session, year)
    row, node = _node(framework, code)
    session.flush()
    rows = _by_code(framework)
    ids = [rows[n.code].id for n in node.walk()]
    criteria = _stored_rows(session, Criterion, "id", ids)
    criteria.sort(key=lambda c: (len(code_key(c["code"])), code_key(c["code"])))
    snapshot = CriterionSnapshot(
        year=year, framework_id=framework.id, code=row.code, title=row.title,
        criteria=tuple(criteria),
        scores=tuple(_stored_rows(session, Score, "criterion_id", ids)),
        links=tuple(_stored_rows(session, EvidenceLink, "criterion_id", ids)),
        positions={c.code: c.position for c in framework.criteria},
    )
    delete_criterion(session, year, code)
    return snapshot


def remove_added_criterion(
    session: Session, year: int, code: str, parent_max: float | None
) -> CriterionSnapshot:
    """Undo :func:`add_criterion`: remove ``code``; a parent that is a leaf again gets back
    ``parent_max``, the max points it had before it was given this sub-criterion.
    """
    snapshot = delete_criterion_with_snapshot(session, year, code)
    parent = parent_code(code)
    if parent is not None and parent_max is not None:
        framework = get_framework(session, year)
        row, node = _node(framework, parent)
        if node.is_leaf and abs(row.max_points - parent_max) > 1e-9:
            row.max_points = float(parent_max)
            _recompute(framework)
            _check(session, framework)
    return snapshot


def _refuse_restore(snapshot: CriterionSnapshot, reason: str) -> ValidationError:
    return ValidationError(f"Không khôi phục được tiêu chí {snapshot.code}: {reason}")


def _put_back(session: Session, model: Any, rows: tuple[dict[str, Any], ...]) -> list[Any]:
    """Add stored rows back as ORM objects (so the audit log sees them); flushed.

    A score or link whose id has been reused since gets a new one: nothing refers to it.
    """
    ids = [r["id"] for r in rows]
    taken = set(session.scalars(select(model.id).where(model.id.in_(ids)))) if ids else set()
    objects = [model(**{k: v for k, v in r.items() if not (k == "id" and v in taken)})
               for r in rows]
    session.add_all(objects)
    session.flush()
    return objects


def restore_criterion(session: Session, snapshot: CriterionSnapshot) -> Criterion:
    """Put a removed criterion back with its sub-criteria, scores and evidence links.

    Ids, codes, max points, positions, every round's scores and notes come back as stored;
    the parents' sums follow. A link to an evidence file deleted since is left out.
    """
    require_session_admin(session, "sửa bộ tiêu chí")
    framework = get_framework(session, snapshot.year)
    if framework.id != snapshot.framework_id:
        raise _refuse_restore(
            snapshot, f"bộ tiêu chí năm {snapshot.year} đã được thay bằng bộ khác."
        )
    rows = _by_code(framework)
    taken = [c["code"] for c in snapshot.criteria if c["code"] in rows]
    if taken:
        raise _refuse_restore(snapshot, f"mã {taken[0]} đã có trong bộ tiêu chí năm {snapshot.year}.")
    ids = [c["id"] for c in snapshot.criteria]
    if session.scalar(select(Criterion.id).where(Criterion.id.in_(ids)).limit(1)) is not None:
        raise _refuse_restore(snapshot, "số hiệu của tiêu chí đã được dùng cho tiêu chí khác.")
    parent = parent_code(snapshot.code)
    if parent is not None:
        owner = rows.get(parent)
        if owner is None or owner.id != snapshot.criteria[0]["parent_id"]:
            raise _refuse_restore(snapshot, f"tiêu chí {parent} không còn.")
        _give_up_score(session, owner)
    for depth in sorted({len(code_key(c["code"])) for c in snapshot.criteria}):  # parents first
        _put_back(session, Criterion,
                  tuple(c for c in snapshot.criteria if len(code_key(c["code"])) == depth))
    scores = cast(Table, Score.__table__)
    for score, row in zip(_put_back(session, Score, snapshot.scores), snapshot.scores, strict=True):
        # The ORM starts an inserted row at version 1 and stamps an updated one with the time
        # now: write the stored bookkeeping values back directly (the audit log skips them).
        session.execute(update(scores).where(scores.c.id == score.id)
                        .values(version=row["version"], updated_at=row["updated_at"]))
        session.expire(score)
    evidence_ids = [link["evidence_id"] for link in snapshot.links]
    stored = set(session.scalars(select(Evidence.id).where(Evidence.id.in_(evidence_ids))))
    _put_back(session, EvidenceLink,
              tuple(link for link in snapshot.links if link["evidence_id"] in stored))
    session.expire(framework, ["criteria"])
    _recompute_sums(framework)
    if {c.code for c in framework.criteria} == set(snapshot.positions):
        for criterion in framework.criteria:
            criterion.position = snapshot.positions[criterion.code]
    else:  # the framework changed in between: keep code order
        _renumber(framework)
    _check(session, framework)
    return _by_code(framework)[snapshot.code]
