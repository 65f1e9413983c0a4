"""Users and roles: argon2 passwords, sign-in, the rules enforced in the services and the CLI."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import select

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.errors import PermissionDenied, ValidationError
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.units import create_unit
from cchc_desktop.services.users import (
    add_user,
    authenticate,
    login_required,
    set_active,
    set_require_login,
)
from cchc_desktop.store.models import User

PASSWORD = "mat-khau-123"


@pytest.fixture
def org(any_db):
    """Two units, a task led by each, and one account per role."""
    with any_db.session() as s:
        vp = create_unit(s, "Văn phòng Sở", "VP").id
        tt = create_unit(s, "Thanh tra Sở", "TTr").id
        own = svc.create_task(s, TaskDraft(content="Việc của VP", lead_unit_id=vp, year=2024)).id
        other = svc.create_task(s, TaskDraft(content="Việc của TTr", lead_unit_id=tt, year=2024)).id
        add_user(s, "boss", PASSWORD, "admin")
        add_user(s, "vp", PASSWORD, "unit", unit_id=vp)
        add_user(s, "xem", PASSWORD, "viewer")
    return {"db": any_db, "own": own, "other": other, "vp": vp}


def _as(org, username):
    with org["db"].session() as s:
        org["db"].act_as(authenticate(s, username, PASSWORD))
    return org["db"]


def test_passwords_are_argon2_hashes(org) -> None:
    with org["db"].session() as s:
        hashes = list(s.scalars(select(User.password_hash)))
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_authenticate_refuses_wrong_password_and_disabled_accounts(org) -> None:
    db = org["db"]
    with db.session() as s:
        assert authenticate(s, "vp", PASSWORD).unit_id == org["vp"]
        with pytest.raises(PermissionDenied, match="Sai tên đăng nhập"):
            authenticate(s, "vp", "wrong-password")
        with pytest.raises(PermissionDenied):
            authenticate(s, "nobody", PASSWORD)
        set_active(s, "xem", False)
    with db.session() as s, pytest.raises(PermissionDenied):
        authenticate(s, "xem", PASSWORD)


def test_viewer_reads_but_cannot_write(org) -> None:
    from cchc_desktop.services.task_queries import list_tasks

    db = _as(org, "xem")
    with db.session() as s:
        assert len(list_tasks(s, date(2024, 12, 31))) == 2
    with pytest.raises(PermissionDenied, match="chỉ người quản trị"), db.session() as s:
        create_unit(s, "Phòng mới")
    with pytest.raises(PermissionDenied, match="chỉ được xem"), db.session() as s:
        svc.add_progress(s, org["own"], date(2024, 5, 1), "Đã xong")


def test_unit_edits_progress_of_its_own_tasks_only(org) -> None:
    db = _as(org, "vp")
    with db.session() as s:
        svc.add_progress(s, org["own"], date(2024, 5, 1), "Đã ban hành kế hoạch", 50)
        draft = svc.draft_from_task(svc.get_task(s, org["own"]))
        draft.completed_on, draft.completion_note = date(2024, 5, 2), "Kế hoạch số 12/KH-VP"
        svc.update_task(s, org["own"], draft)
    with pytest.raises(PermissionDenied, match="do đơn vị mình chủ trì"), db.session() as s:
        svc.add_progress(s, org["other"], date(2024, 5, 1), "Không phải việc của tôi")
    with pytest.raises(PermissionDenied, match="không được sửa: content"), db.session() as s:
        draft = svc.draft_from_task(svc.get_task(s, org["own"]))
        draft.content = "Đổi nội dung"
        svc.update_task(s, org["own"], draft)
    for action in (lambda s: svc.delete_task(s, org["own"]),
                   lambda s: svc.create_task(s, TaskDraft(content="x", lead_unit_id=org["vp"])),
                   lambda s: svc.extend_deadline(s, org["own"], date(2024, 12, 1), "xin gia hạn")):
        with pytest.raises(PermissionDenied), db.session() as s:
            action(s)
    with db.session() as s:
        task = svc.get_task(s, org["own"])
        assert task.completion_note == "Kế hoạch số 12/KH-VP"
        assert task.content == "Việc của VP"


def test_only_admins_manage_accounts(org) -> None:
    db = _as(org, "vp")
    with pytest.raises(PermissionDenied), db.session() as s:
        add_user(s, "newbie", PASSWORD, "admin")
    with db.session() as s:  # but anyone may change their own password
        from cchc_desktop.services.users import set_password

        set_password(s, "vp", "mat-khau-moi-456")
    with pytest.raises(ValidationError, match="ít nhất"), _as(org, "boss").session() as s:
        add_user(s, "newbie", "short", "viewer")


def test_login_required_rules(org) -> None:
    db = org["db"]
    with db.session() as s:
        assert login_required(s, server_mode=True)
        assert not login_required(s, server_mode=False)  # single PC: off by default
        set_require_login(s, True)
    with db.session() as s:
        assert login_required(s, server_mode=False)


def test_roles_through_the_cli(db, db_path, capsys: pytest.CaptureFixture,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    from cchc_desktop.cli.main import main

    monkeypatch.setenv("CCHC_NEW_PASSWORD", PASSWORD)
    base = ["--db", str(db_path)]
    assert main([*base, "units", "add", "Văn phòng Sở", "--short", "VP"]) == 0
    assert main([*base, "users", "add", "boss", "--role", "admin"]) == 0
    assert main([*base, "users", "add", "vp", "--role", "unit", "--unit", "VP"]) == 0
    assert main([*base, "users", "add", "xem", "--role", "viewer"]) == 0
    assert main([*base, "users", "require-login", "on"]) == 0
    capsys.readouterr()
    assert main([*base, "units", "list"]) == 1
    assert "CCHC_USER" in capsys.readouterr().err
    monkeypatch.setenv("CCHC_USER", "xem")
    monkeypatch.setenv("CCHC_PASSWORD", PASSWORD)
    assert main([*base, "units", "list"]) == 0
    assert main([*base, "units", "add", "Phòng mới"]) == 1
    assert "chỉ người quản trị" in capsys.readouterr().err
    monkeypatch.setenv("CCHC_PASSWORD", "wrong")
    assert main([*base, "units", "list"]) == 1
    assert "Sai tên đăng nhập" in capsys.readouterr().err
    monkeypatch.setenv("CCHC_USER", "boss")
    monkeypatch.setenv("CCHC_PASSWORD", PASSWORD)
    assert main([*base, "users", "disable", "xem"]) == 0
    assert main([*base, "users", "list", "--json"]) == 0
    assert '"active": false' in capsys.readouterr().out
    assert main([*base, "audit", "--user", "boss"]) == 0
    assert "user #3" in capsys.readouterr().out
    assert os.environ["CCHC_USER"] == "boss"
