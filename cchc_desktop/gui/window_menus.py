"""The main window's menus and toolbar (built just after the window's first paint; the
guide, the help module, is imported then).

Every action says what it does in the status bar, and in its tooltip with its shortcut.
The Tệp menu lists the actions the feature modules provide (:data:`MENU_ACTIONS`), only
those whose module exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QToolBar, QWidget

from cchc_desktop.gui.common.lazy_qt import Qt
from cchc_desktop.gui.common.style import change_font_size, icon
from cchc_desktop.gui.features import MENU_ACTIONS, MENU_TIPS, module_exists


class WindowMenus(QMainWindow):
    """The main window as its menus and toolbar see it: the actions :func:`build_menus` and
    :func:`build_toolbar` make, and what they call (:class:`~cchc_desktop.gui.main_window.
    MainWindow` gives it)."""

    undo_stack: QUndoStack
    tabs: QTabWidget
    menu_actions: dict[tuple[str, str], QAction]
    file_menu: QMenu
    toolbar: QToolBar
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    new_task_action: QAction
    find_action: QAction
    refresh_action: QAction
    font_actions: list[QAction]
    guide_action: QAction
    log_folder_action: QAction
    about_action: QAction

    @property
    def specs(self) -> list[tuple[str, str, str]]:
        """The tabs, as (module, class name, title)."""
        raise NotImplementedError

    def run_module_action(self, module: str, function: str) -> bool:
        """Run the File-menu action ``function`` of the feature module ``module``."""
        raise NotImplementedError

    def new_task(self) -> None:
        """Thêm nhiệm vụ (Ctrl+N)."""
        raise NotImplementedError

    def focus_search(self) -> None:
        """Tìm kiếm (Ctrl+F) in the current tab."""
        raise NotImplementedError

    def refresh_current(self) -> None:
        """Làm mới (F5): read the current tab's data again."""
        raise NotImplementedError

    def show_about(self) -> None:
        """Giới thiệu."""
        raise NotImplementedError


def _label_action(action: QAction, verb: str, text: str) -> None:
    """The undo/redo action's text; the stack may speak after the action is gone (closing)."""
    try:
        action.setText(f"{verb}: {text}" if text else verb)
    except RuntimeError:  # its C++ side was deleted first; nothing is shown any more
        pass


def _describe(action: QAction, tip: str, *, tooltip: bool = True) -> None:
    """What ``action`` does, in the status bar and (unless told not to) its tooltip, with
    its shortcut: "Làm mới dữ liệu của thẻ đang xem (F5)"."""
    action.setStatusTip(tip)
    if tooltip and tip:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)


def make_action(window: QWidget, text: str, slot: Callable[[], object], shortcut=None,  # noqa: ANN001
                image: QIcon | None = None, tip: str = "") -> QAction:
    """An action of ``window`` that calls ``slot``, with its shortcut, icon and tip."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    _describe(action, tip)
    if image is not None:
        action.setIcon(image)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_menus(window: WindowMenus) -> None:
    """The menu bar: Tệp (the feature modules' actions), Sửa, Xem, Trợ giúp."""
    from cchc_desktop.gui.help import GUIDE_TITLE, open_log_folder, show_guide

    bar = window.menuBar()
    file_menu = window.file_menu = bar.addMenu("&Tệp")
    pending_separator = False
    for entry in MENU_ACTIONS:
        if entry is None:
            pending_separator = bool(window.menu_actions)
            continue
        module, function, text = entry
        if not module_exists(module):
            continue
        if pending_separator:
            file_menu.addSeparator()
            pending_separator = False
        action = make_action(window, text, partial(window.run_module_action, module, function),
                              tip=MENU_TIPS.get(function, ""))
        file_menu.addAction(action)
        window.menu_actions[(module, function)] = action
    if window.menu_actions:
        file_menu.addSeparator()
    window.quit_action = make_action(window, "Thoát", window.close, QKeySequence.StandardKey.Quit,
                                    tip="Đóng chương trình (dữ liệu đã được lưu)")
    file_menu.addAction(window.quit_action)

    edit = bar.addMenu("&Sửa")
    window.undo_action = window.undo_stack.createUndoAction(window, "Hoàn tác")
    window.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    window.undo_action.setIcon(icon("undo", "SP_ArrowBack"))
    window.redo_action = window.undo_stack.createRedoAction(window, "Làm lại")
    window.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    window.redo_action.setIcon(icon("redo", "SP_ArrowForward"))
    # "Hoàn tác: Xóa đơn vị “…”" (Qt would write the prefix and the text with a space only).
    window.undo_stack.undoTextChanged.connect(
        partial(_label_action, window.undo_action, "Hoàn tác"), Qt.ConnectionType.DirectConnection)
    window.undo_stack.redoTextChanged.connect(
        partial(_label_action, window.redo_action, "Làm lại"), Qt.ConnectionType.DirectConnection)
    # Their tooltips stay Qt's: the full text of what would be undone or redone.
    _describe(window.undo_action, "Hoàn tác thao tác vừa làm (Ctrl+Z)", tooltip=False)
    _describe(window.redo_action, "Làm lại thao tác vừa hoàn tác (Ctrl+Y)", tooltip=False)
    edit.addAction(window.undo_action)
    edit.addAction(window.redo_action)
    edit.addSeparator()
    window.new_task_action = make_action(window, "Thêm nhiệm vụ...", window.new_task, "Ctrl+N",
                                        icon("new_task", "SP_FileIcon"),
                                        tip="Thêm một nhiệm vụ mới")
    window.find_action = make_action(window, "Tìm kiếm", window.focus_search, "Ctrl+F",
                                    tip="Tìm trong danh sách của thẻ đang xem")
    edit.addAction(window.new_task_action)
    edit.addAction(window.find_action)

    view = bar.addMenu("&Xem")
    for i, (_module, _cls, title) in enumerate(window.specs):
        view.addAction(make_action(window, title, partial(window.tabs.setCurrentIndex, i),
                                    f"Ctrl+{i + 1}" if i < 9 else None,
                                    tip=f"Chuyển sang thẻ “{title}”"))
    view.addSeparator()
    window.refresh_action = make_action(window,
        "Làm mới", window.refresh_current, "F5",
        icon("refresh", "SP_BrowserReload"),
        tip="Đọc lại dữ liệu của thẻ đang xem")
    view.addAction(window.refresh_action)
    view.addSeparator()
    window.font_actions = [
        make_action(window, "Phóng to chữ", partial(change_font_size, 1), QKeySequence.StandardKey.ZoomIn,
                     tip="Chữ to hơn trong cả cửa sổ (ghi nhớ trên máy này)"),
        make_action(window, "Thu nhỏ chữ", partial(change_font_size, -1), QKeySequence.StandardKey.ZoomOut,
                     tip="Chữ nhỏ hơn trong cả cửa sổ (ghi nhớ trên máy này)"),
        make_action(window, "Cỡ chữ mặc định", partial(change_font_size, 0), "Ctrl+0",
                     tip="Trở về cỡ chữ của hệ thống"),
    ]
    window.font_actions[0].setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
    view.addActions(window.font_actions)

    help_menu = bar.addMenu("&Trợ giúp")
    window.guide_action = make_action(window, f"{GUIDE_TITLE}...", partial(show_guide, window),
                                     QKeySequence.StandardKey.HelpContents,
                                     tip="Hướng dẫn sử dụng từng việc, có ảnh màn hình")
    window.log_folder_action = make_action(window,
        "Mở thư mục nhật ký", partial(open_log_folder, window),
        tip="Mở thư mục chứa tệp nhật ký lỗi để gửi cho bộ phận tin học")
    window.about_action = make_action(window, "Giới thiệu", window.show_about,
                                     tip="Phiên bản và thông tin về chương trình")
    help_menu.addAction(window.guide_action)
    help_menu.addAction(window.log_folder_action)
    help_menu.addSeparator()
    help_menu.addAction(window.about_action)
    for menu, tip in ((file_menu, "Nhập, xuất, sao lưu dữ liệu và tùy chọn"),
                      (edit, "Hoàn tác, làm lại, thêm nhiệm vụ, tìm kiếm"),
                      (view, "Chuyển thẻ, làm mới dữ liệu, cỡ chữ"),
                      (help_menu, "Hướng dẫn sử dụng, thư mục nhật ký, giới thiệu chương trình")):
        menu.menuAction().setStatusTip(tip)


def build_toolbar(window: WindowMenus) -> None:
    """The toolbar: new task, undo/redo, refresh, then the report and backup actions."""
    toolbar = window.toolbar = window.addToolBar("Công cụ")
    toolbar.setObjectName("mainToolbar")
    toolbar.toggleViewAction().setStatusTip("Hiện hoặc ẩn thanh công cụ")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addAction(window.new_task_action)
    toolbar.addSeparator()
    toolbar.addAction(window.undo_action)
    toolbar.addAction(window.redo_action)
    toolbar.addAction(window.refresh_action)
    extra = [
        (("reports.export_dialog", "export_report"), "report",
         "SP_FileDialogDetailedView"),
        (("catalog.backup_dialog", "backup_now"), "backup", "SP_DialogSaveButton"),
    ]
    shown = [item for item in extra if item[0] in window.menu_actions]
    if shown:
        toolbar.addSeparator()
    for key, name, fallback in shown:
        action = window.menu_actions[key]
        action.setIcon(icon(name, fallback))
        toolbar.addAction(action)
