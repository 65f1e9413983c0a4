"""The queue of deadline extension requests (đề nghị gia hạn) and the secretary's decisions.

A request comes from a unit's returned progress workbook (services/unit_sheets.py) or is typed
in. Approving it moves the task's deadline through :func:`tasks.extend_deadline`, so the old
deadline stays in the task's extension history with the reason and the approving document, and
reports judge the task against the new deadline (DOMAIN.md, "A deadline that was extended").
Rejecting it keeps the reason. Every change is audit-logged by the session hook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import format_date_vn, nfc
from cchc_desktop.errors import ConflictError, NotFoundError, ValidationError
from cchc_desktop.services.access import current_user, require_session_admin, require_task_progress
from cchc_desktop.services.tasks import extend_deadline, get_task
from cchc_desktop.store.models import DeadlineExtension, ExtensionRequest, Task, Unit

STATUS_LABELS = {"pending": "chờ quyết định", "approved": "đã đồng ý", "rejected": "không đồng ý"}


@dataclass(frozen=True)
class ExtensionInfo:
    """One request as lists show it."""

    id: int
    task_id: int
    content: str
    lead_unit: str
    old_due_date: date | None
    current_due_date: date | None
    requested_due: date
    reason: str
    source: str
    requested_on: date
    status: str
    decided_on: date | None
    decision_note: str
    document: str

    def as_json(self) -> dict[str, object]:
        """Plain values for ``--json``."""
        return {
            "id": self.id, "task_id": self.task_id, "content": self.content,
            "lead_unit": self.lead_unit,
            "old_due_date": self.old_due_date.isoformat() if self.old_due_date else None,
            "current_due_date": (self.current_due_date.isoformat()
                                 if self.current_due_date else None),
            "requested_due": self.requested_due.isoformat(), "reason": self.reason,
            "source": self.source, "requested_on": self.requested_on.isoformat(),
            "status": self.status,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
            "decision_note": self.decision_note, "document": self.document,
        }


def request_extension(
    session: Session, task_id: int, requested_due: date, reason: str, *,
    source: str = "", requested_on: date | None = None,
) -> ExtensionRequest:
    """Queue a request to move ``task_id``'s deadline to ``requested_due``.

    Allowed to whoever may record progress on the task (its unit, an administrator).
    Raises :class:`ValidationError` without a reason, for a completed task, or for a date
    that is not later than the current deadline.
    """
    task = get_task(session, task_id)
    require_task_progress(current_user(session), task)
    problem = extension_problem(task.due_date, task.completed_on, requested_due, reason)
    if problem:
        raise ValidationError(problem)
    request = ExtensionRequest(
        task_id=task.id, requested_due=requested_due, old_due_date=task.due_date,
        reason=nfc(reason), source=nfc(source), requested_on=requested_on or date.today(),
        status="pending",
    )
    session.add(request)
    session.flush()
    return request


def extension_problem(due: date | None, completed_on: date | None, requested_due: date,
                      reason: str) -> str:
    """Why a request to move ``due`` to ``requested_due`` cannot be queued ("" when it can)."""
    if not nfc(reason):
        return "Đề nghị gia hạn phải ghi lý do."
    if completed_on is not None:
        return "Nhiệm vụ đã hoàn thành: không cần gia hạn."
    if due is not None and requested_due <= due:
        return (f"Ngày đề nghị gia hạn ({format_date_vn(requested_due)}) phải sau hạn hiện tại "
                f"({format_date_vn(due)}).")
    return ""


def _pending(session: Session, request_id: int) -> ExtensionRequest:
    request = session.get(ExtensionRequest, request_id)
    if request is None:
        raise NotFoundError(f"Không tìm thấy đề nghị gia hạn số {request_id}.")
    if request.status != "pending":
        raise ValidationError(
            f"Đề nghị gia hạn số {request_id} đã được quyết định "
            f"({STATUS_LABELS[request.status]}) ngày "
            f"{format_date_vn(request.decided_on) if request.decided_on else '?'}."
        )
    return request


def approve_extension(
    session: Session, request_id: int, *, document: str, decided_on: date | None = None,
    note: str = "",
) -> ExtensionRequest:
    """Approve a pending request: the task's deadline becomes the requested date.

    ``document`` is the approving document (e.g. "Công văn 123/UBND-VP"); it and the reason go
    into the task's extension history with the old deadline. Administrators only.
    """
    require_session_admin(session, "quyết định gia hạn nhiệm vụ")
    request = _pending(session, request_id)
    document = nfc(document)
    if not document:
        raise ValidationError("Phải ghi văn bản đồng ý gia hạn (số ký hiệu, ngày).")
    decided_on = decided_on or date.today()
    reason = f"{request.reason} (văn bản đồng ý: {document})"
    if request.source:
        reason += f" — đề nghị của {request.source}"
    extension = extend_deadline(session, request.task_id, request.requested_due, reason,
                                granted_on=decided_on)
    request.status, request.decided_on = "approved", decided_on
    request.document, request.decision_note = document, nfc(note)
    request.extension_id = extension.id
    session.flush()
    return request


def reject_extension(
    session: Session, request_id: int, reason: str, *, decided_on: date | None = None,
) -> ExtensionRequest:
    """Reject a pending request with a reason; the deadline stays. Administrators only."""
    require_session_admin(session, "quyết định gia hạn nhiệm vụ")
    request = _pending(session, request_id)
    if not nfc(reason):
        raise ValidationError("Phải ghi lý do không đồng ý gia hạn.")
    request.status, request.decided_on = "rejected", decided_on or date.today()
    request.decision_note = nfc(reason)
    session.flush()
    return request


def reopen_extension(session: Session, request_id: int) -> ExtensionRequest:
    """Take back the decision on a request (the undo of approve or reject): it is pending
    again. An approval's extension leaves the task's history and the deadline it replaced
    comes back, unless the deadline has been changed since (then nothing is changed).
    Administrators only."""
    require_session_admin(session, "quyết định gia hạn nhiệm vụ")
    request = session.get(ExtensionRequest, request_id)
    if request is None:
        raise NotFoundError(f"Không tìm thấy đề nghị gia hạn số {request_id}.")
    if request.status == "pending":
        raise ValidationError(f"Đề nghị gia hạn số {request_id} chưa được quyết định.")
    if request.status == "approved" and request.extension_id is not None:
        extension = session.get(DeadlineExtension, request.extension_id)
        task = get_task(session, request.task_id)
        if extension is not None:
            if task.due_date != extension.new_due_date:
                raise ConflictError(
                    "Thời hạn của nhiệm vụ đã được sửa sau khi gia hạn "
                    f"(nay là {format_date_vn(task.due_date) if task.due_date else 'không hạn'})"
                    ": không hoàn tác được quyết định gia hạn.")
            task.due_date = extension.old_due_date
            if extension in task.extensions:
                task.extensions.remove(extension)
            session.delete(extension)
    request.status, request.decided_on = "pending", None
    request.document = request.decision_note = ""
    request.extension_id = None
    session.flush()
    return request


def list_extensions(session: Session, status: str | None = None) -> list[ExtensionInfo]:
    """Requests, oldest first; ``status`` ("pending", "approved", "rejected") narrows them."""
    stmt = (
        select(ExtensionRequest, Task.content, Task.due_date, Unit.name)
        .join(Task, Task.id == ExtensionRequest.task_id)
        .outerjoin(Unit, Unit.id == Task.lead_unit_id)
        .order_by(ExtensionRequest.id)
    )
    if status:
        if status not in STATUS_LABELS:
            raise ValidationError(f"Tình trạng không hợp lệ: {status}")
        stmt = stmt.where(ExtensionRequest.status == status)
    return [
        ExtensionInfo(
            id=r.id, task_id=r.task_id, content=content, lead_unit=unit or "",
            old_due_date=r.old_due_date, current_due_date=due, requested_due=r.requested_due,
            reason=r.reason, source=r.source, requested_on=r.requested_on, status=r.status,
            decided_on=r.decided_on, decision_note=r.decision_note, document=r.document,
        )
        for r, content, due, unit in session.execute(stmt)
    ]


def count_pending(session: Session) -> int:
    """How many extension requests wait for a decision (the reminder banner's count)."""
    return int(session.scalar(select(func.count()).select_from(ExtensionRequest)
                              .where(ExtensionRequest.status == "pending")) or 0)


def pending_by_task(session: Session, task_ids: Iterable[int]) -> dict[int, date]:
    """The latest pending requested date of each of ``task_ids`` that has one."""
    from cchc_desktop.services.task_queries import pending_extension_dues

    wanted = set(task_ids)
    return {task_id: due for task_id, due in pending_extension_dues(session).items()
            if task_id in wanted}
