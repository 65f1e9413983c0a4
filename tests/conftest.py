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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    """A migrated, empty SQLite database."""
    from cchc_desktop.store.db import open_database

    database = open_database(str(db_path))
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
