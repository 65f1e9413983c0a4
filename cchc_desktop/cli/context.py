"""What every ``cchc`` command is given: the database (opened on demand, signed in) and stdout.

Scripts act as a user by setting ``CCHC_USER`` and ``CCHC_PASSWORD``; without
them a single-PC database acts as the local administrator, while a database
that requires log-in (the shared server, or the ``require_login`` setting)
refuses to be used. On a server set up by ``cchc server setup`` the address holds
no user name (``postgresql+psycopg://HOST/DB``): the command connects as the role
``$CCHC_USER`` with ``$CCHC_PASSWORD`` (or the password asked on a terminal), and the
server decides what that role may do.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from functools import cached_property
from typing import Any

from cchc_desktop.errors import PermissionDenied, UserError

USER_ENV = "CCHC_USER"
PASSWORD_ENV = "CCHC_PASSWORD"


def _password_for(username: str) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is None and sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(f"Mật khẩu của {username}: ")
    return password or ""


def server_login_from_env(target: str | None) -> tuple[str, str] | None:
    """The person's own server login for a PostgreSQL address without a user name."""
    from sqlalchemy.engine import make_url

    from cchc_desktop.store.db import resolve_url

    url = make_url(resolve_url(target))
    if url.get_backend_name() == "sqlite" or url.username:
        return None
    username = os.environ.get(USER_ENV)
    if not username:
        raise PermissionDenied(
            "This server requires your own log-in: set CCHC_USER and CCHC_PASSWORD "
            "(máy chủ yêu cầu đăng nhập bằng tài khoản của mình)."
        )
    return username, _password_for(username)


def sign_in_from_env(db) -> None:  # noqa: ANN001 - Database
    """Act as ``$CCHC_USER`` (password ``$CCHC_PASSWORD``, or asked on a terminal).

    On a set-up server the person is the role connected; ``$CCHC_USER`` must not name
    someone else.
    """
    from cchc_desktop.services.users import authenticate, login_required, server_sign_in

    username = os.environ.get(USER_ENV)
    with db.session() as session:
        server_user = server_sign_in(session)
    if server_user is not None:
        if username and username != server_user.username:
            raise PermissionDenied(
                f"CCHC_USER={username} is not the server login of this address "
                f"({server_user.username}): leave the user name out of the address."
            )
        db.act_as(server_user)
        return
    with db.session() as session:
        if not username:
            if login_required(session, server_mode=not db.is_sqlite):
                raise PermissionDenied(
                    "This database requires log-in: set CCHC_USER and CCHC_PASSWORD "
                    "(cơ sở dữ liệu này yêu cầu đăng nhập)."
                )
            return
        user = authenticate(session, username, _password_for(username))
    db.act_as(user)


# A script runs unattended: when another program is writing (an import holds SQLite's write
# lock for a second or two), wait for it as a save would, instead of failing at once as the
# window's open-time check does.
OPEN_WAIT_S = 10.0


def _open_waiting(target: str | None, create: bool,  # noqa: ANN202 - Database
                  login: tuple[str, str] | None = None):
    import time

    from cchc_desktop.errors import EnvironmentProblem
    from cchc_desktop.store.db import LOCKED_MESSAGE, open_database

    deadline = time.monotonic() + OPEN_WAIT_S
    while True:
        try:
            return open_database(target, create=create, login=login)
        except EnvironmentProblem as exc:
            if exc.message != LOCKED_MESSAGE or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class CliContext:
    """What a command needs from the outside world: the database and stdout."""

    def __init__(self, db_target: str | None, *, create: bool = False) -> None:
        self.db_target = db_target
        # Only ``init`` creates a database: any other command on a missing path says so.
        self.create = create

    @cached_property
    def db(self):  # noqa: ANN201 - Database, imported lazily to keep --help fast
        db = _open_waiting(self.db_target, self.create, server_login_from_env(self.db_target))
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


def confirm(question: str, *, assume_yes: bool) -> None:
    """Ask ``question`` on the terminal before a destructive step; refuse unless answered yes.

    ``assume_yes`` (a command's ``--yes``) answers for scripts; with no terminal to ask
    on (stdin redirected or closed) the step is refused rather than taken silently.
    """
    if assume_yes:
        return
    if sys.stdin is None or not sys.stdin.isatty():
        raise UserError(f"{question} No terminal to ask: nothing done (add --yes in scripts).")
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().casefold() not in {"y", "yes", "c", "có", "co"}:
        raise UserError("cancelled: nothing done")
