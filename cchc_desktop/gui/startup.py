"""Start-up: the window first, the database behind it.

Importing SQLAlchemy, the integrity check, the daily backup and any migration take from a
few hundred milliseconds to seconds on a large database. The window's shell is shown first;
the database is opened in a worker thread after the first paint, and the window is filled
when it is ready. The integrity check of the whole file (``PRAGMA quick_check``, seconds on
a million tasks) and the day's backup then run in a worker thread behind the data shown,
unless a migration is due (then both come first, as before). Signing in and the offer to
restore a damaged database happen in the GUI thread, over the window; a damage the late
check finds takes the database out of the window and makes the same offer.

The default database is created on the first run; a database named with ``--db`` (or
``CCHC_DB``) that does not exist is created only after the user says so: a mistyped path
must not quietly become a new, empty database.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.store.db import Database

CHECK_DELAY_MS = 1000
"""How long after the data is attached the integrity check and the backup start: the
current tab reads its first figures in the GUI thread meanwhile, on a machine of 2 cores."""


def _open(target: str | None, create: bool = True) -> Database:
    """Open in the worker thread; the file is checked while SQLAlchemy is imported."""
    from cchc_desktop.store.file_check import FileCheck
    from cchc_desktop.store.sqlite_file import (
        chosen_target,
        network_share_reason,
        sqlite_file_for,
    )

    path = sqlite_file_for(target)
    check = None
    # Never on a network share: open_database refuses those without reading the file.
    if path is not None and not (network_share_reason(chosen_target(target))
                                 or network_share_reason(str(path))):
        check = FileCheck(path, create=create, integrity=False)
    try:
        from cchc_desktop.store.db import open_database  # imports SQLAlchemy
        from cchc_desktop.store.leftovers import clean_start_folders

        database = open_database(target, precheck=check, create=create, defer_checks=True)
        clean_start_folders(target)  # what a killed export or backup left; here, off the GUI thread
        _warm_up()
        return database
    finally:
        if check is not None:
            check.wait()


def _warm_up() -> None:
    """In the worker, while the GUI thread waits: import what signing in and the first counts
    use and set up the ORM's mappers (done on first use, tens of milliseconds on a cold
    start), so that the GUI thread goes straight to reading the figures."""
    from sqlalchemy.orm import configure_mappers

    import cchc_desktop.services.office_settings
    import cchc_desktop.services.task_queries
    import cchc_desktop.services.users  # noqa: F401

    configure_mappers()


def second_copy_agreed(parent: MainWindow, db: Database) -> bool:
    """When another program already has this SQLite database open, say who and ask whether
    to open it here too ("Không", the default, closes this window); True when nobody else
    holds it or the user agrees."""
    from cchc_desktop.gui.common import dialogs
    from cchc_desktop.store.holders import holders

    if db.sqlite_path is None:  # a server database: made for many users at once
        return True
    others = [h for h in holders(db.sqlite_path) if h.purpose != "restore"]
    if not others:
        return True
    who = "\n".join(f"• {h.describe()}" for h in others)
    return dialogs.confirm(
        parent,
        f"Cơ sở dữ liệu này đang được mở ở nơi khác:\n{who}\n\nHai cửa sổ cùng sửa một "
        "cơ sở dữ liệu dễ ghi đè lên thay đổi của nhau. Nên dùng cửa sổ đang mở (hoặc đóng nó "
        "trước).\n\nVẫn mở thêm ở cửa sổ này?", danger=True)


def open_in_window(window: MainWindow, target: str | None,
                   on_failed: Callable[[], None]) -> None:
    """Open ``target`` for ``window`` once it has been painted, off the GUI thread.

    On success the user signs in when the database asks for it and the database is
    attached to the window. When it cannot be opened (or the user gives up signing in), the
    reason is shown in Vietnamese and ``on_failed()`` is called; the window is left to it.
    """

    def failed(message: str, error: BaseException | None) -> None:
        from cchc_desktop.errors import UserError
        from cchc_desktop.gui.common import dialogs
        from cchc_desktop.store.db import DatabaseDamaged, MissingDatabase

        if window.closing:  # the user closed the window meanwhile: nothing to show
            return
        if isinstance(error, MissingDatabase):
            if dialogs.confirm(window, f"Chưa có cơ sở dữ liệu CCHC tại:\n{error.path}\n\n"
                               "Tạo cơ sở dữ liệu mới (chưa có dữ liệu) ở đó?"):
                start(create=True)
            else:
                on_failed()
            return
        if isinstance(error, DatabaseDamaged):
            from cchc_desktop.gui.login_dialog import reopen_after_damage

            try:
                db = reopen_after_damage(target, error, window)
            except UserError as exc:
                dialogs.show_error(window, exc.message)
                on_failed()
                return
            opened(db)
            return
        dialogs.show_error(window, message)
        on_failed()

    def opened(db: Database) -> None:
        from cchc_desktop.gui.login_dialog import login_if_required

        if window.closing:
            db.close()
            return
        if not second_copy_agreed(window, db) or not login_if_required(db, window):
            db.close()
            on_failed()
            return
        window.attach_database(db)
        if db.checks_pending:
            check_later(db)

    def check_later(db: Database) -> None:
        """The integrity check and the daily backup, off the GUI thread, once the window's
        current tab has had its turn (its first counts are read in the GUI thread). The job
        starts now and waits in its thread: closing the window meanwhile waits for it, so
        the day's backup is taken even when the window is closed at once."""
        import time

        from cchc_desktop.gui.common.jobs import run_in_background
        from cchc_desktop.store.db import checks_after_open

        def work() -> None:
            time.sleep(CHECK_DELAY_MS / 1000)
            checks_after_open(db)

        window.checking = run_in_background(work, lambda _r: None,
                                            lambda m, e: check_failed(db, m, e))

    def check_failed(db: Database, message: str, error: BaseException | None) -> None:
        """The check behind the data failed. Damage: the database leaves the window and the
        same offer as at opening is made. Anything else (the check could not read the file):
        said, and the window keeps its data, as the open itself went well."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from cchc_desktop.gui.common import dialogs
        from cchc_desktop.store.db import DatabaseDamaged

        if window.closing or window.ctx is None or window.ctx.db is not db:
            return
        if QApplication.activeModalWidget() is not None:  # a dialog in use: after it
            QTimer.singleShot(500, window, lambda: check_failed(db, message, error))
            return
        if not isinstance(error, DatabaseDamaged):
            dialogs.show_error(window, f"Chưa kiểm tra được tệp cơ sở dữ liệu: {message}")
            return
        window.detach_database()
        guarded(failed)(message, error)

    def guarded(step: Callable[..., None]) -> Callable[..., None]:
        """A bug in a step must not leave the window waiting on "Đang mở…" for ever."""

        def run(*args: object) -> None:
            try:
                step(*args)
            except Exception as exc:
                from cchc_desktop.gui.common.error_report import report_exception

                report_exception(exc)
                on_failed()

        return run

    def start(create: bool) -> None:
        from cchc_desktop.gui.common.jobs import run_in_background
        from cchc_desktop.store.sqlite_file import personal_login_server

        server = personal_login_server(target)
        if server is not None:  # one's own server login: asked first, then connected as it
            from cchc_desktop.gui.login_dialog import ServerLoginDialog

            dialog = ServerLoginDialog(target, server, window)
            if dialog.exec() and dialog.db is not None:
                guarded(opened)(dialog.db)
            else:
                on_failed()
            return
        window.opening = run_in_background(lambda: _open(target, create), guarded(opened),
                                           guarded(failed))

    def first_start() -> None:
        from cchc_desktop.store.sqlite_file import DB_ENV_VAR  # sqlite3: after the paint

        start(create=not (target or os.environ.get(DB_ENV_VAR)))  # the default database

    if window.painted:
        first_start()
    else:
        window.first_painted.connect(first_start)
