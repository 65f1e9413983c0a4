"""Benchmark: what the server's audit triggers cost (cchc server setup) against the
application's own audit writer, on the same PostgreSQL server.

Two fresh databases get the same demo data; one is set up with `cchc server setup`. Each
then saves a change to every task one by one (one transaction per task, as the task
editor does) and in one transaction (an import), and deletes a plan with its tasks (the
database cascades). Prints seconds and audit rows for both. Usage:
  python bench/bench_server_audit.py [--url postgresql+psycopg://SUPERUSER@HOST:PORT/postgres]
                                     [--tasks N]
Without --url a throw-away cluster is started (needs initdb/pg_ctl, as the tests do).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, func, select, text


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _database(admin_url: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _run(url: str, tasks: int, server: bool) -> dict[str, float]:
    from cchc_desktop.services.demo import build_demo
    from cchc_desktop.store.db import open_database
    from cchc_desktop.store.models import AuditEntry, Plan, Task
    from cchc_desktop.store.server_setup import setup_server

    db = open_database(url)
    if server:
        setup_server(db.engine)
        db.close()
        db = open_database(url)
    figures: dict[str, float] = {}
    with db.session() as s:
        build_demo(s, tasks, seed=7, today=date(2024, 11, 20))
    with db.session() as s:
        ids = list(s.scalars(select(Task.id).order_by(Task.id)))

    def one_by_one() -> None:
        for task_id in ids:
            with db.session() as s:
                s.get(Task, task_id).note = "đã đôn đốc"

    def all_at_once() -> None:
        with db.session() as s:
            for task in s.scalars(select(Task)):
                task.completion_note = "Báo cáo kết quả"

    def delete_plan() -> None:
        with db.session() as s:
            s.delete(s.scalars(select(Plan).order_by(Plan.id)).first())

    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
    figures["each task, own transaction (s)"] = _timed(one_by_one)
    figures["all tasks, one transaction (s)"] = _timed(all_at_once)
    figures["delete a plan and its tasks (s)"] = _timed(delete_plan)
    with db.session() as s:
        figures["audit rows written"] = (s.scalar(select(func.count()).select_from(AuditEntry))
                                         or 0) - before
    db.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="a superuser URL on a PostgreSQL server (database postgres)")
    parser.add_argument("--tasks", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("CCHC_DATA_DIR", tempfile.mkdtemp(prefix="cchc-bench-"))
    cluster = None
    url = args.url
    if url is None:
        from tests.conftest import _pg_bin_dir, _PgServer

        bin_dir = _pg_bin_dir()
        if bin_dir is None:
            raise SystemExit("no --url and no PostgreSQL binaries to start a server")
        cluster = _PgServer(bin_dir, Path(tempfile.mkdtemp(prefix="cchc-bpg-")) / "pg")
        cluster.start()
        url = cluster.url("postgres")
    try:
        print(f"{args.tasks} demo tasks; PostgreSQL at {url.split('@')[-1]}")
        plain = _run(_database(url), args.tasks, server=False)
        served = _run(_database(url), args.tasks, server=True)
        print(f"{'':34} {'app writer':>12} {'server triggers':>16}")
        for key in plain:
            print(f"{key:34} {plain[key]:12.2f} {served[key]:16.2f}")
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
