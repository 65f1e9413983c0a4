"""Opening databases: migrations, SQLite settings, bad files, URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store.db import open_database, resolve_url
from cchc_desktop.store.migrate import current_revision, head_revision


def test_new_database_is_migrated_to_head(any_db) -> None:
    assert current_revision(any_db.engine) == head_revision()
    tables = set(inspect(any_db.engine).get_table_names())
    assert {"tasks", "units", "plans", "documents", "evidence", "criteria", "scores",
            "index_results", "procedure_stats", "settings", "users", "audit_log"} <= tables


def test_sqlite_pragmas(db) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_reopen_keeps_data(db_path: Path) -> None:
    from cchc_desktop.services.units import create_unit, list_units

    first = open_database(str(db_path))
    with first.session() as s:
        create_unit(s, "Văn phòng Sở", "VP")
    first.close()
    second = open_database(str(db_path))
    with second.session() as s:
        assert [u.name for u in list_units(s)] == ["Văn phòng Sở"]
    second.close()


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_bytes(b"this is a Word document, not a database" * 100)
    with pytest.raises(EnvironmentProblem, match="không phải là cơ sở dữ liệu"):
        open_database(str(bad))
    assert bad.read_bytes().startswith(b"this is a Word document")  # never overwritten


def test_database_from_newer_version_is_refused(db_path: Path) -> None:
    database = open_database(str(db_path))
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    database.close()
    with pytest.raises(EnvironmentProblem, match="phiên bản CCHC Desktop mới hơn"):
        open_database(str(db_path))


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem, match="không tồn tại"):
        open_database(str(tmp_path / "nope" / "x.sqlite3"))


def test_resolve_url_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_url(str(tmp_path / "a.sqlite3")) == f"sqlite:///{tmp_path / 'a.sqlite3'}"
    assert resolve_url("postgresql+psycopg://u:p@localhost/db").startswith("postgresql+psycopg")
    monkeypatch.setenv("CCHC_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_url(None).endswith("env.sqlite3")
    monkeypatch.delenv("CCHC_DB")
    assert resolve_url(None).endswith("cchc.sqlite3")


def test_failed_transaction_writes_nothing(any_db) -> None:
    from cchc_desktop.services.units import create_unit, list_units

    with pytest.raises(RuntimeError), any_db.session() as s:
        create_unit(s, "Phòng TCCB")
        raise RuntimeError("power cut")
    with any_db.session() as s:
        assert list_units(s) == []


def test_schema_head_constant_matches_alembic() -> None:
    from cchc_desktop.store.migrate import SCHEMA_HEAD

    assert SCHEMA_HEAD == head_revision()


def test_opening_an_up_to_date_database_does_not_import_alembic(db_path: Path) -> None:
    import subprocess
    import sys

    open_database(str(db_path)).close()
    code = (
        "import sys; from cchc_desktop.store.db import open_database; "
        f"open_database({str(db_path)!r}, auto_backup=False).close(); "
        "print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr
