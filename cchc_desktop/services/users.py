"""User accounts: roles, argon2-hashed passwords, signing in, the log-in setting.

On a single PC nobody signs in unless the ``require_login`` setting is on; the
application then acts as the local administrator. On a shared PostgreSQL
server everyone signs in (until the first account exists, so that the first
administrator can be created).

Guessing passwords: after :data:`MAX_FAILED_LOGINS` wrong passwords in a row an
account is locked for :data:`LOCKOUT` (kept in the database, so restarting the
program does not reset it; the lock is in the audit log). An unknown user name
costs the same password hash as a wrong password, so timing does not tell which
names exist.

On a server set up by ``cchc server setup`` each account is a PostgreSQL login role and
the server checks the password: adding an account, changing a password and disabling
an account go through the owner's functions (store/server_logins.py), and the person
signed in is the role connected (:func:`server_sign_in`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import nfc
from cchc_desktop.errors import NotFoundError, PermissionDenied, ValidationError
from cchc_desktop.services.access import (
    ROLE_LABELS,
    CurrentUser,
    current_user,
    require_admin,
)
from cchc_desktop.store import server_logins
from cchc_desktop.store.models import Setting, Unit, User
from cchc_desktop.store.server_mode import server_audited

REQUIRE_LOGIN_KEY = "require_login"
MIN_PASSWORD_LENGTH = 8
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
_hasher = PasswordHasher()
_dummy_hash: list[str] = []  # computed once, on the first sign-in that needs it
REFUSED = server_logins.LOGIN_REFUSED


class AccountLocked(PermissionDenied):
    """Too many wrong passwords: the account is locked until ``until`` (local time)."""

    def __init__(self, username: str, until: datetime) -> None:
        self.until = until
        super().__init__(
            f"Tài khoản '{username}' đang tạm khóa vì nhập sai mật khẩu {MAX_FAILED_LOGINS} lần "
            f"liên tiếp. Hãy thử lại sau {until:%H:%M} ngày {until:%d/%m/%Y}, hoặc nhờ người "
            "quản trị đặt lại mật khẩu."
        )


@dataclass(frozen=True)
class UserInfo:
    """An account as lists show it (never the hash)."""

    id: int
    username: str
    full_name: str
    role: str
    unit_id: int | None
    unit_name: str
    active: bool


def _as_current(user: User) -> CurrentUser:
    return CurrentUser(user.username, user.role, user.unit_id, user.full_name or "")


def _check_password(password: str) -> None:
    if not password.strip():
        raise ValidationError("Mật khẩu không được để trống hoặc chỉ có dấu cách.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if any(ord(c) < 32 for c in password):
        raise ValidationError("Mật khẩu không được chứa ký tự điều khiển.")


def on_server(session: Session) -> bool:
    """True when the server itself keeps the accounts (a set-up PostgreSQL server)."""
    return session.get_bind().dialect.name == "postgresql" and server_audited(
        session.connection())


def server_sign_in(session: Session) -> CurrentUser | None:
    """The person connected to a set-up server (their own login role); None elsewhere.

    Raises PermissionDenied for a login role of none of the application's groups.
    """
    if session.get_bind().dialect.name != "postgresql":
        return None
    identity = server_logins.server_identity(session.connection())
    if identity is None:
        return None
    return CurrentUser(identity.username, identity.role, identity.unit_id, identity.full_name)


def _get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == nfc(username).strip()))
    if user is None:
        raise NotFoundError(f"Không có tài khoản '{username}'.")
    return user


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str = "viewer",
    *,
    unit_id: int | None = None,
    full_name: str = "",
) -> UserInfo:
    """Create an account (administrators only); a ``unit`` account needs its unit."""
    if count_users(session):  # the very first account bootstraps the installation
        require_admin(current_user(session), "tạo tài khoản")
    username = nfc(username).strip()
    server = on_server(session)
    if server:  # a PostgreSQL role name: plain lower-case ASCII only
        server_logins.check_login_name(username)
    if not username or len(username) > 100 or any(c.isspace() or ord(c) < 32 for c in username):
        raise ValidationError("Tên đăng nhập không được trống, không chứa dấu cách, tối đa 100 ký tự.")
    if role not in ROLE_LABELS:
        raise ValidationError(f"Vai trò không hợp lệ: {role} (admin, unit, viewer).")
    if role == "unit" and (unit_id is None or session.get(Unit, unit_id) is None):
        raise ValidationError("Tài khoản vai trò đơn vị phải gắn với một đơn vị có trong danh mục.")
    if not server and session.scalar(select(User.id).where(User.username == username)):
        raise ValidationError(f"Tên đăng nhập '{username}' đã có.")
    _check_password(password)
    if server:  # a login role in the role's group, and its users row
        server_logins.add_login(session.connection(), username, password, role,
                                unit_id if role == "unit" else None, nfc(full_name).strip())
        session.expire_all()
        return _info(session, _get(session, username))
    user = User(username=username, full_name=nfc(full_name).strip(), role=role,
                unit_id=unit_id if role == "unit" else None,
                password_hash=_hasher.hash(password), active=True)
    session.add(user)
    session.flush()
    return _info(session, user)


def _info(session: Session, user: User) -> UserInfo:
    unit = session.get(Unit, user.unit_id) if user.unit_id else None
    return UserInfo(user.id, user.username, user.full_name or "", user.role, user.unit_id,
                    unit.name if unit else "", bool(user.active))


def count_users(session: Session) -> int:
    """How many accounts exist (active or not)."""
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def list_users(session: Session) -> list[UserInfo]:
    """Every account, by user name."""
    return [_info(session, u) for u in session.scalars(select(User).order_by(User.username))]


def set_password(session: Session, username: str, new_password: str) -> None:
    """Change a password: one's own, or anyone's for an administrator."""
    acting = current_user(session)
    if acting.username != nfc(username).strip():
        require_admin(acting, "đổi mật khẩu của người khác")
    user = _get(session, username)
    _check_password(new_password)
    if on_server(session):
        server_logins.set_login_password(session.connection(), user.username, new_password)
        return
    user.password_hash = _hasher.hash(new_password)
    if acting.username != user.username:  # an administrator's reset also lifts a lock
        user.failed_logins, user.locked_until = 0, None
    session.flush()


def set_active(session: Session, username: str, active: bool) -> None:
    """Disable (or re-enable) an account; administrators only, never oneself."""
    acting = current_user(session)
    require_admin(acting, "khóa hoặc mở tài khoản")
    user = _get(session, username)
    if not active and user.username == acting.username:
        raise ValidationError("Không thể tự khóa tài khoản đang dùng.")
    if on_server(session):
        server_logins.set_login_active(session.connection(), user.username, active)
        session.expire_all()
        return
    user.active = active
    session.flush()


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _same_work_as_a_real_check(password: str) -> None:
    """Hash ``password`` against a dummy account, so a refusal takes the usual time."""
    if not _dummy_hash:
        _dummy_hash.append(_hasher.hash("dummy password, never matches"))
    _verify(_dummy_hash[0], password)


def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> CurrentUser:
    """Check a user name and password; the same message (and time) for every failure.

    A wrong password counts against the account; the :data:`MAX_FAILED_LOGINS`-th in a
    row locks it for :data:`LOCKOUT` and raises :class:`AccountLocked`, as does any
    attempt while it is locked, even with the right password. A refused attempt is
    committed before the exception leaves, so the count survives the caller's rollback.
    """
    now = now or datetime.now()
    user = session.scalar(select(User).where(User.username == nfc(username or "").strip()))
    if user is None or not user.password_hash or not (password or "").strip():
        # No such account, or no password typed (a script without CCHC_PASSWORD, the OK
        # button pressed early): nothing to count, and no password can be blank.
        _same_work_as_a_real_check(password or "")
        raise PermissionDenied(REFUSED)
    matches = _verify(user.password_hash, password or "")
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLocked(user.username, user.locked_until)
    if not user.active:
        raise PermissionDenied(REFUSED)
    if matches:
        if user.failed_logins or user.locked_until is not None:
            user.failed_logins, user.locked_until = 0, None
            session.flush()
        return _as_current(user)
    _count_failure(session, user, now)
    if user.locked_until is not None:
        raise AccountLocked(user.username, user.locked_until)
    raise PermissionDenied(REFUSED)


def _count_failure(session: Session, user: User, now: datetime) -> None:
    """One more wrong password (a lock that has run out starts a new count); commits."""
    expired = user.locked_until is not None
    user.failed_logins = (0 if expired else user.failed_logins or 0) + 1
    user.locked_until = None
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = (now + LOCKOUT).replace(microsecond=0)
    # The audit log records the count and the lock (store/audit.py) in this commit, in the
    # name of the account being tried: nobody has signed in yet.
    session.info["username"] = user.username
    session.commit()


def require_login_setting(session: Session) -> bool:
    """The single-PC setting: ask for a log-in at start (default off)."""
    row = session.get(Setting, REQUIRE_LOGIN_KEY)
    return bool(row and json.loads(row.value or "false"))


def set_require_login(session: Session, on: bool) -> None:
    """Switch asking for a log-in on or off (administrators only; needs an admin account)."""
    require_admin(current_user(session), "đổi cài đặt đăng nhập")
    if on and not any(u.role == "admin" and u.active for u in session.scalars(select(User))):
        raise ValidationError("Hãy tạo ít nhất một tài khoản quản trị trước khi bật đăng nhập.")
    row = session.get(Setting, REQUIRE_LOGIN_KEY) or Setting(key=REQUIRE_LOGIN_KEY)
    row.value = json.dumps(bool(on))
    session.add(row)
    session.flush()


def login_required(session: Session, *, server_mode: bool) -> bool:
    """Whether someone must sign in: always on a server, else per the setting.

    With no account at all nobody can sign in, so nobody is asked (the first
    administrator is created acting as the local admin).
    """
    if count_users(session) == 0:
        return False
    return server_mode or require_login_setting(session)
