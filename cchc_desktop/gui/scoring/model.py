"""The criteria tree of the Tự chấm điểm tab as a QAbstractItemModel.

Rows are :class:`cchc_desktop.services.scoring.CriterionRow` objects from
:func:`scoring_view`; a last synthetic row carries the overall totals. Editing a cell
does not write: it calls ``on_edit(code, field, value)``, which runs the service (and
the undo stack) and returns whether the change was accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from cchc_desktop.domain.scoring import parse_points
from cchc_desktop.domain.text import format_number_vi
from cchc_desktop.services.scoring import CriterionRow, ScoringView

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ScoreColumn:
    """A column: key, header, width, the CriterionRow field it edits (or "")."""

    key: str
    title: str
    width: int
    edits: str = ""
    tip: str = ""


COLUMNS: tuple[ScoreColumn, ...] = (
    ScoreColumn("code", "Mã", 118, tip="Mã tiêu chí"),
    ScoreColumn("title", "Tiêu chí", 360),
    ScoreColumn("max", "Tối đa", 62, tip="Điểm tối đa"),
    ScoreColumn("self", "Tự chấm", 74, "self_score", "Điểm tự chấm (bấm đúp hoặc gõ số để sửa)"),
    ScoreColumn("suggested", "Gợi ý", 56, tip="Điểm gợi ý tính từ số liệu nhiệm vụ"),
    ScoreColumn("self_note", "Thuyết minh", 150, "self_note", "Thuyết minh của đơn vị"),
    ScoreColumn("evidence", "TLKC", 52, tip="Số tài liệu kiểm chứng đã gắn với tiêu chí"),
    ScoreColumn("round1", "Vòng 1", 64, "appraised_1", "Điểm thẩm định vòng 1"),
    ScoreColumn("explanation", "Giải trình", 150, "explanation", "Giải trình của Sở"),
    ScoreColumn("round2", "Vòng 2", 64, "appraised_2", "Điểm thẩm định vòng 2"),
    ScoreColumn("council_note", "Ý kiến Hội đồng", 150, "council_note"),
)
COLUMN_KEYS = [c.key for c in COLUMNS]
SCORE_EDITS = {"self_score", "appraised_1", "appraised_2"}
WARN_BG = QColor("#fdecea")
WARN_FG = QColor("#b71c1c")
AREA_BG = QColor("#eef3f9")
TOTAL_BG = QColor("#dfe9f5")
SUGGEST_FG = QColor("#6a1b9a")
EditHandler = Callable[[str, str, object], bool]


def fmt(value: float | None) -> str:
    """Points as the documents write them: "1,5"; "" for no score."""
    if value is None:
        return ""
    text = format_number_vi(value, 3)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


class _Total:
    """The synthetic last row: overall totals."""

    def __init__(self, view: ScoringView) -> None:
        self.view = view


class ScoringTreeModel(QAbstractItemModel):
    """Criteria with max points, scores per round, notes, evidence counts and suggestions.

    Attributes:
        view: the ScoringView shown (None before a framework is loaded).
        on_edit: called for an edit as ``on_edit(code, field, value)``; True = accepted.
    """

    def __init__(self, on_edit: EditHandler | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.view: ScoringView | None = None
        self.on_edit = on_edit
        self._parents: dict[int, CriterionRow | None] = {}
        self._total: _Total | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_view(self, view: ScoringView | None) -> None:
        self.beginResetModel()
        self.view = view
        self._parents = {}
        self._total = _Total(view) if view is not None else None
        if view is not None:
            for root in view.roots:
                self._index_parents(root, None)
        self.endResetModel()

    def _index_parents(self, row: CriterionRow, parent: CriterionRow | None) -> None:
        self._parents[id(row)] = parent
        for child in row.children:
            self._index_parents(child, row)

    # -- structure ------------------------------------------------------------------
    def _children(self, parent: CriterionRow | None) -> list[Any]:
        if self.view is None:
            return []
        if parent is None:
            return [*self.view.roots, self._total]
        return parent.children

    def _item(self, index: Index) -> Any:
        return index.internalPointer() if index.isValid() else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        owner = self._item(parent)
        if isinstance(owner, _Total):
            return QModelIndex()
        children = self._children(owner)
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        item = self._item(index)
        if item is None or isinstance(item, _Total):
            return QModelIndex()
        owner = self._parents.get(id(item))
        if owner is None:
            return QModelIndex()
        grand = self._parents.get(id(owner))
        siblings = self._children(grand)
        position = next(i for i, s in enumerate(siblings) if s is owner)
        return self.createIndex(position, 0, owner)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        item = self._item(parent)
        if isinstance(item, _Total):
            return 0
        return len(self._children(item))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].title
            if role == Qt.ItemDataRole.ToolTipRole:
                return COLUMNS[section].tip or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self._item(index)
        if isinstance(item, CriterionRow) and item.is_leaf and COLUMNS[index.column()].edits:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    # -- data -----------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._item(index)
        key = COLUMNS[index.column()].key
        if isinstance(item, _Total):
            return self._total_data(item.view, key, role)
        row: CriterionRow = item
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, key, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in ("code", "title") \
                and not key.endswith("note") and key != "explanation":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and not row.is_leaf:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            if key == "evidence" and row.missing_evidence:
                return QBrush(WARN_BG)
            if row.depth == 0:
                return QBrush(AREA_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "evidence" and row.missing_evidence:
                return QBrush(WARN_FG)
            if key == "suggested":
                return QBrush(SUGGEST_FG)
        return None

    def _text(self, row: CriterionRow, key: str, editing: bool) -> str:
        if key == "code":
            return row.code
        if key == "title":
            return row.title
        if key == "max":
            prefix = {"bonus": "+", "penalty": "−"}.get(row.kind, "")
            return prefix + fmt(row.max_points)
        if key in ("self", "round1", "round2"):
            if row.is_leaf:
                value = {"self": row.self_score, "round1": row.appraised_1,
                         "round2": row.appraised_2}[key]
                return fmt(value)
            return fmt(row.totals.get(key))
        if key == "suggested":
            if row.suggestion is None or row.suggestion.points is None:
                return ""
            return fmt(row.suggestion.points)
        if key == "evidence":
            if not row.evidence_count and not row.missing_evidence:
                return ""
            return f"{row.evidence_count} ⚠" if row.missing_evidence else str(row.evidence_count)
        return str(getattr(row, key) or "")

    def _tooltip(self, row: CriterionRow, key: str) -> str | None:
        if key == "suggested" and row.suggestion is not None:
            return row.suggestion.explain()
        if key == "evidence" and row.missing_evidence:
            return "Có điểm tự chấm nhưng chưa có tài liệu kiểm chứng: dễ bị trừ điểm khi thẩm định."
        if key == "title":
            parts = [row.title]
            if row.guidance:
                parts.append(f"Hướng dẫn chấm: {row.guidance}")
            if row.evidence_hint:
                parts.append(f"Tài liệu kiểm chứng: {row.evidence_hint}")
            return "\n".join(parts)
        if key in ("self", "round1", "round2") and row.is_leaf:
            return f"Từ 0 đến {fmt(row.max_points)} điểm (số thập phân như 0,25)"
        return None

    def _total_data(self, view: ScoringView, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "title":
                return "TỔNG ĐIỂM"
            if key == "max":
                return fmt(view.max_total)
            if key in ("self", "round1", "round2"):
                return fmt(view.totals.get(key))
            if key == "evidence":
                missing = len(view.missing_evidence())
                return f"{missing} ⚠" if missing else ""
            return ""
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(TOTAL_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in ("code", "title"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "evidence":
            codes = ", ".join(r.code for r in view.missing_evidence())
            return f"Tiêu chí có điểm nhưng chưa có tài liệu kiểm chứng: {codes}" if codes else None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        row: CriterionRow = self._item(index)
        field = COLUMNS[index.column()].edits
        new: object
        if field in SCORE_EDITS:
            text = str(value).strip()
            new = None if not text else parse_points(text)
            if text and new is None:
                new = text  # the handler reports "not a number"
        else:
            new = str(value)
        if self.on_edit is None:
            return False
        return bool(self.on_edit(row.code, field, new))

    # -- helpers for the tab and tests ------------------------------------------------
    def find(self, code: str, column: str = "code") -> QModelIndex:
        """The index of criterion ``code`` in ``column`` (invalid when absent)."""
        col = COLUMN_KEYS.index(column)

        def search(parent: QModelIndex) -> QModelIndex:
            for r in range(self.rowCount(parent)):
                idx = self.index(r, 0, parent)
                item = self._item(idx)
                if isinstance(item, CriterionRow):
                    if item.code == code:
                        return self.index(r, col, parent)
                    found = search(idx)
                    if found.isValid():
                        return found
            return QModelIndex()

        return search(QModelIndex())

    def total_index(self, column: str) -> QModelIndex:
        """The index of the overall-total row in ``column``."""
        if self.view is None:
            return QModelIndex()
        return self.index(len(self.view.roots), COLUMN_KEYS.index(column))
