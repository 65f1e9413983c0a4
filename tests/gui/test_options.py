"""Tùy chọn: the settings offices differ on, stored once and used everywhere."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from cchc_desktop.errors import ValidationError
from cchc_desktop.services.office_settings import (
    OfficeSettings,
    due_soon_days,
    read_office_settings,
    save_office_settings,
)
from cchc_desktop.store import backup


def test_defaults_then_saved_values(db) -> None:  # noqa: ANN001
    with db.session() as session:
        assert read_office_settings(session) == OfficeSettings(7, 30, 50.0)
    with db.session() as session:
        save_office_settings(session, OfficeSettings(14, 10, 20.0))
    with db.session() as session:
        assert read_office_settings(session) == OfficeSettings(14, 10, 20.0)
    with pytest.raises(ValidationError, match="từ 1 đến 90"), db.session() as session:
        save_office_settings(session, OfficeSettings(0, 5, 20.0))
    with db.session() as session:  # refused as a whole: the backups count did not change
        assert read_office_settings(session) == OfficeSettings(14, 10, 20.0)


def test_backup_rotation_keeps_the_office_s_number(db, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv(backup.KEEP_ENV_VAR, raising=False)
    path = db.sqlite_path
    assert backup.default_keep(path) == 30
    with db.session() as session:
        save_office_settings(session, OfficeSettings(7, 3, 50.0))
    assert backup.default_keep(path) == 3
    for _ in range(5):
        backup.make_backup(path, reason="manual")
    assert len(list(backup.backups_dir(path).glob("*.sqlite3"))) == 3
    monkeypatch.setenv(backup.KEEP_ENV_VAR, "12")  # the environment still wins
    assert backup.default_keep(path) == 12


def test_the_dialog_saves_and_the_window_follows(qtbot, window, monkeypatch) -> None:  # noqa: ANN001
    from cchc_desktop.gui.catalog import options_dialog
    from cchc_desktop.gui.common.settings import Settings

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original_font = app.font()
    shown: list[options_dialog.OptionsDialog] = []

    def fill(dialog: options_dialog.OptionsDialog) -> int:
        shown.append(dialog)
        assert dialog.soon_spin.isEnabled()  # the local administrator may change them
        dialog.soon_spin.setValue(14)
        dialog.backups_spin.setValue(12)
        dialog.font_spin.setValue(13)
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(options_dialog.OptionsDialog, "exec", fill)
    try:
        window.menu_actions[("catalog.options_dialog", "edit_options")].trigger()
        assert shown
        with window.ctx.db.session() as session:
            assert due_soon_days(session) == 14
            assert read_office_settings(session).backups_kept == 12
        assert Settings().font_size() == 13 and app.font().pointSize() == 13
        window.update_reminder()
        assert window.reminder.soon_days == 14
        assert "14 ngày" in window.reminder.label.text()
        assert "14 ngày" in window.reminder.soon_button.text()
    finally:
        app.setFont(original_font)


def test_the_dashboard_lists_follow_the_due_soon_window(qtbot, window) -> None:  # noqa: ANN001
    with window.ctx.db.session() as session:
        save_office_settings(session, OfficeSettings(30, 30, 50.0))
    tab = window.tab("dashboard_tab")
    tab.load_lists()
    assert "Đến hạn trong 30 ngày tới" in tab.lists.box_title(1)
    assert tab.soon_days == 30


def test_the_profile_button_leads_to_the_agency_profile(qtbot, window, monkeypatch) -> None:  # noqa: ANN001
    from cchc_desktop.gui.catalog import options_dialog

    def press(dialog: options_dialog.OptionsDialog) -> int:
        dialog.soon_spin.setValue(21)  # changed, then left: not saved
        qtbot.mouseClick(dialog.profile_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(options_dialog.OptionsDialog, "exec", press)
    window.tabs.setCurrentIndex(window.index_of("tasks_tab"))
    window.menu_actions[("catalog.options_dialog", "edit_options")].trigger()
    assert window.tabs.currentIndex() == window.index_of("catalog_tab")
    qtbot.waitUntil(window.tab("catalog_tab").profile_form.isVisible)
    with window.ctx.db.session() as session:
        assert due_soon_days(session) != 21
