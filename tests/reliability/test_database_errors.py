"""Every database error that reaches a user is a Vietnamese sentence, never SQL.

Each error is provoked for real, on SQLite and on the PostgreSQL server of the tests (a
duplicate, a link to a missing row, a locked file, a full disk, a role without rights,
row-level security, a serialization failure, a deadlock, a cancelled statement, a refused
and a killed connection), and what the user would read is checked for SQL and English.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import cchc_desktop
from cchc_desktop.errors import DatabaseProblem, EnvironmentProblem, UserError
from cchc_desktop.store.db import open_database
from cchc_desktop.store.db_errors import describe_database_error
from cchc_desktop.store.models import Task, Unit

_NOT_FOR_USERS = re.compile(
    r"\b(select|insert|update|delete|values|where|from|into|constraint|violates|duplicate|"
    r"failed|error|denied|permission|relation|table|column|key|sql|psycopg|sqlite3|"
    r"integrity|operational|background|parameters|server|connection|refused)\b",
    re.IGNORECASE)


def plain(message: str) -> str:
    """``message`` after checking it is Vietnamese prose: no SQL, no driver English."""
    assert message, "no message"
    assert not _NOT_FOR_USERS.search(message), message
    assert re.search("[ăâđêôơưạảấầẩậắằẳặẹẻẽếềểễệịọỏốồổộớờởợụủứừửữựỳỵỷỹ]", message), message
    return message


def refused(db, work) -> str:  # noqa: ANN001
    """The message of the error ``work(session)`` ends in, through Database.session()."""
    with pytest.raises(UserError) as caught, db.session() as session:
        work(session)
    cause = caught.value.__cause__
    account = db.engine.url.username
    assert cause is not None
    assert describe_database_error(cause, account=account) == caught.value.message
    return plain(caught.value.message)


def _unit(name: str, kind: str = "division") -> Unit:
    return Unit(name=name, kind=kind, position=1)


# --------------------------------------------------------------------------- both databases


def test_a_duplicate_names_what_is_duplicated(any_db) -> None:  # noqa: ANN001
    with any_db.session() as session:
        session.add(_unit("Văn phòng Sở"))

    def again(session) -> None:  # noqa: ANN001
        session.add(_unit("Văn phòng Sở"))
        session.flush()

    message = refused(any_db, again)
    assert "tên đơn vị" in message and "đã có" in message


def test_a_link_to_a_missing_row(any_db) -> None:  # noqa: ANN001
    def orphan(session) -> None:  # noqa: ANN001
        session.add(Task(content="Việc", year=2024, lead_unit_id=999))
        session.flush()

    assert "trỏ tới" in refused(any_db, orphan)


def test_the_append_only_audit_log(any_db) -> None:  # noqa: ANN001
    with any_db.session() as session:
        session.add(_unit("Thanh tra Sở"))

    def rewrite(session) -> None:  # noqa: ANN001
        session.execute(text("UPDATE audit_log SET username = 'x'"))

    assert refused(any_db, rewrite) == "Nhật ký thay đổi chỉ được ghi thêm, không được sửa hay xóa."


# --------------------------------------------------------------------------- SQLite


def test_sqlite_locked_by_another_program(db, db_path: Path) -> None:  # noqa: ANN001
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        def write(session) -> None:  # noqa: ANN001
            session.connection().exec_driver_sql("PRAGMA busy_timeout=50")
            session.add(_unit("Phòng A"))
            session.flush()

        with pytest.raises(EnvironmentProblem) as caught, db.session() as session:
            write(session)
        assert "khóa" in plain(caught.value.message)
        assert describe_database_error(caught.value.__cause__) == caught.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_sqlite_disk_full(db) -> None:  # noqa: ANN001
    def fill(session) -> None:  # noqa: ANN001
        conn = session.connection()
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count={pages + 2}")
        for i in range(200):
            session.add(Task(content="x" * 5000 + str(i), year=2024))
        session.flush()

    with pytest.raises(EnvironmentProblem) as caught, db.session() as session:
        fill(session)
    assert "đầy" in plain(caught.value.message)


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def pg_fresh(pg_url: str):  # noqa: ANN201
    """A migrated database of its own (the tests below change grants and policies)."""
    database = open_database(pg_url)
    yield database
    database.close()


def _as_role(database, role: str, *grants: str):  # noqa: ANN001, ANN202
    """A login role with only ``grants``; the Database opened as it."""
    with database.engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        for grant in grants:
            conn.execute(text(grant.format(role=f'"{role}"')))
    url = database.engine.url.set(username=role).render_as_string(hide_password=False)
    return open_database(url, migrate=False)


@pytest.mark.postgres
def test_postgres_role_without_rights_is_named(pg_fresh) -> None:  # noqa: ANN001
    role = f"xem_{uuid.uuid4().hex[:6]}"
    viewer = _as_role(pg_fresh, role, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    try:
        def add(session) -> None:  # noqa: ANN001
            session.add(_unit("Phòng mới"))
            session.flush()

        message = refused(viewer, add)
        assert f"Tài khoản '{role}' không có quyền" in message and "đơn vị" in message
    finally:
        viewer.close()


@pytest.mark.postgres
def test_postgres_row_level_security(pg_fresh) -> None:  # noqa: ANN001
    role = f"dv_{uuid.uuid4().hex[:6]}"
    with pg_fresh.engine.begin() as conn:
        conn.execute(text("ALTER TABLE units ENABLE ROW LEVEL SECURITY"))
    unit = _as_role(
        pg_fresh, role, "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {role}",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        "CREATE POLICY own_kind ON units TO {role} USING (kind = 'school') "
        "WITH CHECK (kind = 'school')")
    try:
        def add(session) -> None:  # noqa: ANN001
            session.add(_unit("Phòng khác", kind="division"))
            session.flush()

        message = refused(unit, add)
        assert f"Tài khoản '{role}' không được phép thay đổi dòng đơn vị" in message
    finally:
        unit.close()


@pytest.mark.postgres
def test_postgres_serialization_failure_says_try_again(pg_db) -> None:  # noqa: ANN001
    with pg_db.session() as session:
        session.add(_unit("Văn phòng Sở"))
    other = create_engine(pg_db.url)
    try:
        def stale_update(session) -> None:  # noqa: ANN001
            conn = session.connection()
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            conn.exec_driver_sql("SELECT count(*) FROM units").scalar()  # the snapshot
            with other.begin() as o:  # another PC saves the same row meanwhile
                o.execute(text("UPDATE units SET short_name = 'VP'"))
            conn.exec_driver_sql("UPDATE units SET short_name = 'VPS'")

        assert "thử lại" in refused(pg_db, stale_update)
    finally:
        other.dispose()


@pytest.mark.postgres
def test_postgres_deadlock_says_try_again(pg_db) -> None:  # noqa: ANN001
    import threading

    with pg_db.session() as session:
        session.add_all([_unit("Phòng A"), _unit("Phòng B")])
    other = create_engine(pg_db.url)
    other_conn = other.connect()
    other_tx = other_conn.begin()
    # The other PC waits long before looking for a deadlock: this session finds it first.
    other_conn.execute(text("SET deadlock_timeout = '20s'"))
    other_conn.execute(text("UPDATE units SET short_name = 'b' WHERE name = 'Phòng B'"))
    waiter = threading.Thread(target=lambda: other_conn.execute(
        text("UPDATE units SET short_name = 'a' WHERE name = 'Phòng A'")))
    try:
        def crossing(session) -> None:  # noqa: ANN001
            conn = session.connection()
            conn.exec_driver_sql("SET deadlock_timeout = '200ms'")
            conn.exec_driver_sql("UPDATE units SET short_name = 'a2' WHERE name = 'Phòng A'")
            waiter.start()  # the other PC now waits for row A, held here
            conn.exec_driver_sql("SELECT pg_sleep(0.3)")
            conn.exec_driver_sql("UPDATE units SET short_name = 'b2' WHERE name = 'Phòng B'")

        assert "thử lại" in refused(pg_db, crossing)
    finally:
        waiter.join(timeout=30)
        other_tx.rollback()
        other_conn.close()
        other.dispose()


@pytest.mark.postgres
def test_postgres_cancelled_statement(pg_db) -> None:  # noqa: ANN001
    def slow(session) -> None:  # noqa: ANN001
        conn = session.connection()
        conn.exec_driver_sql("SET LOCAL statement_timeout = 50")
        conn.exec_driver_sql("SELECT pg_sleep(2)")

    assert "hủy" in refused(pg_db, slow)


@pytest.mark.postgres
def test_postgres_connection_killed_by_the_server(pg_db) -> None:  # noqa: ANN001
    killer = create_engine(pg_db.url, isolation_level="AUTOCOMMIT")
    try:
        def killed(session) -> None:  # noqa: ANN001
            conn = session.connection()
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with killer.connect() as k:
                k.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            conn.exec_driver_sql("SELECT 1")

        assert "Mất kết nối" in refused(pg_db, killed)
    finally:
        killer.dispose()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_postgres_server_not_reachable() -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        open_database(f"postgresql+psycopg://cchc@127.0.0.1:{_closed_port()}/cchc")
    assert "Không kết nối được" in plain(caught.value.message)


# --------------------------------------------------------------------------- the front ends


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(cchc_desktop.__file__).resolve().parents[1])}
    return subprocess.run([sys.executable, "-m", "cchc_desktop.cli.main", *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.postgres
def test_cli_says_what_the_server_refused(pg_fresh) -> None:  # noqa: ANN001
    role = f"cli_{uuid.uuid4().hex[:6]}"
    viewer = _as_role(pg_fresh, role, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    url = viewer.url
    viewer.close()
    result = _cli("--db", url, "units", "add", "Phòng mới")
    assert result.returncode == 1, result.stderr
    line = result.stderr.strip()
    assert line.startswith("error: Tài khoản") and "\n" not in line, line
    plain(line.removeprefix("error: ").split(" (chi tiết kỹ thuật")[0])


def test_cli_unreachable_server() -> None:
    result = _cli("--db", f"postgresql+psycopg://cchc@127.0.0.1:{_closed_port()}/cchc",
                  "tasks", "list")
    assert result.returncode == 1
    plain(result.stderr.removeprefix("error: ").strip())


def test_gui_error_report_words_a_database_error(db, monkeypatch) -> None:  # noqa: ANN001
    """An IntegrityError that escaped outside a transaction of Database.session()."""
    from sqlalchemy.exc import IntegrityError

    from cchc_desktop.gui.common import dialogs, error_report

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, message, *a: shown.append(message))
    with db.engine.connect() as conn:
        add = ("INSERT INTO units (name, kind, position, active, created_at) "
               "VALUES ('Văn phòng Sở', 'division', 1, 1, '2024-01-01 00:00:00')")
        conn.execute(text(add))
        with pytest.raises(IntegrityError) as caught:
            conn.execute(text(add))
    text_shown = error_report.report_exception(caught.value)
    assert shown == [text_shown]
    plain(text_shown.split(" (Chi tiết kỹ thuật")[0])
    assert "tên đơn vị" in text_shown


def test_not_a_database_error_is_left_alone() -> None:
    assert describe_database_error(ValueError("x")) is None
    assert issubclass(DatabaseProblem, EnvironmentProblem)
