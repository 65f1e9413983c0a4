"""The shared-server mode end to end: the CLI and the main window on a real PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cchc_desktop.cli.main import main

pytestmark = pytest.mark.postgres


@pytest.fixture
def demo_pg(pg_db):
    from datetime import date

    from cchc_desktop.services.demo import build_demo

    with pg_db.session() as s:
        build_demo(s, 120, seed=3, today=date(2024, 11, 20))
    return pg_db


def test_cli_commands_on_postgres(demo_pg, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    base = ["--db", demo_pg.url]
    assert main([*base, "init"]) == 0
    capsys.readouterr()
    assert main([*base, "tasks", "summary", "--as-of", "20/11/2024", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["total"] == 120
    assert main([*base, "tasks", "list", "--overdue", "--as-of", "20/11/2024", "--limit", "5"]) == 0
    assert main([*base, "units", "add", "Phòng mới'); --"]) == 0
    assert main([*base, "check"]) == 0
    assert main([*base, "audit", "--entity", "unit", "--json"]) == 0
    capsys.readouterr()
    out = tmp_path / "tasks.xlsx"
    assert main([*base, "export", "tasks", str(out)]) == 0
    assert out.stat().st_size > 0
    report = tmp_path / "report.docx"
    assert main([*base, "export", "report", "--period", "2024-Q3", "--no-charts",
                 "--out", str(report)]) == 0
    assert report.stat().st_size > 0


def test_cli_on_postgres_requires_login_once_accounts_exist(
    pg_db, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["--db", pg_db.url]
    monkeypatch.setenv("CCHC_NEW_PASSWORD", "mat-khau-123")
    assert main([*base, "users", "add", "admin1", "--role", "admin"]) == 0  # bootstrap
    assert main([*base, "units", "list"]) == 1
    assert "CCHC_USER" in capsys.readouterr().err
    monkeypatch.setenv("CCHC_USER", "admin1")
    monkeypatch.setenv("CCHC_PASSWORD", "mat-khau-123")
    assert main([*base, "units", "add", "Văn phòng Sở"]) == 0
    assert main([*base, "audit", "--user", "admin1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert [r["entity"] for r in rows] == ["unit"]


def test_main_window_on_postgres(demo_pg, qtbot) -> None:
    from datetime import date

    from cchc_desktop.gui.main_window import MainWindow

    window = MainWindow(demo_pg, today=date(2024, 11, 20))
    qtbot.addWidget(window)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(10)
    assert window.tabs.count() >= 5
