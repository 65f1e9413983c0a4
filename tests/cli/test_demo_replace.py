"""``cchc demo`` replaces data only when asked to, confirmed, and by an administrator."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_desktop.cli.main import main

PASSWORD = "mat-khau-123"


def _counts(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("tasks", "plans", "documents"))
    finally:
        conn.close()


@pytest.fixture
def filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding the office's own work: a unit, a plan and its task."""
    path = tmp_path / "work.sqlite3"
    base = ["--db", str(path)]
    assert main([*base, "init"]) == 0
    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.services.plans import save_plan
    from cchc_desktop.services.tasks import create_task
    from cchc_desktop.services.units import create_unit
    from cchc_desktop.store.db import open_database

    db = open_database(str(path), auto_backup=False)
    with db.session() as s:
        unit = create_unit(s, "Văn phòng Sở", "VP").id
        plan = save_plan(s, year=2024, title="Kế hoạch CCHC năm 2024").id
        create_task(s, TaskDraft(content="Việc thật của cơ quan", lead_unit_id=unit), plan_id=plan)
    db.close()
    capsys.readouterr()
    return path


def _cli(path: Path, *argv: str, stdin: int | None = subprocess.DEVNULL,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cchc_desktop.cli.main", "--db", str(path), *argv],
        stdin=stdin, capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_demo_refuses_a_database_with_data(filled: Path) -> None:
    result = _cli(filled, "demo", "--tasks", "20")
    assert result.returncode == 1
    assert "already holds data (1 nhiệm vụ, 1 kế hoạch)" in result.stderr
    assert "--replace" in result.stderr and "Traceback" not in result.stderr
    assert _counts(filled) == (1, 1, 0)


def test_replace_without_a_terminal_to_ask_is_refused(filled: Path) -> None:
    result = _cli(filled, "demo", "--tasks", "20", "--replace")  # stdin: /dev/null, no terminal
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert _counts(filled) == (1, 1, 0)


def test_replace_with_yes_replaces(filled: Path) -> None:
    result = _cli(filled, "demo", "--tasks", "20", "--replace", "--yes")
    assert result.returncode == 0, result.stderr
    assert _counts(filled)[0] == 20


@pytest.mark.parametrize(("answer", "replaced"), [("n", False), ("", False), ("y", True),
                                                   ("có", True)])
def test_replace_asks_on_a_terminal(filled: Path, answer: str, replaced: bool,
                                    monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    asked: list[str] = []

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda q: asked.append(q) or answer)
    code = main(["--db", str(filled), "demo", "--tasks", "20", "--replace"])
    assert asked and "1 nhiệm vụ, 1 kế hoạch" in asked[0]
    assert code == (0 if replaced else 1)
    assert (_counts(filled)[0] == 20) is replaced
    if not replaced:
        assert "cancelled" in capsys.readouterr().err


def test_empty_database_needs_no_question(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    assert _cli(path, "init").returncode == 0
    result = _cli(path, "demo", "--tasks", "20")
    assert result.returncode == 0, result.stderr
    assert _counts(path)[0] == 20


@pytest.mark.parametrize("role", ["viewer", "unit"])
def test_only_an_administrator_runs_demo(filled: Path, role: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_NEW_PASSWORD", PASSWORD)
    base = ["--db", str(filled)]
    assert main([*base, "users", "add", "boss", "--role", "admin"]) == 0
    assert main([*base, "users", "add", "someone", "--role", role, "--unit", "VP"]) == 0
    result = _cli(filled, "demo", "--tasks", "20", "--replace", "--yes",
                  env={"CCHC_USER": "someone", "CCHC_PASSWORD": PASSWORD})
    assert result.returncode == 1
    assert "chỉ người quản trị" in result.stderr
    assert _counts(filled) == (1, 1, 0)


def test_the_service_refuses_without_replace(filled: Path) -> None:
    from cchc_desktop.services.demo import DemoWouldReplace, build_demo
    from cchc_desktop.store.db import open_database

    db = open_database(str(filled), auto_backup=False)
    try:
        with pytest.raises(DemoWouldReplace, match="1 nhiệm vụ"), db.session() as s:
            build_demo(s, 20)
    finally:
        db.close()
    assert _counts(filled) == (1, 1, 0)
