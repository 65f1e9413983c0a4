"""A plan's own groups survive copying, deleting and undoing, and their area is editable."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cchc_desktop.services.imports import import_tasks
from cchc_desktop.services.plans import (
    copy_plan_to_year,
    delete_plan_with_snapshot,
    plan_groups,
    restore_plan,
    save_plan,
    update_group,
)
from cchc_desktop.store.models import Task
from tests.importers.real_plans import PLANS, write_xlsx


def _imported(db, tmp_path) -> int:  # noqa: ANN001
    header, rows, _groups = PLANS["003"]
    path = write_xlsx(tmp_path / "p.xlsx", header, rows)
    with db.session() as s:
        plan_id = save_plan(s, title="Kế hoạch tuyên truyền năm 2022", year=2022).id
        report = import_tasks(s, path, plan_id=plan_id, create_units=True,
                              today=date(2022, 12, 1))
        assert report.committed
    return plan_id


def _shape(db, plan_id: int) -> list[tuple]:  # noqa: ANN001
    with db.session() as s:
        groups = {g.id: (g.number, g.title, g.area) for g in plan_groups(s, plan_id)}
        return [(groups.get(t.group_id), t.content, t.area) for t in s.scalars(
            select(Task).where(Task.plan_id == plan_id).order_by(Task.position))]


def test_copy_to_next_year_keeps_the_groups(db, tmp_path) -> None:  # noqa: ANN001
    plan_id = _imported(db, tmp_path)
    with db.session() as s:
        copy_id = copy_plan_to_year(s, plan_id, 2023).id
    assert _shape(db, copy_id) == _shape(db, plan_id)


def test_delete_and_undo_keeps_the_groups(db, tmp_path) -> None:  # noqa: ANN001
    plan_id = _imported(db, tmp_path)
    before = _shape(db, plan_id)
    with db.session() as s:
        snapshot = delete_plan_with_snapshot(s, plan_id)
    assert _shape(db, plan_id) == []
    with db.session() as s:
        restore_plan(s, snapshot)
    assert _shape(db, plan_id) == before


def test_a_groups_area_is_editable_and_its_tasks_follow(db, tmp_path) -> None:  # noqa: ANN001
    plan_id = _imported(db, tmp_path)
    with db.session() as s:
        forms = plan_groups(s, plan_id)[1]
        first = s.scalars(select(Task).where(Task.group_id == forms.id)).first()
        assert first is not None
        first.area = 7  # a task given its own area keeps it
    with db.session() as s:
        update_group(s, forms.id, number=forms.number, title=forms.title, area=3)
    shape = _shape(db, plan_id)
    assert [a for g, _c, a in shape if g and g[1] == "Hình thức tuyên truyền"] == [7, 3, 3]
    assert [g[2] for g, _c, _a in shape if g][-1] == 3


def test_a_task_added_to_a_grouped_plan_joins_the_group_of_its_area(db, tmp_path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.services.tasks import create_task

    plan_id = _imported(db, tmp_path)
    with db.session() as s:
        forms = plan_groups(s, plan_id)[1]
        update_group(s, forms.id, number=forms.number, title=forms.title, area=3)
        lead = s.scalars(select(Task.lead_unit_id)).first()
        added = create_task(s, TaskDraft(content="Việc mới", lead_unit_id=lead, area=3),
                            plan_id=plan_id)
        assert added.group_id == forms.id
        other = create_task(s, TaskDraft(content="Việc khác", lead_unit_id=lead, area=5),
                            plan_id=plan_id)
        assert other.group_id is None


def test_demo_completions_are_never_later_than_today(db) -> None:  # noqa: ANN001
    from cchc_desktop.services.demo import build_demo

    today = date(2024, 3, 10)  # early in the year: many tasks are still ahead
    with db.session() as s:
        build_demo(s, 400, seed=3, today=today)
        late = s.scalars(select(Task.completed_on).where(Task.completed_on > today)).all()
    assert late == []


def test_demo_units_follow_the_2025_map(db) -> None:  # noqa: ANN001
    from cchc_desktop.services.demo import build_demo
    from cchc_desktop.store.models import Unit

    with db.session() as s:
        build_demo(s, 50, seed=1, today=date(2026, 3, 1))
        units = s.scalars(select(Unit)).all()
    names = {u.name for u in units}
    assert not any("huyện" in n for n in names)  # district bodies no longer exist
    assert "UBND phường Tô Hiệu" in names
    assert all(u.kind != "district" for u in units)


def test_supporting_units_keep_the_order_the_editor_gives(db) -> None:  # noqa: ANN001
    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.services.task_queries import TaskFilter, list_tasks
    from cchc_desktop.services.tasks import create_task, update_task
    from cchc_desktop.services.units import create_unit

    with db.session() as s:
        a, b, c, lead = (create_unit(s, n).id for n in ("Phòng A", "Phòng B", "Phòng C", "VP"))
        task = create_task(s, TaskDraft(content="Việc", lead_unit_id=lead, year=2022,
                                        supporting_unit_ids=[c, a]))
        task_id = task.id
    with db.session() as s:
        rows = list_tasks(s, date(2022, 1, 1), TaskFilter())
        assert rows[0].supporting_units == ["Phòng C", "Phòng A"]
        update_task(s, task_id, TaskDraft(content="Việc", lead_unit_id=lead, year=2022,
                                          supporting_unit_ids=[b, c, a]))
    with db.session() as s:
        rows = list_tasks(s, date(2022, 1, 1), TaskFilter())
        assert rows[0].supporting_units == ["Phòng B", "Phòng C", "Phòng A"]
