"""Naming a database: a file path or a server address, as the user chose it.

What the window remembers (recent databases), what identifies "the same database" for the
one-program-per-database rule, and the address of a PostgreSQL server built from its parts.
Only the standard library at import time: the start-up path uses it before SQLAlchemy.
A password never appears in what is remembered or compared.
"""

from __future__ import annotations

import os
import re
import sys

from cchc_desktop.errors import ValidationError
from cchc_desktop.store.sqlite_file import chosen_target, sqlite_file_for

DEFAULT_PORT = 5432
DRIVER = "postgresql+psycopg"
# scheme://user:password@ → scheme://user@ (SQLAlchemy's own split: the password has no '@').
_PASSWORD = re.compile(r"^(?P<head>[A-Za-z][\w+.-]*://[^:/@]*):[^@]*@")


def is_url(target: str) -> bool:
    """True for an address such as ``postgresql+psycopg://...`` (not a file path)."""
    return "://" in target


def without_password(target: str) -> str:
    """``target`` with any password taken out of its address; a path is returned as it is."""
    return _PASSWORD.sub(r"\g<head>@", target) if is_url(target) else target


def remembered_form(target: str | None) -> str:
    """How a database is remembered and shown: the absolute file path, or the address
    without its password (the sign-in asks for it)."""
    path = sqlite_file_for(target)
    return str(path) if path is not None else without_password(chosen_target(target))


def identity(target: str | None) -> str:
    """What makes two targets the same database: the file (case-folded where the file
    system ignores case), or the server address without password and with its host in
    lower case. ``None`` is the default database (``CCHC_DB``, else the data folder's)."""
    form = remembered_form(target)
    if not is_url(form):
        return os.path.normcase(form) if sys.platform == "win32" else form
    scheme, _, rest = form.partition("://")
    user, at, location = rest.rpartition("@")
    host, slash, database = location.partition("/")
    return f"{scheme.lower()}://{user}{at}{host.lower()}{slash}{database}"


def server_url(host: str, port: int, database: str, user: str) -> str:
    """The address of a PostgreSQL database for ``user``, without a password.

    Every part is escaped as SQLAlchemy reads it back (a user name with ``@`` or ``:``, a
    database name with ``/`` or ``?``, an IPv6 host). Empty or blank parts, a host with
    spaces or slashes and a port outside 1–65535 are refused with a message naming them.
    """
    host, database, user = host.strip(), database.strip(), user.strip()
    missing = [name for name, value in (("máy chủ", host), ("tên cơ sở dữ liệu", database),
                                        ("tên đăng nhập", user)) if not value]
    if missing:
        raise ValidationError(f"Chưa nhập {', '.join(missing)}.")
    if re.search(r"[\s/\\@?#]", host):
        raise ValidationError(f"Tên máy chủ không hợp lệ: “{host}” (tên máy hoặc địa chỉ IP, "
                              "không có dấu cách hay dấu /).")
    if not 1 <= int(port) <= 65535:
        raise ValidationError(f"Cổng phải từ 1 đến 65535 (cổng mặc định của PostgreSQL là "
                              f"{DEFAULT_PORT}).")
    from sqlalchemy.engine import URL

    url = URL.create(DRIVER, username=user, host=host.strip("[]"),
                     port=None if int(port) == DEFAULT_PORT else int(port), database=database)
    return url.render_as_string(hide_password=False)
