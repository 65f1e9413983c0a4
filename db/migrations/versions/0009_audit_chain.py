"""audit log: a hash chain (prev_hash, row_hash), so a deleted, altered or inserted row shows

Every row gets the hash of the row before it and its own hash over its content and that
previous hash (the format: cchc_desktop/store/audit_chain.py, fixed for good, since the chain
of existing rows depends on it; this revision keeps its own copy so that it always writes
version 1 of it). Existing rows are chained in id order, streamed page by page.

The append-only triggers of 0003 stay (they refuse any UPDATE or DELETE, of the hash columns
too). On SQLite they are dropped for the backfill and made again, with one more: an INSERT
whose prev_hash is not the last row's hash is refused, so a script writing rows past the chain
fails loudly. On PostgreSQL the trigger is disabled for the backfill, inside the transaction.

Revision ID: 0009
Revises: 0007
"""

import hashlib

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
    "audit_log", sa.column("id", sa.Integer), sa.column("at", sa.String),  # at: text, see below
    sa.column("username", sa.String), sa.column("action", sa.String),
    sa.column("entity", sa.String), sa.column("entity_id", sa.Integer),
    sa.column("field", sa.String), sa.column("old_value", sa.Text),
    sa.column("new_value", sa.Text),
)


def _chained(conn: sa.Connection):
    """Pages of (id, prev_hash, row_hash) of every row in id order; one page in memory.

    ``at`` is read as text, its first 19 characters ('YYYY-MM-DD HH:MM:SS'): SQLite keeps it
    so, PostgreSQL's to_char makes it (no datetime object per row: three times faster).
    """
    c = _log.c
    at = (sa.func.to_char(sa.column("at", sa.DateTime), "YYYY-MM-DD HH24:MI:SS")
          if conn.dialect.name == "postgresql" else c.at)
    query = sa.select(c.id, at, c.username, c.action, c.entity, c.entity_id, c.field,
                      c.old_value, c.new_value).select_from(_log).order_by(c.id).limit(_PAGE)
    prev, after = GENESIS, None
    while True:
        rows = conn.execute(query if after is None else query.where(c.id > after)).all()
        page = []
        for row_id, *values in rows:
            values[0] = values[0][:19].replace("T", " ")
            text = "\x1f".join(["\\N" if v is None else str(v) for v in values])
            digest = hashlib.sha256(f"{prev}\x1f{text}".encode()).hexdigest()
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
    if conn.dialect.name == "sqlite":
        for name in ("audit_log_no_update", "audit_log_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        # NOT NULL needs a default on SQLite's ADD COLUMN; '' is never a valid hash, and the
        # trigger audit_log_chained refuses a row that relies on it. (No table rebuild: one
        # pass over a million rows instead of two.)
        for column in ("prev_hash", "row_hash"):
            op.add_column("audit_log", sa.Column(column, sa.String(length=64), nullable=False,
                                                 server_default=""))
        _backfill_sqlite(conn)
        for statement in _SQLITE_TRIGGERS.values():
            op.execute(statement)
    else:
        for column in ("prev_hash", "row_hash"):
            op.add_column("audit_log", sa.Column(column, sa.String(length=64), nullable=True))
        _backfill_postgresql(conn)
        op.execute("ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, "
                   "ALTER COLUMN row_hash SET NOT NULL")


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
