"""One word for one thing: the screens and the exported files use the glossary's terms
(:mod:`cchc_desktop.domain.terms`), never the variants it avoids ("Cơ quan chủ trì",
"Hạn hoàn thành", "Nguồn giao", "Mọi tình trạng"...), and no screen shows technical words
(README, pg_dump, SQL) or sizes such as "0 B"."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QAbstractListModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from cchc_desktop.cli.main import main
from cchc_desktop.domain import terms
from tests.gui.test_access_keys import _dialogs

TECHNICAL = re.compile(r"\bREADME\b|pg_dump|\bSQL\b|\b0 B\b|Traceback|Errno")


def _widget_texts(root: QWidget) -> list[str]:
    """Every text a user reads on ``root``: labels, buttons, tabs, headers, choices, tips."""
    texts: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        texts += [w.toolTip(), w.statusTip(), w.windowTitle(), w.accessibleName()]
        if isinstance(w, QLabel | QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QGroupBox):
            texts.append(w.title())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
            for section in range(columns):
                value = model.headerData(section, Qt.Orientation.Horizontal,
                                         Qt.ItemDataRole.DisplayRole)
                texts.append(str(value or ""))
    for action in root.findChildren(QAction):
        texts += [action.text(), action.statusTip(), action.toolTip()]
    return [t for t in texts if t]


def _problems(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        found += [f"{v!r} in {text!r}" for v in terms.avoided_terms_in(text)]
        found += [f"{m.group(0)!r} in {text!r}" for m in TECHNICAL.finditer(text)]
    return found


def test_the_screens_use_the_glossary_s_words(qtbot, window) -> None:  # noqa: ANN001
    texts = _widget_texts(window)
    for module, _cls, _title in window.specs:
        tab = window.tab(module)
        assert tab is not None
        texts += _widget_texts(tab)
    for dialog in _dialogs(window.context()):
        qtbot.addWidget(dialog)
        texts += _widget_texts(dialog)
    assert len(texts) > 500
    assert _problems(texts) == []
    # and the glossary's terms are there
    joined = "\n".join(texts)
    for term in (terms.LEAD_UNIT, terms.SUPPORTING_UNITS, terms.DUE_DATE, terms.ASSIGNED_BY):
        assert term in joined


def _docx_texts(path: Path) -> list[str]:
    """The text of every paragraph (table cells, headers and footers included)."""
    texts = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                    texts.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>",
                                                    paragraph)))
    return texts


def _xlsx_texts(path: Path) -> list[str]:
    book = load_workbook(path, read_only=True)
    texts = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for v in row if isinstance(v, str)]
    book.close()
    return texts


def test_the_exports_use_the_glossary_s_words(demo_db, db_path, tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    for folder in ("dd", "phieu"):
        (out / folder).mkdir(parents=True)
    db = str(db_path)
    for argv in (
        ["export", "tasks", str(out / "nv.xlsx")],
        ["export", "tasks", "--format", "xlsx", "--by-unit", "--out", str(out / "dv.xlsx")],
        ["export", "tasks", "--format", "docx", "--out", str(out / "ds.docx")],
        ["export", "report", "--period", "2024-Q4", "--out", str(out / "bc.docx")],
        ["export", "plan", "1", "--out", str(out / "kh.docx")],
        ["export", "overdue", "--as-of", "20/11/2024", "--out", str(out / "qh.docx")],
        ["export", "reminders", "--as-of", "20/11/2024", "--out-dir", str(out / "dd")],
        ["export", "unit-sheets", "--as-of", "20/11/2024", "--out-dir", str(out / "phieu")],
    ):
        assert main(["--db", db, *argv]) == 0, argv
    files = sorted(p for p in out.rglob("*") if p.suffix in (".docx", ".xlsx"))
    assert len(files) >= 8
    problems = []
    for path in files:
        texts = _docx_texts(path) if path.suffix == ".docx" else _xlsx_texts(path)
        assert texts, path
        problems += [f"{path.name}: {p}" for p in _problems(texts)]
    assert problems == []


@pytest.mark.parametrize(("size", "text"), [(0, "—"), (1, "1 byte"), (1023, "1023 byte"),
                                            (1024, "1 KB"), (1536, "1,5 KB"),
                                            (int(12.5 * 1024 * 1024), "12,5 MB"),
                                            (300 * 1024 * 1024, "300 MB")])
def test_sizes_for_people(size: int, text: str) -> None:
    assert terms.size_text(size) == text


def test_avoided_words_are_found_whole_and_in_any_case() -> None:
    assert terms.avoided_terms_in("CƠ QUAN CHỦ TRÌ") == ["CƠ QUAN CHỦ TRÌ"]
    assert terms.avoided_terms_in("Ngày hoàn thành; hoàn thành quá hạn") == []
    assert terms.avoided_terms_in("Đơn vị chủ trì, Thời hạn") == []
    assert terms.earlier_names(terms.DUE_DATE) == ["Hạn hoàn thành"]
