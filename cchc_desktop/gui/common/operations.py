"""One way for widgets to write: a transaction, and a Vietnamese message when refused."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext


def run_write(parent: QWidget | None, ctx: GuiContext, work: Callable[[Session], object]) -> bool:
    """Run ``work(session)`` in one transaction; True when it was saved.

    A refused change (:class:`UserError`) is shown to the user and nothing is written.
    """
    try:
        with ctx.db.session() as session:
            work(session)
    except UserError as exc:
        dialogs.show_error(parent, exc.message)
        return False
    return True
