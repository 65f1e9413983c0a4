"""A date field in dd/mm/yyyy that may be left empty (Qt's QDateEdit cannot be empty)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

_EMPTY_DATE = QDate(1900, 1, 1)


def to_qdate(value: dt.date) -> QDate:
    """A Python date as a QDate."""
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    """A QDate (from a QDateEdit) as a Python date."""
    return dt.date(value.year(), value.month(), value.day())



class OptionalDateEdit(QWidget):
    """A date in dd/mm/yyyy that may be empty: a check box turns the date on and off.

    Signals:
        changed(): the date or its presence changed (by the user or by ``setDate``).
    Attributes:
        check: the "has a date" check box; edit: the QDateEdit (shows "—" when empty).
    """

    changed = Signal()

    def __init__(self, check_text: str = "", parent: QWidget | None = None, *,
                 default=dt.date.today) -> None:
        super().__init__(parent)
        self._default = default
        self.check = QCheckBox(check_text)
        self.edit = QDateEdit()
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDate(_EMPTY_DATE)
        self.edit.setSpecialValueText("—")
        self.edit.setMinimumWidth(120)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setDate(None)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(self._edited)

    def date(self) -> dt.date | None:
        if not self.check.isChecked() or self.edit.date() == _EMPTY_DATE:
            return None
        return from_qdate(self.edit.date())

    def setDate(self, value: dt.date | None) -> None:  # noqa: N802 (Qt naming)
        self.check.blockSignals(True)
        self.edit.blockSignals(True)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(QDate(value) if value is not None else _EMPTY_DATE)
        self.check.blockSignals(False)
        self.edit.blockSignals(False)
        self.changed.emit()

    def _toggled(self, on: bool) -> None:
        self.edit.blockSignals(True)
        self.edit.setEnabled(on)
        if on and self.edit.date() == _EMPTY_DATE:
            self.edit.setDate(QDate(self._default()))
        if not on:
            self.edit.setDate(_EMPTY_DATE)
        self.edit.blockSignals(False)
        self.changed.emit()

    def _edited(self, _value: QDate) -> None:
        if self.check.isChecked():
            self.changed.emit()
