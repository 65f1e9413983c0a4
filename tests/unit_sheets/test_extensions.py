"""The extension queue: approve (deadline moves, history kept), reject, reports judge by the
extended deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cchc_desktop.errors import ConflictError, PermissionDenied, ValidationError
from cchc_desktop.services import extensions as ext
from cchc_desktop.services.access import CurrentUser
from cchc_desktop.services.task_queries import summarize_tasks
from cchc_desktop.services.tasks import draft_from_task, get_task, update_task
from cchc_desktop.store.models import Task
from tests.conftest import DEMO_TODAY


def _overdue_task(db) -> int:
    with db.session() as session:
        return session.scalar(select(Task.id).where(
            Task.completed_on.is_(None), Task.due_date < DEMO_TODAY,
            Task.due_date > date(2024, 9, 1)).order_by(Task.id))


def test_approve_moves_the_deadline_and_keeps_the_old_one(demo_db) -> None:
    task_id = _overdue_task(demo_db)
    with demo_db.session() as session:
        old_due = get_task(session, task_id).due_date
        new_due = DEMO_TODAY + timedelta(days=20)
        request = ext.request_extension(session, task_id, new_due, "Chờ ý kiến Sở Nội vụ",
                                        source="Văn phòng Sở", requested_on=DEMO_TODAY)
        request_id = request.id
        assert ext.pending_by_task(session, [task_id]) == {task_id: new_due}
        before = summarize_tasks(session, DEMO_TODAY)
    with demo_db.session() as session:
        ext.approve_extension(session, request_id, document="Công văn 123/UBND-VP",
                              decided_on=DEMO_TODAY)
    with demo_db.session() as session:
        task = get_task(session, task_id)
        assert task.due_date == new_due
        [history] = task.extensions
        assert (history.old_due_date, history.new_due_date, history.granted_on) == (
            old_due, new_due, DEMO_TODAY)
        assert "Chờ ý kiến Sở Nội vụ" in history.reason
        assert "123/UBND-VP" in history.reason
        after = summarize_tasks(session, DEMO_TODAY)
        [info] = ext.list_extensions(session, "approved")
        assert info.current_due_date == new_due and ext.pending_by_task(session, [task_id]) == {}
        # Completed after the old deadline but before the new one: on time.
        draft = draft_from_task(task)
        draft.completed_on = DEMO_TODAY
        update_task(session, task_id, draft)
    assert after["open_overdue"] == before["open_overdue"] - 1
    assert after["open_on_time"] == before["open_on_time"] + 1
    with demo_db.session() as session:
        done = summarize_tasks(session, DEMO_TODAY)
    assert done["done_on_time"] == after["done_on_time"] + 1
    with demo_db.session() as session, pytest.raises(ValidationError, match="đã được quyết định"):
        ext.approve_extension(session, request_id, document="x")


def test_reject_keeps_the_deadline_and_needs_a_reason(demo_db) -> None:
    task_id = _overdue_task(demo_db)
    with demo_db.session() as session:
        due = get_task(session, task_id).due_date
        request_id = ext.request_extension(session, task_id, due + timedelta(days=5), "Lý do").id
    with demo_db.session() as session, pytest.raises(ValidationError, match="lý do"):
        ext.reject_extension(session, request_id, "  ")
    with demo_db.session() as session:
        ext.reject_extension(session, request_id, "Nhiệm vụ cấp bách", decided_on=DEMO_TODAY)
    with demo_db.session() as session:
        assert get_task(session, task_id).due_date == due
        [info] = ext.list_extensions(session)
        assert (info.status, info.decision_note) == ("rejected", "Nhiệm vụ cấp bách")


def test_requests_are_checked(demo_db) -> None:
    task_id = _overdue_task(demo_db)
    with demo_db.session() as session:
        due = get_task(session, task_id).due_date
        with pytest.raises(ValidationError, match="phải sau hạn hiện tại"):
            ext.request_extension(session, task_id, due, "Lý do")
        with pytest.raises(ValidationError, match="lý do"):
            ext.request_extension(session, task_id, due + timedelta(days=3), "")


def test_only_an_administrator_decides(demo_db) -> None:
    task_id = _overdue_task(demo_db)
    with demo_db.session() as session:
        task = get_task(session, task_id)
        request_id = ext.request_extension(session, task_id, task.due_date + timedelta(days=9),
                                           "Lý do").id
        unit_id = task.lead_unit_id
    with demo_db.session() as session:
        session.info["user"] = CurrentUser("vp", "unit", unit_id)
        with pytest.raises(PermissionDenied):
            ext.approve_extension(session, request_id, document="1/UBND")
    with demo_db.session() as session:
        ext.reject_extension(session, request_id, "Không đủ căn cứ")
    with demo_db.session() as session:
        session.info["user"] = CurrentUser("vp", "unit", unit_id)
        with pytest.raises(PermissionDenied):
            ext.reopen_extension(session, request_id)


def test_a_decision_taken_back_leaves_the_request_as_it_came(demo_db) -> None:
    task_id = _overdue_task(demo_db)
    with demo_db.session() as session:
        old_due = get_task(session, task_id).due_date
        new_due = DEMO_TODAY + timedelta(days=20)
        first = ext.request_extension(session, task_id, new_due, "Chờ số liệu").id
        second = ext.request_extension(session, task_id, new_due, "Lần hai").id
        with pytest.raises(ValidationError, match="chưa được quyết định"):
            ext.reopen_extension(session, first)
    with demo_db.session() as session:
        ext.approve_extension(session, first, document="CV 1/UBND", decided_on=DEMO_TODAY)
        ext.reject_extension(session, second, "Trùng đề nghị", decided_on=DEMO_TODAY)
    with demo_db.session() as session:
        ext.reopen_extension(session, first)
        ext.reopen_extension(session, second)
    with demo_db.session() as session:
        task = get_task(session, task_id)
        assert task.due_date == old_due and task.extensions == []  # history as before
        infos = ext.list_extensions(session)
        assert [(i.status, i.decided_on, i.decision_note, i.document) for i in infos] == [
            ("pending", None, "", "")] * 2
        assert ext.pending_by_task(session, [task_id]) == {task_id: new_due}
        ext.approve_extension(session, first, document="CV 2/UBND")  # decided again
        assert get_task(session, task_id).due_date == new_due


def test_an_approval_is_not_taken_back_over_a_later_deadline_change(demo_db) -> None:
    task_id = _overdue_task(demo_db)
    with demo_db.session() as session:
        new_due = DEMO_TODAY + timedelta(days=20)
        request_id = ext.request_extension(session, task_id, new_due, "Chờ số liệu").id
        ext.approve_extension(session, request_id, document="CV 1/UBND")
    with demo_db.session() as session:
        draft = draft_from_task(get_task(session, task_id))
        draft.due_date = new_due + timedelta(days=5)  # changed by hand afterwards
        update_task(session, task_id, draft)
    with demo_db.session() as session, pytest.raises(ConflictError, match="đã được sửa"):
        ext.reopen_extension(session, request_id)
    with demo_db.session() as session:
        assert get_task(session, task_id).due_date == new_due + timedelta(days=5)
        assert [i.status for i in ext.list_extensions(session)] == ["approved"]
