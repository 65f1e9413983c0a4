"""Undo and redo of unit edits in the Danh mục tab, through the window's Edit menu (Ctrl+Z)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.gui.catalog.tab import CatalogTab
from cchc_desktop.gui.catalog.unit_dialog import UnitDialog
from cchc_desktop.gui.common import dialogs
from cchc_desktop.services import tasks as task_service
from cchc_desktop.services.units import create_unit, list_units, unit_snapshot
from tests.gui.register_helpers import ConfirmRecorder, drive_dialogs


@pytest.fixture
def tab(window: Any) -> CatalogTab:
    window.tabs.setCurrentIndex(window.index_of("catalog_tab"))
    widget = window.tab("catalog_tab")
    assert isinstance(widget, CatalogTab)
    return widget


def unit_names(tab: CatalogTab) -> list[str]:
    return [tab.unit_proxy.data(tab.unit_proxy.index(r, 0)) for r in range(tab.unit_proxy.rowCount())]


def select_unit(qtbot: Any, tab: CatalogTab, name: str) -> None:
    row = unit_names(tab).index(name)
    tab.unit_view.scrollTo(tab.unit_proxy.index(row, 0))
    rect = tab.unit_view.visualRect(tab.unit_proxy.index(row, 0))
    qtbot.mouseClick(tab.unit_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.selected_unit().name == name


def stored_unit(db: Any, name: str) -> Any:
    with db.session() as s:
        return next((u for u in list_units(s) if u.name == name), None)


def test_edit_a_unit_then_undo_and_redo(
    qtbot: Any, window: Any, tab: CatalogTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = stored_unit(demo_db, "Thanh tra Sở")
    select_unit(qtbot, tab, "Thanh tra Sở")

    def rename(dialog: UnitDialog) -> None:
        dialog.name.setText("Thanh tra Sở Giáo dục")
        dialog.short_name.setText("TTrS")
        dialog.try_accept()

    drive_dialogs(monkeypatch, UnitDialog, rename)
    tab.edit_button.click()
    assert stored_unit(demo_db, "Thanh tra Sở Giáo dục").short_name == "TTrS"
    assert window.undo_action.text() == "Hoàn tác: Sửa đơn vị “Thanh tra Sở Giáo dục”"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"

    window.undo_action.trigger()
    assert stored_unit(demo_db, "Thanh tra Sở") == before
    qtbot.waitUntil(lambda: "Thanh tra Sở" in unit_names(tab))
    assert "Thanh tra Sở Giáo dục" not in unit_names(tab)
    assert tab.selected_unit().id == before.id  # the selection follows the unit

    window.redo_action.trigger()
    assert stored_unit(demo_db, "Thanh tra Sở Giáo dục").id == before.id
    qtbot.waitUntil(lambda: "Thanh tra Sở Giáo dục" in unit_names(tab))


def test_delete_a_unit_then_undo_brings_it_back_usable(
    qtbot: Any, window: Any, tab: CatalogTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_db.session() as s:
        unit_id = create_unit(s, "Ban Quản lý dự án", "BQLDA", kind="subordinate").id
        created = unit_snapshot(s, unit_id)
    tab.load_units()
    select_unit(qtbot, tab, "Ban Quản lý dự án")
    confirm = ConfirmRecorder(True)
    monkeypatch.setattr(dialogs, "confirm", confirm)
    tab.delete_button.click()
    assert "Có thể hoàn tác bằng Ctrl+Z" in confirm.questions[0]
    assert stored_unit(demo_db, "Ban Quản lý dự án") is None
    assert "Ban Quản lý dự án" not in unit_names(tab)
    assert window.undo_action.text() == "Hoàn tác: Xóa đơn vị “Ban Quản lý dự án”"

    window.undo_action.trigger()
    with demo_db.session() as s:
        assert unit_snapshot(s, unit_id) == created  # same id, name, kind, position, time
    qtbot.waitUntil(lambda: "Ban Quản lý dự án" in unit_names(tab))
    window.redo_action.trigger()
    assert stored_unit(demo_db, "Ban Quản lý dự án") is None
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "Ban Quản lý dự án" in unit_names(tab))

    with demo_db.session() as s:  # usable: a task can name it, and then it is in use
        task = task_service.create_task(s, TaskDraft(content="Quyết toán dự án", year=2024,
                                                     lead_unit_id=unit_id))
        assert task.lead_unit.name == "Ban Quản lý dự án"
    tab.load_units()
    select_unit(qtbot, tab, "Ban Quản lý dự án")
    monkeypatch.setattr(dialogs, "confirm", ConfirmRecorder(True, False))
    depth = window.undo_stack.count()
    tab.delete_button.click()  # refused: a task uses it now; "no" to deactivating
    assert stored_unit(demo_db, "Ban Quản lý dự án").active
    assert window.undo_stack.count() == depth  # a refused delete leaves nothing to undo


def test_add_then_undo_removes_and_redo_restores_the_same_unit(
    qtbot: Any, window: Any, tab: CatalogTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: UnitDialog) -> None:
        dialog.name.setText("Phòng Pháp chế")
        dialog.try_accept()

    drive_dialogs(monkeypatch, UnitDialog, fill)
    tab.add_button.click()
    added = stored_unit(demo_db, "Phòng Pháp chế")
    assert added is not None and tab.selected_unit().id == added.id
    assert window.undo_action.text() == "Hoàn tác: Thêm đơn vị “Phòng Pháp chế”"
    window.undo_action.trigger()
    assert stored_unit(demo_db, "Phòng Pháp chế") is None
    qtbot.waitUntil(lambda: "Phòng Pháp chế" not in unit_names(tab))
    window.redo_action.trigger()
    assert stored_unit(demo_db, "Phòng Pháp chế") == added


def test_undo_of_an_add_is_refused_once_a_task_uses_the_unit(
    window: Any, tab: CatalogTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: UnitDialog) -> None:
        dialog.name.setText("Phòng Pháp chế")
        dialog.try_accept()

    drive_dialogs(monkeypatch, UnitDialog, fill)
    tab.add_button.click()
    unit_id = stored_unit(demo_db, "Phòng Pháp chế").id
    with demo_db.session() as s:  # e.g. another machine assigns it meanwhile
        task_service.create_task(s, TaskDraft(content="Rà soát văn bản", year=2024,
                                              lead_unit_id=unit_id))
    depth = window.undo_stack.count()
    window.undo_action.trigger()
    assert stored_unit(demo_db, "Phòng Pháp chế") is not None
    assert "Không xóa được" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == depth - 1  # the command that cannot be undone is gone


def test_deactivate_then_undo_and_redo(
    qtbot: Any, window: Any, tab: CatalogTab, demo_db: Any
) -> None:
    select_unit(qtbot, tab, "Văn phòng Sở")
    tab.toggle_button.click()
    assert not stored_unit(demo_db, "Văn phòng Sở").active
    assert window.undo_action.text() == "Hoàn tác: Ngừng sử dụng đơn vị “Văn phòng Sở”"
    window.undo_action.trigger()
    assert stored_unit(demo_db, "Văn phòng Sở").active
    qtbot.waitUntil(lambda: tab.toggle_button.text() == "Ngừng sử dụng")
    window.redo_action.trigger()
    assert not stored_unit(demo_db, "Văn phòng Sở").active
    qtbot.waitUntil(lambda: tab.toggle_button.text() == "Sử dụng lại")
