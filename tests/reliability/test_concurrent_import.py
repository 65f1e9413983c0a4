"""Three PCs importing the same sheet at the same moment: its tasks exist once.

Real processes run ``cchc import tasks`` on one database (SQLite file, the PostgreSQL
server of the tests). The sheet also creates units, documents and the plan's groups,
which have unique names: before the import took its lock first, the three processes all
read "not there yet", added the tasks three times, and the later ones ended on
"internal error: IntegrityError" with SQL. Now one adds, the others find its rows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

import cchc_desktop
from cchc_desktop.store.models import Document, Plan, PlanGroup, Task, Unit
from tests.importers.conftest import HEADER, write_workbook

PROCESSES = 3
ROWS = 240
UNITS = ["Văn phòng Sở", "Thanh tra Sở", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính"]
DOCUMENTS = ["36/KH-UBND ngày 26/01/2021", "120/KH-UBND ngày 02/03/2021", "15/QĐ-UBND"]
GROUPS = ["I. Công tác chỉ đạo, điều hành", "II. Cải cách thể chế", "III. Cải cách TTHC"]


def _sheet(path: Path) -> Path:
    rows: list[list[object]] = [HEADER]
    per_group = ROWS // len(GROUPS)
    for g, title in enumerate(GROUPS):
        rows.append([title])
        for i in range(per_group):
            n = g * per_group + i
            rows.append([i + 1, f"Nhiệm vụ {n}: triển khai nội dung {n * 7919 % 10007}",
                         "Báo cáo", "Quý II", None, None, UNITS[n % 4],
                         f"{UNITS[(n + 1) % 4]};\n{UNITS[(n + 2) % 4]}", DOCUMENTS[n % 3],
                         "UBND tỉnh", ""])
    return write_workbook(path, rows)


def _run_at_once(url: str, sheet: Path, plan_id: int | None
                 ) -> list[subprocess.CompletedProcess[str]]:
    """Start every process before any has finished reading the sheet; wait for all.
    With ``plan_id`` None the sheet is a document list (``import documents``)."""
    env = {**os.environ, "PYTHONPATH": str(Path(cchc_desktop.__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "cchc_desktop.cli.main", "--db", url, "import"]
    command += (["documents", str(sheet)] if plan_id is None else
                ["tasks", str(sheet), "--plan", str(plan_id), "--create-units"])
    started = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env) for _ in range(PROCESSES)]
    done = []
    for process in started:
        out, err = process.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return done


def _counts(db) -> dict[str, int]:  # noqa: ANN001
    with db.session() as s:
        return {name: s.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (("tasks", Task), ("units", Unit), ("documents", Document),
                                    ("groups", PlanGroup))}


def _new_plan(db, catalogue: bool) -> int:  # noqa: ANN001
    """A plan; with ``catalogue`` the units and documents exist already (tasks only race)."""
    from cchc_desktop.services.units import create_unit

    with db.session() as s:
        plan = Plan(year=2024, title="Kế hoạch cải cách hành chính năm 2024")
        s.add(plan)
        if catalogue:
            for name in UNITS:
                create_unit(s, name)
            for symbol in DOCUMENTS:
                s.add(Document(symbol=symbol.split(" ")[0], issuer="", summary=""))
        s.flush()
        return plan.id


def _check(results: list[subprocess.CompletedProcess[str]], counts: dict[str, int]) -> None:
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "Error" not in r.stderr and "INSERT" not in r.stderr, r.stderr
    assert counts == {"tasks": ROWS, "units": len(UNITS), "documents": len(DOCUMENTS),
                      "groups": len(GROUPS)}
    added = [r.stdout for r in results if f"Đã thêm {ROWS} nhiệm vụ" in r.stdout]
    unchanged = [r.stdout for r in results
                 if re.search(rf"Đã thêm 0 nhiệm vụ, cập nhật 0, không đổi {ROWS}\.", r.stdout)]
    assert (len(added), len(unchanged)) == (1, PROCESSES - 1), [r.stdout for r in results]


CATALOGUE = pytest.mark.parametrize("catalogue", [True, False],
                                    ids=["known-units", "new-units-and-documents"])


@pytest.mark.slow  # three CLI processes, each importing the sheet
@CATALOGUE
def test_same_sheet_imported_by_three_processes_on_sqlite(tmp_path: Path,
                                                          catalogue: bool) -> None:
    from cchc_desktop.store.db import open_database

    path = tmp_path / "shared.sqlite3"
    db = open_database(str(path))
    try:
        plan_id = _new_plan(db, catalogue)
    finally:
        db.close()
    results = _run_at_once(str(path), _sheet(tmp_path / "ke_hoach.xlsx"), plan_id)
    db = open_database(str(path))
    try:
        _check(results, _counts(db))
    finally:
        db.close()


@pytest.mark.postgres
@pytest.mark.slow
@CATALOGUE
def test_same_sheet_imported_by_three_processes_on_postgres(pg_db, tmp_path: Path,  # noqa: ANN001
                                                            catalogue: bool) -> None:
    plan_id = _new_plan(pg_db, catalogue)
    results = _run_at_once(pg_db.url, _sheet(tmp_path / "ke_hoach.xlsx"), plan_id)
    _check(results, _counts(pg_db))


def _documents_sheet(path: Path) -> Path:
    rows: list[list[object]] = [["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành"]]
    rows += [[f"{n}/KH-UBND", "26/01/2021", f"Kế hoạch số {n}", "UBND tỉnh"] for n in range(1, 151)]
    return write_workbook(path, rows)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_same_document_list_imported_by_three_processes(request, tmp_path: Path,  # noqa: ANN001
                                                        kind: str) -> None:
    from cchc_desktop.store.db import open_database

    if kind == "postgres":
        request.applymarker(pytest.mark.postgres)
        db = request.getfixturevalue("pg_db")
        url = db.url
    else:
        url = str(tmp_path / "shared.sqlite3")
        open_database(url).close()
    results = _run_at_once(url, _documents_sheet(tmp_path / "van_ban.xlsx"), None)
    for r in results:
        assert r.returncode == 0 and "Error" not in r.stderr, r.stderr
    assert sum("Đã thêm 150 văn bản" in r.stdout for r in results) == 1
    assert sum("Đã thêm 0 văn bản, cập nhật 0, không đổi 150" in r.stdout
               for r in results) == PROCESSES - 1
    database = open_database(url) if kind == "sqlite" else db
    try:
        with database.session() as s:
            assert s.scalar(select(func.count()).select_from(Document)) == 150
    finally:
        if kind == "sqlite":
            database.close()
