"""The base of the undoable edits that go through services: ServiceCommand and run_command.

The plans, documents, units, criteria and evidence commands derive from
:class:`ServiceCommand` (task commands have their own base, :mod:`cchc_desktop.gui.tasks.commands`).
A command is run once by :func:`run_command`, which shows a validation error to the user
and pushes the command on ``ctx.undo_stack`` only when the change was saved. Redo and undo
after that run the services again, each in one transaction, and call ``ctx.notify_changed``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext


def quoted(text: str, limit: int = 40) -> str:
    """``text`` on one line, shortened to ``limit`` characters, in Vietnamese quotes."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


class ServiceCommand(QUndoCommand):
    """Base class: ``apply`` and ``revert`` do the work in a session.

    Attributes:
        ctx: the window's context.
        failed: the message of the last redo/undo that the database refused, or "".
    """

    def __init__(self, ctx: GuiContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.failed = ""
        self._skip_redo = False

    def apply(self, session: Session) -> None:
        raise NotImplementedError

    def revert(self, session: Session) -> None:
        raise NotImplementedError

    def _run(self, work: Any) -> None:
        self.failed = ""
        try:
            with self.ctx.db.session() as session:
                work(session)
        except UserError as exc:
            # Someone else changed the data in between: this step cannot be replayed.
            self.failed = exc.message
            self.setObsolete(True)
        self.ctx.notify_changed()
        if self.failed:  # after the refresh, which puts its own line in the status bar
            self.ctx.show_message(self.failed)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)


def run_command(parent: QWidget | None, command: ServiceCommand, *, quiet: bool = False) -> bool:
    """Do ``command`` now; on success put it on the undo stack and return True.

    A refusal (validation, conflict, not found) is shown to the user unless ``quiet`` (the
    caller shows it next to a field) and re-raised as the caller's to handle when quiet.
    """
    try:
        with command.ctx.db.session() as session:
            command.apply(session)
    except UserError as exc:
        if quiet:
            raise
        dialogs.show_error(parent, exc.message, "\n".join(getattr(exc, "problems", []) or []))
        return False
    command._skip_redo = True
    command.ctx.undo_stack.push(command)
    command.ctx.notify_changed()
    return True
