"""A read-only table model over a list of rows: the part every small list shares.

Subclasses set ``HEADERS`` and write ``data()`` reading ``self.rows``; they may
override :meth:`prepare` to sort or filter what :meth:`set_rows` receives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class RowTableModel(QAbstractTableModel):
    """Rows in ``self.rows``, one column per entry of ``HEADERS``.

    Attributes:
        rows: the rows shown, in display order.
    """

    HEADERS: Sequence[str] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def prepare(self, rows: list[Any]) -> list[Any]:
        """The rows as they should be shown (override to sort)."""
        return rows

    def set_rows(self, rows: list[Any]) -> None:
        """Replace every row (views keep their columns and header)."""
        self.beginResetModel()
        self.rows = self.prepare(list(rows))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None
