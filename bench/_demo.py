"""The benchmarks' database: one given (``--db``, a file or URL that holds the demo) or a
demo built for the run, with the time the build took printed."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from cchc_desktop.store.db import Database, open_database


def demo_database(given: str | None, folder: Path, tasks: int, as_of: date) -> tuple[Database, str]:
    """Open ``given`` as it is, or build ``tasks`` demo tasks (as of ``as_of``) in a new
    database in ``folder``; returns the open database and its path or URL."""
    target = given or str(folder / "bench.sqlite3")
    db = open_database(target)
    if not given:
        from cchc_desktop.services.demo import build_demo

        begin = time.perf_counter()
        with db.session() as session:
            build_demo(session, tasks, seed=1, today=as_of)
        print(f"built {tasks:,} demo tasks in {time.perf_counter() - begin:.1f} s")
    return db, target
