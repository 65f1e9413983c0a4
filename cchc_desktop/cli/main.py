"""The ``cchc`` command line: a thin layer over the services.

Each command module registers its sub-commands; every command receives the
parsed arguments and a :class:`CliContext` that opens the database on demand.
Errors are one line on stderr and a non-zero exit code, never a traceback:
1 for an environment or usage problem, 2 for invalid input, 3 for a bug.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from functools import cached_property
from typing import Any

from cchc_desktop import __version__
from cchc_desktop.errors import UserError, ValidationError

log = logging.getLogger("cchc_desktop")


class CliContext:
    """What a command needs from the outside world: the database and stdout."""

    def __init__(self, db_target: str | None) -> None:
        self.db_target = db_target

    @cached_property
    def db(self):  # noqa: ANN201 - Database, imported lazily to keep --help fast
        from cchc_desktop.cli.admin_commands import sign_in_from_env
        from cchc_desktop.store.db import open_database

        db = open_database(self.db_target)
        try:
            sign_in_from_env(db)  # CCHC_USER / CCHC_PASSWORD, or refused when log-in is required
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        """Release the database's connections, if the command opened it."""
        if "db" in self.__dict__:
            self.__dict__.pop("db").close()

    def print_json(self, data: Any) -> None:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def parse_date_arg(text: str) -> date:
    """argparse type for dates: YYYY-MM-DD or dd/mm/yyyy."""
    from cchc_desktop.domain.text import parse_date_vn

    try:
        return parse_date_vn(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _command_modules() -> list[Any]:
    from cchc_desktop.cli import core_commands

    modules: list[Any] = [core_commands]
    # Optional command groups register themselves when their module exists.
    for name in (
        "io_commands",
        "export_commands",
        "evidence_commands",
        "scoring_commands",
        "admin_commands",
        "unit_sheet_commands",
    ):
        try:
            modules.append(__import__(f"cchc_desktop.cli.{name}", fromlist=["register"]))
        except ModuleNotFoundError as exc:
            if exc.name != f"cchc_desktop.cli.{name}":
                raise
    return modules


def build_parser() -> argparse.ArgumentParser:
    """The whole ``cchc`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="cchc",
        description="CCHC Desktop command line: plans, tasks, reports of administrative reform.",
    )
    parser.add_argument("--version", action="version", version=f"cchc {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="database file or SQLAlchemy URL (default: $CCHC_DB or the per-user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in _command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cchc``; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = CliContext(args.db)
    try:
        return int(args.func(args, ctx) or 0)
    except ValidationError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: keep the traceback in the log, not on screen
        from cchc_desktop.logs import log_exception

        where = log_exception(exc)
        print(f"internal error: {exc.__class__.__name__}: {exc} (details in {where})", file=sys.stderr)
        return 3
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
