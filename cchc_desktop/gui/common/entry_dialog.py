"""Small entry dialogs: a plan, a document, a unit.

Each dialog gathers values and hands them to ``submit(values)``; a refusal from the
services (UserError) or an unreadable date is shown next to the field and the dialog stays
open, so nothing invalid reaches the database and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.text import DOC_TYPES, doc_type_from_symbol, nfc, parse_date_vn
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.record_model import date_text
from cchc_desktop.services.plans import PLAN_KIND_LABELS
from cchc_desktop.services.units import UNIT_KIND_LABELS

Submit = Callable[[dict[str, Any]], None]
ERROR_STYLE = "color: #b3261e;"


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
    """A form with an error label under each field, "Lưu" and "Hủy".

    Attributes:
        form: the QFormLayout subclasses fill with :meth:`add_field`.
        general_error: the label for refusals that name no field.
    """

    def __init__(self, title: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._submit = submit
        self._errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.general_error = self._error_label()
        layout.addWidget(self.general_error)
        self.buttons = dialogs.save_cancel_buttons(self, self.try_accept)
        layout.addWidget(self.buttons)

    def _error_label(self) -> QLabel:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    def add_field(self, name: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(2)
        inner.addWidget(widget)
        error = self._error_label()
        inner.addWidget(error)
        self._errors[name] = error
        self.form.addRow(label, box)
        return widget

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


# --------------------------------------------------------------------------- plan


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


# --------------------------------------------------------------------------- document

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


# --------------------------------------------------------------------------- unit


class UnitDialog(EntryDialog):
    """Name, short name, kind and (when editing) whether the unit is in use."""

    def __init__(
        self, submit: Submit, *, values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa đơn vị" if values else "Thêm đơn vị", submit, parent)
        values = values or {}
        self.name = QLineEdit(values.get("name", ""))
        self.name.setPlaceholderText("ví dụ: Phòng Tổ chức cán bộ")
        self.short_name = QLineEdit(values.get("short_name", ""))
        self.short_name.setPlaceholderText("ví dụ: Phòng TCCB")
        self.kind = QComboBox()
        for code, label in UNIT_KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.get("kind", "division"))))
        self.active = QCheckBox("Đang sử dụng")
        self.active.setChecked(values.get("active", True))
        self.add_field("name", "Tên đơn vị:", self.name)
        self.add_field("short_name", "Tên viết tắt:", self.short_name)
        self.add_field("kind", "Loại đơn vị:", self.kind)
        self.form.addRow("", self.active)
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
