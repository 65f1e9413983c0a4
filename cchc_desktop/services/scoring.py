"""Self-scoring against the year's PAR INDEX criteria: frameworks, scores, suggestions.

The rules (tree, sums, limits, roll-up, data rules) are in
:mod:`cchc_desktop.domain.scoring`; this module reads framework files, stores them,
records scores and assembles the tree with totals, evidence counts and suggested
scores for the GUI, the CLI and the exporters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.scoring import (
    KIND_LABELS,
    METRICS,
    ROUNDS,
    CriterionSpec,
    Node,
    RoundScores,
    apply_rule,
    build_tree,
    format_rank,
    normalize_code,
    parse_kind,
    parse_points,
    parse_rank,
    parse_rule,
    roll_up,
    score_problem,
    validate_framework,
)
from cchc_desktop.domain.text import fold, format_date_vn, format_number_vi, nfc
from cchc_desktop.errors import ConflictError, NotFoundError, UserError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.store.models import (
    Criterion,
    IndexResult,
    Plan,
    Score,
    ScoringFramework,
)

TEMPLATE_FILE = "framework_template.json"
# Header texts of a framework sheet (folded) -> field.
COLUMNS = {
    "ma": "code", "ma tieu chi": "code", "stt": "code",
    "tieu chi": "title", "noi dung": "title", "ten tieu chi": "title",
    "diem toi da": "max_points", "diem": "max_points",
    "huong dan cham": "guidance", "huong dan": "guidance",
    "tai lieu kiem chung": "evidence_hint",
    "quy tac": "rule", "loai": "kind",
}


# -- reading framework files ---------------------------------------------------
def _spec_from_fields(values: dict[str, object], row: int, problems: list[str]) -> CriterionSpec:
    code = normalize_code(values.get("code"))
    kind_text = values.get("kind") or ""
    kind = parse_kind(kind_text)
    raw_max = values.get("max_points")
    max_points = parse_points(raw_max)
    if max_points is None and raw_max not in (None, ""):
        problems.append(f"Dòng {row} (mã {code}): điểm tối đa '{raw_max}' không phải là số.")
    if kind is None:
        problems.append(f"Dòng {row} (mã {code}): loại '{kind_text}' phải là thường, thưởng hoặc trừ.")
        kind = "normal"
    return CriterionSpec(
        code=code,
        title=nfc(str(values.get("title") or "")),
        max_points=max_points,
        kind=kind,
        guidance=nfc(str(values.get("guidance") or "")),
        evidence_hint=nfc(str(values.get("evidence_hint") or "")),
        rule=nfc(str(values.get("rule") or "")).strip(),
        row=row,
    )


def read_framework_xlsx(path: Path) -> tuple[list[CriterionSpec], list[str]]:
    """Rows of a framework sheet (header row found among the first 10) and read problems."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise UserError(f"Không đọc được tệp Excel {path.name}: {exc}") from exc
    try:
        rows = list(book.active.iter_rows(values_only=True))
    finally:
        book.close()
    header_at, mapping = None, {}
    for index, row in enumerate(rows[:10]):
        found = {i: COLUMNS[fold(str(v)).strip()] for i, v in enumerate(row)
                 if v is not None and fold(str(v)).strip() in COLUMNS}
        if "code" in found.values() and "title" in found.values():
            header_at, mapping = index, found
            break
    if header_at is None:
        raise ValidationError(
            f"Tệp {path.name}: không tìm thấy dòng tiêu đề có các cột \"Mã\", \"Tiêu chí\", "
            "\"Điểm tối đa\"."
        )
    specs: list[CriterionSpec] = []
    problems: list[str] = []
    for index, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {name: row[i] for i, name in mapping.items() if i < len(row)}
        if all(v in (None, "") for v in values.values()):
            continue
        specs.append(_spec_from_fields(values, index, problems))
    return specs, problems


def read_framework_json(path: Path) -> tuple[str, list[CriterionSpec], list[str]]:
    """A framework in JSON: ``{"name": ..., "criteria": [{"code", "title", "max_points", ...}]}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"Không đọc được tệp JSON {path.name}: {exc}") from exc
    items = data.get("criteria") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationError(f"Tệp {path.name}: cần danh sách \"criteria\".")
    problems: list[str] = []
    specs = [
        _spec_from_fields(item if isinstance(item, dict) else {}, number, problems)
        for number, item in enumerate(items, start=1)
    ]
    name = str(data.get("name") or "") if isinstance(data, dict) else ""
    return name, specs, problems


def read_framework_file(path: Path | str) -> tuple[str, list[CriterionSpec]]:
    """Read and validate a framework file (.xlsx or .json); ValidationError lists every row."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp: {path}")
    suffix = path.suffix.lower()
    if suffix == ".json":
        name, specs, problems = read_framework_json(path)
    elif suffix in (".xlsx", ".xlsm"):
        specs, problems = read_framework_xlsx(path)
        name = ""
    else:
        raise UserError("Bộ tiêu chí phải là tệp .xlsx hoặc .json.")
    problems += validate_framework(specs) if not problems else []
    if not specs and not problems:
        problems.append("Tệp không có tiêu chí nào.")
    if problems:
        raise ValidationError(
            f"Bộ tiêu chí trong tệp {path.name} có {len(problems)} lỗi; chưa nhập gì.", problems
        )
    return name or path.stem, specs


# -- storing frameworks ----------------------------------------------------------
def get_framework(session: Session, year: int) -> ScoringFramework:
    """The framework of ``year``; NotFoundError when there is none."""
    framework = session.scalar(select(ScoringFramework).where(ScoringFramework.year == year))
    if framework is None:
        raise NotFoundError(f"Chưa có bộ tiêu chí năm {year}.")
    return framework


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


def _specs_of(framework: ScoringFramework) -> list[CriterionSpec]:
    return [
        CriterionSpec(code=c.code, title=c.title, max_points=c.max_points, kind=c.kind,
                      guidance=c.guidance, evidence_hint=c.evidence_hint, rule=c.rule)
        for c in framework.criteria
    ]


def copy_framework(session: Session, from_year: int, to_year: int) -> ScoringFramework:
    """Copy a year's criteria (not its scores or evidence) to another year."""
    source = get_framework(session, from_year)
    name = source.name.replace(str(from_year), str(to_year))
    return import_framework(session, to_year, _specs_of(source), name=name,
                            source=f"copy of {from_year}", is_template=source.is_template)


def export_framework_json(session: Session, year: int) -> dict[str, object]:
    """The framework of a year in the JSON import format."""
    framework = get_framework(session, year)
    return {
        "name": framework.name,
        "criteria": [
            {"code": s.code, "title": s.title, "max_points": s.max_points,
             "kind": KIND_LABELS[s.kind], "guidance": s.guidance,
             "evidence_hint": s.evidence_hint, "rule": s.rule}
            for s in _specs_of(framework)
        ],
    }


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

    @property
    def share(self) -> float | None:
        return self.on_time / self.counted if self.counted else None

    def describe(self) -> str:
        if not self.counted:
            return f"{METRICS[self.metric]}: chưa có nhiệm vụ đến hạn tính đến {format_date_vn(self.as_of)}."
        percent = format_number_vi((self.share or 0) * 100, 1)
        return (
            f"{METRICS[self.metric]}: {self.on_time}/{self.counted} nhiệm vụ đến hạn hoàn thành "
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
    else:
        raise ValidationError(f"Chỉ số không xác định: {metric}")
    on_time = summary["done_on_time"] + summary["done_no_deadline"]
    counted = on_time + summary["done_late"] + summary["open_overdue"]
    return MetricValue(metric, on_time, counted, summary, as_of)


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
    specs = _specs_of(framework)
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
    return int(result.rowcount or 0)


# -- index results (PAR INDEX, SIPAS, PAPI, PCI) --------------------------------------
INDEX_NAMES = ("PAR INDEX", "SIPAS", "PAPI", "PCI")


@dataclass(frozen=True)
class IndexRow:
    """A published index result; ``rank_text`` reads "02/18"."""

    id: int
    index_name: str
    year: int
    score: float | None
    rank: int | None
    out_of: int | None
    note: str

    @property
    def rank_text(self) -> str:
        return format_rank(self.rank, self.out_of)

    def as_json(self) -> dict[str, object]:
        return {"index": self.index_name, "year": self.year, "score": self.score,
                "rank": self.rank_text, "note": self.note}


def _index_name(name: str) -> str:
    wanted = fold(name).replace(" ", "")
    for known in INDEX_NAMES:
        if fold(known).replace(" ", "") == wanted:
            return known
    raise ValidationError(f"Chỉ số '{name}' không hợp lệ (dùng: {', '.join(INDEX_NAMES)}).")


def list_index_results(session: Session, index_name: str | None = None) -> list[IndexRow]:
    """Index results ordered by index then year."""
    stmt = select(IndexResult).order_by(IndexResult.index_name, IndexResult.year)
    if index_name:
        stmt = stmt.where(IndexResult.index_name == _index_name(index_name))
    return [IndexRow(r.id, r.index_name, r.year, r.score, r.rank, r.out_of, r.note)
            for r in session.scalars(stmt)]


def set_index_result(
    session: Session, index_name: str, year: int, score: float | None, rank: str = "",
    note: str = "",
) -> IndexRow:
    """Create or replace the result of an index for a year; ``rank`` like "02/18"."""
    require_session_admin(session, "ghi kết quả chỉ số")
    name = _index_name(index_name)
    try:
        rank_value, out_of = parse_rank(rank)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if score is not None and not 0 <= score <= 100:
        raise ValidationError(f"Điểm chỉ số {score:g} phải trong khoảng 0–100.")
    if not 1990 <= year <= 2100:
        raise ValidationError(f"Năm {year} không hợp lệ.")
    row = session.scalar(
        select(IndexResult).where(IndexResult.index_name == name, IndexResult.year == year)
    ) or IndexResult(index_name=name, year=year)
    row.score, row.rank, row.out_of, row.note = score, rank_value, out_of, nfc(note)
    session.add(row)
    session.flush()
    return IndexRow(row.id, name, year, score, rank_value, out_of, row.note)


def delete_index_result(session: Session, index_name: str, year: int) -> bool:
    """Remove an index result; True when one was removed."""
    require_session_admin(session, "xóa kết quả chỉ số")
    result = session.execute(delete(IndexResult).where(
        IndexResult.index_name == _index_name(index_name), IndexResult.year == year))
    return bool(result.rowcount)


__all__ = [
    "INDEX_NAMES", "IndexRow", "delete_index_result", "list_index_results", "set_index_result",
    "ROUNDS", "CriterionRow", "MetricValue", "ScoringView", "Suggestion", "clear_scores",
    "copy_framework", "default_as_of", "export_framework_json", "framework_years",
    "get_framework", "import_framework", "load_template", "measure", "read_framework_file",
    "scoring_view", "set_score",
]
