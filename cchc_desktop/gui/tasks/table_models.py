"""Table models over task rows: the columns, how a cell looks, and the short list model.

:class:`TaskRowsModel` shows :class:`~cchc_desktop.services.task_queries.TaskRow` values;
:class:`TaskTableModel` holds a short list of them (the Tổng quan lists), and the Nhiệm vụ
tab reads its rows page by page from SQL (:mod:`cchc_desktop.gui.tasks.paged_model`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from cchc_desktop.domain.areas import REFORM_AREAS, area_name
from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_date_vn, vi_sort_key
from cchc_desktop.services.task_queries import TaskRow

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the TaskRow itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # the raw value sorting uses

_AREA_SHORT = {a.code: a.short for a in REFORM_AREAS}
_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.TextAlignmentRole, ROW_ROLE, SORT_ROLE,
})

STATUS_COLOURS: dict[StatusClass, str] = {
    StatusClass.DONE_ON_TIME: "#2e7d32",
    StatusClass.DONE_LATE: "#ef6c00",
    StatusClass.DONE_NO_DEADLINE: "#00838f",
    StatusClass.OPEN_ON_TIME: "#1565c0",
    StatusClass.OPEN_OVERDUE: "#c62828",
    StatusClass.OPEN_NO_DEADLINE: "#6d4c41",
}
OVERDUE_BACKGROUND = "#fdecea"
OVERDUE_TEXT = "#8e1b1b"


@dataclass(frozen=True)
class Column:
    """A column: key (a TaskRow attribute or a computed one), header title, default width."""

    key: str
    title: str
    width: int


COLUMNS: dict[str, Column] = {c.key: c for c in (
    Column("content", "Nội dung nhiệm vụ", 330),
    Column("lead_unit", "Đơn vị chủ trì", 170),
    Column("supporting_units", "Đơn vị phối hợp", 140),
    Column("timing_text", "Thời gian thực hiện", 150),
    Column("due_date", "Thời hạn", 88),
    Column("completed_on", "Hoàn thành", 92),
    Column("status", "Tình trạng", 205),
    Column("assigned_by", "Cơ quan giao", 120),
    Column("area", "Lĩnh vực CCHC", 120),
    Column("year", "Năm", 52),
)}
TASK_COLUMNS = ("content", "lead_unit", "supporting_units", "timing_text", "due_date",
                "completed_on", "status", "assigned_by", "area", "year")
SHORT_COLUMNS = ("content", "lead_unit", "due_date", "status")


def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


# Before the status of a task whose extension request waits (first: a narrow column elides
# the end of "Chưa hoàn thành, quá hạn").
ASKED_MARK = "Xin gia hạn"


def _asked_tip(row: TaskRow) -> str:
    asked = format_date_vn(row.pending_due) if row.pending_due else "?"
    return f"Đã đề nghị gia hạn đến {asked}, chờ quyết định (nút “Đề nghị gia hạn…”)"


def _deadline_tip(row: TaskRow, today: date) -> str:
    late = f"Quá hạn {(today - row.due_date).days} ngày" if row.due_date else "Quá hạn"
    return f"{late}\n{_asked_tip(row)}" if row.pending_due else late


class TaskRowsModel(QAbstractTableModel):
    """What every task table shows of a row: text, tooltips, overdue colours, status dots.

    Subclasses say which row is at a number (:meth:`row_at`) and how many there are.

    Attributes:
        today: the as-of date the statuses were computed for (overdue days count from it).
        columns: the keys of :data:`COLUMNS` shown, in order.
    """

    def __init__(self, today: date, columns: Sequence[str] = TASK_COLUMNS, parent=None) -> None:
        super().__init__(parent)
        self.today = today
        self.columns = [COLUMNS[c] for c in columns]
        self._icons: dict[StatusClass, QIcon] = {}
        self._overdue_brush = QBrush(QColor(OVERDUE_BACKGROUND))
        self._overdue_text = QBrush(QColor(OVERDUE_TEXT))

    def row_at(self, row: int) -> TaskRow:
        raise NotImplementedError

    def task_id_at(self, row: int) -> int:
        return self.row_at(row).id

    # ------------------------------------------------------------------ Qt model
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
                return self.columns[section].title
            if orientation == Qt.Orientation.Vertical and 0 <= section < self.rowCount():
                return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None  # the view asks for many roles per cell; most have no answer
        row = self.row_at(index.row())
        key = self.columns[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        overdue = row.status is StatusClass.OPEN_OVERDUE
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "content":
                return row.content
            if key == "supporting_units":
                return "\n".join(row.supporting_units) or None
            if key == "area":
                return area_name(row.area)
            if key in ("status", "due_date") and (overdue or row.pending_due):
                return _deadline_tip(row, self.today) if overdue else _asked_tip(row)
            if key == "completed_on":
                return "Ngày hoàn thành"
            return self._display(row, key) or None
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return self._overdue_brush
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return self._overdue_text
        if role == Qt.ItemDataRole.DecorationRole and key == "status":
            icon = self._icons.get(row.status)
            if icon is None:
                icon = self._icons[row.status] = _dot(STATUS_COLOURS[row.status])
            return icon
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("due_date", "completed_on",
                                                                   "year"):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return self._raw(row, key)
        return None

    def _display(self, row: TaskRow, key: str) -> str:
        if key == "due_date":
            return format_date_vn(row.due_date) if row.due_date else ""
        if key == "completed_on":
            return format_date_vn(row.completed_on) if row.completed_on else ""
        if key == "status":
            label = STATUS_LABELS[row.status]
            return f"{ASKED_MARK} – {label}" if row.pending_due else label
        if key == "supporting_units":
            return ", ".join(row.supporting_units)
        if key == "area":
            return _AREA_SHORT.get(row.area, "") if row.area else ""
        if key == "year":
            return str(row.year)
        if key == "content":
            return " ".join(row.content.split())
        return str(getattr(row, key) or "")

    @staticmethod
    def _raw(row: TaskRow, key: str) -> Any:
        if key == "supporting_units":
            return ", ".join(row.supporting_units)
        if key == "status":
            return list(StatusClass).index(row.status)
        return getattr(row, key)



class TaskTableModel(TaskRowsModel):
    """A short list of task rows given whole (the Tổng quan lists, a few hundred at most),
    sortable by a column's raw values."""

    def __init__(self, today: date, columns: Sequence[str] = TASK_COLUMNS, parent=None) -> None:
        super().__init__(today, columns, parent)
        self._rows: list[TaskRow] = []

    def set_rows(self, rows: list[TaskRow]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> TaskRow:
        return self._rows[row]

    def visible_rows(self) -> list[TaskRow]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].key
        text = key not in ("due_date", "completed_on", "status", "year", "area")

        def sort_key(row: TaskRow) -> Any:
            value = self._raw(row, key)
            return vi_sort_key(value) if text else (value is None, value or 0)

        self.beginResetModel()
        self._rows.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.endResetModel()
