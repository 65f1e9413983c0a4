"""The main window: one tab per area of work, menus, toolbar, status bar, the reminder.

Tabs are listed in :data:`cchc_desktop.gui.features.TAB_SPECS` and built on first view, so the window opens fast and a
tab whose module is not there yet (or fails to load) does not stop the others. Menu items
that other modules provide (import, export, backup) appear only when those modules exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop import APP_NAME, __version__
from cchc_desktop.gui.common.compact import CompactChrome
from cchc_desktop.gui.common.lazy_qt import Qt
from cchc_desktop.gui.common.settings import Settings
from cchc_desktop.gui.common.style import load_stylesheet
from cchc_desktop.gui.features import (
    PACKAGE,
    TAB_SPECS,
    module_exists,
    tab_module,
)
from cchc_desktop.gui.reminder import ReminderBanner
from cchc_desktop.gui.window_menus import WindowMenus, build_menus, build_toolbar

if TYPE_CHECKING:  # the window is drawn before SQLAlchemy is imported (fast start-up)
    from cchc_desktop.gui.common.context import GuiContext
    from cchc_desktop.gui.common.jobs import Background
    from cchc_desktop.store.db import Database

SOON_DAYS = 7  # until the database is read; then the office's setting (Tùy chọn)
LOADING_TEXT = "Đang mở cơ sở dữ liệu..."


def call_if_present(widget: object, method: str, *args: object, **kwargs: object) -> bool:
    """Call ``widget.<method>(...)`` when the tab offers it (tabs are duck-typed); True if it did."""
    found = getattr(widget, method, None)
    if found is None:
        return False
    found(*args, **kwargs)
    return True


PREFERRED_SIZE = QSize(1280, 800)


def initial_size(available: QSize) -> tuple[QSize, bool]:
    """The first size of the window on a screen with ``available`` room, and whether to
    maximise it: never taller or wider than the screen; maximised on a small one (a
    1366×768 laptop) where every pixel counts."""
    small = (available.width() < PREFERRED_SIZE.width()
             or available.height() < PREFERRED_SIZE.height())
    return PREFERRED_SIZE.boundedTo(available), small


class MainWindow(WindowMenus):
    """The application window.

    Built with a database, it is ready at once. Built with ``None`` it is the window's shell:
    menus, toolbar and tabs are drawn and "Đang mở cơ sở dữ liệu..." is shown while the
    database is opened elsewhere (see :mod:`cchc_desktop.gui.startup`), then
    :meth:`attach_database` fills it.

    Attributes:
        ctx: the GuiContext every tab gets (database, undo stack, today, status messages);
            None until a database is attached.
        tabs: the QTabWidget; specs: the TAB_SPECS entries whose module exists, in tab order.
        reminder: the banner of overdue and soon-due tasks (:class:`ReminderBanner`).
        undo_action, redo_action: the Edit menu's Hoàn tác / Làm lại; file_menu: Tệp.
        menu_actions: (module, function) → QAction for the optional File-menu items.
        opening: the background opening of the database (running or ended), or None.
        checking: the integrity check and daily backup behind the data shown (running or
            ended, see :mod:`cchc_desktop.gui.startup`), or None.
        closing: set when the window closes; an opening that ends afterwards is dropped.

    Signals:
        first_painted(): the window has been drawn for the first time, tabs and all.
        filled(): the menus, toolbar and tabs were built (see :meth:`build`).
        database_ready(): a database was attached and the current tab built.
    """

    first_painted = Signal()
    database_ready = Signal()
    filled = Signal()

    def __init__(self, db: Database | None, *, today: date | None = None,
                 staged: bool = False) -> None:
        super().__init__()
        self.settings = Settings()
        self.undo_stack = QUndoStack(self)
        self._today = today
        self.ctx: GuiContext | None = None
        self.opening: Background | None = None
        self.checking: Background | None = None
        self.closing = False
        self.location = ""
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(760, 520)
        self._specs: list[tuple[str, str, str]] | None = None
        self._widgets: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self._loading: list[QLabel] = []
        self.menu_actions: dict[tuple[str, str], QAction] = {}
        self.remember_layout = True
        self.start_failed = False  # set by gui.app.launch when the database did not open
        self.painted = False
        self.built = False
        if staged:  # the frame first, at its place and size; the rest after its first paint
            placeholder = QLabel(LOADING_TEXT)
            placeholder.setObjectName("loading")
            # Centred by a style sheet: Qt.AlignmentFlag would build the Qt namespace
            # before the first paint (gui/common/lazy_qt.py).
            placeholder.setStyleSheet("qproperty-alignment: AlignCenter;")
            self.setCentralWidget(placeholder)
            self._restore_geometry()
            self.installEventFilter(self)
        else:
            self.build(loading=db is None)
        if db is not None:
            self.attach_database(db)

    @property
    def specs(self) -> list[tuple[str, str, str]]:
        """The TAB_SPECS entries whose module exists, in tab order (looked up when first
        needed: finding the modules imports their packages, kept out of the first paint)."""
        if self._specs is None:
            self._specs = [spec for spec in TAB_SPECS if module_exists(tab_module(spec[0]))]
        return self._specs

    def build(self, loading: bool = True) -> None:
        """Build the menus, the toolbar, the tabs and the status bar (at once, or just after
        the first paint of a window made ``staged``: the program's own start); ``loading``:
        with a "loading" note until a database is attached."""
        if self.built:
            return
        self.built = True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            from cchc_desktop.gui.common import qt_vi

            qt_vi.install(app)  # Qt's own buttons and menus in Vietnamese
            if not app.styleSheet():
                app.setStyleSheet(load_stylesheet())
        self._build_central()
        build_menus(self)
        build_toolbar(self)
        self._build_status_bar()
        self._restore_window()
        self.chrome = CompactChrome(self, self.toolbar, self.reminder)  # a short window
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.installEventFilter(self)  # the reminder is counted after the first paint
        if loading:
            self._data_actions_enabled(False)
            self.location_label.setText(LOADING_TEXT)
            self._tab_changed(self.tabs.currentIndex())
        self.filled.emit()

    def when_built(self, then: Callable[[], object]) -> None:
        """Call ``then()`` once the menus and tabs exist (now, or when :meth:`build` runs)."""
        if self.built:
            then()
        else:
            self.filled.connect(then)

    def attach_database(self, db: Database) -> None:
        """Give the window its database: tabs are built from now on, the reminder counted."""
        from cchc_desktop.gui.common.context import GuiContext

        self.build(loading=False)
        from cchc_desktop.gui.common.location import describe_location

        today = self._today
        self.ctx = GuiContext(
            db=db,
            undo_stack=self.undo_stack,
            show_message=self._show_message,
            today=(lambda: today) if today else date.today,
        )
        self.ctx.data_changed.append(self._data_changed)
        self.location = describe_location(db)
        self.setWindowTitle(f"{APP_NAME} — {self.location}")
        self.location_label.setText(f"Cơ sở dữ liệu: {self.location}")
        for label in self._loading:
            label.deleteLater()
        self._loading.clear()
        self._data_actions_enabled(True)
        self._tab_changed(self.tabs.currentIndex())
        if self.painted:
            QTimer.singleShot(0, self, self.update_reminder)
        self.database_ready.emit()

    def detach_database(self) -> None:
        """Give the database up (the check behind the data found it damaged): its tabs and
        undo history go, the database is closed, and the window waits, as at start-up,
        for :meth:`attach_database`."""
        if self.ctx is None:
            return
        for widget in self._widgets.values():
            call_if_present(widget, "wait_loaded")
            call_if_present(widget, "dispose")
            widget.hide()
            widget.deleteLater()
        self._widgets.clear()
        self._stale.clear()
        self.undo_stack.clear()
        db, self.ctx = self.ctx.db, None
        db.close()
        self.reminder.show_counts(0, 0)
        self._data_actions_enabled(False)
        self.location_label.setText(LOADING_TEXT)
        self._tab_changed(self.tabs.currentIndex())

    def context(self) -> GuiContext:
        """The GuiContext; only valid once a database is attached (data actions are off before)."""
        if self.ctx is None:
            raise RuntimeError("the window has no database yet")
        return self.ctx

    def _data_actions_enabled(self, enabled: bool) -> None:
        for action in [self.new_task_action, self.find_action, self.refresh_action,
                       *self.menu_actions.values()]:
            action.setEnabled(enabled)

    # ------------------------------------------------------------------ building
    def _build_central(self) -> None:
        self.reminder = ReminderBanner(SOON_DAYS)
        self.reminder.show_overdue.connect(lambda: self.show_tasks(overdue=True))
        self.reminder.show_soon.connect(
            lambda: self.show_tasks(due_within=self.reminder.soon_days))
        self.reminder.show_requests.connect(
            lambda: self.run_module_action("tasks.extensions_dialog", "show_extensions"))

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Các thẻ chức năng")
        self._page_layouts: list[QVBoxLayout] = []
        for module, _cls, title in self.specs:
            page = QWidget()
            page.setObjectName(f"page_{module}")
            layout = QVBoxLayout(page)
            layout.setContentsMargins(8, 8, 8, 8)
            self._page_layouts.append(layout)
            self.tabs.addTab(page, title)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.reminder)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.location_label = QLabel()
        self.location_label.setObjectName("hint")
        self.statusBar().addPermanentWidget(self.location_label)

    # ------------------------------------------------------------------ tabs
    def index_of(self, module: str) -> int:
        """The position of tab ``module`` ("tasks_tab"); -1 when that tab is missing."""
        return next((i for i, s in enumerate(self.specs) if s[0] == module), -1)

    def tab(self, module: str) -> QWidget | None:
        """The tab of ``module`` (built now if needed); None when that module is missing."""
        widget = self._widgets.get(module)
        if widget is not None:
            return widget
        index = self.index_of(module)
        if index < 0 or self.ctx is None:
            return None
        _module, class_name, title = self.specs[index]
        try:
            cls = getattr(importlib.import_module(f"{PACKAGE}.{tab_module(module)}"), class_name)
            widget = cls(self.ctx, None)
        except Exception as exc:  # another tab's bug must not take the window down
            from cchc_desktop.logs import log_exception

            where = log_exception(exc)
            widget = QLabel(f"Không mở được thẻ “{title}”. Chi tiết lỗi được ghi tại {where}.")
            widget.setObjectName("tabError")
            widget.setWordWrap(True)
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        open_tasks = getattr(widget, "open_tasks", None)
        if open_tasks is not None and hasattr(open_tasks, "connect"):
            open_tasks.connect(lambda kwargs: self.show_tasks(**kwargs))
        get_started = getattr(widget, "get_started", None)
        if get_started is not None and hasattr(get_started, "connect"):
            get_started.connect(self.first_step)
        from cchc_desktop.gui.common.accessibility import name_widgets

        name_widgets(widget, title)
        self._page_layouts[index].addWidget(widget)
        self._widgets[module] = widget
        return widget

    def current_module(self) -> str:
        index = self.tabs.currentIndex()
        return self.specs[index][0] if 0 <= index < len(self.specs) else ""

    def _tab_changed(self, index: int) -> None:
        if not 0 <= index < len(self.specs):
            return
        if self.ctx is None:  # still opening the database
            layout = self._page_layouts[index]
            if not any(label.parent() is self.tabs.widget(index) for label in self._loading):
                label = QLabel(LOADING_TEXT)
                label.setObjectName("loading")
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                layout.addWidget(label)
                self._loading.append(label)
            return
        module = self.specs[index][0]
        created = module in self._widgets
        widget = self.tab(module)
        if created and module in self._stale:
            call_if_present(widget, "refresh")
        self._stale.discard(module)

    def _data_changed(self) -> None:
        current = self.current_module()
        for module, widget in self._widgets.items():
            if module == current and hasattr(widget, "refresh"):
                widget.refresh()
            else:
                self._stale.add(module)
        self.update_reminder()

    def refresh_current(self) -> None:
        widget = self._widgets.get(self.current_module())
        if widget is not None and hasattr(widget, "refresh"):
            widget.refresh()
        self.update_reminder()

    def show_tasks(self, **kwargs) -> QWidget | None:
        """Switch to the Nhiệm vụ tab filtered as asked (see TasksTab.show_filtered)."""
        index = self.index_of("tasks_tab")
        if index < 0:
            return None
        self.tabs.setCurrentIndex(index)
        widget = self.tab("tasks_tab")
        call_if_present(widget, "show_filtered", **kwargs)
        return widget

    def first_step(self, step: str) -> None:
        """A button of the empty database's welcome panel: open that tab or that import."""
        if step == "import_tasks":
            self.run_module_action("tasks.import_dialog", "import_tasks")
            return
        index = self.index_of(step)
        if index >= 0:
            self.tabs.setCurrentIndex(index)

    def new_task(self) -> None:
        widget = self._widgets.get(self.current_module())
        if widget is None or not hasattr(widget, "new_task"):
            index = self.index_of("tasks_tab")
            if index >= 0:
                self.tabs.setCurrentIndex(index)
            widget = self.tab("tasks_tab")
        if not call_if_present(widget, "new_task"):
            from cchc_desktop.gui.tasks import edit_task

            edit_task(self.context(), self)

    def focus_search(self) -> None:
        widget = self._widgets.get(self.current_module())
        if widget is None or not hasattr(widget, "focus_search"):
            index = self.index_of("tasks_tab")
            if index < 0:
                return
            self.tabs.setCurrentIndex(index)
            widget = self.tab("tasks_tab")
        if widget is not None and hasattr(widget, "focus_search"):
            widget.focus_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if not self.built:
            if watched is self and event.type() == QEvent.Type.Paint:
                self.removeEventFilter(self)
                QTimer.singleShot(0, self, self.build)  # the frame is on screen: fill it
        elif not self.painted and watched is self.tabs and event.type() == QEvent.Type.Paint:
            self.painted = True
            QTimer.singleShot(0, self, self._first_paint_done)
        return super().eventFilter(watched, event)

    def _first_paint_done(self) -> None:
        if self.ctx is not None:
            self.update_reminder()
        self.first_painted.emit()

    # ------------------------------------------------------------------ reminder, messages
    def reminder_counts(self) -> tuple[int, int, int]:
        """(overdue, due soon, extension requests waiting) as of today, over all tasks;
        "soon" is the office's setting (Tùy chọn, default 7 days), which the banner then
        shows."""
        from cchc_desktop.services.extensions import count_pending
        from cchc_desktop.services.office_settings import due_soon_days
        from cchc_desktop.services.task_queries import TaskFilter, count_overdue, count_tasks

        ctx = self.context()
        today = ctx.today()
        with ctx.db.session() as session:
            days = due_soon_days(session)
            overdue = count_overdue(session, today)  # summing the six classes read every task
            soon = count_tasks(session, TaskFilter(due_within=days), today)
            asked = count_pending(session)
        self.reminder.set_soon_days(days)
        return overdue, soon, asked

    def update_reminder(self) -> None:
        if self.ctx is None:
            return
        self._show_message(self.reminder.show_counts(*self.reminder_counts()))

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def show_about(self) -> None:
        from cchc_desktop.gui.common import dialogs

        dialogs.show_info(
            self,
            f"{APP_NAME} — phiên bản {__version__}\n\n"
            "Phần mềm quản lý công tác cải cách hành chính của Sở: kế hoạch, nhiệm vụ, "
            "tài liệu kiểm chứng, tự chấm điểm Chỉ số CCHC và báo cáo định kỳ.\n\n"
            f"Cơ sở dữ liệu: {self.location}",
        )

    def run_module_action(self, module: str, function: str) -> bool:
        """Call ``gui.<module>.<function>(self, ctx)``; refresh when it changed something."""
        try:
            func = getattr(importlib.import_module(f"{PACKAGE}.{module}"), function)
        except (ImportError, AttributeError):
            from cchc_desktop.gui.common import dialogs

            dialogs.show_error(self, "Chức năng này chưa có trong phiên bản hiện tại.")
            return False
        ctx = self.context()
        changed = bool(func(self, ctx))
        if changed:
            ctx.notify_changed()
        return changed

    # ------------------------------------------------------------------ layout memory
    def _restore_window(self) -> None:
        self._restore_geometry()
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        last = self.index_of(self.settings.last_tab())
        self.tabs.setCurrentIndex(last if last >= 0 else 0)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry()
        available = self.screen().availableGeometry().size()
        if geometry is not None:
            self.restoreGeometry(geometry)
            if self.height() > available.height() or self.width() > available.width():
                self.resize(self.size().boundedTo(available))  # saved on a larger screen
        else:
            size, maximise = initial_size(available)
            self.resize(size)
            if maximise:
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def save_layout(self) -> None:
        """Remember size, position, last tab and every built tab's own layout."""
        if not self.built:
            return  # closed before it was filled: nothing of the layout to keep
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        self.settings.set_last_tab(self.current_module())
        for widget in self._widgets.values():
            if hasattr(widget, "save_layout"):
                widget.save_layout()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        self.closing = True
        for job in (self.opening, self.checking):
            if job is not None:
                job.wait()  # never leave a migration or a backup half-done
        if self.remember_layout:
            self.save_layout()
        for widget in self._widgets.values():
            if hasattr(widget, "wait_loaded"):
                widget.wait_loaded()
            if hasattr(widget, "dispose"):  # a tab's own clean-up (temporary files ...)
                widget.dispose()
        super().closeEvent(event)
