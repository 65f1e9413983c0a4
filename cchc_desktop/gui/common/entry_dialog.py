"""The frame of the small entry dialogs (a plan, a document, a unit): fields with their errors.

Each dialog (``PlanDialog``, ``DocumentDialog``, ``UnitDialog``, in its feature's package) gathers values and hands them to ``submit(values)``; a refusal from the
services (UserError) or an unreadable date is shown next to the field and the dialog stays
open, so nothing invalid reaches the database and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QWidget,
)

from cchc_desktop.domain.text import parse_date_vn
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.forms import add_below, find, load_form
from cchc_desktop.gui.common.mnemonics import add_mnemonics

Submit = Callable[[dict[str, Any]], None]
W = TypeVar("W", bound=QWidget)


class FieldError(Exception):
    """A value the dialog itself cannot accept: which field and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_optional_date(field: str, text: str) -> date | None:
    """An empty text is no date; otherwise dd/mm/yyyy or a FieldError in Vietnamese."""
    text = text.strip()
    if not text:
        return None
    try:
        return parse_date_vn(text)
    except ValueError as exc:
        raise FieldError(field, str(exc)) from None


class EntryDialog(QDialog):
    """A Qt Designer form (``ui/<FORM>.ui``) with an error label under each field, "Lưu", "Hủy".

    The form names each field's widget (``number``) and the label under it (``number_error``);
    ``general_error`` is for refusals that name no field.

    Attributes:
        form: the loaded form; subclasses take their widgets from it with :meth:`field`.
        general_error: the label for refusals that name no field.
    """

    FORM = ""

    def __init__(self, title: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self.form = load_form(self.FORM, self)
        self.general_error = find(self.form, QLabel, "general_error")
        self._errors = {
            label.objectName().removesuffix("_error"): label
            for label in self.form.findChildren(QLabel)
            if label.objectName().endswith("_error") and label is not self.general_error
        }
        self.clear_errors()
        self.buttons = dialogs.save_cancel_buttons(self, self.try_accept)
        add_below(self.form, self.buttons)
        add_mnemonics(self)

    def field(self, cls: type[W], name: str) -> W:
        """The form's widget ``name`` (a LookupError when the form has none)."""
        return find(self.form, cls, name)

    def error_text(self, name: str | None = None) -> str:
        """The error shown next to field ``name`` (or the general one); "" when none."""
        label = self.general_error if name is None else self._errors[name]
        return label.text() if not label.isHidden() else ""

    def show_error(self, name: str | None, message: str) -> None:
        label = self._errors.get(name or "", self.general_error)
        label.setText(message)
        label.show()

    def clear_errors(self) -> None:
        for label in [self.general_error, *self._errors.values()]:
            label.clear()
            label.hide()

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def try_accept(self) -> None:
        """Validate and submit; close only when the change was saved."""
        self.clear_errors()
        try:
            self._submit(self.values())
        except FieldError as exc:
            self.show_error(exc.field, exc.message)
            return
        except UserError as exc:
            self.show_error(self.field_for(exc.message), exc.message)
            return
        self.accept()

    def field_for(self, message: str) -> str | None:
        """Which field a service message is about (None: show it under the form)."""
        return None
