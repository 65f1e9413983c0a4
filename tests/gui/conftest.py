"""GUI fixtures: fresh settings in a temporary folder, a main window on the demo database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_TODAY


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every GUI test reads and writes its settings in a fresh folder."""
    from PySide6.QtCore import QSettings

    from cchc_desktop.gui.common.settings import use_settings_folder

    folder = tmp_path_factory.mktemp("settings")
    use_settings_folder(folder)
    yield folder
    QSettings().sync()


@pytest.fixture(autouse=True)
def _collect_tab_leftovers() -> Iterator[None]:
    """Collect windows at the end of each test, not in the middle of the next one.

    EvidenceTab (not ours) keeps a TemporaryDirectory without a cleanup hook; its implicit
    clean-up warning must not land in an unrelated test. Reported to its owner.
    """
    yield
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*cchc-evidence-", category=ResourceWarning)
        gc.unfreeze()  # TasksTab freezes its rows after a background load
        gc.collect()


@pytest.fixture
def today():
    return DEMO_TODAY


@pytest.fixture
def window(qtbot, demo_db):
    """The main window on 300 demo tasks, "today" fixed to the demo's reference date."""
    from cchc_desktop.gui.main_window import MainWindow

    win = MainWindow(demo_db, today=DEMO_TODAY)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def tasks_tab(window):
    """The Nhiệm vụ tab of ``window``, shown."""
    tab = window.show_tasks()
    assert tab is not None
    tab.wait_loaded()
    return tab


def send_text(widget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key (QTest.keyClicks handles ASCII only)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def type_text():
    """Types Vietnamese text through real key events."""
    return send_text


@pytest.fixture(autouse=True)
def _no_unexpected_modal_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box a test did not patch fails the test instead of waiting for a click."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(box: QMessageBox) -> int:
        raise AssertionError(f"unexpected modal message box: {box.text()!r}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)
