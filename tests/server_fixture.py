"""A server set up by IT (cchc server setup) with one login per role: shared by the tests of
the server's rights (tests/reliability/test_server_roles.py) and of the login dialog."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

from cchc_desktop.cli.main import main
from tests.conftest import SERVER_OWNER, SERVER_OWNER_PASSWORD

PASSWORD = "mat-khau-rieng-123"


@dataclass
class Server:
    """A set-up server database, its people and its rows."""

    host: str
    port: int
    database: str
    admin: str
    unit: str
    viewer: str
    own_task: int
    other_task: int
    own_unit: int

    def owner_url(self) -> str:
        return f"postgresql+psycopg://{SERVER_OWNER}@{self.host}:{self.port}/{self.database}"

    def pc_url(self) -> str:
        """What a PC uses: no user, no password."""
        return f"postgresql+psycopg://{self.host}:{self.port}/{self.database}"

    def connect(self, user: str, password: str = PASSWORD) -> psycopg.Connection:
        return psycopg.connect(host=self.host, port=self.port, dbname=self.database,
                               user=user, password=password, autocommit=True)

    def superuser(self) -> psycopg.Connection:
        return psycopg.connect(host=self.host, port=self.port, dbname=self.database,
                               user="cchc", autocommit=True)


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
         **env: str | None) -> tuple[int, str]:
    for key in ("CCHC_USER", "CCHC_PASSWORD", "PGPASSWORD", "CCHC_NEW_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        if value is not None:
            monkeypatch.setenv(key, value)
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out + err


def _setup(server: Server, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> str:
    code, output = _cli(monkeypatch, capsys, ["server", "setup", "--db", server.owner_url()],
                        PGPASSWORD=SERVER_OWNER_PASSWORD)
    assert code == 0, output
    return output


@pytest.fixture(name="server")
def server_fixture(auth_pg_server, owned_database: str, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> Iterator[Server]:
    """A database set up by IT, with two units, their tasks and one login per role."""
    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.services import tasks as svc
    from cchc_desktop.services.plans import save_plan
    from cchc_desktop.services.units import create_unit
    from cchc_desktop.store.db import open_database

    tag = uuid.uuid4().hex[:6]
    srv = Server("127.0.0.1", auth_pg_server.port, owned_database, f"boss_{tag}",
                 f"vp_{tag}", f"xem_{tag}", 0, 0, 0)
    _setup(srv, monkeypatch, capsys)
    monkeypatch.setenv("PGPASSWORD", SERVER_OWNER_PASSWORD)
    db = open_database(srv.owner_url())
    try:
        from cchc_desktop.services.users import server_sign_in

        with db.session() as s:
            db.act_as(server_sign_in(s))
        with db.session() as s:
            vp = create_unit(s, "Văn phòng Sở", "VP").id
            tt = create_unit(s, "Thanh tra Sở", "TTr").id
            plan = save_plan(s, year=2024, title="Kế hoạch CCHC năm 2024").id
            srv.own_task = svc.create_task(s, TaskDraft(content="Việc của VP", lead_unit_id=vp,
                                                        year=2024), plan_id=plan).id
            srv.other_task = svc.create_task(s, TaskDraft(content="Việc của TTr",
                                                          lead_unit_id=tt, year=2024),
                                             plan_id=plan).id
            srv.own_unit = vp
    finally:
        db.close()
    for name, role, unit in ((srv.admin, "admin", None), (srv.unit, "unit", "VP"),
                             (srv.viewer, "viewer", None)):
        argv = ["--db", srv.owner_url(), "users", "add", name, "--role", role]
        code, output = _cli(monkeypatch, capsys, argv + (["--unit", unit] if unit else []),
                            PGPASSWORD=SERVER_OWNER_PASSWORD, CCHC_NEW_PASSWORD=PASSWORD)
        assert code == 0, output
    monkeypatch.delenv("PGPASSWORD", raising=False)
    yield srv
