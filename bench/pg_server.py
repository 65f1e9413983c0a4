"""Start (or stop) the tests' throw-away PostgreSQL server, to run the benchmarks on it.

The same cluster as ``tests/conftest.py`` starts (initdb, trust on loopback, fsync off, run as
the ``postgres`` user when started as root), kept running in FOLDER until ``--stop``.
Prints the URL of a new database in it, ready for ``cchc --db URL init`` and ``demo``.

Usage:
  python bench/pg_server.py FOLDER [--database NAME]   # start; prints the URL
  python bench/pg_server.py FOLDER --stop
A cluster already in FOLDER (stopped, or left by a reboot) is started again as it was, and
the URL of its database NAME is printed.
Then, for instance (1,000,000 tasks, the issue 18 figures on PostgreSQL):
  cchc --db URL init && cchc --db URL demo --tasks 1000000 --yes
  python bench/bench_tasks.py --db URL
  QT_QPA_PLATFORM=offscreen python bench/bench_gui.py --db URL
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import _pg_bin_dir, _PgServer  # noqa: E402 (after the path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where the cluster lives (a short path)")
    parser.add_argument("--database", default="cchc_bench")
    parser.add_argument("--stop", action="store_true")
    args = parser.parse_args()
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL binaries (initdb, pg_ctl) not found")
    server = _PgServer(bin_dir, args.folder.resolve() / "pg")
    if args.stop:
        server.stop()
        return 0
    port_file = args.folder / "port"
    if (server.data / "PG_VERSION").exists():  # a cluster made earlier: started again
        if port_file.exists():
            server.port = int(port_file.read_text())
        try:
            server.start(fresh=False)
        except RuntimeError as exc:  # running already, most likely
            raise SystemExit(f"the cluster in {args.folder} did not start: {exc}") from None
        port_file.write_text(str(server.port))
        print(server.url(args.database))
        return 0
    server.start()
    port_file.write_text(str(server.port))
    print(server.create_database(args.database))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
