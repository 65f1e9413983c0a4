"""The ``cchc`` command line: a thin layer over the services.

Each command module registers its sub-commands; every command receives the
parsed arguments and a :class:`CliContext` that opens the database on demand.
Errors are one line on stderr and a non-zero exit code, never a traceback:
1 for an environment or usage problem (a database error among them, in words, never its
SQL: store/db_errors.py), 2 for invalid input, 3 for a bug.
A reader that stops early (``cchc tasks list | head``) ends the command quietly
with 141, what a Unix tool killed by SIGPIPE reports (``set -o pipefail`` sees it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from cchc_desktop import __version__
from cchc_desktop.cli.context import CliContext
from cchc_desktop.errors import UserError, ValidationError

log = logging.getLogger("cchc_desktop")
EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, as the shell reports for `yes | head`


def _command_modules() -> list[Any]:
    from cchc_desktop.cli import core_commands

    modules: list[Any] = [core_commands]
    # Optional command groups register themselves when their module exists.
    for name in (
        "io_commands",
        "export_commands",
        "report_commands",
        "evidence_commands",
        "scoring_commands",
        "admin_commands",
        "unit_sheet_commands",
        "server_commands",
        "template_commands",
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
    from cchc_desktop.store.leftovers import clean_start_folders

    clean_start_folders(args.db)  # what a killed export or backup left (a few directory reads)
    ctx = CliContext(args.db, create=getattr(args, "creates_database", False))
    try:
        code = int(args.func(args, ctx) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at exit as "Exception ignored"
        return code
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
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
        from cchc_desktop.store.db_errors import describe_database_error

        where = log_exception(exc)
        message = describe_database_error(exc)
        if message is not None:  # the database's refusal, said plainly; its SQL is in the log
            print(f"error: {message} (chi tiết kỹ thuật: {where})", file=sys.stderr)
            return 1
        print(f"internal error: {exc.__class__.__name__}: {exc} (details in {where})", file=sys.stderr)
        return 3
    finally:
        ctx.close()


def _discard_stdout() -> None:
    """Point stdout at the null device: the reader has gone (the Python docs' recipe for
    SIGPIPE), so the interpreter's final flush cannot fail again on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout without a file descriptor (captured in a test)
        pass


if __name__ == "__main__":
    sys.exit(main())
