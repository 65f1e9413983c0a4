"""Helpers for the reliability tests: a database with data, files to damage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest


def fill(database, n: int = 3) -> list[int]:  # noqa: ANN001 - Database
    """Add a unit and ``n`` tasks; return the task ids."""
    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.services.tasks import create_task
    from cchc_desktop.services.units import create_unit

    with database.session() as s:
        unit = create_unit(s, "Văn phòng Sở", "VP")
        return [create_task(s, TaskDraft(content=f"Nhiệm vụ {i}", lead_unit_id=unit.id,
                                         year=2024)).id for i in range(n)]


@pytest.fixture
def filled_path(tmp_path: Path) -> Path:
    """A closed SQLite database with one unit and three tasks."""
    from cchc_desktop.store.db import open_database

    path = tmp_path / "cchc.sqlite3"
    database = open_database(str(path))
    fill(database)
    database.close()
    return path


def damage(path: Path) -> None:
    """Overwrite the middle of the file (its table pages) with garbage."""
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page, len(data), 3 * page // 2):
        data[offset:offset + 200] = b"\xde\xad\xbe\xef" * 50
    path.write_bytes(bytes(data))


def damage_unread_table(path: Path) -> None:
    """Damage found only by reading the whole file (``PRAGMA quick_check``): a table of its
    own, that nothing of the program reads, gets a page that is not a b-tree page."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE junk (id INTEGER PRIMARY KEY, text TEXT)")
        conn.executemany("INSERT INTO junk (text) VALUES (?)", [("x" * 200,)] * 50)
        conn.commit()
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'junk'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\x42" * 16)  # 0x42: no page type of SQLite's
