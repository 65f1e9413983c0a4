"""Benchmark: the year report of a 2,000-task demo database (appendix II lists all 2,000).

Budget: under 0.5 s with the three charts (issue 18; issue 5 asked for 2 s). Prints the time
with and without the three charts (median and fastest run), the first run (which pays for
importing python-docx and matplotlib) apart from the later ones, and the plan export.
Usage: python bench/bench_export.py [--tasks N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from _demo import demo_database

BUDGET_S = 0.5


def _time(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["CCHC_DATA_DIR"] = str(Path(tmp, "data"))
        db, _path = demo_database(None, Path(tmp), args.tasks, date(2021, 12, 20))

        from cchc_desktop.domain.periods import parse_period

        period = parse_period("2021")
        out = Path(tmp, "report.docx")

        def report(charts: bool) -> None:
            from cchc_desktop.exporters.report_docx import ReportOptions, export_report

            with db.session() as session:
                export_report(session, ReportOptions(period, "263", date(2021, 12, 16),
                                                     charts=charts), out)

        first = _time(lambda: report(True))
        with_charts = [_time(lambda: report(True)) for _ in range(args.runs)]
        without = [_time(lambda: report(False)) for _ in range(args.runs)]

        from cchc_desktop.services.reports import gather_report

        with db.session() as session:
            rows = len(gather_report(session, period).tasks)

        def plan() -> None:
            from cchc_desktop.exporters.plan_docx import export_plan

            with db.session() as session:
                export_plan(session, 1, Path(tmp, "plan.docx"))

        plan_s = statistics.median(_time(plan) for _ in range(args.runs))
        db.close()

    best = statistics.median(with_charts)
    print(f"year report, appendix II with {rows} tasks:")
    print(f"  first run (imports python-docx, matplotlib): {first:.2f} s")
    print(f"  with 3 charts, median of {args.runs}:            {best:.2f} s"
          f"  (fastest {min(with_charts):.2f} s)")
    print(f"  without charts, median of {args.runs}:           {statistics.median(without):.2f} s"
          f"  (fastest {min(without):.2f} s)")
    print(f"plan export (demo plan):                        {plan_s:.2f} s")
    verdict = "OK" if best < BUDGET_S else "OVER BUDGET"
    print(f"budget {BUDGET_S:.1f} s with charts: {verdict}")
    return 0 if best < BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
