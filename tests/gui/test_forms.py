"""The Qt Designer forms of ui/: each loads, each is used, the code finds what it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from cchc_desktop.gui.common.forms import add_below, find, load_form
from cchc_desktop.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
FORMS = sorted(p.stem for p in (ROOT / "ui").glob("*.ui"))
# load_form("complete_tasks", ...) or, for the entry dialogs, FORM = "plan"
USE = re.compile(r'load_form\("(\w+)"|^\s+FORM = "(\w+)"', re.M)


def used_forms() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "cchc_desktop").rglob("*.py"):
        for match in USE.finditer(path.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return names


def test_every_form_is_used_and_every_used_form_exists():
    assert FORMS, "no .ui file in ui/"
    assert used_forms() == set(FORMS)


@pytest.mark.parametrize("name", FORMS)
def test_form_loads_into_its_host(qtbot, name):
    host = QWidget()
    qtbot.addWidget(host)
    form = load_form(name, host)
    assert form.parent() is host and form.layout() is not None
    assert resource_path("ui", f"{name}.ui").is_file()
    add_below(form, QLabel("buttons"))  # where a dialog puts what it builds in code
    host.show()
    assert form.isVisible()


def test_a_missing_widget_is_a_clear_error(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    form = load_form("unit", host)
    assert find(form, QLineEdit, "short_name").objectName() == "short_name"
    with pytest.raises(LookupError, match="no QLineEdit named 'nothing'"):
        find(form, QLineEdit, "nothing")


def test_a_missing_form_is_a_clear_error(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    with pytest.raises(FileNotFoundError, match="no_such_form.ui"):
        load_form("no_such_form", host)


def test_forms_keep_the_dialog_margins(qtbot):
    """A form sits edge to edge in its dialog, with the margins of a dialog built in code."""
    from datetime import date

    from PySide6.QtWidgets import QDialog, QFormLayout

    from cchc_desktop.gui.tasks.complete_dialog import CompleteTasksDialog

    dialog = CompleteTasksDialog(date(2026, 6, 14), 3, 0)
    reference = QDialog()
    qtbot.addWidget(dialog)
    qtbot.addWidget(reference)
    outer = dialog.layout()
    assert outer.contentsMargins().left() == 0
    inner = outer.itemAt(0).widget().layout()
    assert inner.contentsMargins() == QFormLayout(reference).contentsMargins()
    assert dialog.windowTitle() == "Đánh dấu hoàn thành"
