"""``cchc-desktop --screenshots DIR``: one PNG per tab, drawn offscreen on a given database."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt

from cchc_desktop.domain.text import fold
from cchc_desktop.gui.features import TAB_SPECS
from cchc_desktop.gui.main_window import call_if_present

if TYPE_CHECKING:
    from cchc_desktop.gui.main_window import MainWindow

SCREENSHOT_SIZE = (1440, 900)
TASKBAR_HEIGHT = 40
"""The Windows taskbar at the bottom of the screen (logical pixels, as Windows scales it)."""
TITLE_BAR_HEIGHT = 31
"""The window's title bar, which a grab of the window leaves out (logical pixels)."""


def window_size_on_screen(screen: tuple[int, int], scale: float = 1.0) -> tuple[int, int]:
    """The room a maximised window's contents have on a ``screen`` (physical pixels) at
    display ``scale`` (1.25 for Windows' 125%): the screen in logical pixels less the
    taskbar and the title bar. 1366×768 at 100% → 1366×697; at 125% → 1093×543."""
    width, height = (round(side / scale) for side in screen)
    return width, height - TASKBAR_HEIGHT - TITLE_BAR_HEIGHT


def settle(seconds: float, done: Callable[[], bool] | None = None) -> None:
    """Run the event loop for ``seconds`` (or until ``done()``): deferred work happens."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (done and done()):
        QCoreApplication.processEvents()
        time.sleep(0.01)


def slug(title: str) -> str:
    """"Danh mục / Cài đặt" → "danh_muc_cai_dat" (file names of screenshots)."""
    return re.sub(r"[^a-z0-9]+", "_", fold(title)).strip("_")


def save_screenshots(target: str | None, folder: str,
                     screen: tuple[int, int] | None = None) -> int:
    """``--screenshots``: open the database, save one PNG per tab into ``folder``, exit.

    With ``screen`` (``--size``) each picture is the window maximised on a screen of that
    size at the display scale Qt runs at (``QT_SCALE_FACTOR``), else SCREENSHOT_SIZE.
    """
    import tempfile

    from cchc_desktop.errors import UserError
    from cchc_desktop.gui.common.settings import use_settings_folder
    from cchc_desktop.gui.login_dialog import open_database_for_gui
    from cchc_desktop.gui.main_window import MainWindow

    try:
        db = open_database_for_gui(target, unattended=True)
    except UserError as exc:
        print(exc.message, file=sys.stderr)  # unattended: no dialog to wait on
        return 1
    # Default layout, not this user's remembered one: screenshots look the same anywhere.
    use_settings_folder(tempfile.mkdtemp(prefix="cchc-shots-settings-"))
    window = MainWindow(db)
    try:
        size = SCREENSHOT_SIZE
        if screen is not None:
            size = window_size_on_screen(screen, window.devicePixelRatioF())
        code = save_tab_screenshots(window, folder, size)
    except UserError as exc:  # a picture could not be written (disk full, not a folder...)
        print(exc.message, file=sys.stderr)
        code = 1
    window.close()
    return code


def save_tab_screenshots(window: MainWindow, folder: str | Path,
                         size: tuple[int, int] = SCREENSHOT_SIZE) -> int:
    """Show each tab offscreen and save one PNG per tab into ``folder``; returns 0.

    Each picture is written atomically: a failed write raises EnvironmentProblem.
    """
    import errno

    from cchc_desktop.store.file_errors import written_atomically

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    window.remember_layout = False  # the screenshot size is not the user's layout
    # One size everywhere: not maximised to whatever screen this runs on (offscreen: 800x800).
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*size)
    window.show()
    window.update_reminder()
    for module, _cls, title in window.specs:
        number = next(i for i, s in enumerate(TAB_SPECS, start=1) if s[0] == module)
        window.tabs.setCurrentIndex(window.index_of(module))
        widget = window.tab(module)
        settle(0.3)  # work a tab defers until after its first paint
        call_if_present(widget, "wait_loaded")
        if hasattr(widget, "details_ready"):
            settle(30.0, partial(getattr, widget, "details_ready"))
        settle(0.05)
        picture = window.grab()
        with written_atomically(target / f"{number:02d}_{slug(title)}.png") as tmp:
            if not picture.save(str(tmp), "PNG"):
                raise OSError(errno.EIO, "Qt could not write the PNG")
    return 0
