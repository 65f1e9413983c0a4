"""Starting the GUI: ``cchc-desktop [--db PATH|URL] [--screenshots DIR]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cchc_desktop import APP_NAME, __version__
from cchc_desktop.gui.common.error_report import install_error_handler

if TYPE_CHECKING:
    from cchc_desktop.gui.main_window import MainWindow


def _screen_size(text: str) -> tuple[int, int]:
    import re

    match = re.fullmatch(r"\s*(\d{3,5})\s*[x×]\s*(\d{3,5})\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a screen size such as 1366x768: {text!r}")
    return int(match[1]), int(match[2])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc-desktop", description=APP_NAME)
    parser.add_argument("--version", action="version", version=f"cchc-desktop {__version__}")
    parser.add_argument("--db", metavar="PATH|URL", help="database file or SQLAlchemy URL")
    parser.add_argument("--screenshots", metavar="DIR", help="save one PNG per tab and exit")
    parser.add_argument("--size", metavar="WxH", type=_screen_size,
                        help="with --screenshots: the window maximised on a screen of this "
                             "size, e.g. 1366x768 (QT_SCALE_FACTOR=1.25 for 125%%)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cchc-desktop`` and ``python -m cchc_desktop``."""
    args = build_parser().parse_args(argv)
    instance, target, note = None, args.db, ""
    if not args.screenshots:
        from cchc_desktop.gui.instances import claim
        from cchc_desktop.gui.shell import start_target
        from cchc_desktop.store.targets import identity

        target, note = start_target(args.db)
        # Before Qt's window libraries load: a second start on this database ends at once.
        instance = claim(identity(target))
        if instance is None:
            return 0  # the program that has it open brings its window to the front
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
        from cchc_desktop.gui.common import qt_vi
        from cchc_desktop.gui.common.gc_guard import collect_in_gui_thread

        collect_in_gui_thread(app)  # Qt objects never freed by a worker thread's collection

        qt_vi.install(app)
        from cchc_desktop.gui.common.settings import Settings
        from cchc_desktop.gui.common.style import apply_font_size

        apply_font_size(Settings().font_size())  # this PC's choice (Tùy chọn)
    if args.screenshots:
        from cchc_desktop.gui.screenshots import save_screenshots

        return save_screenshots(args.db, args.screenshots, args.size)
    from cchc_desktop.gui.instances import claim
    from cchc_desktop.gui.shell import Shell

    shell = Shell(instance, claim)
    shell.note = note
    shell.start(target)
    code = app.exec()
    if shell.instance is not None:
        shell.instance.release()
    return 1 if shell.start_failed else code


def launch(target: str | None) -> MainWindow:
    """Show one main window now and open ``target`` behind it (:func:`gui.shell.launch`)."""
    from cchc_desktop.gui.shell import launch as launch_window

    return launch_window(target)
