"""The main window: tabs, menus, the reminder, remembered layout, screenshots."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from cchc_desktop import __version__
from cchc_desktop.domain.status import StatusClass
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.features import MENU_ACTIONS, TAB_SPECS, module_exists, tab_module
from cchc_desktop.gui.main_window import MainWindow
from cchc_desktop.services.task_queries import TaskFilter, summarize_tasks
from tests.conftest import DEMO_TODAY


def test_window_opens_with_every_existing_tab(window, demo_db):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    expected = [title for key, _cls, title in TAB_SPECS if module_exists(tab_module(key))]
    assert titles == expected
    assert "Tổng quan" in titles and "Nhiệm vụ" in titles
    assert str(demo_db.sqlite_path.resolve()) in window.windowTitle()
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["Tệp", "Sửa", "Xem", "Trợ giúp"]


def test_every_tab_builds(window):
    for module, _cls, _title in window.specs:
        widget = window.tab(module)
        assert widget is not None
        assert widget.objectName() != "tabError", f"{module} failed to load"


def test_optional_menu_items_follow_their_modules(window):
    for entry in MENU_ACTIONS:
        if entry is None:
            continue
        module, function, _text = entry
        assert ((module, function) in window.menu_actions) == module_exists(module)


def test_reminder_counts_and_click_through(qtbot, window, demo_db):
    with demo_db.session() as session:
        overdue = summarize_tasks(session, DEMO_TODAY)["open_overdue"]
        soon = summarize_tasks(session, DEMO_TODAY, TaskFilter(due_within=7))["total"]
    assert overdue > 0
    expected = f"{overdue} nhiệm vụ quá hạn, {soon} nhiệm vụ đến hạn trong 7 ngày"
    qtbot.waitUntil(lambda: window.reminder.label.text() == expected)
    assert window.reminder.isVisible()
    qtbot.mouseClick(window.reminder.overdue_button, qtbot_button())
    assert window.current_module() == "tasks_tab"
    tab = window.tab("tasks_tab")
    tab.wait_loaded()
    rows = tab.model.visible_rows()
    assert len(rows) == overdue
    assert all(r.status is StatusClass.OPEN_OVERDUE for r in rows)
    qtbot.mouseClick(window.reminder.soon_button, qtbot_button())
    rows = tab.model.visible_rows()
    assert len(rows) == soon
    assert all(r.due_date is not None and r.due_date >= DEMO_TODAY for r in rows)


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_about_shows_version(window, monkeypatch):
    shown = []
    monkeypatch.setattr(dialogs, "show_info", lambda _parent, text, details="": shown.append(text))
    window.about_action.trigger()
    assert shown and __version__ in shown[0] and "CCHC Desktop" in shown[0]


def test_layout_is_remembered(qtbot, demo_db):
    first = MainWindow(demo_db, today=DEMO_TODAY)
    qtbot.addWidget(first)
    first.show()
    first.resize(790, 570)
    first.show_tasks()
    tab = first.tab("tasks_tab")
    tab.view.setColumnWidth(0, 333)
    tab.splitter.setSizes([150, 350])  # the detail pane larger than the table: not the default
    first.close()

    second = MainWindow(demo_db, today=DEMO_TODAY)
    qtbot.addWidget(second)
    second.show()
    assert second.current_module() == "tasks_tab"
    assert second.size() == QSize(790, 570)
    again = second.tab("tasks_tab")
    assert again.view.columnWidth(0) == 333
    top, bottom = again.splitter.sizes()
    assert top < bottom
    second.close()


def test_undo_redo_actions_follow_the_stack(window, tasks_tab, monkeypatch):
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    assert not window.undo_action.isEnabled()
    tasks_tab.select_task(tasks_tab.model.task_id_at(0))
    tasks_tab.delete_selected()
    assert window.undo_action.isEnabled()
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.redo_action.shortcut().toString() == "Ctrl+Y"
    assert window.undo_action.text().startswith("Hoàn tác")


def test_screenshots_one_png_per_tab(window, tmp_path):
    from cchc_desktop.gui.screenshots import save_tab_screenshots

    assert save_tab_screenshots(window, tmp_path / "shots") == 0
    files = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert len(files) == len(window.specs)
    assert "01_tong_quan.png" in files and "03_nhiem_vu.png" in files
    assert all((tmp_path / "shots" / f).stat().st_size > 10_000 for f in files)


def test_screenshots_command(tmp_path, demo_db):
    from cchc_desktop.gui.app import main

    path = str(demo_db.sqlite_path)
    assert main(["--db", path, "--screenshots", str(tmp_path / "cli")]) == 0
    assert (tmp_path / "cli" / "01_tong_quan.png").is_file()
    # The same size on any screen: a small (offscreen 800x800) screen once maximised the
    # window and cut the charts.
    from PySide6.QtGui import QImage

    from cchc_desktop.gui.screenshots import SCREENSHOT_SIZE

    picture = QImage(str(tmp_path / "cli" / "01_tong_quan.png"))
    assert (picture.width(), picture.height()) == SCREENSHOT_SIZE


def test_unexpected_errors_are_logged_and_shown_briefly(monkeypatch):
    from cchc_desktop.errors import ValidationError
    from cchc_desktop.gui.common.error_report import report_exception
    from cchc_desktop.logs import log_file

    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(text))
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        text = report_exception(exc)
    assert text.startswith("Đã xảy ra lỗi không mong muốn.") and "Traceback" not in text
    assert "ZeroDivisionError: boom" in log_file().read_text(encoding="utf-8")
    assert report_exception(ValidationError("Ngày không hợp lệ.")) == "Ngày không hợp lệ."
    assert shown == [text, "Ngày không hợp lệ."]


def test_screenshots_command_refuses_a_bad_database(tmp_path, capsys):
    from cchc_desktop.gui.app import main

    bad = tmp_path / "no" / "such" / "folder" / "x.sqlite3"
    assert main(["--db", str(bad), "--screenshots", str(tmp_path / "s")]) == 1
    assert "không tồn tại" in capsys.readouterr().err


def test_qt_own_texts_read_in_vietnamese(window):
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert "&Sao chép" in texts and "&Dán" in texts and "Chọn tất cả" in texts
    assert any(a.text().endswith("\tCtrl+C") for a in menu.actions())  # shortcuts intact
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in box.buttons()) == ["Hủy", "Đồng ý"]
    assert QLocale().monthName(1) == "tháng 1"


def test_menu_items_call_their_module(window, monkeypatch):
    import importlib

    if not window.menu_actions:
        import pytest

        pytest.skip("no optional module present yet")
    (module, function), action = next(iter(window.menu_actions.items()))
    target = importlib.import_module(f"cchc_desktop.gui.{module}")
    calls = []
    monkeypatch.setattr(target, function, lambda parent, ctx: calls.append((parent, ctx)) or True)
    changed = []
    window.ctx.data_changed.append(lambda: changed.append(True))
    action.trigger()
    assert calls == [(window, window.ctx)]
    assert changed  # it wrote something: the tabs are told


@pytest.mark.parametrize("fallback", ["SP_ArrowBack", "SP_DialogSaveButton"])
def test_an_icon_without_its_file_falls_back_to_qts_by_name(qtbot, fallback):
    """The window names its fallback icons, so QStyle is not loaded before its first paint."""
    from PySide6.QtWidgets import QApplication, QStyle

    from cchc_desktop.gui.common.style import icon

    got = icon("no-such-icon", fallback)
    assert not got.isNull()
    expected = QApplication.style().standardIcon(getattr(QStyle.StandardPixmap, fallback))
    assert got.availableSizes() == expected.availableSizes()
