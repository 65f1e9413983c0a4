"""Adding or changing a unit: name, short name, kind, in use or not."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from cchc_desktop.gui.common.entry_dialog import EntryDialog, Submit
from cchc_desktop.services.units import UNIT_KIND_LABELS


class UnitDialog(EntryDialog):
    """Name, short name, kind and (when editing) whether the unit is in use (ui/unit.ui)."""

    FORM = "unit"

    def __init__(
        self, submit: Submit, *, values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa đơn vị" if values else "Thêm đơn vị", submit, parent)
        values = values or {}
        self.name = self.field(QLineEdit, "name")
        self.name.setText(values.get("name", ""))
        self.short_name = self.field(QLineEdit, "short_name")
        self.short_name.setText(values.get("short_name", ""))
        self.kind = self.field(QComboBox, "kind")
        for code, label in UNIT_KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.get("kind", "division"))))
        self.active = self.field(QCheckBox, "active")
        self.active.setChecked(values.get("active", True))
        self.active.setVisible(bool(values))
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "short_name": self.short_name.text(),
            "kind": self.kind.currentData(),
            "active": self.active.isChecked(),
        }

    def field_for(self, message: str) -> str | None:
        return "name" if "đơn vị" in message.lower() else None
