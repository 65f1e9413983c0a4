"""A plan's tasks under the plan's own groups, as the appendix of a plan lays them out.

A flat table, like the printed appendix: a bold group row per group of the plan (numbered
and titled as the plan writes them), then its tasks in plan order (numbered 1, 2 ... within
it). A plan without groups shows its tasks by CCHC area (I, II ... in the official order),
so tasks can be added to an area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from cchc_desktop.domain import terms
from cchc_desktop.domain.areas import REFORM_AREAS, area_name
from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_date_vn, to_roman
from cchc_desktop.services.task_queries import TaskRow

Index = QModelIndex | QPersistentModelIndex
_INVALID = QModelIndex()

HEADERS = (
    terms.NUMBER, terms.CONTENT, terms.OUTPUT, terms.TIMING, terms.DUE_DATE,
    terms.LEAD_UNIT, terms.SUPPORTING_UNITS, terms.NOTE,
)
GROUP_BACKGROUND = QColor("#e8eef6")
OVERDUE_COLOR = QColor("#c62828")  # as in the Nhiệm vụ tab
DONE_COLOR = QColor("#2e7d32")


@dataclass
class AreaGroup:
    """One group row: its area (None = none), its number, its tasks; ``name`` is the plan's
    own title of the group (None: the area's name), ``shown`` False for the tasks of a
    grouped plan that sit outside any group (no group row above them)."""

    area: int | None
    number: str
    tasks: list[TaskRow] = field(default_factory=list)
    name: str | None = None
    group_id: int | None = None
    shown: bool = True

    @property
    def title(self) -> str:
        return self.name if self.name is not None else area_name(self.area)


def group_by_plan(tasks: list[TaskRow], groups: list[Any]) -> list[AreaGroup]:
    """Tasks (in plan order) under the plan's groups (PlanGroupInfo, in order); every group
    is listed, empty ones too; tasks outside any group come first, without a group row."""
    found = [AreaGroup(g.area, g.number, [], g.title, g.id) for g in groups]
    by_id = {g.group_id: g for g in found}
    outside = AreaGroup(None, "", [], "", None, shown=False)
    for task in tasks:
        by_id.get(task.group_id, outside).tasks.append(task)
    return ([outside] if outside.tasks else []) + found


def group_by_area(tasks: list[TaskRow], *, all_areas: bool = False) -> list[AreaGroup]:
    """Group tasks (already in plan order) by area, areas in the official order.

    With ``all_areas`` the eight areas are listed even when empty, so tasks can be added to them.
    """
    by_area: dict[int | None, list[TaskRow]] = {}
    for task in tasks:
        by_area.setdefault(task.area, []).append(task)
    codes: list[int | None] = [a.code for a in REFORM_AREAS if all_areas or a.code in by_area]
    codes += sorted(c for c in by_area if c is not None and c not in codes)
    if None in by_area:
        codes.append(None)
    return [
        AreaGroup(code, to_roman(n), by_area.get(code, [])) for n, code in enumerate(codes, 1)
    ]


def _due(task: TaskRow) -> str:
    return format_date_vn(task.due_date) if task.due_date else ""


_TASK_TEXT = (
    lambda t, n: str(n),
    lambda t, n: t.content,
    lambda t, n: t.output,
    lambda t, n: t.timing_text,
    lambda t, n: _due(t),
    lambda t, n: t.lead_unit,
    lambda t, n: ", ".join(t.supporting_units),
    lambda t, n: t.note,
)


class PlanTaskModel(QAbstractTableModel):
    """Group rows and task rows in one table. Read-only; edits go through undo commands."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[AreaGroup] = []
        # One entry per row: (group, task or None, number of the task within its group).
        self._rows: list[tuple[AreaGroup, TaskRow | None, int]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    # -- contents
    def set_tasks(self, tasks: list[TaskRow], *, all_areas: bool = False,
                  plan_groups: list[Any] | None = None) -> None:
        self.beginResetModel()
        self._groups = (group_by_plan(tasks, plan_groups) if plan_groups
                        else group_by_area(tasks, all_areas=all_areas))
        self._rows = []
        for group in self._groups:
            if group.shown:
                self._rows.append((group, None, 0))
            self._rows.extend((group, task, n) for n, task in enumerate(group.tasks, 1))
        self.endResetModel()

    def groups(self) -> list[AreaGroup]:
        return list(self._groups)

    def group_rows(self) -> list[int]:
        return [r for r, (_g, task, _n) in enumerate(self._rows) if task is None]

    def group_of(self, index: Index) -> AreaGroup | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()][0]

    def task_of(self, index: Index) -> TaskRow | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()][1]

    def index_of_task(self, task_id: int, column: int = 0) -> QModelIndex:
        for r, (_g, task, _n) in enumerate(self._rows):
            if task is not None and task.id == task_id:
                return self.index(r, column)
        return QModelIndex()

    def index_of_area(self, area: int | None) -> QModelIndex:
        for r, (group, task, _n) in enumerate(self._rows):
            if task is None and group.area == area:
                return self.index(r, 0)
        return QModelIndex()

    # -- Qt model interface
    def rowCount(self, parent: Index = _INVALID) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _INVALID) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        group, task, number = self._rows[index.row()]
        if task is None:
            return self._group_data(group, index.column(), role)
        return self._task_data(task, number, index.column(), role)

    def _group_data(self, group: AreaGroup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return group.number
            if column == 1:
                count = f"  ({len(group.tasks)} nhiệm vụ)" if group.tasks else "  (chưa có nhiệm vụ)"
                return group.title + count
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(GROUP_BACKGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignHCenter if column == 0 else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _task_data(self, task: TaskRow, number: int, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return STATUS_LABELS[task.status]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _TASK_TEXT[column](task, number)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            centred = column in (0, 4)
            horizontal = Qt.AlignmentFlag.AlignHCenter if centred else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            if task.status is StatusClass.OPEN_OVERDUE:
                return QBrush(OVERDUE_COLOR)
            if task.status in (StatusClass.DONE_ON_TIME, StatusClass.DONE_NO_DEADLINE):
                return QBrush(DONE_COLOR)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
        return None
