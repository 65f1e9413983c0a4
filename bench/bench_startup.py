"""Start-up time of the bundled programs next to the source run.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--bundle dist/cchc-desktop-<version>]

GUI: wall-clock time from launching ``cchc-desktop --db <demo db>`` to the first shown
window (offscreen) and to the database being open in it, taken by build/rth_startup_probe.py, which the bundle carries as a
runtime hook and the source run loads first. CLI: the whole ``cchc --version`` run.
The database holds 200 demo tasks. Build the bundle first (``make bundle``).
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

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "build" / "rth_startup_probe.py"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def default_bundle() -> Path:
    sys.path.insert(0, str(ROOT / "build"))
    from build import bundle_dir

    return bundle_dir()


def time_gui(cmd: list[str], env: dict[str, str], scratch: Path,
             stage: str = "shown") -> float:
    """Seconds from launch to the first shown window, or (``stage="ready"``) to its
    database being open and attached."""
    stamp_file = scratch / "shown.txt"
    stamp_file.unlink(missing_ok=True)
    run_env = dict(env, CCHC_STARTUP_PROBE=str(stamp_file))
    started = time.time()
    result = subprocess.run(cmd, env=run_env, cwd=scratch, capture_output=True, timeout=300)
    if result.returncode != 0 or not stamp_file.exists():
        raise SystemExit(f"GUI run failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
    lines = stamp_file.read_text(encoding="utf-8").splitlines()
    shown_at, windows = lines[0].split()
    if int(windows) < 1:
        raise SystemExit("the GUI's event loop started without a visible window")
    if stage == "ready":
        ready = [line.split()[1] for line in lines[1:] if line.startswith("ready ")]
        if not ready:
            raise SystemExit("the GUI quit before its database was attached")
        return float(ready[0]) - started
    return float(shown_at) - started


def time_gui_ready(cmd: list[str], env: dict[str, str], scratch: Path) -> float:
    return time_gui(cmd, env, scratch, "ready")


def time_cli(cmd: list[str], env: dict[str, str], scratch: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, cwd=scratch, capture_output=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"CLI run failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
    return time.perf_counter() - started


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):5.2f} s  (min {min(times):.2f}, max {max(times):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bundle", type=Path, default=None)
    args = parser.parse_args()
    bundle = args.bundle or default_bundle()
    if not (bundle / f"cchc-desktop{EXE_SUFFIX}").is_file():
        print(f"no bundle at {bundle}: run 'make bundle' first", file=sys.stderr)
        return 1
    has_gui = (ROOT / "cchc_desktop" / "gui" / "main_window.py").is_file()

    with tempfile.TemporaryDirectory(prefix="cchc-startup-") as tmp:
        scratch = Path(tmp)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CCHC_DATA_DIR=str(scratch / "data"))
        env.pop("CCHC_DB", None)
        db = str(scratch / "bench.sqlite3")
        cli = str(bundle / f"cchc{EXE_SUFFIX}")
        for step in (["init"], ["demo", "--tasks", "200"]):
            subprocess.run([cli, "--db", db, *step], env=env, cwd=scratch, check=True,
                           capture_output=True, timeout=300)

        source_gui = [
            sys.executable, "-c",
            f"import runpy, sys; runpy.run_path({str(PROBE)!r}); "
            "from cchc_desktop.gui.app import main; sys.exit(main(sys.argv[1:]))",
            "--db", db,
        ]
        bundle_gui = [str(bundle / f"cchc-desktop{EXE_SUFFIX}"), "--db", db]
        source_cli = [sys.executable, "-c",
                      "import sys; from cchc_desktop.cli.main import main; sys.exit(main())",
                      "--version"]
        bundle_cli = [cli, "--version"]

        print(f"start-up, {args.runs} runs each, 200 demo tasks, QT_QPA_PLATFORM=offscreen")
        print(f"bundle: {bundle}")
        rows = []
        if has_gui:
            rows.append(("GUI to first window, source", source_gui, time_gui))
            rows.append(("GUI to first window, bundle", bundle_gui, time_gui))
            rows.append(("GUI to database open, source", source_gui, time_gui_ready))
            rows.append(("GUI to database open, bundle", bundle_gui, time_gui_ready))
        else:
            print("(GUI skipped: cchc_desktop/gui/main_window.py does not exist yet)")
        rows.append(("cchc --version, source", source_cli, time_cli))
        rows.append(("cchc --version, bundle", bundle_cli, time_cli))
        for label, cmd, measure in rows:
            measure(cmd, env, scratch)  # warm-up: file cache, font cache, .pyc files
            times = [measure(cmd, env, scratch) for _ in range(args.runs)]
            print(f"  {label:<30} {summary(times)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
