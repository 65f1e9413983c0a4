"""Benchmark: the audit log's hash chain at a million rows (issue 13).

Makes a database at schema 0007 holding N audit rows (as builds before the chain wrote them),
then times the upgrade that chains them (migration 0009) and ``verify_chain`` over the result,
with the process's peak memory before and after the verification (it streams: the peak should
not grow with N). Prints the figures; asserts nothing.

Usage: python bench/bench_audit_chain.py [--rows N] [--url postgresql+psycopg://...]
(default: a temporary SQLite file; a PostgreSQL URL must name an empty database).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text


def _old_rows(n: int) -> Iterator[dict]:
    start = datetime(2024, 1, 1, 8, 0, 0)
    snapshot = json.dumps({"content": "Rà soát, đơn giản hóa thủ tục hành chính " * 4,
                           "lead_unit_id": 3, "year": 2024, "due_date": "2024-06-30"},
                          ensure_ascii=False)
    for i in range(n):
        if i % 5 == 0:
            yield {"at": start + timedelta(seconds=i), "u": "thuy.vp", "a": "create", "e": "task",
                   "i": i, "f": None, "o": None, "n": snapshot}
        else:
            yield {"at": start + timedelta(seconds=i), "u": "an.ttr", "a": "update", "e": "task",
                   "i": i // 5, "f": "note", "o": f"Ghi chú {i - 1}", "n": f"Ghi chú {i}"}


def _fill(url: str, n: int) -> None:
    engine = create_engine(url)
    insert = text("INSERT INTO audit_log (at, username, action, entity, entity_id, field, "
                  "old_value, new_value) VALUES (:at, :u, :a, :e, :i, :f, :o, :n)")
    batch: list[dict] = []
    with engine.begin() as conn:
        for row in _old_rows(n):
            batch.append(row)
            if len(batch) == 20000:
                conn.execute(insert, batch)
                batch = []
        if batch:
            conn.execute(insert, batch)
    engine.dispose()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--url", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CCHC_DATA_DIR"] = str(Path(tmp, "data"))
        from alembic import command

        from cchc_desktop.store.audit_chain import verify_chain
        from cchc_desktop.store.db import open_database
        from cchc_desktop.store.migrate import _config

        url = args.url or f"sqlite:///{Path(tmp, 'bench.sqlite3')}"
        open_database(url, auto_backup=False).close()
        engine = create_engine(url)
        config = _config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0007")
        engine.dispose()
        start = time.perf_counter()
        _fill(url, args.rows)
        print(f"{args.rows:,} audit rows written at schema 0007 in "
              f"{time.perf_counter() - start:.1f} s")

        start, cpu = time.perf_counter(), time.process_time()
        db = open_database(url, auto_backup=False)  # migration 0009 chains them
        print(f"upgrade to 0009 (chaining {args.rows:,} rows): {time.perf_counter() - start:.1f} s"
              f" ({time.process_time() - cpu:.1f} s CPU in this process)")
        before = _peak_mb()
        start, cpu = time.perf_counter(), time.process_time()
        with db.engine.connect() as conn:
            report = verify_chain(conn)
        elapsed = time.perf_counter() - start
        assert report.ok and report.count == args.rows, report
        print(f"verify_chain: {report.count:,} rows in {elapsed:.1f} s "
              f"({report.count / elapsed:,.0f} rows/s; {time.process_time() - cpu:.1f} s CPU in "
              f"this process); peak memory {before:.0f} MB before, {_peak_mb():.0f} MB after")
        print(f"load average while it ran: {os.getloadavg()[0]:.1f}")
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
