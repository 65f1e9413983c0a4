"""Editing one criterion of a year's framework (Tự chấm điểm tab)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from cchc_desktop.domain.scoring import KIND_LABELS
from cchc_desktop.gui.common import dialogs
from cchc_desktop.services.framework_edit import CriterionFields
from cchc_desktop.services.scoring import CriterionRow

RULE_HINT = "ví dụ: ubnd_on_time; 100%=2; 80%=1; 0%=0 (plan_on_time, ubnd_on_time, all_on_time)"


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
        self.setMinimumWidth(620)
        self.title = QLineEdit(row.title if row else "")
        self.max_points = QDoubleSpinBox()
        self.max_points.setRange(0, 100)
        self.max_points.setDecimals(2)
        self.max_points.setSingleStep(0.25)
        self.max_points.setValue(row.max_points if row else 1.0)
        self.max_points.setEnabled(max_editable)
        if not max_editable:
            self.max_points.setToolTip("Bằng tổng điểm tối đa của các tiêu chí con")
        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(self.kind.findData(row.kind if row else "normal"))
        self.kind.setEnabled(kind_editable)
        self.guidance = QPlainTextEdit(row.guidance if row else "")
        self.guidance.setFixedHeight(70)
        self.evidence_hint = QLineEdit(row.evidence_hint if row else "")
        self.rule = QLineEdit(row.rule if row else "")
        self.rule.setPlaceholderText(RULE_HINT)
        form = QFormLayout(self)
        form.addRow("Mã:", QLabel(f"<b>{code}</b>"))
        form.addRow("Tên tiêu chí:", self.title)
        form.addRow("Điểm tối đa:", self.max_points)
        form.addRow("Loại:", self.kind)
        form.addRow("Hướng dẫn chấm:", self.guidance)
        form.addRow("Tài liệu kiểm chứng:", self.evidence_hint)
        form.addRow("Quy tắc gợi ý điểm:", self.rule)
        form.addRow(dialogs.save_cancel_buttons(self))

    def fields(self) -> CriterionFields:
        return CriterionFields(
            title=self.title.text(),
            max_points=self.max_points.value() if self.max_points.isEnabled() else None,
            kind=self.kind.currentData() if self.kind.isEnabled() else None,
            guidance=self.guidance.toPlainText(),
            evidence_hint=self.evidence_hint.text(),
            rule=self.rule.text(),
        )
