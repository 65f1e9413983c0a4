"""Choosing what an evidence file proves: a criterion of a year, a task or a document."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.services.evidence import LinkTarget, link_choices

KIND_LABELS = {
    "criterion": "Tiêu chí chấm điểm",
    "task": "Nhiệm vụ",
    "document": "Văn bản",
    "": "Không gắn (chỉ lưu tệp)",
}


class LinkDialog(QDialog):
    """Pick a link target. Widgets: ``kind``, ``year``, ``target`` (searchable combo).

    ``chosen()`` gives the LinkTarget (None for "Không gắn" or nothing picked).
    """

    def __init__(self, ctx: GuiContext, title: str, *, allow_none: bool = True,
                 names: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            if key or allow_none:
                self.kind.addItem(label, key)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.today().year)
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target.setMaxVisibleItems(15)
        completer, line = self.target.completer(), self.target.lineEdit()
        if completer is not None and line is not None:  # an editable combo box has both
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            line.setPlaceholderText("Gõ để tìm...")
        form = QFormLayout(self)
        if names:
            shown = "\n".join(names[:8]) + ("\n..." if len(names) > 8 else "")
            form.addRow("Tệp:", QLabel(shown))
        form.addRow("Gắn với:", self.kind)
        form.addRow("Năm:", self.year)
        form.addRow("Đối tượng:", self.target)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đồng ý")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill())
        self.year.valueChanged.connect(lambda _v: self._fill())
        self._fill()

    def _fill(self) -> None:
        kind = self.kind.currentData()
        self.year.setEnabled(kind in ("criterion", "task"))
        self.target.setEnabled(bool(kind))
        self.target.clear()
        if not kind:
            return
        with self.ctx.db.session() as session:
            choices = link_choices(session, kind, self.year.value())
        for target, label in choices:
            self.target.addItem(label, target)
        self.target.setCurrentIndex(0 if choices else -1)

    def select(self, kind: str, target_id: int | None = None) -> None:
        """Pre-select a kind (and a target); used by tests and by callers that know."""
        self.kind.setCurrentIndex(self.kind.findData(kind))
        if target_id is not None:
            for i in range(self.target.count()):
                if self.target.itemData(i).id == target_id:
                    self.target.setCurrentIndex(i)
                    return

    def chosen(self) -> LinkTarget | None:
        if not self.kind.currentData():
            return None
        text = self.target.currentText()
        position = self.target.findText(text)
        if position < 0:
            return None
        return self.target.itemData(position)
