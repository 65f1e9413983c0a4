"""Benchmark: the task list's database work at N tasks, each figure next to raw SQL.

Measures, through the services (``task_queries``) and then the same SQL run by hand in the
same run: the six-class summary for one year and for the whole database; the overdue list's
first page with its count; search keystrokes (diacritics ignored: the Nhiệm vụ tab's first
page after each character typed, the count of the matches apart); sorting by a column and changing the status filter (count and
first page). Budgets (issue 18, SQLite; ×2 on PostgreSQL): summary < 100 ms for a year and
≤ 1.5× the raw SQL for the whole database; overdue first page < 100 ms; keystroke median
< 100 ms, worst < 250 ms; sort or filter change < 300 ms.

Usage: python bench/bench_tasks.py [--tasks N] [--db PATH_OR_URL] [--keep]
(``--db`` reuses a database that already holds the demo; on a PostgreSQL URL the raw SQL
runs on the driver's own connection, psycopg.)

"First page" is what the Nhiệm vụ tab asks for: ``count_tasks`` and ``task_ids`` (the sorted
page of ids), the same service calls as the tab's paged model. A search keystroke is the
tab's first page of matches (``task_page``, 200 rows in its default order): on a large
database the tab shows it before the count, which a worker thread makes and which is
printed apart.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from _demo import demo_database
from sqlalchemy import event, func, select

from cchc_desktop.domain.status import StatusClass
from cchc_desktop.services.task_queries import (
    TaskFilter,
    apply_filter,
    count_tasks,
    list_tasks,
    summarize_tasks,
    task_ids,
    task_page,
)
from cchc_desktop.store.models import Task

AS_OF = date(2024, 11, 20)
PAGE = 100
KEYSTROKES = ("bao cao ket qua", "đào tạo", "chuyen doi so", "xyz")

RAW_SUMMARY = """
SELECT CASE
  WHEN completed_on IS NOT NULL AND completed_on <= :d AND due_date IS NULL THEN 'done_no_deadline'
  WHEN completed_on IS NOT NULL AND completed_on <= :d AND completed_on <= due_date THEN 'done_on_time'
  WHEN completed_on IS NOT NULL AND completed_on <= :d THEN 'done_late'
  WHEN due_date IS NULL THEN 'open_no_deadline'
  WHEN due_date >= :d THEN 'open_on_time'
  ELSE 'open_overdue' END AS s, count(*) FROM tasks {where} GROUP BY s
"""
RAW_OVERDUE_PAGE = """
SELECT t.id, t.content, t.due_date, u.name FROM tasks t LEFT JOIN units u ON u.id = t.lead_unit_id
WHERE (t.completed_on IS NULL OR t.completed_on > :d) AND t.due_date IS NOT NULL
  AND t.due_date < :d ORDER BY t.due_date, t.id LIMIT 100
"""
RAW_OVERDUE_COUNT = """
SELECT count(*) FROM tasks WHERE (completed_on IS NULL OR completed_on > :d)
  AND due_date IS NOT NULL AND due_date < :d
"""
RAW_SORT_PAGE = "SELECT id, content FROM tasks ORDER BY content_sort, id LIMIT 100"
RAW_STATUS_COUNT = """
SELECT count(*) FROM tasks WHERE (completed_on IS NULL OR completed_on > :d)
  AND due_date IS NOT NULL AND due_date >= :d
"""
RAW_STATUS_PAGE = """
SELECT id, content FROM tasks WHERE (completed_on IS NULL OR completed_on > :d)
  AND due_date IS NOT NULL AND due_date >= :d ORDER BY content_sort, id LIMIT 100
"""


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def median_ms(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall time of ``fn`` in milliseconds (one warm-up run first)."""
    fn()
    return statistics.median(timed(fn) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--db", help="reuse this database (file or URL) instead of building one")
    args = parser.parse_args()
    db, target = demo_database(args.db, Path(tempfile.mkdtemp(prefix="cchc-bench-")),
                               args.tasks, AS_OF)
    raw: Any = sqlite3.connect(target) if db.is_sqlite else db.engine.raw_connection()
    params: dict[str, Any] = {"d": AS_OF.isoformat() if db.is_sqlite else AS_OF}

    def raw_run(sql: str, values: dict[str, Any] | None = None) -> list[Any]:
        """The SQL on the driver itself (":name" parameters become psycopg's "%(name)s")."""
        if db.is_sqlite:
            return raw.execute(sql, values or {}).fetchall()
        cursor = raw.cursor()
        if values:
            sql = re.sub(r"(?<!:):([a-z]+)", r"%(\1)s", sql)
        cursor.execute(sql, values or None)
        rows = cursor.fetchall()
        cursor.close()
        raw.rollback()  # no transaction left open between measures
        return rows

    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(Task))
        year = s.scalar(select(func.max(Task.year)))
    print(f"tasks in database: {total}; as of {AS_OF}; page of {PAGE} rows")

    def page(flt: TaskFilter, key: str = "content") -> tuple[int, list[int]]:
        """What the paged list asks for: the count and the first page, sorted by ``key``."""
        with db.session() as s:
            count = count_tasks(s, flt, AS_OF)
            ids = task_ids(s, flt, AS_OF, sort=key, limit=PAGE)
        return count, ids

    def first_page(flt: TaskFilter, key: str = "content") -> list[int]:
        with db.session() as s:
            return task_ids(s, flt, AS_OF, sort=key, limit=PAGE)

    def counted(flt: TaskFilter) -> int:
        with db.session() as s:
            return count_tasks(s, flt, AS_OF)

    def page_sql_text(flt: TaskFilter) -> tuple[str, str]:
        with db.session() as s:
            count = apply_filter(s, select(func.count()).select_from(Task), flt, AS_OF)
            stmt = apply_filter(s, select(Task.id), flt, AS_OF)
            stmt = stmt.order_by(Task.content_sort, Task.id).limit(PAGE)
            bind = s.get_bind()
            return tuple(  # type: ignore[return-value]
                str(q.compile(bind, compile_kwargs={"literal_binds": True})).replace("%%", "%")
                for q in (count, stmt))

    def summary(flt: TaskFilter) -> Callable[[], Any]:
        def run() -> dict[str, int]:
            with db.session() as s:
                return summarize_tasks(s, AS_OF, flt)
        return run

    def overdue_page() -> tuple[int, int]:
        with db.session() as s:
            count = summarize_tasks(s, AS_OF, TaskFilter(overdue=True))["total"]
            rows = list_tasks(s, AS_OF, TaskFilter(overdue=True), limit=PAGE)
        return count, len(rows)

    def raw_ms(sql: str, extra: dict[str, Any] | None = None) -> float | None:
        values = {**params, **(extra or {})}
        return median_ms(lambda: raw_run(sql, values))

    def raw_pair(first: str, second: str, extra: dict[str, Any] | None = None) -> float | None:
        values = {**params, **(extra or {})}
        return median_ms(lambda: (raw_run(first, values), raw_run(second, values)))

    factor = 1 if db.is_sqlite else 2
    print(f"{'measure':<34}{'service ms':>12}{'raw SQL ms':>12}{'ratio':>8}  budget", flush=True)

    def report(row: tuple[str, float, float | None, str]) -> None:
        """Print one figure as soon as it is measured (a million-task run takes minutes)."""
        name, mine, other, verdict = row
        other_text = f"{other:>12.1f}" if other is not None else f"{'-':>12}"
        ratio = f"{mine / other:>8.2f}" if other else f"{'-':>8}"
        print(f"{name:<34}{mine:>12.1f}{other_text}{ratio}  {verdict}", flush=True)


    def judge(ours: float, budget: float, theirs: float | None = None,
              ratio_budget: float | None = None) -> str:
        ok = ours < budget * factor
        if ratio_budget is not None and theirs:
            ok = ok or ours <= ratio_budget * theirs
        return "ok" if ok else "OVER"

    ours = median_ms(summary(TaskFilter(year=year)))
    theirs = raw_ms(RAW_SUMMARY.format(where="WHERE year = :y"), {"y": year})
    report((f"summary, year {year}", ours, theirs, judge(ours, 100)))
    ours = median_ms(summary(TaskFilter()))
    theirs = raw_ms(RAW_SUMMARY.format(where=""))
    report(("summary, whole database", ours, theirs,
            "ok" if theirs is None or ours <= 1.5 * factor * theirs or ours < 100 * factor
            else "OVER"))
    ours = median_ms(overdue_page)
    report(("overdue list, first page", ours,
                 raw_pair(RAW_OVERDUE_COUNT, RAW_OVERDUE_PAGE), judge(ours, 100)))
    ours = median_ms(lambda: page(TaskFilter()))
    report(("sort by content, first page", ours, raw_ms(RAW_SORT_PAGE), judge(ours, 300)))
    for key in ("lead_unit", "due_date", "status"):
        ours = median_ms(lambda key=key: page(TaskFilter(), key), repeat=3)
        report((f"sort by {key}, first page", ours, None, judge(ours, 300)))
    flt = TaskFilter(statuses={StatusClass.OPEN_ON_TIME})
    ours = median_ms(lambda: page(flt))
    report(("status filter change", ours, raw_pair(RAW_STATUS_COUNT, RAW_STATUS_PAGE),
                 judge(ours, 300)))
    # A keystroke: the Nhiệm vụ tab's first page (its page size and default order, as
    # gui/tasks/paged_model reads it); the count of the matches follows in a worker thread.
    list_page = 200
    sent: list[tuple[str, Any]] = []

    def keep_sql(_conn, _cursor, statement, parameters, _context, _many) -> None:
        sent.append((statement, parameters))

    def replay(statements: list[tuple[str, Any]]) -> None:
        """The very SQL the services sent, on the driver itself."""
        for sql, values in statements:
            if db.is_sqlite:
                raw.execute(sql, values).fetchall()
            else:
                cursor = raw.cursor()
                cursor.execute(sql, values)
                cursor.fetchall()
                cursor.close()
        if not db.is_sqlite:
            raw.rollback()

    def list_first_page(flt: TaskFilter) -> int:
        with db.session() as s:
            return len(task_page(s, flt, AS_OF, limit=list_page))

    keystrokes: list[float] = []
    counts: list[float] = []
    typed: list[str] = []
    raw_keystrokes: list[float] = []
    for query in KEYSTROKES:
        for n in range(1, len(query) + 1):
            flt = TaskFilter(search=query[:n], include_supporting=True)
            sent.clear()
            event.listen(db.engine, "before_cursor_execute", keep_sql)
            try:
                keystrokes.append(timed(lambda flt=flt: list_first_page(flt)))
            finally:
                event.remove(db.engine, "before_cursor_execute", keep_sql)
            statements = list(sent)
            raw_keystrokes.append(timed(lambda st=statements: replay(st)))
            typed.append(query[:n])
            counts.append(timed(lambda flt=flt: counted(flt)))
    med, worst = statistics.median(keystrokes), max(keystrokes)
    report((f"search keystroke median ({len(keystrokes)})", med,
            statistics.median(raw_keystrokes), judge(med, 100)))
    report(("search keystroke worst", worst, max(raw_keystrokes), judge(worst, 250)
            + f" ('{typed[keystrokes.index(worst)]}')"))
    report(("  count of the matches, median", statistics.median(counts), None,
            f"worst {max(counts):.0f} ms ('{typed[counts.index(max(counts))]}'; in a worker "
            "thread, after the first page)"))
    db.close()


if __name__ == "__main__":
    main()
