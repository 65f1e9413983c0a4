"""Adding or changing a plan: kind, year, number, issued date, title."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from cchc_desktop.gui.common.entry_dialog import EntryDialog, Submit, parse_optional_date
from cchc_desktop.gui.common.record_model import date_text
from cchc_desktop.services.plans import PLAN_KIND_LABELS


class PlanDialog(EntryDialog):
    """Kind, year, number, issued date and title of a plan."""

    def __init__(
        self, submit: Submit, *, year: int, values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa kế hoạch" if values else "Thêm kế hoạch", submit, parent)
        values = values or {}
        self.kind = QComboBox()
        for code, label in PLAN_KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.get("kind", "reform"))))
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(values.get("year", year))
        self.number = QLineEdit(values.get("number", ""))
        self.number.setPlaceholderText("ví dụ: 15/KH-SGDĐT")
        self.issued_on = QLineEdit(date_text(values.get("issued_on")))
        self.issued_on.setPlaceholderText("dd/mm/yyyy")
        self.title_edit = QPlainTextEdit(values.get("title", ""))
        self.title_edit.setTabChangesFocus(True)
        self.title_edit.setFixedHeight(72)
        self.add_field("kind", "Loại kế hoạch:", self.kind)
        self.add_field("year", "Năm:", self.year)
        self.add_field("number", "Số, ký hiệu:", self.number)
        self.add_field("issued_on", "Ngày ban hành:", self.issued_on)
        self.add_field("title", "Tên kế hoạch:", self.title_edit)

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
