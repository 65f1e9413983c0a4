"""Build the shipped templates into resources/templates/ (the same bytes on every run).

Usage: ``python -m cchc_desktop.exporters.build_templates [--check] [--out DIR]``. The
templates are written from :data:`~cchc_desktop.exporters.doc_templates.TEMPLATE_KINDS`, so
a change of a default sentence is a change of code, reviewed as such; ``--check`` exits 1
when a file in the folder differs from what the code builds (tests run it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "resources" / "templates"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) every shipped template; the exit status."""
    from cchc_desktop.exporters.doc_templates import TEMPLATE_KINDS, build_default
    from cchc_desktop.store.atomic import atomic_write_bytes

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    args.out.mkdir(parents=True, exist_ok=True)
    for kind in TEMPLATE_KINDS.values():
        target = args.out / kind.file_name
        data = build_default(kind)
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(target.name)
            continue
        atomic_write_bytes(target, data)
        print(target)
    if stale:
        print(f"out of date: {', '.join(stale)} (run python -m "
              f"cchc_desktop.exporters.build_templates)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
