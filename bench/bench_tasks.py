"""Benchmark: task summary and overdue listing on a 100,000-task demo database.

Prints each figure next to the same count done with a raw sqlite3 query, so the
cost of the service layer is visible. Budget (issue 2): under 100 ms each and
within 3x of the raw query. Usage: python bench/bench_tasks.py [--tasks N] [--db PATH]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from cchc_desktop.services.demo import build_demo
from cchc_desktop.services.task_queries import TaskFilter, list_tasks, summarize_tasks
from cchc_desktop.store.db import open_database

RAW_SUMMARY = """
SELECT CASE
  WHEN completed_on IS NOT NULL AND completed_on <= :d AND due_date IS NULL THEN 'done_no_deadline'
  WHEN completed_on IS NOT NULL AND completed_on <= :d AND completed_on <= due_date THEN 'done_on_time'
  WHEN completed_on IS NOT NULL AND completed_on <= :d THEN 'done_late'
  WHEN due_date IS NULL THEN 'open_no_deadline'
  WHEN due_date >= :d THEN 'open_on_time'
  ELSE 'open_overdue' END AS s, count(*) FROM tasks GROUP BY s
"""
RAW_OVERDUE = """
SELECT t.id, t.content, t.output, t.timing_text, t.due_date, t.completed_on, u.name,
  t.assigned_by, d.symbol, t.area, t.year,
  (SELECT group_concat(su.name, '; ') FROM task_supporting_units s
     JOIN units su ON su.id = s.unit_id WHERE s.task_id = t.id)
FROM tasks t LEFT JOIN units u ON u.id = t.lead_unit_id LEFT JOIN documents d ON d.id = t.document_id
WHERE (t.completed_on IS NULL OR t.completed_on > :d) AND t.due_date < :d ORDER BY t.due_date, t.id
"""
RAW_OVERDUE_COUNT = """
SELECT count(*) FROM tasks WHERE (completed_on IS NULL OR completed_on > :d) AND due_date < :d
"""


def best_ms(fn, repeat: int = 7) -> float:
    """Median wall time of ``fn`` in milliseconds (one warm-up run first)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--db", help="reuse this database file instead of building one")
    args = parser.parse_args()
    as_of = date(2024, 11, 20)
    folder = tempfile.mkdtemp(prefix="cchc-bench-")
    path = Path(args.db) if args.db else Path(folder) / "bench.sqlite3"
    db = open_database(str(path))
    if not args.db:
        start = time.perf_counter()
        with db.session() as s:
            build_demo(s, args.tasks, seed=1, today=as_of)
        print(f"build demo ({args.tasks} tasks): {time.perf_counter() - start:.1f} s")

    def summary() -> dict[str, int]:
        with db.session() as s:
            return summarize_tasks(s, as_of)

    def overdue() -> int:
        with db.session() as s:
            return len(list_tasks(s, as_of, TaskFilter(overdue=True)))

    raw = sqlite3.connect(path)
    params = {"d": as_of.isoformat()}

    def raw_summary() -> int:
        return sum(n for _, n in raw.execute(RAW_SUMMARY, params))

    def raw_overdue() -> int:
        return len(raw.execute(RAW_OVERDUE, params).fetchall())

    def overdue_count() -> int:
        with db.session() as s:
            return summarize_tasks(s, as_of, TaskFilter(overdue=True))["total"]

    def raw_overdue_count() -> int:
        return raw.execute(RAW_OVERDUE_COUNT, params).fetchone()[0]

    assert summary()["total"] == raw_summary()
    assert overdue() == raw_overdue() == overdue_count() == raw_overdue_count()
    rows = [
        ("tasks summary", best_ms(summary), best_ms(raw_summary)),
        ("overdue count", best_ms(overdue_count), best_ms(raw_overdue_count)),
        (f"overdue list ({overdue()} rows)", best_ms(overdue), best_ms(raw_overdue)),
    ]
    print(f"tasks in database: {summary()['total']}")
    print(f"{'measure':<28}{'service ms':>12}{'raw sqlite3 ms':>16}{'ratio':>8}  budget")
    for name, ours, theirs in rows:
        ratio = ours / theirs if theirs else float("inf")
        ok = "ok" if ours < 100 and ratio <= 3 else "OVER"
        print(f"{name:<28}{ours:>12.1f}{theirs:>16.1f}{ratio:>8.2f}  {ok}")
    db.close()


if __name__ == "__main__":
    main()
