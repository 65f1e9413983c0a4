"""PostgreSQL: an index for the task list sorted by lead unit

The list sorted by lead unit reads each unit's tasks in turn, in id order
(``task_queries._lead_unit_groups``): on PostgreSQL ``ix_tasks_lead_unit_id_id`` on
(lead_unit_id, id) gives them already sorted, where the index on lead_unit_id alone would
sort a unit's hundred thousand tasks for a page of 200 or read the table in id order. SQLite
needs nothing: its index on lead_unit_id ends with the rowid, which is the id.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_tasks_lead_unit_id_id", "tasks", ["lead_unit_id", "id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_tasks_lead_unit_id_id", table_name="tasks")
