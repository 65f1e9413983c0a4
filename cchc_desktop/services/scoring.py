"""Self-scoring against the year's PAR INDEX criteria: frameworks, scores, suggestions.

The rules (tree, sums, limits, roll-up, data rules) are in
:mod:`cchc_desktop.domain.scoring`; this module reads framework files, stores them,
records scores and assembles the tree with totals, evidence counts and suggested
scores for the GUI, the CLI and the exporters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.scoring import (
    METRICS,
    ROUNDS,
    CriterionSpec,
    Node,
    RoundScores,
    apply_rule,
    build_tree,
    normalize_code,
    parse_rule,
    roll_up,
    score_problem,
    validate_framework,
)
from cchc_desktop.domain.text import format_date_vn, format_number_vi, nfc
from cchc_desktop.errors import ConflictError, NotFoundError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.framework_files import (
    export_framework_json,
    export_framework_xlsx,
    read_framework_file,
    read_framework_json,
    read_framework_xlsx,
)
from cchc_desktop.services.framework_store import get_framework, specs_of
from cchc_desktop.services.index_results import (
    INDEX_NAMES,
    IndexRow,
    delete_index_result,
    list_index_results,
    set_index_result,
)
from cchc_desktop.store.models import (
    Criterion,
    Plan,
    ProcedureStats,
    Score,
    ScoringFramework,
)

TEMPLATE_FILE = "framework_template.json"


# -- storing frameworks ----------------------------------------------------------
def framework_years(session: Session) -> list[int]:
    """Years that have a framework, newest first."""
    return list(session.scalars(select(ScoringFramework.year).order_by(ScoringFramework.year.desc())))


def import_framework(
    session: Session, year: int, specs: list[CriterionSpec], *, name: str, source: str = "",
    is_template: bool = False, replace: bool = False,
) -> ScoringFramework:
    """Store a validated framework for ``year``: all rows or none.

    A year that already has a framework is refused unless ``replace`` (which drops
    the old criteria, their scores and their evidence links; the files stay).
    """
    require_session_admin(session, "nhập bộ tiêu chí chấm điểm")
    problems = validate_framework(specs)
    if problems:
        raise ValidationError(f"Bộ tiêu chí có {len(problems)} lỗi; chưa nhập gì.", problems)
    existing = session.scalar(select(ScoringFramework).where(ScoringFramework.year == year))
    if existing is not None:
        if not replace:
            raise ConflictError(
                f"Năm {year} đã có bộ tiêu chí \"{existing.name}\". "
                "Dùng --replace (hoặc xóa bộ cũ) để thay."
            )
        # The database cascades (criteria -> sub-criteria, scores, evidence links); the
        # ORM's own cascade would try to delete rows the database already removed.
        for criterion in list(existing.criteria):
            session.expunge(criterion)
        session.expunge(existing)
        session.execute(
            delete(ScoringFramework).where(ScoringFramework.id == existing.id),
            execution_options={"synchronize_session": False},
        )
    framework = ScoringFramework(year=year, name=nfc(name), source=source, is_template=is_template)
    session.add(framework)
    session.flush()
    ids: dict[str, int] = {}
    for position, node in enumerate(n for root in build_tree(specs) for n in root.walk()):
        spec = node.spec
        row = Criterion(
            framework_id=framework.id,
            parent_id=ids.get(spec.code.rsplit(".", 1)[0]) if "." in spec.code else None,
            code=spec.code, title=spec.title, max_points=float(spec.max_points or 0),
            kind=spec.kind, guidance=spec.guidance, evidence_hint=spec.evidence_hint,
            rule=spec.rule, position=position,
        )
        session.add(row)
        session.flush()
        ids[spec.code] = row.id
    return framework


def load_template(session: Session, year: int, *, replace: bool = False) -> ScoringFramework:
    """Store the shipped template framework (db/seed/framework_template.json) for ``year``."""
    from cchc_desktop.resources import resource_path

    name, specs = read_framework_file(resource_path("db", "seed", TEMPLATE_FILE))
    return import_framework(session, year, specs, name=name, source=TEMPLATE_FILE,
                            is_template=True, replace=replace)


def copy_framework(session: Session, from_year: int, to_year: int) -> ScoringFramework:
    """Copy a year's criteria (not its scores or evidence) to another year."""
    source = get_framework(session, from_year)
    name = source.name.replace(str(from_year), str(to_year))
    return import_framework(session, to_year, specs_of(source), name=name,
                            source=f"copy of {from_year}", is_template=source.is_template)


# -- scores ------------------------------------------------------------------------
SCORE_FIELDS = {"self": "self_score", "1": "appraised_1", "2": "appraised_2"}
NOTE_FIELDS = {"self": "self_note", "1": "council_note", "2": "council_note"}
_UNSET = object()


def _criterion(session: Session, year: int, code: str) -> Criterion:
    framework = get_framework(session, year)
    code = normalize_code(code)
    criterion = session.scalar(
        select(Criterion).where(Criterion.framework_id == framework.id, Criterion.code == code)
    )
    if criterion is None:
        raise NotFoundError(f"Không có tiêu chí mã {code} trong bộ tiêu chí năm {year}.")
    return criterion


def _is_leaf(session: Session, criterion: Criterion) -> bool:
    return session.scalar(select(Criterion.id).where(Criterion.parent_id == criterion.id).limit(1)) is None


def set_score(
    session: Session, year: int, code: str, *, score: float | None | object = _UNSET,
    round_name: str = "self", note: str | None = None, explanation: str | None = None,
) -> Score:
    """Record a leaf's score for a round ("self", "1", "2") and optionally its note.

    ``score`` None clears it. The note goes to the self-assessment note (self) or the
    council's note (rounds 1 and 2); ``explanation`` is the department's giải trình.
    A score out of 0..max raises ValidationError and changes nothing.
    """
    require_session_admin(session, "chấm điểm tiêu chí")
    if round_name not in SCORE_FIELDS:
        raise ValidationError(f"Vòng chấm không hợp lệ: {round_name} (self, 1 hoặc 2).")
    criterion = _criterion(session, year, code)
    if not _is_leaf(session, criterion):
        raise ValidationError(
            f"Mã {criterion.code} có tiêu chí con: điểm được tính tự động từ các tiêu chí con."
        )
    if score is not _UNSET and score is not None:
        value = float(score)  # type: ignore[arg-type]
        problem = score_problem(value, criterion.max_points, criterion.code)
        if problem:
            raise ValidationError(f"Điểm không hợp lệ: {problem}")
    row = criterion.score or Score(criterion=criterion)
    if score is not _UNSET:
        setattr(row, SCORE_FIELDS[round_name], None if score is None else round_score(float(score)))  # type: ignore[arg-type]
    if note is not None:
        setattr(row, NOTE_FIELDS[round_name], nfc(note))
    if explanation is not None:
        row.explanation = nfc(explanation)
    session.add(row)
    session.flush()
    return row


def round_score(value: float) -> float:
    """Scores are kept to 3 decimals (0.25, 0.125) so sums do not drift."""
    return round(value, 3)


# -- suggestions from data rules ------------------------------------------------------
@dataclass(frozen=True)
class MetricValue:
    """A share measured from the tasks and the numbers behind it."""

    metric: str
    on_time: int
    counted: int
    summary: dict[str, int]
    as_of: date
    unit: str = "nhiệm vụ đến hạn"

    @property
    def share(self) -> float | None:
        return self.on_time / self.counted if self.counted else None

    def describe(self) -> str:
        if not self.counted:
            return f"{METRICS[self.metric]}: chưa có {self.unit} tính đến {format_date_vn(self.as_of)}."
        percent = format_number_vi((self.share or 0) * 100, 1)
        done = "giải quyết" if self.metric == "tthc_on_time" else "hoàn thành"
        return (
            f"{METRICS[self.metric]}: {self.on_time}/{self.counted} {self.unit} {done} "
            f"đúng hạn ({percent}%) tính đến {format_date_vn(self.as_of)}"
        )


def measure(session: Session, metric: str, year: int, as_of: date) -> MetricValue:
    """Compute a metric of :data:`METRICS` for ``year`` as of a date.

    The tasks counted are those that should be finished by ``as_of``: done (on time,
    late, or without a deadline) or overdue. On time = done on time + done without a
    deadline. Open tasks not yet due are not counted.
    """
    from cchc_desktop.domain.status import empty_summary
    from cchc_desktop.services.task_queries import TaskFilter, summarize_tasks

    if metric == "plan_on_time":
        plan_ids = session.scalars(
            select(Plan.id).where(Plan.year == year, Plan.kind == "reform")
        ).all()
        summary = empty_summary()
        for plan_id in plan_ids:
            part = summarize_tasks(session, as_of, TaskFilter(plan_id=plan_id))
            for key, value in part.items():
                summary[key] += value
    elif metric == "ubnd_on_time":
        summary = summarize_tasks(session, as_of, TaskFilter(year=year, assigned_by="UBND tỉnh"))
    elif metric == "all_on_time":
        summary = summarize_tasks(session, as_of, TaskFilter(year=year))
    elif metric == "tthc_on_time":
        return _measure_procedures(session, year, as_of)
    else:
        raise ValidationError(f"Chỉ số không xác định: {metric}")
    on_time = summary["done_on_time"] + summary["done_no_deadline"]
    counted = on_time + summary["done_late"] + summary["open_overdue"]
    return MetricValue(metric, on_time, counted, summary, as_of)


def _measure_procedures(session: Session, year: int, as_of: date) -> MetricValue:
    """Dossiers resolved on time among those resolved, from the TTHC figures of the year.

    Figure rows count when their span ends inside the year's reporting window
    (15/12 of the previous year to 31/12) and on or before ``as_of``.
    """
    start, end = date(year - 1, 12, 15), min(date(year, 12, 31), as_of)
    rows = session.execute(
        select(ProcedureStats.resolved_on_time, ProcedureStats.resolved_late).where(
            ProcedureStats.period_end >= start, ProcedureStats.period_end <= end)
    ).all()
    on_time = sum(r[0] or 0 for r in rows)
    late = sum(r[1] or 0 for r in rows)
    summary = {"resolved_on_time": on_time, "resolved_late": late, "periods": len(rows)}
    return MetricValue("tthc_on_time", on_time, on_time + late, summary, as_of,
                       unit="hồ sơ")


@dataclass(frozen=True)
class Suggestion:
    """A suggested score from a data rule, with the numbers behind it."""

    points: float | None
    value: MetricValue
    rule_text: str

    def explain(self) -> str:
        points = "không đủ số liệu" if self.points is None else f"{format_number_vi(self.points)} điểm"
        return f"{self.value.describe()} → {points}.\nQuy tắc: {self.rule_text}"


def default_as_of(year: int, today: date | None = None) -> date:
    """The date a year's data is measured at: today, or 31/12 once the year is over."""
    today = today or date.today()
    return min(today, date(year, 12, 31))


# -- the tree for display -------------------------------------------------------------
@dataclass
class CriterionRow:
    """One node of the scoring tree with what was entered and its totals."""

    id: int
    code: str
    title: str
    max_points: float
    kind: str
    depth: int
    is_leaf: bool
    guidance: str
    evidence_hint: str
    rule: str
    self_score: float | None = None
    self_note: str = ""
    appraised_1: float | None = None
    explanation: str = ""
    appraised_2: float | None = None
    council_note: str = ""
    totals: dict[str, float | None] = field(default_factory=dict)
    evidence_count: int = 0
    suggestion: Suggestion | None = None
    children: list[CriterionRow] = field(default_factory=list)

    @property
    def missing_evidence(self) -> bool:
        """A leaf that claims points but has no evidence file."""
        return self.is_leaf and (self.self_score or 0) > 0 and self.evidence_count == 0

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code, "title": self.title, "max_points": self.max_points,
            "kind": self.kind, "self_score": self.self_score, "appraised_1": self.appraised_1,
            "appraised_2": self.appraised_2, "self_note": self.self_note,
            "explanation": self.explanation, "council_note": self.council_note,
            "totals": self.totals, "evidence_count": self.evidence_count,
            "missing_evidence": self.missing_evidence,
        }
        if self.suggestion is not None:
            data["suggested"] = self.suggestion.points
            data["suggested_basis"] = self.suggestion.explain()
        if self.children:
            data["children"] = [c.as_json() for c in self.children]
        return data


@dataclass
class ScoringView:
    """A year's framework as a tree with totals: what the tab and ``scoring show`` display."""

    year: int
    name: str
    is_template: bool
    roots: list[CriterionRow]
    totals: dict[str, float | None]
    max_total: float
    as_of: date

    def walk(self) -> list[CriterionRow]:
        out: list[CriterionRow] = []

        def visit(row: CriterionRow) -> None:
            out.append(row)
            for child in row.children:
                visit(child)

        for root in self.roots:
            visit(root)
        return out

    def missing_evidence(self) -> list[CriterionRow]:
        """Leaves with a self score above 0 and no evidence: flagged before export."""
        return [row for row in self.walk() if row.missing_evidence]

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year, "name": self.name, "max_total": self.max_total,
            "totals": self.totals, "as_of": self.as_of.isoformat(),
            "missing_evidence": [r.code for r in self.missing_evidence()],
            "criteria": [r.as_json() for r in self.roots],
        }


def scoring_view(session: Session, year: int, *, today: date | None = None) -> ScoringView:
    """The year's tree with entered scores, totals per node/area/overall, evidence and suggestions."""
    from cchc_desktop.services.evidence import EvidenceStore

    framework = get_framework(session, year)
    criteria = list(framework.criteria)
    specs = specs_of(framework)
    tree = build_tree(specs)
    scores = {c.code: c.score for c in criteria if c.score is not None}
    entered = {
        code: RoundScores(s.self_score, s.appraised_1, s.appraised_2) for code, s in scores.items()
    }
    totals = roll_up(tree, entered)
    counts = EvidenceStore(session).counts_by_criterion(year) if criteria else {}
    by_code = {c.code: c for c in criteria}
    as_of = default_as_of(year, today)
    measured: dict[str, MetricValue] = {}

    def make(node: Node) -> CriterionRow:
        crit = by_code[node.code]
        score = scores.get(node.code)
        row = CriterionRow(
            id=crit.id, code=node.code, title=crit.title, max_points=crit.max_points,
            kind=node.kind, depth=node.depth, is_leaf=node.is_leaf, guidance=crit.guidance,
            evidence_hint=crit.evidence_hint, rule=crit.rule,
            totals=totals[node.code], evidence_count=counts.get(node.code, 0),
            children=[make(child) for child in node.children],
        )
        if score is not None:
            row.self_score, row.self_note = score.self_score, score.self_note
            row.appraised_1, row.explanation = score.appraised_1, score.explanation
            row.appraised_2, row.council_note = score.appraised_2, score.council_note
        if crit.rule:
            rule = parse_rule(crit.rule)
            if rule.metric not in measured:
                measured[rule.metric] = measure(session, rule.metric, year, as_of)
            value = measured[rule.metric]
            row.suggestion = Suggestion(
                apply_rule(rule, value.share, crit.max_points), value, rule.describe()
            )
        return row

    roots = [make(root) for root in tree]
    max_total = sum(r.max_points for r in roots if r.kind == "normal")
    return ScoringView(year, framework.name, framework.is_template, roots, totals[""],
                       max_total, as_of)


def clear_scores(session: Session, year: int) -> int:
    """Remove every score of a year's framework; returns how many rows were removed."""
    require_session_admin(session, "xóa điểm")
    framework = get_framework(session, year)
    ids = select(Criterion.id).where(Criterion.framework_id == framework.id)
    result = session.execute(delete(Score).where(Score.criterion_id.in_(ids)))
    return int(cast(CursorResult[Any], result).rowcount or 0)  # a DML statement's result


__all__ = [
    "INDEX_NAMES", "IndexRow", "delete_index_result", "list_index_results", "set_index_result",
    "export_framework_xlsx", "read_framework_xlsx", "read_framework_json", "ROUNDS",
    "CriterionRow", "MetricValue", "ScoringView", "Suggestion", "clear_scores",
    "copy_framework", "default_as_of", "export_framework_json", "framework_years",
    "get_framework", "import_framework", "load_template", "measure", "read_framework_file",
    "scoring_view", "set_score",
]
