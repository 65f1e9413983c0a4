"""The Danh mục / Cài đặt tab: units, the agency profile, the database location."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from cchc_desktop.gui.catalog.profile_form import file_size_text
from cchc_desktop.gui.catalog.tab import CatalogTab
from cchc_desktop.gui.catalog.unit_dialog import UnitDialog
from cchc_desktop.gui.common import dialogs
from cchc_desktop.services.profile import get_profile
from cchc_desktop.services.units import list_units
from tests.gui.register_helpers import ConfirmRecorder, drive_dialogs, make_ctx


@pytest.fixture
def tab(qtbot: Any, demo_db: Any) -> CatalogTab:
    widget = CatalogTab(make_ctx(demo_db))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def unit_names(tab: CatalogTab) -> list[str]:
    return [tab.unit_proxy.data(tab.unit_proxy.index(r, 0)) for r in range(tab.unit_proxy.rowCount())]


def select_unit(qtbot: Any, tab: CatalogTab, name: str) -> None:
    row = unit_names(tab).index(name)
    rect = tab.unit_view.visualRect(tab.unit_proxy.index(row, 0))
    qtbot.mouseClick(tab.unit_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.selected_unit().name == name


def test_units_listed_in_their_set_order(tab: CatalogTab, demo_db: Any) -> None:
    with demo_db.session() as s:
        expected = [u.name for u in list_units(s)]
    assert unit_names(tab) == expected
    assert tab.unit_proxy.data(tab.unit_proxy.index(0, 3)) == "Đang sử dụng"
    assert not tab.edit_button.isEnabled()


def test_add_unit_and_refuse_a_duplicate_name(
    tab: CatalogTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    names = iter(["văn phòng sở", "Phòng Pháp chế"])

    def fill(dialog: UnitDialog) -> None:
        dialog.name.setText(next(names))
        dialog.short_name.setText("PC")
        dialog.kind.setCurrentIndex(dialog.kind.findData("division"))
        dialog.try_accept()
        errors.append(dialog.error_text("name"))
        if not dialog.result():
            dialog.reject()

    drive_dialogs(monkeypatch, UnitDialog, fill)
    count = len(unit_names(tab))
    tab.add_button.click()  # a duplicate of "Văn phòng Sở", case ignored
    assert errors[0] == "Đơn vị 'văn phòng sở' đã có trong danh mục."
    assert len(unit_names(tab)) == count
    tab.add_button.click()
    assert errors[1] == ""
    assert "Phòng Pháp chế" in unit_names(tab)
    assert tab.selected_unit().name == "Phòng Pháp chế"
    with demo_db.session() as s:
        assert any(u.short_name == "PC" for u in list_units(s))


def test_search_units_without_diacritics(qtbot: Any, tab: CatalogTab) -> None:
    qtbot.keyClicks(tab.search_box, "giao duc trung hoc")
    assert unit_names(tab) == ["Phòng Giáo dục Trung học"]


def test_delete_used_unit_is_refused_then_deactivated(
    qtbot: Any, tab: CatalogTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    select_unit(qtbot, tab, "Văn phòng Sở")
    confirm = ConfirmRecorder(True, True)  # yes, delete; yes, deactivate instead
    monkeypatch.setattr(dialogs, "confirm", confirm)
    tab.delete_button.click()
    assert "Không xóa được" in confirm.questions[1]
    assert "ngừng sử dụng" in confirm.questions[1]
    with demo_db.session() as s:
        unit = next(u for u in list_units(s) if u.name == "Văn phòng Sở")
    assert not unit.active
    assert tab.selected_unit().name == "Văn phòng Sở"
    assert tab.unit_proxy.data(tab.unit_proxy.index(0, 3)) == "Ngừng sử dụng"
    assert tab.unit_proxy.data(tab.unit_proxy.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert tab.toggle_button.text() == "Sử dụng lại"

    tab.show_inactive.setChecked(False)
    assert "Văn phòng Sở" not in unit_names(tab)
    tab.show_inactive.setChecked(True)
    select_unit(qtbot, tab, "Văn phòng Sở")
    tab.toggle_button.click()
    with demo_db.session() as s:
        assert next(u for u in list_units(s) if u.name == "Văn phòng Sở").active


def test_delete_unused_unit(
    qtbot: Any, tab: CatalogTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cchc_desktop.services.units import create_unit

    with demo_db.session() as s:
        create_unit(s, "Ban Quản lý dự án", kind="subordinate")
    tab.load_units()
    select_unit(qtbot, tab, "Ban Quản lý dự án")
    monkeypatch.setattr(dialogs, "confirm", ConfirmRecorder(True))
    tab.delete_button.click()
    assert "Ban Quản lý dự án" not in unit_names(tab)


def test_profile_validated_saved_and_reloaded(
    qtbot: Any, tab: CatalogTab, demo_db: Any
) -> None:
    form = tab.profile_form
    assert form.edits["agency"].text() == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    form.edits["abbr"].clear()
    form.edits["place"].setText("   ")
    assert not form.save()
    assert form.error_text("abbr") == "Chữ viết tắt không được để trống."
    assert form.error_text("place") == "Địa danh không được để trống."
    with demo_db.session() as s:
        assert get_profile(s).abbr == "SGDĐT"  # nothing half-saved

    form.edits["abbr"].setText("SGDĐT")
    form.edits["place"].setText("Sơn La")
    form.edits["signer"].setText("Nguyễn Văn Bình")
    form.recipients.setPlainText("Sở Nội vụ (để báo cáo)\n\n  Các phòng thuộc Sở  \n")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.error_text("abbr") == ""
    with demo_db.session() as s:
        stored = get_profile(s)
    assert stored.signer == "Nguyễn Văn Bình"
    assert stored.recipients == ["Sở Nội vụ (để báo cáo)", "Các phòng thuộc Sở"]

    form.edits["signer"].setText("changed but not saved")
    form.reload_button.click()
    assert form.edits["signer"].text() == "Nguyễn Văn Bình"
    assert form.recipients.toPlainText() == "Sở Nội vụ (để báo cáo)\nCác phòng thuộc Sở"


def test_database_location_and_open_folder(
    tab: CatalogTab, demo_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = tab.database_box
    assert box.path_label.text() == str(demo_db.sqlite_path)
    assert box.url_label.text().startswith("sqlite:///")
    assert box.size_label.text().endswith(("KB", "MB"))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    box.open_button.click()
    assert opened[0].toLocalFile() == str(demo_db.sqlite_path.parent)


def test_file_size_text() -> None:
    assert file_size_text(2048) == "2 KB"
    assert file_size_text(int(12.5 * 1024 * 1024)) == "12,5 MB"
    assert file_size_text(3 * 1024**3) == "3 GB"


def test_model_passes_the_model_tester(qtmodeltester: Any, tab: CatalogTab) -> None:
    qtmodeltester.check(tab.unit_model)
    qtmodeltester.check(tab.unit_proxy)


def test_typed_profile_survives_a_data_change_elsewhere(tab: CatalogTab) -> None:
    tab.profile_form.edits["signer"].setText("Đang gõ dở")
    tab.ctx.notify_changed()  # e.g. an undo in another tab
    assert tab.profile_form.edits["signer"].text() == "Đang gõ dở"
    assert tab.profile_form.is_modified()


def test_splitter_is_remembered(qtbot: Any, tab: CatalogTab, demo_db: Any) -> None:
    tab.splitter.setSizes([500, 700])
    sizes = tab.splitter.sizes()
    tab.save_layout()
    again = CatalogTab(make_ctx(demo_db))
    qtbot.addWidget(again)
    again.resize(1200, 700)
    again.show()
    assert again.splitter.sizes() == sizes
