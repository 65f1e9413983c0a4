"""Opening a database: where it is, how SQLite is tuned, migrations on open.

The target is a file path or an SQLAlchemy URL, from ``--db``, the ``CCHC_DB``
environment variable or, by default, ``cchc.sqlite3`` in the per-user data folder.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DataError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from cchc_desktop.errors import (
    DatabaseProblem,
    EnvironmentProblem,
    PermissionDenied,
    ValidationError,
)
from cchc_desktop.store.db_errors import describe_database_error
from cchc_desktop.store.file_check import (  # noqa: F401
    FileCheck,
    check_sqlite_file,
    damaged,
    verify_integrity,
)
from cchc_desktop.store.sqlite_file import (  # noqa: F401 (re-exported: the public names)
    APP_DIR_NAME,
    DB_ENV_VAR,
    DEFAULT_DB_NAME,
    LOCKED_MESSAGE,
    OPEN_CHECK_TIMEOUT_S,
    DatabaseDamaged,
    MissingDatabase,
    NewerDatabase,
    NotCchcDatabase,
    chosen_target,
    data_dir,
    environment_problem,
    network_share_reason,
)

SQLITE_BUSY_TIMEOUT_MS = 5000

NETWORK_SHARE_MESSAGE = (
    "Cơ sở dữ liệu nằm trên ổ mạng ({where}). SQLite không khóa tệp an toàn qua mạng "
    "(SMB/NFS) nên dữ liệu có thể hỏng khi nhiều máy cùng mở. Hãy để tệp trên ổ đĩa của "
    "máy này, hoặc dùng chế độ máy chủ dùng chung (PostgreSQL): "
    "--db postgresql+psycopg://MÁY_CHỦ/cchc (mỗi người đăng nhập bằng tài khoản của mình)"
)


def resolve_url(target: str | None = None) -> str:
    """Turn ``--db`` / ``CCHC_DB`` / the default into an SQLAlchemy URL string."""
    target = chosen_target(target)
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


SERVER_UPGRADE = ("Cơ sở dữ liệu trên máy chủ cần được nâng cấp lên phiên bản mới của chương "
                  "trình. Nhờ IT chạy: cchc server setup --db postgresql+psycopg://CHỦ@MÁY_CHỦ/CSDL")


def make_engine(url: str | URL) -> Engine:
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
    engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 15})
    event.listen(engine, "connect", _tune_postgres)
    return engine


def _tune_postgres(dbapi_connection: Any, _record: object) -> None:
    """No JIT compilation: the lists' queries are short, and compiling a count over a
    million tasks costs 80-180 ms more than it saves (a SET, which a pooler passes on)."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


@dataclass
class Database:
    """An open database: its engine and a session factory.

    ``session()`` gives a transaction: committed when the block ends, rolled back
    on any exception, so a failed save never leaves half a change behind.
    """

    url: str
    engine: Engine
    username: str = "admin"
    # The signed-in user (services.access.CurrentUser); None means the local admin.
    user: Any = None
    # store.holders.Registration: says who holds the file while it is open (SQLite only).
    registration: Any = None
    # Opened with ``defer_checks``: the integrity check and the daily backup are still to be
    # run (:func:`checks_after_open`).
    checks_pending: bool = False
    factory: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        from cchc_desktop.store.audit import install_audit
        from cchc_desktop.store.guard import install_guard, install_parameter_guard

        self.factory = sessionmaker(self.engine, expire_on_commit=False)
        install_guard(self.factory)
        install_parameter_guard(self.engine)
        install_audit(self.factory)

    def act_as(self, user: Any) -> None:
        """Make ``user`` (a CurrentUser, or None for the local admin) the one acting."""
        self.user = user
        self.username = user.username if user is not None else "admin"

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
        with self.factory(info={"user": self.user, "username": self.username}) as session:
            try:
                yield session
                session.commit()
            except DBAPIError as exc:  # a duplicate, missing rights, a deadlock, a lost server...
                _rollback(session)
                if getattr(exc.orig, "sqlstate", None) == "42501":  # the server's rights
                    _log_technical(exc)
                    raise PermissionDenied(describe_database_error(
                        exc, account=self.engine.url.username) or "") from exc
                if isinstance(exc, DataError):  # PostgreSQL: a value out of its column's range
                    raise ValidationError(describe_database_error(exc) or "") from exc
                if not isinstance(exc, OperationalError):
                    raise _database_problem(exc, self.engine.url.username) from exc
                problem = environment_problem(exc)
                if problem is None:
                    raise _database_problem(exc, self.engine.url.username) from exc
                raise problem from exc
            except BaseException:
                session.rollback()
                raise

    def run(self, work: Callable[[Session], object]) -> object:
        """Run ``work(session)`` in one transaction and return its result."""
        with self.session() as session:
            return work(session)

    def close(self) -> None:
        self.engine.dispose()
        if self.registration is not None:
            self.registration.release()


def _with_login(url: str, login: tuple[str, str] | None) -> str | URL:
    """The URL to connect with: a PostgreSQL URL takes the person's own name and password."""
    if login is None:
        return url
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        return url
    return sa_url.set(username=login[0], password=login[1])


def _check_server_upgrade(engine: Engine) -> None:
    """A person's own login cannot migrate a server: say who must, before trying."""
    from cchc_desktop.store.migrate import SCHEMA_HEAD, current_revision

    if engine.dialect.name != "postgresql" or current_revision(engine) == SCHEMA_HEAD:
        return
    with engine.connect() as conn:
        owner = conn.execute(text(
            "SELECT pg_has_role(session_user, (SELECT datdba FROM pg_database "
            "WHERE datname = current_database()), 'USAGE')")).scalar()
    if not owner:
        raise EnvironmentProblem(SERVER_UPGRADE)


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    except DBAPIError:  # the connection is gone: the server rolled back already
        logging.getLogger(__name__).info("rollback failed", exc_info=True)


def _log_technical(exc: BaseException) -> None:
    """The driver's text (with its SQL) for whoever reads the log file, never the screen."""
    from cchc_desktop.logs import log_exception

    try:
        log_exception(exc)
    except OSError:  # a log that cannot be written must not hide the message itself
        pass


def _database_problem(exc: DBAPIError, account: str | None) -> DatabaseProblem:
    """The error as the user reads it; the technical text goes to the log."""
    _log_technical(exc)
    return DatabaseProblem(describe_database_error(exc, account=account) or "")


def _sqlite_target(url: str) -> Path | None:
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return None
    database = sa_url.database or ""
    return Path(database) if database and database != ":memory:" else None


def _prepare_evidence_home(path: Path) -> None:
    """Clean the evidence folder and adopt files from the old shared folder (never fatal)."""
    from cchc_desktop.store.evidence_home import prepare_evidence_home

    try:
        prepare_evidence_home(path)
    except (OSError, sqlite3.Error):
        # Retried at the next open (no marker yet); ``evidence verify`` names what is missing.
        logging.getLogger(__name__).exception("evidence folder of %s not prepared", path)


def _register(path: Path) -> Any:
    """Say that this process holds ``path``; refused while a restore replaces it."""
    from cchc_desktop.store.holders import Registration, holders

    registration = Registration(path)
    restoring = [h for h in holders(path) if h.purpose == "restore"]
    if restoring:
        registration.release()
        raise EnvironmentProblem(
            f"Cơ sở dữ liệu đang được khôi phục từ bản sao lưu ({restoring[0].describe()}). "
            "Hãy chờ giây lát rồi mở lại."
        )
    return registration


def open_database(
    target: str | None = None, *, migrate: bool = True, auto_backup: bool = True,
    precheck: FileCheck | None = None, create: bool = True,
    login: tuple[str, str] | None = None, defer_checks: bool = False,
) -> Database:
    """Open and upgrade the database named by ``target`` (creating it only when ``create``).

    Raises :class:`EnvironmentProblem` with a clear message when the file is on a
    network share, is locked, is read-only where it must be written, is newer than this
    version of the application (:class:`NewerDatabase`) or belongs to another program
    (:class:`NotCchcDatabase`, never written into); :class:`MissingDatabase` when there is
    no database and ``create`` is False (nothing is created); and :class:`DatabaseDamaged`
    (carrying the newest good backup) when it is not a database, is corrupt, or was
    truncated to nothing while backups of it exist. An existing SQLite database is backed
    up once a day on open and before every migration. ``precheck`` is the open-time check
    of the same file, already started (start-up). ``login`` (name, password) connects to a
    PostgreSQL server as that person's own role; a refused name or password raises
    :class:`PermissionDenied` with the usual sign-in refusal.

    ``defer_checks`` (the window's start-up): an existing SQLite file whose schema is current
    is opened without reading all of it (``PRAGMA quick_check``) and without the daily
    backup; the database comes back with ``checks_pending`` set and the caller runs
    :func:`checks_after_open` once its data is shown. A file that needs a migration is
    checked and backed up first, as without the option.
    """
    from cchc_desktop.store.migrate import SCHEMA_HEAD, current_revision, upgrade_to_head

    raw = target or os.environ.get(DB_ENV_VAR) or ""
    if raw and "://" not in raw:
        where = network_share_reason(raw)
        if where:
            raise EnvironmentProblem(NETWORK_SHARE_MESSAGE.format(where=where))
    url = resolve_url(target)
    path = _sqlite_target(url)
    if path is not None:
        where = network_share_reason(str(path))
        if where:
            raise EnvironmentProblem(NETWORK_SHARE_MESSAGE.format(where=where))
    existed = path is not None and path.exists() and path.stat().st_size > 0
    deferred = defer_checks and existed and auto_backup
    registration = None
    checked = False  # the whole file read by PRAGMA quick_check
    if path is not None:
        if precheck is not None and precheck.path == path and precheck.create == create:
            precheck.result()
            checked = precheck.integrity
        else:
            check_sqlite_file(path, create=create, integrity=not deferred)
            checked = not deferred
        if path.parent.is_dir():
            registration = _register(path)
    connect_to = _with_login(url, login)
    if login is not None and connect_to is not url:
        url = make_url(url).set(username=login[0], password=None).render_as_string()
    engine = make_engine(connect_to) if registration is None else _guarded(url, registration)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if deferred and migrate and current_revision(engine) != SCHEMA_HEAD:
            deferred = False  # never upgrade a file not checked and backed up today
        if path is not None and existed and not checked and not deferred:
            verify_integrity(path)
        if existed and auto_backup and path is not None and not deferred:
            _daily_backup(path)
        if migrate:
            _check_server_upgrade(engine)
            upgrade_to_head(engine)
            if path is not None:
                _prepare_evidence_home(path)
    except OperationalError as exc:
        _abandon(engine, registration)
        from cchc_desktop.store.server_logins import LOGIN_REFUSED, refused_sign_in

        if path is None and refused_sign_in(exc):
            raise PermissionDenied(LOGIN_REFUSED) from exc
        problem = environment_problem(exc)
        if problem is not None:
            raise problem from exc
        _log_technical(exc)
        raise EnvironmentProblem(describe_database_error(exc) or "") from exc
    except DatabaseError as exc:
        _abandon(engine, registration)
        if path is not None:
            raise damaged(path, str(exc.orig or exc)) from exc
        raise EnvironmentProblem(
            "Tệp không phải là cơ sở dữ liệu của CCHC Desktop hoặc đã bị hỏng."
        ) from exc
    except BaseException:
        _abandon(engine, registration)
        raise
    return Database(url=url, engine=engine, registration=registration, checks_pending=deferred)


def _daily_backup(path: Path) -> None:
    from cchc_desktop.store.backup import backup_if_due

    try:
        backup_if_due(path)
    except EnvironmentProblem:
        pass  # a backup that cannot be written must not keep the user out


def checks_after_open(db: Database) -> None:
    """What ``open_database(defer_checks=True)`` left to do, once the data is shown: the
    integrity check of the whole file (raises :class:`DatabaseDamaged`, naming the newest
    good backup, when it fails), then the day's automatic backup of the sound file.

    Safe in a worker thread: it reads the file through connections of its own.
    """
    path = db.sqlite_path
    if not db.checks_pending or path is None:
        return
    verify_integrity(path)
    _daily_backup(path)
    db.checks_pending = False


def _guarded(url: str, registration: Any) -> Engine:
    try:
        return make_engine(url)
    except BaseException:
        registration.release()
        raise


def _abandon(engine: Engine, registration: Any) -> None:
    engine.dispose()
    if registration is not None:
        registration.release()
