"""The shared server enforces each role's rights by itself (cchc server setup).

Every check connects as the person's own PostgreSQL role, with psycopg or psql, and
tries the statement directly: nothing of the application stands in the way.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from tests.conftest import SERVER_OWNER, SERVER_OWNER_PASSWORD
from tests.server_fixture import PASSWORD, Server, _cli, _setup, server_fixture  # noqa: F401

pytestmark = pytest.mark.postgres
GENESIS = "0" * 64


def _refused(conn: psycopg.Connection, sql: str, params: tuple = ()) -> str:
    """Run ``sql``; it must fail for lack of privilege. Returns the server's message."""
    with pytest.raises(errors.InsufficientPrivilege) as caught:
        conn.execute(sql, params)
    return str(caught.value)


def test_viewer_reads_but_writes_nothing(server: Server) -> None:
    with server.connect(server.viewer) as conn:
        assert conn.execute("SELECT count(*) FROM tasks").fetchone() == (2,)
        _refused(conn, "UPDATE tasks SET note = 'x'")
        _refused(conn, "UPDATE tasks SET completion_note = 'x' WHERE id = %s",
                 (server.own_task,))
        _refused(conn, "INSERT INTO units (name, kind, active, position, created_at) "
                       "VALUES ('Phòng mới', 'division', true, 0, now())")
        _refused(conn, "DELETE FROM plans")
        _refused(conn, "INSERT INTO progress_updates (task_id, on_date, note, source, "
                       "created_at) VALUES (%s, current_date, 'x', '', now())",
                 (server.own_task,))
        _refused(conn, "DELETE FROM audit_log")


def test_unit_changes_progress_of_its_own_tasks_only(server: Server) -> None:
    with server.connect(server.unit) as conn:
        done = conn.execute("UPDATE tasks SET completed_on = '2024-06-01', "
                            "completion_note = 'Đã ban hành', note = 'xong' WHERE id = %s",
                            (server.own_task,))
        assert done.rowcount == 1
        # Another unit's task: row-level security leaves it out of reach.
        other = conn.execute("UPDATE tasks SET completion_note = 'x' WHERE id = %s",
                             (server.other_task,))
        assert other.rowcount == 0
        conn.execute("INSERT INTO progress_updates (task_id, on_date, note, source, created_at)"
                     " VALUES (%s, current_date, 'Đang làm', '', now())", (server.own_task,))
        _refused(conn, "INSERT INTO progress_updates (task_id, on_date, note, source, "
                       "created_at) VALUES (%s, current_date, 'x', '', now())",
                 (server.other_task,))
        _refused(conn, "INSERT INTO extension_requests (task_id, requested_due, reason, source,"
                       " requested_on, status, decision_note, document, created_at) VALUES "
                       "(%s, '2025-01-31', 'x', '', current_date, 'pending', '', '', now())",
                 (server.other_task,))
        _refused(conn, "UPDATE tasks SET due_date = '2030-01-01' WHERE id = %s",
                 (server.own_task,))
        _refused(conn, "UPDATE tasks SET lead_unit_id = NULL WHERE id = %s",
                 (server.own_task,))
        _refused(conn, "UPDATE units SET name = 'x'")
        _refused(conn, "UPDATE plans SET title = 'x'")
        _refused(conn, "UPDATE users SET role = 'admin'")
        _refused(conn, "INSERT INTO scores (criterion_id, self_note, explanation, council_note,"
                       " updated_at, version) VALUES (1, '', '', '', now(), 1)")
        _refused(conn, "DELETE FROM scoring_frameworks")
        _refused(conn, "DELETE FROM tasks WHERE id = %s", (server.own_task,))
        rows = conn.execute("SELECT completion_note FROM tasks ORDER BY id").fetchall()
    assert rows == [("Đã ban hành",), ("",)]


def test_admin_works_but_cannot_touch_the_audit_machinery(server: Server) -> None:
    with server.connect(server.admin) as conn:
        conn.execute("UPDATE tasks SET due_date = '2024-12-31' WHERE id = %s",
                     (server.other_task,))
        conn.execute("INSERT INTO units (name, kind, active, position, created_at) "
                     "VALUES ('Phòng mới', 'division', true, 0, now())")
        _refused(conn, "UPDATE audit_log SET username = 'ai_do'")
        _refused(conn, "DELETE FROM audit_log")
        _refused(conn, "TRUNCATE audit_log")
        _refused(conn, "INSERT INTO audit_log (at, username, action, entity) "
                       "VALUES (now(), 'x', 'create', 'task')")
        _refused(conn, "ALTER TABLE tasks DISABLE TRIGGER cchc_audit")
        _refused(conn, "ALTER TABLE tasks DISABLE TRIGGER ALL")
        _refused(conn, "DROP TABLE audit_log")
        _refused(conn, "ALTER TABLE audit_log ADD COLUMN x integer")
        _refused(conn, "DROP TRIGGER cchc_audit ON tasks")
        _refused(conn, f"GRANT cchc_admin TO {server.viewer}")
        _refused(conn, f"ALTER ROLE {server.viewer} PASSWORD 'abc'")
        _refused(conn, "CREATE TABLE public.mine (x integer)")
        _refused(conn, "UPDATE users SET role = 'admin'")
        _refused(conn, "SELECT cchc_server.audit_append('create', 'task', 1, NULL, NULL, NULL)")
        _refused(conn, f"SELECT cchc_server.set_password('{SERVER_OWNER}', 'SCRAM-SHA-256$x')")
        _refused(conn, "CREATE OR REPLACE FUNCTION cchc_server.my_unit() RETURNS integer "
                       "LANGUAGE sql AS 'SELECT 1'")
    with server.superuser() as conn:
        who = conn.execute("SELECT username, field FROM audit_log WHERE entity = 'task' "
                           "AND field = 'due_date'").fetchall()
    assert who == [(server.admin, "due_date")]


def test_psql_as_each_role(server: Server) -> None:
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql not installed")

    def run(user: str, sql: str) -> subprocess.CompletedProcess[str]:
        env = {"PGPASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"}
        return subprocess.run([psql, "-X", "-v", "ON_ERROR_STOP=1", "-h", server.host,
                               "-p", str(server.port), "-U", user, "-d", server.database,
                               "-c", sql], capture_output=True, text=True, env=env, timeout=60)

    refused = run(server.viewer, "UPDATE tasks SET note = 'psql'")
    assert refused.returncode != 0 and "permission denied" in refused.stderr
    refused = run(server.admin, "ALTER TABLE audit_log DISABLE TRIGGER ALL")
    assert refused.returncode != 0 and "must be owner" in refused.stderr
    done = run(server.unit, f"UPDATE tasks SET note = 'psql' WHERE id = {server.own_task}")
    assert done.returncode == 0 and "UPDATE 1" in done.stdout, done.stderr


def _chain_breaks(conn: psycopg.Connection) -> int | None:
    """The id of the first row whose hash does not follow AUDIT_CHAIN_SPEC.md; None if whole."""
    prev = GENESIS
    for row in conn.execute("SELECT id, at, username, action, entity, entity_id, field, "
                            "old_value, new_value, prev_hash, row_hash FROM audit_log "
                            "ORDER BY id"):
        fields = [row[1].strftime("%Y-%m-%d %H:%M:%S"), *row[2:9]]
        canonical = "\x1f".join("\\N" if v is None else str(v) for v in fields)
        expected = hashlib.sha256(f"{prev}\x1f{canonical}".encode()).hexdigest()
        if row[9] != prev or row[10] != expected:
            return int(row[0])
        prev = row[10]
    return None


def _has_chain(conn: psycopg.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                        "'audit_log' AND column_name = 'row_hash'").fetchone() == (1,)


def test_triggers_write_session_user_and_a_valid_chain(
        server: Server, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def verify() -> tuple[int, str]:
        return _cli(monkeypatch, capsys, ["--db", server.pc_url(), "audit", "verify"],
                    CCHC_USER=server.viewer, CCHC_PASSWORD=PASSWORD)

    with server.connect(server.unit) as conn:
        conn.execute("UPDATE tasks SET completion_note = 'Báo cáo số 5' WHERE id = %s",
                     (server.own_task,))
    with server.superuser() as conn:
        rows = conn.execute("SELECT username, action, entity, entity_id, old_value, new_value "
                            "FROM audit_log WHERE field = 'completion_note'").fetchall()
        assert rows == [(server.unit, "update", "task", server.own_task, "", "Báo cáo số 5")]
        users = {r[0] for r in conn.execute("SELECT DISTINCT username FROM audit_log")}
        assert users == {SERVER_OWNER, server.unit}
        if not _has_chain(conn):
            pytest.skip("audit_log has no hash chain in this schema (migration 0009)")
        assert _chain_breaks(conn) is None
        code, output = verify()
        assert code == 0, output
        # The owner (or a superuser) can still rewrite a row; the chain names it.
        target = conn.execute("SELECT id FROM audit_log WHERE field = 'completion_note'"
                              ).fetchone()[0]
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
        conn.execute("UPDATE audit_log SET new_value = 'sửa lén' WHERE id = %s", (target,))
        assert _chain_breaks(conn) == target
        code, output = verify()
        assert code == 4 and f"dòng số {target}" in output, output


def test_check_names_audit_triggers_switched_off_by_the_owner(
        server: Server, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def check() -> tuple[int, str]:
        return _cli(monkeypatch, capsys, ["--db", server.pc_url(), "check"],
                    CCHC_USER=server.viewer, CCHC_PASSWORD=PASSWORD)

    assert check()[0] == 0
    with server.superuser() as conn:
        conn.execute("ALTER TABLE plans DISABLE TRIGGER cchc_audit")
        conn.execute("DROP TRIGGER cchc_audit ON units")
        conn.execute("ALTER TABLE tasks DISABLE ROW LEVEL SECURITY")
    code, output = check()
    assert code == 4, output
    assert "plans" in output and "units" in output and "tasks" in output, output


def test_setup_twice_changes_nothing(server: Server, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    def state() -> list[tuple]:
        with server.superuser() as conn:
            found: list[tuple] = []
            for sql in (
                "SELECT grantee, table_name, privilege_type FROM "
                "information_schema.role_table_grants WHERE table_schema = 'public' ORDER BY 1,2,3",
                "SELECT grantee, table_name, column_name, privilege_type FROM "
                "information_schema.column_privileges WHERE table_schema = 'public' "
                "ORDER BY 1,2,3,4",
                "SELECT tablename, policyname, cmd, roles::text, qual, with_check FROM pg_policies "
                "ORDER BY 1,2",
                "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
                "WHERE NOT tgisinternal ORDER BY 1,2",
                "SELECT proname, proacl::text, prosecdef, proconfig::text FROM pg_proc "
                "WHERE pronamespace = 'cchc_server'::regnamespace ORDER BY 1",
                "SELECT relname, relrowsecurity, relforcerowsecurity, relacl::text FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace ORDER BY 1",
                "SELECT count(*) FROM audit_log",
                "SELECT r.rolname, g.rolname FROM pg_auth_members m JOIN pg_roles r ON "
                "r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname LIKE "
                "'cchc\\_%' ORDER BY 1,2",
            ):
                found.extend(conn.execute(sql).fetchall())
            return found

    before = state()
    _setup(server, monkeypatch, capsys)
    assert state() == before


def test_old_application_password_hashes_are_not_left_readable(
        auth_pg_server, owned_database: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Accounts made before the server was set up: their argon2 hashes go, the rows stay."""
    from cchc_desktop.services.users import add_user
    from cchc_desktop.store.db import open_database

    srv = Server("127.0.0.1", auth_pg_server.port, owned_database, "", "", "", 0, 0, 0)
    monkeypatch.setenv("PGPASSWORD", SERVER_OWNER_PASSWORD)
    db = open_database(srv.owner_url())
    with db.session() as s:
        add_user(s, "cu", "mat-khau-cu-123", "viewer")
    db.close()
    _setup(srv, monkeypatch, capsys)
    with srv.superuser() as conn:
        assert conn.execute("SELECT username, password_hash FROM users").fetchall() == [
            ("cu", "")]
        logged = conn.execute("SELECT old_value, new_value, username FROM audit_log "
                              "WHERE field = 'password_hash'").fetchall()
    assert logged == [("***", "***", SERVER_OWNER)]


def test_setup_refuses_a_group_given_more_than_its_rights(
        server: Server, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Someone made the viewers' group a member of the administrators': setup says so."""
    with server.superuser() as conn:
        conn.execute("GRANT cchc_admin TO cchc_viewer")
    try:
        code, output = _cli(monkeypatch, capsys, ["server", "setup", "--db", server.owner_url()],
                            PGPASSWORD=SERVER_OWNER_PASSWORD)
        assert code == 1 and "cchc_viewer" in output and "vượt mức" in output, output
    finally:
        with server.superuser() as conn:
            conn.execute("REVOKE cchc_admin FROM cchc_viewer")


def test_wrong_password_is_the_usual_refusal(server: Server, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _cli(monkeypatch, capsys, ["--db", server.pc_url(), "tasks", "list"],
                        CCHC_USER=server.viewer, CCHC_PASSWORD="sai-mat-khau")
    assert code == 1
    assert "Sai tên đăng nhập hoặc mật khẩu" in output
    assert "psycopg" not in output and "FATAL" not in output
    code, output = _cli(monkeypatch, capsys, ["--db", server.pc_url(), "tasks", "list"])
    assert code == 1 and "CCHC_USER" in output


def test_application_end_to_end_as_each_role(server: Server, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    def as_(user: str, *argv: str) -> tuple[int, str]:
        return _cli(monkeypatch, capsys, ["--db", server.pc_url(), *argv], CCHC_USER=user,
                    CCHC_PASSWORD=PASSWORD, CCHC_NEW_PASSWORD="mat-khau-moi-456")

    code, output = as_(server.viewer, "tasks", "list")
    assert code == 0 and "Việc của VP" in output, output
    code, output = as_(server.viewer, "units", "add", "Phòng mới")
    assert code == 1 and server.viewer in output, output
    code, output = as_(server.unit, "extensions", "request", str(server.own_task), "--to",
                       "2025-03-31", "--reason", "Chờ số liệu")
    assert code == 0, output
    code, output = as_(server.unit, "tasks", "set", str(server.own_task),
                       "--completed", "2024-06-01")
    assert code == 0, output
    code, output = as_(server.unit, "tasks", "set", str(server.other_task),
                       "--completed", "2024-06-01")
    assert code == 1, output
    code, output = as_(server.unit, "tasks", "set", str(server.own_task), "--due", "2030-01-01")
    assert code == 1, output
    code, output = as_(server.admin, "units", "add", "Phòng Kế hoạch")
    assert code == 0, output
    code, output = as_(server.admin, "tasks", "set", str(server.other_task),
                       "--due", "2024-12-31")
    assert code == 0, output
    with server.superuser() as conn:
        created = conn.execute("SELECT username FROM audit_log WHERE entity = 'unit' AND "
                               "action = 'create' AND new_value LIKE '%Phòng Kế hoạch%'"
                               ).fetchall()
        completed = conn.execute("SELECT username, new_value FROM audit_log WHERE "
                                 "field = 'completed_on'").fetchall()
    assert created == [(server.admin,)]  # once: the Python writer stays silent on the server
    assert completed == [(server.unit, "2024-06-01")]
    code, output = as_(server.viewer, "audit", "--entity", "task")
    assert code == 0 and "completed_on" in output, output
    proof = tmp_path / "bien-ban.pdf"
    proof.write_bytes(b"%PDF-1.4 bien ban\n")
    code, output = as_(server.unit, "evidence", "add", str(proof), "--task",
                       str(server.own_task))
    assert code == 0, output
    code, output = as_(server.viewer, "check")
    assert code == 0 and "hash chain whole" in output, output


def test_accounts_through_cchc_users(server: Server, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    def as_(user: str, password: str, *argv: str, new: str = "mat-khau-moi-456"
            ) -> tuple[int, str]:
        return _cli(monkeypatch, capsys, ["--db", server.pc_url(), *argv], CCHC_USER=user,
                    CCHC_PASSWORD=password, CCHC_NEW_PASSWORD=new)

    code, output = as_(server.viewer, PASSWORD, "users", "passwd", server.viewer)
    assert code == 0, output
    server.connect(server.viewer, "mat-khau-moi-456").close()
    code, output = as_(server.unit, PASSWORD, "users", "add", "ke_gian", "--role", "admin")
    assert code == 1, output
    code, output = as_(server.admin, PASSWORD, "users", "passwd", server.unit)
    assert code == 0, output
    code, output = as_(server.admin, PASSWORD, "users", "disable", server.viewer)
    assert code == 0, output
    code, output = as_(server.viewer, "mat-khau-moi-456", "tasks", "list")
    assert code == 1 and "Sai tên đăng nhập hoặc mật khẩu" in output
    for odd in ('x"; DROP TABLE tasks; --', "Nguyen Van A", "cchc_admin", "pg_x", "A"):
        code, output = as_(server.admin, PASSWORD, "users", "add", odd, "--role", "viewer")
        assert code == 2 and "không dùng được" in output, (odd, output)
    tag = uuid.uuid4().hex[:6]
    code, output = as_(server.admin, PASSWORD, "users", "add", f"moi_{tag}", "--role",
                       "viewer", new="mat-khau-cua-moi-1")
    assert code == 0, output
    with server.connect(f"moi_{tag}", "mat-khau-cua-moi-1") as conn:
        assert conn.execute("SELECT pg_has_role('cchc_viewer', 'MEMBER')").fetchone() == (True,)
        _refused(conn, "UPDATE tasks SET note = 'x'")
    # The account's row is audited in the name of the administrator who added it.
    with server.superuser() as conn:
        rows = conn.execute("SELECT username FROM audit_log WHERE entity = 'user' AND "
                            "action = 'create' AND new_value LIKE %s", (f"%moi_{tag}%",)
                            ).fetchall()
    assert rows == [(server.admin,)]


def test_disabling_an_account_ends_its_open_sessions(server: Server,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # NOLOGIN alone refuses new sessions only: a person whose account is disabled while the
    # program is open must not keep working in it.
    still_open = server.connect(server.viewer)
    assert still_open.execute("SELECT count(*) FROM tasks").fetchone() == (2,)
    with still_open, server.connect(server.admin) as admin_conn:
        admin_conn.execute("SELECT count(*) FROM tasks")  # another account's session
        code, output = _cli(monkeypatch, capsys, ["--db", server.pc_url(), "users", "disable",
                                                   server.viewer],
                            CCHC_USER=server.admin, CCHC_PASSWORD=PASSWORD)
        assert code == 0, output
        with pytest.raises(psycopg.OperationalError):
            for _ in range(50):  # the signal is delivered at once; its effect a moment later
                still_open.execute("SELECT 1")
                time.sleep(0.1)
        assert admin_conn.execute("SELECT 1").fetchone() == (1,)  # others keep theirs
    with server.superuser() as conn:  # the owner's membership was only for the moment
        assert conn.execute(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            "WHERE r.rolname = %s", (server.viewer,)).fetchone() == (0,)


def test_ending_sessions_leaves_a_membership_it_found_as_it_was(
        server: Server, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # IT had made the owner a member of the account: the sessions still end, and that
    # membership is not taken away with the one of the moment.
    def members() -> int:
        with server.superuser() as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                "JOIN pg_roles o ON o.oid = m.member WHERE r.rolname = %s AND o.rolname = %s",
                (server.unit, SERVER_OWNER)).fetchone()[0]

    with server.superuser() as conn:
        conn.execute(f'GRANT "{server.unit}" TO "{SERVER_OWNER}"')
    assert members() == 1
    with server.connect(server.unit) as still_open:
        code, output = _cli(monkeypatch, capsys, ["--db", server.pc_url(), "users", "disable",
                                                   server.unit],
                            CCHC_USER=server.admin, CCHC_PASSWORD=PASSWORD)
        assert code == 0, output
        with pytest.raises(psycopg.OperationalError):
            for _ in range(50):
                still_open.execute("SELECT 1")
                time.sleep(0.1)
    assert members() == 1


def test_setup_after_an_upgrade_covers_the_new_table(server: Server,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A table a later migration adds is readable at once (default privileges) and gets its
    write grants and audit trigger when setup runs again."""
    with psycopg.connect(host=server.host, port=server.port, dbname=server.database,
                         user=SERVER_OWNER, password=SERVER_OWNER_PASSWORD,
                         autocommit=True) as owner:
        owner.execute("CREATE TABLE later_table (id serial PRIMARY KEY, note text)")
    with server.connect(server.viewer) as conn:
        assert conn.execute("SELECT count(*) FROM later_table").fetchone() == (0,)
    with server.connect(server.admin) as conn:
        _refused(conn, "INSERT INTO later_table (note) VALUES ('x')")
    _setup(server, monkeypatch, capsys)
    with server.connect(server.admin) as conn:
        conn.execute("INSERT INTO later_table (note) VALUES ('sau nâng cấp')")
    with server.connect(server.viewer) as conn:
        _refused(conn, "DELETE FROM later_table")
    with server.superuser() as conn:
        rows = conn.execute("SELECT username, action FROM audit_log WHERE entity = 'later_table'"
                            ).fetchall()
    assert rows == [(server.admin, "create")]


def test_a_refusal_by_the_server_is_a_clear_sentence(server: Server,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever slips past the application's checks, the server's refusal reads as one."""
    from sqlalchemy import text

    from cchc_desktop.errors import PermissionDenied
    from cchc_desktop.store.db import open_database

    db = open_database(server.pc_url(), login=(server.viewer, PASSWORD))
    try:
        with pytest.raises(PermissionDenied, match="không có quyền.*máy chủ từ chối"), db.session() as session:
            session.execute(text("UPDATE units SET name = 'x'"))
    finally:
        db.close()
