"""Checks that a wheel built from the repository installs and runs in a fresh venv.

    python build/check_wheel.py [--keep]

Builds the wheel (``pip wheel . --no-deps``), creates a new virtual environment in a
scratch folder, installs the wheel there with its dependencies (from pip's cache or the
configured index), checks that the resource folders are found inside the installed
package, then runs the installed ``cchc`` and ``cchc-desktop`` through the same smoke
commands as the bundle (build/build.py): ``--version``, ``init``, ``demo``, the report
export, PostgreSQL and the GUI screenshots when they are available.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))

from build import BuildFailure, Smoke, read_version  # noqa: E402

TIMEOUT_S = 900


def run(cmd: list[str], cwd: Path, env: dict[str, str], what: str) -> str:
    started = time.monotonic()
    try:
        result = subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
            errors="replace", timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        raise BuildFailure(f"wheel check: '{what}' timed out") from exc
    output = result.stdout + result.stderr
    if result.returncode != 0 or "Traceback (most recent call last)" in output:
        raise BuildFailure(f"wheel check: '{what}' failed (exit {result.returncode}):\n{output[-4000:]}")
    print(f"  ok  {what}  ({time.monotonic() - started:.1f} s)", flush=True)
    return output


def check_wheel(scratch: Path) -> None:
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CCHC_DB", "CCHC_STARTUP_PROBE"):
        env.pop(name, None)
    env.update(CCHC_DATA_DIR=str(scratch / "data"), PIP_DISABLE_PIP_VERSION_CHECK="1")
    wheels = scratch / "wheels"
    run([sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(wheels), "--no-deps", "-q"],
        ROOT, env, "pip wheel . --no-deps")
    built = sorted(wheels.glob("cchc_desktop-*.whl"))
    if len(built) != 1:
        raise BuildFailure(f"wheel check: expected one wheel, found {[p.name for p in built]}")
    wheel = built[0]
    if f"-{read_version()}-" not in wheel.name:
        raise BuildFailure(f"wheel check: {wheel.name} does not carry version {read_version()}")
    print(f"  wheel: {wheel.name} ({wheel.stat().st_size // 1024} KB)")

    venv = scratch / "venv"
    run([sys.executable, "-m", "venv", str(venv)], scratch, env, "python -m venv")
    bindir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    suffix = ".exe" if sys.platform == "win32" else ""
    python = bindir / f"python{suffix}"
    run([str(python), "-m", "pip", "install", "-q", f"{wheel}[postgres]"], scratch, env,
        "pip install <wheel>[postgres] (with dependencies)")
    where = run(
        [str(python), "-c",
         "from cchc_desktop.resources import FOLDERS, resource_path\n"
         "for f in FOLDERS: print(resource_path(f))"],
        scratch, env, "resource_path() in the installed package",
    )
    for line in where.split():
        if not Path(line).resolve().is_relative_to(venv.resolve()):
            raise BuildFailure(f"wheel check: resource folder found outside the venv: {line}")
    smoke_dir = scratch / "smoke"
    smoke_dir.mkdir()
    Smoke(bindir, smoke_dir).all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install the wheel into a fresh venv and run it.")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="cchc-wheel-"))
    print("wheel check:", flush=True)
    try:
        check_wheel(scratch)
    except BuildFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print("wheel check passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
