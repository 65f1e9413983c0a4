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
    """Số ký hiệu, type (derived from the symbol when left automatic), date, body, trích yếu."""

    def __init__(
        self, submit: Submit, *, values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa văn bản" if values else "Thêm văn bản", submit, parent)
        values = values or {}
        self.symbol = QLineEdit(values.get("symbol", ""))
        self.symbol.setPlaceholderText("ví dụ: 263/BC-SGDĐT")
        self.doc_type = QComboBox()
        self.doc_type.setEditable(True)
        self.doc_type.addItem(AUTO_TYPE)
        for name in sorted({*DOC_TYPES.values(), "Công văn"}):
            self.doc_type.addItem(name)
        stored = values.get("doc_type") or ""
        if stored and stored != doc_type_from_symbol(values.get("symbol", "")):
            self.doc_type.setCurrentText(stored)
        self.issued_on = QLineEdit(date_text(values.get("issued_on")))
        self.issued_on.setPlaceholderText("dd/mm/yyyy")
        self.issuer = QLineEdit(values.get("issuer", ""))
        self.issuer.setPlaceholderText("ví dụ: UBND tỉnh Sơn La")
        self.summary = QPlainTextEdit(values.get("summary", ""))
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(90)
        self.add_field("symbol", "Số ký hiệu:", self.symbol)
        self.add_field("doc_type", "Loại văn bản:", self.doc_type)
        self.add_field("issued_on", "Ngày ban hành:", self.issued_on)
        self.add_field("issuer", "Cơ quan ban hành:", self.issuer)
        self.add_field("summary", "Trích yếu:", self.summary)
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
