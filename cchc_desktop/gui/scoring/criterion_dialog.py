"""Editing one criterion of a year's framework (Tự chấm điểm tab)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from cchc_desktop.domain.scoring import KIND_LABELS
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.forms import add_below, find, load_form
from cchc_desktop.gui.common.mnemonics import add_mnemonics
from cchc_desktop.services.framework_edit import CriterionFields
from cchc_desktop.services.scoring import CriterionRow


class CriterionDialog(QDialog):
    """Fields of a criterion. ``fields()`` returns the CriterionFields to save.

    Widgets: title, max_points (enabled for a leaf or a bonus/penalty group), kind (new
    top-level rows only), guidance, evidence_hint, rule.
    """

    def __init__(self, heading: str, row: CriterionRow | None, *, code: str,
                 max_editable: bool, kind_editable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        form = load_form("criterion", self)  # ui/criterion.ui
        find(form, QLabel, "code_label").setText(f"<b>{code}</b>")
        self.title = find(form, QLineEdit, "title")
        self.title.setText(row.title if row else "")
        self.max_points = find(form, QDoubleSpinBox, "max_points")
        self.max_points.setValue(row.max_points if row else 1.0)
        self.max_points.setEnabled(max_editable)
        if not max_editable:
            self.max_points.setToolTip("Bằng tổng điểm tối đa của các tiêu chí con")
        self.kind = find(form, QComboBox, "kind")
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(self.kind.findData(row.kind if row else "normal"))
        self.kind.setEnabled(kind_editable)
        self.guidance = find(form, QPlainTextEdit, "guidance")
        self.guidance.setPlainText(row.guidance if row else "")
        self.evidence_hint = find(form, QLineEdit, "evidence_hint")
        self.evidence_hint.setText(row.evidence_hint if row else "")
        self.rule = find(form, QLineEdit, "rule")
        self.rule.setText(row.rule if row else "")
        add_below(form, dialogs.save_cancel_buttons(self))
        add_mnemonics(self)

    def fields(self) -> CriterionFields:
        return CriterionFields(
            title=self.title.text(),
            max_points=self.max_points.value() if self.max_points.isEnabled() else None,
            kind=self.kind.currentData() if self.kind.isEnabled() else None,
            guidance=self.guidance.toPlainText(),
            evidence_hint=self.evidence_hint.text(),
            rule=self.rule.text(),
        )
