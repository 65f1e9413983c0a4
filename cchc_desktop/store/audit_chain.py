"""The audit log's hash chain: each row carries a hash of its content and of the row before it.

The format is fixed (AUDIT_CHAIN_SPEC, shared with the PostgreSQL triggers of the server mode):

- canonical text of a row: ``at`` (``YYYY-MM-DD HH:MM:SS``), username, action, entity,
  entity_id (decimal digits), field, old_value, new_value, joined by U+001F; a NULL is the two
  characters backslash and N; text as stored. The id is not part of it: the order is the id's.
- ``row_hash`` = lowercase hex SHA-256 of UTF-8(``prev_hash`` + U+001F + canonical);
  ``prev_hash`` is the ``row_hash`` of the row with the next lower id, :data:`GENESIS` for the
  first row.

Writers serialise (SQLite: the write transaction; PostgreSQL: ``pg_advisory_xact_lock(4242001)``
held to the commit), so the commit order is the id order and the chain never forks.

A deleted, altered or inserted row in the middle of the log breaks the chain, and
:func:`verify_chain` names the first broken row. What no chain without an outside anchor can
see: the newest rows deleted, or rows appended by someone who knows the format; hence
``cchc audit verify`` prints the last row's id and hash, to be noted somewhere else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, NamedTuple, cast

from sqlalchemy import Connection, String, Table, func, select, text, type_coerce

from cchc_desktop.store.bulk_load import insert_values
from cchc_desktop.store.models import AuditEntry

GENESIS = "0" * 64
ADVISORY_LOCK = 4242001
SEPARATOR = "\x1f"
NULL = "\\N"
AT_FORMAT = "%Y-%m-%d %H:%M:%S"
FIELDS = ("at", "username", "action", "entity", "entity_id", "field", "old_value", "new_value")
# Rows per query while verifying: memory stays flat whatever the size of the log.
PAGE = 5000

_TABLE = cast(Table, AuditEntry.__table__)


def _at_text(at: Any) -> str:
    if at is None:
        return NULL
    if isinstance(at, datetime):
        return at.strftime(AT_FORMAT)
    return str(at)[:19].replace("T", " ")  # a raw SQLite text value


def _values(at: Any, username: Any, action: Any, entity: Any, entity_id: Any, field: Any,
            old_value: Any, new_value: Any) -> str:
    return SEPARATOR.join((
        _at_text(at),
        NULL if username is None else username,
        NULL if action is None else action,
        NULL if entity is None else entity,
        NULL if entity_id is None else str(int(entity_id)),
        NULL if field is None else field,
        NULL if old_value is None else old_value,
        NULL if new_value is None else new_value,
    ))


def canonical(row: Any) -> str:
    """The canonical text of an audit row (a mapping or an object with the column attributes)."""
    if isinstance(row, Mapping):
        return _values(*(row.get(name) for name in FIELDS))
    return _values(*(getattr(row, name) for name in FIELDS))


def _digest(prev_hash: str, canonical_text: str) -> str:
    return hashlib.sha256(f"{prev_hash}{SEPARATOR}{canonical_text}".encode()).hexdigest()


def row_hash(prev_hash: str, row: Any) -> str:
    """The hash of ``row`` chained after a row whose hash is ``prev_hash``."""
    return _digest(prev_hash, canonical(row))


def truncate_at(at: datetime) -> datetime:
    """``at`` as writers store it: whole seconds (the hash covers seconds only)."""
    return at.replace(microsecond=0)


def last_hash(conn: Connection) -> str:
    """The newest row's hash (GENESIS for an empty log); on PostgreSQL takes the writers' lock.

    On SQLite a write transaction is begun first when none is open, so that no other writer
    can append between this read and the caller's insert.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})"))
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    found = conn.execute(select(_TABLE.c.row_hash).order_by(_TABLE.c.id.desc()).limit(1)).scalar()
    return str(found) if found is not None else GENESIS


def chain_rows(prev_hash: str, rows: list[dict[str, Any]]) -> str:
    """Fill ``at`` (whole seconds), ``prev_hash`` and ``row_hash`` of ``rows``, in order.

    Returns the last row's hash. The rows must then be inserted in this order.
    """
    # The rows of one change share their ``at``: made text once (_at_text leaves text as is).
    last_at: Any = None
    at_text = NULL
    for row in rows:
        at = row.get("at")
        if isinstance(at, datetime) and at.microsecond:
            at = row["at"] = truncate_at(at)
        if at is None or at != last_at:
            last_at, at_text = at, _at_text(at)
        row["prev_hash"] = prev_hash
        prev_hash = row["row_hash"] = _digest(
            prev_hash, _values(at_text, *(row.get(name) for name in FIELDS[1:])))
    return prev_hash


def append_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert audit rows (dicts of the columns but id and hashes) at the end of the chain."""
    if not rows:
        return
    chain_rows(last_hash(conn), rows)
    # SQLite: a few multi-row statements, straight to the driver (an import logs 10,000 rows).
    insert_values(conn, _TABLE, rows)


# --- verification --------------------------------------------------------------------------

Problem = Literal["altered", "deleted", "inserted"]

PROBLEM_TEXT: dict[str, str] = {
    "altered": "nội dung đã bị sửa (không còn khớp với mã băm của nó)",
    "deleted": "một hoặc nhiều dòng trước nó đã bị xóa",
    "inserted": "dòng này được chèn thêm, không thuộc chuỗi nhật ký",
}
REHASHED_TEXT = ("nội dung đã bị sửa và mã băm của nó được tính lại (không còn khớp với dòng "
                 "sau nó)")


@dataclass(frozen=True)
class ChainBreak:
    """The first row where the chain is broken, and what is wrong with it."""

    id: int
    at: datetime | None
    username: str
    problem: Problem
    # The last row that checks out before it (None: the break is at the start of the log).
    after_id: int | None
    # Altered, and its own hash recomputed to match: the next row's link shows it.
    rehashed: bool = False

    def describe(self) -> str:
        """One Vietnamese sentence naming the row and the problem."""
        when = self.at.strftime("%d/%m/%Y %H:%M:%S") if isinstance(self.at, datetime) else "?"
        what = (REHASHED_TEXT if self.rehashed else PROBLEM_TEXT[self.problem])
        text_ = (f"Nhật ký thay đổi bị can thiệp tại dòng số {self.id} ({when}, người dùng "
                 f"'{self.username}'): {what}")
        if self.problem == "deleted":
            text_ += (f" (sau dòng số {self.after_id})" if self.after_id is not None
                      else " (ở đầu nhật ký)")
        return text_ + "."


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_chain` found: the rows checked, the newest hash, the first break."""

    count: int
    last_id: int | None
    last_hash: str
    broken: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def describe(self) -> str:
        """One Vietnamese sentence for the user."""
        if self.broken is not None:
            return self.broken.describe()
        if self.count == 0:
            return "Nhật ký thay đổi còn trống: không có gì để kiểm tra."
        rows = f"{self.count:,}".replace(",", ".")
        return (f"Nhật ký thay đổi nguyên vẹn: {rows} dòng, chuỗi mã băm khớp đến dòng "
                f"số {self.last_id}.")


class _Stored(NamedTuple):
    id: int
    at: str  # as the canonical text has it
    username: str
    prev_hash: str
    row_hash: str
    computed: str  # row_hash recomputed from the stored prev_hash and content


def _at_column(conn: Connection) -> Any:
    """``at`` as the canonical text, made by the database (no datetime per row: 3x faster)."""
    at = _TABLE.c.at
    if conn.dialect.name == "postgresql":
        return func.to_char(at, "YYYY-MM-DD HH24:MI:SS")
    return type_coerce(at, String)  # SQLite keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]' as text


def _stream(conn: Connection, page: int,
            on_page: Callable[[int, int], None] | None) -> Iterator[_Stored]:
    """Every row in id order, ``page`` rows per query (keyset pagination: flat memory)."""
    t = _TABLE
    query = select(t.c.id, t.c.prev_hash, t.c.row_hash, _at_column(conn),
                   *(t.c[name] for name in FIELDS[1:])).order_by(t.c.id).limit(page)
    after: int | None = None
    seen = 0
    total = 0 if on_page is None else conn.execute(select(func.count()).select_from(t)).scalar()
    while True:
        rows = conn.execute(query if after is None else query.where(t.c.id > after)).all()
        seen += len(rows)
        if on_page is not None:
            on_page(seen, max(seen, total or 0))
        for row_id, prev, stored, *values in rows:
            prev = prev or ""
            yield _Stored(row_id, _at_text(values[0]), values[1], prev, stored or "",
                          _digest(prev, _values(*values)))
        if len(rows) < page:
            return
        after = rows[-1][0]


def verify_chain(conn: Connection, *, page: int = PAGE,
                 on_page: Callable[[int, int], None] | None = None) -> ChainReport:
    """Check the whole chain, streaming the rows in id order; name the first broken row.

    At the first row whose ``prev_hash`` or ``row_hash`` does not fit, one row of look-ahead
    tells what happened:
    - its hash does not match its content, after a row that checks out: it was *altered*;
    - the row after it chains to the row before it: it was *inserted*;
    - it chains to the row two back: the row before it was *inserted* (with a valid hash);
    - it is intact but chains to a row that is not there (a gap in the ids): a row before it
      was *deleted*; with no gap, the row before it was *altered* and its hash recomputed.

    ``on_page(rows read so far, rows in all)`` is called before each page is checked
    (progress; it may raise to stop).
    """
    rows = _stream(conn, page, on_page)
    expected = GENESIS       # the stored hash of the last row that checked out
    before_expected = None   # what that row chained to
    previous: _Stored | None = None
    earlier: _Stored | None = None  # the row before ``previous``
    count = 0
    pending = next(rows, None)
    while pending is not None:
        row, pending = pending, next(rows, None)
        if row.prev_hash == expected and row.computed == row.row_hash:
            before_expected, expected = expected, row.row_hash
            earlier, previous = previous, row
            count += 1
            continue
        broken = _classify(row, pending, previous, earlier, expected, before_expected)
        return ChainReport(count, previous.id if previous else None, expected, broken)
    return ChainReport(count, previous.id if previous else None, expected)


def _classify(row: _Stored, following: _Stored | None, previous: _Stored | None,
              earlier: _Stored | None, expected: str, before_expected: str | None) -> ChainBreak:
    def at(r: _Stored, problem: Problem, after: _Stored | None) -> ChainBreak:
        try:
            when: datetime | None = datetime.strptime(r.at, AT_FORMAT)
        except ValueError:
            when = None
        return ChainBreak(r.id, when, r.username, problem, after.id if after else None)

    if row.prev_hash == expected:  # it follows the chain, but its content changed
        return at(row, "altered", previous)
    if previous is not None and row.prev_hash == before_expected:
        # It chains to the row before the previous one: the previous row was slipped in.
        return at(previous, "inserted", earlier)
    if following is not None and following.prev_hash == expected:
        return at(row, "inserted", previous)
    if row.computed == row.row_hash:  # intact, but chained to a row that is not there
        gap = previous is None or row.id > previous.id + 1
        if gap:
            return at(row, "deleted", previous)
        assert previous is not None
        return replace(at(previous, "altered", earlier), rehashed=True)
    if following is None:
        return at(row, "inserted", previous)  # appended without the chain's writer
    return at(row, "altered", previous)


# --- the SQLite triggers -------------------------------------------------------------------

_APPEND_ONLY = "audit_log is append-only"
# As migration 0009 creates them (a test compares a new database's sqlite_master with these).
EXPECTED_SQLITE_TRIGGERS = {
    "audit_log_no_update": "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                           f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END",
    "audit_log_no_delete": "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                           f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END",
    "audit_log_chained": "CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log "
                         "WHEN NEW.prev_hash IS NOT coalesce((SELECT row_hash FROM audit_log "
                         f"ORDER BY id DESC LIMIT 1), '{GENESIS}') "
                         "BEGIN SELECT RAISE(ABORT, 'audit_log: prev_hash is not the hash of "
                         "the last row'); END",
}


def _normal(sql: str | None) -> str:
    return " ".join((sql or "").split()).rstrip(";").strip()


def trigger_problems(conn: Connection) -> list[str]:
    """On SQLite, the audit triggers that are missing, altered or unknown (Vietnamese lines).

    Anyone holding the file can drop a trigger; this names what was done. Other databases: [].
    """
    if conn.dialect.name != "sqlite":
        return []
    found = {name: sql for name, sql in conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")}
    problems = []
    for name, expected in EXPECTED_SQLITE_TRIGGERS.items():
        if name not in found:
            problems.append(f"Thiếu trigger bảo vệ nhật ký '{name}' (đã bị xóa).")
        elif _normal(found[name]) != _normal(expected):
            problems.append(f"Trigger bảo vệ nhật ký '{name}' đã bị sửa: {_normal(found[name])}")
    for name in sorted(found.keys() - EXPECTED_SQLITE_TRIGGERS.keys()):
        problems.append(f"Trigger lạ trên nhật ký '{name}': {_normal(found[name])}")
    return problems


@dataclass(frozen=True)
class AuditCheck:
    """The chain and (SQLite) the triggers: what ``cchc audit verify``, ``check`` and the GUI say."""

    chain: ChainReport
    triggers: list[str]

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.triggers

    def problems(self) -> list[str]:
        """Vietnamese lines, one per problem (empty when all is well)."""
        return ([] if self.chain.ok else [self.chain.describe()]) + self.triggers


def check_audit_log(conn: Connection, *,
                    on_page: Callable[[int, int], None] | None = None) -> AuditCheck:
    """Verify the hash chain and, on SQLite, the triggers that keep the log append-only."""
    return AuditCheck(verify_chain(conn, on_page=on_page), trigger_problems(conn))
