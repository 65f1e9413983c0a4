"""Personal logins on a server set up by `cchc server setup` (store/server_setup.py).

Each person connects as an own PostgreSQL login role, a member of ``cchc_admin``,
``cchc_unit`` or ``cchc_viewer``; the server checks the password. Accounts are created,
given a new password and disabled only through the owner's SECURITY DEFINER functions
(``cchc_server.add_login``, ``set_password``, ``set_login``), which an administrator may
call: no group holds CREATEROLE, which on PostgreSQL before 16 would let an
administrator grant itself any role, the owner's included. The password travels as a
SCRAM verifier computed here (libpq's PQencryptPasswordConn), never in clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from cchc_desktop.errors import PermissionDenied, ValidationError

LOGIN_REFUSED = "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa."
_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
# libpq's words for a refused sign-in (client side, no SQLSTATE to go by): a wrong or
# missing password, an unknown role, a role that may not log in (disabled).
_REFUSALS = ("password authentication failed", "no password supplied",
             "is not permitted to log in", "does not exist", "authentication failed")


@dataclass(frozen=True)
class ServerIdentity:
    """Who is connected: the role's name, its application role and, for a unit, its unit."""

    username: str
    role: str
    unit_id: int | None
    full_name: str


def refused_sign_in(exc: BaseException) -> bool:
    """True when a connection failed because the server refused the name or password."""
    message = str(getattr(exc, "orig", None) or exc)
    if 'database "' in message and "does not exist" in message:
        return False  # a mistyped database name is not a refused password
    return any(words in message for words in _REFUSALS)


def check_login_name(name: str) -> str:
    """The name as a role name; refuses what is not plain lower-case ASCII (no quoting games)."""
    if not _NAME.fullmatch(name or "") or name.startswith(("cchc_", "pg_")):
        raise ValidationError(
            f"Tên đăng nhập '{name}' không dùng được trên máy chủ: chỉ chữ thường không dấu, "
            "chữ số và dấu gạch dưới, bắt đầu bằng một chữ, tối đa 63 ký tự, không bắt đầu "
            "bằng cchc_ hay pg_."
        )
    return name


def server_identity(conn: Connection) -> ServerIdentity | None:
    """The connected person on a set-up server; None on any other database.

    The owner (IT) and a superuser act as administrators. A login of none of the three
    groups is refused.
    """
    from cchc_desktop.store.server_mode import server_audited

    if not server_audited(conn):
        return None
    row = conn.execute(text(
        "SELECT session_user::text, "
        "pg_has_role(session_user, (SELECT datdba FROM pg_database "
        "WHERE datname = current_database()), 'USAGE'), "
        "pg_has_role(session_user, 'cchc_admin', 'MEMBER'), "
        "pg_has_role(session_user, 'cchc_unit', 'MEMBER'), "
        "pg_has_role(session_user, 'cchc_viewer', 'MEMBER')"
    )).one()
    name, owner, admin, unit, viewer = row
    person = conn.execute(text(
        "SELECT unit_id, full_name FROM users WHERE username = :u AND active"
    ), {"u": name}).first()
    unit_id, full_name = (person[0], person[1] or "") if person else (None, "")
    if owner or admin:
        return ServerIdentity(name, "admin", None, full_name or "Quản trị máy chủ")
    if unit:
        return ServerIdentity(name, "unit", unit_id, full_name)
    if viewer:
        return ServerIdentity(name, "viewer", None, full_name)
    raise PermissionDenied(
        f"Tài khoản máy chủ '{name}' chưa được cấp quyền dùng CCHC Desktop "
        "(nhờ quản trị tạo bằng: cchc users add)."
    )


def _verifier(conn: Connection, name: str, password: str) -> str:
    pgconn = conn.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
    return bytes(pgconn.encrypt_password(password.encode("utf-8"), name.encode("utf-8"),
                                         b"scram-sha-256")).decode("ascii")


def _call(conn: Connection, sql: str, params: dict[str, Any]) -> None:
    try:
        conn.execute(text(sql), params)
    except DBAPIError as exc:
        state = getattr(exc.orig, "sqlstate", None)
        diag = getattr(exc.orig, "diag", None)
        message = getattr(diag, "message_primary", None) or str(exc.orig).splitlines()[0]
        if state == "42501":
            raise PermissionDenied(message) from exc
        if state in ("22023", "P0001"):
            raise ValidationError(message) from exc
        raise


def add_login(conn: Connection, name: str, password: str, role: str, unit_id: int | None,
              full_name: str) -> None:
    """Create the login role ``name`` in the group of ``role`` and its ``users`` row."""
    name = check_login_name(name)
    _call(conn, "SELECT cchc_server.add_login(:n, :v, :r, :u, :f)",
          {"n": name, "v": _verifier(conn, name, password), "r": role, "u": unit_id,
           "f": full_name})


def set_login_password(conn: Connection, name: str, password: str) -> None:
    """ALTER ROLE ``name`` PASSWORD (one's own, or anyone's for an administrator)."""
    name = check_login_name(name)
    _call(conn, "SELECT cchc_server.set_password(:n, :v)",
          {"n": name, "v": _verifier(conn, name, password)})


def set_login_active(conn: Connection, name: str, active: bool) -> None:
    """ALTER ROLE ``name`` LOGIN / NOLOGIN, and the ``users`` row's ``active``."""
    name = check_login_name(name)
    _call(conn, "SELECT cchc_server.set_login(:n, :a)", {"n": name, "a": active})
