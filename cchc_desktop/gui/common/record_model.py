"""The table model of the registers (plans of a year, documents, units) and its sort proxy.

Each register's model (``PlanListModel``, ``DocumentTableModel``, ``UnitTableModel``, in its
feature's package) lists its :class:`Column` objects over service records,
shows them as text and gives :class:`VietSortProxy` a raw sort key per cell, so text
columns sort in Vietnamese order and dates as dates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from cchc_desktop.domain.text import fold, format_date_vn, vi_sort_key

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
_INVALID = QModelIndex()


def date_text(value: date | None) -> str:
    """dd/mm/yyyy, or nothing for no date."""
    return format_date_vn(value) if value else ""


def date_key(value: date | None) -> tuple[int, date]:
    """Sort key putting rows without a date last."""
    return (1, date.min) if value is None else (0, value)


class Column(Generic[Row]):
    """One column: its header, its text and its sort key."""

    def __init__(
        self,
        header: str,
        text: Callable[[Row], str],
        key: Callable[[Row], Any] | None = None,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> None:
        self.header = header
        self.text = text
        self.key = key or (lambda row: vi_sort_key(text(row)))
        self.align = align


class RecordTableModel(QAbstractTableModel, Generic[Row]):
    """A read-only table over a list of records.

    Attributes:
        columns: the :class:`Column` list, left to right.
    Rows are replaced as a whole with :meth:`set_rows` (a model reset).
    """

    columns: Sequence[Column[Row]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._search: list[str] = []

    # -- contents
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [fold(" ".join(c.text(r) for c in self.columns)) for r in self._rows]
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def search_text(self, row: int) -> str:
        """The folded text of every cell of ``row``, for the search box."""
        return self._search[row]

    def sort_key(self, row: int, column: int) -> Any:
        return self.columns[column].key(self._rows[row])

    def row_foreground(self, row: Row) -> QColor | None:
        """A colour for the whole row (None: the default)."""
        return None

    # -- Qt model interface
    def rowCount(self, parent: Index = _INVALID) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _INVALID) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            color = self.row_foreground(row)
            return QBrush(color) if color is not None else None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None


class VietSortProxy(QSortFilterProxyModel):
    """Sorts on the source model's raw keys (Vietnamese order for text) and filters by a search.

    The search ignores case and diacritics: every folded word must occur in the row.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_search(self, text: str) -> None:
        words = fold(text).split()
        if words != self._words:
            if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateFilter is deprecated
                self.beginFilterChange()
                self._words = words
                self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
            else:  # pragma: no cover - older Qt
                self._words = words
                self.invalidateFilter()

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, RecordTableModel)
        return bool(
            model.sort_key(left.row(), left.column()) < model.sort_key(right.row(), right.column())
        )

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not self._words:
            return True
        model = self.sourceModel()
        assert isinstance(model, RecordTableModel)
        haystack = model.search_text(source_row)
        return all(word in haystack for word in self._words)


def set_column_widths(view: Any, widths: Sequence[int]) -> None:
    """Give columns these widths, but never narrower than their header text needs."""
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        if width:
            view.setColumnWidth(column, max(width, header.sectionSizeHint(column)))


def record_view(name: str, model: Any, sort_column: int = -1) -> QTableView:
    """A read-only list of records: whole rows, one at a time, sortable by clicking a header
    (``sort_column`` first; -1 keeps the model's order), no row numbers."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    view.verticalHeader().hide()
    return view
