"""Who may do what: the role rules, checked by every service that writes.

Roles: ``admin`` (quản trị, the secretariat: everything), ``unit`` (đơn vị, a
unit's focal point: records progress and evidence of the tasks its unit leads,
reads the rest) and ``viewer`` (xem: reads only). The acting user travels with
the session (``session.info["user"]``, set by ``Database.session()``); a session
without one acts as the local administrator of a single-PC installation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from cchc_desktop.errors import PermissionDenied

ROLE_LABELS = {"admin": "quản trị", "unit": "đơn vị", "viewer": "xem"}
# What a unit's focal point may change on a task its unit leads.
PROGRESS_FIELDS = frozenset({"completed_on", "completion_note", "note"})


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
