"""Trợ giúp: the user guide (F1), the log folder, and the font-size keys the whole window follows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from cchc_desktop.gui.common.settings import FONT_SIZES, Settings
from cchc_desktop.gui.help import HelpDialog, guide_path


def _guide_html() -> str:
    return guide_path().read_text(encoding="utf-8")


def test_the_guide_s_pictures_and_links_all_resolve() -> None:
    html = _guide_html()
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 5
    for name in images:
        picture = guide_path().parent / name
        assert picture.is_file(), name
        assert not QImage(str(picture)).isNull(), name
    anchors = set(re.findall(r'id="([^"]+)"', html))
    links = re.findall(r'href="#([^"]+)"', html)
    assert links and set(links) <= anchors
    # Every tab the window has is explained by its own name.
    from cchc_desktop.gui.features import TAB_SPECS

    for _key, _cls, title in TAB_SPECS:
        assert f"<b>{title}</b>" in html, title


def test_f1_opens_the_guide_and_find_moves_through_it(qtbot, window) -> None:  # noqa: ANN001
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Hướng dẫn sử dụng CCHC Desktop" in text and "Sao lưu" in text
    dialog.find_edit.setText("công văn đôn đốc")
    assert dialog.find_next()
    first = dialog.browser.textCursor().position()
    assert dialog.browser.textCursor().selectedText().lower() == "công văn đôn đốc"
    assert dialog.find_next()
    assert dialog.browser.textCursor().position() != first  # the next place, then round again
    dialog.find_edit.setText("không có trong hướng dẫn xyz")
    assert not dialog.find_next()
    # F1 again brings the same window forward instead of a second one.
    window.guide_action.trigger()
    assert len(window.findChildren(HelpDialog)) == 1
    dialog.close()


def test_the_log_folder_opens_where_the_log_is(window, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.gui.common import dialogs
    from cchc_desktop.logs import log_file

    opened: list[Path] = []
    monkeypatch.setattr(dialogs, "open_path", lambda p: opened.append(p) or True)
    window.log_folder_action.trigger()
    assert opened == [log_file().parent]
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "open_path", lambda p: False)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, details="": errors.append(text))
    window.log_folder_action.trigger()
    assert errors and str(log_file().parent) in errors[0] and "nhật ký" in errors[0]


@pytest.fixture
def keep_font():  # noqa: ANN201
    app = QApplication.instance()
    original = app.font()
    yield app
    app.setFont(original)


def test_ctrl_plus_minus_and_zero_change_the_whole_window(qtbot, window, keep_font) -> None:  # noqa: ANN001
    app = keep_font
    start = app.font().pointSize()
    window.font_actions[0].trigger()
    bigger = app.font().pointSize()
    assert bigger > start
    assert Settings().font_size() == bigger
    # Widgets already shown follow the application font.
    assert window.tabs.tabBar().font().pointSize() == bigger
    window.font_actions[1].trigger()
    window.font_actions[1].trigger()
    assert app.font().pointSize() == bigger - 2
    for _ in range(40):
        window.font_actions[1].trigger()
    assert app.font().pointSize() == FONT_SIZES[0]  # never below the smallest size
    window.font_actions[2].trigger()
    assert Settings().font_size() is None
    assert app.font().pointSize() == start  # the system's size again


def test_the_font_keys_are_the_usual_ones(window) -> None:  # noqa: ANN001
    shortcuts = [{s.toString() for s in a.shortcuts()} for a in window.font_actions]
    assert "Ctrl++" in shortcuts[0] and "Ctrl+-" in shortcuts[1] and "Ctrl+0" in shortcuts[2]
    assert "F1" in {s.toString() for s in window.guide_action.shortcuts()}
