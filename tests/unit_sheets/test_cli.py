"""``cchc export/import unit-sheets``, ``cchc extensions``, ``cchc tasks set``: exit codes and
what they write."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cchc_desktop.cli.main import main
from cchc_desktop.store.db import open_database
from cchc_desktop.store.models import AuditEntry, ExtensionRequest, ProgressUpdate, Task
from tests.unit_sheets.helpers import fill, task_rows

TODAY = date.today()


@pytest.fixture
def demo(tmp_path: Path) -> str:
    path = str(tmp_path / "demo.sqlite3")
    assert main(["--db", path, "init"]) == 0
    assert main(["--db", path, "demo", "--tasks", "200", "--seed", "3"]) == 0
    return path


def _counts(path: str) -> tuple[int, int, int, int]:
    db = open_database(path, auto_backup=False)
    try:
        with db.session() as session:
            return (session.scalar(select(func.count()).select_from(ProgressUpdate)),
                    session.scalar(select(func.count()).select_from(ExtensionRequest)),
                    session.scalar(select(func.count()).select_from(AuditEntry)),
                    session.scalar(select(func.count()).select_from(Task)
                                   .where(Task.completed_on.is_not(None))))
    finally:
        db.close()


def _task(path: str, task_id: int) -> Task:
    db = open_database(path, auto_backup=False)
    try:
        with db.session() as session:
            task = session.get(Task, task_id)
            session.expunge(task)
            return task
    finally:
        db.close()


def _export(demo: str, out: Path, capsys) -> list[Path]:
    assert main(["--db", demo, "export", "unit-sheets", "--out-dir", str(out)]) == 0
    assert "workbook(s) written" in capsys.readouterr().out
    # The Văn phòng Sở's workbook (the demo gives it the most tasks) first.
    return sorted(out.glob("*.xlsx"), key=lambda p: ("Van_phong_So" not in p.name, p.name))


def _fillable(demo: str, path: Path, count: int) -> list[int]:
    ids = []
    for task_id in sorted(task_rows(path)):
        task = _task(demo, task_id)
        if task.completed_on is None and task.due_date and (
                task.assigned_on is None or task.assigned_on < TODAY):
            ids.append(task_id)
    return ids[:count]


def test_export_dry_run_import(demo: str, tmp_path: Path, capsys) -> None:
    files = _export(demo, tmp_path / "out", capsys)
    assert files and all(f.name.startswith("Phieu_cap_nhat_") for f in files)
    path = files[0]
    done, progress, extend = _fillable(demo, path, 3)
    fill(path, done, completed_on=TODAY, result="Đã ban hành kế hoạch")
    fill(path, progress, percent=60)
    fill(path, extend, extension_to=_task(demo, extend).due_date + timedelta(days=40),
         extension_reason="Chờ ý kiến")
    before = _counts(demo)
    assert main(["--db", demo, "import", "unit-sheets", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "3 dòng thay đổi" in out and "dry run" in out
    assert _counts(demo) == before
    assert main(["--db", demo, "import", "unit-sheets", str(tmp_path / "out")]) == 0
    assert "Đã cập nhật 3 dòng" in capsys.readouterr().out
    progress_n, requests_n, audit_n, done_n = _counts(demo)
    assert (progress_n, requests_n, done_n) == (before[0] + 1, before[1] + 1, before[3] + 1)
    assert audit_n > before[2]

    assert main(["--db", demo, "tasks", "list", "--json", "--limit", "100000"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    wanted = (_task(demo, extend).due_date + timedelta(days=40)).isoformat()
    assert listed[extend]["pending_extension"] == wanted
    assert listed[done]["pending_extension"] is None
    assert main(["--db", demo, "extensions", "list", "--status", "pending"]) == 0
    listing = capsys.readouterr().out
    assert "Chờ ý kiến" in listing
    request_id = listing.split()[0]
    assert main(["--db", demo, "extensions", "approve", request_id,
                 "--document", "Công văn 45/UBND-VP"]) == 0
    assert "is now due" in capsys.readouterr().out
    assert main(["--db", demo, "extensions", "approve", request_id, "--document", "x"]) == 2


def test_conflicts_exit_2_and_write_nothing_unless_skipped(demo: str, tmp_path: Path,
                                                           capsys) -> None:
    path = _export(demo, tmp_path / "out", capsys)[0]
    clash, other = _fillable(demo, path, 2)
    assert main(["--db", demo, "tasks", "set", str(clash), "--result", "Ghi ở văn phòng"]) == 0
    fill(path, clash, result="Ghi ở đơn vị")
    fill(path, other, percent=15)
    before = _counts(demo)
    assert main(["--db", demo, "import", "unit-sheets", str(path)]) == 2
    captured = capsys.readouterr()
    assert "xung đột" in captured.out and "--skip-conflicts" in captured.err
    assert _counts(demo) == before
    assert main(["--db", demo, "import", "unit-sheets", str(path), "--skip-conflicts"]) == 0
    assert "bỏ qua 1 dòng xung đột" in capsys.readouterr().out
    assert _counts(demo)[0] == before[0] + 1
    assert _task(demo, clash).completion_note == "Ghi ở văn phòng"


def test_refused_files_exit_2_missing_files_exit_1(demo: str, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("hello")
    assert main(["--db", demo, "import", "unit-sheets", str(bad)]) == 2
    assert "bad.xlsx" in capsys.readouterr().err
    assert main(["--db", demo, "import", "unit-sheets", str(tmp_path / "none.xlsx")]) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--db", demo, "import", "unit-sheets", str(empty)]) == 1
    assert main(["--db", demo, "export", "unit-sheets", "--out-dir", str(tmp_path / "o"),
                 "--unit", "Không có đơn vị này"]) == 1


def test_tasks_set(demo: str, capsys) -> None:
    task_id = 1
    assert main(["--db", demo, "tasks", "set", str(task_id), "--completed",
                 TODAY.isoformat(), "--result", "Xong", "--note", "ghi chú"]) == 0
    task = _task(demo, task_id)
    assert (task.completed_on, task.completion_note, task.note) == (TODAY, "Xong", "ghi chú")
    assert main(["--db", demo, "tasks", "set", str(task_id), "--not-completed"]) == 0
    assert _task(demo, task_id).completed_on is None
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert main(["--db", demo, "tasks", "set", str(task_id), "--completed", tomorrow]) == 2
    assert "sau ngày hôm nay" in capsys.readouterr().err
    assert main(["--db", demo, "tasks", "set", str(task_id)]) == 1
    assert main(["--db", demo, "tasks", "set", "999999", "--note", "x"]) == 1


def test_real_subprocess_has_no_traceback(demo: str, tmp_path: Path) -> None:
    bad = tmp_path / "Phieu.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "cchc_desktop.cli.main", "--db", demo, "import", "unit-sheets",
         str(bad)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Phieu.xlsx" in result.stderr
