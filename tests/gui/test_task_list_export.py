"""Nhiệm vụ tab → "Xuất / In": what is written is exactly what the filter bar shows."""

from __future__ import annotations

import stat
from collections import Counter
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.tasks import list_export
from tests.gui.conftest import send_text


def _action(tab, name: str) -> QAction:  # noqa: ANN001
    menu = tab.list_button.menu()
    return next(a for a in menu.actions() if a.objectName() == name)


def _shown(tab) -> Counter:  # noqa: ANN001
    return Counter((r.content, r.lead_unit, STATUS_LABELS[r.status])
                   for r in tab.model.visible_rows())


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The save dialog answers a file in tmp_path; the "Mở tệp / In…" offer is recorded."""
    offered: list[str] = []
    monkeypatch.setattr(dialogs, "save_file",
                        lambda _p, _t, _f, start="", suffix="": tmp_path / start)
    monkeypatch.setattr(dialogs, "offer_open", lambda _p, path, text="": offered.append(path))
    return offered


def test_export_the_filtered_list_to_excel(qtbot, tasks_tab, saved) -> None:  # noqa: ANN001
    combo = tasks_tab.status_filter
    combo.setCurrentIndex(combo.findData("open"))
    tasks_tab.unit_filter.setCurrentIndex(tasks_tab.unit_filter.findData("Văn phòng Sở"))
    send_text(tasks_tab.search, "báo cáo")
    shown = _shown(tasks_tab)
    assert 0 < sum(shown.values()) < 300
    _action(tasks_tab, "exportListXlsx").trigger()
    assert len(saved) == 1 and saved[0].suffix == ".xlsx"
    ws = load_workbook(saved[0]).active
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert Counter((r[1], r[2] or "", r[7]) for r in rows) == shown


def test_export_per_unit_to_word(qtbot, tasks_tab, saved) -> None:  # noqa: ANN001
    combo = tasks_tab.status_filter
    combo.setCurrentIndex(combo.findData(StatusClass.OPEN_OVERDUE.value))
    assigned = tasks_tab.assigned_filter
    assigned.setCurrentIndex(assigned.findData("UBND tỉnh"))  # not "Chủ tịch UBND tỉnh"
    shown = _shown(tasks_tab)
    assert shown
    _action(tasks_tab, "exportUnitsDocx").trigger()
    doc = DocxDocument(str(saved[0]))
    written: Counter = Counter()
    for table in doc.tables[1:]:
        written.update((row.cells[1].text, row.cells[2].text, row.cells[7].text)
                       for row in table.rows[1:])
    assert written == shown
    assert len(doc.tables) - 1 == len({unit for _c, unit, _s in shown})


def test_print_the_list_goes_to_the_printer(qtbot, tasks_tab, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "printed.txt"
    soffice = folder / "soffice"
    soffice.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\n', "utf-8")
    soffice.chmod(soffice.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(list_export.tempfile, "gettempdir", lambda: str(tmp_path))
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: messages.append(box.text()) or 0)
    combo = tasks_tab.status_filter
    combo.setCurrentIndex(combo.findData(StatusClass.DONE_LATE.value))
    _action(tasks_tab, "printList").trigger()
    printed = Path(log.read_text("utf-8").split("\n")[-2])
    assert printed.suffix == ".docx" and printed.parent == tmp_path / "cchc-in"
    doc = DocxDocument(str(printed))
    assert len(doc.tables[1].rows) - 1 == sum(_shown(tasks_tab).values())
    assert any("tới máy in" in m for m in messages)


def test_every_list_action_has_a_status_tip(tasks_tab) -> None:  # noqa: ANN001
    actions = [a for a in tasks_tab.list_button.menu().actions() if not a.isSeparator()]
    assert len(actions) == 5 and all(a.statusTip() for a in actions)
