"""Where the data lives, in words for the title bar, the status bar and the log-in dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cchc_desktop.store.db import Database


def describe_location(db: Database) -> str:
    """Where the data lives, for the title and status bar (never a password)."""
    if db.sqlite_path is not None:
        return str(db.sqlite_path.resolve())
    from sqlalchemy.engine import make_url

    return make_url(db.url).render_as_string(hide_password=True)
