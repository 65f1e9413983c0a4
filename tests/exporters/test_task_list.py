"""The Nhiệm vụ list as shown, to .xlsx and .docx: the files hold exactly the filtered rows,
with the glossary's headers, formula-looking text kept as text, on landscape A4."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date

import pytest
from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from cchc_desktop.cli.main import main
from cchc_desktop.domain import terms
from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.exporters.task_list import LIST_COLUMNS, export_task_list
from cchc_desktop.services.task_queries import TaskFilter, list_tasks
from cchc_desktop.store.models import Task
from tests.conftest import DEMO_TODAY
from tests.exporters.conftest import table_rows

HEADERS = [c.header for c in LIST_COLUMNS]


def _sheet_rows(ws) -> list[tuple]:  # noqa: ANN001
    return [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None]


def _expected(db, flt: TaskFilter) -> list[tuple[str, str, str]]:  # noqa: ANN001
    with db.session() as session:
        rows = list_tasks(session, DEMO_TODAY, flt)
    return [(r.content, r.lead_unit, STATUS_LABELS[r.status]) for r in rows]


FILTERS = [
    TaskFilter(),
    TaskFilter(statuses={StatusClass.OPEN_OVERDUE}),
    TaskFilter(unit="Văn phòng Sở", include_supporting=True, year=2024),
    TaskFilter(search="bao cao", due_within=30),
    TaskFilter(assigner="UBND tỉnh", area=3),
]


@pytest.mark.parametrize("flt", FILTERS)
def test_workbook_rows_are_exactly_the_filtered_tasks(demo_db, tmp_path, flt) -> None:  # noqa: ANN001
    path = tmp_path / "ds.xlsx"
    with demo_db.session() as session:
        count = export_task_list(session, path, flt, as_of=DEMO_TODAY, fmt="xlsx")
    expected = _expected(demo_db, flt)
    assert expected  # every filter here selects some of the demo's tasks
    ws = load_workbook(path).active
    assert [c.value for c in ws[4]] == HEADERS
    rows = _sheet_rows(ws)
    assert count == len(rows) == len(expected)
    assert [(r[1], r[2] or "", r[7]) for r in rows] == expected  # same rows, same order
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert ws.page_setup.orientation == "landscape"
    if flt.assigner:  # "UBND tỉnh" exactly: not "Chủ tịch UBND tỉnh"
        assert {r[8] for r in rows} == {"UBND tỉnh"}


def test_by_unit_gives_a_sheet_and_a_part_per_lead_unit(demo_db, tmp_path) -> None:  # noqa: ANN001
    flt = TaskFilter(statuses={StatusClass.OPEN_OVERDUE, StatusClass.OPEN_ON_TIME})
    expected = Counter(_expected(demo_db, flt))
    with demo_db.session() as session:
        export_task_list(session, tmp_path / "u.xlsx", flt, as_of=DEMO_TODAY, fmt="xlsx",
                         by_unit=True)
        export_task_list(session, tmp_path / "u.docx", flt, as_of=DEMO_TODAY, fmt="docx",
                         by_unit=True)
    book = load_workbook(tmp_path / "u.xlsx")
    units = {unit for _c, unit, _s in expected}
    assert len(book.worksheets) == len(units)
    seen: Counter = Counter()
    for ws in book.worksheets:
        rows = _sheet_rows(ws)
        assert len({r[2] for r in rows}) == 1  # one lead unit per sheet
        seen.update((r[1], r[2] or "", r[7]) for r in rows)
    assert seen == expected

    doc = DocxDocument(str(tmp_path / "u.docx"))
    data = doc.tables[1:]  # the first table is the national header
    assert len(data) == len(units)
    seen = Counter()
    for table in data:
        rows = table_rows(table)
        assert rows[0] == HEADERS
        seen.update((r[1], r[2], r[7]) for r in rows[1:])
    assert seen == expected
    assert all(s.orientation == WD_ORIENT.LANDSCAPE for s in doc.sections)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "DANH SÁCH NHIỆM VỤ" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in \
        "\n".join(c.text for c in doc.tables[0].rows[0].cells)


def test_formula_looking_text_stays_text(demo_db, tmp_path) -> None:  # noqa: ANN001
    with demo_db.session() as session:
        task = session.query(Task).first()
        task.content = "=HYPERLINK(\"http://x\",\"bấm\")"
        task.assigned_by = "+UBND tỉnh"
        task.due_date = date(2000, 1, 1)  # first in deadline order
    path = tmp_path / "ds.xlsx"
    with demo_db.session() as session:
        export_task_list(session, path, TaskFilter(search="hyperlink"), as_of=DEMO_TODAY,
                         fmt="xlsx")
    ws = load_workbook(path).active
    cell = ws.cell(row=5, column=2)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix
    assert ws.cell(row=5, column=9).value == "+UBND tỉnh"
    # the first row's quote prefix is its own, not copied to the rows below
    with demo_db.session() as session:
        export_task_list(session, path, TaskFilter(), as_of=DEMO_TODAY, fmt="xlsx")
    ws = load_workbook(path).active
    prefixed = [r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=2).quotePrefix]
    assert prefixed == [5]  # the formula-looking row is the first, its prefix its own


def test_cli_export_tasks_list_formats(shared_demo, tmp_path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "demo.sqlite3"
    shutil.copy(shared_demo[0], db)
    out = tmp_path / "qh.docx"
    code = main(["--db", str(db), "export", "tasks", "--format", "docx", "--status",
                 "open_overdue", "--as-of", "20/11/2024", "--out", str(out)])
    stdout = capsys.readouterr().out
    assert code == 0 and "qh.docx" in stdout
    rows = table_rows(DocxDocument(str(out)).tables[1])
    assert rows[0] == HEADERS and rows[1:]
    assert {r[7] for r in rows[1:]} == {STATUS_LABELS[StatusClass.OPEN_OVERDUE]}
    assert f"{len(rows) - 1} tasks" in stdout
    code = main(["--db", str(db), "export", "tasks", "--by-unit", "--out",
                 str(tmp_path / "u.xlsx")])
    assert code == 0 and len(load_workbook(tmp_path / "u.xlsx").worksheets) > 1
    code = main(["--db", str(db), "export", "tasks", "--format", "docx", "--out",
                 str(tmp_path / "sai.xlsx")])
    assert code != 0 and "must end in .docx" in capsys.readouterr().err
    assert not (tmp_path / "sai.xlsx").exists()


def test_headers_are_the_glossary_s() -> None:
    assert terms.LEAD_UNIT in HEADERS and terms.DUE_DATE in HEADERS
    assert not any(terms.avoided_terms_in(h) for h in HEADERS)


def test_area_zero_means_not_classified(demo_db, tmp_path) -> None:  # noqa: ANN001
    with demo_db.session() as session:
        tasks = session.query(Task).order_by(Task.id).limit(3).all()
        for task in tasks:
            task.area = None
        chosen = {t.content for t in tasks}
    path = tmp_path / "ds.xlsx"
    with demo_db.session() as session:
        count = export_task_list(session, path, TaskFilter(area=0), as_of=DEMO_TODAY, fmt="xlsx")
    rows = _sheet_rows(load_workbook(path).active)
    assert count == 3 and {r[1] for r in rows} == chosen
    assert {r[9] for r in rows} == {"Chưa phân loại"}
