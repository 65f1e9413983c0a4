"""Who may do what: the role rules, checked by every service that writes.

Roles: ``admin`` (quản trị, the secretariat: everything), ``unit`` (đơn vị, a
unit's focal point: records progress and evidence of the tasks its unit leads,
reads the rest) and ``viewer`` (xem: reads only). The acting user travels with
the session (``session.info["user"]``, set by ``Database.session()``); a session
without one acts as the local administrator of a single-PC installation.

Each service checks the rule for its action with the ``require_*`` functions and
says why in Vietnamese. Beneath them, :func:`check_flush` looks at the rows a
non-administrator's session is about to write, whatever service wrote them: a
``viewer`` writes nothing but their own password, a ``unit`` account only the
progress fields, progress notes and evidence of the tasks its unit leads. A
service that forgets its check is still refused there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from cchc_desktop.errors import PermissionDenied
from cchc_desktop.store.models import (
    Evidence,
    EvidenceBlob,
    EvidenceLink,
    ExtensionRequest,
    ProgressUpdate,
    Task,
    User,
)

ROLE_LABELS = {"admin": "quản trị", "unit": "đơn vị", "viewer": "xem"}
# What a unit's focal point may change on a task its unit leads.
PROGRESS_FIELDS = frozenset({"completed_on", "completion_note", "note"})
# Columns the application sets itself on every save (and the search key of the content).
BOOKKEEPING_FIELDS = frozenset({"updated_at", "version", "content_key", "search_text",
                                "content_sort", "timing_sort", "assigned_by_sort"})
# What signing in writes on an account, whoever's session it is (services/users.py).
SIGN_IN_FIELDS = frozenset({"failed_logins", "locked_until"})


@dataclass(frozen=True)
class CurrentUser:
    """The person acting: name, role and, for the ``unit`` role, their unit."""

    username: str
    role: str
    unit_id: int | None = None
    full_name: str = ""

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


LOCAL_ADMIN = CurrentUser("admin", "admin", None, "Quản trị (máy này)")


def current_user(session: Session) -> CurrentUser:
    """The user acting in ``session`` (the local admin when nobody signed in)."""
    user = session.info.get("user")
    return user if isinstance(user, CurrentUser) else LOCAL_ADMIN


def _who(user: CurrentUser) -> str:
    return f"Tài khoản '{user.username}' (vai trò {user.role_label})"


def require_admin(user: CurrentUser, action: str = "thay đổi dữ liệu này") -> None:
    """Refuse anyone but an administrator."""
    if user.role != "admin":
        raise PermissionDenied(
            f"{_who(user)} không được {action}: việc này chỉ người quản trị được làm."
        )


def can_edit_task(user: CurrentUser, task: Any) -> bool:
    """Whether ``user`` may record progress and evidence on ``task``."""
    if user.role == "admin":
        return True
    return user.role == "unit" and user.unit_id is not None and task.lead_unit_id == user.unit_id


def require_task_progress(user: CurrentUser, task: Any) -> None:
    """Refuse recording progress or evidence on a task the user's unit does not lead."""
    if can_edit_task(user, task):
        return
    if user.role == "unit":
        raise PermissionDenied(
            f"{_who(user)} chỉ được cập nhật tiến độ, kết quả các nhiệm vụ do đơn vị mình chủ trì."
        )
    raise PermissionDenied(f"{_who(user)} chỉ được xem, không được sửa dữ liệu.")


def require_task_edit(user: CurrentUser, task: Any, changed: set[str]) -> None:
    """Refuse an edit of ``changed`` fields of ``task`` that the user's role does not allow."""
    if user.role == "admin":
        return
    require_task_progress(user, task)
    forbidden = sorted(changed - PROGRESS_FIELDS)
    if forbidden:
        raise PermissionDenied(
            f"{_who(user)} chỉ được sửa ngày hoàn thành, kết quả và ghi chú của nhiệm vụ; "
            f"không được sửa: {', '.join(forbidden)}."
        )


def require_session_admin(session: Session, action: str = "thay đổi dữ liệu này") -> None:
    """:func:`require_admin` for the user acting in ``session``."""
    require_admin(current_user(session), action)


def changed_fields(old: Any, new: Any) -> set[str]:
    """The fields that differ between two drafts (dataclasses); ``None`` year means unchanged."""
    before, after = asdict(old), asdict(new)
    return {k for k in after if after[k] != before.get(k) and not (k == "year" and after[k] is None)}


# --- the last check: the rows a non-administrator's session writes ----------------------


def _changed(obj: object) -> set[str]:
    """The columns and many-to-many links of ``obj`` whose value differs from the stored one."""
    state = inspect(obj)
    changed = set()
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.added and list(history.added) != list(history.deleted):
            changed.add(attr.key)
    for rel in state.mapper.relationships:
        if rel.secondary is not None and state.attrs[rel.key].history.has_changes():
            changed.add(rel.key)
    return changed


def _stored(obj: object, key: str) -> Any:
    """The value of column ``key`` as it is in the database (before this flush)."""
    history = inspect(obj).attrs[key].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(obj, key)


def _own_task(session: Session, user: CurrentUser, task: Any) -> bool:
    if task is None:
        return False
    if not isinstance(task, Task):
        with session.no_autoflush:
            task = session.get(Task, task)
        if task is None:
            return False
    return user.role == "unit" and user.unit_id is not None and (
        _stored(task, "lead_unit_id") == user.unit_id)


def _row_allowed(session: Session, user: CurrentUser, obj: object, how: str) -> str | None:
    """None when ``user`` may write ``obj`` (``how``: new, dirty, deleted); else the refusal."""
    viewer_only = f"{_who(user)} chỉ được xem, không được sửa dữ liệu."
    if isinstance(obj, User) and how == "dirty":
        changed = _changed(obj) - SIGN_IN_FIELDS
        if not changed or (changed == {"password_hash"} and obj.username == user.username):
            return None
        return f"{_who(user)} không được sửa tài khoản '{obj.username}'."
    if user.role != "unit":
        return viewer_only
    if isinstance(obj, Task) and how == "dirty":
        if not _own_task(session, user, obj):
            return (f"{_who(user)} chỉ được cập nhật tiến độ, kết quả các nhiệm vụ do đơn vị "
                    "mình chủ trì.")
        forbidden = sorted(_changed(obj) - PROGRESS_FIELDS - BOOKKEEPING_FIELDS)
        if forbidden:
            return (f"{_who(user)} chỉ được sửa ngày hoàn thành, kết quả và ghi chú của nhiệm "
                    f"vụ; không được sửa: {', '.join(forbidden)}.")
        return None
    own = (
        (isinstance(obj, ProgressUpdate) and how == "new"
         and _own_task(session, user, obj.task or obj.task_id))
        # A unit asks for more time on its own task; only an administrator decides.
        or (isinstance(obj, ExtensionRequest) and how == "new"
            and _own_task(session, user, obj.task_id))
        or (isinstance(obj, EvidenceLink) and how in ("new", "deleted")
            and obj.criterion_id is None and obj.document_id is None
            and _own_task(session, user, obj.task_id))
        or (isinstance(obj, (Evidence, EvidenceBlob)) and how == "new")
    )
    if own:
        return None
    return f"{_who(user)} chỉ được cập nhật tiến độ, kết quả các nhiệm vụ do đơn vị mình chủ trì."


def check_flush(session: Session) -> None:
    """Refuse a flush that writes a row the acting user's role does not allow.

    Administrators (and sessions without a user: the local administrator) pass.
    """
    user = current_user(session)
    if user.role == "admin":
        return
    for how, objects in (("new", session.new), ("dirty", session.dirty),
                         ("deleted", session.deleted)):
        for obj in list(objects):
            if how == "dirty" and not session.is_modified(obj):
                continue
            refusal = _row_allowed(session, user, obj, how)
            if refusal:
                raise PermissionDenied(refusal)


def check_statement(state: ORMExecuteState) -> None:
    """Refuse a bulk INSERT, UPDATE or DELETE run by a non-administrator's session."""
    if (state.is_insert or state.is_update or state.is_delete) and (
        current_user(state.session).role != "admin"
    ):
        raise PermissionDenied(
            f"{_who(current_user(state.session))} không được thay đổi hàng loạt dữ liệu."
        )


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    check_flush(session)


# Every session, whichever front end or service opened it: the checks only act on a
# session whose acting user is not an administrator.
event.listen(Session, "before_flush", _before_flush)
event.listen(Session, "do_orm_execute", check_statement)
