"""plan groups, unit aliases, the written order of supporting units

A plan keeps its own groups (numbering, title, order) instead of the eight area names;
the CCHC area becomes a separate attribute of a group. Existing plans whose tasks carry
areas get one group per area, numbered and titled as the appendix printed them, so an
export after the upgrade prints what it printed before. Units get aliases (abbreviations,
old names). Supporting units get a position: the order the plan wrote them in.

Columns are added with plain ALTER TABLE (no batch copy of ``tasks``: on SQLite, dropping
a table other tables reference with ON DELETE CASCADE would delete their rows).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The area names the appendix printed at this revision (frozen here: a later rename in the
# code must not change what this migration wrote).
_AREA_NAMES = {
    1: "Công tác chỉ đạo, điều hành CCHC",
    2: "Cải cách thể chế",
    3: "Cải cách thủ tục hành chính",
    4: "Cải cách tổ chức bộ máy hành chính nhà nước",
    5: "Cải cách chế độ công vụ",
    6: "Cải cách tài chính công",
    7: "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    8: "Tác động của CCHC",
}
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def upgrade() -> None:
    op.create_table(
        "plan_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("area", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE",
                                name=op.f("fk_plan_groups_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_groups")),
    )
    op.create_index(op.f("ix_plan_groups_plan_id"), "plan_groups", ["plan_id"])
    op.create_table(
        "unit_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], ondelete="CASCADE",
                                name=op.f("fk_unit_aliases_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_aliases")),
        sa.UniqueConstraint("alias", name=op.f("uq_unit_aliases_alias")),
    )
    op.create_index(op.f("ix_unit_aliases_unit_id"), "unit_aliases", ["unit_id"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # A downgrade on SQLite leaves the (emptied) column in place: upgrading again reuses it.
        present = {row[1] for row in bind.execute(sa.text("PRAGMA table_info(tasks)"))}
        if "group_id" not in present:
            op.execute("ALTER TABLE tasks ADD COLUMN group_id INTEGER "
                       "REFERENCES plan_groups (id) ON DELETE SET NULL")
    else:
        op.add_column("tasks", sa.Column("group_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_tasks_group_id_plan_groups"), "tasks", "plan_groups",
                              ["group_id"], ["id"], ondelete="SET NULL")
    op.create_index(op.f("ix_tasks_group_id"), "tasks", ["group_id"])
    op.add_column("task_supporting_units",
                  sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    _groups_from_areas(bind)


def _groups_from_areas(bind) -> None:  # noqa: ANN001
    """One group per area for each plan whose tasks have areas, in the order the appendix
    printed them (official area order, tasks without an area last, under the title it
    printed); a plan none of whose tasks has an area stays without groups."""
    rows = bind.execute(sa.text(
        "SELECT plan_id, area, COUNT(*) FROM tasks WHERE plan_id IS NOT NULL "
        "GROUP BY plan_id, area"
    )).all()
    areas: dict[int, set] = {}
    for plan_id, area, _n in rows:
        areas.setdefault(plan_id, set()).add(area)
    for plan_id, found in sorted(areas.items()):
        if found == {None}:
            continue
        ordered = sorted(a for a in found if a is not None) + ([None] if None in found else [])
        for position, area in enumerate(ordered, start=1):
            title = _AREA_NAMES.get(area, "Chưa phân loại") if area is not None else "Chưa phân loại"
            group_id = bind.execute(
                sa.text("INSERT INTO plan_groups (plan_id, position, number, title, area) "
                        "VALUES (:p, :pos, :n, :t, :a) RETURNING id"),
                {"p": plan_id, "pos": position, "n": _roman(position), "t": title,
                 "a": area if area in _AREA_NAMES else None},
            ).scalar_one()
            where = "area IS NULL" if area is None else "area = :a"
            bind.execute(
                sa.text(f"UPDATE tasks SET group_id = :g WHERE plan_id = :p AND {where}"),
                {"g": group_id, "p": plan_id, "a": area},
            )


def downgrade() -> None:
    op.drop_column("task_supporting_units", "position")
    op.drop_index(op.f("ix_tasks_group_id"), "tasks")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column with a foreign key, and copying ``tasks`` (batch mode)
        # would cascade-delete its children: the unused, nullable column stays.
        op.execute("UPDATE tasks SET group_id = NULL")
    else:
        op.drop_constraint(op.f("fk_tasks_group_id_plan_groups"), "tasks", type_="foreignkey")
        op.drop_column("tasks", "group_id")
    op.drop_index(op.f("ix_unit_aliases_unit_id"), "unit_aliases")
    op.drop_table("unit_aliases")
    op.drop_index(op.f("ix_plan_groups_plan_id"), "plan_groups")
    op.drop_table("plan_groups")
