"""Marking several tasks completed at once (services.tasks.complete_tasks)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cchc_desktop.errors import ValidationError
from cchc_desktop.services.tasks import complete_tasks, get_task
from cchc_desktop.store.models import Task
from tests.conftest import DEMO_TODAY


def _rows(db):
    with db.session() as session:
        return list(session.scalars(select(Task).order_by(Task.id)))


def test_open_tasks_are_marked_and_completed_ones_kept(demo_db):
    rows = _rows(demo_db)
    open_rows = [r for r in rows if r.completed_on is None and
                 (r.assigned_on is None or r.assigned_on <= date(2024, 11, 1))][:3]
    done = next(r for r in rows if r.completed_on is not None)
    ids = [r.id for r in open_rows] + [done.id]
    with demo_db.session() as session:
        changes = complete_tasks(session, ids, date(2024, 11, 15), "Báo cáo số 12/BC-VP",
                                 today=DEMO_TODAY)
    assert [c.task_id for c in changes] == [r.id for r in open_rows]
    assert all(c.before.completed_on is None for c in changes)
    with demo_db.session() as session:
        for r in open_rows:
            task = get_task(session, r.id)
            assert task.completed_on == date(2024, 11, 15)
            assert task.completion_note == "Báo cáo số 12/BC-VP"
        kept = get_task(session, done.id)
        assert kept.completed_on == done.completed_on
        assert (kept.completion_note or "") == (done.completion_note or "")


def test_an_impossible_date_changes_nothing(demo_db):
    rows = _rows(demo_db)
    assigned_late = next(r for r in rows if r.completed_on is None and r.assigned_on
                         and r.assigned_on > date(2024, 3, 1))
    other = next(r for r in rows if r.completed_on is None and r.id != assigned_late.id)
    with demo_db.session() as session, pytest.raises(ValidationError) as info:
        complete_tasks(session, [other.id, assigned_late.id], date(2024, 2, 1), today=DEMO_TODAY)
    assert "trước ngày giao" in info.value.message
    assert info.value.message.startswith("Chưa đánh dấu hoàn thành nhiệm vụ nào.")
    with demo_db.session() as session:
        assert get_task(session, other.id).completed_on is None
    with demo_db.session() as session, pytest.raises(ValidationError) as info:
        complete_tasks(session, [other.id], date(2024, 12, 1), today=DEMO_TODAY)
    assert "sau ngày hôm nay" in info.value.message


def test_undo_gives_back_only_the_completion_and_refuses_after_another_change(demo_db):
    from cchc_desktop.errors import ConflictError
    from cchc_desktop.services.tasks import draft_from_task, swap_completion, update_task

    first, second = [t for t in _rows(demo_db) if t.completed_on is None][:2]
    with demo_db.session() as session:
        changes = complete_tasks(session, [first.id], date(2024, 11, 15), "Xong",
                                 today=DEMO_TODAY)
    with demo_db.session() as session:  # someone else edits the content meanwhile
        draft = draft_from_task(get_task(session, first.id))
        draft.content = "Nội dung đã sửa ở máy khác"
        update_task(session, first.id, draft)
    with demo_db.session() as session:
        swap_completion(session, changes, undo=True)
    with demo_db.session() as session:
        task = get_task(session, first.id)
        assert task.completed_on is None and task.content == "Nội dung đã sửa ở máy khác"
    with demo_db.session() as session:
        swap_completion(session, changes, undo=False)  # redo
        assert get_task(session, first.id).completed_on == date(2024, 11, 15)

    with demo_db.session() as session:
        changes = complete_tasks(session, [second.id], date(2024, 11, 15), today=DEMO_TODAY)
    with demo_db.session() as session:  # the completion itself changed elsewhere
        draft = draft_from_task(get_task(session, second.id))
        draft.completed_on = date(2024, 11, 18)
        update_task(session, second.id, draft)
    with demo_db.session() as session, pytest.raises(ConflictError) as info:
        swap_completion(session, changes, undo=True)
    assert "không hoàn tác được" in info.value.message
    with demo_db.session() as session:
        assert get_task(session, second.id).completed_on == date(2024, 11, 18)
