"""Table models over task rows, filtered and sorted in memory for 100,000-row speed.

The rows come from :func:`cchc_desktop.services.task_queries.list_tasks`. A keystroke in
the search box must answer in well under 100 ms on 100,000 tasks, so the model keeps a
folded search key per row (computed once, :func:`search_keys`) and filters a list of row
numbers instead of asking a proxy model 100,000 times. Sorting uses the domain's
Vietnamese sort key on the raw values, cached per column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from cchc_desktop.domain.areas import REFORM_AREAS, area_name
from cchc_desktop.domain.status import STATUS_LABELS, StatusClass, is_done
from cchc_desktop.domain.text import fold, format_date_vn, vi_sort_key
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


def search_key(row: TaskRow) -> str:
    """The folded text a search box looks in: content, output, units, assigner, document."""
    return fold(" ".join((row.content, row.output, row.lead_unit, " ".join(row.supporting_units),
                          row.assigned_by, row.document, row.timing_text)))


def search_keys(rows: Sequence[TaskRow]) -> list[str]:
    return [search_key(r) for r in rows]


def share_strings(rows: Sequence[TaskRow]) -> None:
    """Make equal unit names, assigners, outputs... one string object (saves memory)."""
    pool: dict[str, str] = {}
    get = pool.setdefault
    for r in rows:
        r.lead_unit = get(r.lead_unit, r.lead_unit)
        r.assigned_by = get(r.assigned_by, r.assigned_by)
        r.document = get(r.document, r.document)
        r.output = get(r.output, r.output)
        r.timing_text = get(r.timing_text, r.timing_text)
        r.note = get(r.note, r.note)
        if r.supporting_units:
            r.supporting_units = [get(n, n) for n in r.supporting_units]


@dataclass
class RowFilter:
    """What the filter bar asks for; empty fields do not filter.

    ``unit`` matches the lead unit or any supporting unit (by name). ``area`` 0 means
    "not classified". ``due_within`` keeps open tasks due in the next N days.
    """

    statuses: set[StatusClass] = field(default_factory=set)
    unit: str | None = None
    assigned_by: str | None = None
    area: int | None = None
    year: int | None = None
    due_within: int | None = None
    search: str = ""

    def same_except_search(self, other: RowFilter) -> bool:
        return (self.statuses, self.unit, self.assigned_by, self.area, self.year,
                self.due_within) == (other.statuses, other.unit, other.assigned_by, other.area,
                                     other.year, other.due_within)

    def predicate(self, today: date) -> Callable[[TaskRow], bool] | None:
        tests: list[Callable[[TaskRow], bool]] = []
        if self.statuses:
            wanted = set(self.statuses)
            tests.append(lambda r: r.status in wanted)
        if self.unit:
            unit = self.unit
            tests.append(lambda r: r.lead_unit == unit or unit in r.supporting_units)
        if self.assigned_by:
            by = self.assigned_by
            tests.append(lambda r: r.assigned_by == by)
        if self.area is not None:
            area = self.area or None
            tests.append(lambda r: r.area == area)
        if self.year is not None:
            year = self.year
            tests.append(lambda r: r.year == year)
        if self.due_within is not None:
            end = today + timedelta(days=self.due_within)
            tests.append(lambda r: not is_done(r.status) and r.due_date is not None
                         and today <= r.due_date <= end)
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        return lambda r: all(t(r) for t in tests)


def column_sort_keys(rows: Sequence[TaskRow], key: str) -> list[Any]:
    """Sort keys of one column: dates and numbers as they are (empty last), text in
    Vietnamese alphabetical order (:func:`vi_sort_key`, computed once per distinct value)."""
    values = [TaskTableModel._raw(r, key) for r in rows]
    if key in ("due_date", "completed_on"):
        return [(v is None, v or date.min) for v in values]
    if key in ("status", "year"):
        return values
    if key == "area":
        return [(v is None, v or 0) for v in values]
    distinct: dict[str, Any] = {}
    keys = []
    for v in values:
        k = distinct.get(v)
        if k is None:
            k = distinct[v] = vi_sort_key(v)
        keys.append(k)
    return keys


def ascending_order(rows: Sequence[TaskRow], key: str) -> list[int]:
    """Row numbers in ascending order of column ``key`` (stable: ties keep load order)."""
    keys = column_sort_keys(rows, key)
    return sorted(range(len(rows)), key=keys.__getitem__)


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


class TaskTableModel(QAbstractTableModel):
    """Task rows with in-memory filtering and Vietnamese sorting.

    Attributes:
        today: the as-of date the statuses were computed for (overdue days count from it).
        columns: the keys of :data:`COLUMNS` shown, in order.
    """

    def __init__(self, today: date, columns: Sequence[str] = TASK_COLUMNS, parent=None) -> None:
        super().__init__(parent)
        self.today = today
        self.columns = [COLUMNS[c] for c in columns]
        self._rows: list[TaskRow] = []
        self._keys: list[str] = []
        self._order: list[int] | None = None  # sorted row numbers; None = load order
        self._visible: list[int] = []
        self._filter = RowFilter()
        self._sort_cache: dict[str, list[int]] = {}  # column key → ascending row order
        self._icons: dict[StatusClass, QIcon] = {}
        self._overdue_brush = QBrush(QColor(OVERDUE_BACKGROUND))
        self._overdue_text = QBrush(QColor(OVERDUE_TEXT))
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # ------------------------------------------------------------------ data in
    def set_rows(self, rows: list[TaskRow], keys: list[str] | None = None,
                 orders: dict[str, list[int]] | None = None) -> None:
        """Replace every row (``keys``: their search keys, ``orders``: column key →
        ascending row order, when already computed, e.g. in a background thread)."""
        self.beginResetModel()
        self._rows = rows
        self._keys = keys if keys is not None else search_keys(rows)
        self._sort_cache = dict(orders or {})
        self._order = None
        if self._sort_column >= 0:
            self._order = self._sorted_order(self._sort_column, self._sort_order)
        self._visible = self._compute_visible(self._filter, None)
        self.endResetModel()

    def set_filter(self, flt: RowFilter) -> None:
        """Show only the rows ``flt`` accepts (keeps the current sort order)."""
        old = self._filter
        new_key, old_key = fold(flt.search), fold(old.search)
        self.beginResetModel()
        self._filter = flt
        if flt.same_except_search(old) and new_key.startswith(old_key):
            # Narrowing a search: the rows shown already match every old word, so only
            # the words that are new (or grew) need checking, and only on those rows.
            known = set(old_key.split())
            words = [w for w in new_key.split() if w not in known]
            self._visible = self._search(self._visible, words)
        else:
            self._visible = self._compute_visible(flt, None)
        self.endResetModel()

    @property
    def filter(self) -> RowFilter:
        return self._filter

    def _compute_visible(self, flt: RowFilter, within: list[int] | None) -> list[int]:
        base: Sequence[int] = within if within is not None else (
            self._order if self._order is not None else range(len(self._rows)))
        base = self._search(base, fold(flt.search).split())
        test = flt.predicate(self.today)
        if test is not None:
            rows = self._rows
            base = [i for i in base if test(rows[i])]
        return list(base)

    def _search(self, base, words: list[str]) -> list[int]:
        keys = self._keys
        # One pass per word, longest first: each pass leaves fewer rows for the next.
        for word in sorted(words, key=len, reverse=True):
            base = [i for i in base if word in keys[i]]
        return base if isinstance(base, list) else list(base)

    # ------------------------------------------------------------------ access
    def row_at(self, row: int) -> TaskRow:
        return self._rows[self._visible[row]]

    def task_id_at(self, row: int) -> int:
        return self._rows[self._visible[row]].id

    def row_of_task(self, task_id: int) -> int:
        """The visible row showing ``task_id``, or -1."""
        for n, i in enumerate(self._visible):
            if self._rows[i].id == task_id:
                return n
        return -1

    def all_rows(self) -> list[TaskRow]:
        return self._rows

    def visible_rows(self) -> list[TaskRow]:
        return [self._rows[i] for i in self._visible]

    @property
    def total_count(self) -> int:
        return len(self._rows)

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
                return self.columns[section].title
            if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._visible):
                return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None  # the view asks for many roles per cell; most have no answer
        row = self._rows[self._visible[index.row()]]
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
            if key in ("status", "due_date") and overdue and row.due_date:
                return f"Quá hạn {(self.today - row.due_date).days} ngày"
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
            return STATUS_LABELS[row.status]
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

    # ------------------------------------------------------------------ sorting
    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        # Only the resulting order is cached: Vietnamese sort keys of 100,000 texts are large.
        key = self.columns[column].key
        ascending = self._sort_cache.get(key)
        if ascending is None:
            ascending = self._sort_cache[key] = ascending_order(self._rows, key)
        if order == Qt.SortOrder.DescendingOrder:
            return ascending[::-1]
        return list(ascending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.beginResetModel()
        self._sort_column, self._sort_order = column, order
        self._order = self._sorted_order(column, order)
        self._visible = self._compute_visible(self._filter, None)
        self.endResetModel()
