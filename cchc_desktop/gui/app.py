"""Starting the GUI: ``cchc-desktop [--db PATH|URL] [--screenshots DIR]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cchc_desktop import APP_NAME, __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc-desktop", description=APP_NAME)
    parser.add_argument("--version", action="version", version=f"cchc-desktop {__version__}")
    parser.add_argument("--db", metavar="PATH|URL", help="database file or SQLAlchemy URL")
    parser.add_argument("--screenshots", metavar="DIR", help="save one PNG per tab and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cchc-desktop`` and ``python -m cchc_desktop``."""
    args = build_parser().parse_args(argv)
    from PySide6.QtWidgets import QApplication, QMessageBox

    from cchc_desktop.errors import UserError
    from cchc_desktop.store.db import open_database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    try:
        db = open_database(args.db)
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        return 1
    from cchc_desktop.gui.main_window import MainWindow

    window = MainWindow(db)
    if args.screenshots:
        code = window.save_screenshots(args.screenshots)
        window.close()
        return code
    window.show()
    return app.exec()
