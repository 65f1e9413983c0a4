"""The audit log: who created, changed or deleted what, and when (append-only).

Hooked on the session factory of every :class:`~cchc_desktop.store.db.Database`;
every row is appended on the same connection, inside the same transaction as the
change it describes: a change that is rolled back leaves no audit row, and one
that is committed has its rows (except what "Not seen" below lists).

- ``after_flush`` records every new object ("create", its snapshot) and every
  changed column or many-to-many link ("update", old -> new).
- The mapper event ``before_delete`` records every object the ORM deletes
  ("delete", its old snapshot): explicit ``session.delete()``, the ORM's own
  cascades and removed orphans (a criterion taken out of its framework).
- Rows the *database* removes or changes behind the ORM (``ON DELETE CASCADE``
  and ``ON DELETE SET NULL``: a plan's tasks, a criterion's sub-criteria, scores
  and evidence links, the tasks citing a deleted document) are read just before
  the parent row goes, following the foreign keys of the models recursively,
  and recorded as a "delete" with their snapshot (or an "update" of the column
  set to NULL). Child tables that the ORM itself deletes (a relationship with a
  delete cascade) are not read twice.
- ``do_orm_execute`` sees bulk statements on mapped classes
  (``session.execute(delete(Score).where(...))``, ``update(Task)...``): the rows
  they will delete are read and recorded first, with what the database cascades
  from them; for an update the rows are read before and after and each changed
  column is recorded.

Not seen: bulk INSERTs (``session.execute(insert(Task), rows)``: the demo data; the
task import logs its own through :func:`record_inserted`),
statements on a ``Table`` rather than a mapped class (``update(Score.__table__)``:
the bookkeeping columns of a restored score, which the log skips anyway), SQL run
on a raw connection, and rows of link tables without a class of their own
(``task_supporting_units``: a deleted task's snapshot lists them when loaded).
The demo reset's ``delete(Task)`` and friends are bulk deletes on mapped classes,
so the rows it replaces are recorded.
``before_flush`` refuses any change to existing audit rows; migration 0003 makes
the database refuse them too. Each row is chained to the one before it by a hash
(store/audit_chain.py), so a row deleted, altered or slipped in by hand shows.

On a server set up by ``cchc server setup`` the server's own triggers write the log
(store/server_setup.py), in the name of the signed-in role, for whatever changes the
rows, this application or psql; the hooks here then write nothing (asked once per
connection), so no change is recorded twice.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Connection, Row, Table, event, inspect, select
from sqlalchemy.orm import ONETOMANY, Mapper, ORMExecuteState, Session, object_session, sessionmaker

from cchc_desktop.errors import PermissionDenied
from cchc_desktop.store.audit_chain import append_rows
from cchc_desktop.store.models import AuditEntry, Base

# Bookkeeping columns that change on every save and say nothing to a reader.
_SKIPPED = {"version", "updated_at", "content_key", "search_text", "content_sort",
            "timing_sort", "assigned_by_sort", "name_sort", "created_at"}
_SECRET = {"password_hash"}
MAX_VALUE_CHARS = 4000
# Ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500


def _class_entity(cls: type) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


def entity_name(obj: object) -> str:
    """``ProgressUpdate`` -> ``progress_update``: the entity column of the log."""
    return _class_entity(type(obj))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (bytes, bytearray, memoryview)):  # a file's content: its size only
        return f"<{len(value):,} byte>".replace(",", ".")
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


def _identity(obj: object) -> int | None:
    state = inspect(obj)
    key = state.mapper.primary_key_from_instance(obj)
    if len(key) == 1 and isinstance(key[0], int):
        return key[0]
    return None


def _key(obj: object) -> Any:
    """The primary key of a persistent object: the value, or a tuple for a composite key."""
    state = inspect(obj)
    key = state.identity or state.mapper.primary_key_from_instance(obj)
    return key[0] if len(key) == 1 else tuple(key)


# One encoder for every snapshot: json.dumps with options builds a new one per call, which
# costs as much as the encoding of a task's twenty columns.
_dump = json.JSONEncoder(ensure_ascii=False, default=_text, sort_keys=True).encode


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
    if old:
        for rel in state.mapper.relationships:
            # A deleted row's many-to-many links go with it; name them when they are loaded.
            if rel.secondary is not None and rel.uselist and rel.key in state.dict:
                history = state.attrs[rel.key].history
                values[rel.key] = _ids(list(history.unchanged) + list(history.deleted))
    return _dump(values)


def _row_snapshot(mapper: Mapper[Any], row: Row[Any]) -> str:
    values: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key in _SKIPPED:
            continue
        value = row._mapping[attr.columns[0]]
        values[attr.key] = "***" if attr.key in _SECRET and value else value
    return _dump(values)


def _ids(items: Any) -> list[Any]:
    return sorted(_identity(i) or 0 for i in items)


def _changes(obj: object) -> list[tuple[str, str | None, str | None]]:
    state = inspect(obj)
    rows: list[tuple[str, str | None, str | None]] = []
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


# --- what the database cascades ------------------------------------------------------------


def _table(mapper: Mapper[Any]) -> Table:
    return cast(Table, mapper.local_table)


@cache
def _mappers() -> dict[Table, Mapper[Any]]:
    return {m.local_table: m for m in Base.registry.mappers if isinstance(m.local_table, Table)}


@cache
def _dependents(table: Table) -> list[tuple[Mapper[Any], Any, str]]:
    """(child mapper, its foreign-key column, "CASCADE" or "SET NULL") of rows pointing at ``table``."""
    found = []
    for child in Base.metadata.sorted_tables:
        mapper = _mappers().get(child)
        if mapper is None:
            continue  # a link table: its rows belong to the row that owns them
        for fk in child.foreign_keys:
            rule = (fk.ondelete or "").upper()
            if fk.column.table is table and rule in ("CASCADE", "SET NULL"):
                found.append((mapper, fk.parent, rule))
    return found


@cache
def _orm_deletes(mapper: Mapper[Any]) -> frozenset[Any]:
    """Foreign-key columns whose rows the ORM deletes itself when a ``mapper`` row goes."""
    return frozenset(
        column
        for rel in mapper.relationships
        if rel.cascade.delete and not rel.passive_deletes and rel.secondary is None
        for column in rel.remote_side
    )


@cache
def _batchable(mapper: Mapper[Any]) -> bool:
    """True when deleting a ``mapper`` row never makes the ORM set a child's foreign key to NULL.

    Then, when the first row of a flush goes, the ORM has already dealt with the
    children of every row of that mapper, and one query per child table finds what
    the database will cascade for all of them.
    """
    return all(rel.cascade.delete for rel in mapper.relationships
               if rel.direction is ONETOMANY)


def _chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


@dataclass
class _Log:
    """Audit rows waiting to be written, and the rows already recorded as deleted."""

    username: str
    at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    rows: list[dict[str, Any]] = field(default_factory=list)
    gone: set[tuple[str, Any]] = field(default_factory=set)

    def add(self, action: str, entity: str, key: Any, field: str | None,
            old: str | None, new: str | None) -> None:
        """Queue one row; ``key`` is the row's primary key (only an integer fits entity_id)."""
        entity_id = key if isinstance(key, int) and not isinstance(key, bool) else None
        self.rows.append({"at": self.at, "username": self.username, "action": action,
                          "entity": entity, "entity_id": entity_id, "field": field,
                          "old_value": old, "new_value": new})

    def deleted(self, mapper: Mapper[Any], key: Any, snapshot: Any) -> bool:
        """Record a deleted row once; False when it was already recorded."""
        if (_table(mapper).name, key) in self.gone:
            return False
        self.gone.add((_table(mapper).name, key))
        self.add("delete", _class_entity(mapper.class_), key, None,
                 snapshot() if callable(snapshot) else snapshot, None)
        return True

    def cascade(self, conn: Connection, mapper: Mapper[Any], ids: Sequence[Any],
                *, orm_handled: frozenset[Any] = frozenset()) -> None:
        """Record the rows the database will delete or set to NULL when rows ``ids`` go."""
        if not ids:
            return
        for child, fk, rule in _dependents(mapper.local_table):
            if fk in orm_handled:
                continue
            pk = child.primary_key[0]
            found = [row for chunk in _chunks(ids)
                     for row in conn.execute(select(child.local_table).where(fk.in_(chunk)))]
            if rule == "CASCADE":
                fresh = [row._mapping[pk] for row in found
                         if self.deleted(child, row._mapping[pk], _row_snapshot(child, row))]
                self.cascade(conn, child, fresh)
            else:
                for row in found:
                    key = row._mapping[pk]
                    if (_table(child).name, key) not in self.gone:
                        self.add("update", _class_entity(child.class_), key, fk.key,
                                 _text(row._mapping[fk]), None)

    def write(self, conn: Connection) -> None:
        """Append the queued rows at the end of the hash chain (store/audit_chain.py)."""
        if self.rows:
            append_rows(conn, self.rows)
            self.rows = []


def _log(session: Session) -> _Log | None:
    log = session.info.get("_audit_log")
    return log if isinstance(log, _Log) else None


def _server_writes_log(session: Session) -> bool:
    """True when the server's triggers keep the log (a set-up PostgreSQL server)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    from cchc_desktop.store.server_mode import server_audited

    return server_audited(session.connection())


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionDenied("Nhật ký thay đổi chỉ được ghi thêm, không được sửa hay xóa.")
    if _server_writes_log(session):
        session.info.pop("_audit_log", None)
        session.info["_audit_by_server"] = True
        return
    # A fresh log per flush: whatever a failed flush left behind is dropped.
    session.info["_audit_log"] = _Log(str(session.info.get("username") or "admin"))


def _deleted_snapshot(mapper: Mapper[Any], conn: Connection, obj: object) -> str:
    if inspect(obj).unloaded & {a.key for a in mapper.column_attrs}:  # expired: read the row
        row = conn.execute(select(mapper.local_table).where(
            mapper.primary_key[0] == _key(obj))).first()
        if row is not None:
            return _row_snapshot(mapper, row)
    return _snapshot(obj, old=True)


def _before_delete(mapper: Mapper[Any], conn: Connection, target: object) -> None:
    """Inside a flush, just before the DELETE: the row and what the database cascades from it."""
    session = object_session(target)
    log = _log(session) if session is not None else None
    if session is None or log is None or isinstance(target, AuditEntry):
        return  # a session without the audit hooks (tests of the models alone)
    if (_table(mapper).name, _key(target)) in log.gone:
        return  # recorded with its batch, or as a row the database cascades
    batch = [target]
    if _batchable(mapper):
        # The ORM deletes a mapper's rows together; read their cascades in one query.
        batch += [o for o in session.deleted if o is not target and inspect(o).mapper is mapper]
    fresh = [_key(obj) for obj in batch
             if log.deleted(mapper, _key(obj), lambda o=obj: _deleted_snapshot(mapper, conn, o))]
    log.cascade(conn, mapper, fresh, orm_handled=_orm_deletes(mapper))


def _after_flush(session: Session, _context: object) -> None:
    if session.info.pop("_audit_by_server", False):
        return
    log = _log(session) or _Log(str(session.info.get("username") or "admin"))
    deletes, log.rows = log.rows, []
    for obj in session.new:
        if not isinstance(obj, AuditEntry):
            log.add("create", entity_name(obj), _identity(obj), None, None,
                    _snapshot(obj, old=False))
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or obj in session.deleted:
            continue
        for name, before, after in _changes(obj):
            log.add("update", entity_name(obj), _identity(obj), name, before, after)
    log.rows.extend(deletes)
    log.write(session.connection())
    session.info.pop("_audit_log", None)


def _do_orm_execute(state: ORMExecuteState) -> Any:
    """Bulk UPDATE/DELETE on a mapped class: record the rows it touches, then run it."""
    if not (state.is_update or state.is_delete) or not state.is_orm_statement:
        return None
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ is AuditEntry:
        return None
    session = state.session
    if _server_writes_log(session):
        return None
    if session.autoflush and state.execution_options.get("autoflush", True):
        session.flush()  # the statement would flush first; read what it will really touch
    conn = session.connection()
    table, pk = mapper.local_table, mapper.primary_key[0]
    statement: Any = state.statement
    if statement.whereclause is not None:
        where = statement.whereclause
    elif isinstance(state.parameters, list):  # ORM bulk UPDATE by primary key
        where = pk.in_([p[pk.key] for p in state.parameters])
    else:
        where = None
    query = select(table) if where is None else select(table).where(where)
    before = {row._mapping[pk]: row for row in conn.execute(query)}
    log = _Log(str(session.info.get("username") or "admin"))
    if state.is_delete:
        for key, row in before.items():
            log.deleted(mapper, key, _row_snapshot(mapper, row))
        log.cascade(conn, mapper, list(before))
        log.write(conn)
        return None
    result = state.invoke_statement()
    entity = _class_entity(mapper.class_)
    for chunk in _chunks(list(before)):
        for row in conn.execute(select(table).where(pk.in_(chunk))):
            key = row._mapping[pk]
            for attr in mapper.column_attrs:
                column = attr.columns[0]
                old, new = before[key]._mapping[column], row._mapping[column]
                if attr.key in _SKIPPED or old == new:
                    continue
                if attr.key in _SECRET:
                    log.add("update", entity, key, attr.key, "***", "***")
                else:
                    log.add("update", entity, key, attr.key, _text(old), _text(new))
    log.write(conn)
    return result


def record_inserted(session: Session, cls: type, rows: Sequence[dict[str, Any]],
                    *, during: Callable[[], None] | None = None) -> None:
    """Log a Core bulk INSERT of ``cls`` rows, which the hooks above do not see.

    Call it in the transaction that inserted them, with the values written and each row's
    primary key (``rows[i]["id"]``, from ``RETURNING``): each becomes the same "create" row
    a flush of the object would have logged (a column left out takes its scalar default).
    On a set-up server the triggers have logged them already.

    ``during``: the INSERT itself, not yet run (the rows then carry their ids already). It
    runs while a helper thread makes the log rows (a JSON snapshot each): SQLite lets go of
    the interpreter while it stores rows, so both run at once on two cores. The thread is
    always joined; an error of either is raised here, and the log rows are written after.
    """
    if _server_writes_log(session):
        if during is not None:
            during()
        return
    username = str(session.info.get("username") or "admin")
    if during is None:
        log = _inserted_log(username, cls, rows)
    else:
        made: list[_Log | BaseException] = []

        def make() -> None:
            try:
                made.append(_inserted_log(username, cls, rows))
            except BaseException as exc:  # noqa: BLE001 (raised in the calling thread)
                made.append(exc)

        helper = threading.Thread(target=make, name="audit-rows", daemon=True)
        helper.start()
        try:
            during()
        finally:
            helper.join()
        if isinstance(made[0], BaseException):
            raise made[0]
        log = made[0]
    log.write(session.connection())


def _inserted_log(username: str, cls: type, rows: Sequence[dict[str, Any]]) -> _Log:
    """The "create" rows of :func:`record_inserted`, not yet written (no database access)."""
    mapper = cast(Mapper[Any], inspect(cls))
    columns = [(attr.key, attr.columns[0]) for attr in mapper.column_attrs
               if attr.key not in _SKIPPED]
    defaults = [(key, column.default.arg if column.default is not None
                 and column.default.is_scalar else None) for key, column in columns]
    secret = [key for key, _c in columns if key in _SECRET]
    pk = str(mapper.primary_key[0].key)
    log = _Log(username)
    entity = _class_entity(cls)
    for row in rows:
        values = {key: row.get(key, default) for key, default in defaults}
        for key in secret:
            values[key] = "***" if values[key] else values[key]
        log.add("create", entity, row[pk], None, None, _dump(values))
    return log


_mapper_hooked = False


def install_audit(factory: sessionmaker[Session]) -> None:
    """Record every create, update and delete made through sessions of ``factory``."""
    global _mapper_hooked
    if not _mapper_hooked:  # mapper events are global; they act only in audited sessions
        event.listen(Base, "before_delete", _before_delete, propagate=True)
        _mapper_hooked = True
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _do_orm_execute)
    event.listen(factory, "after_rollback", lambda s: s.info.pop("_audit_log", None))


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
