"""The "Nhiệm vụ" tab: every task, filtered, searched and sorted, with the editor at hand.

On a large database the first page of rows is shown at once and the full list is read in
a background thread, so the tab paints quickly; filtering and search then work in memory
(see :mod:`cchc_desktop.gui.tasks.table_models`).
"""

from __future__ import annotations

import gc
import html
from datetime import date
from typing import cast

from PySide6.QtCore import QItemSelectionModel, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.areas import REFORM_AREAS, UNCLASSIFIED, area_name
from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_date_vn, vi_sort_key
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.settings import Settings
from cchc_desktop.gui.tasks import editor as task_editor
from cchc_desktop.gui.tasks import extensions_dialog, unit_sheets_dialog
from cchc_desktop.gui.tasks.commands import DeleteTasksCommand, push
from cchc_desktop.gui.tasks.table_models import (
    RowFilter,
    TaskTableModel,
    ascending_order,
    search_keys,
    share_strings,
)

FIRST_PAGE = 200  # rows read before the first paint; about seven screens
_OPEN = {StatusClass.OPEN_ON_TIME, StatusClass.OPEN_OVERDUE, StatusClass.OPEN_NO_DEADLINE}
_DONE = {StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE, StatusClass.DONE_NO_DEADLINE}


_RUNNING: set[_Loader] = set()


def _forget(loader: _Loader) -> None:
    _RUNNING.discard(loader)
    loader.deleteLater()


class _Loader(QThread):
    """Reads every task in its own session. Signals: loaded(generation, (rows, keys))."""

    loaded = Signal(int, object)

    def __init__(self, ctx: GuiContext, generation: int, as_of: date) -> None:
        super().__init__()
        self.ctx, self.generation, self.as_of = ctx, generation, as_of

    def run(self) -> None:
        from cchc_desktop.services.task_queries import list_tasks

        with self.ctx.db.session() as session:
            rows = list_tasks(session, self.as_of)
        share_strings(rows)
        keys = search_keys(rows)
        # The one slow sort (Vietnamese order of 100,000 texts) is done here, off the GUI.
        orders = {"content": ascending_order(rows, "content")}
        self.loaded.emit(self.generation, (rows, keys, orders))


class TasksTab(QWidget):
    """Every task with a filter bar, a search box and a detail pane.

    Signals:
        loaded(): all rows are in the model (after the background read, if any).
    Attributes:
        model: the TaskTableModel; view: its QTableView; search: the search box;
        status_filter, unit_filter, assigned_filter, area_filter, year_filter: the combos.
    """

    loaded = Signal()

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = Settings()
        self._generation = 0
        self._loaders: list[_Loader] = []
        self._units: list[str] = []
        self._started = 0  # the generation whose background read has started
        self.complete = False
        self.model = TaskTableModel(ctx.today(), parent=self)
        self._build()
        self._restore_layout()
        self.refresh()

    # ------------------------------------------------------------------ building
    def _combo(self, tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)  # five of them and the search fit 1093 px (125%)
        return combo

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm nội dung, đơn vị, cơ quan giao... (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.textChanged.connect(self._apply_filter)
        self.status_filter = self._combo("Tình trạng tính đến hôm nay")
        self.status_filter.addItem("Mọi tình trạng", "")
        for cls in StatusClass:
            self.status_filter.addItem(STATUS_LABELS[cls], cls.value)
        self.status_filter.addItem("Chưa hoàn thành (tất cả)", "open")
        self.status_filter.addItem("Đã hoàn thành (tất cả)", "done")
        self.status_filter.addItem("Đến hạn trong 7 ngày", "due:7")
        self.unit_filter = self._combo("Đơn vị chủ trì hoặc phối hợp")
        self.assigned_filter = self._combo("Cơ quan giao nhiệm vụ")
        self.area_filter = self._combo("Lĩnh vực cải cách hành chính")
        self.area_filter.addItem("Mọi lĩnh vực", None)
        for area in REFORM_AREAS:
            self.area_filter.addItem(f"{area.code}. {area.short}", area.code)
            self.area_filter.setItemData(self.area_filter.count() - 1, area.name,
                                         Qt.ItemDataRole.ToolTipRole)
        self.area_filter.addItem(UNCLASSIFIED, 0)
        self.year_filter = self._combo("Năm kế hoạch")
        self.clear_button = QPushButton("Bỏ lọc")
        self.clear_button.clicked.connect(self.clear_filters)

        self.new_button = QPushButton("Thêm nhiệm vụ")
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Thêm nhiệm vụ mới (Ctrl+N)")
        self.edit_button = QPushButton("Sửa")
        self.edit_button.setToolTip("Sửa nhiệm vụ đang chọn (Enter)")
        self.delete_button = QPushButton("Xóa")
        self.delete_button.setToolTip("Xóa các nhiệm vụ đang chọn (Delete)")
        self.complete_button = QPushButton("Đánh dấu hoàn thành...")
        self.complete_button.setToolTip("Ghi ngày hoàn thành cho các nhiệm vụ đang chọn "
                                        "(chọn nhiều dòng bằng Ctrl hoặc Shift)")
        self.send_sheets_button = QPushButton("Gửi phiếu cập nhật cho đơn vị…")
        self.receive_sheets_button = QPushButton("Nhận phiếu cập nhật…")
        self.send_sheets_button.clicked.connect(lambda: unit_sheets_dialog.send_unit_sheets(
            self, self.ctx))
        self.receive_sheets_button.clicked.connect(
            lambda: unit_sheets_dialog.receive_unit_sheets(self, self.ctx))
        self._sheet_drops = unit_sheets_dialog.SheetDropFilter(self, self.ctx)  # returned sheets
        self.extensions_button = QPushButton("Đề nghị gia hạn…")
        self.extensions_button.clicked.connect(
            lambda: extensions_dialog.show_extensions(self, self.ctx))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.new_button.clicked.connect(self.new_task)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_selected)
        self.complete_button.clicked.connect(self.complete_selected)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in (self.status_filter, self.unit_filter, self.assigned_filter,
                      self.area_filter, self.year_filter):
            filters.addWidget(combo, 1)
        filters.addWidget(self.clear_button)
        for combo in (self.status_filter, self.unit_filter, self.assigned_filter,
                      self.area_filter, self.year_filter):
            combo.currentIndexChanged.connect(self._apply_filter)
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.complete_button)
        actions.addWidget(self.send_sheets_button)
        actions.addWidget(self.receive_sheets_button)
        actions.addWidget(self.extensions_button)
        actions.addStretch(1)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.doubleClicked.connect(lambda _i: self.edit_current())
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())

        self.detail = QTextBrowser()
        self.detail.setObjectName("taskDetail")
        self.detail.setOpenLinks(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([500, 175])

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.count_label)  # below, as on the other tabs: the buttons need the row

        for keys, slot, widget, context in (
            (QKeySequence("Return"), self.edit_current, self.view, Qt.ShortcutContext.WidgetShortcut),
            (QKeySequence("Enter"), self.edit_current, self.view, Qt.ShortcutContext.WidgetShortcut),
            (QKeySequence.StandardKey.Delete, self.delete_selected, self.view,
             Qt.ShortcutContext.WidgetShortcut),
        ):
            shortcut = QShortcut(keys, widget)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        QShortcut(QKeySequence("Down"), self.search,
                  context=Qt.ShortcutContext.WidgetShortcut).activated.connect(self._to_table)

    # ------------------------------------------------------------------ layout memory
    def _restore_layout(self) -> None:
        widths = self.settings.column_widths("tasks")
        font = QFont(self.view.horizontalHeader().font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        for i, column in enumerate(self.model.columns):
            # Never narrower than the header's own words (plus the sort arrow).
            least = metrics.horizontalAdvance(column.title) + 34
            width = widths[i] if i < len(widths) and widths[i] > 20 else column.width
            self.view.setColumnWidth(i, max(width, least))
        state = self.settings.splitter_state("tasks")
        if state is not None:
            self.splitter.restoreState(state)

    def save_layout(self) -> None:
        """Remember column widths and the splitter position."""
        count = self.model.columnCount()
        self.settings.set_column_widths("tasks", [self.view.columnWidth(i) for i in range(count)])
        self.settings.set_splitter_state("tasks", self.splitter.saveState())

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Reload the tasks (the first page at once, the rest in the background)."""
        from cchc_desktop.services.task_queries import list_tasks
        from cchc_desktop.services.units import list_units

        today = self.ctx.today()
        self.model.today = today
        self._generation += 1
        with self.ctx.db.session() as session:
            self._units = [u.name for u in list_units(session)]
            first = list_tasks(session, today, limit=FIRST_PAGE + 1)
        selected = self._selected_ids()
        if len(first) <= FIRST_PAGE:
            self.complete = True
            self.model.set_rows(first)
            self._after_load(selected)
            return
        if self.model.total_count == 0:
            # Nothing shown yet: paint the first page now, the rest follows.
            self.model.set_rows(first[:FIRST_PAGE])
            self._fill_choices()
        self.complete = False
        self._update_count()
        # Start reading once the first page has painted, so the two do not compete.
        QTimer.singleShot(30, self, lambda g=self._generation: self._start_loader(g, today))

    def _start_loader(self, generation: int, today: date) -> None:
        if generation != self._generation or generation == self._started:
            return
        self._started = generation
        loader = _Loader(self.ctx, generation, today)
        loader.loaded.connect(self._on_loaded)
        # The module keeps the thread alive until it ends, even if this tab is deleted first.
        _RUNNING.add(loader)
        loader.finished.connect(lambda done=loader: _forget(done))
        loader.finished.connect(self._loader_done)  # a bound slot: dropped if the tab goes
        self._loaders.append(loader)
        loader.start()

    def _on_loaded(self, generation: int, payload: object) -> None:
        if generation != self._generation:
            return
        rows, keys, orders = cast(tuple[list, list, dict], payload)
        selected = self._selected_ids()
        self.complete = True
        self.model.set_rows(rows, keys, orders)
        # 100,000 rows live until the next reload and form no cycles: keep them out of the
        # cyclic collector, whose full passes would otherwise stall a keystroke now and then.
        # Collect first, so that no garbage present now stays frozen for good.
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._after_load(selected)

    def _loader_done(self) -> None:
        self._loaders = [loader for loader in self._loaders if loader in _RUNNING]

    def wait_loaded(self, timeout_ms: int = 60_000) -> None:
        """Block until background reads finish and their rows are in (tests, closing)."""
        from PySide6.QtCore import QCoreApplication

        QCoreApplication.processEvents()
        if not self.complete and not self._loaders:
            self._start_loader(self._generation, self.model.today)
        for loader in list(self._loaders):
            loader.wait(timeout_ms)
        QCoreApplication.processEvents()

    def _after_load(self, selected: list[int]) -> None:
        self._fill_choices()
        self._update_count()
        if not (selected and self.select_task(selected[0])) and self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self._show_detail()
        self.loaded.emit()

    def _fill_choices(self) -> None:
        """Filter choices from the units and the rows in memory (no extra query)."""
        rows = self.model.all_rows()
        years = sorted({r.year for r in rows}, reverse=True)
        assigners = sorted({r.assigned_by for r in rows if r.assigned_by}, key=vi_sort_key)
        for combo, first, values in (
            (self.unit_filter, "Mọi đơn vị", self._units),
            (self.assigned_filter, "Mọi cơ quan giao", assigners),
            (self.year_filter, "Mọi năm", years),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for value in values:
                combo.addItem(str(value), value)
            index = combo.findData(current) if current is not None else 0
            if index < 0:  # keep a chosen value even when no row has it now
                combo.addItem(str(current), current)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
            # The list opens as wide as its longest entry, even when the box is narrow.
            view = combo.view()
            view.setMinimumWidth(view.sizeHintForColumn(0) + 28)

    # ------------------------------------------------------------------ filtering
    def current_filter(self) -> RowFilter:
        flt = RowFilter(search=self.search.text())
        status = self.status_filter.currentData() or ""
        if status == "open":
            flt.statuses = set(_OPEN)
        elif status == "done":
            flt.statuses = set(_DONE)
        elif status.startswith("due:"):
            flt.due_within = int(status[4:])
        elif status:
            flt.statuses = {StatusClass(status)}
        flt.unit = self.unit_filter.currentData()
        flt.assigned_by = self.assigned_filter.currentData()
        flt.area = self.area_filter.currentData()
        flt.year = self.year_filter.currentData()
        return flt

    def _apply_filter(self, *_args) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()
        self._show_detail()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count
        text = f"Hiển thị {shown:,} / {total:,} nhiệm vụ".replace(",", ".")
        if not self.complete:
            text += " — đang tải thêm..."
        self.count_label.setText(text)

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.unit_filter, self.assigned_filter,
                      self.area_filter, self.year_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._apply_filter()

    def show_filtered(self, status: StatusClass | str | None = None, overdue: bool = False,
                      due_within: int | None = None, year: int | None = None) -> None:
        """Show only one status class, the overdue tasks or those due within N days."""
        self.clear_filters()
        key = ""
        if overdue:
            key = StatusClass.OPEN_OVERDUE.value
        elif due_within is not None:
            key = f"due:{due_within}"
            if self.status_filter.findData(key) < 0:
                self.status_filter.addItem(f"Đến hạn trong {due_within} ngày", key)
        elif status:
            key = StatusClass(status).value
        if year is not None and self.year_filter.findData(year) < 0:
            self.year_filter.addItem(str(year), year)  # not among the rows read so far
        for combo, value in ((self.status_filter, key), (self.year_filter, year)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self._apply_filter()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _to_table(self) -> None:
        if self.model.rowCount():
            self.view.setFocus()
            self.view.selectRow(0)

    # ------------------------------------------------------------------ selection
    def _selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.task_id_at(r) for r in rows if r < self.model.rowCount()]

    def select_task(self, task_id: int) -> bool:
        row = self.model.row_of_task(task_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def _current_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.task_id_at(index.row())

    def _show_detail(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            self.detail.setHtml("<p class='hint'>Chọn một nhiệm vụ để xem chi tiết.</p>")
            return
        row = self.model.row_at(index.row())
        e = html.escape

        def day(value: date | None) -> str:
            return format_date_vn(value) if value else "—"

        lines = [
            ("Đơn vị chủ trì", row.lead_unit or "—"),
            ("Đơn vị phối hợp", ", ".join(row.supporting_units) or "—"),
            ("Thời gian thực hiện", row.timing_text or "—"),
            ("Thời hạn", day(row.due_date)),
            ("Ngày hoàn thành", day(row.completed_on)),
            ("Tình trạng", self.model.data(self.model.index(index.row(),
                                           self._column("status")))),
            ("Cơ quan giao", row.assigned_by or "—"),
            ("Văn bản giao", row.document or "—"),
            ("Lĩnh vực", area_name(row.area)),
            ("Kết quả / sản phẩm", row.output or "—"),
        ]
        def cell(pair: tuple[str, object]) -> str:
            return (f"<td style='color:#607d8b; padding-right:10px'>{e(pair[0])}</td>"
                    f"<td style='padding-right:28px'>{e(str(pair[1]))}</td>")

        half = (len(lines) + 1) // 2
        rows = "".join(
            "<tr>" + cell(lines[i]) + (cell(lines[i + half]) if i + half < len(lines) else "")
            + "</tr>"
            for i in range(half)
        )
        self.detail.setHtml(
            f"<p><b>{e(row.content)}</b></p><table cellspacing='0' cellpadding='2'>{rows}</table>"
        )

    def _column(self, key: str) -> int:
        return next((i for i, c in enumerate(self.model.columns) if c.key == key), 0)

    # ------------------------------------------------------------------ actions
    def new_task(self) -> None:
        area = self.area_filter.currentData() or None
        if task_editor.edit_task(self.ctx, self, None, area=area):
            self.ctx.show_message("Đã thêm nhiệm vụ.")

    def edit_current(self) -> None:
        task_id = self._current_id()
        if task_id is None:
            return
        if task_editor.edit_task(self.ctx, self, task_id):
            self.ctx.show_message("Đã lưu nhiệm vụ.")

    def complete_selected(self) -> bool:
        """Mark the selected open tasks completed on a date asked for (undoable)."""
        from cchc_desktop.gui.tasks.complete_dialog import complete_tasks

        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        chosen = [self.model.row_at(r) for r in rows if r < self.model.rowCount()]
        if not chosen:
            self.ctx.show_message("Hãy chọn nhiệm vụ cần đánh dấu hoàn thành.")
            return False
        done = {row.id for row in chosen if row.completed_on}
        return complete_tasks(self, self.ctx, [row.id for row in chosen], done)

    def delete_selected(self) -> None:
        ids = self._selected_ids()
        if not ids:  # never the row that merely has the focus: deleting must be deliberate
            self.ctx.show_message("Hãy chọn nhiệm vụ cần xóa.")
            return
        if len(ids) == 1:
            content = " ".join(self.model.row_at(self.model.row_of_task(ids[0])).content.split())
            short = content if len(content) <= 120 else content[:119] + "…"
            question = f"Xóa nhiệm vụ “{short}”?\n\nCó thể hoàn tác bằng Ctrl+Z."
        else:
            question = f"Xóa {len(ids)} nhiệm vụ đã chọn?\n\nCó thể hoàn tác bằng Ctrl+Z."
        if not dialogs.confirm(self, question, danger=True):
            return
        error = push(self.ctx, DeleteTasksCommand(self.ctx, ids))
        if error:
            dialogs.show_error(self, error)
        else:
            self.ctx.show_message(f"Đã xóa {len(ids)} nhiệm vụ. Nhấn Ctrl+Z để hoàn tác.")
