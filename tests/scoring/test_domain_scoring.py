"""Pure scoring rules: validation naming rows, roll-up per round, bonus/penalty caps, rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.domain.scoring import (
    CriterionSpec,
    RoundScores,
    apply_rule,
    build_tree,
    format_rank,
    parse_points,
    parse_rank,
    parse_rule,
    roll_up,
    score_problem,
    validate_framework,
)


def spec(code: str, mx: float | None, row: int, kind: str = "normal", rule: str = "") -> CriterionSpec:
    return CriterionSpec(code=code, title=f"Tiêu chí {code}", max_points=mx, kind=kind,
                         rule=rule, row=row)


GOOD = [
    spec("1", 10, 2), spec("1.1", 4, 3), spec("1.1.1", 1.5, 4), spec("1.1.2", 2.5, 5),
    spec("1.2", 6, 6), spec("2", 5, 7), spec("2.1", 5, 8),
    spec("9", 2, 9, "bonus"), spec("9.1", 1.5, 10), spec("9.2", 1.5, 11),
    spec("10", 3, 12, "penalty"), spec("10.1", 2, 13), spec("10.2", 2, 14),
]


def test_valid_framework_has_no_problems() -> None:
    assert validate_framework(GOOD) == []


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([spec("1", 10, 2), spec("1.1", 4, 3), spec("1.2", 5, 4)], ["Dòng 2 (mã 1)", "khác tổng", "(9)"]),
        ([spec("1", 4, 2), spec("1.1", 4, 3), spec("1.1", 0, 4)], ["Dòng 4 (mã 1.1)", "trùng", "dòng 3"]),
        ([spec("1", 4, 2), spec("1.3.1", 4, 3)], ["Dòng 3 (mã 1.3.1)", "không có tiêu chí cha mã 1.3"]),
        ([spec("1", -1, 2)], ["Dòng 2 (mã 1)", "không được âm"]),
        ([spec("1", None, 5)], ["Dòng 5 (mã 1)", "thiếu điểm tối đa"]),
        ([spec("1.a", 1, 6)], ["Dòng 6", "mã không hợp lệ"]),
        ([spec("1", 1, 7, rule="bogus; 80%=1")], ["Dòng 7", "quy tắc"]),
        ([spec("9", 1, 2, "bonus"), spec("9.1", 2, 3)], ["Dòng 3 (mã 9.1)", "vượt mức trần"]),
    ],
)
def test_each_problem_names_its_row(rows: list[CriterionSpec], expected: list[str]) -> None:
    problems = validate_framework(rows)
    assert len(problems) == 1, problems
    for part in expected:
        assert part in problems[0]


def test_children_inherit_bonus_kind_and_tree_is_in_code_order() -> None:
    roots = build_tree(list(reversed(GOOD)))
    assert [r.code for r in roots] == ["1", "2", "9", "10"]
    assert [c.kind for c in roots[2].children] == ["bonus", "bonus"]
    assert roots[0].children[0].children[1].code == "1.1.2"


def test_roll_up_each_round_and_round_two_falls_back_to_round_one() -> None:
    scores = {
        "1.1.1": RoundScores(1.5, 1.0, None),
        "1.1.2": RoundScores(2.0, 2.0, 2.5),
        "1.2": RoundScores(5.25, None, None),
        "2.1": RoundScores(None, 4.0, 4.5),
    }
    totals = roll_up(build_tree(GOOD), scores)
    assert totals["1.1"] == {"self": 3.5, "round1": 3.0, "round2": 3.5}
    assert totals["1"] == {"self": 8.75, "round1": 3.0, "round2": 3.5}
    assert totals["2"] == {"self": None, "round1": 4.0, "round2": 4.5}
    assert totals[""] == {"self": 8.75, "round1": 7.0, "round2": 8.0}


def test_bonus_and_penalty_are_capped_and_signed() -> None:
    scores = {"1.2": RoundScores(6, 6, 6), "9.1": RoundScores(1.5, 1, 1),
              "9.2": RoundScores(1.5, 0, 0), "10.1": RoundScores(2, 2, 0),
              "10.2": RoundScores(2, 0, 0)}
    totals = roll_up(build_tree(GOOD), scores)
    assert totals["9"]["self"] == 2  # 3 claimed, cap 2
    assert totals["10"]["self"] == 3  # 4 deducted, cap 3
    assert totals[""]["self"] == 6 + 2 - 3
    assert totals[""]["round1"] == 6 + 1 - 2
    assert totals[""]["round2"] == 6 + 1 - 0


@pytest.mark.parametrize(("value", "ok"), [
    (0, True), (0.25, True), (2.5, True), (2.5000000001, True), (2.51, False),
    (-0.01, False), (1.0001, False), (float("nan"), False),
])
def test_score_limits(value: float, ok: bool) -> None:
    assert (score_problem(value, 2.5, "1.1") is None) is ok


@given(st.integers(min_value=0, max_value=400))
def test_every_quarter_point_up_to_max_is_valid(quarters: int) -> None:
    assert score_problem(quarters / 4, 100.0) is None


def test_parse_points_accepts_decimal_comma() -> None:
    assert parse_points("0,25") == 0.25
    assert parse_points(" 2 ") == 2.0
    assert parse_points("") is None and parse_points("abc") is None and parse_points(None) is None


def test_data_rule_thresholds() -> None:
    rule = parse_rule("ubnd_on_time; 80%=1; 100%=2; 0%=0")
    assert rule.thresholds[0] == (1.0, 2.0)
    assert apply_rule(rule, 1.0, 2) == 2
    assert apply_rule(rule, 0.85, 2) == 1
    assert apply_rule(rule, 0.5, 2) == 0
    assert apply_rule(rule, 1.0, 1.5) == 1.5  # capped at the criterion's max
    assert apply_rule(rule, None, 2) is None
    assert "≥ 80% → 1 điểm" in rule.describe()


@pytest.mark.parametrize("text", ["", "unknown; 80%=1", "plan_on_time", "plan_on_time; 80=1",
                                  "plan_on_time; 180%=1"])
def test_bad_rules_raise(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rule(text)


def test_rank_parsing() -> None:
    assert parse_rank("02/18") == (2, 18)
    assert parse_rank("3") == (3, None)
    assert parse_rank("") == (None, None)
    assert format_rank(2, 18) == "02/18"
    for bad in ("19/18", "0/18", "abc"):
        with pytest.raises(ValueError):
            parse_rank(bad)
