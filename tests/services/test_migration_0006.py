"""Migration 0006: a plan's area-based groups become the plan's own groups, nothing lost."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text

from cchc_desktop.store.db import make_engine, open_database
from cchc_desktop.store.migrate import _config


def _database_at_0004(path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{path}")
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO units (id, name, kind, active, position, created_at) "
                          "VALUES (1, 'Văn phòng Sở', 'division', 1, 1, '2022-01-01'), "
                          "(2, 'Thanh tra Sở', 'division', 1, 2, '2022-01-01'), "
                          "(3, 'Phòng TCCB', 'division', 1, 3, '2022-01-01')"))
        conn.execute(text("INSERT INTO plans (id, kind, year, title, intro, created_at, version) "
                          "VALUES (1, 'reform', 2022, 'KH CCHC 2022', '', '2022-01-01', 1), "
                          "(2, 'propaganda', 2022, 'KH tuyên truyền', '', '2022-01-01', 1)"))
        rows = [  # (id, plan, area, position, content)
            (1, 1, 3, 1, "TTHC một"), (2, 1, 1, 2, "Chỉ đạo một"), (3, 1, None, 3, "Khác"),
            (4, 1, 3, 4, "TTHC hai"), (5, 2, None, 1, "Tuyên truyền"), (6, None, 5, 1, "UBND"),
        ]
        for task_id, plan_id, area, position, content in rows:
            conn.execute(text(
                "INSERT INTO tasks (id, plan_id, year, area, position, content, content_key, "
                "output, timing_text, lead_unit_id, completion_note, note, created_at, "
                "updated_at, version) VALUES (:i, :p, 2022, :a, :pos, :c, :c, '', '', 1, '', "
                "'', '2022-01-01', '2022-01-01', 1)"),
                {"i": task_id, "p": plan_id, "a": area, "pos": position, "c": content})
        conn.execute(text("INSERT INTO task_supporting_units (task_id, unit_id) "
                          "VALUES (1, 2), (1, 3)"))
    engine.dispose()


def test_area_groups_become_the_plans_groups(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0004(path)
    db = open_database(str(path))
    try:
        with db.session() as s:
            groups = s.execute(text(
                "SELECT plan_id, position, number, title, area FROM plan_groups "
                "ORDER BY plan_id, position")).all()
            assert groups == [
                (1, 1, "I", "Công tác chỉ đạo, điều hành CCHC", 1),
                (1, 2, "II", "Cải cách thủ tục hành chính", 3),
                (1, 3, "III", "Chưa phân loại", None),
            ]  # plan 2 had no areas: it stays without groups
            tasks = dict(s.execute(text(
                "SELECT t.id, g.number FROM tasks t LEFT JOIN plan_groups g "
                "ON g.id = t.group_id")).all())
            assert tasks == {1: "II", 2: "I", 3: "III", 4: "II", 5: None, 6: None}
            # Nothing lost: every task, area and supporting link is still there.
            assert s.execute(text("SELECT COUNT(*) FROM tasks")).scalar() == 6
            assert s.execute(text("SELECT area FROM tasks WHERE id = 6")).scalar() == 5
            assert s.execute(text(
                "SELECT COUNT(*) FROM task_supporting_units")).scalar() == 2
    finally:
        db.engine.dispose()


def test_plan_export_after_the_upgrade_prints_what_it_printed(tmp_path: Path) -> None:
    from cchc_desktop.exporters.plan_docx import plan_rows
    from cchc_desktop.services.plans import groups_by_id
    from cchc_desktop.services.task_queries import TaskFilter, list_tasks

    path = tmp_path / "old.sqlite3"
    _database_at_0004(path)
    db = open_database(str(path))
    try:
        with db.session() as s:
            tasks = list_tasks(s, date(2022, 6, 1),
                               TaskFilter(plan_id=1), order="plan")
            rows = plan_rows(tasks, groups_by_id(s, [t.group_id for t in tasks]))
        flat = [(r.label, r.title) if hasattr(r, "title") else r[1] for r in rows]
        assert flat == [("I", "Công tác chỉ đạo, điều hành CCHC"), "Chỉ đạo một",
                        ("II", "Cải cách thủ tục hành chính"), "TTHC một", "TTHC hai",
                        ("III", "Chưa phân loại"), "Khác"]
    finally:
        db.engine.dispose()


def test_downgrade_keeps_every_task(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite3"
    _database_at_0004(path)
    db = open_database(str(path))  # upgraded to 0006
    db.engine.dispose()
    engine = make_engine(f"sqlite:///{path}")
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM tasks")).scalar() == 6
        assert conn.execute(text("SELECT COUNT(*) FROM task_supporting_units")).scalar() == 2
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"
    engine.dispose()
