"""Indexes an import into a large database reads through

Importing a sheet matches each row to the stored tasks by its folded content
(``tasks.content_key``) and numbers the new tasks after the largest ``position`` of their
plan: without these indexes both read the whole table (0.5 s and 0.3 s at 1,000,000 tasks,
a 10,000-row import then over its 2 s budget).

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tasks_content_key", "tasks", ["content_key"])
    op.create_index("ix_tasks_plan_position", "tasks", ["plan_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_tasks_plan_position", table_name="tasks")
    op.drop_index("ix_tasks_content_key", table_name="tasks")
