"""Undoing a unit's removal: the unit comes back with its id, so references to it work."""

from __future__ import annotations

import pytest

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.errors import ValidationError
from cchc_desktop.services import tasks as task_service
from cchc_desktop.services.units import (
    create_unit,
    delete_unit,
    list_units,
    restore_unit,
    unit_snapshot,
    update_unit,
)


@pytest.fixture
def units(any_db):
    with any_db.session() as s:
        return [create_unit(s, n, short, kind).id for n, short, kind in
                (("Văn phòng Sở", "VP", "division"), ("Thanh tra Sở", "TTr", "division"),
                 ("Trường THPT Chiềng Sinh", "", "subordinate"))]


def test_a_deleted_unit_comes_back_identical(any_db, units) -> None:
    with any_db.session() as s:
        update_unit(s, units[2], name="Trường THPT Chiềng Sinh", short_name="",
                    kind="subordinate", active=False)
        before = unit_snapshot(s, units[2])
        listed = list_units(s)
    with any_db.session() as s:
        assert delete_unit(s, units[2]) == before
        assert units[2] not in [u.id for u in list_units(s)]
    with any_db.session() as s:
        assert restore_unit(s, before).id == units[2]
    with any_db.session() as s:
        assert unit_snapshot(s, units[2]) == before
        assert list_units(s) == listed


def test_a_task_deleted_before_its_unit_comes_back_with_its_links(any_db, units) -> None:
    with any_db.session() as s:
        task = task_service.create_task(s, TaskDraft(content="Rà soát TTHC", year=2026,
                                                     lead_unit_id=units[0],
                                                     supporting_unit_ids=[units[1]]))
        task_snapshot = task_service.delete_task(s, task.id)
        unit = delete_unit(s, units[1])  # unused once the task is gone
    with any_db.session() as s:
        restore_unit(s, unit)
        restored = task_service.restore_task(s, task_snapshot)  # undo in stack order
        assert [u.id for u in restored.supporting_units] == [units[1]]
        again = task_service.create_task(s, TaskDraft(content="Kiểm tra", year=2026,
                                                      lead_unit_id=units[1]))
        assert again.lead_unit_id == units[1]


def test_a_unit_in_use_is_still_refused(any_db, units) -> None:
    with any_db.session() as s:
        task_service.create_task(s, TaskDraft(content="Báo cáo", year=2026, lead_unit_id=units[0]))
    with pytest.raises(ValidationError, match="ngừng sử dụng"), any_db.session() as s:
        delete_unit(s, units[0])


def test_restore_is_refused_when_the_name_was_taken_again(any_db, units) -> None:
    with any_db.session() as s:
        snapshot = delete_unit(s, units[1])
        create_unit(s, "thanh tra sở")
    with pytest.raises(ValidationError, match="đã có trong danh mục"), any_db.session() as s:
        restore_unit(s, snapshot)


def test_a_unit_that_accounts_belong_to_is_refused(any_db, units) -> None:
    from cchc_desktop.services.users import add_user

    with any_db.session() as s:
        add_user(s, "quantri", "mat-khau-123", "admin")
    with any_db.session() as s:
        add_user(s, "vanthu", "mat-khau-123", "unit", unit_id=units[2])
    with pytest.raises(ValidationError, match="1 tài khoản người dùng"), any_db.session() as s:
        delete_unit(s, units[2])
    with any_db.session() as s:
        assert units[2] in [u.id for u in list_units(s)]
