"""A 1366×768 laptop at 100% and 125% display scale: every tab usable, measured.

The window gets what a maximised window has on that screen (less the taskbar and the title
bar): 1366×697 at 100%, 1093×543 logical pixels at 125%. On each tab nothing may reach below
the window, no button, field or label may be squeezed under the size it needs, every table
shows at least five rows (or all it has) and chart titles are whole. 125% runs in another
process: Qt reads QT_SCALE_FACTOR once, when the application starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt

from cchc_desktop.gui.screenshots import window_size_on_screen
from tests.gui.screen_fit import measure

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = (1366, 768)


@pytest.fixture
def demo_file(demo_db) -> str:  # noqa: ANN001
    """The demo database with index results (the Tự chấm điểm chart), closed for reopening."""
    from cchc_desktop.services.scoring import load_template

    with demo_db.session() as session:
        load_template(session, 2024)
    path = str(demo_db.sqlite_path)
    demo_db.close()
    return path


def test_the_room_of_a_maximised_window() -> None:
    assert window_size_on_screen(LAPTOP) == (1366, 697)
    assert window_size_on_screen(LAPTOP, 1.25) == (1093, 543)


def test_every_tab_is_usable_at_1366_by_768_at_100_percent(qtbot, demo_file) -> None:  # noqa: ANN001
    assert measure(demo_file, *window_size_on_screen(LAPTOP)) == []


def test_every_tab_is_usable_at_1366_by_768_at_125_percent(demo_file, tmp_path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="1.25",
               CCHC_DATA_DIR=str(tmp_path / "data"),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    width, height = window_size_on_screen(LAPTOP, 1.25)
    result = subprocess.run(
        [sys.executable, "-m", "tests.gui.screen_fit", demo_file, str(width), str(height)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == []


def test_the_measure_sees_a_cut_window(qtbot, demo_file) -> None:  # noqa: ANN001
    """The check itself: a window far too small is reported, tab by tab."""
    found = measure(demo_file, 760, 420)
    assert any("shows" in line and "rows" in line for line in found), found


def test_a_short_window_folds_the_toolbar_and_the_reminder(qtbot, window) -> None:  # noqa: ANN001
    from cchc_desktop.gui.common.compact import COMPACT_HEIGHT

    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, 697)
    qtbot.waitUntil(lambda: window.chrome.compact)
    window.update_reminder()
    assert not window.toolbar.isVisible() and window.chrome.corner.isVisible()
    assert not window.reminder.isVisible()
    links = window.reminder.compact_label
    assert links.isVisible() and "nhiệm vụ quá hạn" in links.text()
    with qtbot.waitSignal(window.reminder.show_overdue):
        links.linkActivated.emit("overdue")
    window.resize(QSize(1440, COMPACT_HEIGHT + 100))
    qtbot.waitUntil(lambda: not window.chrome.compact)
    assert window.toolbar.isVisible() and not window.chrome.corner.isVisible()
    assert window.reminder.isVisible() and not links.isVisible()
