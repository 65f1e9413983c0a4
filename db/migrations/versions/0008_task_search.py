"""task search and sort in the database

- ``tasks.search_text``: the task's own text folded (content, output, assigning body,
  timing), the text the search box looks in; ``tasks.content_sort`` and ``units.name_sort``
  (indexed), ``tasks.timing_sort`` and ``tasks.assigned_by_sort``: Vietnamese sort keys, so
  the task list sorts and pages in SQL.
- SQLite: ``tasks_fts``, an FTS5 table with the trigram tokenizer over ``search_text``
  (external content, kept in step by triggers on ``tasks``). PostgreSQL: the pg_trgm
  extension and a GIN index on ``search_text``.
- ``ix_tasks_year_due_completed`` replaces ``ix_tasks_year``: a year's status summary reads
  the index alone.
- Existing rows are filled in batches with the application's own rule
  (:func:`cchc_desktop.store.search_columns.task_index_values`): the columns must equal what
  the application writes; a change of that rule comes with a migration that refills them.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from cchc_desktop.store.search_columns import (
    POSTGRES_TRGM_DDL,
    SQLITE_FTS_OBJECTS,
    SQLITE_FTS_UNPADDED_DDL,
    task_index_values,
    unit_index_values,
)

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_BATCH = 5000


def _sort_key_type() -> sa.types.TypeEngine:
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def _backfill_tasks(conn: sa.Connection) -> None:
    select = sa.text("SELECT id, content, output, assigned_by, timing_text FROM tasks "
                     "WHERE id > :after ORDER BY id LIMIT :n")
    update = sa.text(
        "UPDATE tasks SET content_key = :content_key, search_text = :search_text, "
        "content_sort = :content_sort, timing_sort = :timing_sort, "
        "assigned_by_sort = :assigned_by_sort WHERE id = :id")
    after = 0
    while True:
        rows = conn.execute(select, {"after": after, "n": _BATCH}).all()
        if not rows:
            return
        conn.execute(update, [
            {"id": row[0], **task_index_values(row[1], row[2], row[3], row[4])} for row in rows
        ])
        after = rows[-1][0]


def upgrade() -> None:
    op.add_column("tasks", sa.Column("search_text", sa.Text(), nullable=False,
                                     server_default=""))
    for name in ("content_sort", "timing_sort", "assigned_by_sort"):
        op.add_column("tasks", sa.Column(name, _sort_key_type(), nullable=False,
                                         server_default=""))
    op.add_column("units", sa.Column("name_sort", _sort_key_type(), nullable=False,
                                     server_default=""))
    conn = op.get_bind()
    _backfill_tasks(conn)
    units = conn.execute(sa.text("SELECT id, name FROM units")).all()
    if units:
        conn.execute(sa.text("UPDATE units SET name_sort = :name_sort WHERE id = :id"),
                     [{"id": uid, **unit_index_values(name)} for uid, name in units])
    op.create_index("ix_tasks_content_sort", "tasks", ["content_sort", "id"])
    # A year's six-class summary reads this index alone (it replaces the index on year).
    op.create_index("ix_tasks_year_due_completed", "tasks", ["year", "due_date", "completed_on"])
    op.drop_index("ix_tasks_year", table_name="tasks")
    op.create_index(op.f("ix_units_name_sort"), "units", ["name_sort"])
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_FTS_UNPADDED_DDL:
            conn.exec_driver_sql(statement)
    else:
        for statement in POSTGRES_TRGM_DDL:
            conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for kind, name in SQLITE_FTS_OBJECTS:
            conn.exec_driver_sql(f"DROP {kind} IF EXISTS {name}")
    else:
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_tasks_search_text_trgm")
    op.drop_index(op.f("ix_units_name_sort"), table_name="units")
    op.drop_index("ix_tasks_content_sort", table_name="tasks")
    op.create_index("ix_tasks_year", "tasks", ["year"])
    op.drop_index("ix_tasks_year_due_completed", table_name="tasks")
    # Plain ALTER TABLE (SQLite 3.35+): a batch copy of ``tasks`` would cascade deletes.
    for table, column in (("units", "name_sort"), ("tasks", "content_sort"),
                          ("tasks", "timing_sort"), ("tasks", "assigned_by_sort"),
                          ("tasks", "search_text")):
        conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
