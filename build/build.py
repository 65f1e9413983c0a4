"""Builds the one-folder application with PyInstaller and checks it.

    python build/build.py              build dist/cchc-desktop-<version>/ and report its size
    python build/build.py --smoke      ... then run the built programs (not the source)
    python build/build.py --smoke-only run the smoke test on an existing bundle

Work files go to build/work (ignored by git), output to dist/. Fails (non-zero exit) when
the build fails, when the bundle is over the size budget, when a resource folder is missing
from it, or when any smoke command fails. Same script on Windows, Linux and macOS.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build" / "cchc.spec"
WORK = ROOT / "build" / "work"
DIST = ROOT / "dist"
SIZE_BUDGET_MB = 250
RESOURCE_FOLDERS = ("ui", "resources", "db")
STEP_TIMEOUT_S = 600
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


class BuildFailure(Exception):
    """A build or smoke step failed; the message says which and why."""


def read_version() -> str:
    """The version, from cchc_desktop/__init__.py (its one place)."""
    tree = ast.parse((ROOT / "cchc_desktop" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return str(node.value.value)
    raise BuildFailure("cchc_desktop/__init__.py has no __version__")


def bundle_dir() -> Path:
    return DIST / f"cchc-desktop-{read_version()}"


def build(clean: bool) -> Path:
    """Run PyInstaller with the spec; return the bundle folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError as exc:
        raise BuildFailure("PyInstaller is missing: pip install -e '.[bundle]'") from exc
    cmd = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
        "--distpath", str(DIST), "--workpath", str(WORK), "--log-level", "ERROR",
    ]
    if clean:
        cmd.append("--clean")
    print("+", " ".join(cmd), flush=True)
    started = time.monotonic()
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0:
        raise BuildFailure(f"PyInstaller failed (exit {result.returncode})")
    print(f"built in {time.monotonic() - started:.0f} s", flush=True)
    return bundle_dir()


def folder_size_mb(folder: Path) -> float:
    """Unpacked size in MB (10^6 bytes), symlinks counted once as links."""
    total = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return total / 1_000_000


def internal_dir(bundle: Path) -> Path:
    return bundle / "_internal"


def check_layout(bundle: Path) -> None:
    """Both programs, every resource folder (non-empty) and every form are in the bundle."""
    for program in ("cchc-desktop", "cchc"):
        if not (bundle / f"{program}{EXE_SUFFIX}").is_file():
            raise BuildFailure(f"missing program in the bundle: {program}{EXE_SUFFIX}")
    for folder in RESOURCE_FOLDERS:
        path = internal_dir(bundle) / folder
        if not path.is_dir() or not any(path.iterdir()):
            raise BuildFailure(f"missing resource folder in the bundle: {path}")
    migrations = internal_dir(bundle) / "db" / "migrations"
    if not (migrations / "env.py").is_file() or not list((migrations / "versions").glob("*.py")):
        raise BuildFailure(f"Alembic migrations missing in the bundle: {migrations}")
    # The Designer forms are read at run time: each must be there, with the Qt module reading them.
    missing = sorted({p.name for p in (ROOT / "ui").glob("*.ui")}
                     - {p.name for p in (internal_dir(bundle) / "ui").glob("*.ui")})
    if missing:
        raise BuildFailure(f"forms missing in the bundle's ui/: {', '.join(missing)}")
    if not list((internal_dir(bundle) / "PySide6").glob("QtUiTools*")):
        raise BuildFailure("PySide6.QtUiTools, which loads the forms of ui/, is not in the bundle")


def report_size(bundle: Path) -> float:
    size = folder_size_mb(bundle)
    print(f"bundle: {bundle.relative_to(ROOT)}  unpacked size: {size:.1f} MB "
          f"(budget {SIZE_BUDGET_MB} MB)", flush=True)
    return size


class Smoke:
    """Runs the bundled programs in a scratch folder with a scratch data folder."""

    def __init__(self, bundle: Path, scratch: Path) -> None:
        self.bundle = bundle
        self.scratch = scratch
        self.db = scratch / "smoke.sqlite3"
        self.env = dict(os.environ)
        self.env.update(
            CCHC_DATA_DIR=str(scratch / "data"),
            QT_QPA_PLATFORM="offscreen",
            PYTHONIOENCODING="utf-8",
        )
        # The bundle must not lean on the source tree or the venv.
        for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CCHC_DB", "CCHC_STARTUP_PROBE"):
            self.env.pop(name, None)

    def run(self, program: str, *args: str, check_output: str | None = None,
            shown: str | None = None) -> str:
        exe = self.bundle / f"{program}{EXE_SUFFIX}"
        cmd = [str(exe), *args]
        shown = shown or " ".join([program, *args]).replace(str(self.scratch), "TMP")
        started = time.monotonic()
        try:
            result = subprocess.run(
                cmd, cwd=self.scratch, env=self.env, capture_output=True, text=True,
                encoding="utf-8", errors="replace", timeout=STEP_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as exc:
            raise BuildFailure(f"smoke: '{shown}' timed out after {STEP_TIMEOUT_S} s") from exc
        elapsed = time.monotonic() - started
        output = result.stdout + result.stderr
        problems = []
        if result.returncode != 0:
            problems.append(f"exit {result.returncode}")
        if "Traceback (most recent call last)" in output:
            problems.append("a traceback was printed")
        if check_output is not None and check_output not in output:
            problems.append(f"output lacks {check_output!r}")
        if problems:
            raise BuildFailure(f"smoke: '{shown}' failed ({', '.join(problems)}):\n{output[-4000:]}")
        print(f"  ok  {shown}  ({elapsed:.1f} s)", flush=True)
        return output

    def postgres(self) -> None:
        """The shared-server path: SQLAlchemy's postgresql+psycopg dialect and libpq in the bundle."""
        bin_dir = _pg_bin_dir()
        if bin_dir is None:
            print("  skip PostgreSQL (initdb/pg_ctl not found; apt-get install postgresql)")
            return
        with postgres_server(bin_dir) as url:
            shown_url = url.rsplit("@", 1)[0] + "@…/postgres"
            for args in (("init",), ("demo", "--tasks", "50"), ("tasks", "summary")):
                self.run("cchc", "--db", url, *args, shown=f"cchc --db {shown_url} {' '.join(args)}")

    def has_export_report(self) -> bool:
        exe = self.bundle / f"cchc{EXE_SUFFIX}"
        result = subprocess.run(
            [str(exe), "export", "--help"], cwd=self.scratch, env=self.env,
            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120,
        )
        return result.returncode == 0 and "report" in result.stdout

    def all(self) -> None:
        version = read_version()
        db = str(self.db)
        self.run("cchc", "--version", check_output=version)
        self.run("cchc", "--db", db, "init")
        self.run("cchc", "--db", db, "demo", "--tasks", "200")
        self.run("cchc", "--db", db, "tasks", "summary")
        if self.has_export_report():
            out = self.scratch / "r.docx"
            period = f"{date.today().year}-H1"
            self.run("cchc", "--db", db, "export", "report", "--period", period, "--out", str(out))
            check_docx(out)
        else:
            print("  skip export report (no 'cchc export report' command in this build)")
        self.postgres()
        if (ROOT / "cchc_desktop" / "gui" / "main_window.py").is_file():
            shots = self.scratch / "shots"
            self.run("cchc-desktop", "--db", db, "--screenshots", str(shots))
            pngs = sorted(shots.glob("*.png"))
            if not pngs or any(p.stat().st_size == 0 for p in pngs):
                raise BuildFailure(f"smoke: the GUI wrote no screenshots into {shots}")
            print(f"      {len(pngs)} screenshots: {', '.join(p.name for p in pngs)}")
        else:
            print("  skip GUI screenshots (cchc_desktop/gui/main_window.py does not exist yet)")


def _pg_bin_dir() -> Path | None:
    """initdb and pg_ctl: $PG_BIN, PATH, or Debian's versioned folders (as tests/conftest.py)."""
    candidates = [Path(os.environ["PG_BIN"])] if os.environ.get("PG_BIN") else []
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).resolve().parent)
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    candidates += [Path(p) for p in reversed(debian)]
    return next((f for f in candidates if (f / "initdb").exists() and (f / "pg_ctl").exists()), None)


@contextlib.contextmanager
def postgres_server(bin_dir: Path):
    """A throw-away PostgreSQL cluster on a loopback port; yields the URL of its database."""
    root = Path(tempfile.mkdtemp(prefix="cchc-pg-"))
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0

    def run(*argv: str) -> None:
        cmd = [str(bin_dir / argv[0]), *argv[1:]]
        if as_root:  # PostgreSQL refuses to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise BuildFailure(f"{argv[0]} failed: {result.stdout}{result.stderr}")

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    run("initdb", "-D", str(data), "-U", "cchc", "-A", "trust", "-E", "UTF8", "--locale=C",
        "--no-sync")
    options = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    run("pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start")
    try:
        yield f"postgresql+psycopg://cchc@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(BuildFailure):
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def check_docx(path: Path) -> None:
    if not path.is_file():
        raise BuildFailure(f"smoke: the report was not written: {path}")
    try:
        with zipfile.ZipFile(path) as docx:
            if "word/document.xml" not in docx.namelist():
                raise BuildFailure(f"smoke: {path.name} is not a Word document")
    except zipfile.BadZipFile as exc:
        raise BuildFailure(f"smoke: {path.name} is not a Word document") from exc
    print(f"      report: {path.stat().st_size // 1024} KB")


def smoke(bundle: Path, keep: bool) -> None:
    print(f"smoke test of {bundle.relative_to(ROOT)}:", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="cchc-smoke-"))
    try:
        Smoke(bundle, scratch).all()
    finally:
        if keep:
            print(f"scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print("smoke test passed", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="run the built programs after building")
    parser.add_argument("--smoke-only", action="store_true", help="smoke-test the existing bundle")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--keep", action="store_true", help="keep the smoke test's scratch folder")
    args = parser.parse_args(argv)
    try:
        bundle = bundle_dir() if args.smoke_only else build(args.clean)
        if not bundle.is_dir():
            raise BuildFailure(f"no bundle at {bundle}; build it first")
        check_layout(bundle)
        size = report_size(bundle)
        if args.smoke or args.smoke_only:
            smoke(bundle, args.keep)
        if size > SIZE_BUDGET_MB:
            raise BuildFailure(f"bundle is {size:.1f} MB, over the {SIZE_BUDGET_MB} MB budget")
    except BuildFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
