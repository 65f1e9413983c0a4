"""The PAR INDEX criteria tree: validation, score limits, roll-up, bonus/penalty, data rules.

A framework is a flat list of rows whose codes ("1", "1.1", "1.1.2") give the tree.
Rules, all pure Python:

* A parent's max points equal the sum of its normal children's max points.
* A bonus (``thưởng``) or penalty (``trừ``) node's max points is its cap; its children
  may add up to more, the cap applies to the total. A child inherits the kind of a
  bonus/penalty parent. Penalty scores are entered as positive points to deduct.
* Scores are entered on leaves only: ``0 <= score <= max`` (decimals such as 0.25).
* Totals roll up for three rounds: self score, appraisal round 1 and round 2. Round 2
  keeps the round-1 score of a leaf the council did not score again (the council only
  re-scores what the department explained). A node's total is None when none of its
  leaves has a score in that round.
* A data rule ("Quy tắc") turns a share computed from the tasks into a suggested score:
  ``ubnd_on_time; 100%=2; 80%=1; 0%=0`` means share >= 100 % -> 2 points, >= 80 % -> 1,
  otherwise 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "KIND_LABELS",
    "METRICS",
    "ROUNDS",
    "CriterionSpec",
    "DataRule",
    "Node",
    "RoundScores",
    "apply_rule",
    "build_tree",
    "code_key",
    "format_rank",
    "parent_code",
    "parse_kind",
    "parse_points",
    "parse_rank",
    "parse_rule",
    "roll_up",
    "score_problem",
    "validate_framework",
]

EPS = 1e-6
ROUNDS = ("self", "round1", "round2")
KIND_LABELS = {"normal": "thường", "bonus": "thưởng", "penalty": "trừ"}
_KIND_WORDS = {
    "": "normal",
    "thuong": "normal",
    "normal": "normal",
    "thường": "normal",
    "thưởng": "bonus",
    "bonus": "bonus",
    "diem thuong": "bonus",
    "điểm thưởng": "bonus",
    "trừ": "penalty",
    "tru": "penalty",
    "penalty": "penalty",
    "điểm trừ": "penalty",
    "diem tru": "penalty",
}
# Metric name -> what it measures (Vietnamese, shown next to a suggestion).
METRICS = {
    "plan_on_time": "Tỷ lệ nhiệm vụ của Kế hoạch CCHC hoàn thành đúng hạn",
    "ubnd_on_time": "Tỷ lệ nhiệm vụ UBND tỉnh giao hoàn thành đúng hạn",
    "all_on_time": "Tỷ lệ nhiệm vụ của năm hoàn thành đúng hạn",
    "tthc_on_time": "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
}
_CODE_RE = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class CriterionSpec:
    """One row of a framework file, before it is stored. ``row`` is its line number."""

    code: str
    title: str
    max_points: float | None
    kind: str = "normal"
    guidance: str = ""
    evidence_hint: str = ""
    rule: str = ""
    row: int | None = None

    def where(self) -> str:
        """How a message names this row: "Dòng 7 (mã 1.2)"."""
        label = f"Dòng {self.row}" if self.row is not None else "Tiêu chí"
        return f"{label} (mã {self.code})" if self.code else label


def normalize_code(text: object) -> str:
    """ "1.1." -> "1.1"; numbers read from a spreadsheet as 1.0 -> "1"."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return str(text if text is not None else "").strip().rstrip(".").replace(" ", "")


def code_key(code: str) -> tuple[int, ...]:
    """Sort key: "1.10" after "1.9"."""
    return tuple(int(p) for p in code.split(".")) if _CODE_RE.match(code) else (10**9,)


def parent_code(code: str) -> str | None:
    """ "1.2.3" -> "1.2"; a top-level code has no parent."""
    return code.rsplit(".", 1)[0] if "." in code else None


def parse_kind(text: object) -> str | None:
    """ "thưởng" -> "bonus", "trừ" -> "penalty", "" / "thường" -> "normal"; None if unknown."""
    return _KIND_WORDS.get(str(text or "").strip().lower())


def parse_points(value: object) -> float | None:
    """A number from a cell or a user: 2, "2", "0,25", "0.25"; None when empty or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def validate_framework(specs: Iterable[CriterionSpec]) -> list[str]:
    """Every problem of a framework, each naming its row; an empty list means valid."""
    specs = list(specs)
    problems: list[str] = []
    by_code: dict[str, CriterionSpec] = {}
    for spec in specs:
        if not spec.code:
            problems.append(f"{spec.where()}: thiếu mã tiêu chí.")
            continue
        if not _CODE_RE.match(spec.code):
            problems.append(f"{spec.where()}: mã không hợp lệ (dạng 1, 1.1, 1.1.2).")
            continue
        if spec.code in by_code:
            first = by_code[spec.code]
            problems.append(f"{spec.where()}: mã trùng với {first.where().lower()}.")
            continue
        by_code[spec.code] = spec
        if not spec.title.strip():
            problems.append(f"{spec.where()}: thiếu tên tiêu chí.")
        if spec.max_points is None:
            problems.append(f"{spec.where()}: thiếu điểm tối đa.")
        elif spec.max_points < 0:
            problems.append(f"{spec.where()}: điểm tối đa không được âm ({spec.max_points:g}).")
        if spec.kind not in KIND_LABELS:
            problems.append(f"{spec.where()}: loại phải là thường, thưởng hoặc trừ.")
        if spec.rule:
            try:
                parse_rule(spec.rule)
            except ValueError as exc:
                problems.append(f"{spec.where()}: quy tắc không hợp lệ: {exc}")
    for code, spec in by_code.items():
        parent = parent_code(code)
        if parent is not None and parent not in by_code:
            problems.append(f"{spec.where()}: không có tiêu chí cha mã {parent}.")
    if problems:
        return problems
    for node in build_tree(specs):
        problems.extend(_sum_problems(node))
    return problems


def _sum_problems(node: Node) -> list[str]:
    problems: list[str] = []
    if node.children:
        if node.kind == "normal":
            total = sum(c.max_points for c in node.children if c.kind == "normal")
            if abs(total - node.max_points) > EPS:
                problems.append(
                    f"{node.spec.where()}: điểm tối đa {node.max_points:g} khác tổng điểm "
                    f"của các tiêu chí con ({total:g})."
                )
        else:
            for child in node.children:
                if child.max_points - node.max_points > EPS:
                    problems.append(
                        f"{child.spec.where()}: điểm tối đa {child.max_points:g} vượt mức "
                        f"trần {node.max_points:g} của mã {node.code}."
                    )
        for child in node.children:
            problems.extend(_sum_problems(child))
    return problems


@dataclass
class Node:
    """A criterion in the tree; ``kind`` is the effective kind (inherited from a bonus parent)."""

    spec: CriterionSpec
    kind: str
    children: list[Node] = field(default_factory=list)
    depth: int = 0

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def max_points(self) -> float:
        return self.spec.max_points or 0.0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterable[Node]:
        """This node and its descendants, depth first in code order."""
        yield self
        for child in self.children:
            yield from child.walk()


def build_tree(specs: Iterable[CriterionSpec]) -> list[Node]:
    """The top-level nodes (areas and bonus/penalty groups) in code order.

    Assumes codes are unique; a row whose parent is missing becomes a top-level node.
    """
    ordered = sorted(specs, key=lambda s: code_key(s.code))
    nodes: dict[str, Node] = {}
    roots: list[Node] = []
    for spec in ordered:
        parent = nodes.get(parent_code(spec.code) or "")
        kind = spec.kind
        if parent is not None and parent.kind != "normal" and kind == "normal":
            kind = parent.kind
        node = Node(spec, kind, depth=parent.depth + 1 if parent else 0)
        nodes[spec.code] = node
        (parent.children if parent else roots).append(node)
    return roots


@dataclass(frozen=True)
class RoundScores:
    """What was entered on a leaf: the self score and the two appraisal rounds."""

    self: float | None = None
    round1: float | None = None
    round2: float | None = None

    def effective(self, round_name: str) -> float | None:
        """The leaf's score in a round; round 2 falls back to round 1."""
        if round_name == "self":
            return self.self
        if round_name == "round1":
            return self.round1
        return self.round2 if self.round2 is not None else self.round1


def _add(a: float | None, b: float | None) -> float | None:
    if b is None:
        return a
    return b if a is None else a + b


def roll_up(
    roots: list[Node], scores: Mapping[str, RoundScores]
) -> dict[str, dict[str, float | None]]:
    """Totals per node code and per round, plus "" for the overall total.

    A node's total is its normal children's totals plus its bonus children's total
    (capped at their max) minus its penalty children's total (capped at their max).
    """
    totals: dict[str, dict[str, float | None]] = {}

    def visit(node: Node) -> dict[str, float | None]:
        if node.is_leaf:
            entered = scores.get(node.code, RoundScores())
            result = {r: entered.effective(r) for r in ROUNDS}
        else:
            child_totals = [(child, visit(child)) for child in node.children]
            result = {}
            for r in ROUNDS:
                result[r] = _combine(node, [(c, t[r]) for c, t in child_totals])
        totals[node.code] = result
        return result

    top = [(root, visit(root)) for root in roots]
    overall: dict[str, float | None] = {}
    for r in ROUNDS:
        overall[r] = _signed_sum([(n, t[r]) for n, t in top])
    totals[""] = overall
    return totals


def _combine(node: Node, parts: list[tuple[Node, float | None]]) -> float | None:
    if node.kind == "normal":
        return _signed_sum(parts)
    total: float | None = None
    for _child, value in parts:
        total = _add(total, value)
    return None if total is None else min(total, node.max_points)


def _signed_sum(parts: list[tuple[Node, float | None]]) -> float | None:
    total: float | None = None
    for node, value in parts:
        if value is None:
            continue
        if node.kind == "bonus":
            value = min(value, node.max_points)
        elif node.kind == "penalty":
            value = -min(value, node.max_points)
        total = _add(total, value)
    return None if total is None else round(total, 4)


def score_problem(value: float, max_points: float, code: str = "") -> str | None:
    """Why ``value`` is not a valid score for a leaf with ``max_points``; None if valid."""
    where = f"mã {code}: " if code else ""
    if not math.isfinite(value):
        return f"{where}điểm phải là một số."
    if value < -EPS:
        return f"{where}điểm {value:g} nhỏ hơn 0."
    if value - max_points > EPS:
        return f"{where}điểm {value:g} vượt điểm tối đa {max_points:g}."
    if abs(round(value, 3) - value) > EPS:
        return f"{where}điểm chỉ được có tối đa 3 chữ số thập phân ({value:g})."
    return None


@dataclass(frozen=True)
class DataRule:
    """A metric and its thresholds: (share from 0 to 1, points), highest share first."""

    metric: str
    thresholds: tuple[tuple[float, float], ...]

    def describe(self) -> str:
        steps = "; ".join(
            f"≥ {_vi(t * 100)}% → {_vi(p)} điểm" for t, p in self.thresholds
        )
        return f"{METRICS[self.metric]}: {steps}"


def _vi(x: float) -> str:
    return f"{round(x, 3):g}".replace(".", ",")


def parse_rule(text: str) -> DataRule:
    """Parse ``metric; 100%=2; 80%=1; 0%=0``; raises ValueError with a Vietnamese reason."""
    parts = [p.strip() for p in re.split(r"[;\n]", text or "") if p.strip()]
    if not parts:
        raise ValueError("quy tắc trống")
    metric = parts[0].lower()
    if metric not in METRICS:
        known = ", ".join(METRICS)
        raise ValueError(f"không biết chỉ số '{parts[0]}' (dùng: {known})")
    steps: list[tuple[float, float]] = []
    for part in parts[1:]:
        m = re.fullmatch(r"(?:>=|≥)?\s*([\d.,]+)\s*%\s*[=:]\s*([\d.,]+)", part)
        if not m:
            raise ValueError(f"ngưỡng '{part}' phải có dạng 80%=1")
        share, points = parse_points(m.group(1)), parse_points(m.group(2))
        if share is None or points is None or share > 100:
            raise ValueError(f"ngưỡng '{part}' không hợp lệ")
        steps.append((share / 100, points))
    if not steps:
        raise ValueError("cần ít nhất một ngưỡng, ví dụ 100%=1")
    steps.sort(key=lambda s: s[0], reverse=True)
    return DataRule(metric, tuple(steps))


def apply_rule(rule: DataRule, share: float | None, max_points: float) -> float | None:
    """Points for a share (0..1): the first threshold reached, capped at ``max_points``.

    None when there is nothing to measure (no tasks), 0 below every threshold.
    """
    if share is None:
        return None
    for threshold, points in rule.thresholds:
        if share + EPS >= threshold:
            return min(points, max_points)
    return 0.0


_RANK_RE = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+))?\s*$")


def parse_rank(text: str) -> tuple[int | None, int | None]:
    """ "02/18" -> (2, 18); "3" -> (3, None); "" -> (None, None). ValueError otherwise."""
    if not (text or "").strip():
        return None, None
    m = _RANK_RE.match(text)
    if not m:
        raise ValueError(f"Thứ hạng '{text}' phải có dạng 02/18.")
    rank = int(m.group(1))
    out_of = int(m.group(2)) if m.group(2) else None
    if rank < 1 or (out_of is not None and rank > out_of):
        raise ValueError(f"Thứ hạng '{text}' không hợp lệ.")
    return rank, out_of


def format_rank(rank: int | None, out_of: int | None) -> str:
    """(2, 18) -> "02/18"; (3, None) -> "03"; (None, _) -> ""."""
    if rank is None:
        return ""
    return f"{rank:02d}/{out_of:02d}" if out_of else f"{rank:02d}"
