"""Import and export of task and document lists (Excel), from the File menu.

Import: choose a file (Excel, LibreOffice or a Word plan) or paste a table copied in Word or
Excel; a dry run shows what would happen and every guess it made (rows to add, update, leave
unchanged; bad rows with their sheet row numbers; the plan's groups and the CCHC area each
suggests, editable; how each timing was read; unit names the catalogue does not know, each
to map to a unit or create), then "Nhập" writes everything in one transaction. The work runs off the GUI thread through
:func:`cchc_desktop.gui.common.jobs.run_with_progress`; the rules live in
:mod:`cchc_desktop.services.imports`, shared with ``cchc import``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain import terms
from cchc_desktop.domain.areas import REFORM_AREAS
from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.errors import check_cancelled
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.jobs import Report, Work, run_with_progress
from cchc_desktop.gui.common.row_model import RowTableModel
from cchc_desktop.gui.tasks.import_choices import ChoiceDelegate, GroupsModel, UnknownUnitsModel
from cchc_desktop.importers.cells import cell_date
from cchc_desktop.importers.pasted import PASTED_NAME, pasted_sheet
from cchc_desktop.importers.sheet import EXCEL_SUFFIXES, SheetData
from cchc_desktop.services.import_report import ImportReport, ImportRow, UnitSuggestion
from cchc_desktop.store.file_errors import written_atomically

__all__ = [
    "ImportDialog",
    "ProblemsModel",
    "SuggestionsModel",
    "export_documents",
    "export_tasks",
    "import_documents",
    "import_tasks",
    "paste_tasks",
]

# Every format the reader accepts (.xlsm too), so the dialog never hides a readable file.
SHEET_FILTER = (
    "Bảng tính Excel, LibreOffice ("
    + " ".join(f"*{suffix}" for suffix in EXCEL_SUFFIXES)
    + ");;Tất cả các tệp (*)"
)
TASK_FILTER = (
    "Bảng tính hoặc tài liệu Word ("
    + " ".join(f"*{suffix}" for suffix in (*EXCEL_SUFFIXES, ".docx", ".doc"))
    + ");;Tất cả các tệp (*)"
)
XLSX_FILTER = "Bảng tính Excel (*.xlsx)"
WORD_SUFFIXES = (".docx", ".doc")
_Index = QModelIndex | QPersistentModelIndex


class ProblemsModel(RowTableModel):
    """Bad rows of a sheet: "Dòng" (the sheet's own row number) and "Lý do"."""

    HEADERS = ("Dòng", "Lý do")

    def prepare(self, rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
        return sorted(rows)

    def set_problems(self, problems: list[tuple[int, str]]) -> None:
        self.set_rows(problems)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, reason = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(row) if index.column() == 0 else reason
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None



AREA_SHORT = {area.code: area.short for area in REFORM_AREAS}


def _timing_and_due(row: ImportRow) -> str:
    """"Quý III (30/09/2025)": the timing as written and the due date it gives; a timing
    that is itself that date is shown once."""
    due = format_date_vn(row.due) if row.due else ""
    if not row.timing or not due:
        return row.timing or due
    try:
        same = cell_date(row.timing) == row.due
    except ValueError:
        same = False
    return due if same else f"{row.timing} ({due})"


class PreviewModel(RowTableModel):
    """Every task row read, as it will be imported: what happens to it, its group, the units
    its cells were read as (the cell as written in the tooltip) and how its timing was read."""

    HEADERS = ("Dòng", "Xử lý", "Nhóm", "Lĩnh vực", terms.TASK_CONTENT, terms.LEAD_UNIT,
               terms.SUPPORTING_UNITS, "Thời gian / thời hạn", "Cách hiểu thời hạn")
    ACTION_COLOURS = {"thêm": "#2e7d32", "cập nhật": "#1565c0", "không đổi": "#78909c",
                      "lỗi": "#c62828"}

    def _text(self, r: ImportRow, column: int, tooltip: bool) -> str:
        if column == 7:
            return _timing_and_due(r)
        if column == 4:
            return r.content if tooltip else " ".join(r.content.split())
        if column == 5:
            read = r.lead_units or r.lead
            return f"{read}\n(trong tệp: {r.lead})" if tooltip and r.lead != read else read
        if column == 6:
            read = r.support_units or r.support
            return f"{read}\n(trong tệp: {r.support})" if tooltip and r.support != read else read
        if column == 8:
            return r.timing_reading
        area = AREA_SHORT.get(r.area, "") if r.area is not None else ""
        return (str(r.row), r.action, r.group, area)[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r: ImportRow = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(r, column, role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(self.ACTION_COLOURS.get(r.action, "#263238"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 8 and not r.timing_understood:
            return QColor("#c62828")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def set_group_area(self, group: str, area: int | None) -> None:
        """Show the area the user chose for a group on its rows."""
        for r in self.rows:
            if r.group == group:
                r.area = area
        if self.rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.rows) - 1, 3))


class SuggestionsModel(QAbstractTableModel):
    """Unit names equal to a known unit only without diacritics; tick "Gộp" to merge.

    Attributes:
        suggestions: the report's suggestions; ``merged`` follows the tick boxes.
    """

    HEADERS = ("Gộp", "Tên trong tệp", "Đơn vị đã có", "Dòng")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestions: list[UnitSuggestion] = []

    def set_suggestions(self, suggestions: list[UnitSuggestion]) -> None:
        self.beginResetModel()
        self.suggestions = list(suggestions)
        self.endResetModel()

    def merged_names(self) -> set[str]:
        """The written names the user chose to merge into the known unit."""
        return {s.written for s in self.suggestions if s.merged}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.suggestions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s = self.suggestions[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if s.merged else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 1:
                return s.written
            if col == 2:
                return s.existing
            if col == 3:
                return ", ".join(str(r) for r in s.rows[:20]) + ("..." if len(s.rows) > 20 else "")
        return None

    def setData(self, index: _Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        self.suggestions[index.row()].merged = checked
        self.dataChanged.emit(index, index, [role])
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


def _table(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    view.setWordWrap(True)
    return view


class ImportDialog(QDialog):
    """The preview of an import and its "Nhập" button.

    Attributes:
        kind: "tasks" or "documents"; source: the chosen file, or the pasted table
        (a SheetData); source_name: how messages name it.
        report: the last dry-run report (None until :meth:`preview` succeeded).
        imported: the report of the real import once "Nhập" succeeded.
        plan_combo: the plan new tasks go to (tasks only).
        preview_model: every task row read and what will happen to it (tasks only);
        problems_model, suggestions_model: bad rows, unit names to confirm;
        summary: the report's text.
    """

    def __init__(self, ctx: GuiContext, source: Path | SheetData, kind: str = "tasks",
                 parent: QWidget | None = None, *, plan_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        pasted = isinstance(source, SheetData)
        self.source: Path | SheetData = source
        self.source_name = PASTED_NAME if pasted else f"tệp {Path(str(source)).name}"
        # What the user fixes and how they try again, in the messages below.
        self._fix = "sửa bảng rồi dán lại" if pasted else "sửa tệp rồi nhập lại"
        self._what = "Bảng" if pasted else "Tệp"
        self.report: ImportReport | None = None
        self.imported: ImportReport | None = None
        noun = "nhiệm vụ" if kind == "tasks" else "văn bản"
        self.setWindowTitle(f"Dán {noun} từ bảng đã sao chép" if pasted
                            else f"Nhập {noun} từ {self.source_name}")
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.plan_combo = QComboBox()
        self.table_combo = QComboBox()
        if kind == "tasks":
            self._fill_plans()
            self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(plan_id)))
            form.addRow("Đưa vào kế hoạch:", self.plan_combo)
            self.plan_combo.currentIndexChanged.connect(lambda _i: self.preview())
            if not pasted and Path(str(source)).suffix.lower() in WORD_SUFFIXES:
                form.addRow("Bảng trong tài liệu:", self.table_combo)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.preview_model = PreviewModel(self)
        self.preview_view = _table(self.preview_model)
        header = self.preview_view.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in ((1, 80), (2, 110), (4, 160), (5, 160), (6, 170)):
            self.preview_view.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.preview_view.setVisible(kind == "tasks")
        layout.addWidget(self.preview_view, 3)
        self.problems_label = QLabel(
            f"<b>Các dòng chưa hợp lệ</b> (chưa nhập dòng nào; hãy {self._fix}):"
        )
        self.problems_model = ProblemsModel(self)
        self.problems_view = _table(self.problems_model)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems_view, 2)
        self.suggestions_label = QLabel(
            "<b>Tên đơn vị gần giống đơn vị đã có</b> (chỉ khác dấu). Đánh dấu \"Gộp\" để dùng "
            "đơn vị đã có; không đánh dấu thì tạo đơn vị mới đúng như trong tệp:"
        )
        self.suggestions_label.setWordWrap(True)
        self.suggestions_model = SuggestionsModel(self)
        self.suggestions_view = _table(self.suggestions_model)
        layout.addWidget(self.suggestions_label)
        layout.addWidget(self.suggestions_view, 1)
        self._choices_widgets(layout)
        self.suggestions_model.dataChanged.connect(lambda *_a: self._merges_decide_units())
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.commit)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

    def _choices_widgets(self, layout: QVBoxLayout) -> None:
        """The editable guesses: groups and their areas, unknown unit names."""
        self.delegate = ChoiceDelegate(self)
        self.groups_label = QLabel(
            "<b>Các nhóm của kế hoạch</b> (giữ nguyên số thứ tự và tên như trong kế hoạch). "
            "Lĩnh vực CCHC được gợi ý theo tên nhóm; bấm đúp để sửa:")
        self.groups_label.setWordWrap(True)
        self.groups_model = GroupsModel(self)
        self.groups_view = _table(self.groups_model)
        self.groups_view.setItemDelegateForColumn(3, self.delegate)
        self.groups_view.setColumnWidth(1, 420)
        self.groups_model.dataChanged.connect(self._group_area_changed)
        layout.addWidget(self.groups_label)
        layout.addWidget(self.groups_view, 1)
        self.units_label = QLabel(
            "<b>Tên đơn vị chưa có trong danh mục</b>: không tạo tự động. Bấm đúp vào cột "
            "\"Xử lý\" để chọn đơn vị tương ứng (được ghi nhớ làm tên gọi khác cho lần nhập "
            "sau) hoặc tạo đơn vị mới:")
        self.units_label.setWordWrap(True)
        self.units_model = UnknownUnitsModel(self)
        self.units_view = _table(self.units_model)
        self.units_view.setItemDelegateForColumn(3, self.delegate)
        self.units_model.dataChanged.connect(lambda *_a: self._update_button())
        self.create_all_button = QPushButton("Tạo mới tất cả tên chưa chọn")
        self.create_all_button.clicked.connect(self.units_model.create_all)
        layout.addWidget(self.units_label)
        layout.addWidget(self.units_view, 1)
        layout.addWidget(self.create_all_button)

    def _merges_decide_units(self) -> None:
        """A name ticked "Gộp" is decided: it is the known unit (and remembered as its alias)."""
        from cchc_desktop.services.import_report import UnitChoice

        merged = {s.written: s.existing for s in self.suggestions_model.suggestions}
        for row, unit in enumerate(self.units_model.items):
            if unit.written not in merged:
                continue
            ticked = unit.written in self.suggestions_model.merged_names()
            choice = UnitChoice("map", merged[unit.written]) if ticked else None
            self.units_model.setData(self.units_model.index(row, 3), choice)

    def _group_area_changed(self, top: QModelIndex, *_args: Any) -> None:
        group = self.groups_model.items[top.row()]
        self.preview_model.set_group_area(group.label(), group.area)

    def _fill_tables(self, path: Path) -> None:
        """A Word document's tables, the task table chosen."""
        from cchc_desktop.importers.word import word_tables

        tables = word_tables(path)
        self.table_combo.blockSignals(True)
        self.table_combo.clear()
        for t in tables:
            self.table_combo.addItem(f"Bảng {t.index}: {t.rows} dòng — {t.first_row}", t.index)
        best = max((t for t in tables if t.has_task_header), key=lambda t: t.rows, default=None)
        if best is not None:
            self.table_combo.setCurrentIndex(self.table_combo.findData(best.index))
        self.table_combo.blockSignals(False)
        self.table_combo.currentIndexChanged.connect(lambda _i: self.preview())

    def _fill_plans(self) -> None:
        from cchc_desktop.services.plans import list_plans

        self.plan_combo.addItem("Không thuộc kế hoạch nào", None)
        with self.ctx.db.session() as session:
            for plan in list_plans(session):
                self.plan_combo.addItem(f"{plan.year} — {plan.title}", plan.id)

    def _work(self, dry_run: bool) -> Work:
        plan_id = self.plan_combo.currentData() if self.kind == "tasks" else None
        merge = self.suggestions_model.merged_names()
        choices = self.units_model.choices()
        areas = self.groups_model.chosen_areas()
        table = self.table_combo.currentData() if self.table_combo.count() else None
        today = self.ctx.today()
        db, path, kind = self.ctx.db, self.source, self.kind

        def work(report: Report, cancelled: Callable[[], bool]) -> ImportReport:
            from cchc_desktop.services.imports import import_documents
            from cchc_desktop.services.imports import import_tasks as run_import

            source: Path | SheetData = path
            if table is not None and not isinstance(path, SheetData):
                from cchc_desktop.importers.word import read_word_tables

                source = read_word_tables(path, table)
            # "Hủy" raises inside the service; the session then rolls everything back.
            with db.session() as session:
                if kind == "tasks":
                    return run_import(session, source, plan_id=plan_id, dry_run=dry_run,
                                      merge_suggestions=merge, unit_choices=choices,
                                      group_areas=areas, today=today,
                                      progress=report, cancelled=cancelled)
                return import_documents(session, source, dry_run=dry_run, progress=report,
                                        cancelled=cancelled)

        return work

    def preview(self) -> bool:
        """Dry-run the import and show what it would do; False when the file is unreadable."""
        if self.table_combo.parent() is not None and not self.table_combo.count():
            from cchc_desktop.errors import UserError

            try:
                self._fill_tables(Path(str(self.source)))
            except UserError as exc:
                dialogs.show_error(self, exc.message)
                return False
        outcome = run_with_progress(self, f"Đang đọc và kiểm tra {self._what.lower()}...",
                                    self._work(True))
        if not outcome.ok:
            if outcome.error:
                dialogs.show_error(self, outcome.error)
            return False
        merged = self.suggestions_model.merged_names()
        self.report = outcome.result
        for s in self.report.suggestions:
            s.merged = s.written in merged
        self._show(self.report)
        return True

    def _show(self, report: ImportReport) -> None:
        self.summary.setText("\n".join(report.summary_lines()))
        self.preview_model.set_rows(report.rows)
        self.problems_model.set_problems(report.problems)
        has_problems = bool(report.problems)
        self.problems_label.setVisible(has_problems)
        self.problems_view.setVisible(has_problems)
        self.suggestions_model.set_suggestions(report.suggestions)
        self.suggestions_label.setVisible(bool(report.suggestions))
        self.suggestions_view.setVisible(bool(report.suggestions))
        self.groups_model.set_items(report.groups)
        self.groups_label.setVisible(bool(report.groups))
        self.groups_view.setVisible(bool(report.groups))
        self.units_model.unit_names = self._unit_names()
        self.units_model.set_items(report.unknown_units)
        for widget in (self.units_label, self.units_view, self.create_all_button):
            widget.setVisible(bool(report.unknown_units))
        self._update_button()

    def _unit_names(self) -> list[str]:
        from cchc_desktop.services.units import list_units

        with self.ctx.db.session() as session:
            return [u.name for u in list_units(session, include_inactive=False)]

    def _update_button(self) -> None:
        report = self.report
        if report is None:
            return
        undecided = [u for u in self.units_model.items if u.choice is None]
        self.import_button.setEnabled(not report.problems and not undecided
                                      and report.rows_read > 0)
        if report.problems:
            self.import_button.setToolTip(f"{self._what} còn dòng chưa hợp lệ: {self._fix}.")
        elif undecided:
            self.import_button.setToolTip(
                f"Còn {len(undecided)} tên đơn vị chưa chọn cách xử lý.")
        else:
            self.import_button.setToolTip("")

    def commit(self) -> None:
        """Run the import for real, in one transaction, then close on success.

        "Hủy" during it rolls the transaction back: nothing is imported."""
        outcome = run_with_progress(self, "Đang nhập dữ liệu...", self._work(False))
        if outcome.was_cancelled:
            self.ctx.show_message("Đã hủy nhập: chưa ghi gì vào dữ liệu.")
            return
        if not outcome.ok:
            if outcome.error:
                dialogs.show_error(self, outcome.error)
            return
        result: ImportReport = outcome.result
        if not result.ok:  # the file changed since the preview
            self.report = result
            self._show(result)
            dialogs.show_error(self, f"{self._what} có dòng chưa hợp lệ hoặc tên đơn vị chưa "
                                     "chọn cách xử lý: chưa nhập dòng nào.")
            return
        self.imported = result
        if result.created_task_ids and not result.updated:
            # New tasks only: Ctrl+Z takes them out again. (An import that also changed
            # existing tasks is not undone here: the daily backup and the audit log keep those.)
            from cchc_desktop.gui.tasks.commands import ImportedTasksCommand

            self.ctx.undo_stack.push(
                ImportedTasksCommand(self.ctx, result.created_task_ids, self.source_name))
        self.ctx.notify_changed()
        self.ctx.show_message(
            f"Đã nhập từ {self.source_name}: thêm {result.added}, cập nhật {result.updated}, "
            f"không đổi {result.unchanged}."
        )
        dialogs.show_info(self, "Đã nhập xong.", "\n".join(result.summary_lines()))
        self.accept()


def _import(parent: QWidget | None, ctx: GuiContext, kind: str,
            plan_id: int | None = None) -> bool:
    noun = "nhiệm vụ" if kind == "tasks" else "văn bản"
    path = dialogs.open_file(parent, f"Chọn tệp danh sách {noun}",
                             TASK_FILTER if kind == "tasks" else SHEET_FILTER)
    if path is None:
        return False
    return _preview_then_import(ImportDialog(ctx, path, kind, parent, plan_id=plan_id))


def _preview_then_import(dialog: ImportDialog) -> bool:
    """Show the dry run; the user imports or cancels. True when something was imported."""
    try:
        if not dialog.preview():
            return False
        dialog.exec()
        return dialog.imported is not None
    finally:
        dialog.deleteLater()


def import_tasks(parent: QWidget | None, ctx: GuiContext, plan_id: int | None = None) -> bool:
    """File → Nhập nhiệm vụ từ tệp... (Excel or Word), or the plan's "Nhập từ tệp...": into
    ``plan_id`` (changeable in the dialog). True when tasks were imported."""
    return _import(parent, ctx, "tasks", plan_id)


def paste_tasks(parent: QWidget | None, ctx: GuiContext, plan_id: int | None = None) -> bool:
    """Edit → Dán nhiệm vụ từ Word/Excel: the table on the clipboard, previewed like a file
    and imported into ``plan_id`` (changeable in the dialog). True when tasks were imported."""
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.errors import UserError

    mime = QApplication.clipboard().mimeData()
    html = mime.html() if mime is not None and mime.hasHtml() else None
    text = mime.text() if mime is not None and mime.hasText() else None
    try:
        table = pasted_sheet(html, text)
    except UserError as exc:
        dialogs.show_error(parent, exc.message)
        return False
    return _preview_then_import(ImportDialog(ctx, table, "tasks", parent, plan_id=plan_id))


def import_documents(parent: QWidget | None, ctx: GuiContext) -> bool:
    """File → Nhập văn bản từ tệp...: True when documents were imported."""
    return _import(parent, ctx, "documents")


def _export(parent: QWidget | None, ctx: GuiContext, kind: str, default_name: str,
            flt: Any = None) -> bool:
    noun = "nhiệm vụ" if kind == "tasks" else "văn bản"
    path = dialogs.save_file(parent, f"Xuất danh sách {noun}", XLSX_FILTER,
                             start=default_name, suffix="xlsx")
    if path is None:
        return False
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    today = ctx.today()

    def work(_report: Report, cancelled: Callable[[], bool]) -> int:
        from cchc_desktop.exporters import xlsx

        # Written beside the target first: "Hủy" before it is put in place leaves no file.
        with written_atomically(path) as draft, ctx.db.session() as session:
            if kind == "tasks":
                count = xlsx.export_tasks(session, draft, flt, as_of=today)
            else:
                count = xlsx.export_documents(session, draft)
            check_cancelled(cancelled)
        return count

    outcome = run_with_progress(parent, f"Đang xuất danh sách {noun}...", work)
    if outcome.was_cancelled:
        return False
    if not outcome.ok:
        if outcome.error:
            dialogs.show_error(parent, outcome.error)
        return False
    ctx.show_message(f"Đã xuất {outcome.result} {noun} ra tệp {path.name}.")
    dialogs.offer_open(parent, path, f"Đã xuất {outcome.result} {noun} ra tệp:\n{path}")
    return True


def export_tasks(parent: QWidget | None, ctx: GuiContext, flt: Any = None) -> bool:
    """File → Xuất danh sách nhiệm vụ...: all tasks, or those ``flt`` (a TaskFilter) selects."""
    return _export(parent, ctx, "tasks", "danh_sach_nhiem_vu.xlsx", flt)


def export_documents(parent: QWidget | None, ctx: GuiContext) -> bool:
    """File → Xuất danh sách văn bản...: the whole document register."""
    return _export(parent, ctx, "documents", "danh_sach_van_ban.xlsx")
