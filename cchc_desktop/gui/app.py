"""Starting the GUI: ``cchc-desktop [--db PATH|URL] [--screenshots DIR]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cchc_desktop import APP_NAME, __version__

if TYPE_CHECKING:
    from cchc_desktop.gui.main_window import MainWindow


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc-desktop", description=APP_NAME)
    parser.add_argument("--version", action="version", version=f"cchc-desktop {__version__}")
    parser.add_argument("--db", metavar="PATH|URL", help="database file or SQLAlchemy URL")
    parser.add_argument("--screenshots", metavar="DIR", help="save one PNG per tab and exit")
    return parser


def report_exception(exc: BaseException) -> str:
    """Show an error that escaped a slot; returns the text shown.

    A user error is shown as it is; a bug is logged with its traceback to the data folder and
    shown as one short Vietnamese sentence, never as a traceback.
    """
    from cchc_desktop.errors import UserError
    from cchc_desktop.gui import dialogs

    if isinstance(exc, UserError):
        text = exc.message
    else:
        from cchc_desktop.logs import log_exception

        try:
            where = log_exception(exc)
            text = f"Đã xảy ra lỗi không mong muốn. Chi tiết được ghi tại {where}."
        except OSError:
            text = "Đã xảy ra lỗi không mong muốn."
    dialogs.show_error(None, text)
    return text


def install_error_handler() -> None:
    """Route uncaught exceptions (in Qt slots too) to :func:`report_exception`."""

    def handle(kind, exc, tb) -> None:
        if isinstance(exc, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
        else:
            report_exception(exc)

    sys.excepthook = handle


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cchc-desktop`` and ``python -m cchc_desktop``."""
    args = build_parser().parse_args(argv)
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.resources import resource_path

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    if existing is None:
        # Fusion draws the same on every OS, so the stylesheet and the screenshots match.
        app.setStyle("Fusion")
        icon = resource_path("resources", "icons", "app.png")
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
        install_error_handler()
        from cchc_desktop.gui import qt_vi

        qt_vi.install(app)
    if args.screenshots:
        return save_screenshots(args.db, args.screenshots)
    window = launch(args.db)
    code = app.exec()
    if window.opening is not None:  # quit while opening: let a migration or backup finish
        window.opening.wait()
    return 1 if window.start_failed else code


def launch(target: str | None) -> MainWindow:
    """Show the main window now and open ``target`` behind it (see gui.startup).

    When the database cannot be opened or the user does not sign in, the reason is shown,
    the window closes and its ``start_failed`` is True.
    """
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.gui.startup import open_in_window

    window = MainWindow(None)

    def failed() -> None:
        window.start_failed = True
        window.close()

    open_in_window(window, target, failed)
    window.show()
    return window


def save_screenshots(target: str | None, folder: str) -> int:
    """``--screenshots``: open the database, save one PNG per tab into ``folder``, exit."""
    import tempfile

    from cchc_desktop.errors import UserError
    from cchc_desktop.gui.login_dialog import open_database_for_gui
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.gui.settings import use_settings_folder

    try:
        db = open_database_for_gui(target, unattended=True)
    except UserError as exc:
        print(exc.message, file=sys.stderr)  # unattended: no dialog to wait on
        return 1
    # Default layout, not this user's remembered one: screenshots look the same anywhere.
    use_settings_folder(tempfile.mkdtemp(prefix="cchc-shots-settings-"))
    window = MainWindow(db)
    try:
        code = window.save_screenshots(folder)
    except UserError as exc:  # a picture could not be written (disk full, not a folder...)
        print(exc.message, file=sys.stderr)
        code = 1
    window.close()
    return code
