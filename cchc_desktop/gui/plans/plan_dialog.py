"""Adding or changing a plan: kind, year, number, issued date, title."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from cchc_desktop.gui.common.entry_dialog import EntryDialog, Submit, parse_optional_date
from cchc_desktop.gui.common.record_model import date_text
from cchc_desktop.services.plans import PLAN_KIND_LABELS


class PlanDialog(EntryDialog):
    """Kind, year, number, issued date and title of a plan (ui/plan.ui)."""

    FORM = "plan"

    def __init__(
        self, submit: Submit, *, year: int, values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa kế hoạch" if values else "Thêm kế hoạch", submit, parent)
        values = values or {}
        self.kind = self.field(QComboBox, "kind")
        for code, label in PLAN_KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.get("kind", "reform"))))
        self.year = self.field(QSpinBox, "year")
        self.year.setValue(values.get("year", year))
        self.number = self.field(QLineEdit, "number")
        self.number.setText(values.get("number", ""))
        self.issued_on = self.field(QLineEdit, "issued_on")
        self.issued_on.setText(date_text(values.get("issued_on")))
        self.title_edit = self.field(QPlainTextEdit, "title")
        self.title_edit.setPlainText(values.get("title", ""))

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind.currentData(),
            "year": self.year.value(),
            "number": self.number.text().strip(),
            "issued_on": parse_optional_date("issued_on", self.issued_on.text()),
            "title": " ".join(self.title_edit.toPlainText().split()),
        }

    def field_for(self, message: str) -> str | None:
        return "title" if "Tên kế hoạch" in message else ("year" if "Năm" in message else None)
