"""The audit log: every create, update and delete, who and when, old -> new; append-only."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.errors import PermissionDenied
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.access import CurrentUser
from cchc_desktop.services.units import create_unit, update_unit
from cchc_desktop.store.audit import list_audit
from cchc_desktop.store.models import AuditEntry


def test_create_update_delete_are_recorded_with_old_and_new(any_db) -> None:
    any_db.act_as(CurrentUser("thuy.vp", "admin"))
    with any_db.session() as s:
        unit = create_unit(s, "Văn phòng Sở", "VP")
        other = create_unit(s, "Thanh tra Sở", "TTr")
        task = svc.create_task(s, TaskDraft(content="Rà soát TTHC", lead_unit_id=unit.id,
                                            year=2024, due_date=date(2024, 6, 30)))
        task_id, unit_id, other_id = task.id, unit.id, other.id
    with any_db.session() as s:
        draft = svc.draft_from_task(svc.get_task(s, task_id))
        draft.due_date = date(2024, 9, 30)
        draft.content = "Rà soát, đơn giản hóa TTHC"
        draft.supporting_unit_ids = [other_id]
        svc.update_task(s, task_id, draft)
    with any_db.session() as s:
        svc.delete_task(s, task_id)
    with any_db.session() as s:
        rows = list_audit(s, entity="task", entity_id=task_id)
    assert {r.username for r in rows} == {"thuy.vp"}
    by_action = {}
    for r in rows:
        by_action.setdefault(r.action, []).append(r)
    created = json.loads(by_action["create"][0].new_value)
    assert created["content"] == "Rà soát TTHC" and created["lead_unit_id"] == unit_id
    changes = {r.field: (r.old_value, r.new_value) for r in by_action["update"]}
    assert changes == {
        "due_date": ("2024-06-30", "2024-09-30"),
        "content": ("Rà soát TTHC", "Rà soát, đơn giản hóa TTHC"),
        "supporting_units": ("[]", f"[{other_id}]"),
    }
    deleted = json.loads(by_action["delete"][0].old_value)
    assert deleted["content"] == "Rà soát, đơn giản hóa TTHC"
    assert rows[0].action == "delete"  # newest first


def test_rolled_back_change_leaves_no_audit_row(any_db) -> None:
    with pytest.raises(RuntimeError), any_db.session() as s:
        create_unit(s, "Phòng Tổ chức cán bộ")
        raise RuntimeError("power cut")
    with any_db.session() as s:
        assert list_audit(s) == []


def test_audit_rows_cannot_be_changed_or_deleted(any_db) -> None:
    with any_db.session() as s:
        create_unit(s, "Văn phòng Sở")
    with pytest.raises(PermissionDenied), any_db.session() as s:
        entry = s.scalars(select(AuditEntry)).first()
        entry.username = "someone else"
        s.flush()
    with pytest.raises(PermissionDenied), any_db.session() as s:
        s.delete(s.scalars(select(AuditEntry)).first())
        s.flush()
    with any_db.session() as s:
        assert [e.username for e in s.scalars(select(AuditEntry))] == ["admin"]


def test_filters_and_passwords_are_never_logged(any_db) -> None:
    from cchc_desktop.services.users import add_user, set_password

    with any_db.session() as s:
        add_user(s, "boss", "mat-khau-bi-mat", "admin")
        unit = create_unit(s, "Văn phòng Sở")
        update_unit(s, unit.id, name="Văn phòng", short_name="VP", kind="division", active=True)
        set_password(s, "boss", "mat-khau-moi-123")
    with any_db.session() as s:
        everything = list_audit(s)
        users = list_audit(s, entity="user")
        tomorrow = list_audit(s, since=date.today() + timedelta(days=1))
        by_other = list_audit(s, username="nobody")
    text = json.dumps([r.as_json() for r in everything], ensure_ascii=False)
    assert "mat-khau" not in text and "$argon2" not in text
    assert {r.entity for r in users} == {"user"} and len(users) == 2
    assert tomorrow == [] and by_other == []
    assert any(r.field == "name" and r.old_value == "Văn phòng Sở" and r.new_value == "Văn phòng"
               for r in everything)


def test_cli_audit_json(db, db_path, capsys: pytest.CaptureFixture) -> None:
    from cchc_desktop.cli.main import main

    with db.session() as s:
        unit = create_unit(s, "Văn phòng Sở")
        task_id = svc.create_task(s, TaskDraft(content="A", lead_unit_id=unit.id, year=2024)).id
    assert main(["--db", str(db_path), "audit", "--entity", "task", "--id", str(task_id),
                 "--since", date.today().strftime("%d/%m/%Y"), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["action"], r["entity"], r["entity_id"]) for r in rows] == [("create", "task", task_id)]
    assert main(["--db", str(db_path), "audit"]) == 0
    assert "create" in capsys.readouterr().out


def test_the_database_itself_refuses_to_rewrite_the_log(any_db) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    with any_db.session() as s:
        create_unit(s, "Văn phòng Sở")
    for statement in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), any_db.engine.begin() as conn:
            conn.execute(text(statement))
    with any_db.session() as s:
        assert [e.username for e in s.scalars(select(AuditEntry))] == ["admin"]
