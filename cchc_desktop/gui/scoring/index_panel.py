"""Index results (PAR INDEX, SIPAS, PAPI, PCI): a table, an editor and a trend chart.

Part of the Tự chấm điểm tab. The chart uses matplotlib, imported on first drawing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.charts import ChartWidget
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.operations import run_write
from cchc_desktop.gui.common.row_model import RowTableModel
from cchc_desktop.gui.scoring.model import fmt
from cchc_desktop.services import scoring as scoring_service
from cchc_desktop.services.scoring import INDEX_NAMES, IndexRow

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Chỉ số", "Năm", "Điểm", "Xếp hạng", "Ghi chú")
COLOURS = {"PAR INDEX": "#1565c0", "SIPAS": "#2e7d32", "PAPI": "#ef6c00", "PCI": "#6a1b9a"}


class IndexTableModel(RowTableModel):
    """Index results, newest year first within each index. Attribute: ``rows``."""

    HEADERS = HEADERS

    def prepare(self, rows: list[IndexRow]) -> list[IndexRow]:
        return sorted(rows, key=lambda r: (INDEX_NAMES.index(r.index_name), -r.year))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.index_name, str(row.year), fmt(row.score), row.rank_text,
                    row.note)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class IndexDialog(QDialog):
    """Enter or correct one index result. Fields: name, year, score, rank, note."""

    def __init__(self, row: IndexRow | None, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kết quả chỉ số")
        self.name = QComboBox()
        self.name.addItems(INDEX_NAMES)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.score = QDoubleSpinBox()
        self.score.setRange(0, 100)
        self.score.setDecimals(2)
        self.rank = QLineEdit()
        self.rank.setPlaceholderText("ví dụ 02/18")
        self.note = QLineEdit()
        self.year.setValue(row.year if row else year)
        if row is not None:
            self.name.setCurrentText(row.index_name)
            self.score.setValue(row.score or 0)
            self.rank.setText(row.rank_text)
            self.note.setText(row.note)
        form = QFormLayout(self)
        form.addRow("Chỉ số:", self.name)
        form.addRow("Năm:", self.year)
        form.addRow("Điểm:", self.score)
        form.addRow("Xếp hạng:", self.rank)
        form.addRow("Ghi chú:", self.note)
        form.addRow(dialogs.save_cancel_buttons(self))


class TrendChart(ChartWidget):
    """Scores of each index over the years (matplotlib, created on first drawing).

    Attributes: ``drawn`` counts drawings; ``figure`` is None until the first one.
    """

    FIGSIZE = (5.0, 2.4)
    TITLE_SIZE = 9
    PAD = 0.5
    EMPTY_TEXT = "Chưa có kết quả chỉ số"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Xu hướng điểm các chỉ số", parent)
        self.setMinimumHeight(170)

    def plot(self, rows: list[IndexRow]) -> None:
        axes = self._axes()
        years: set[int] = set()
        for name in INDEX_NAMES:
            points = sorted((r.year, r.score) for r in rows
                            if r.index_name == name and r.score is not None)
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            years.update(xs)
            axes.plot(xs, ys, marker="o", markersize=4, linewidth=1.6,
                      color=COLOURS[name], label=name)
            last_rank = next((r.rank_text for r in rows
                              if r.index_name == name and r.year == xs[-1]), "")
            label = fmt(ys[-1]) + (f" ({last_rank})" if last_rank else "")
            axes.annotate(label, (xs[-1], ys[-1]), textcoords="offset points", xytext=(4, 4),
                          fontsize=7, color=COLOURS[name])
        if years:
            axes.set_xticks(sorted(years))
            axes.set_xticklabels([str(y) for y in sorted(years)])
            axes.legend(fontsize=7, frameon=False, loc="lower left")
            axes.grid(axis="y", color="#eceff1")
            from matplotlib.ticker import FuncFormatter

            axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
        self._finish(axes, empty=not years)


class IndexPanel(QGroupBox):
    """Index results with add/edit/delete buttons and the trend chart."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__("Kết quả các chỉ số đã công bố (PAR INDEX, SIPAS, PAPI, PCI)", parent)
        self.ctx = ctx
        self.model = IndexTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("index_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((96, 54, 64, 84)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton("Thêm...")
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button = QPushButton("Sửa...")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Xóa")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.chart = TrendChart()
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.chart, 4)

    def refresh(self) -> None:
        with self.ctx.db.session() as session:
            rows = scoring_service.list_index_results(session)
        self.model.set_rows(rows)
        self.chart.plot(rows)

    def selected(self) -> IndexRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def edit_selected(self) -> bool:
        row = self.selected()
        return row is not None and self.edit(row)

    def edit(self, row: IndexRow | None) -> bool:
        """Open the editor for ``row`` (None: a new result) and save it."""
        dialog = IndexDialog(row, self.ctx.today().year - 1, self)
        if not dialog.exec():
            return False
        return self.save(dialog.name.currentText(), dialog.year.value(), dialog.score.value(),
                         dialog.rank.text(), dialog.note.text())

    def save(self, name: str, year: int, score: float | None, rank: str, note: str) -> bool:
        if not run_write(
            self, self.ctx, lambda session: scoring_service.set_index_result(session, name, year, score, rank, note)
        ):
            return False
        self.refresh()
        return True

    def delete_selected(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        if not dialogs.confirm(self, f"Xóa kết quả {row.index_name} năm {row.year}?", danger=True):
            return False
        if not run_write(
            self, self.ctx, lambda session: scoring_service.delete_index_result(session, row.index_name, row.year)
        ):
            return False
        self.refresh()
        return True
