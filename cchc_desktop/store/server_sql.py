r"""The PL/pgSQL of `cchc server setup`: audit triggers and account functions.

Every function is SECURITY DEFINER, owned by the database's owner (who runs setup), with a
fixed ``search_path`` (``pg_catalog, pg_temp``) and every table named with its schema, so
that no group can put an object of its own in the way. ``session_user`` is the person
signed in (a SECURITY DEFINER function changes ``current_user`` only).

Audit rows follow AUDIT_CHAIN_SPEC.md when the schema has the chain columns: the writer
takes ``pg_advisory_xact_lock(4242001)`` before reading the last row's hash and holds it
to commit; ``at`` is whole seconds; NULL is written as backslash + N in the canonical text.
"""

from __future__ import annotations

from collections.abc import Iterable

_HEADER = ("LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp")

_CHAINED_APPEND = r"""
CREATE OR REPLACE FUNCTION cchc_server.audit_append(
    p_action text, p_entity text, p_id integer, p_field text, p_old text, p_new text)
RETURNS void {header} AS $fn$
DECLARE
    v_at timestamp := date_trunc('second', localtimestamp);
    v_user text := session_user;
    v_prev text;
    v_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock({lock});
    SELECT a.row_hash INTO v_prev FROM public.audit_log a ORDER BY a.id DESC LIMIT 1;
    v_prev := coalesce(v_prev, repeat('0', 64));
    v_hash := encode(sha256(convert_to(concat_ws(chr(31), v_prev,
        to_char(v_at, 'YYYY-MM-DD HH24:MI:SS'), coalesce(v_user, E'\\N'),
        coalesce(p_action, E'\\N'), coalesce(p_entity, E'\\N'), coalesce(p_id::text, E'\\N'),
        coalesce(p_field, E'\\N'), coalesce(p_old, E'\\N'), coalesce(p_new, E'\\N')),
        'UTF8')), 'hex');
    INSERT INTO public.audit_log (at, username, action, entity, entity_id, field,
                                  old_value, new_value, prev_hash, row_hash)
    VALUES (v_at, v_user, p_action, p_entity, p_id, p_field, p_old, p_new, v_prev, v_hash);
END $fn$
"""

_PLAIN_APPEND = r"""
CREATE OR REPLACE FUNCTION cchc_server.audit_append(
    p_action text, p_entity text, p_id integer, p_field text, p_old text, p_new text)
RETURNS void {header} AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock({lock});
    INSERT INTO public.audit_log (at, username, action, entity, entity_id, field,
                                  old_value, new_value)
    VALUES (date_trunc('second', localtimestamp), session_user, p_action, p_entity, p_id,
            p_field, p_old, p_new);
END $fn$
"""

# A row as the log shows it: bookkeeping columns left out, a password hash masked, file
# bytes as their size (store/audit.py writes the same for the application's own log).
_SHOWN = r"""
CREATE OR REPLACE FUNCTION cchc_server.shown(p_row jsonb) RETURNS jsonb {header} AS $fn$
DECLARE
    v jsonb := p_row - CAST({skipped} AS text[]);
    n bigint;
BEGIN
    IF coalesce(v->>'password_hash', '') <> '' THEN
        v := jsonb_set(v, '{{password_hash}}', '"***"');
    END IF;
    IF jsonb_typeof(v->'content') = 'string' AND left(v->>'content', 2) = '\x' THEN
        n := (length(v->>'content') - 2) / 2;
        v := jsonb_set(v, '{{content}}', to_jsonb(
            '<' || replace(to_char(n, 'FM999,999,999,999'), ',', '.')
            || ' byte>'));
    END IF;
    RETURN v;
END $fn$
"""

_AUDIT_ROW = r"""
CREATE OR REPLACE FUNCTION cchc_server.audit_row() RETURNS trigger {header} AS $fn$
DECLARE
    v_entity text := TG_ARGV[0];
    v_old jsonb;
    v_new jsonb;
    v_any jsonb;
    v_id integer;
    v_key text;
    v_before text;
    v_after text;
BEGIN
    IF TG_OP <> 'INSERT' THEN v_old := to_jsonb(OLD) - CAST({skipped} AS text[]); END IF;
    IF TG_OP <> 'DELETE' THEN v_new := to_jsonb(NEW) - CAST({skipped} AS text[]); END IF;
    v_any := coalesce(v_new, v_old);
    IF jsonb_typeof(v_any->'id') = 'number' THEN
        v_id := (v_any->>'id')::integer;
    ELSIF jsonb_typeof(v_any->'task_id') = 'number' THEN
        v_id := (v_any->>'task_id')::integer;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM cchc_server.audit_append('create', v_entity, v_id, NULL, NULL,
                                         cchc_server.shown(v_new)::text);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM cchc_server.audit_append('delete', v_entity, v_id, NULL,
                                         cchc_server.shown(v_old)::text, NULL);
    ELSE
        FOR v_key IN SELECT k FROM jsonb_object_keys(v_new) AS k ORDER BY k LOOP
            CONTINUE WHEN (v_new->v_key) IS NOT DISTINCT FROM (v_old->v_key);
            v_before := cchc_server.shown(v_old)->>v_key;
            v_after := cchc_server.shown(v_new)->>v_key;
            IF v_key = 'password_hash' THEN
                v_before := '***';
                v_after := '***';
            END IF;
            IF length(v_before) > {max_chars} THEN
                v_before := left(v_before, {max_chars}) || '…';
            END IF;
            IF length(v_after) > {max_chars} THEN
                v_after := left(v_after, {max_chars}) || '…';
            END IF;
            PERFORM cchc_server.audit_append('update', v_entity, v_id, v_key, v_before,
                                             v_after);
        END LOOP;
    END IF;
    RETURN NULL;
END $fn$
"""

_MY_UNIT = r"""
CREATE OR REPLACE FUNCTION cchc_server.my_unit() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT u.unit_id FROM public.users u
    WHERE u.username = session_user::text AND u.active AND u.role = 'unit'
      AND pg_has_role(session_user, 'cchc_unit', 'MEMBER')
$fn$
"""

_LEADS_TASK = r"""
CREATE OR REPLACE FUNCTION cchc_server.leads_task(p_task integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT EXISTS (SELECT 1 FROM public.tasks t
                   WHERE t.id = p_task AND t.lead_unit_id = cchc_server.my_unit())
$fn$
"""

_REQUIRE_ADMIN = r"""
CREATE OR REPLACE FUNCTION cchc_server.require_admin() RETURNS void {header} AS $fn$
BEGIN
    IF NOT (session_user = current_user OR pg_has_role(session_user, 'cchc_admin', 'MEMBER'))
    THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = 'Chỉ người quản trị được quản lý tài khoản.';
    END IF;
END $fn$
"""

# Only login roles of the three groups are managed: never the owner, a superuser or a role
# that could create roles, so an administrator cannot take over an account above theirs.
_MANAGED_LOGIN = r"""
CREATE OR REPLACE FUNCTION cchc_server.managed_login(p_name text) RETURNS void {header} AS $fn$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_roles r
        WHERE r.rolname = p_name AND NOT r.rolsuper AND NOT r.rolcreaterole
          AND NOT r.rolbypassrls AND r.rolname <> current_user
          AND EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                      WHERE m.member = r.oid
                        AND g.rolname IN ('cchc_admin', 'cchc_unit', 'cchc_viewer')))
    THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('Không có tài khoản CCHC %s trên máy chủ.', p_name);
    END IF;
END $fn$
"""

_CHECK_VERIFIER = r"""
CREATE OR REPLACE FUNCTION cchc_server.check_verifier(p_verifier text) RETURNS void
{header} AS $fn$
BEGIN
    -- Only SCRAM verifiers: a password in clear never travels to the server.
    IF p_verifier IS NULL OR p_verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'Mật khẩu không hợp lệ.';
    END IF;
END $fn$
"""

_ADD_LOGIN = r"""
CREATE OR REPLACE FUNCTION cchc_server.add_login(
    p_name text, p_verifier text, p_role text, p_unit integer, p_full_name text)
RETURNS void {header} AS $fn$
DECLARE
    v_group text := CASE p_role WHEN 'admin' THEN 'cchc_admin' WHEN 'unit' THEN 'cchc_unit'
                                WHEN 'viewer' THEN 'cchc_viewer' END;
BEGIN
    PERFORM cchc_server.require_admin();
    IF p_name IS NULL OR p_name !~ '^[a-z][a-z0-9_]{{0,62}}$' OR p_name LIKE 'cchc\_%'
       OR p_name LIKE 'pg\_%' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format(
            'Tên đăng nhập %s không dùng được trên máy chủ.', p_name);
    END IF;
    IF v_group IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'Vai trò không hợp lệ.';
    END IF;
    IF p_role = 'unit' AND NOT EXISTS (SELECT 1 FROM public.units u WHERE u.id = p_unit) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = 'Tài khoản vai trò đơn vị phải gắn với một đơn vị có trong danh mục.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_name) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('Tên đăng nhập %s đã có trên máy chủ.', p_name);
    END IF;
    PERFORM cchc_server.check_verifier(p_verifier);
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L IN ROLE %I',
                   p_name, p_verifier, v_group);
    INSERT INTO public.users AS u (username, full_name, password_hash, role, unit_id, active,
                                   created_at, failed_logins)
    VALUES (p_name, coalesce(p_full_name, ''), '', p_role,
            CASE WHEN p_role = 'unit' THEN p_unit END, true,
            date_trunc('second', localtimestamp), 0)
    ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role, unit_id = EXCLUDED.unit_id,
        full_name = EXCLUDED.full_name, active = true, password_hash = '';
END $fn$
"""

_SET_PASSWORD = r"""
CREATE OR REPLACE FUNCTION cchc_server.set_password(p_name text, p_verifier text)
RETURNS void {header} AS $fn$
BEGIN
    IF p_name IS DISTINCT FROM session_user::text THEN
        PERFORM cchc_server.require_admin();
    END IF;
    PERFORM cchc_server.managed_login(p_name);
    PERFORM cchc_server.check_verifier(p_verifier);
    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_name, p_verifier);
    PERFORM cchc_server.audit_append('update', 'user',
        (SELECT u.id FROM public.users u WHERE u.username = p_name), 'password', '***', '***');
END $fn$
"""

_SET_LOGIN = r"""
CREATE OR REPLACE FUNCTION cchc_server.set_login(p_name text, p_active boolean)
RETURNS void {header} AS $fn$
BEGIN
    PERFORM cchc_server.require_admin();
    PERFORM cchc_server.managed_login(p_name);
    IF p_name = session_user::text AND NOT p_active THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = 'Không thể tự khóa tài khoản đang dùng.';
    END IF;
    EXECUTE format('ALTER ROLE %I %s', p_name,
                   CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
    UPDATE public.users SET active = p_active WHERE username = p_name;
    IF NOT p_active THEN
        PERFORM cchc_server.end_sessions(p_name);
    END IF;
END $fn$
"""

# NOLOGIN only refuses new sessions: the ones a disabled account has open are ended too.
# The owner may signal a role's sessions when it has that role's privileges: it takes a
# membership for the moment (its own grant: on PostgreSQL 16+ the grant that made it the
# role's administrator is another one, left as it was). Ending them must never stop the
# account being disabled: a refusal is only a warning.
_END_SESSIONS = r"""
CREATE OR REPLACE FUNCTION cchc_server.end_sessions(p_name text) RETURNS void
{header} AS $fn$
DECLARE
    v_granted boolean := false;
BEGIN
    BEGIN
        IF NOT pg_has_role(current_user, p_name, 'USAGE') THEN
            IF current_setting('server_version_num')::int < 160000
               AND pg_has_role(current_user, p_name, 'MEMBER') THEN
                RAISE EXCEPTION USING ERRCODE = '42501';  -- a membership set up by hand
            END IF;
            EXECUTE format('GRANT %I TO %I', p_name, current_user);
            v_granted := true;
        END IF;
        PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a
        WHERE a.usename = p_name AND a.pid <> pg_backend_pid();
        IF v_granted THEN
            EXECUTE format('REVOKE %I FROM %I', p_name, current_user);
        END IF;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE WARNING 'Các phiên đang mở của % chỉ kết thúc khi người đó đóng chương trình.',
            p_name;
    END;
END $fn$
"""


def function_statements(*, chained: bool, skipped: Iterable[str], lock: int,
                        max_chars: int = 4000) -> list[str]:
    """The CREATE OR REPLACE FUNCTION statements, in dependency order."""
    array = "ARRAY[" + ", ".join(f"'{name}'" for name in skipped) + "]"
    sources = [_CHAINED_APPEND if chained else _PLAIN_APPEND, _SHOWN, _AUDIT_ROW, _MY_UNIT,
               _LEADS_TASK, _REQUIRE_ADMIN, _MANAGED_LOGIN, _CHECK_VERIFIER, _ADD_LOGIN,
               _SET_PASSWORD, _END_SESSIONS, _SET_LOGIN]
    return [source.format(header=_HEADER, lock=lock, skipped=array, max_chars=max_chars)
            for source in sources]
