"""`cchc server setup`: IT prepares a shared PostgreSQL server (store/server_setup.py).

Run once with the database owner's credentials, and again after every upgrade of the
program (idempotent). The owner's password comes from ``$PGPASSWORD`` or is asked on the
terminal; it never goes into the address the PCs use.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from cchc_desktop.cli.context import CliContext
from cchc_desktop.errors import EnvironmentProblem


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``server`` commands to the ``cchc`` parser."""
    server = sub.add_parser("server", help="shared PostgreSQL server (IT, as the owner)")
    actions = server.add_subparsers(dest="action", required=True)
    p = actions.add_parser(
        "setup", help="migrate, create the groups cchc_admin/cchc_unit/cchc_viewer, grant "
        "rights, row-level security and audit triggers (idempotent; owner's password from "
        "$PGPASSWORD or asked)")
    p.add_argument("--db", dest="setup_db", metavar="URL",
                   help="postgresql+psycopg://OWNER@HOST/DB (default: the global --db)")
    p.set_defaults(func=cmd_server_setup)


def _owner_login(target: str | None) -> tuple[str, str] | None:
    """The owner's name and password when the address has no password and none is set."""
    from sqlalchemy.engine import make_url

    from cchc_desktop.store.db import resolve_url

    url = make_url(resolve_url(target))
    if url.get_backend_name() == "sqlite":
        raise EnvironmentProblem(
            "server setup needs a PostgreSQL address: "
            "--db postgresql+psycopg://OWNER@HOST/DB")
    if not url.username:
        raise EnvironmentProblem("server setup needs the owner's name in the address "
                                 "(postgresql+psycopg://OWNER@HOST/DB).")
    if url.password or os.environ.get("PGPASSWORD") is not None:
        return None
    if sys.stdin is None or not sys.stdin.isatty():
        return None  # .pgpass, or a server that trusts this machine
    return url.username, getpass.getpass(f"Mật khẩu của chủ cơ sở dữ liệu {url.username}: ")


def cmd_server_setup(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.store.db import open_database
    from cchc_desktop.store.server_setup import setup_server

    target = args.setup_db or ctx.db_target
    db = open_database(target, login=_owner_login(target), auto_backup=False)
    try:
        report = setup_server(db.engine)
    finally:
        db.close()
    chain = "with the hash chain" if report.chained else "without a hash chain (old schema)"
    print(f"server ready: schema {report.revision}, owner {report.owner}, "
          f"{report.tables} tables, {report.audited} audited by triggers {chain}; "
          "groups cchc_admin, cchc_unit, cchc_viewer")
    print("next: cchc users add NAME --role admin|unit|viewer [--unit U] "
          "(password from $CCHC_NEW_PASSWORD or asked)")
    return 0
