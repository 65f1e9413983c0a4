"""The import preview's editable guesses: each group's CCHC area, each unknown unit name.

Two small table models and the combo-box delegate that edits their last column. The dialog
(gui/import_dialog.py) passes what the user chose back to the import service.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from cchc_desktop.domain.areas import REFORM_AREAS, area_label
from cchc_desktop.services.import_report import GroupPreview, UnitChoice, UnknownUnit

__all__ = ["CHOICES_ROLE", "ChoiceDelegate", "GroupsModel", "UnknownUnitsModel"]

_Index = QModelIndex | QPersistentModelIndex
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 1  # [(label, value)] the editor offers
_UNDECIDED = "Chưa chọn: hãy chọn đơn vị hoặc tạo mới"


class _ChoiceModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == len(self.HEADERS) - 1 \
            else base


class GroupsModel(_ChoiceModel):
    """The plan's groups as read, each with its CCHC area (suggested from the title; the last
    column is editable, "Không thuộc lĩnh vực nào" included).

    Attributes:
        items: the report's GroupPreview list; ``area``/``chosen`` follow the user's edits.
    """

    HEADERS = ("Dòng", "Nhóm (như trong kế hoạch)", "Số nhiệm vụ", "Lĩnh vực CCHC")
    CHOICES = [(area_label(None), None)] + [(area_label(a.code), a.code) for a in REFORM_AREAS]

    def chosen_areas(self) -> dict[int, int | None]:
        """Group row number → area, for the groups whose area the user chose."""
        return {g.row: g.area for g in self.items if g.chosen}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        g: GroupPreview = self.items[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 3:
                return area_label(g.area) + ("" if g.chosen else " (gợi ý)")
            return (str(g.row), g.label(), str(g.tasks))[col]
        if role == Qt.ItemDataRole.EditRole and col == 3:
            return g.area
        if role == CHOICES_ROLE and col == 3:
            return self.CHOICES
        return None

    def setData(self, index: _Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 3 or role != Qt.ItemDataRole.EditRole:
            return False
        if value is not None and value not in {a.code for a in REFORM_AREAS}:
            return False
        g: GroupPreview = self.items[index.row()]
        g.area, g.chosen = value, True
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True


class UnknownUnitsModel(_ChoiceModel):
    """Unit names the catalogue does not know, with what to do with each: use a known unit
    (remembered as its alias for the next import) or create it.

    Attributes:
        items: the report's UnknownUnit list; ``choice`` follows the user's edits.
        unit_names: every known unit, offered after the suggestions.
    """

    HEADERS = ("Tên trong tệp", "Dòng", "Gợi ý", "Xử lý")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit_names: list[str] = []

    def choices(self) -> dict[str, UnitChoice]:
        """Written name → the user's choice, for the names decided."""
        return {u.written: u.choice for u in self.items if u.choice is not None}

    def create_all(self) -> None:
        """Create every name not decided yet."""
        for u in self.items:
            if u.choice is None:
                u.choice = UnitChoice("create")
        if self.items:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.items) - 1, 3))

    def _options(self, u: UnknownUnit) -> list[tuple[str, UnitChoice]]:
        names = list(dict.fromkeys([*u.suggestions, *self.unit_names]))
        return [("Tạo đơn vị mới", UnitChoice("create"))] + [
            (f"Là đơn vị: {n}", UnitChoice("map", n)) for n in names]

    @staticmethod
    def describe(choice: UnitChoice | None) -> str:
        if choice is None:
            return _UNDECIDED
        return "Tạo đơn vị mới" if choice.action == "create" else f"Là đơn vị: {choice.unit}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        u: UnknownUnit = self.items[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            rows = ", ".join(str(r) for r in u.rows[:20]) + ("..." if len(u.rows) > 20 else "")
            return (u.written, rows, "; ".join(u.suggestions) or "—",
                    self.describe(u.choice))[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and u.choice is None:
            return QColor("#c62828")
        if role == Qt.ItemDataRole.EditRole and col == 3:
            return u.choice
        if role == CHOICES_ROLE and col == 3:
            return self._options(u)
        return None

    def setData(self, index: _Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 3 or role != Qt.ItemDataRole.EditRole:
            return False
        if value is not None and not isinstance(value, UnitChoice):
            return False
        self.items[index.row()].choice = value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of the (label, value) pairs the model gives under
    CHOICES_ROLE."""

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem,  # noqa: N802
                     index: _Index) -> QWidget:
        combo = QComboBox(parent)
        for label, value in index.data(CHOICES_ROLE) or []:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        current = index.data(Qt.ItemDataRole.EditRole)
        for i in range(editor.count()):
            if editor.itemData(i) == current:
                editor.setCurrentIndex(i)
                return

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
