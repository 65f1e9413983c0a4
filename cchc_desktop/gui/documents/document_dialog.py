"""Adding or changing a document of the register."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from cchc_desktop.domain.text import DOC_TYPES, doc_type_from_symbol, nfc
from cchc_desktop.gui.common.entry_dialog import (
    EntryDialog,
    FieldError,
    Submit,
    parse_optional_date,
)
from cchc_desktop.gui.common.record_model import date_text

AUTO_TYPE = "(Tự nhận theo số ký hiệu)"


class DocumentDialog(EntryDialog):
    """Số ký hiệu, type (derived from the symbol when left automatic), date, body, trích yếu
    (ui/document.ui)."""

    FORM = "document"

    def __init__(
        self, submit: Submit, *, values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa văn bản" if values else "Thêm văn bản", submit, parent)
        values = values or {}
        self.symbol = self.field(QLineEdit, "symbol")
        self.symbol.setText(values.get("symbol", ""))
        self.doc_type = self.field(QComboBox, "doc_type")
        self.doc_type.addItem(AUTO_TYPE)
        for name in sorted({*DOC_TYPES.values(), "Công văn"}):
            self.doc_type.addItem(name)
        stored = values.get("doc_type") or ""
        if stored and stored != doc_type_from_symbol(values.get("symbol", "")):
            self.doc_type.setCurrentText(stored)
        self.issued_on = self.field(QLineEdit, "issued_on")
        self.issued_on.setText(date_text(values.get("issued_on")))
        self.issuer = self.field(QLineEdit, "issuer")
        self.issuer.setText(values.get("issuer", ""))
        self.summary = self.field(QPlainTextEdit, "summary")
        self.summary.setPlainText(values.get("summary", ""))
        self.symbol.textChanged.connect(self._show_derived_type)
        self._show_derived_type()

    def _show_derived_type(self) -> None:
        derived = doc_type_from_symbol(self.symbol.text())
        self.doc_type.setItemText(0, f"(Tự nhận: {derived})" if derived else AUTO_TYPE)

    def values(self) -> dict[str, Any]:
        doc_type = nfc(self.doc_type.currentText())
        if self.doc_type.currentIndex() == 0 and doc_type == self.doc_type.itemText(0):
            doc_type = ""
        symbol = nfc(self.symbol.text())
        if not symbol:
            raise FieldError("symbol", "Số ký hiệu không được để trống.")
        return {
            "symbol": symbol,
            "doc_type": doc_type or doc_type_from_symbol(symbol) or "",
            "issued_on": parse_optional_date("issued_on", self.issued_on.text()),
            "issuer": nfc(self.issuer.text()),
            "summary": " ".join(self.summary.toPlainText().split()),
        }

    def field_for(self, message: str) -> str | None:
        return "symbol" if ("Số ký hiệu" in message or "đã có" in message) else None
