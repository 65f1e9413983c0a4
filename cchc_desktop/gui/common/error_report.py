"""What the user sees of an error that escaped a slot: a message, never a traceback."""

from __future__ import annotations

import sys


def report_exception(exc: BaseException) -> str:
    """Show an error that escaped a slot; returns the text shown.

    A user error is shown as it is; a database error in the words of
    :func:`~cchc_desktop.store.db_errors.describe_database_error`; a bug is logged with its
    traceback to the data folder and shown as one short Vietnamese sentence, never as a
    traceback.
    """
    from cchc_desktop.errors import UserError
    from cchc_desktop.gui.common import dialogs

    if isinstance(exc, UserError):
        text = exc.message
    else:
        from cchc_desktop.logs import log_exception
        from cchc_desktop.store.db_errors import describe_database_error

        # A database error (outside a transaction of Database.session, which words it
        # already) is the database's refusal, said plainly; its SQL goes to the log only.
        known = describe_database_error(exc)
        try:
            where = log_exception(exc)
            text = (f"{known} (Chi tiết kỹ thuật được ghi tại {where}.)" if known else
                    f"Đã xảy ra lỗi không mong muốn. Chi tiết được ghi tại {where}.")
        except OSError:
            text = known or "Đã xảy ra lỗi không mong muốn."
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
