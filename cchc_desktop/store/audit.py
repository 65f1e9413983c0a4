"""The audit log: who created, changed or deleted what, and when (append-only).

Hooked on the session factory of every :class:`~cchc_desktop.store.db.Database`.
``before_flush`` refuses any change to existing audit rows; ``after_flush``
(when new rows have their id but attribute history still shows the change)
inspects every new, changed and deleted object and appends rows to
``audit_log`` on the same connection, inside the same transaction: a change
that is rolled back leaves no audit row, and no change escapes the log.
Bulk SQL statements (``session.execute(update(...))``) are not seen; the
services do not use them for user data.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from cchc_desktop.errors import PermissionDenied
from cchc_desktop.store.models import AuditEntry

# Bookkeeping columns that change on every save and say nothing to a reader.
_SKIPPED = {"version", "updated_at", "content_key", "created_at"}
_SECRET = {"password_hash"}
MAX_VALUE_CHARS = 4000


def entity_name(obj: object) -> str:
    """``ProgressUpdate`` -> ``progress_update``: the entity column of the log."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


def _identity(obj: object) -> int | None:
    state = inspect(obj)
    key = state.mapper.primary_key_from_instance(obj)
    if len(key) == 1 and isinstance(key[0], int):
        return key[0]
    return None


def _snapshot(obj: object, *, old: bool) -> str:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in _SKIPPED:
            continue
        history = state.attrs[name].history
        if old and history.deleted:
            value = history.deleted[0]
        else:
            value = state.dict.get(name)
        values[name] = "***" if name in _SECRET and value else value
    return json.dumps(values, ensure_ascii=False, default=_text, sort_keys=True)


def _ids(items: Any) -> list[Any]:
    return sorted(_identity(i) or 0 for i in items)


def _changes(obj: object) -> list[tuple[str, str | None, str | None]]:
    state = inspect(obj)
    rows = []
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in _SKIPPED:
            continue
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before == after:
            continue
        if name in _SECRET:
            rows.append((name, "***", "***"))
        else:
            rows.append((name, _text(before), _text(after)))
    for rel in state.mapper.relationships:
        if rel.secondary is None or not rel.uselist:
            continue  # only many-to-many links belong to the row itself
        history = state.attrs[rel.key].history
        if not history.has_changes():
            continue
        after = _ids(list(history.unchanged) + list(history.added))
        before = _ids(list(history.unchanged) + list(history.deleted))
        if before != after:
            rows.append((rel.key, _text(before), _text(after)))
    return rows


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionDenied("Nhật ký thay đổi chỉ được ghi thêm, không được sửa hay xóa.")
    # Deleted objects lose their loaded values after the flush: capture them now.
    pending = session.info.setdefault("_audit_deleted", [])
    for obj in session.deleted:
        if not isinstance(obj, AuditEntry):
            pending.append((entity_name(obj), _identity(obj), _snapshot(obj, old=True)))


def _after_flush(session: Session, _context: object) -> None:
    who = str(session.info.get("username") or "admin")
    now = datetime.now().replace(microsecond=0)
    rows: list[dict[str, Any]] = []

    def add(action: str, entity: str, entity_id: int | None, field: str | None,
            old: str | None, new: str | None) -> None:
        rows.append({"at": now, "username": who, "action": action, "entity": entity,
                     "entity_id": entity_id, "field": field, "old_value": old, "new_value": new})

    for obj in session.new:
        if not isinstance(obj, AuditEntry):
            add("create", entity_name(obj), _identity(obj), None, None, _snapshot(obj, old=False))
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or obj in session.deleted:
            continue
        for name, before, after in _changes(obj):
            add("update", entity_name(obj), _identity(obj), name, before, after)
    for entity, entity_id, snapshot in session.info.pop("_audit_deleted", []):
        add("delete", entity, entity_id, None, snapshot, None)
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def install_audit(factory: sessionmaker[Session]) -> None:
    """Record every create, update and delete made through sessions of ``factory``."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "after_rollback", lambda s: s.info.pop("_audit_deleted", None))


@dataclass(frozen=True)
class AuditRow:
    """One line of the audit log, as lists and ``cchc audit`` show it."""

    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, datetime) else v)
                for k, v in asdict(self).items()}


ACTION_LABELS = {"create": "thêm", "update": "sửa", "delete": "xóa"}


def list_audit(
    session: Session,
    *,
    since: date | None = None,
    until: date | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    username: str | None = None,
    limit: int | None = 5000,
) -> list[AuditRow]:
    """Audit rows, newest first, filtered by date range, entity (and id) and user."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if since is not None:
        query = query.where(AuditEntry.at >= datetime.combine(since, datetime.min.time()))
    if until is not None:
        query = query.where(AuditEntry.at < datetime.combine(until, datetime.min.time())
                            + timedelta(days=1))
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if username:
        query = query.where(AuditEntry.username == username)
    if limit:
        query = query.limit(limit)
    return [
        AuditRow(e.id, e.at, e.username, e.action, e.entity, e.entity_id, e.field,
                 e.old_value, e.new_value)
        for e in session.scalars(query)
    ]
