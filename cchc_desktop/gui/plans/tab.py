"""Kế hoạch: the plans of a year and a plan's tasks grouped by CCHC area.

Every change goes through an undoable command (plans: :mod:`cchc_desktop.gui.plans.commands`, tasks:
:mod:`cchc_desktop.gui.tasks`), so Ctrl+Z undoes it and the other tabs hear of it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.text import format_number_vi
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.record_model import VietSortProxy, record_view, set_column_widths
from cchc_desktop.gui.common.tab_frame import TabFrame
from cchc_desktop.gui.common.undo import run_command
from cchc_desktop.gui.plans.commands import CopyPlanCommand, DeletePlanCommand, SavePlanCommand
from cchc_desktop.gui.plans.plan_dialog import PlanDialog
from cchc_desktop.gui.plans.plan_list_model import PlanListModel
from cchc_desktop.gui.plans.task_model import PlanTaskModel
from cchc_desktop.services import plans as plan_service
from cchc_desktop.services.plans import PlanInfo
from cchc_desktop.services.task_queries import TaskFilter, list_tasks

TASK_COLUMN_WIDTHS = (44, 340, 130, 160, 96, 170, 220, 150)


class PlansTab(TabFrame):
    """The plans of the selected year (top) and the selected plan's tasks by area (bottom).

    Attributes:
        year_box: the year selector.
        plan_model / plan_proxy / plan_view: the plans of the year.
        task_model / task_view: the selected plan's tasks, grouped by area.
        last_dialog: the entry dialog opened last (tests drive it).
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._task_loads = 0
        self._after_plan_saved: int | None = None  # the plan a dialog just saved

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Năm:"))
        self.year_box = QComboBox()
        self.year_box.setMinimumWidth(90)
        self.year_box.currentIndexChanged.connect(self._year_chosen)
        top.addWidget(self.year_box)
        top.addSpacing(12)
        self.new_plan_button = self._button(top, "Thêm kế hoạch...", self.new_plan)
        self.edit_plan_button = self._button(top, "Sửa kế hoạch...", self.edit_plan)
        self.delete_plan_button = self._button(top, "Xóa kế hoạch", self.delete_plan)
        self.copy_button = self._button(top, "Sao chép sang năm sau...", self.copy_to_next_year)
        self.export_button = self._button(top, "Xuất kế hoạch (.docx)...", self.export_plan)
        top.addStretch(1)
        layout.addLayout(top)

        self.plan_model = PlanListModel(self)
        self.plan_proxy = VietSortProxy(self)
        self.plan_proxy.setSourceModel(self.plan_model)
        self.plan_view = record_view("plans_table", self.plan_proxy)
        header = self.plan_view.horizontalHeader()
        set_column_widths(self.plan_view, (210, 140, 125, 0, 110))
        self.plan_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.plan_view.selectionModel().currentRowChanged.connect(self._load_tasks)
        self.plan_view.doubleClicked.connect(lambda _i: self.edit_plan())
        self.plan_view.setMinimumHeight(4 * self.plan_view.verticalHeader().defaultSectionSize())

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()  # a line of its own: the buttons below leave it no room
        self.plan_heading = QLabel()
        self.plan_heading.setStyleSheet("font-weight: bold;")
        heading.addWidget(self.plan_heading, 1)
        self.all_areas_box = QCheckBox("Hiện đủ 8 lĩnh vực")
        self.all_areas_box.toggled.connect(self._load_tasks)
        heading.addWidget(self.all_areas_box)
        lower_layout.addLayout(heading)
        bar = QHBoxLayout()
        self.add_task_button = self._button(bar, "Thêm nhiệm vụ...", self.add_task)
        self.paste_button = self._button(bar, "Dán từ Word/Excel...", self.paste_tasks)
        self.paste_button.setToolTip("Dán bảng nhiệm vụ đã sao chép (Ctrl+C) trong Word hoặc "
                                     "Excel vào kế hoạch này; xem trước rồi mới nhập (Ctrl+V)")
        self.import_button = self._button(bar, "Nhập từ tệp...", self.import_tasks)
        self.group_button = self._button(bar, "Sửa nhóm...", self.edit_group)
        self.group_button.setToolTip("Số thứ tự, tên và lĩnh vực CCHC của nhóm đang chọn")
        self.import_button.setToolTip("Nhập bảng nhiệm vụ từ tệp Excel hoặc Word vào kế hoạch "
                                      "này; xem trước rồi mới nhập")
        self.edit_task_button = self._button(bar, "Sửa...", self.edit_task)
        self.delete_task_button = self._button(bar, "Xóa", self.delete_tasks)
        self.up_button = self._button(bar, "▲ Lên", lambda: self.move_task(-1))
        self.down_button = self._button(bar, "▼ Xuống", lambda: self.move_task(1))
        bar.addStretch(1)
        self.up_button.setToolTip("Chuyển nhiệm vụ lên (Ctrl+↑)")
        self.down_button.setToolTip("Chuyển nhiệm vụ xuống (Ctrl+↓)")
        lower_layout.addLayout(bar)

        self.task_model = PlanTaskModel(self)
        self.task_view = QTableView()
        self.task_view.setObjectName("plan_tasks_table")
        self.task_view.setModel(self.task_model)
        self.task_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.task_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.task_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.task_view.setAlternatingRowColors(True)
        self.task_view.setWordWrap(True)
        self.task_view.verticalHeader().hide()
        # Rows grow to their wrapped text only when they come into view: ResizeToContents
        # would measure every row of a 1,000-task plan on each reload (seconds).
        self._fitted_rows: set[int] = set()
        self.task_view.verticalScrollBar().valueChanged.connect(self._fit_visible_rows)
        self.task_view.horizontalHeader().sectionResized.connect(self._refit_rows)
        set_column_widths(self.task_view, TASK_COLUMN_WIDTHS)
        self.task_view.horizontalHeader().setStretchLastSection(True)
        self.task_view.activated.connect(self._on_task_activated)
        self.task_view.selectionModel().selectionChanged.connect(self._update_buttons)
        lower_layout.addWidget(self.task_view)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("plans_splitter")
        self.splitter.addWidget(self.plan_view)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([130, 600])
        layout.addWidget(self.splitter, 1)

        for keys, slot in (
            ("Ctrl+Up", lambda: self.move_task(-1)),
            ("Ctrl+Down", lambda: self.move_task(1)),
            (QKeySequence.StandardKey.Delete, self.delete_tasks),
            ("Insert", self.add_task),
            (QKeySequence.StandardKey.Paste, self.paste_tasks),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.task_view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    def _button(self, layout: QHBoxLayout, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    # ------------------------------------------------------------------ loading
    def _layout_parts(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return {"plans": self.splitter}, {"plans_list": self.plan_view, "plan_tasks": self.task_view}

    def refresh(self) -> None:
        """Reload years, plans and tasks, keeping the selected year, plan and task."""
        self.mark_fresh()
        year = self.selected_year()
        with self.ctx.db.session() as session:
            years = plan_service.plan_years(session)
        this_year = self.ctx.today().year
        choices = sorted({*years, this_year, this_year + 1}, reverse=True)
        if year is None:
            remembered = self.settings.last_year()
            if remembered in years:
                year = remembered
            else:
                year = this_year if this_year in years or not years else years[0]
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for value in choices:
            self.year_box.addItem(str(value), value)
        self.year_box.setCurrentIndex(max(0, self.year_box.findData(year)))
        self.year_box.blockSignals(False)
        self._load_plans()

    def selected_year(self) -> int | None:
        value = self.year_box.currentData()
        return int(value) if value is not None else None

    def set_year(self, year: int) -> None:
        """Show the plans of ``year`` (added to the selector when it has none)."""
        if self.year_box.findData(year) < 0:
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(self.year_box.findData(year))

    def _year_chosen(self) -> None:
        year = self.selected_year()
        if year is not None:
            self.settings.set_last_year(year)  # the year the user works on, shared by tabs
        self._load_plans()

    def _load_plans(self) -> None:
        keep = self.selected_plan()
        year = self.selected_year()
        with self.ctx.db.session() as session:
            plans = plan_service.list_plans(session, year) if year else []
        self.plan_model.set_rows(plans)
        self.select_plan(keep.id if keep else (plans[0].id if plans else None))
        if not plans:
            self._load_tasks()

    def selected_plan(self) -> PlanInfo | None:
        index = self.plan_view.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.plan_model.row_at(self.plan_proxy.mapToSource(index).row())

    def select_plan(self, plan_id: int | None) -> None:
        rows = self.plan_model.rows()
        target = next((r for r, p in enumerate(rows) if p.id == plan_id), 0 if rows else None)
        if target is None:
            self.plan_view.selectionModel().clear()
            return
        index = self.plan_proxy.mapFromSource(self.plan_model.index(target, 0))
        loads = self._task_loads
        self.plan_view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if self._task_loads == loads:  # the current row did not change: reload by hand
            self._load_tasks()

    def _load_tasks(self) -> None:
        self._task_loads += 1
        plan = self.selected_plan()
        keep = self.selected_task_ids()
        keep_area = self._selected_area()
        if plan is None:
            self.task_model.set_tasks([])
            self.plan_heading.setText("Chưa có kế hoạch nào trong năm này.")
        else:
            from cchc_desktop.services.plans import plan_groups

            with self.ctx.db.session() as session:
                tasks = list_tasks(
                    session, self.ctx.today(), TaskFilter(plan_id=plan.id), order="plan"
                )
                groups = plan_groups(session, plan.id)
            show_all = self.all_areas_box.isChecked() or not tasks
            self.task_model.set_tasks(tasks, all_areas=show_all, plan_groups=groups)
            number = f" số {plan.number}" if plan.number else ""
            self.plan_heading.setText(
                f"{plan.title}{number}: {format_number_vi(len(tasks))} nhiệm vụ")
        self.task_view.clearSpans()
        for row in self.task_model.group_rows():
            self.task_view.setSpan(row, 1, 1, self.task_model.columnCount() - 1)
        self._fitted_rows = set()
        self._fit_visible_rows()
        self._reselect(keep, keep_area)
        self._update_buttons()

    def _refit_rows(self) -> None:
        self._fitted_rows = set()
        self._fit_visible_rows()

    def _fit_visible_rows(self) -> None:
        """Give the rows in view (and a few below) the height of their wrapped text."""
        view = self.task_view
        rows = self.task_model.rowCount()
        row = max(view.rowAt(0), 0)
        bottom = view.viewport().height() + 200
        while row < rows:
            if row not in self._fitted_rows:
                view.resizeRowToContents(row)
                self._fitted_rows.add(row)
            if view.rowViewportPosition(row) > bottom:
                break
            row += 1

    def _reselect(self, task_ids: list[int], area: int | None | bool) -> None:
        indexes = [self.task_model.index_of_task(t) for t in task_ids]
        indexes = [i for i in indexes if i.isValid()]
        if not indexes and area is not False:
            group = self.task_model.index_of_area(area)
            indexes = [group] if group.isValid() else []
        selection = self.task_view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for n, index in enumerate(indexes):
            if n == 0:
                selection.setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
            else:
                selection.select(index, flags)
        if indexes:
            self.task_view.scrollTo(indexes[0])

    # ------------------------------------------------------------------ selection helpers
    def selected_task_ids(self) -> list[int]:
        ids: list[int] = []
        for index in self.task_view.selectionModel().selectedRows(0):
            task = self.task_model.task_of(index)
            if task is not None and task.id not in ids:
                ids.append(task.id)
        return ids

    def _selected_area(self) -> int | None | bool:
        """The area of the current row's group; False when nothing is selected."""
        group = self.task_model.group_of(self.task_view.selectionModel().currentIndex())
        return False if group is None else group.area

    def _update_buttons(self) -> None:
        has_plan = self.selected_plan() is not None
        tasks = self.selected_task_ids()
        for button in (self.edit_plan_button, self.delete_plan_button, self.copy_button,
                       self.export_button, self.add_task_button, self.paste_button,
                       self.import_button):
            button.setEnabled(has_plan)
        self.edit_task_button.setEnabled(len(tasks) == 1)
        self.group_button.setEnabled(self._current_group() is not None)
        self.delete_task_button.setEnabled(bool(tasks))
        self.up_button.setEnabled(len(tasks) == 1)
        self.down_button.setEnabled(len(tasks) == 1)

    # ------------------------------------------------------------------ plans
    def _plan_dialog(self, command_for: object, values: dict | None) -> None:
        def submit(new_values: dict) -> None:
            command = command_for(new_values)  # type: ignore[operator]
            run_command(self, command, quiet=True)
            self._after_plan_saved = command.plan_id

        self._after_plan_saved = None
        dialog = PlanDialog(submit, year=self.selected_year() or self.ctx.today().year,
                            values=values, parent=self)
        self.last_dialog = dialog
        if dialog.exec() and self._after_plan_saved is not None:
            self.show_plan(self._after_plan_saved, dialog.values()["year"])

    def new_plan(self) -> None:
        self._plan_dialog(lambda v: SavePlanCommand(self.ctx, v), None)

    def edit_plan(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        with self.ctx.db.session() as session:
            stored = plan_service.get_plan(session, plan.id)
            values = {"kind": stored.kind, "year": stored.year, "number": stored.number or "",
                      "issued_on": stored.issued_on, "title": stored.title}
        self._plan_dialog(lambda v: SavePlanCommand(self.ctx, v, plan.id), values)

    def show_plan(self, plan_id: int, year: int) -> None:
        """Switch to ``year`` and select the plan."""
        self.refresh()
        self.set_year(year)
        self.select_plan(plan_id)

    def delete_plan(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        tasks = (f"và {plan.task_count} nhiệm vụ của kế hoạch" if plan.task_count
                 else "(kế hoạch chưa có nhiệm vụ nào)")
        if not dialogs.confirm(
            self, f"Xóa kế hoạch “{plan.title}” {tasks}?\n\nCó thể hoàn tác bằng Ctrl+Z.",
            danger=True,
        ):
            return
        if run_command(self, DeletePlanCommand(self.ctx, plan.id, plan.title)):
            self.ctx.show_message(f"Đã xóa kế hoạch và {plan.task_count} nhiệm vụ.")

    def copy_to_next_year(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        year = plan.year + 1
        if not dialogs.confirm(
            self,
            f"Sao chép kế hoạch “{plan.title}” với {plan.task_count} nhiệm vụ sang năm {year}?\n"
            "Thời gian thực hiện được giữ nguyên, hạn được tính lại cho năm mới; "
            "ngày hoàn thành và tiến độ không được chép.",
        ):
            return
        command = CopyPlanCommand(self.ctx, plan.id, year)
        if run_command(self, command) and command.copy_id is not None:
            self.show_plan(command.copy_id, year)
            self.ctx.show_message(f"Đã sao chép kế hoạch sang năm {year}.")

    def export_plan(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        from cchc_desktop.gui import reports

        reports.export_plan(self, self.ctx, plan.id)

    # ------------------------------------------------------------------ tasks
    def _on_task_activated(self, index: QModelIndex) -> None:
        if self.task_model.task_of(index) is not None:
            self.edit_task()
        else:
            self.add_task()

    def _open_editor(self, task_id: int | None, area: int | None) -> None:
        from cchc_desktop.gui.tasks import TaskEditorDialog

        plan = self.selected_plan()
        if plan is None:
            return
        if task_id is None:
            dialog = TaskEditorDialog(self.ctx, plan_id=plan.id, area=area, parent=self)
        else:
            dialog = TaskEditorDialog(self.ctx, task_id, parent=self)
        self.last_dialog = dialog
        if dialog.exec() and getattr(dialog, "saved", False) and dialog.task_id is not None:
            self._reselect([dialog.task_id], False)

    def new_task(self) -> None:
        """Ctrl+N (the main window's "Thêm nhiệm vụ") adds to the selected plan and area."""
        if self.selected_plan() is None:
            from cchc_desktop.gui.tasks import TaskEditorDialog

            dialog = TaskEditorDialog(self.ctx, parent=self)
            self.last_dialog = dialog
            dialog.exec()
            return
        self.add_task()

    def add_task(self) -> None:
        """Open the task editor for a new task in the selected plan and area."""
        if self.selected_plan() is None:
            return
        area = self._selected_area()
        self._open_editor(None, None if area is False else area)

    def paste_tasks(self) -> bool:
        """Ctrl+V: the task table copied in Word or Excel, previewed, then into this plan."""
        from cchc_desktop.gui.tasks import paste_tasks

        plan = self.selected_plan()
        if plan is None:
            return False
        return paste_tasks(self, self.ctx, plan.id)

    def _current_group(self) -> Any:
        group = self.task_model.group_of(self.task_view.selectionModel().currentIndex())
        return group if group is not None and group.group_id is not None else None

    def edit_group(self) -> bool:
        """"Sửa nhóm...": the current row's plan group (numbering, title, CCHC area)."""
        from cchc_desktop.gui.plans.plan_group_dialog import edit_group

        group = self._current_group()
        if group is None:
            return False
        error = edit_group(self, self.ctx, group.group_id,
                           (group.number, group.title, group.area))
        if error:
            dialogs.show_error(self, error)
        return error == ""

    def import_tasks(self) -> bool:
        """"Nhập từ tệp...": an Excel or Word task table, previewed, then into this plan."""
        from cchc_desktop.gui.tasks import import_tasks

        plan = self.selected_plan()
        if plan is None:
            return False
        return import_tasks(self, self.ctx, plan.id)

    def edit_task(self) -> None:
        ids = self.selected_task_ids()
        if len(ids) == 1:
            self._open_editor(ids[0], None)

    def delete_tasks(self) -> None:
        from cchc_desktop.gui.tasks import DeleteTasksCommand, push

        ids = self.selected_task_ids()
        if not ids:
            return
        if len(ids) == 1:
            task = self.task_model.task_of(self.task_model.index_of_task(ids[0]))
            what = f"nhiệm vụ “{task.content[:80]}”" if task else "nhiệm vụ đã chọn"
        else:
            what = f"{format_number_vi(len(ids))} nhiệm vụ đã chọn"
        if not dialogs.confirm(self, f"Xóa {what}?\n\nCó thể hoàn tác bằng Ctrl+Z.", danger=True):
            return
        error = push(self.ctx, DeleteTasksCommand(self.ctx, ids))
        if error:
            dialogs.show_error(self, error)

    def move_task(self, offset: int) -> None:
        """Move the selected task up (-1) or down (+1) within its area."""
        from cchc_desktop.gui.tasks import MoveTaskCommand, push

        ids = self.selected_task_ids()
        if len(ids) != 1:
            return
        try:
            error = push(self.ctx, MoveTaskCommand(self.ctx, ids[0], offset))
        except UserError as exc:  # pragma: no cover - the command catches its own errors
            error = exc.message
        if error:
            dialogs.show_error(self, error)
        self.task_view.setFocus()
