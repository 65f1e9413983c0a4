"""evidence blobs: file contents kept in the database for a shared PostgreSQL server

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: no ALTER, so it runs the same on SQLite and PostgreSQL.
    op.create_table(
        "evidence_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_evidence_blobs")),
    )


def downgrade() -> None:
    op.drop_table("evidence_blobs")
