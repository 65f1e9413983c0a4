"""Finds the application's resource folders (``ui/``, ``resources/``, ``db/``).

They sit at the repository root in a source checkout, inside the package as
``_data/`` in an installed wheel, and under ``sys._MEIPASS`` in a PyInstaller
bundle. Everything that loads a form, an icon, a template or a migration goes
through :func:`resource_path`, so the three ways of running behave the same.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
FOLDERS = ("ui", "resources", "db")


@cache
def _root_for(folder: str) -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / folder)
    candidates.append(_PACKAGE_DIR / "_data" / folder)
    candidates.append(_PACKAGE_DIR.parent / folder)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"Resource folder '{folder}' not found (looked in: {', '.join(map(str, candidates))})"
    )


def resource_path(folder: str, *parts: str) -> Path:
    """Return the path of ``parts`` inside the resource ``folder`` (one of FOLDERS)."""
    if folder not in FOLDERS:
        raise ValueError(f"Unknown resource folder: {folder}")
    return _root_for(folder).joinpath(*parts)
