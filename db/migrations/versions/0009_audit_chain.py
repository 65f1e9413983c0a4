"""audit log: a hash chain (prev_hash, row_hash), so a deleted, altered or inserted row shows

Every row gets the hash of the row before it and its own hash over its content and that
previous hash (the format: cchc_desktop/store/audit_chain.py, fixed for good, since the chain
of existing rows depends on it; this revision keeps its own copy so that it always writes
version 1 of it). Existing rows are chained in id order, streamed page by page.

The append-only triggers of 0003 stay (they refuse any UPDATE or DELETE, of the hash columns
too). On SQLite they are dropped for the backfill and made again (the table is rebuilt for
NOT NULL, which drops a table's triggers anyway), with one more: an INSERT whose prev_hash is
not the last row's hash is refused, so a script writing rows past the chain fails loudly.

Revision ID: 0009
Revises: 0007
"""

import hashlib
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
_PAGE = 20000
_MESSAGE = "audit_log is append-only"
_SQLITE_TRIGGERS = {
    "audit_log_no_update": "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                           f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    "audit_log_no_delete": "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                           f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    "audit_log_chained": "CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log "
                         "WHEN NEW.prev_hash IS NOT coalesce((SELECT row_hash FROM audit_log "
                         f"ORDER BY id DESC LIMIT 1), '{GENESIS}') "
                         "BEGIN SELECT RAISE(ABORT, 'audit_log: prev_hash is not the hash of "
                         "the last row'); END",
}

_log = sa.table(
    "audit_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
    sa.column("username", sa.String), sa.column("action", sa.String),
    sa.column("entity", sa.String), sa.column("entity_id", sa.Integer),
    sa.column("field", sa.String), sa.column("old_value", sa.Text),
    sa.column("new_value", sa.Text),
)


def _chained(conn: sa.Connection):
    """Pages of (id, prev_hash, row_hash) of every row in id order; one page in memory."""
    c = _log.c
    query = sa.select(c.id, c.at, c.username, c.action, c.entity, c.entity_id, c.field,
                      c.old_value, c.new_value).order_by(c.id).limit(_PAGE)
    prev, after = GENESIS, None
    while True:
        rows = conn.execute(query if after is None else query.where(c.id > after)).all()
        page = []
        for row_id, at, *rest in rows:
            fields = [at.strftime("%Y-%m-%d %H:%M:%S") if isinstance(at, datetime)
                      else str(at)[:19]]
            fields += ["\\N" if v is None else str(v) for v in rest]
            digest = hashlib.sha256(("\x1f".join([prev, *fields])).encode()).hexdigest()
            page.append((row_id, prev, digest))
            prev = digest
        yield page
        if len(rows) < _PAGE:
            return
        after = rows[-1][0]


def _backfill_sqlite(conn: sa.Connection) -> None:
    raw = conn.connection.driver_connection
    for page in _chained(conn):
        raw.executemany("UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE id = ?",
                        [(prev, digest, row_id) for row_id, prev, digest in page])


def _backfill_postgresql(conn: sa.Connection) -> None:
    conn.exec_driver_sql("CREATE TEMPORARY TABLE audit_chain_fill (id integer PRIMARY KEY, "
                         "prev_hash varchar(64), row_hash varchar(64)) ON COMMIT DROP")
    cursor = conn.connection.driver_connection.cursor()
    for page in _chained(conn):  # the next page is read once this COPY has ended
        with cursor.copy("COPY audit_chain_fill (id, prev_hash, row_hash) FROM STDIN") as copy:
            for chained in page:
                copy.write_row(chained)
    conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    conn.exec_driver_sql("UPDATE audit_log a SET prev_hash = f.prev_hash, row_hash = f.row_hash "
                         "FROM audit_chain_fill f WHERE a.id = f.id")
    conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
    conn.exec_driver_sql("DROP TABLE audit_chain_fill")


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        for name in ("audit_log_no_update", "audit_log_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("row_hash", sa.String(length=64), nullable=True))
    if sqlite:
        _backfill_sqlite(conn)
    else:
        _backfill_postgresql(conn)
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("row_hash", existing_type=sa.String(length=64), nullable=False)
    if sqlite:
        for statement in _SQLITE_TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
    if sqlite:  # the table was rebuilt: the triggers of 0003 again
        for name in ("audit_log_no_update", "audit_log_no_delete"):
            op.execute(_SQLITE_TRIGGERS[name])
