"""A second start on a database that is already open: how long until it hands over and ends.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_second_start.py [--runs 5]

Starts one ``cchc-desktop --db DEMO`` (the first program), then times ``cchc-desktop --db DEMO``
again: it finds the database held, asks the first to bring its window up and exits 0. Next to
it, the time of ``python -c "import PySide6.QtNetwork"`` (the floor of any such start).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    begin = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=120)
    return time.perf_counter() - begin, result.returncode


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   CCHC_DATA_DIR=str(Path(tmp) / "data"),
                   PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
        env.pop("CCHC_DB", None)
        db = str(Path(tmp) / "bench.sqlite3")
        cli = [sys.executable, "-m", "cchc_desktop.cli.main", "--db", db]
        for step in (["init"], ["demo", "--tasks", "200"]):
            subprocess.run([*cli, *step], env=env, cwd=ROOT, check=True, capture_output=True)
        gui = [sys.executable, "-m", "cchc_desktop", "--db", db]
        first = subprocess.Popen(gui, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        try:
            time.sleep(8)  # the first program is up and listening
            floor = [timed([sys.executable, "-c", "import PySide6.QtNetwork"], env)[0]
                     for _ in range(args.runs)]
            seconds, codes = [], set()
            for _ in range(args.runs):
                spent, code = timed(gui, env)
                seconds.append(spent)
                codes.add(code)
        finally:
            first.terminate()
            first.wait(timeout=30)
    print(f"second start on an open database, {args.runs} runs, median (min–max):")
    print(f"  hand over and exit: {statistics.median(seconds):.3f} s "
          f"({min(seconds):.3f}–{max(seconds):.3f}), exit codes {sorted(codes)}")
    print(f"  python + import PySide6.QtNetwork: {statistics.median(floor):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
