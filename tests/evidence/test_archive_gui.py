"""The GUI: "Sao lưu ra..." writes the .zip; the restore dialog takes a .zip back or refuses it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from cchc_desktop.gui.catalog import backup_dialog
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.services.evidence import EvidenceStore
from cchc_desktop.store.archive import DB_ENTRY, MANIFEST
from cchc_desktop.store.db import open_database


@pytest.fixture
def ctx(qtbot, tmp_path: Path):
    database = open_database(str(tmp_path / "cchc.sqlite3"), auto_backup=False)
    source = tmp_path / "Kế hoạch.pdf"
    source.write_bytes(b"%PDF plan")
    with database.session() as s:
        EvidenceStore(s).add_file(source)
    context = GuiContext(db=database, undo_stack=QUndoStack())
    yield context
    database.close()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text, details="": texts.append(text))
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": texts.append(text))
    monkeypatch.setattr(dialogs, "confirm", lambda _p, text, danger=False: True)
    return texts


def names(ctx) -> list[str]:
    with ctx.db.session() as s:
        return sorted(i.name for i in EvidenceStore(s).list())


def test_backup_to_file_then_restore_it(ctx, shown, monkeypatch, tmp_path: Path) -> None:
    target = tmp_path / "usb" / "ban-giao"  # no suffix typed: .zip is added
    target.parent.mkdir()
    monkeypatch.setattr(dialogs, "save_file", lambda *_a, **_k: target)
    assert backup_dialog.backup_to_file(None, ctx)
    archive = target.with_name("ban-giao.zip")
    assert "1 tệp kiểm chứng" in shown[-1] and str(archive) in shown[-1]
    with zipfile.ZipFile(archive) as zf:
        assert {DB_ENTRY, MANIFEST} < set(zf.namelist()) and len(zf.namelist()) == 3

    with ctx.db.session() as s:
        store = EvidenceStore(s)
        store.delete(store.list()[0].id)
    with ctx.db.session() as s:
        EvidenceStore(s).empty_trash()
    assert names(ctx) == []
    assert backup_dialog.restore_file(None, ctx, archive)
    assert "Đã khôi phục dữ liệu từ ban-giao.zip" in shown[-1]
    assert names(ctx) == ["Kế hoạch.pdf"]
    with ctx.db.session() as s:
        assert EvidenceStore(s).verify().ok


def test_the_restore_dialog_offers_zip_files(ctx, monkeypatch, qtbot, tmp_path: Path) -> None:
    picked = tmp_path / "x.zip"
    filters: list[str] = []

    def fake_open(_parent, _title, flt, start=""):
        filters.append(flt)
        return picked

    monkeypatch.setattr(dialogs, "open_file", fake_open)
    dialog = backup_dialog.RestoreDialog(ctx.db.sqlite_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.other_button.click()
    assert dialog.chosen == picked and "*.zip" in filters[0]


def test_a_bad_zip_is_refused_with_a_message(ctx, shown, tmp_path: Path) -> None:
    bad = tmp_path / "hong.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    assert not backup_dialog.restore_file(None, ctx, bad)
    assert "không phải tệp .zip hợp lệ" in shown[-1]
    assert names(ctx) == ["Kế hoạch.pdf"]
    assert not (ctx.db.sqlite_path.parent / "backups").exists()  # nothing was even swapped
