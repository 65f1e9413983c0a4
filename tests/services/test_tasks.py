"""Task services: create, validate, edit, delete/restore, move, summaries in SQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from cchc_desktop.domain.status import StatusClass, classify_status
from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.errors import ConflictError, ValidationError
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.plans import copy_plan_to_year, save_plan
from cchc_desktop.services.task_queries import TaskFilter, list_tasks, summarize_tasks
from cchc_desktop.services.units import create_unit
from cchc_desktop.store.models import Task


@pytest.fixture
def units(any_db):
    with any_db.session() as s:
        return [create_unit(s, n, short).id for n, short in
                (("Văn phòng Sở", "VP"), ("Phòng Tổ chức cán bộ", "TCCB"), ("Thanh tra Sở", "TTr"))]


def test_create_derives_due_date_from_timing(any_db, units) -> None:
    with any_db.session() as s:
        plan = save_plan(s, title="Kế hoạch CCHC năm 2022", year=2022)
        task = svc.create_task(
            s, TaskDraft(content="Xây dựng kế hoạch", lead_unit_id=units[0],
                         supporting_unit_ids=[units[1], units[2]], timing_text="Quý II"),
            plan_id=plan.id)
        assert task.due_date == date(2022, 6, 30)
        assert task.year == 2022
        assert [u.id for u in task.supporting_units] == [units[1], units[2]]


def test_nfd_input_is_stored_as_nfc(any_db, units) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Rà soát thủ tục hành chính")
    with any_db.session() as s:
        task = svc.create_task(s, TaskDraft(content=nfd, lead_unit_id=units[0], year=2022))
        assert task.content == unicodedata.normalize("NFC", nfd)


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (TaskDraft(content="  ", lead_unit_id=1), "content"),
        (TaskDraft(content="x", lead_unit_id=None), "lead_unit_id"),
        (TaskDraft(content="x", lead_unit_id=1, assigned_on=date(2022, 5, 1),
                   completed_on=date(2022, 4, 30)), "completed_on"),
        (TaskDraft(content="x", lead_unit_id=999), "lead_unit_id"),
    ],
)
def test_invalid_tasks_are_refused_and_nothing_written(any_db, units, draft, field) -> None:
    with pytest.raises(ValidationError) as info, any_db.session() as s:
        svc.create_task(s, draft)
    assert any(p.startswith(field) for p in info.value.problems)
    with any_db.session() as s:
        assert s.query(Task).count() == 0


def test_update_with_stale_version_is_a_conflict(any_db, units) -> None:
    with any_db.session() as s:
        task = svc.create_task(s, TaskDraft(content="Báo cáo quý", lead_unit_id=units[0], year=2022))
        task_id, version = task.id, task.version
    with any_db.session() as s:
        draft = svc.draft_from_task(svc.get_task(s, task_id))
        draft.note = "first"
        svc.update_task(s, task_id, draft, expected_version=version)
    with pytest.raises(ConflictError), any_db.session() as s:
        draft.note = "second, based on the old copy"
        svc.update_task(s, task_id, draft, expected_version=version)
    with any_db.session() as s:
        assert svc.get_task(s, task_id).note == "first"


def test_delete_and_restore_round_trip(any_db, units) -> None:
    with any_db.session() as s:
        task = svc.create_task(s, TaskDraft(content="Kiểm tra CCHC", lead_unit_id=units[0],
                                            supporting_unit_ids=[units[2]], year=2022,
                                            timing_text="Quý III"))
        svc.add_progress(s, task.id, date(2022, 7, 1), "Đã ban hành kế hoạch kiểm tra", 30)
        svc.extend_deadline(s, task.id, date(2022, 10, 31), "UBND tỉnh đồng ý gia hạn")
        task_id = task.id
    with any_db.session() as s:
        snapshot = svc.delete_task(s, task_id)
    with any_db.session() as s:
        assert s.get(Task, task_id) is None
        svc.restore_task(s, snapshot)
    with any_db.session() as s:
        task = svc.get_task(s, task_id)
        assert task.content == "Kiểm tra CCHC"
        assert [u.id for u in task.supporting_units] == [units[2]]
        assert [p.percent for p in task.progress_updates] == [30]
        assert task.due_date == date(2022, 10, 31)
        assert task.extensions[0].old_due_date == date(2022, 9, 30)


def test_move_task_within_area(any_db, units) -> None:
    with any_db.session() as s:
        plan = save_plan(s, title="KH", year=2022)
        ids = [svc.create_task(s, TaskDraft(content=f"Việc {i}", lead_unit_id=units[0], area=1),
                               plan_id=plan.id).id for i in range(3)]
        assert svc.move_task(s, ids[2], -1)
        assert not svc.move_task(s, ids[0], -1)  # already first
        rows = list_tasks(s, date(2022, 1, 1), TaskFilter(plan_id=plan.id), order="plan")
        assert [r.id for r in rows] == [ids[0], ids[2], ids[1]]


def test_copy_plan_recomputes_due_dates(any_db, units) -> None:
    with any_db.session() as s:
        plan = save_plan(s, title="Kế hoạch CCHC năm 2022", year=2022)
        svc.create_task(s, TaskDraft(content="A", lead_unit_id=units[0], timing_text="Quý IV"),
                        plan_id=plan.id)
        svc.create_task(s, TaskDraft(content="B", lead_unit_id=units[1], timing_text="Thường xuyên"),
                        plan_id=plan.id)
        copy = copy_plan_to_year(s, plan.id, 2023)
        assert copy.title == "Kế hoạch CCHC năm 2023"
        assert [(t.timing_text, t.due_date) for t in copy.tasks] == [
            ("Quý IV", date(2023, 12, 31)), ("Thường xuyên", None)]


# The SQL status rule must agree with the domain rule on every combination.
optional_day = st.one_of(st.none(), st.integers(0, 30).map(lambda d: date(2022, 6, 1) + timedelta(days=d)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(optional_day, optional_day), min_size=1, max_size=12),
       st.integers(0, 30).map(lambda d: date(2022, 6, 1) + timedelta(days=d)))
def test_sql_status_matches_domain_rule(any_db, units, pairs, as_of) -> None:
    with any_db.session() as s:
        s.execute(delete(Task))
        for due, done in pairs:
            s.add(Task(content="x", content_key="x", year=2022, lead_unit_id=units[0],
                       due_date=due, completed_on=done))
        s.flush()
        rows = list_tasks(s, as_of)
        expected = {r.id: classify_status(r.due_date, r.completed_on, as_of) for r in rows}
        assert {r.id: r.status for r in rows} == expected
        summary = summarize_tasks(s, as_of)
        assert summary["total"] == len(pairs)
        for cls in StatusClass:
            assert summary[cls.value] == sum(1 for v in expected.values() if v is cls)
            # The status filter (indexed conditions, not the CASE) picks the same tasks.
            chosen = list_tasks(s, as_of, TaskFilter(statuses={cls}))
            assert {r.id for r in chosen} == {i for i, v in expected.items() if v is cls}


def test_filters_on_demo_data(demo_db) -> None:
    as_of = date(2024, 11, 20)
    with demo_db.session() as s:
        everything = list_tasks(s, as_of)
        overdue = list_tasks(s, as_of, TaskFilter(overdue=True))
        soon = list_tasks(s, as_of, TaskFilter(due_within=7))
        vp = list_tasks(s, as_of, TaskFilter(unit="vp"))
        ubnd = summarize_tasks(s, as_of, TaskFilter(assigned_by="ubnd tinh"))
        found = list_tasks(s, as_of, TaskFilter(search="thu tuc hanh chinh"))
    assert overdue and all(r.status is StatusClass.OPEN_OVERDUE for r in overdue)
    for listed in (overdue, soon, everything):  # by due date, then id; undated tasks last
        keys = [(r.due_date is None, r.due_date or as_of, r.id) for r in listed]
        assert keys == sorted(keys)
    assert all(as_of <= r.due_date <= as_of + timedelta(days=7) and r.completed_on is None
               for r in soon)
    assert vp and all(r.lead_unit == "Văn phòng Sở" for r in vp)
    assert 0 < ubnd["total"] < len(everything)
    assert found and all("thủ tục hành chính" in r.content.lower() for r in found)
    summary_classes = {r.status for r in everything}
    assert summary_classes == set(StatusClass)  # the demo shows every class


def test_restore_brings_back_evidence_links(any_db, units, tmp_path) -> None:
    from cchc_desktop.services.evidence import EvidenceStore, LinkTarget

    proof = tmp_path / "bien_ban.pdf"
    proof.write_bytes(b"%PDF-1.4 proof of work")
    with any_db.session() as s:
        task_id = svc.create_task(s, TaskDraft(content="Họp giao ban", lead_unit_id=units[0],
                                               year=2022)).id
        store = EvidenceStore(s)
        info = store.add_file(proof, target=LinkTarget("task", task_id))
    with any_db.session() as s:
        snapshot = svc.delete_task(s, task_id)
        assert EvidenceStore(s).list(LinkTarget("task", task_id)) == []
    with any_db.session() as s:
        svc.restore_task(s, snapshot)
    with any_db.session() as s:
        linked = EvidenceStore(s).list(LinkTarget("task", task_id))
        assert [e.id for e in linked] == [info.id]
