"""evidence trash: deleted evidence files kept restorable (thùng rác)

A deleted file's row and links move here; its bytes stay in the blob store until
the row is purged. A new table only, so it runs the same on SQLite and PostgreSQL.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_trash",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=500), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_trash")),
    )
    op.create_index(op.f("ix_evidence_trash_sha256"), "evidence_trash", ["sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_trash_sha256"), "evidence_trash")
    op.drop_table("evidence_trash")
