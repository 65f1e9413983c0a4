"""Tự chấm điểm: the year's PAR INDEX criteria, self scores, appraisal rounds, index results.

Everything is read and written through :mod:`cchc_desktop.services.scoring` and
:mod:`~cchc_desktop.services.framework_edit`; a score edit is an undoable
:class:`SetScoreCommand` on the window's undo stack, and so is every edit of the criteria
(:mod:`cchc_desktop.gui.scoring.criterion_commands`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.operations import run_write
from cchc_desktop.gui.common.stack_or_tabs import StackOrTabs
from cchc_desktop.gui.common.tab_refresh import announce_change
from cchc_desktop.gui.common.undo import ServiceCommand, run_command
from cchc_desktop.gui.scoring.criterion_commands import (
    AddCriterionCommand,
    DeleteCriterionCommand,
    EditCriterionCommand,
)
from cchc_desktop.gui.scoring.criterion_dialog import CriterionDialog
from cchc_desktop.gui.scoring.index_panel import IndexPanel
from cchc_desktop.gui.scoring.model import COLUMNS, ROW_ROLE, ScoringTreeModel, fmt
from cchc_desktop.services import scoring as scoring_service
from cchc_desktop.services.scoring import CriterionRow, ScoringView
from cchc_desktop.store.file_errors import cannot_write

FIELD_LABELS = {
    "self_score": "điểm tự chấm", "appraised_1": "điểm thẩm định vòng 1",
    "appraised_2": "điểm thẩm định vòng 2", "self_note": "thuyết minh",
    "explanation": "giải trình", "council_note": "ý kiến Hội đồng",
}
_ROUND_OF = {"self_score": "self", "appraised_1": "1", "appraised_2": "2"}


def write_field(session, year: int, code: str, field: str, value: object) -> None:  # noqa: ANN001
    """Store one edited cell through the scoring service."""
    if field in _ROUND_OF:
        if isinstance(value, str):
            raise UserError(f"Điểm '{value}' không phải là số.")
        scoring_service.set_score(session, year, code, score=value, round_name=_ROUND_OF[field])
    elif field == "self_note":
        scoring_service.set_score(session, year, code, note=str(value))
    elif field == "council_note":
        scoring_service.set_score(session, year, code, note=str(value), round_name="1")
    elif field == "explanation":
        scoring_service.set_score(session, year, code, explanation=str(value))
    else:
        raise ValueError(field)


class SetScoreCommand(QUndoCommand):
    """Change one field of a criterion's score; undo restores the old value.

    Attributes: ``error`` (the Vietnamese reason when the first redo was refused).
    """

    def __init__(self, ctx: GuiContext, year: int, code: str, field: str,
                 old: object, new: object) -> None:
        super().__init__(f"Sửa {FIELD_LABELS.get(field, field)} tiêu chí {code}")
        self.ctx, self.year, self.code, self.field = ctx, year, code, field
        self.old, self.new = old, new
        self.error = ""
        self._done_once = False

    def _apply(self, value: object) -> None:
        try:
            with self.ctx.db.session() as session:
                write_field(session, self.year, self.code, self.field, value)
        except UserError as exc:
            self.error = exc.message
            if not self._done_once:
                self.setObsolete(True)
            return
        self._done_once = True
        self.ctx.notify_changed()

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class ScoringTab(QWidget):
    """The Tự chấm điểm tab.

    Attributes:
        year: year selector; model/tree: the criteria tree; summary: totals line;
        warning: the missing-evidence / template banner; index_panel: index results and chart;
        view: the ScoringView shown (None when the year has no framework).
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: ScoringView | None = None
        self._collapsed: set[str] = set()
        self._build()
        self.refresh()

    # -- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("Tự chấm điểm Chỉ số cải cách hành chính")
        title.setObjectName("pageTitle")
        title.setWordWrap(True)  # two lines rather than cut, on a narrow window
        self.year = QComboBox()
        self.year.setMinimumWidth(90)
        self.year.currentIndexChanged.connect(lambda _i: self._load())
        self.import_button = QPushButton("Nhập bộ tiêu chí...")
        self.import_button.setToolTip("Nhập từ tệp Excel (.xlsx) có các cột Mã, Tiêu chí, "
                                      "Điểm tối đa, Hướng dẫn chấm, Tài liệu kiểm chứng; hoặc JSON")
        self.import_button.clicked.connect(self.import_framework)
        self.template_button = QPushButton("Dùng bộ tiêu chí mẫu")
        self.template_button.clicked.connect(self.load_template)
        self.copy_button = QPushButton("Sao chép sang năm sau")
        self.copy_button.clicked.connect(self.copy_to_next_year)
        self.edit_menu = QMenu(self)
        self.edit_action = self.edit_menu.addAction("Sửa tiêu chí đang chọn...",
                                                    self.edit_selected)
        self.add_child_action = self.edit_menu.addAction("Thêm tiêu chí con...", self.add_child)
        self.add_top_action = self.edit_menu.addAction("Thêm lĩnh vực / nhóm điểm thưởng, trừ...",
                                                       self.add_top)
        self.export_action = self.edit_menu.addAction("Xuất bộ tiêu chí ra Excel...",
                                                      self.export_framework)
        self.edit_menu.addSeparator()
        self.delete_action = self.edit_menu.addAction("Xóa tiêu chí đang chọn...",
                                                      self.delete_selected)
        for action, tip in (
            (self.edit_action, "Sửa tên, điểm tối đa, cách chấm của tiêu chí đang chọn"),
            (self.add_child_action, "Thêm một tiêu chí con dưới tiêu chí đang chọn"),
            (self.add_top_action, "Thêm một lĩnh vực, hoặc nhóm điểm thưởng, điểm trừ"),
            (self.export_action, "Ghi bộ tiêu chí của năm ra tệp Excel"),
            (self.delete_action, "Xóa tiêu chí đang chọn cùng các tiêu chí con (hỏi trước)"),
        ):
            action.setStatusTip(tip)
            action.setToolTip(tip)
        self.edit_menu.setToolTipsVisible(True)
        self.edit_button = QPushButton("Sửa bộ tiêu chí")
        self.edit_button.setMenu(self.edit_menu)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(QLabel("Năm:"))
        top.addWidget(self.year)
        top.addSpacing(8)
        for button in (self.edit_button, self.import_button, self.template_button,
                       self.copy_button):
            top.addWidget(button)

        self.framework_label = QLabel()
        self.framework_label.setObjectName("hint")
        self.framework_label.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("scoreSummary")
        self.summary.setStyleSheet("QLabel#scoreSummary { font-size: 11pt; padding: 2px 0; }")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "QLabel { background: #fff4e5; color: #8a4b00; border: 1px solid #ffd699;"
            " border-radius: 4px; padding: 5px 8px; }"
        )

        self.model = ScoringTreeModel(self._edit, self)
        self.tree = QTreeView()
        self.tree.setObjectName("scoring_tree")
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(14)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.tree.setStyleSheet(
            "QTreeView { background: #ffffff; alternate-background-color: #f8fafc;"
            " border: 1px solid #dfe3e8; }"
        )
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, spec in enumerate(COLUMNS):
            self.tree.setColumnWidth(column, spec.width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(
            lambda pos: self.edit_menu.exec(self.tree.viewport().mapToGlobal(pos)))
        self.tree.collapsed.connect(lambda i: self._collapsed.add(self._code(i)))
        self.tree.expanded.connect(lambda i: self._collapsed.discard(self._code(i)))

        self.index_panel = IndexPanel(self.ctx, self)
        # On a short window (1366×768 at 125%) the criteria and the index results take
        # turns on two tabs: one above the other, the criteria showed two rows.
        self.parts = StackOrTabs((self.tree, "Tiêu chí chấm điểm"),
                                 (self.index_panel, "Kết quả các chỉ số đã công bố"),
                                 tabbed_below=400)
        splitter = self.parts.splitter
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 230])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.framework_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self.parts, 1)

    def _code(self, index: QModelIndex) -> str:
        row = self.model.data(index.siblingAtColumn(0), ROW_ROLE)
        return row.code if row is not None else ""

    # -- loading ----------------------------------------------------------------------
    def selected_year(self) -> int:
        data = self.year.currentData()
        return int(data) if data is not None else self.ctx.today().year

    def refresh(self) -> None:
        """Reload the years, the tree and the index results."""
        with self.ctx.db.session() as session:
            years = set(scoring_service.framework_years(session))
        this_year = self.ctx.today().year
        years |= {this_year, this_year - 1}
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for y in sorted(years, reverse=True):
            self.year.addItem(str(y), y)
        wanted = current if current in years else this_year
        self.year.setCurrentIndex(self.year.findData(wanted))
        self.year.blockSignals(False)
        self._load()
        self.index_panel.refresh()

    def _load(self) -> None:
        year = self.selected_year()
        current = self.tree.currentIndex()
        keep = (self._code(current), current.column()) if current.isValid() else None
        try:
            with self.ctx.db.session() as session:
                view = scoring_service.scoring_view(session, year, today=self.ctx.today())
        except UserError:
            view = None
        self.view = view
        self.model.set_view(view)
        self.tree.expandAll()
        for code in list(self._collapsed):
            index = self.model.find(code)
            if index.isValid():
                self.tree.collapse(index.siblingAtColumn(0))
        if keep is not None and keep[0]:
            index = self.model.find(keep[0])
            if index.isValid():
                self.tree.setCurrentIndex(index.siblingAtColumn(keep[1]))
        self._show_summary(year)

    def _show_summary(self, year: int) -> None:
        view = self.view
        self.copy_button.setEnabled(view is not None)
        self.edit_button.setEnabled(view is not None)
        if view is None:
            self.framework_label.setText(
                f"Năm {year} chưa có bộ tiêu chí. Hãy nhập bộ tiêu chí theo Quyết định của "
                "UBND tỉnh, hoặc dùng bộ tiêu chí mẫu rồi điều chỉnh."
            )
            self.summary.setText("")
            self.warning.hide()
            return
        self.framework_label.setText(f"{view.name} — số liệu nhiệm vụ tính đến "
                                     f"{view.as_of:%d/%m/%Y}")
        t = view.totals
        parts = [f"<b>Tổng điểm tự chấm: {fmt(t['self']) or '0'} / {fmt(view.max_total)}</b>"]
        if t["round1"] is not None:
            parts.append(f"Thẩm định vòng 1: <b>{fmt(t['round1'])}</b>")
        if t["round2"] is not None:
            parts.append(f"Vòng 2: <b>{fmt(t['round2'])}</b>")
        self.summary.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))
        notes = []
        missing = view.missing_evidence()
        if missing:
            codes = ", ".join(r.code for r in missing[:12]) + (" ..." if len(missing) > 12 else "")
            notes.append(f"⚠ {len(missing)} tiêu chí có điểm nhưng chưa có tài liệu kiểm chứng: "
                         f"{codes}. Hãy bổ sung trước khi gửi Sở Nội vụ.")
        if view.is_template:
            notes.append("Đây là bộ tiêu chí MẪU: điều chỉnh theo Quyết định của UBND tỉnh "
                         "trước khi chấm điểm chính thức.")
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))

    # -- editing ----------------------------------------------------------------------
    def _edit(self, code: str, field: str, value: object) -> bool:
        if self.view is None:
            return False
        row = next((r for r in self.view.walk() if r.code == code), None)
        if row is None:
            return False
        old = getattr(row, field)
        if old == value:
            return False
        command = SetScoreCommand(self.ctx, self.view.year, code, field, old, value)
        self.ctx.undo_stack.push(command)
        if command.error:
            dialogs.show_error(self, command.error)
            return False
        if not self.ctx.data_changed:
            self._load()  # standalone (tests): nobody else refreshes us
        return True

    def import_framework(self) -> bool:
        """Ask for an .xlsx/.json framework file and import it for the selected year."""
        path = dialogs.open_file(self, "Nhập bộ tiêu chí chấm điểm",
                                 "Bộ tiêu chí (*.xlsx *.json);;Tất cả (*)")
        return path is not None and self._import(path)

    def _import(self, path: Path) -> bool:
        year = self.selected_year()
        try:
            name, specs = scoring_service.read_framework_file(path)
            replace = self._ask_replace(year)
            if replace is None:
                return False
            with self.ctx.db.session() as session:
                scoring_service.import_framework(session, year, specs, name=name,
                                                 source=path.name, replace=replace)
        except UserError as exc:
            details = "\n".join(getattr(exc, "problems", []))
            dialogs.show_error(self, exc.message, details)
            return False
        self._changed(f"Đã nhập bộ tiêu chí năm {year}: {len(specs)} tiêu chí.")
        return True

    def _ask_replace(self, year: int) -> bool | None:
        """False when the year is free, True to replace after asking, None when declined."""
        if self.view is None or self.view.year != year:
            return False
        if dialogs.confirm(self, f"Năm {year} đã có bộ tiêu chí. Thay bằng bộ mới? Điểm đã chấm "
                                 "và liên kết tài liệu kiểm chứng của năm này sẽ bị xóa "
                                 "(tệp vẫn được giữ).", danger=True):
            return True
        return None

    def load_template(self) -> bool:
        """Load the shipped template framework for the selected year."""
        year = self.selected_year()
        replace = self._ask_replace(year)
        if replace is None:
            return False
        if not run_write(
            self, self.ctx, lambda session: scoring_service.load_template(session, year, replace=replace)
        ):
            return False
        self._changed(f"Đã nạp bộ tiêu chí mẫu cho năm {year}.")
        return True

    def copy_to_next_year(self) -> bool:
        """Copy the selected year's criteria to the next year and show that year."""
        year = self.selected_year()
        if not run_write(
            self, self.ctx, lambda session: scoring_service.copy_framework(session, year, year + 1)
        ):
            return False
        self.year.blockSignals(True)
        if self.year.findData(year + 1) < 0:
            self.year.insertItem(0, str(year + 1), year + 1)
        self.year.setCurrentIndex(self.year.findData(year + 1))
        self.year.blockSignals(False)
        self._changed(f"Đã sao chép bộ tiêu chí năm {year} sang năm {year + 1}.")
        return True

    # -- editing the framework ------------------------------------------------------------
    def selected_row(self) -> CriterionRow | None:
        index = self.tree.currentIndex()
        return self.model.data(index.siblingAtColumn(0), ROW_ROLE) if index.isValid() else None

    def _framework_change(self, command: ServiceCommand, message: str) -> bool:
        """Run an undoable criteria edit; a refusal is shown with its list of problems."""
        if not run_command(self, command):
            return False
        self.ctx.show_message(message)
        if not self.ctx.data_changed:
            self.refresh()  # standalone (tests): nobody else refreshes us
        return True

    def edit_selected(self) -> bool:
        """Edit the selected criterion's name, max points, guidance and rule."""
        row = self.selected_row()
        if row is None or self.view is None:
            return False
        dialog = CriterionDialog(f"Sửa tiêu chí {row.code}", row, code=row.code,
                                 max_editable=row.is_leaf or row.kind != "normal", parent=self)
        if not dialog.exec():
            return False
        command = EditCriterionCommand(self.ctx, self.view.year, row.code, dialog.fields())
        return self._framework_change(command, f"Đã sửa tiêu chí {row.code}.")

    def add_child(self) -> bool:
        """Add a sub-criterion under the selected criterion."""
        row = self.selected_row()
        if row is None or self.view is None:
            return False
        return self._add(row.code, f"{row.code}.…")

    def add_top(self) -> bool:
        """Add an area, or a bonus/penalty group, at the top level."""
        return self.view is not None and self._add(None, "(mã mới)")

    def _add(self, parent_code: str | None, code_label: str) -> bool:
        year = self.view.year if self.view else self.selected_year()
        dialog = CriterionDialog("Thêm tiêu chí", None, code=code_label, max_editable=True,
                                 kind_editable=parent_code is None, parent=self)
        if not dialog.exec():
            return False
        command = AddCriterionCommand(self.ctx, year, parent_code, dialog.fields())
        return self._framework_change(command, "Đã thêm tiêu chí.")

    def delete_selected(self) -> bool:
        """Remove the selected criterion and its sub-criteria, after asking (undoable)."""
        row = self.selected_row()
        if row is None or self.view is None:
            return False
        extra = " và các tiêu chí con" if row.children else ""
        if not dialogs.confirm(self, f"Xóa tiêu chí {row.code} “{row.title}”{extra}? Điểm đã "
                                     "chấm và liên kết tài liệu kiểm chứng của các tiêu chí này "
                                     "sẽ bị xóa (tệp vẫn được giữ).\n\nCó thể hoàn tác bằng "
                                     "Ctrl+Z.", danger=True):
            return False
        command = DeleteCriterionCommand(self.ctx, self.view.year, row.code, row.title)
        return self._framework_change(command, f"Đã xóa tiêu chí {row.code}. "
                                               "Nhấn Ctrl+Z để hoàn tác.")

    def export_framework(self) -> bool:
        """Save the year's criteria as .xlsx (the import format) to adjust them in Excel."""
        if self.view is None:
            return False
        year = self.view.year
        path = dialogs.save_file(self, "Xuất bộ tiêu chí", "Excel (*.xlsx)",
                                 f"Bo_tieu_chi_{year}.xlsx", suffix="xlsx")
        if path is None:
            return False
        return self.write_framework_xlsx(path)

    def write_framework_xlsx(self, path: Path) -> bool:
        """Write the shown year's criteria to ``path``."""
        if self.view is None:
            return False
        try:
            with self.ctx.db.session() as session:
                count = scoring_service.export_framework_xlsx(session, self.view.year, path)
        except (UserError, OSError) as exc:
            message = getattr(exc, "message", None)
            if message is None and isinstance(exc, OSError):
                message = cannot_write(exc, path).message
            dialogs.show_error(self, message or "Không ghi được tệp.")
            return False
        self.ctx.show_message(f"Đã xuất {count} tiêu chí ra {path}")
        dialogs.offer_open(self, path, f"Đã xuất {count} tiêu chí ra tệp:\n{path}")
        return True

    def _changed(self, message: str) -> None:
        announce_change(self, message)
