"""The audit log's hash chain: a row altered, deleted or slipped in by hand is found and named.

The log is broken the way its owner could: on SQLite by dropping the triggers and putting them
back, on PostgreSQL as the superuser with ``ALTER TABLE audit_log DISABLE TRIGGER ALL``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from cchc_desktop.cli.main import main
from cchc_desktop.services.units import create_unit, update_unit
from cchc_desktop.store.audit_chain import (
    EXPECTED_SQLITE_TRIGGERS,
    GENESIS,
    canonical,
    check_audit_log,
    row_hash,
    trigger_problems,
    verify_chain,
)

ROOT = Path(__file__).resolve().parents[2]


def _rows(database, units: int = 3) -> None:  # noqa: ANN001 - Database
    """``units`` units created and each renamed: 2 * units audit rows, ids 1, 2, ..."""
    for i in range(units):
        with database.session() as s:
            unit_id = create_unit(s, f"Phòng số {i}", f"P{i}").id
        with database.session() as s:
            update_unit(s, unit_id, name=f"Phòng thứ {i}", short_name=f"P{i}",
                        kind="division", active=True)


def _tamper(database, *statements: str) -> None:  # noqa: ANN001 - Database
    """Run ``statements`` on audit_log as its owner, past the triggers that refuse them."""
    with database.engine.begin() as conn:
        if database.is_sqlite:
            for name in EXPECTED_SQLITE_TRIGGERS:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER ALL")
        for statement in statements:
            conn.exec_driver_sql(statement)
        if database.is_sqlite:
            for sql in EXPECTED_SQLITE_TRIGGERS.values():
                conn.exec_driver_sql(sql)
        else:
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER ALL")


def _verify(database):  # noqa: ANN001, ANN202
    with database.engine.connect() as conn:
        return verify_chain(conn)


def _cli(database, *argv: str) -> int:  # noqa: ANN001 - Database
    return main(["--db", str(database.sqlite_path or database.url), *argv])


def _stored(database, row_id: int) -> dict:  # noqa: ANN001 - Database
    from sqlalchemy import select

    from cchc_desktop.store.models import AuditEntry

    table = AuditEntry.__table__
    with database.engine.connect() as conn:
        return dict(conn.execute(select(table).where(table.c.id == row_id)).mappings().one())


# --- the format ------------------------------------------------------------------------------


def test_the_format_of_the_spec() -> None:
    row = {"at": datetime(2026, 12, 4, 9, 5, 7, 123456), "username": "thuy.vp",
           "action": "update", "entity": "task", "entity_id": 42, "field": "content",
           "old_value": None, "new_value": "Rà soát TTHC"}
    text_ = "2026-12-04 09:05:07\x1fthuy.vp\x1fupdate\x1ftask\x1f42\x1fcontent\x1f\\N\x1fRà soát TTHC"
    assert canonical(row) == text_
    expected = hashlib.sha256(f"{GENESIS}\x1f{text_}".encode()).hexdigest()
    assert row_hash(GENESIS, row) == expected
    # Pinned: the PostgreSQL triggers of the server mode must produce this very value.
    assert expected == "b4af1e161e597eda418ab2f1b35285cc12326459b7fc19335880e8b785214b8d"


@pytest.mark.postgres
def test_postgresql_computes_the_same_hashes(pg_db) -> None:
    _rows(pg_db, 2)
    with pg_db.session() as s:  # NULLs, a bare entity and Vietnamese text in every field kind
        from cchc_desktop.services.users import add_user

        add_user(s, "người.dùng", "mat-khau-123", "viewer")
    nul = "E'\\\\N'"  # E'\\N' in SQL: a backslash and N
    fields = ", ".join(["to_char(at, 'YYYY-MM-DD HH24:MI:SS')"] + [
        f"coalesce({column}, {nul})" for column in
        ("username", "action", "entity", "entity_id::text", "field", "old_value", "new_value")])
    with pg_db.engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar()
        wrong = conn.exec_driver_sql(
            "SELECT id FROM (SELECT *, lag(row_hash) OVER (ORDER BY id) AS lagged "
            "FROM audit_log) a WHERE prev_hash <> coalesce(lagged, repeat('0', 64)) OR row_hash "
            "<> encode(sha256(convert_to(prev_hash || chr(31) || concat_ws(chr(31), "
            f"{fields}), 'UTF8')), 'hex')").all()
    assert count >= 5 and wrong == []


# --- an intact log ---------------------------------------------------------------------------


def test_an_untouched_log_verifies(any_db, capsys: pytest.CaptureFixture) -> None:
    with any_db.engine.connect() as conn:
        assert verify_chain(conn).ok and verify_chain(conn).count == 0
    _rows(any_db)
    report = _verify(any_db)
    assert report.ok and report.count == 6 and report.last_id == 6
    assert report.last_hash == _stored(any_db, 6)["row_hash"]
    assert _stored(any_db, 1)["prev_hash"] == GENESIS
    assert _cli(any_db, "audit", "verify") == 0
    out = capsys.readouterr().out
    assert "audit log intact: 6 rows" in out and report.last_hash in out
    assert _cli(any_db, "check") == 0
    assert _cli(any_db, "audit", "--limit", "2") == 0  # the plain listing is still there
    assert "update" in capsys.readouterr().out


def test_rows_store_whole_seconds(any_db) -> None:
    _rows(any_db, 1)
    assert _stored(any_db, 1)["at"].microsecond == 0


def test_the_hashes_cannot_be_rewritten_through_the_database(any_db) -> None:
    from sqlalchemy.exc import DatabaseError

    _rows(any_db, 1)
    for statement in ("UPDATE audit_log SET row_hash = prev_hash",
                      "UPDATE audit_log SET prev_hash = row_hash"):
        with pytest.raises(DatabaseError, match="append-only"), any_db.engine.begin() as conn:
            conn.execute(text(statement))
    assert _verify(any_db).ok


def test_sqlite_refuses_a_row_off_the_end_of_the_chain(db) -> None:
    from sqlalchemy.exc import DatabaseError

    _rows(db, 1)
    forged = ("INSERT INTO audit_log (at, username, action, entity, prev_hash, row_hash) "
              "VALUES ('2026-01-01 00:00:00', 'x', 'create', 'unit', '{}', '{}')")
    with pytest.raises(DatabaseError, match="prev_hash"), db.engine.begin() as conn:
        conn.exec_driver_sql(forged.format(GENESIS, GENESIS))
    assert _verify(db).count == 2


# --- a broken log ----------------------------------------------------------------------------


def test_an_altered_row_is_named(any_db, capsys: pytest.CaptureFixture) -> None:
    _rows(any_db)
    row = _stored(any_db, 4)
    assert row["action"] == "update" and row["old_value"] == "Phòng số 1"
    _tamper(any_db, "UPDATE audit_log SET old_value = 'Phòng khác' WHERE id = 4")
    report = _verify(any_db)
    assert report.count == 3 and report.broken is not None
    assert (report.broken.id, report.broken.problem, report.broken.username) == (4, "altered",
                                                                                 "admin")
    assert report.broken.at == row["at"]
    assert _cli(any_db, "audit", "verify") == 4
    err = capsys.readouterr().err
    assert "dòng số 4" in err and "bị sửa" in err and "'admin'" in err
    assert row["at"].strftime("%d/%m/%Y %H:%M:%S") in err
    assert _cli(any_db, "check") == 4
    assert "dòng số 4" in capsys.readouterr().err


def test_a_deleted_row_is_named(any_db, capsys: pytest.CaptureFixture) -> None:
    _rows(any_db)
    _tamper(any_db, "DELETE FROM audit_log WHERE id = 3")
    broken = _verify(any_db).broken
    assert broken is not None and (broken.id, broken.problem, broken.after_id) == (4, "deleted", 2)
    assert _cli(any_db, "audit", "verify") == 4
    assert "đã bị xóa (sau dòng số 2)" in capsys.readouterr().err


def test_the_first_row_deleted(any_db) -> None:
    _rows(any_db)
    _tamper(any_db, "DELETE FROM audit_log WHERE id = 1")
    broken = _verify(any_db).broken
    assert broken is not None and (broken.id, broken.problem, broken.after_id) == (2, "deleted",
                                                                                   None)
    assert "ở đầu nhật ký" in broken.describe()


def _insert(row_id: int, prev: str, own: str, user: str = "ke.gia.mao") -> str:
    return ("INSERT INTO audit_log (id, at, username, action, entity, entity_id, field, "
            "old_value, new_value, prev_hash, row_hash) VALUES "
            f"({row_id}, '2026-05-05 10:00:00', '{user}', 'update', 'unit', 1, 'name', "
            f"'Phòng số 0', 'Phòng giả', '{prev}', '{own}')")


def test_a_forged_row_at_the_end_is_named(any_db, capsys: pytest.CaptureFixture) -> None:
    _rows(any_db)
    _tamper(any_db, _insert(7, "f" * 64, "e" * 64))
    broken = _verify(any_db).broken
    assert broken is not None and (broken.id, broken.problem, broken.username) == (
        7, "inserted", "ke.gia.mao")
    assert _cli(any_db, "audit", "verify") == 4
    assert "được chèn thêm" in capsys.readouterr().err


def _make_room_at(row_id: int) -> list[str]:
    """Statements shifting rows ``row_id``... one id up (two steps: the key stays unique)."""
    return [f"UPDATE audit_log SET id = id + 1000 WHERE id >= {row_id}",
            "UPDATE audit_log SET id = id - 999 WHERE id >= 1000"]


def test_a_forged_row_with_valid_hashes_in_the_middle_is_named(any_db) -> None:
    _rows(any_db)
    before = _stored(any_db, 3)["row_hash"]
    forged = {"at": datetime(2026, 5, 5, 10, 0, 0), "username": "ke.gia.mao",
              "action": "update", "entity": "unit", "entity_id": 1, "field": "name",
              "old_value": "Phòng số 0", "new_value": "Phòng giả"}
    _tamper(any_db, *_make_room_at(4), _insert(4, before, row_hash(before, forged)))
    broken = _verify(any_db).broken
    assert broken is not None and (broken.id, broken.problem, broken.username, broken.after_id) \
        == (4, "inserted", "ke.gia.mao", 3)


def test_a_forged_row_with_a_made_up_hash_in_the_middle_is_named(any_db) -> None:
    _rows(any_db)
    _tamper(any_db, *_make_room_at(3), _insert(3, "a" * 64, "b" * 64))
    broken = _verify(any_db).broken
    assert broken is not None and (broken.id, broken.problem) == (3, "inserted")


def test_a_row_altered_with_its_hash_recomputed_is_named(any_db) -> None:
    _rows(any_db)
    row = _stored(any_db, 2)
    row["new_value"] = "Phòng đã sửa"
    new_hash = row_hash(row["prev_hash"], row)
    _tamper(any_db, f"UPDATE audit_log SET new_value = 'Phòng đã sửa', row_hash = '{new_hash}' "
                    "WHERE id = 2")
    broken = _verify(any_db).broken
    assert broken is not None and (broken.id, broken.problem, broken.rehashed) == (2, "altered",
                                                                                   True)
    assert "mã băm của nó được tính lại" in broken.describe()


@pytest.mark.parametrize("page", [1, 2, 3, 5000])
def test_pages_do_not_change_the_verdict(db, page: int) -> None:
    _rows(db, 4)
    _tamper(db, "DELETE FROM audit_log WHERE id = 5")
    with db.engine.connect() as conn:
        broken = verify_chain(conn, page=page).broken
    assert broken is not None and (broken.id, broken.problem, broken.after_id) == (6, "deleted", 4)


# --- the SQLite triggers ---------------------------------------------------------------------


def test_a_new_sqlite_database_has_exactly_the_expected_triggers(db) -> None:
    with db.engine.connect() as conn:
        assert trigger_problems(conn) == []


def test_check_reports_dropped_altered_and_unknown_triggers(db, db_path: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    _rows(db, 1)
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER audit_log_no_delete")
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF username ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    raw.execute("CREATE TRIGGER audit_log_quiet AFTER INSERT ON audit_log BEGIN SELECT 1; END")
    raw.commit()
    raw.close()
    with db.engine.connect() as conn:
        report = check_audit_log(conn)
    assert report.chain.ok and not report.ok
    assert _cli(db, "check") == 4
    err = capsys.readouterr().err
    assert "Thiếu trigger bảo vệ nhật ký 'audit_log_no_delete'" in err
    assert "'audit_log_no_update' đã bị sửa" in err and "Trigger lạ" in err
    assert _cli(db, "audit", "verify") == 4


# --- an upgraded database --------------------------------------------------------------------


def _downgrade(url: str, revision: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from cchc_desktop.store.migrate import _config

    engine = create_engine(url)
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
    engine.dispose()


def _old_rows(url: str) -> None:
    """Rows as builds before the chain wrote them: microseconds, NULLs, raw SQL."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, username, action, entity, entity_id, "
                          "field, old_value, new_value) VALUES (:at, :u, 'update', 'task', "
                          ":e, :f, :o, :n)"),
                     [{"at": datetime(2025, 1, 2, 3, 4, 5, 678901), "u": "cũ", "e": i,
                       "f": None if i % 2 else "content", "o": None, "n": f"Giá trị {i}"}
                      for i in range(50)])
    engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_an_upgraded_database_verifies(kind: str, tmp_path: Path,
                                       request: pytest.FixtureRequest) -> None:
    from cchc_desktop.store.db import open_database

    url = (f"sqlite:///{tmp_path / 'old.sqlite3'}" if kind == "sqlite"
           else request.getfixturevalue("pg_url"))
    database = open_database(url)
    _rows(database, 2)
    database.close()
    _downgrade(url, "0007")
    _old_rows(url)
    database = open_database(url)  # upgrades to 0009: the existing rows are chained
    try:
        report = _verify(database)
        assert report.ok and report.count == 54
        with database.session() as s:
            create_unit(s, "Phòng sau nâng cấp")
        assert _verify(database).count == 55
        with database.engine.connect() as conn:
            assert trigger_problems(conn) == []
    finally:
        database.close()


# --- writers at the same moment --------------------------------------------------------------

_WRITER = """
import sys
from cchc_desktop.services.units import create_unit, update_unit
from cchc_desktop.store.db import open_database

url, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = open_database(url, migrate=False, auto_backup=False)
db.username = f"worker{worker}"
for i in range(count):
    with db.session() as s:
        unit = create_unit(s, f"Đơn vị {worker}-{i}")
        s.flush()
        update_unit(s, unit.id, name=f"Đơn vị {worker}/{i}", short_name="", kind="division",
                    active=True)
db.close()
"""


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_concurrent_writer_processes_make_one_chain(kind: str, request: pytest.FixtureRequest
                                                    ) -> None:
    database = request.getfixturevalue("db" if kind == "sqlite" else "pg_db")
    target = str(database.sqlite_path or database.url)
    processes, count = 4, 15
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, "-c", _WRITER, target, str(n), str(count)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env) for n in range(processes)]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    report = _verify(database)
    assert report.ok, report.describe()
    assert report.count == processes * count * 2
    with database.engine.connect() as conn:  # the writers really interleaved
        users = [u for (u,) in conn.execute(text("SELECT username FROM audit_log ORDER BY id"))]
    switches = sum(1 for a, b in zip(users, users[1:], strict=False) if a != b)
    assert switches >= processes - 1


# --- the GUI ---------------------------------------------------------------------------------


def test_the_audit_window_checks_the_log(db, qtbot) -> None:
    from PySide6.QtGui import QUndoStack

    from cchc_desktop.gui.catalog.backup_dialog import AuditDialog
    from cchc_desktop.gui.common.context import GuiContext

    _rows(db)
    dialog = AuditDialog(GuiContext(db=db, undo_stack=QUndoStack()))
    qtbot.addWidget(dialog)
    assert dialog.integrity_label.text() == ""
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    assert dialog.integrity_label.text() == (
        "Nhật ký thay đổi nguyên vẹn: 6 dòng, chuỗi mã băm khớp đến dòng số 6.")
    _tamper(db, "DELETE FROM audit_log WHERE id = 5")
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    assert "dòng số 6" in dialog.integrity_label.text()
    assert "đã bị xóa (sau dòng số 4)" in dialog.integrity_label.text()
