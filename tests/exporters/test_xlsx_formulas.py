"""Text that a spreadsheet would run as a formula is written as text in every .xlsx we export,
and comes back exactly as it was on import.

Before the fix a task whose content was "=cmd|' /c calc'!A1" was exported as a formula cell:
Excel runs it when the list is opened.
"""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc_desktop.cli.main import main

HOSTILE = [
    "=cmd|' /c calc'!A1",
    "=HYPERLINK(\"http://x.invalid\",\"bấm vào\")",
    "+SUM(1,2)",
    "-5%",
    "-2+3",
    "@SUM(1)",
    "= 1 + 1 là hai",
]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _assert_text_cells(path: Path, texts: list[str]) -> None:
    assert "<f>" not in _sheet_xml(path) and "<f " not in _sheet_xml(path)
    ws = load_workbook(path).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value in texts}
    assert set(cells) == set(texts)
    for cell in cells.values():
        assert cell.data_type == "s" and cell.quotePrefix, cell.value


def test_task_list_keeps_formula_like_text_as_text(db, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.services.tasks import create_task
    from cchc_desktop.services.units import create_unit

    with db.session() as s:
        unit = create_unit(s, "Văn phòng Sở", "VP")
        for text in HOSTILE:
            create_task(s, TaskDraft(content=f"{text}", lead_unit_id=unit.id, year=2024,
                                     note=text, output=text))
    out = tmp_path / "nhiem_vu.xlsx"
    assert main(["--db", str(db_path), "export", "tasks", str(out)]) == 0
    _assert_text_cells(out, HOSTILE)
    # Import back into the same database: every task found unchanged, text exactly kept.
    from cchc_desktop.services.imports import import_tasks

    with db.session() as s:
        report = import_tasks(s, out)
    assert report.ok, report.problem_lines()
    assert (report.added, report.updated, report.unchanged) == (0, 0, len(HOSTILE))
    from cchc_desktop.importers.sheet import read_sheet

    read_back = {v for _n, values in read_sheet(out).rows for v in values}
    assert set(HOSTILE) <= read_back


def test_document_list_keeps_formula_like_text_as_text(db, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from datetime import date

    from cchc_desktop.services.documents import save_document

    with db.session() as s:
        for number, text in enumerate(HOSTILE, start=1):
            save_document(s, f"{number}/KH-UBND", date(2024, 1, number), issuer=text,
                          summary=text)
    out = tmp_path / "van_ban.xlsx"
    assert main(["--db", str(db_path), "export", "documents", str(out)]) == 0
    _assert_text_cells(out, HOSTILE)
    from cchc_desktop.importers.documents_xlsx import parse_document_sheet
    from cchc_desktop.importers.sheet import read_sheet

    parsed = parse_document_sheet(read_sheet(out))
    assert [d.summary for d in parsed.documents] == HOSTILE
    assert [d.issuer for d in parsed.documents] == HOSTILE


def test_criteria_template_keeps_formula_like_text_as_text(db, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.resources import resource_path
    from cchc_desktop.services.scoring import (
        TEMPLATE_FILE,
        export_framework_xlsx,
        import_framework,
        read_framework_file,
    )

    name, specs = read_framework_file(resource_path("db", "seed", TEMPLATE_FILE))
    specs = [dataclasses.replace(spec, guidance=HOSTILE[i % len(HOSTILE)])
             for i, spec in enumerate(specs)]
    with db.session() as s:
        import_framework(s, 2026, specs, name=name)
    out = tmp_path / "tieu_chi.xlsx"
    with db.session() as s:
        export_framework_xlsx(s, 2026, out)
    _assert_text_cells(out, HOSTILE)
    _name, again = read_framework_file(out)
    assert [spec.guidance for spec in again] == [spec.guidance for spec in specs]


@pytest.mark.parametrize(("text", "formula"), [
    ("=1+1", True), ("+1", True), ("-5%", True), ("@A1", True), ("\t=1", True),
    ("Kế hoạch = 100%", False), ("5-3", False), ("", False),
])
def test_the_rule(text: str, formula: bool) -> None:
    from cchc_desktop.exporters.xlsx_cells import looks_like_formula

    assert looks_like_formula(text) is formula
    assert not looks_like_formula(12)
