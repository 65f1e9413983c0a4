"""SQLite: the full-text index finds words under three characters

A search for a word of one or two letters ("xy", "z", "13") had no index to use: it read
every task's text (0.4 s at 1,000,000 tasks, for each keystroke). The trigram index now
holds each task's text followed by two spaces (a contentless FTS5 table the triggers fill),
so every occurrence of a short word begins one of its trigrams, and the fts5vocab table
``tasks_fts_terms`` lists the trigrams that begin with the word (a range of terms).
The index is made again once (about 15 s at a million tasks). PostgreSQL is unchanged.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

from cchc_desktop.store.search_columns import (
    SQLITE_FTS_DDL,
    SQLITE_FTS_FILL,
    SQLITE_FTS_OBJECTS,
    SQLITE_FTS_UNPADDED_DDL,
)

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _replace_index(statements: tuple[str, ...]) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for kind, name in SQLITE_FTS_OBJECTS:
        conn.exec_driver_sql(f"DROP {kind} IF EXISTS {name}")
    for statement in statements:
        conn.exec_driver_sql(statement)


def upgrade() -> None:
    _replace_index((*SQLITE_FTS_DDL, *SQLITE_FTS_FILL))


def downgrade() -> None:
    _replace_index(SQLITE_FTS_UNPADDED_DDL)
