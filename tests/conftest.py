"""Shared fixtures: every test gets a fresh data folder and a fresh database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real per-user data folder or a CCHC_DB from the environment."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("CCHC_DATA_DIR", str(folder))
    monkeypatch.delenv("CCHC_DB", raising=False)
    return folder


@pytest.fixture(autouse=True)
def _collect_in_the_main_thread() -> Iterator[None]:
    """As the program does (gui/common/gc_guard.py): no collection in a worker thread, which
    could destroy a Qt object there and freeze the run; the main thread collects after, the
    generations Python's thresholds say are due (a full collection after every test made
    the suite 2.5 times slower)."""
    import gc

    from cchc_desktop.gui.common.gc_guard import collect_due

    gc.disable()
    try:
        yield
    finally:
        collect_due()
        gc.enable()


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """A test may start threads (background jobs, file checks) but must see them end."""
    import threading
    import time

    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5.0
    while True:
        # QThreads that ran Python code appear as never-ending "dummy" threads; a QThread
        # destroyed while running aborts the test run by itself.
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()
                  and type(t).__name__ != "_DummyThread"]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not leaked, f"threads still running after the test: {[t.name for t in leaked]}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated once per session; each test gets a copy (fast)."""
    from cchc_desktop.store.db import open_database

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_database(str(path)).close()  # closing checkpoints the WAL: one self-contained file
    return path


@pytest.fixture
def db(db_path: Path, _sqlite_template: Path) -> Iterator[object]:
    """A migrated, empty SQLite database."""
    import shutil

    from cchc_desktop.store.db import open_database

    shutil.copyfile(_sqlite_template, db_path)
    database = open_database(str(db_path), auto_backup=False)
    yield database
    database.close()


DEMO_TODAY = date(2024, 11, 20)


@pytest.fixture
def demo_db(db: object) -> object:
    """A database with 300 demo tasks, reference date 20/11/2024."""
    from cchc_desktop.services.demo import build_demo

    with db.session() as session:  # type: ignore[attr-defined]
        build_demo(session, 300, seed=7, today=DEMO_TODAY)
    return db


# ---------------------------------------------------------------------------
# A real PostgreSQL server, started once per test session.
# ---------------------------------------------------------------------------

def _pg_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: $PG_BIN, PATH, or Debian's versioned folders."""
    import glob
    import shutil

    override = os.environ.get("PG_BIN")
    candidates = [Path(override)] if override else []
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    candidates += [Path(p) for p in reversed(debian)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _PgServer:
    """A throw-away PostgreSQL cluster in a temporary folder, on a loopback port."""

    def __init__(self, bin_dir: Path, root: Path, hba: str | None = None) -> None:
        self.bin_dir = bin_dir
        self.hba = hba  # the text of pg_hba.conf when the default ("trust") will not do
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.user = "cchc"
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0

    def _run(self, *argv: str) -> None:
        import subprocess

        command = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self.as_root:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed: {result.stdout}\n{result.stderr}")

    def start(self, *, fresh: bool = True) -> None:
        """Create the cluster (``fresh``) or start the one already in ``root`` again."""
        import shutil

        if fresh:
            self.root.mkdir(parents=True, exist_ok=True)
            if self.as_root:
                for folder in (self.root.parent, self.root):
                    shutil.chown(folder, "postgres", "postgres")
                    folder.chmod(0o700)
            self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust",
                      "-E", "UTF8", "--locale=C", "--no-sync")
        if fresh and self.hba is not None:
            hba = self.data / "pg_hba.conf"
            hba.write_text(self.hba, encoding="utf-8")
            if self.as_root:
                shutil.chown(hba, "postgres", "postgres")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.root} -c fsync=off "
                   f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except RuntimeError:
            pass

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        clause = f' TEMPLATE "{template}"' if template else ""
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        engine.dispose()
        return self.url(name)

    def migrated_database(self, name: str) -> str:
        """A new database at the newest schema, copied from a template migrated once."""
        if not getattr(self, "_template", None):
            from cchc_desktop.store.db import open_database

            url = self.create_database("cchc_template")
            open_database(url).close()
            self._template = "cchc_template"
        return self.create_database(name, template=self._template)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_PgServer]:
    """A PostgreSQL server for the whole session; skipped only when PostgreSQL is absent.

    In CI (``CI=true``) a missing server fails the run instead: both databases must be tested.
    """
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL binaries (initdb, pg_ctl) not found; apt-get install postgresql"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    import tempfile

    # A short path: the unix socket path must stay under ~100 bytes.
    root = Path(tempfile.mkdtemp(prefix="cchc-pg-")) / "pg"
    server = _PgServer(bin_dir, root)
    server.start()
    yield server
    server.stop()
    import shutil

    shutil.rmtree(root.parent, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: _PgServer) -> str:
    """The URL of a fresh, empty PostgreSQL database for one test."""
    import uuid

    return pg_server.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def _pg_shared_url(pg_server: _PgServer) -> str:
    """One migrated database reused by every test; emptied before each."""
    return pg_server.migrated_database("cchc_shared")


@pytest.fixture
def pg_db(_pg_shared_url: str) -> Iterator[object]:
    """A migrated, empty PostgreSQL database (tables truncated, ids restarted)."""
    from sqlalchemy import inspect, text

    from cchc_desktop.store.db import open_database

    database = open_database(_pg_shared_url)
    tables = [t for t in inspect(database.engine).get_table_names() if t != "alembic_version"]
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(map(repr, tables)).replace(chr(39), chr(34))} "
                          "RESTART IDENTITY CASCADE"))
    yield database
    database.close()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest) -> Iterator[object]:
    """A migrated, empty database: the same test runs on SQLite and on PostgreSQL."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
        yield request.getfixturevalue("pg_db")
    else:
        yield request.getfixturevalue("db")


# ---------------------------------------------------------------------------
# A PostgreSQL server that checks passwords, for personal logins (cchc server setup).
# ---------------------------------------------------------------------------

# The superuser "cchc" (the tests' own tool) is trusted; every other role signs in with
# its password, as on a real server.
_PASSWORD_HBA = """\
local all cchc trust
host  all cchc 127.0.0.1/32 trust
local all all scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
"""
SERVER_OWNER, SERVER_OWNER_PASSWORD = "it_owner", "owner-pass-2024"


@pytest.fixture(scope="session")
def auth_pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_PgServer]:
    """A second PostgreSQL server with password authentication, and an owner role.

    The owner ``it_owner`` is what IT would create: LOGIN CREATEROLE, not a superuser.
    """
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) not found")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found")
    import shutil
    import tempfile

    from sqlalchemy import create_engine, text

    root = Path(tempfile.mkdtemp(prefix="cchc-pga-")) / "pg"
    server = _PgServer(bin_dir, root, hba=_PASSWORD_HBA)
    server.start()
    engine = create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE {SERVER_OWNER} LOGIN CREATEROLE "
                          f"PASSWORD '{SERVER_OWNER_PASSWORD}'"))
    engine.dispose()
    yield server
    server.stop()
    shutil.rmtree(root.parent, ignore_errors=True)


@pytest.fixture
def owned_database(auth_pg_server: _PgServer) -> str:
    """A new, empty database owned by ``it_owner``; returns its name."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"srv_{uuid.uuid4().hex[:10]}"
    engine = create_engine(auth_pg_server.url("postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER {SERVER_OWNER}'))
    engine.dispose()
    return name
