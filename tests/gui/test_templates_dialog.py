"""Mẫu văn bản: open a template in Word, import the edited one, go back to the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from tests.conftest import DEMO_TODAY


@pytest.fixture
def ctx(demo_db):  # noqa: ANN001, ANN201
    from cchc_desktop.gui.common.context import GuiContext

    return GuiContext(db=demo_db, undo_stack=QUndoStack(), today=lambda: DEMO_TODAY)


@pytest.fixture
def record(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, list]:
    """The system dialogs answered: where to save, which file to import, yes to questions."""
    from cchc_desktop.gui.common import dialogs

    rec: dict[str, list] = {"opened": [], "errors": [], "infos": [], "asked": []}
    target = tmp_path / "mau.docx"
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: target)
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: target)
    monkeypatch.setattr(dialogs, "open_path", lambda path: rec["opened"].append(path) or True)
    monkeypatch.setattr(dialogs, "show_error",
                        lambda parent, text, details="": rec["errors"].append(text))
    monkeypatch.setattr(dialogs, "show_info",
                        lambda parent, text, details="": rec["infos"].append(text))
    monkeypatch.setattr(dialogs, "confirm",
                        lambda parent, text, **k: rec["asked"].append(text) or True)
    return rec


@pytest.fixture
def dialog(qtbot, ctx):  # noqa: ANN001, ANN201
    from cchc_desktop.gui.reports.templates_dialog import TemplatesDialog

    widget = TemplatesDialog(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _select(dialog, key: str) -> None:  # noqa: ANN001
    dialog.table.selectRow(dialog.keys.index(key))


def test_open_edit_import_and_reset(qtbot, dialog, ctx, record, tmp_path: Path) -> None:  # noqa: ANN001
    _select(dialog, "letter")
    assert dialog.table.item(dialog.keys.index("letter"), 1).text() == "Mẫu gốc"
    assert not dialog.reset_button.isEnabled()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "mau.docx"
    assert record["opened"] == [path]

    doc = Document(str(path))  # what the secretary does in Word
    last = doc.paragraphs[-1]
    last.runs[0].text = "Đề nghị {{ don_vi }} báo cáo kết quả trước ngày 25 hằng tháng./."
    doc.save(str(path))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert record["errors"] == [] and record["infos"] == []
    assert dialog.table.item(dialog.keys.index("letter"), 1).text() == "Mẫu của cơ quan"
    assert dialog.reset_button.isEnabled()

    from cchc_desktop.services.doc_templates import shipped_template, template_bytes

    with ctx.db.session() as session:
        assert template_bytes(session, "letter") == path.read_bytes()
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert record["asked"]  # a delete asks first
    assert dialog.table.item(dialog.keys.index("letter"), 1).text() == "Mẫu gốc"
    with ctx.db.session() as session:
        assert template_bytes(session, "letter") == shipped_template("letter")


def test_a_template_with_problems_is_explained_in_vietnamese(qtbot, dialog, record,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    _select(dialog, "plan")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "mau.docx"
    doc = Document(str(path))
    doc.paragraphs[1].runs[0].text = "{{ co_quan }} ban hành {{ ngay_het_han }} như sau:"
    doc.save(str(path))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "{{ ngay_het_han }}" in record["infos"][0]

    path.write_bytes(b"not a word file")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "không phải tài liệu Word" in record["errors"][0]


def test_the_reports_tab_opens_the_dialog(qtbot, ctx, monkeypatch) -> None:  # noqa: ANN001
    from cchc_desktop.gui.reports import templates_dialog
    from cchc_desktop.gui.reports.tab import ReportsTab

    shown = []
    monkeypatch.setattr(templates_dialog, "show_templates",
                        lambda parent, context: shown.append(context))
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.mouseClick(tab.templates_button, Qt.MouseButton.LeftButton)
    assert shown == [ctx]


def test_exports_say_what_is_wrong_with_the_template_first(qtbot, dialog, ctx, record,  # noqa: ANN001
                                                           monkeypatch, tmp_path: Path) -> None:
    from cchc_desktop.gui.common import dialogs
    from cchc_desktop.gui.reports import export_dialog

    _select(dialog, "plan")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "mau.docx"
    doc = Document(str(path))
    doc.paragraphs[1].runs[0].text = "{{ co_quan }} ban hành {{ so_quyet_dinh }} như sau:"
    doc.save(str(path))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda parent, text, **k: bool(asked.append(text)))
    written: list[object] = []
    monkeypatch.setattr(export_dialog, "run_export", lambda *a, **k: written.append(a) or True)
    assert export_dialog.export_plan(None, ctx, 1) is False  # "Không": nothing written
    assert "{{ so_quyet_dinh }}" in asked[0] and written == []
