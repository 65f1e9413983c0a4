"""Accounts against guessing: lockout after wrong passwords, same time for unknown names,
no blank passwords; the lock survives a restart and is in the audit log."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cchc_desktop.errors import PermissionDenied, ValidationError
from cchc_desktop.services.users import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    AccountLocked,
    add_user,
    authenticate,
    set_password,
)

PASSWORD = "mat-khau-123"
T0 = datetime(2026, 3, 2, 9, 0, 0)


@pytest.fixture
def accounts(any_db):
    """An administrator and a viewer, on SQLite and on PostgreSQL."""
    with any_db.session() as s:
        add_user(s, "boss", PASSWORD, "admin")
        add_user(s, "xem", PASSWORD, "viewer")
    return any_db


def _try(db, username: str, password: str, now: datetime):
    with db.session() as s:
        return authenticate(s, username, password, now=now)


def test_five_wrong_passwords_lock_the_account_for_a_while(accounts) -> None:
    for attempt in range(1, MAX_FAILED_LOGINS):
        with pytest.raises(PermissionDenied, match="Sai tên đăng nhập") as refused:
            _try(accounts, "xem", f"sai-{attempt}", T0 + timedelta(seconds=attempt))
        assert not isinstance(refused.value, AccountLocked)
    with pytest.raises(AccountLocked) as locked:
        _try(accounts, "xem", "sai-5", T0 + timedelta(seconds=5))
    until = T0 + timedelta(seconds=5) + LOCKOUT
    assert locked.value.until == until
    assert f"thử lại sau {until:%H:%M} ngày {until:%d/%m/%Y}" in locked.value.message
    # Locked: even the right password is refused until the time has passed...
    with pytest.raises(AccountLocked):
        _try(accounts, "xem", PASSWORD, until - timedelta(seconds=1))
    # ...and then it works and the count starts again.
    assert _try(accounts, "xem", PASSWORD, until).username == "xem"
    with pytest.raises(PermissionDenied) as again:
        _try(accounts, "xem", "sai", until + timedelta(seconds=1))
    assert not isinstance(again.value, AccountLocked)


def test_a_right_password_resets_the_count(accounts) -> None:
    for attempt in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(PermissionDenied):
            _try(accounts, "xem", "sai", T0 + timedelta(seconds=attempt))
    _try(accounts, "xem", PASSWORD, T0 + timedelta(minutes=1))
    for attempt in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(PermissionDenied) as refused:
            _try(accounts, "xem", "sai", T0 + timedelta(minutes=2, seconds=attempt))
        assert not isinstance(refused.value, AccountLocked)


def test_an_empty_password_does_not_count(accounts) -> None:
    """A script run without CCHC_PASSWORD must not lock the account it runs as."""
    for attempt in range(MAX_FAILED_LOGINS + 2):
        with pytest.raises(PermissionDenied) as refused:
            _try(accounts, "boss", "", T0 + timedelta(seconds=attempt))
        assert not isinstance(refused.value, AccountLocked)
    assert _try(accounts, "boss", PASSWORD, T0 + timedelta(minutes=1)).role == "admin"


def test_an_administrator_lifts_a_lock_by_setting_a_new_password(accounts) -> None:
    for attempt in range(MAX_FAILED_LOGINS):
        with pytest.raises(PermissionDenied):
            _try(accounts, "xem", "sai", T0 + timedelta(seconds=attempt))
    with accounts.session() as s:
        set_password(s, "xem", "mat-khau-moi-456")
    assert _try(accounts, "xem", "mat-khau-moi-456", T0 + timedelta(minutes=1)).role == "viewer"


def test_the_lock_is_in_the_audit_log(accounts) -> None:
    from cchc_desktop.store.audit import list_audit

    for attempt in range(MAX_FAILED_LOGINS):
        with pytest.raises(PermissionDenied):
            _try(accounts, "xem", "sai", T0 + timedelta(seconds=attempt))
    with accounts.session() as s:
        rows = list_audit(s, entity="user", username="xem")
    locks = [r for r in rows if r.field == "locked_until" and r.new_value]
    assert len(locks) == 1
    assert locks[0].new_value.startswith(f"{T0 + timedelta(seconds=4) + LOCKOUT:%Y-%m-%dT%H:%M}")


def _median_seconds(action, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with pytest.raises(PermissionDenied):
            action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_an_unknown_name_takes_as_long_as_a_wrong_password(accounts) -> None:
    _try_unknown = lambda: _try(accounts, "khong-co-ai", PASSWORD, T0)  # noqa: E731
    with pytest.raises(PermissionDenied):
        _try_unknown()  # the dummy hash is made once, on first use
    wrong = _median_seconds(lambda: _try(accounts, "boss", "sai-mat-khau", T0))
    unknown = _median_seconds(_try_unknown)
    assert 0.4 < unknown / wrong < 2.5, (unknown, wrong)  # was about 0.01


@pytest.mark.parametrize("password", ["", "        ", " \t \t \t \t ", "\u3000" * 9])
def test_blank_passwords_are_refused(accounts, password: str) -> None:
    with pytest.raises(ValidationError, match="trống|ít nhất"), accounts.session() as s:
        add_user(s, "newbie", password, "viewer")
    with pytest.raises(ValidationError, match="trống|ít nhất"), accounts.session() as s:
        set_password(s, "xem", password)


def test_blank_password_through_the_cli(db_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from cchc_desktop.cli.main import main

    monkeypatch.setenv("CCHC_NEW_PASSWORD", " " * 12)
    assert main(["--db", str(db_path), "init"]) == 0
    assert main(["--db", str(db_path), "users", "add", "boss", "--role", "admin"]) == 2
    assert "trống" in capsys.readouterr().err


def test_the_lock_survives_a_restart_and_the_cli_says_until_when(db_path: Path,
                                                                 monkeypatch) -> None:
    """Each attempt is a new process: the count lives in the database, not in memory."""
    from cchc_desktop.cli.main import main

    monkeypatch.setenv("CCHC_NEW_PASSWORD", PASSWORD)
    base = ["--db", str(db_path)]
    assert main([*base, "init"]) == 0
    assert main([*base, "users", "add", "boss", "--role", "admin"]) == 0
    assert main([*base, "users", "require-login", "on"]) == 0

    def cli(password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cchc_desktop.cli.main", *base, "units", "list"],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
            env={**os.environ, "CCHC_USER": "boss", "CCHC_PASSWORD": password},
        )

    for _ in range(MAX_FAILED_LOGINS - 1):
        result = cli("sai-mat-khau")
        assert result.returncode == 1 and "Sai tên đăng nhập" in result.stderr
    result = cli("sai-mat-khau")
    assert result.returncode == 1 and "tạm khóa" in result.stderr
    result = cli(PASSWORD)  # the right password, in yet another process
    assert result.returncode == 1
    assert "tạm khóa" in result.stderr and "thử lại sau" in result.stderr
    assert "Traceback" not in result.stderr
