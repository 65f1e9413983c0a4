"""The "Nhiệm vụ" tab: every task, filtered, searched and sorted, with the editor at hand.

The rows are read from the database a page at a time as the list scrolls, filtered and
sorted there (see :mod:`cchc_desktop.gui.tasks.paged_model`), so the tab opens as fast
and holds as little memory on a million tasks as on a hundred.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
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
from cchc_desktop.domain.text import format_date_vn, format_number_vi
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.settings import Settings
from cchc_desktop.gui.tasks import editor as task_editor
from cchc_desktop.gui.tasks import extensions_dialog, list_export, unit_sheets_dialog
from cchc_desktop.gui.tasks.commands import DeleteTasksCommand, push
from cchc_desktop.gui.tasks.paged_model import PagedTaskModel
from cchc_desktop.services.task_queries import TaskFilter

_OPEN = {StatusClass.OPEN_ON_TIME, StatusClass.OPEN_OVERDUE, StatusClass.OPEN_NO_DEADLINE}
_DONE = {StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE, StatusClass.DONE_NO_DEADLINE}
# On a list this long, search waits for a pause in the typing instead of querying per key.
DEBOUNCE_ABOVE = 50_000
TYPING_PAUSE_MS = 180


class _LazyCombo(QComboBox):
    """A combo box whose choices are read when its list is first opened."""

    def __init__(self, before_popup: Callable[[], None]) -> None:
        super().__init__()
        self._before_popup = before_popup

    def showPopup(self) -> None:  # noqa: N802 - Qt's name
        self._before_popup()
        super().showPopup()


class TasksTab(QWidget):
    """Every task with a filter bar, a search box and a detail pane.

    Signals:
        loaded(): the list was read again (after :meth:`refresh`).
    Attributes:
        model: the PagedTaskModel; view: its QTableView; search: the search box;
        status_filter, unit_filter, assigned_filter, area_filter, year_filter: the combos.
    """

    loaded = Signal()

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = Settings()
        self._units: list[str] = []
        self._years: list[int] = []
        self._assigners: list[str] | None = None
        self._total = 0
        self._choices_due = False
        self.model = PagedTaskModel(lambda: self.ctx.db.session(), ctx.today(), parent=self)
        self.model.counted.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)  # read further while counting
        self._typing = QTimer(self)  # search waits for a pause in typing on a slow database
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._apply_filter)
        self._build()
        self._restore_layout()
        self.refresh()

    # ------------------------------------------------------------------ building
    def _combo(self, tip: str, before_popup: Callable[[], None] | None = None) -> QComboBox:
        combo = _LazyCombo(before_popup) if before_popup else QComboBox()
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
        self.search.textChanged.connect(self._search_typed)
        self.status_filter = self._combo("Tình trạng tính đến hôm nay")
        self.status_filter.addItem("Tất cả tình trạng", "")
        for cls in StatusClass:
            self.status_filter.addItem(STATUS_LABELS[cls], cls.value)
        self.status_filter.addItem("Chưa hoàn thành (tất cả)", "open")
        self.status_filter.addItem("Đã hoàn thành (tất cả)", "done")
        self.status_filter.addItem("Đến hạn trong 7 ngày", "due:7")
        self.unit_filter = self._combo("Đơn vị chủ trì hoặc phối hợp")
        self.assigned_filter = self._combo("Cơ quan giao nhiệm vụ", self._load_assigners)
        self.area_filter = self._combo("Lĩnh vực cải cách hành chính")
        self.area_filter.addItem("Tất cả lĩnh vực", None)
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
        # Short labels: the row must fit a 1366×768 laptop at 125% scaling (the tips say more).
        self.send_sheets_button = QPushButton("Gửi phiếu đơn vị…")
        self.send_sheets_button.setToolTip("Gửi phiếu cập nhật cho đơn vị: mỗi đơn vị một tệp Excel "
                                           "gồm các nhiệm vụ đơn vị chủ trì")
        self.receive_sheets_button = QPushButton("Nhận phiếu đơn vị…")
        self.receive_sheets_button.setToolTip("Nhận phiếu cập nhật đơn vị gửi lại và ghi vào "
                                              "chương trình (hoặc kéo thả tệp vào danh sách)")
        self.send_sheets_button.clicked.connect(lambda: unit_sheets_dialog.send_unit_sheets(
            self, self.ctx))
        self.receive_sheets_button.clicked.connect(
            lambda: unit_sheets_dialog.receive_unit_sheets(self, self.ctx))
        self._sheet_drops = unit_sheets_dialog.SheetDropFilter(self, self.ctx)  # returned sheets
        self.extensions_button = QPushButton("Đề nghị gia hạn…")
        self.extensions_button.clicked.connect(
            lambda: extensions_dialog.show_extensions(self, self.ctx))
        self.list_button = list_export.list_button(self, self.ctx, self.task_filter)
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
        actions.addWidget(self.list_button)
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
        """Read the list again (data changed), keeping the filter, sort and current task."""
        from cchc_desktop.services.task_queries import count_tasks

        today = self.ctx.today()
        current = self._current_id()
        near = self.view.currentIndex().row()
        self.model.filter = self.current_filter()
        unfiltered = self.model.filter == TaskFilter(include_supporting=True)
        if not unfiltered:
            with self.ctx.db.session() as session:
                self._total = count_tasks(session, TaskFilter(), today)
        self.model.defer_counts = not unfiltered and self._total > DEBOUNCE_ABOVE
        self.model.reload(today)
        if unfiltered:  # the list's own count is the total
            self._total = self.model.rowCount()
            self.model.defer_counts = self._total > DEBOUNCE_ABOVE
        self._update_count()
        if not (current is not None and self.select_task(current, near)) \
                and self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self._show_detail()
        self._choices_due = True  # after the list has painted
        self._assigners = None  # read again when the list is opened
        QTimer.singleShot(0, self, self._load_choices)
        self.loaded.emit()

    def _load_choices(self) -> None:
        from cchc_desktop.services.task_queries import task_years
        from cchc_desktop.services.units import list_units

        if not self._choices_due:
            return
        self._choices_due = False
        with self.ctx.db.session() as session:
            self._units = [u.name for u in list_units(session)]
            self._years = task_years(session)
        self._fill_choices()

    def _load_assigners(self) -> None:
        """The assigners in use, read when their list is first opened (it reads every task)."""
        from cchc_desktop.services.task_queries import task_assigners

        if self._assigners is not None:
            return
        with self.ctx.db.session() as session:
            self._assigners = task_assigners(session)
        self._fill_choices()

    def wait_loaded(self, timeout_ms: int = 60_000) -> None:
        """Fill the filter choices and apply a search still waiting for a pause in the
        typing, now (tests, closing)."""
        del timeout_ms  # pages are read when shown; a count behind them is not waited for
        self._load_choices()
        self._load_assigners()
        if self._typing.isActive():
            self._typing.stop()
            self._apply_filter()

    def _fill_choices(self) -> None:
        """Filter choices: the units, and the years and assigners in use."""
        for combo, first, values in (
            (self.unit_filter, "Tất cả đơn vị", self._units),
            (self.assigned_filter, "Tất cả cơ quan giao", self._assigners or []),
            (self.year_filter, "Tất cả các năm", self._years),
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
    def current_filter(self) -> TaskFilter:
        """The filter bar as a TaskFilter (a unit matches as lead or supporting unit)."""
        flt = TaskFilter(search=self.search.text().strip() or None)
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
        flt.include_supporting = True
        flt.assigner = self.assigned_filter.currentData()
        flt.area = self.area_filter.currentData()
        flt.year = self.year_filter.currentData()
        return flt

    def _search_typed(self, *_args) -> None:
        if self._total > DEBOUNCE_ABOVE:
            self._typing.start()  # (re)start: the query runs when typing pauses
        else:
            self._apply_filter()

    def task_filter(self) -> TaskFilter:
        """The filter bar as a TaskFilter: the rows shown, read again from the database
        (exports and printing of the list)."""
        return self.current_filter()

    def _apply_filter(self, *_args) -> None:
        self._typing.stop()
        flt = self.current_filter()
        if flt == self.model.filter:
            return  # the same tasks: no need to count them again
        self.model.set_filter(flt)
        self._update_count()
        self._show_detail()

    def _update_count(self) -> None:
        shown = f"{self.model.rowCount():,}"
        if self.model.counting:  # the rows read so far; the count follows
            shown += "+"
        text = f"Hiển thị {shown} / {self._total:,} nhiệm vụ".replace(",", ".")
        self.count_label.setText(text + (" (đang đếm…)" if self.model.counting else ""))

    def dispose(self) -> None:
        """Stop a count still running in the background (the window is closing)."""
        self.model.stop_counting()

    def clear_filters(self, apply: bool = True) -> None:
        for combo in (self.status_filter, self.unit_filter, self.assigned_filter,
                      self.area_filter, self.year_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        if apply:
            self._apply_filter()

    def show_filtered(self, status: StatusClass | str | None = None, overdue: bool = False,
                      due_within: int | None = None, year: int | None = None) -> None:
        """Show only one status class, the overdue tasks or those due within N days."""
        self.clear_filters(apply=False)
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
        # By ranges: a Shift+click over 100,000 rows reads their ids, not their pages.
        selection = self.view.selectionModel().selection()
        ranges = [(selection.at(i).top(), selection.at(i).bottom())
                  for i in range(selection.count())]
        return list(dict.fromkeys(self.model.task_ids(ranges)))

    def select_task(self, task_id: int, near: int = -1) -> bool:
        row = self.model.row_of_task(task_id, near)
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
            ("Thời hạn", day(row.due_date) + (
                f" (đề nghị gia hạn đến {day(row.pending_due)}, chờ quyết định)"
                if row.pending_due else "")),
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
        from cchc_desktop.services.task_queries import completed_ids

        chosen = self._selected_ids()
        if not chosen:
            self.ctx.show_message("Hãy chọn nhiệm vụ cần đánh dấu hoàn thành.")
            return False
        with self.ctx.db.session() as session:
            done = completed_ids(session, chosen)
        return complete_tasks(self, self.ctx, chosen, done)

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
            question = (f"Xóa {format_number_vi(len(ids))} nhiệm vụ đã chọn?\n\n"
                        "Có thể hoàn tác bằng Ctrl+Z.")
        if not dialogs.confirm(self, question, danger=True):
            return
        error = push(self.ctx, DeleteTasksCommand(self.ctx, ids))
        if error:
            dialogs.show_error(self, error)
        else:
            self.ctx.show_message(f"Đã xóa {format_number_vi(len(ids))} nhiệm vụ. "
                                  "Nhấn Ctrl+Z để hoàn tác.")
