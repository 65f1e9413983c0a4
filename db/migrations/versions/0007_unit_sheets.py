"""unit sheets: the database's identity, progress sources and the extension queue

- ``settings`` gets ``database_id`` (a random UUID) and ``unit_sheet_secret`` (a random key):
  every row of a unit's progress workbook carries the identity and a signature made with the
  secret, so a returned workbook is matched to this database and a tampered row is refused.
- ``progress_updates.source``: who reported the progress (a unit's name for a returned sheet).
- ``extension_requests``: the queue of deadline extension requests (đề nghị gia hạn).

Revision ID: 0007
Revises: 0006
"""

import json
import secrets
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("progress_updates") as batch:
        batch.add_column(sa.Column("source", sa.String(length=300), nullable=False,
                                   server_default=""))
    op.create_table(
        "extension_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("requested_due", sa.Date(), nullable=False),
        sa.Column("old_due_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("document", sa.String(length=300), nullable=False),
        sa.Column("extension_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')",
                           name=op.f("ck_extension_requests_status")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"],
                                name=op.f("fk_extension_requests_task_id_tasks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["extension_id"], ["deadline_extensions.id"],
                                name=op.f("fk_extension_requests_extension_id_deadline_extensions"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_requests")),
    )
    op.create_index(op.f("ix_extension_requests_task_id"), "extension_requests", ["task_id"])
    op.create_index(op.f("ix_extension_requests_status"), "extension_requests", ["status"])
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    conn = op.get_bind()
    present = set(conn.execute(sa.select(settings.c.key)).scalars())
    rows = [
        {"key": "database_id", "value": json.dumps(str(uuid.uuid4()))},
        {"key": "unit_sheet_secret", "value": json.dumps(secrets.token_hex(32))},
    ]
    rows = [r for r in rows if r["key"] not in present]
    if rows:
        op.bulk_insert(settings, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_extension_requests_status"), "extension_requests")
    op.drop_index(op.f("ix_extension_requests_task_id"), "extension_requests")
    op.drop_table("extension_requests")
    with op.batch_alter_table("progress_updates") as batch:
        batch.drop_column("source")
    settings = sa.table("settings", sa.column("key", sa.String))
    op.execute(settings.delete().where(settings.c.key.in_(["database_id", "unit_sheet_secret"])))
