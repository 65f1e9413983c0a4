"""Opening a database: where it is, how SQLite is tuned, migrations on open.

The target is a file path or an SQLAlchemy URL, from ``--db``, the ``CCHC_DB``
environment variable or, by default, ``cchc.sqlite3`` in the per-user data folder.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from cchc_desktop.errors import EnvironmentProblem

APP_DIR_NAME = "CCHC Desktop"
DB_ENV_VAR = "CCHC_DB"
DEFAULT_DB_NAME = "cchc.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 5000


def data_dir() -> Path:
    """The per-user data folder (created on demand); ``CCHC_DATA_DIR`` overrides it."""
    override = os.environ.get("CCHC_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resolve_url(target: str | None = None) -> str:
    """Turn ``--db`` / ``CCHC_DB`` / the default into an SQLAlchemy URL string."""
    target = target or os.environ.get(DB_ENV_VAR) or str(data_dir() / DEFAULT_DB_NAME)
    if "://" in target:
        try:
            make_url(target)
        except ArgumentError as exc:
            raise EnvironmentProblem(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {target}") from exc
        return target
    path = Path(target).expanduser().resolve()
    return f"sqlite:///{path}"


def _tune_sqlite(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL, a busy timeout and synchronous FULL."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        database = sa_url.database or ""
        if database and database != ":memory:":
            folder = Path(database).parent
            if not folder.is_dir():
                raise EnvironmentProblem(f"Thư mục chứa cơ sở dữ liệu không tồn tại: {folder}")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


@dataclass
class Database:
    """An open database: its engine and a session factory.

    ``session()`` gives a transaction: committed when the block ends, rolled back
    on any exception, so a failed save never leaves half a change behind.
    """

    url: str
    engine: Engine
    username: str = "admin"
    factory: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commit on success, roll back on error."""
        with self.factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def run(self, work: Callable[[Session], object]) -> object:
        """Run ``work(session)`` in one transaction and return its result."""
        with self.session() as session:
            return work(session)

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: str | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and upgrade the database named by ``target``.

    Raises :class:`EnvironmentProblem` with a clear message when the file is not a
    database, is locked, or is newer than this version of the application.
    """
    from cchc_desktop.store.migrate import upgrade_to_head

    url = resolve_url(target)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate:
            upgrade_to_head(engine)
    except OperationalError as exc:
        engine.dispose()
        message = str(exc.orig) if exc.orig is not None else str(exc)
        if "locked" in message or "busy" in message:
            raise EnvironmentProblem(
                "Cơ sở dữ liệu đang bị một chương trình khác khóa. "
                "Hãy đóng chương trình đó rồi thử lại."
            ) from exc
        raise EnvironmentProblem(f"Không mở được cơ sở dữ liệu: {message}") from exc
    except DatabaseError as exc:
        engine.dispose()
        raise EnvironmentProblem(
            "Tệp không phải là cơ sở dữ liệu của CCHC Desktop hoặc đã bị hỏng."
        ) from exc
    return Database(url=url, engine=engine)
