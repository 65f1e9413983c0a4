"""Benchmark: the Nhiệm vụ list as shown, to .xlsx and .docx (all, and one part per unit).

Prints the time of each export on a demo database (default 5,000 tasks), and of the
"search everywhere" filter the tab uses (folded in Python over every row).
Usage: python bench/bench_task_list.py [--tasks N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path


def _median(fn, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    today = date(2024, 11, 20)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CCHC_DATA_DIR"] = str(Path(tmp, "data"))
        from cchc_desktop.exporters.task_list import export_task_list
        from cchc_desktop.services.demo import build_demo
        from cchc_desktop.services.task_queries import TaskFilter, list_tasks
        from cchc_desktop.store.db import open_database

        db = open_database(str(Path(tmp, "bench.sqlite3")))
        with db.session() as session:
            build_demo(session, args.tasks, seed=1, today=today)

        def export(fmt: str, by_unit: bool) -> None:
            with db.session() as session:
                export_task_list(session, Path(tmp, f"list.{fmt}"), TaskFilter(), as_of=today,
                                 fmt=fmt, by_unit=by_unit)

        def search() -> None:
            with db.session() as session:
                list_tasks(session, today, TaskFilter(search="bao cao"))

        print(f"task list of {args.tasks} tasks, median of {args.runs}:")
        for fmt in ("xlsx", "docx"):
            for by_unit in (False, True):
                seconds = _median(lambda f=fmt, u=by_unit: export(f, u), args.runs)
                label = "per unit" if by_unit else "one list"
                print(f"  {fmt} {label:<9} {seconds:6.2f} s")
        print(f"  search everywhere ('bao cao'): {_median(search, args.runs):.2f} s")
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
