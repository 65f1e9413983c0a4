"""Helpers shared by the tests of the Kế hoạch, Văn bản and Danh mục tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from cchc_desktop.gui.common.context import GuiContext
from tests.conftest import DEMO_TODAY


def make_ctx(db: Any) -> GuiContext:
    """A context over ``db`` with its own undo stack; "today" is the demo's reference date."""
    messages: list[str] = []
    ctx = GuiContext(db=db, undo_stack=QUndoStack(), show_message=messages.append,
                     today=lambda: DEMO_TODAY)
    ctx.messages = messages  # type: ignore[attr-defined]
    return ctx


def drive_dialogs(monkeypatch: pytest.MonkeyPatch, cls: type, fill: Callable[[Any], None],
                  opened: list[Any] | None = None) -> list[Any]:
    """Replace ``cls.exec`` so that a modal dialog is filled by ``fill`` and submitted.

    ``fill(dialog)`` types into the real widgets and clicks or calls what a user would;
    exec then returns the dialog's result like the modal loop would.
    """
    opened = [] if opened is None else opened

    def fake_exec(dialog: Any) -> int:
        opened.append(dialog)
        dialog.show()
        fill(dialog)
        dialog.hide()
        return int(dialog.result())

    monkeypatch.setattr(cls, "exec", fake_exec)
    return opened


class ConfirmRecorder:
    """Stands in for ``dialogs.confirm``: records the questions, gives set answers."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []

    def __call__(self, _parent: Any, text: str, *, danger: bool = False) -> bool:
        self.questions.append(text)
        return self.answers.pop(0) if self.answers else False
