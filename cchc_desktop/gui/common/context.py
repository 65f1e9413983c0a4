"""What every tab and dialog of the window is given: no global singletons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack

if TYPE_CHECKING:  # the window is drawn before SQLAlchemy is imported (fast start-up)
    from cchc_desktop.store.db import Database


@dataclass
class GuiContext:
    """The open database, the shared undo stack and a way to talk to the status bar.

    Attributes:
        db: the open database; write through ``db.session()`` and the services only.
        undo_stack: the window's QUndoStack; push a QUndoCommand for every undoable edit.
        show_message: puts a short Vietnamese message in the status bar.
        data_changed: callbacks run after any tab changed data, so other tabs refresh.
        today: the date "today" means (tests fix it).
    """

    db: Database
    undo_stack: QUndoStack
    show_message: Callable[[str], None] = lambda _text: None
    data_changed: list[Callable[[], None]] = field(default_factory=list)
    today: Callable[[], date] = date.today

    def due_soon_days(self) -> int:
        """The office's "due soon" window in days (Tùy chọn; default 7)."""
        from cchc_desktop.services.office_settings import due_soon_days

        with self.db.session() as session:
            return due_soon_days(session)

    def notify_changed(self) -> None:
        """Tell every listener that data changed (after a save, an undo, an import)."""
        for callback in list(self.data_changed):
            callback()
