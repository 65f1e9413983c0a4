"""Widgets write through run_write: refused changes are shown and nothing is written."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.operations import run_write
from cchc_desktop.services.units import create_unit, list_units


def test_run_write_commits_or_shows_the_refusal(qtbot, db, monkeypatch) -> None:
    ctx = GuiContext(db=db, undo_stack=QUndoStack())
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(text))
    assert run_write(None, ctx, lambda s: create_unit(s, "Văn phòng Sở", "VP"))
    # A duplicate is refused by the service: message shown, and the half-done second unit
    # of the same transaction is rolled back with it.
    assert not run_write(None, ctx, lambda s: (create_unit(s, "Thanh tra Sở"),
                                               create_unit(s, "văn phòng sở")))
    assert shown and "đã có" in shown[0]
    with db.session() as s:
        assert [u.name for u in list_units(s)] == ["Văn phòng Sở"]


def test_vietnamese_button_boxes(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    saves = dialogs.save_cancel_buttons(dialog)
    assert sorted(b.text() for b in saves.buttons()) == ["Hủy", "Lưu"]
    assert [b.text() for b in dialogs.close_button(dialog).buttons()] == ["Đóng"]
