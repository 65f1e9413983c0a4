"""The program's window over its life: the database it starts on and switching to another.

Switching (Tệp → Mở / Tạo / gần đây / Kết nối máy chủ) builds a fresh main window rather
than emptying the open one: nothing of the old database (a tab's rows, its undo history, a
job still running, a draft) can then leak into the new one. The old window is closed first,
the way the user closes it (typing saved, jobs waited for, layout remembered), its database
closed (the "in use" registration of :mod:`cchc_desktop.store.holders` released), and only
then is the new database opened. When the new one cannot be opened the previous one is
opened again, so the user is never left without a window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from cchc_desktop.gui.common.lazy_qt import Qt
from cchc_desktop.gui.common.settings import Settings

if TYPE_CHECKING:
    from cchc_desktop.gui.instances import InstanceLock
    from cchc_desktop.gui.main_window import MainWindow


def launch(target: str | None,
           on_failed: Callable[[MainWindow], None] | None = None) -> MainWindow:
    """Show the main window now and open ``target`` behind it (see gui.startup).

    When the database cannot be opened or the user does not sign in, the reason is shown,
    the window's ``start_failed`` is set and ``on_failed(window)`` is called (by default the
    window closes).
    """
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.gui.startup import open_in_window

    window = MainWindow(None, staged=True)  # the frame on screen first, then the rest

    def failed() -> None:
        window.start_failed = True
        if on_failed is None:
            window.close()
        else:
            on_failed(window)

    open_in_window(window, target, failed)
    window.show()
    return window


def start_target(given: str | None) -> tuple[str | None, str]:
    """The database to start on and a note for the user (or "").

    ``--db`` or ``CCHC_DB`` when given; else the database used last on this PC; else (none
    yet, or its file is gone) the default one.
    """
    import os

    from cchc_desktop.store.sqlite_file import DB_ENV_VAR
    from cchc_desktop.store.targets import is_url

    if given or os.environ.get(DB_ENV_VAR):
        return given, ""
    recent = Settings().recent_databases()
    if not recent:
        return None, ""
    last = recent[0]
    if is_url(last) or Path(last).is_file():
        return last, ""
    return None, (f"Không còn thấy cơ sở dữ liệu dùng lần trước ({last}); "
                  "đã mở cơ sở dữ liệu mặc định.")


class Shell(QObject):
    """Keeps the program's current window and switches it to another database.

    Attributes:
        window: the current main window (None before :meth:`start`).
        target: what the current window was opened on (a path, an address, None: default).
        instance: the one-program-per-database lock of the current database, or None.
        start_failed: the first database did not open and there was nothing to go back to.
        claim: how a database is held for this program (``claim(identity)`` → lock or None,
            see :func:`cchc_desktop.gui.instances.claim`); None: no such rule (tests).
    """

    def __init__(self, instance: InstanceLock | None = None,
                 claim: Callable[[str], InstanceLock | None] | None = None) -> None:
        super().__init__()
        self.window: MainWindow | None = None
        self.target: str | None = None
        self.instance = instance
        self.claim = claim
        self.start_failed = False
        self.note = ""
        if instance is not None and instance.held:
            instance.listen(self.bring_to_front)

    def start(self, target: str | None, *, back: tuple[str | None] | None = None) -> MainWindow:
        """Open ``target`` in a new window. When it fails: with ``back`` (the database that
        was open before), that one is opened again; without, the window closes and
        :attr:`start_failed` is set."""
        from cchc_desktop.gui.database_menu import install_database_menu

        def failed(window: MainWindow) -> None:
            if window is not self.window:
                return
            if back is None:
                self.start_failed = True
                window.close()
            else:
                self.note = "Đã mở lại cơ sở dữ liệu đang dùng trước đó."
                self.switch_to(back[0], going_back=True)

        window = launch(target, failed)
        self.window, self.target = window, target
        window.when_built(lambda: install_database_menu(window, self.switch_to))
        window.database_ready.connect(lambda: self._opened(window, target))
        return window

    def _opened(self, window: MainWindow, target: str | None) -> None:
        from cchc_desktop.store.targets import remembered_form

        Settings().remember_database(remembered_form(target))
        if self.note:  # after the reminder's counts, which the window shows first
            note, self.note = self.note, ""
            QTimer.singleShot(0, window, lambda: window.statusBar().showMessage(note, 30_000))

    def bring_to_front(self) -> None:
        """Another start on this database: show this window instead (restored, raised)."""
        window = self.window
        if window is None:
            return
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()

    def switch_to(self, target: str | None, *, going_back: bool = False) -> bool:
        """Close the current database and open ``target`` in a fresh window.

        Nothing happens (False) when ``target`` is the database already open here, or when
        another CCHC Desktop has it open: that window is brought to the front instead.
        """
        from cchc_desktop.gui.common import dialogs
        from cchc_desktop.store.targets import identity

        old = self.window
        if old is not None and not going_back and identity(target) == identity(self.target):
            dialogs.show_info(old, "Cơ sở dữ liệu này đang mở trong cửa sổ này.")
            return False
        lock = None
        if self.claim is not None:
            lock = self.claim(identity(target))
            if lock is None:
                if old is not None:
                    old.statusBar().showMessage(
                        "Cơ sở dữ liệu này đang mở ở một cửa sổ CCHC Desktop khác: "
                        "cửa sổ đó đã được đưa lên trước.", 15_000)
                return False
        if old is not None and not self._close(old):
            if lock is not None:
                lock.release()
            return False
        if self.instance is not None:
            self.instance.release()
        self.instance = lock
        if lock is not None and lock.held:
            lock.listen(self.bring_to_front)
        back = (self.target,) if old is not None and not going_back else None
        self.start(target, back=back)
        return True

    def _close(self, window: MainWindow) -> bool:
        """Close ``window`` as the user would, then its database; False when it stayed open."""
        app = QApplication.instance()
        quits = isinstance(app, QApplication) and app.quitOnLastWindowClosed()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)  # the new window comes next
        try:
            if not window.close():
                return False
        finally:
            if isinstance(app, QApplication):
                app.setQuitOnLastWindowClosed(quits)
        if window.ctx is not None:
            window.ctx.db.close()
        window.deleteLater()
        return True
