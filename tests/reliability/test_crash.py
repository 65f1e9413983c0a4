"""A process killed in the middle of saving leaves a sound database with every committed change."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cchc_desktop.store.db import open_database

_WRITER = """
import sys
from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.services.tasks import create_task, get_task, update_task, draft_from_task
from cchc_desktop.services.units import create_unit
from cchc_desktop.store.db import open_database

db = open_database(sys.argv[1])
with db.session() as s:
    unit_id = create_unit(s, "Văn phòng Sở", "VP").id
i = 0
while True:  # single saves, each committed, each reported after the commit
    i += 1
    with db.session() as s:
        task = create_task(s, TaskDraft(content=f"Lưu {i}", lead_unit_id=unit_id, year=2024))
        if i > 1:
            draft = draft_from_task(get_task(s, 1))
            draft.note = f"sửa lần {i}"
            update_task(s, 1, draft)
    print(f"saved {i}", flush=True)
    if i == 40:
        break
print("import starting", flush=True)
with db.session() as s:  # an import: one transaction, killed half-way
    for j in range(1_000_000):
        create_task(s, TaskDraft(content=f"Nhập {j}", lead_unit_id=unit_id, year=2024))
        if j % 200 == 0:
            s.flush()
            print(f"imported {j}", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_mid_import_keeps_every_committed_change(tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    committed = 0
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("saved "):
            committed = int(line.split()[1])
        if line.startswith("imported ") and int(line.split()[1]) >= 600:
            break
        assert time.monotonic() < deadline, "the writer is too slow"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    assert committed == 40

    raw = sqlite3.connect(path)  # before the application touches it: recovery from the WAL
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    database = open_database(str(path))
    with database.engine.connect() as conn:
        from sqlalchemy import text

        contents = {r[0] for r in conn.execute(text("SELECT content FROM tasks"))}
        note = conn.execute(text("SELECT note FROM tasks WHERE id = 1")).scalar()
    database.close()
    assert contents == {f"Lưu {i}" for i in range(1, 41)}  # every save, no half import
    assert note == "sửa lần 40"
