"""Frameworks (import, template, copy), scores with limits, totals, suggestions, index results."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from cchc_desktop.cli.main import main
from cchc_desktop.domain.status import classify_status
from cchc_desktop.errors import ConflictError, ValidationError
from cchc_desktop.services.evidence import EvidenceStore, criterion_target
from cchc_desktop.services.scoring import (
    copy_framework,
    delete_index_result,
    import_framework,
    list_index_results,
    load_template,
    measure,
    read_framework_file,
    scoring_view,
    set_index_result,
    set_score,
)
from cchc_desktop.store.models import Criterion, Plan, Score, ScoringFramework, Task

HEADER = ["Mã", "Tiêu chí", "Điểm tối đa", "Hướng dẫn chấm", "Tài liệu kiểm chứng", "Quy tắc", "Loại"]
ROWS = [
    ["1", "Chỉ đạo, điều hành", 5, "", "", "", ""],
    ["1.1", "Kế hoạch CCHC", 2, "Đúng hạn: 2 điểm", "Kế hoạch", "", ""],
    ["1.2", "Nhiệm vụ UBND tỉnh giao", 3, "", "", "ubnd_on_time; 100%=3; 70%=2; 0%=0", ""],
    ["2", "Thể chế", 5, "", "", "", "thường"],
    ["2.1", "Rà soát VBQPPL", "2,5", "", "", "", ""],
    ["2.2", "Theo dõi thi hành pháp luật", 2.5, "", "", "", ""],
    ["3", "Điểm thưởng", 1, "", "", "", "thưởng"],
    ["3.1", "Sáng kiến", 1, "", "", "", ""],
]


def xlsx(tmp_path: Path, rows: list[list[object]], name: str = "khung.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["BỘ TIÊU CHÍ CHỈ SỐ CCHC NĂM 2024"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_import_xlsx_builds_the_tree(db, tmp_path: Path) -> None:
    name, specs = read_framework_file(xlsx(tmp_path, ROWS))
    assert name == "khung" and specs[4].max_points == 2.5 and specs[6].kind == "bonus"
    assert specs[0].row == 3  # spreadsheet line numbers
    with db.session() as s:
        import_framework(s, 2024, specs, name=name)
    with db.session() as s:
        crits = {c.code: c for c in s.scalars(select(Criterion))}
    assert crits["1.2"].parent_id == crits["1"].id and crits["1"].parent_id is None
    assert crits["1.2"].rule.startswith("ubnd_on_time")
    assert crits["3.1"].kind == "normal" and crits["3"].kind == "bonus"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r[2].__setitem__(2, 4), "Dòng 3 (mã 1): điểm tối đa 5 khác tổng"),
        (lambda r: r[5].__setitem__(0, "2.1"), "Dòng 8 (mã 2.1): mã trùng với dòng 7"),
        (lambda r: r[5].__setitem__(0, "4.2"), "Dòng 8 (mã 4.2): không có tiêu chí cha mã 4"),
        (lambda r: r[1].__setitem__(2, -2), "Dòng 4 (mã 1.1): điểm tối đa không được âm"),
        (lambda r: r[1].__setitem__(2, None), "Dòng 4 (mã 1.1): thiếu điểm tối đa"),
        (lambda r: r[1].__setitem__(2, "hai"), "Dòng 4 (mã 1.1): điểm tối đa 'hai' không phải là số"),
        (lambda r: r[6].__setitem__(6, "lạ"), "Dòng 9 (mã 3): loại 'lạ'"),
    ],
)
def test_import_errors_name_the_row_and_write_nothing(
    db, tmp_path: Path, capsys, change, message: str
) -> None:
    rows = [list(r) for r in ROWS]
    change(rows)
    path = xlsx(tmp_path, rows)
    code = main(["--db", str(db.url.removeprefix("sqlite:///")), "scoring", "import", str(path),
                 "--year", "2024"])
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert count(db, ScoringFramework) == 0 and count(db, Criterion) == 0


def test_import_json_and_refuse_a_second_framework_for_the_year(db, tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"name": "Khung 2024", "criteria": [
        {"code": "1", "title": "A", "max_points": 1}, {"code": "1.1", "title": "B", "max_points": 1},
    ]}, ensure_ascii=False), encoding="utf-8")
    name, specs = read_framework_file(path)
    with db.session() as s:
        import_framework(s, 2024, specs, name=name)
    with pytest.raises(ConflictError), db.session() as s:
        import_framework(s, 2024, specs, name=name)
    with db.session() as s:
        import_framework(s, 2024, specs, name="Khung mới", replace=True)
    assert count(db, ScoringFramework) == 1 and count(db, Criterion) == 2


def test_template_sums_to_100_over_eight_areas_and_copies_to_next_year(db) -> None:
    with db.session() as s:
        framework = load_template(s, 2024)
        assert "Mẫu — điều chỉnh theo Quyết định của UBND tỉnh" in framework.name
        size = len(framework.criteria)
        set_score(s, 2024, "1.1.1", score=1)
    with db.session() as s:
        view = scoring_view(s, 2024, today=date(2024, 11, 20))
        assert [r.code for r in view.roots] == [str(i) for i in range(1, 9)]
        assert view.max_total == 100
        assert len([r for r in view.walk() if r.is_leaf]) >= 50
        copy = copy_framework(s, 2024, 2025)
        assert len(copy.criteria) == size
    with db.session() as s:
        assert scoring_view(s, 2025).totals["self"] is None  # scores are not copied


def test_scores_roll_up_per_round(db) -> None:
    with db.session() as s:
        load_template(s, 2024)
        set_score(s, 2024, "1.1.1", score=1)
        set_score(s, 2024, "1.1.2", score=1.75, note="Có báo cáo")
        set_score(s, 2024, "1.1.2", score=1.5, round_name="1", note="Thiếu minh chứng")
        set_score(s, 2024, "1.1.2", score=1.75, round_name="2", explanation="Bổ sung báo cáo")
        set_score(s, 2024, "1.1.1", score=0.5, round_name="1")
        set_score(s, 2024, "2.3", score=0.25)
    with db.session() as s:
        view = scoring_view(s, 2024)
        rows = {r.code: r for r in view.walk()}
    assert rows["1.1"].totals == {"self": 2.75, "round1": 2.0, "round2": 2.25}
    assert rows["1"].totals == {"self": 2.75, "round1": 2.0, "round2": 2.25}
    assert rows["2"].totals["self"] == 0.25
    assert view.totals == {"self": 3.0, "round1": 2.0, "round2": 2.25}
    assert rows["1.1.2"].self_note == "Có báo cáo"
    assert rows["1.1.2"].council_note == "Thiếu minh chứng"
    assert rows["1.1.2"].explanation == "Bổ sung báo cáo"


def test_scores_out_of_range_exit_2_and_change_nothing(db, capsys) -> None:
    path = str(db.url.removeprefix("sqlite:///"))
    assert main(["--db", path, "scoring", "template", "--year", "2024"]) == 0
    assert main(["--db", path, "scoring", "set", "--year", "2024", "--code", "1.1.1",
                 "--score", "0,5", "--note", "đúng hạn"]) == 0
    capsys.readouterr()
    for bad in ("1.25", "-1", "abc"):
        code = main(["--db", path, "scoring", "set", "--year", "2024", "--code", "1.1.1",
                     "--score", bad, "--note", "đổi"])
        err = capsys.readouterr().err
        assert code == 2 and "error:" in err and "Traceback" not in err
    code = main(["--db", path, "scoring", "set", "--year", "2024", "--code", "1.1", "--score", "1"])
    assert code == 2 and "tiêu chí con" in capsys.readouterr().err
    with db.session() as s:
        scores = list(s.scalars(select(Score)))
    assert [(x.self_score, x.self_note) for x in scores] == [(0.5, "đúng hạn")]


def test_scoring_show_json(db, capsys) -> None:
    path = str(db.url.removeprefix("sqlite:///"))
    main(["--db", path, "scoring", "template", "--year", "2024"])
    main(["--db", path, "scoring", "set", "--year", "2024", "--code", "7.3", "--score", "2"])
    capsys.readouterr()
    assert main(["--db", path, "scoring", "show", "--year", "2024", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["self"] == 2 and data["max_total"] == 100
    assert data["missing_evidence"] == ["7.3"]
    area7 = next(c for c in data["criteria"] if c["code"] == "7")
    assert area7["totals"]["self"] == 2


def test_missing_evidence_flag_clears_when_a_file_is_linked(db, tmp_path: Path) -> None:
    f = tmp_path / "iso.pdf"
    f.write_bytes(b"iso")
    with db.session() as s:
        load_template(s, 2024)
        set_score(s, 2024, "7.3", score=2)
        set_score(s, 2024, "7.4", score=0)
        assert [r.code for r in scoring_view(s, 2024).missing_evidence()] == ["7.3"]
        EvidenceStore(s).add_file(f, target=criterion_target(s, 2024, "7.3"))
        view = scoring_view(s, 2024)
        assert view.missing_evidence() == []
        assert next(r for r in view.walk() if r.code == "7.3").evidence_count == 1


def _independent_share(s, year: int, as_of: date, which: str) -> tuple[int, int]:
    tasks = list(s.scalars(select(Task).where(Task.year == year)))
    if which == "plan":
        reform = set(s.scalars(select(Plan.id).where(Plan.kind == "reform", Plan.year == year)))
        tasks = [t for t in tasks if t.plan_id in reform]
    else:
        tasks = [t for t in tasks if t.assigned_by and "UBND tỉnh" in t.assigned_by]
    on_time = counted = 0
    for t in tasks:
        status = classify_status(t.due_date, t.completed_on, as_of).value
        if status in ("done_on_time", "done_no_deadline"):
            on_time += 1
            counted += 1
        elif status in ("done_late", "open_overdue"):
            counted += 1
    return on_time, counted


@pytest.mark.parametrize(("metric", "which"), [("plan_on_time", "plan"), ("ubnd_on_time", "ubnd")])
def test_data_rule_on_demo_data_matches_an_independent_count(demo_db, metric: str, which: str) -> None:
    as_of = date(2024, 11, 20)
    with demo_db.session() as s:
        value = measure(s, metric, 2024, as_of)
        on_time, counted = _independent_share(s, 2024, as_of, which)
    assert counted > 5
    assert (value.on_time, value.counted) == (on_time, counted)


def test_suggested_score_on_demo_data(demo_db) -> None:
    as_of = date(2024, 11, 20)
    with demo_db.session() as s:
        load_template(s, 2024)
        view = scoring_view(s, 2024, today=as_of)
        on_time, counted = _independent_share(s, 2024, as_of, "ubnd")
    share = on_time / counted
    expected = 2 if share >= 1 else 1.5 if share >= 0.9 else 1 if share >= 0.7 else 0
    row = next(r for r in view.walk() if r.code == "1.5")
    assert row.suggestion is not None and row.suggestion.points == expected
    assert f"{on_time}/{counted}" in row.suggestion.explain()
    assert "20/11/2024" in row.suggestion.explain()


def test_index_results_crud(db, capsys) -> None:
    with db.session() as s:
        set_index_result(s, "par index", 2023, 91.25, "02/18")
        set_index_result(s, "SIPAS", 2023, 85.5, "5/21")
        set_index_result(s, "PAR INDEX", 2023, 92.0, "01/18")  # replaces
        with pytest.raises(ValidationError):
            set_index_result(s, "PAR INDEX", 2022, 90, "20/18")
        with pytest.raises(ValidationError):
            set_index_result(s, "XYZ", 2022, 90, "")
    with db.session() as s:
        rows = list_index_results(s)
        assert [(r.index_name, r.score, r.rank_text) for r in rows] == [
            ("PAR INDEX", 92.0, "01/18"), ("SIPAS", 85.5, "05/21")]
        assert delete_index_result(s, "SIPAS", 2023)
    path = str(db.url.removeprefix("sqlite:///"))
    assert main(["--db", path, "index", "set", "PAPI", "--year", "2024", "--score", "44.1",
                 "--rank", "03/63"]) == 0
    capsys.readouterr()
    assert main(["--db", path, "index", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"index": "PAPI", "year": 2024, "score": 44.1, "rank": "03/63", "note": ""} in data


def test_viewer_cannot_score(db) -> None:
    from cchc_desktop.errors import PermissionDenied
    from cchc_desktop.services.access import CurrentUser

    with db.session() as s:
        load_template(s, 2024)
    with pytest.raises(PermissionDenied), db.session() as s:
        s.info["user"] = CurrentUser("xem", "viewer")
        set_score(s, 2024, "1.1.1", score=1)


def test_replacing_a_framework_drops_its_scores_and_links_but_keeps_files(db, tmp_path: Path) -> None:
    f = tmp_path / "a.pdf"
    f.write_bytes(b"a")
    with db.session() as s:
        load_template(s, 2024)
        set_score(s, 2024, "1.1.1", score=1)
        EvidenceStore(s).add_file(f, target=criterion_target(s, 2024, "1.1.1"))
    with db.session() as s:
        load_template(s, 2024, replace=True)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Score)) == 0
        files = EvidenceStore(s).list()
        assert len(files) == 1 and files[0].links == []
        assert scoring_view(s, 2024).max_total == 100


def test_tthc_rule_uses_the_procedure_figures(demo_db) -> None:
    from cchc_desktop.store.models import ProcedureStats

    with demo_db.session() as s:
        load_template(s, 2024)
        stats = s.scalars(select(ProcedureStats)).all()
        on_time = sum(x.resolved_on_time for x in stats)
        late = sum(x.resolved_late for x in stats)
        value = measure(s, "tthc_on_time", 2024, date(2024, 11, 20))
        view = scoring_view(s, 2024, today=date(2024, 11, 20))
    assert (value.on_time, value.counted) == (on_time, on_time + late) and late >= 0
    share = on_time / (on_time + late)
    expected = 2.5 if share >= 1 else 2 if share >= 0.95 else 1 if share >= 0.9 else 0
    row = next(r for r in view.walk() if r.code == "3.3.1")
    assert row.suggestion.points == expected
    assert "hồ sơ đã giải quyết giải quyết" not in row.suggestion.explain()
    assert f"{on_time}/{on_time + late} hồ sơ" in row.suggestion.explain()
