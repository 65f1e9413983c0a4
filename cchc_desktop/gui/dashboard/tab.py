"""The "Tổng quan" tab: today's six status counts, what is overdue or due soon, and charts."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.gui.common.charts import ChartWidget
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.settings import Settings
from cchc_desktop.gui.common.stack_or_tabs import StackOrTabs
from cchc_desktop.gui.tasks import SHORT_COLUMNS, STATUS_COLOURS, TaskTableModel, edit_task

TABBED_BELOW = 450
"""Under this height the two lists (and the two charts) take turns on tabs: stacked, each
list needs its title, header, five rows and its button."""
SOON_DAYS = 7  # until the database is read; then the office's setting (Tùy chọn)
LIST_LIMIT = 300
# The welcome panel's buttons on an empty database: (step, button text).
FIRST_STEPS = (
    ("catalog_tab", "1. Nhập thông tin cơ quan, danh mục đơn vị"),
    ("import_tasks", "2. Nhập nhiệm vụ từ tệp Excel..."),
    ("plans_tab", "hoặc tạo kế hoạch và nhập nhiệm vụ trực tiếp"),
)


class StatusCard(QPushButton):
    """A clickable count of one status class (or the total when ``status`` is None)."""

    def __init__(self, status: StatusClass | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.setObjectName("statusCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(48)  # low: on a 1366×768 screen the lists below need the room
        colour = STATUS_COLOURS[status] if status else "#37474f"
        self.setStyleSheet(f"#statusCard {{ border-left: 5px solid {colour}; }}")
        self.number = QLabel("…")
        self.number.setObjectName("cardNumber")
        self.number.setStyleSheet(f"color: {colour};")
        self.caption = QLabel(STATUS_LABELS[status] if status else "Tổng số nhiệm vụ")
        self.caption.setObjectName("cardCaption")
        self.caption.setWordWrap(True)
        # The number beside its caption: a card is one line high, not two.
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 8, 4)
        layout.setSpacing(10)
        layout.addWidget(self.number)
        layout.addWidget(self.caption, 1)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setToolTip("Bấm để xem danh sách nhiệm vụ")

    def set_count(self, count: int) -> None:
        self.number.setText(f"{count:,}".replace(",", "."))


class DashboardTab(QWidget):
    """Counts, overdue and due-soon lists, completion charts, for one year or all.

    Signals:
        open_tasks(dict): the user asked for a task list; keyword arguments for
            ``TasksTab.show_filtered`` (status, overdue, due_within, year).
        get_started(str): a first step chosen on the empty database's welcome panel, one of
            :data:`FIRST_STEPS` ("import_tasks", "plans_tab", "catalog_tab").
        counted(): the status counts were read and set on the cards (lists and charts follow).
    Attributes:
        welcome: the panel shown while the database holds no task at all;
        cards: StatusClass (None for the total) → StatusCard; year: the year selector;
        overdue_model, soon_model: the two lists; unit_chart, area_chart: the charts.
    """

    open_tasks = Signal(dict)
    get_started = Signal(str)
    counted = Signal()

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = Settings()
        self.summary: dict[str, int] = {}
        self.details_ready = False
        self._pending = 0
        self._counted = False
        self._build()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        super().paintEvent(event)
        if not self._counted:
            # Counting 100,000 tasks takes a moment: the window paints first, then we count.
            self._counted = True
            QTimer.singleShot(0, self, self.refresh)

    def _build(self) -> None:
        title = QLabel("Tổng quan công tác cải cách hành chính")
        title.setObjectName("pageTitle")
        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("hint")
        self.year = QComboBox()
        self.year.setMinimumWidth(130)
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year.currentIndexChanged.connect(self._year_changed)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(self.as_of_label)
        top.addStretch(1)
        top.addWidget(QLabel("Năm:"))
        top.addWidget(self.year)

        self.cards: dict[StatusClass | None, StatusCard] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        total = StatusCard(None)
        total.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.cards[None] = total
        grid.addWidget(total, 0, 0, 2, 1)
        for i, cls in enumerate(StatusClass):
            card = StatusCard(cls)
            self.cards[cls] = card
            grid.addWidget(card, i // 3, 1 + i % 3)
        for card in self.cards.values():
            card.clicked.connect(lambda _c=False, s=card.status: self._card_clicked(s))
        for column in range(4):
            grid.setColumnStretch(column, 1)

        self.overdue_model = TaskTableModel(self.ctx.today(), SHORT_COLUMNS, self)
        self.soon_model = TaskTableModel(self.ctx.today(), SHORT_COLUMNS, self)
        self.overdue_more = QPushButton("Xem tất cả nhiệm vụ quá hạn")
        self.overdue_more.clicked.connect(lambda: self._emit(overdue=True))
        self.soon_more = QPushButton(f"Xem tất cả nhiệm vụ đến hạn trong {SOON_DAYS} ngày")
        self.soon_days = SOON_DAYS
        self.soon_more.clicked.connect(lambda: self._emit(due_within=self.soon_days))
        self.overdue_box, self.overdue_view = self._list_box(self.overdue_model, self.overdue_more)
        self.soon_box, self.soon_view = self._list_box(self.soon_model, self.soon_more)
        self.unit_chart = ChartWidget("Kết quả thực hiện theo đơn vị chủ trì")
        self.area_chart = ChartWidget("Tỷ lệ hoàn thành theo lĩnh vực CCHC")
        self.lists = StackOrTabs((self.overdue_box, "Quá hạn"), (self.soon_box, "Đến hạn"),
                                 tabbed_below=TABBED_BELOW)
        self.charts = StackOrTabs((self.unit_chart, "Theo đơn vị"),
                                  (self.area_chart, "Theo lĩnh vực"), tabbed_below=TABBED_BELOW)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.lists)
        self.splitter.addWidget(self.charts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 520])
        state = self.settings.splitter_state("dashboard")
        if state is not None:
            self.splitter.restoreState(state)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._build_welcome())
        layout.addLayout(grid)
        layout.addWidget(self.splitter, 1)

    def _build_welcome(self) -> QFrame:
        self.welcome = QFrame()
        self.welcome.setObjectName("welcome")
        text = QLabel("<b>Cơ sở dữ liệu chưa có nhiệm vụ nào.</b> Để bắt đầu: khai báo cơ quan và "
                      "các đơn vị chủ trì, phối hợp; rồi nhập bảng nhiệm vụ của kế hoạch từ tệp "
                      "Excel (.xlsx, .xls, .ods) đang dùng, hoặc tạo kế hoạch và thêm nhiệm vụ.")
        text.setWordWrap(True)
        row = QHBoxLayout()
        self.welcome_buttons: dict[str, QPushButton] = {}
        for step, caption in FIRST_STEPS:
            button = QPushButton(caption)
            button.clicked.connect(partial(self.get_started.emit, step))
            self.welcome_buttons[step] = button
            row.addWidget(button)
        row.addStretch(1)
        box = QVBoxLayout(self.welcome)
        box.setContentsMargins(14, 10, 14, 10)
        box.addWidget(text)
        box.addLayout(row)
        self.welcome.hide()
        return self.welcome

    def _list_box(self, model: TaskTableModel,
                  more: QPushButton) -> tuple[QGroupBox, QTableView]:
        box = QGroupBox()
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(26)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        # The columns share the width (no sideways scrolling in a narrow list): the task and
        # its unit stretch, the deadline and the status take what they need.
        for column, mode in enumerate((QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        view.doubleClicked.connect(lambda index, m=model: self._open_task(m, index.row()))
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(view)
        layout.addWidget(more, 0, Qt.AlignmentFlag.AlignRight)
        view.setMinimumHeight(26 * 3 + 30)  # the header and at least three rows
        return box, view

    def save_layout(self) -> None:
        self.settings.set_splitter_state("dashboard", self.splitter.saveState())

    # ------------------------------------------------------------------ data
    def selected_year(self) -> int | None:
        return self.year.currentData()

    def refresh(self) -> None:
        """Recount as of today for the selected year; lists and charts follow after painting."""
        from cchc_desktop.services.task_queries import TaskFilter, summarize_tasks, task_years

        self._counted = True
        today = self.ctx.today()
        self.as_of_label.setText(f"Tính đến ngày {format_date_vn(today)}")
        with self.ctx.db.session() as session:
            years = task_years(session)
            self._fill_years(years)
            self.summary = summarize_tasks(session, today, TaskFilter(year=self.selected_year()))
        self.cards[None].set_count(self.summary["total"])
        self.welcome.setVisible(not years)
        for cls in StatusClass:
            self.cards[cls].set_count(self.summary[cls.value])
        n_overdue = self.summary[StatusClass.OPEN_OVERDUE.value]
        self.lists.set_title(0, f"Quá hạn ({n_overdue:,})".replace(",", "."),
                             f"Nhiệm vụ quá hạn ({n_overdue:,})".replace(",", "."))
        self.details_ready = False
        self.counted.emit()
        self._pending += 1
        # The lists and charts read and draw more; let the counts paint first.
        QTimer.singleShot(30, self, lambda n=self._pending: self._load_details(n))

    def _load_details(self, ticket: int) -> None:
        if ticket != self._pending:
            return  # a newer refresh is on its way
        self.load_lists()
        QTimer.singleShot(30, self, lambda: self._draw_later(ticket))

    def _draw_later(self, ticket: int) -> None:
        if ticket == self._pending:
            self.draw_charts()

    def load_lists(self) -> None:
        """Fill the overdue and due-soon lists (normally just after the counts painted)."""
        from cchc_desktop.services.task_queries import TaskFilter, list_tasks

        today = self.ctx.today()
        year = self.selected_year()
        from cchc_desktop.services.office_settings import due_soon_days

        with self.ctx.db.session() as session:
            self.soon_days = days = due_soon_days(session)
            overdue = list_tasks(session, today, TaskFilter(year=year, overdue=True),
                                 limit=LIST_LIMIT)
            soon = list_tasks(session, today, TaskFilter(year=year, due_within=days),
                              limit=LIST_LIMIT)
        for model in (self.overdue_model, self.soon_model):
            model.today = today
        self.overdue_model.set_rows(overdue)
        self.soon_model.set_rows(soon)
        self.lists.set_title(
            1, f"Đến hạn trong {days} ngày ({len(soon):,})".replace(",", "."),
            f"Đến hạn trong {days} ngày tới ({len(soon):,})".replace(",", "."))
        self.soon_more.setText(f"Xem tất cả nhiệm vụ đến hạn trong {days} ngày")

    def draw_charts(self) -> None:
        """Draw the two charts now (normally called just after the tab painted)."""
        from cchc_desktop.services.task_queries import (
            TaskFilter,
            completion_by_area,
            completion_by_unit,
        )

        today = self.ctx.today()
        flt = TaskFilter(year=self.selected_year())
        with self.ctx.db.session() as session:
            by_unit = completion_by_unit(session, today, flt)
            by_area = completion_by_area(session, today, flt)
        self.unit_chart.plot_units(by_unit)
        self.area_chart.plot_areas(by_area)
        self.details_ready = True

    def _fill_years(self, years: list[int]) -> None:
        current = self.year.currentData() if self.year.count() else self.settings.last_year()
        if not self.year.count() and current is None and self.ctx.today().year in years:
            current = self.ctx.today().year
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("Tất cả các năm", None)
        for year in years:
            self.year.addItem(f"Năm {year}", year)
        self.year.setCurrentIndex(max(self.year.findData(current), 0) if current else 0)
        self.year.blockSignals(False)

    def _year_changed(self, _index: int) -> None:
        self.settings.set_last_year(self.selected_year())
        self.refresh()

    # ------------------------------------------------------------------ clicks
    def _emit(self, **kwargs) -> None:
        kwargs["year"] = self.selected_year()
        self.open_tasks.emit(kwargs)

    def _card_clicked(self, status: StatusClass | None) -> None:
        self._emit(status=status)

    def _open_task(self, model: TaskTableModel, row: int) -> None:
        if 0 <= row < model.rowCount():
            edit_task(self.ctx, self, model.task_id_at(row))
