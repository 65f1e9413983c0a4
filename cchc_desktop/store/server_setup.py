"""`cchc server setup`: the rights a shared PostgreSQL server enforces by itself.

Run by IT as the database's owner (a role with CREATEROLE, not a superuser). It brings
the schema to the newest version and then, in one transaction, (re)applies:

- three group roles without log-in, ``cchc_admin``, ``cchc_unit``, ``cchc_viewer``; each
  person signs in with an own login role that is a member of exactly one of them
  (:mod:`cchc_desktop.store.server_logins`);
- nothing for PUBLIC (database, schema ``public``, tables, sequences, functions);
- SELECT on every table for every group; INSERT/UPDATE/DELETE for ``cchc_admin`` on the
  data tables except ``users`` (written only through the functions below) and
  ``audit_log`` (written only by the triggers); for ``cchc_unit`` UPDATE of the progress
  columns of ``tasks``, INSERT of progress notes, extension requests and evidence, and
  INSERT/DELETE of the evidence links of tasks;
- row-level security on the tables where a unit's rights depend on the row: a unit
  writes only rows of tasks its unit leads (its unit is the ``users`` row whose
  ``username`` is ``session_user``, which only the owner's functions write);
- an audit trigger on every data table, running as the owner (SECURITY DEFINER, fixed
  ``search_path``), that appends rows in the name of ``session_user`` and extends the
  hash chain of ``audit_log`` when the schema has one (AUDIT_CHAIN_SPEC: advisory lock
  4242001 held to commit, so commit order is id order);
- the application's own password hashes blanked (every group reads ``users``; the server
  checks passwords now).

Groups own nothing, so ``ALTER TABLE ... DISABLE TRIGGER``, ``DROP``, ``ALTER`` and
``TRUNCATE`` fail for every one of them. FORCE ROW LEVEL SECURITY is not used: it binds
only the owner, who may switch it off again, and it would make a migration run by the
owner silently skip rows. Everything is idempotent: the second run changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store.server_mode import AUDIT_TRIGGER

GROUPS = {"admin": "cchc_admin", "unit": "cchc_unit", "viewer": "cchc_viewer"}
FN_SCHEMA = "cchc_server"
CHAIN_LOCK = 4242001
# Tables no group writes directly: the log (triggers only), accounts (functions only),
# the schema version (migrations, run by the owner).
_ADMIN_READ_ONLY = {"audit_log", "users", "alembic_version"}
_NOT_AUDITED = {"audit_log", "alembic_version"}
# What a unit's focal point writes (services/access.py says the same for the application).
UNIT_TASK_COLUMNS = ("completed_on", "completion_note", "note", "updated_at", "version")
_UNIT_INSERTS = ("progress_updates", "extension_requests", "evidence", "evidence_blobs",
                 "evidence_links")
# Bookkeeping columns the application's log skips too (store/audit.py _SKIPPED).
_SKIPPED = ("version", "updated_at", "content_key", "created_at")
_ALL_GROUPS = ", ".join(GROUPS.values())


@dataclass(frozen=True)
class SetupReport:
    """What ``server setup`` did: the schema revision, the tables covered, the chain."""

    revision: str | None
    tables: int
    audited: int
    chained: bool
    owner: str


def _q(name: str) -> str:
    """A quoted identifier; names come from the catalog or from this module."""
    return '"' + name.replace('"', '""') + '"'


def _entity(table: str) -> str:
    """The entity name the application's log uses for ``table`` (``tasks`` -> ``task``)."""
    from cchc_desktop.store.audit import _class_entity, _mappers

    for mapped, mapper in _mappers().items():
        if mapped.name == table:
            return _class_entity(mapper.class_)
    return re.sub(r"s$", "", table)


def _tables(conn: Connection) -> list[str]:
    return list(conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )).scalars())


def _has_chain(conn: Connection) -> bool:
    return bool(conn.execute(text(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = 'audit_log' AND column_name IN ('prev_hash', 'row_hash')"
    )).scalar() == 2)


def _groups(conn: Connection) -> None:
    for group in GROUPS.values():
        conn.execute(text(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
            f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        ))
        # A group is a plain NOLOGIN role that is a member of nothing (not of the owner, not
        # of another group): otherwise its members would hold more than their rights.
        excessive = conn.execute(text(
            "SELECT r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb "
            "OR r.rolcanlogin OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid) "
            "FROM pg_roles r WHERE r.rolname = :g"
        ), {"g": group}).scalar()
        if excessive:
            raise EnvironmentProblem(
                f"Nhóm {group} trên máy chủ có quyền vượt mức (đăng nhập, tạo vai trò, siêu "
                "người dùng, bỏ qua bảo mật dòng hoặc là thành viên của vai trò khác). "
                "Hãy sửa bằng tài khoản quản trị PostgreSQL rồi chạy lại."
            )
        # PostgreSQL before 16: CREATEROLE manages every role that is not a superuser.
        admin_option = conn.execute(text(
            "SELECT rolsuper OR pg_has_role(current_user, :g, 'USAGE WITH ADMIN OPTION') "
            "OR (rolcreaterole AND current_setting('server_version_num')::int < 160000) "
            "FROM pg_roles WHERE rolname = current_user"), {"g": group}).scalar()
        if not admin_option:
            raise EnvironmentProblem(
                f"Tài khoản đang chạy không quản lý được nhóm {group} (nhóm do vai trò khác "
                "tạo). Hãy chạy bằng chủ cơ sở dữ liệu đã tạo nhóm, hoặc cấp cho nó "
                f"GRANT {group} TO <chủ> WITH ADMIN OPTION."
            )


def _privileges(conn: Connection, database: str, tables: list[str]) -> None:
    statements = [
        f"REVOKE ALL ON DATABASE {_q(database)} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {_q(database)} TO {_ALL_GROUPS}",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON SCHEMA public FROM {_ALL_GROUPS}",
        f"GRANT USAGE ON SCHEMA public TO {_ALL_GROUPS}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {_ALL_GROUPS}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {_ALL_GROUPS}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, {_ALL_GROUPS}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {_ALL_GROUPS}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cchc_admin",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {_ALL_GROUPS}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES "
        "TO cchc_admin",
        "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
    ]
    writable = [t for t in tables if t not in _ADMIN_READ_ONLY]
    if writable:
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(map(_q, writable))} "
                          "TO cchc_admin")
    statements.append(f"GRANT UPDATE ({', '.join(UNIT_TASK_COLUMNS)}) ON tasks TO cchc_unit")
    statements.append(f"GRANT INSERT ON {', '.join(_UNIT_INSERTS)} TO cchc_unit")
    statements.append("GRANT DELETE ON evidence_links TO cchc_unit")
    sequences = conn.execute(text(
        "SELECT pg_get_serial_sequence(c.table_name, c.column_name) "
        "FROM information_schema.columns c WHERE c.table_schema = 'public' "
        "AND c.column_name = 'id' AND c.table_name = ANY(CAST(:t AS text[]))"
    ), {"t": list(_UNIT_INSERTS)}).scalars()
    for sequence in sequences:
        if sequence:
            statements.append(f"GRANT USAGE ON SEQUENCE {sequence} TO cchc_unit")
    for statement in statements:
        conn.execute(text(statement))


def _functions(conn: Connection, chained: bool) -> None:
    from cchc_desktop.store.server_sql import function_statements

    conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {FN_SCHEMA}"))
    conn.execute(text(f"REVOKE ALL ON SCHEMA {FN_SCHEMA} FROM PUBLIC"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA {FN_SCHEMA} TO {_ALL_GROUPS}"))
    for statement in function_statements(chained=chained, skipped=_SKIPPED, lock=CHAIN_LOCK):
        conn.execute(text(statement))
    conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {FN_SCHEMA} FROM PUBLIC, "
                      f"{_ALL_GROUPS}"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {FN_SCHEMA}.add_login(text, text, text, "
                      f"integer, text), {FN_SCHEMA}.set_login(text, boolean) TO cchc_admin"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {FN_SCHEMA}.set_password(text, text), "
                      f"{FN_SCHEMA}.my_unit(), {FN_SCHEMA}.leads_task(integer) "
                      f"TO {_ALL_GROUPS}"))


def _policies(conn: Connection, tables: list[str]) -> None:
    own = f"{FN_SCHEMA}.leads_task(task_id)"
    unit_rules: dict[str, list[str]] = {
        "tasks": [f"FOR UPDATE TO cchc_unit USING (lead_unit_id = {FN_SCHEMA}.my_unit()) "
                  f"WITH CHECK (lead_unit_id = {FN_SCHEMA}.my_unit())"],
        "progress_updates": [f"FOR INSERT TO cchc_unit WITH CHECK ({own})"],
        "extension_requests": [f"FOR INSERT TO cchc_unit WITH CHECK ({own} "
                               "AND status = 'pending')"],
        "evidence_links": [
            f"FOR INSERT TO cchc_unit WITH CHECK (criterion_id IS NULL AND document_id IS NULL "
            f"AND {own})",
            f"FOR DELETE TO cchc_unit USING (criterion_id IS NULL AND document_id IS NULL "
            f"AND {own})",
        ],
    }
    for table, rules in unit_rules.items():
        if table not in tables:
            continue
        existing = conn.execute(text(
            "SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = :t"
        ), {"t": table}).scalars().all()
        for policy in existing:
            conn.execute(text(f"DROP POLICY {_q(policy)} ON {table}"))
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"CREATE POLICY cchc_read ON {table} FOR SELECT TO {_ALL_GROUPS} "
                          "USING (true)"))
        conn.execute(text(f"CREATE POLICY cchc_admin_all ON {table} FOR ALL TO cchc_admin "
                          "USING (true) WITH CHECK (true)"))
        for number, rule in enumerate(rules, 1):
            conn.execute(text(f"CREATE POLICY cchc_unit_{number} ON {table} {rule}"))


def _retire_app_passwords(conn: Connection, tables: list[str]) -> None:
    """Blank the application's own password hashes: the server checks passwords now.

    Every group reads ``users``; hashes of accounts from before the server was set up would
    otherwise be there for anyone to try offline. (Audited by the trigger, masked.)
    """
    if "users" in tables:
        conn.execute(text("UPDATE users SET password_hash = '' WHERE password_hash <> ''"))


def _triggers(conn: Connection, tables: list[str]) -> int:
    audited = 0
    for table in tables:
        if table in _NOT_AUDITED:
            continue
        conn.execute(text(f"DROP TRIGGER IF EXISTS {AUDIT_TRIGGER} ON {_q(table)}"))
        conn.execute(text(
            f"CREATE TRIGGER {AUDIT_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {_q(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {FN_SCHEMA}.audit_row('{_entity(table)}')"
        ))
        audited += 1
    return audited


def setup_server(engine: Engine) -> SetupReport:
    """Migrate, then (re)apply groups, privileges, policies, functions and audit triggers.

    ``engine`` connects as the database's owner. One transaction: a failure changes nothing.
    """
    from cchc_desktop.store.migrate import current_revision, upgrade_to_head

    if engine.dialect.name != "postgresql":
        raise EnvironmentProblem("server setup chỉ dùng cho máy chủ PostgreSQL "
                                 "(--db postgresql+psycopg://CHỦ@MÁY_CHỦ/CSDL).")
    upgrade_to_head(engine)
    with engine.begin() as conn:
        owner, database, is_owner = conn.execute(text(
            "SELECT current_user, current_database(), pg_has_role(current_user, "
            "(SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE')"
        )).one()
        if not is_owner:
            raise EnvironmentProblem(
                f"Tài khoản {owner} không phải chủ cơ sở dữ liệu {database}: hãy chạy "
                "server setup bằng tài khoản chủ (IT giữ mật khẩu)."
            )
        conn.execute(text(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})"))
        tables = _tables(conn)
        chained = _has_chain(conn)
        _groups(conn)
        _functions(conn, chained)
        _privileges(conn, database, tables)
        _policies(conn, tables)
        audited = _triggers(conn, tables)
        _retire_app_passwords(conn, tables)
    return SetupReport(current_revision(engine), len(tables), audited, chained, owner)


def server_problems(conn: Connection) -> list[str]:
    """What ``cchc check`` reports on a set-up server: audit triggers or security switched off.

    Empty on SQLite and on a server never set up. Only the owner (or a superuser) can cause
    these; the check makes it visible.
    """
    if conn.dialect.name != "postgresql" or conn.execute(text(
            "SELECT to_regnamespace(:s) IS NULL"), {"s": FN_SCHEMA}).scalar():
        return []
    problems = []
    for table, state in conn.execute(text(
        "SELECT c.relname, (SELECT t.tgenabled FROM pg_trigger t WHERE t.tgrelid = c.oid "
        "AND t.tgname = :name) FROM pg_class c WHERE c.relkind = 'r' "
        "AND c.relnamespace = CAST('public' AS regnamespace) ORDER BY c.relname"
    ), {"name": AUDIT_TRIGGER}):
        if table in _NOT_AUDITED:
            continue
        if state is None:
            problems.append(f"bảng {table}: không có trigger ghi nhật ký {AUDIT_TRIGGER} "
                            "(chạy lại cchc server setup)")
        elif state == "D":
            problems.append(f"bảng {table}: trigger ghi nhật ký {AUDIT_TRIGGER} đã bị tắt")
    for table, secured in conn.execute(text(
        "SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = CAST('public' AS regnamespace) AND relname = ANY(CAST(:t AS text[]))"
    ), {"t": ["tasks", "progress_updates", "extension_requests", "evidence_links"]}):
        if not secured:
            problems.append(f"bảng {table}: bảo mật theo dòng (row-level security) đã bị tắt")
    return problems
