"""Builds the Windows installer (NSIS) from the PyInstaller one-folder bundle.

    python build/installer.py            dist/cchc-desktop-<version>/ → dist/cchc-desktop-<version>-setup.exe
    python build/installer.py --check    compile the script against a stand-in bundle (CI, any OS)

`makensis` comes with NSIS (Debian: `apt-get install nsis`; Windows: nsis.sourceforge.io). The
real installer is built on Windows after `python build/build.py`, since the bundle must hold
Windows programs; `--check` proves on any machine that the script still compiles. Non-zero
exit with a message when makensis is missing, the bundle is missing or the compile fails.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load_build_script():  # noqa: ANN202 - the module build/build.py
    """build/build.py as a module (the folder is no package; "build" is also a PyPI name)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("cchc_build_script", HERE / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_build = _load_build_script()
DIST, BuildFailure, bundle_dir, read_version = (
    _build.DIST, _build.BuildFailure, _build.bundle_dir, _build.read_version)

SCRIPT = HERE / "installer" / "cchc-desktop.nsi"


def makensis() -> str:
    """The makensis program, or a BuildFailure saying how to get it."""
    found = shutil.which("makensis")
    if found is None:
        raise BuildFailure("makensis not found: install NSIS (Debian: apt-get install nsis)")
    return found


def compile_installer(bundle: Path, out: Path, *, fast: bool = False) -> Path:
    """Run makensis on the script for ``bundle``; returns the installer written to ``out``."""
    if not (bundle / "_internal").is_dir():
        raise BuildFailure(f"no PyInstaller bundle at {bundle}: run build/build.py first")
    cmd = [makensis(), "-V2", "-INPUTCHARSET", "UTF8", f"-DVERSION={read_version()}",
           f"-DBUNDLE={bundle}", f"-DOUTFILE={out}"]
    if fast:
        cmd.append("-DFAST")
    cmd.append(str(SCRIPT))
    result = subprocess.run(cmd, cwd=SCRIPT.parent, capture_output=True, text=True)
    if result.returncode != 0 or not out.is_file():
        raise BuildFailure(f"makensis failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    if out.read_bytes()[:2] != b"MZ":
        raise BuildFailure(f"{out} is not a Windows program")
    return out


def stand_in_bundle(folder: Path) -> Path:
    """A bundle-shaped folder (the two programs, _internal/ with the resource folders)."""
    bundle = folder / f"cchc-desktop-{read_version()}"
    for name in ("cchc-desktop.exe", "cchc.exe", "_internal/base_library.zip",
                 "_internal/resources/help/huong-dan.html", "_internal/db/README"):
        path = bundle / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"stand-in\n")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compile against a stand-in bundle into a temporary folder")
    args = parser.parse_args(argv)
    try:
        if args.check:
            with tempfile.TemporaryDirectory(prefix="cchc-nsis-") as tmp:
                out = compile_installer(stand_in_bundle(Path(tmp)), Path(tmp) / "setup.exe",
                                        fast=True)
                print(f"installer script compiles: {out.stat().st_size // 1024} KB stand-in setup")
        else:
            out = compile_installer(bundle_dir(), DIST / f"cchc-desktop-{read_version()}-setup.exe")
            print(f"installer: {out} ({out.stat().st_size / 1e6:.1f} MB)")
    except BuildFailure as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
