"""The samples' task tables in, faithfully out (issue 14).

Each plan of ../shared/samples, as a secretary has it in Excel and in Word, imports with no
hand repair into a plan; its export (plan .docx, task .xlsx) imports again into a new plan
with the same groups (numbering, title, order, area), rows, order, texts and units.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cchc_desktop.services.imports import import_tasks
from cchc_desktop.services.plans import plan_groups, save_plan
from cchc_desktop.services.unit_matching import add_unit_alias
from cchc_desktop.services.units import create_unit
from cchc_desktop.store.models import Task, Unit
from tests.importers.real_plans import CATALOGUE, PLANS, write_docx, write_xlsx

TODAY = date(2022, 12, 1)
# Names in the samples that no unit of the catalogue answers to: listed, never created silently.
NEW_NAMES = {
    "002": {"Các phòng, Thanh tra Sở", "Các phòng có liên quan",
            "Các phòng chuyên môn, đơn vị trực thuộc Sở.", "Các đơn vị trực thuộc",
            "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc", "Các cơ quan, đơn vị có liên quan",
            "Các cơ quan, đơn vị", "Đơn vị trực thuộc Sở", "Phòng GD&ĐT", "Phòng GDMN-GDTH",
            "Tổ chức, cá nhân"},
    "003": {"Các phòng thuộc Sở"},
    "004": {"Trung tâm Thông tin và UDKHCN", "Các phòng, đơn vị thuộc Sở"},
}


@pytest.fixture
def catalogue_db(db):  # noqa: ANN001, ANN201
    from cchc_desktop.services.profile import AgencyProfile, save_profile

    with db.session() as s:
        save_profile(s, AgencyProfile(parent="UBND TỈNH BẾN TRE", place="Bến Tre",
                                      abbr="SGD&ĐT", agency_in_text="Sở GD&ĐT tỉnh Bến Tre"))
        for name, short, aliases in CATALOGUE:
            create_unit(s, name, short)
            for alias in aliases:
                add_unit_alias(s, name, alias)
    return db


def _write(fmt: str, tmp_path: Path, plan: str) -> Path:
    header, rows, _groups = PLANS[plan]
    writer = write_xlsx if fmt == "xlsx" else write_docx
    return writer(tmp_path / f"plan_{plan}.{fmt}", header, rows)


def _new_plan(db, title: str = "Kế hoạch năm 2022") -> int:  # noqa: ANN001
    with db.session() as s:
        return save_plan(s, title=title, year=2022).id


def structure(db, plan_id: int) -> list[tuple]:  # noqa: ANN001
    """A plan as its reader sees it: groups in order, each with its tasks' texts and units."""
    with db.session() as s:
        groups = {g.id: (g.number, g.title, g.area) for g in plan_groups(s, plan_id)}
        tasks = s.scalars(select(Task).where(Task.plan_id == plan_id)).all()
        order = {g: i for i, g in enumerate(groups)}
        tasks = sorted(tasks, key=lambda t: (order.get(t.group_id, -1), t.position, t.id))
        out: list[tuple] = []
        for t in tasks:
            group = groups.get(t.group_id) if t.group_id else None
            if not out or out[-1][0] != group:
                out.append((group, []))
            out[-1][1].append((t.content, t.output, t.timing_text, t.note, t.lead_unit.name,
                               tuple(u.name for u in t.supporting_units), t.area, t.due_date))
        return [(g, tuple(rows)) for g, rows in out]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("plan", sorted(PLANS))
def test_sample_plan_imports_and_round_trips(catalogue_db, tmp_path, fmt, plan) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.plan_docx import export_plan
    from cchc_desktop.exporters.xlsx import export_tasks
    from cchc_desktop.services.task_queries import TaskFilter

    header, rows, expected_groups = PLANS[plan]
    path = _write(fmt, tmp_path, plan)
    plan_id = _new_plan(catalogue_db)
    with catalogue_db.session() as s:
        preview = import_tasks(s, path, plan_id=plan_id, dry_run=True, today=TODAY)
    # The preview shows every guess: groups with their suggested area, unknown unit names.
    assert not preview.problems, preview.problem_lines()
    assert [(g.number, g.title, g.area) for g in preview.groups] == expected_groups
    assert {u.written for u in preview.unknown_units} == NEW_NAMES[plan]
    task_rows = [r for r in rows if len(r) > 2]
    assert len(preview.rows) == len(task_rows)
    with catalogue_db.session() as s:
        refused = import_tasks(s, path, plan_id=plan_id, today=TODAY)
        assert not refused.committed and refused.undecided_units
        assert s.scalar(select(Task.id).where(Task.plan_id == plan_id)) is None
    with catalogue_db.session() as s:
        report = import_tasks(s, path, plan_id=plan_id, create_units=True, today=TODAY)
    assert report.committed and report.added == len(task_rows)
    first = structure(catalogue_db, plan_id)
    assert [g for g, _rows in first if g] == expected_groups
    contents = [r[1] for r in task_rows]
    assert [t[0] for _g, ts in first for t in ts] == contents  # order and texts as written
    timing_col = header.index("Thời gian thực hiện")
    assert [t[2] for _g, ts in first for t in ts] == [r[timing_col] for r in task_rows]

    # Out and in again: the plan's .docx and the task .xlsx give the same plan.
    docx = tmp_path / "out.docx"
    xlsx = tmp_path / "out.xlsx"
    with catalogue_db.session() as s:
        export_plan(s, plan_id, docx, today=TODAY)
        export_tasks(s, xlsx, TaskFilter(plan_id=plan_id), as_of=TODAY)
    for exported in (docx, xlsx):
        again = _new_plan(catalogue_db, f"Bản nhập lại từ {exported.suffix}")
        with catalogue_db.session() as s:
            second = import_tasks(s, exported, plan_id=again, today=TODAY)
        assert second.committed, (second.problem_lines(), second.unit_lines())
        assert second.unknown_units == []  # every unit is known by now
        assert structure(catalogue_db, again) == first, exported.suffix


def test_sample_002_units_as_the_office_wrote_them(catalogue_db, tmp_path) -> None:  # noqa: ANN001
    path = _write("xlsx", tmp_path, "002")
    plan_id = _new_plan(catalogue_db)
    with catalogue_db.session() as s:
        report = import_tasks(s, path, plan_id=plan_id, create_units=True, today=TODAY)
    assert report.committed
    [(_g, first_group), *_rest] = structure(catalogue_db, plan_id)
    # "Phòng TCCB, QLCLGD&CNTT, KHTC": three known Phòng, in the order written.
    assert first_group[0][4:6] == ("Văn phòng Sở", (
        "Phòng Tổ chức cán bộ",
        "Phòng Khảo thí, Quản lý chất lượng giáo dục và Công nghệ thông tin",
        "Phòng Kế hoạch - Tài chính"))
    # The final full stop of a text stays.
    assert first_group[3][5] == ("Các phòng chuyên môn, đơn vị trực thuộc Sở.",)
    with catalogue_db.session() as s:
        names = set(s.scalars(select(Unit.name)))
    # "Văn phòng", "Phòng KHTC", "Phòng Kế hoạch tài chính" are aliases: no unit of that name.
    assert not names & {"Văn phòng", "Phòng KHTC", "Phòng Kế hoạch tài chính", "Phòng TCCB"}
    # Ongoing tasks have no deadline; "Quý II, III" is due with its last occurrence.
    by_content = {t[0]: t for _g, ts in structure(catalogue_db, plan_id) for t in ts}
    assert by_content["Công tác thông tin, báo cáo"][7] is None
    assert by_content["Rà soát, đánh giá các quy định, thủ tục hành chính"][7] == date(2022, 9, 30)


def test_sample_004_two_leads_and_the_recurring_report(catalogue_db, tmp_path) -> None:  # noqa: ANN001
    path = _write("docx", tmp_path, "004")
    plan_id = _new_plan(catalogue_db)
    with catalogue_db.session() as s:
        report = import_tasks(s, path, plan_id=plan_id, create_units=True, today=TODAY)
    assert report.committed and report.groups == []
    [(row, warning)] = [(r, w) for r, w in report.warnings if "chủ trì" in w]
    assert "'Văn phòng Sở' chủ trì" in warning and "Trung tâm Thông tin và UDKHCN" in warning
    [(group, tasks)] = structure(catalogue_db, plan_id)
    assert group is None
    assert tasks[0][4:6] == ("Văn phòng Sở",
                             ("Trung tâm Thông tin và UDKHCN", "Các phòng, đơn vị thuộc Sở"))
    assert [t[7] for t in tasks] == [None, None, date(2022, 12, 31), None, date(2022, 12, 12)]
    reading = {r.content[:20]: r.timing_reading for r in report.rows}
    assert reading["Báo cáo kết quả triể"].startswith("định kỳ: 12/03/2022, 12/06/2022")


def test_sample_003_unknown_timing_is_flagged_not_guessed(catalogue_db, tmp_path) -> None:  # noqa: ANN001
    path = _write("xlsx", tmp_path, "003")
    plan_id = _new_plan(catalogue_db)
    with catalogue_db.session() as s:
        report = import_tasks(s, path, plan_id=plan_id, create_units=True, today=TODAY)
    [unread] = [r for r in report.rows if not r.timing_understood]
    assert unread.timing == "Theo tiến độ của Thành phố" and unread.due is None
    assert "chưa hiểu thời hạn 'Theo tiến độ của Thành phố'" in "\n".join(report.summary_lines())
    # A propaganda plan's groups are no area: nothing relabels them.
    assert [(g.number, g.title, g.area) for g in report.groups] == PLANS["003"][2]


def test_word_document_with_several_tables(catalogue_db, tmp_path) -> None:  # noqa: ANN001
    from cchc_desktop.importers.word import read_word_tables, word_tables

    path = _write("docx", tmp_path, "002")
    tables = word_tables(path)
    assert [t.has_task_header for t in tables] == [False, True]
    assert read_word_tables(path).sheet_name == "bảng 2"  # the task table by default
    with pytest.raises(Exception, match="không có bảng số 3"):
        read_word_tables(path, 3)


def test_two_spellings_mapped_to_one_unit_make_one_alias(catalogue_db, tmp_path) -> None:  # noqa: ANN001
    from cchc_desktop.services.import_report import UnitChoice
    from cchc_desktop.store.models import UnitAlias

    header = ("STT", "Nội dung", "Thời gian thực hiện", "Cơ quan chủ trì")
    path = write_xlsx(tmp_path / "a.xlsx", header, [("1", "Việc A", "Quý IV", "VP Sở"),
                                                     ("2", "Việc B", "Quý IV", "vp  SỞ")])
    plan_id = _new_plan(catalogue_db)
    with catalogue_db.session() as s:
        report = import_tasks(s, path, plan_id=plan_id, today=TODAY,
                              unit_choices={"VP Sở": UnitChoice("map", "Văn phòng Sở")})
    assert report.committed
    with catalogue_db.session() as s:
        assert [a.alias for a in s.scalars(select(UnitAlias).where(
            UnitAlias.alias.like("%Sở")))] == ["VP Sở"]
