"""Many users saving the same tasks on the shared server: the version column loses no update."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cchc_desktop.store.models import AuditEntry, Task
from tests.reliability.conftest import fill

PROCESSES = 10
UPDATES = 200
SHARED_ROWS = 10

_WORKER = """
import sys
from cchc_desktop.errors import ConflictError
from cchc_desktop.services.tasks import draft_from_task, get_task, update_task
from cchc_desktop.store.db import open_database

url, worker, updates, ids = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ids = [int(i) for i in ids.split(",")]
db = open_database(url, migrate=False)
db.username = f"worker{worker}"
conflicts = 0
for i in range(updates):
    task_id = ids[(worker + i) % len(ids)]
    while True:  # the user's "reload and save again"
        try:
            with db.session() as s:
                task = get_task(s, task_id)
                draft = draft_from_task(task)
                draft.note = str(int(task.note or 0) + 1)
                update_task(s, task_id, draft, expected_version=task.version)
            break
        except ConflictError:
            conflicts += 1
print(conflicts)
"""


@pytest.mark.postgres
@pytest.mark.slow  # about 20 s of CPU: 2,000 saves through the services, with retries
def test_ten_processes_lose_no_update(pg_db) -> None:
    ids = fill(pg_db, SHARED_ROWS)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, pg_db.url, str(n), str(UPDATES),
             ",".join(map(str, ids))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for n in range(PROCESSES)
    ]
    conflicts = 0
    for proc in workers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        conflicts += int(out.strip())
    with pg_db.session() as s:
        tasks = s.scalars(select(Task).where(Task.id.in_(ids))).all()
        total = sum(int(t.note) for t in tasks)
        versions = sum(t.version - 1 for t in tasks)
        audited = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "task", AuditEntry.field == "note"))
    assert total == PROCESSES * UPDATES  # no update silently lost
    assert versions == PROCESSES * UPDATES
    assert audited == PROCESSES * UPDATES  # and every one is in the audit log
    print(f"{PROCESSES}x{UPDATES} updates, {conflicts} conflicts retried")
