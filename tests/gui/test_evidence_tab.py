"""The Tài liệu kiểm chứng tab driven with qtbot over the evidence service."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import select

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.evidence.link_dialog import LinkDialog
from cchc_desktop.services.evidence import EvidenceStore, LinkTarget, criterion_target
from cchc_desktop.services.scoring import load_template
from cchc_desktop.store.models import Task
from tests.gui.register_helpers import drive_dialogs, make_ctx


@pytest.fixture
def ctx(demo_db):
    with demo_db.session() as s:
        load_template(s, 2024)
    return make_ctx(demo_db)


@pytest.fixture
def tab(qtbot, ctx):
    from cchc_desktop.gui.evidence.tab import EvidenceTab

    widget = EvidenceTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def make_file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def add_via_service(ctx, path: Path, year: int = 2024, code: str = "1.1.1") -> int:
    with ctx.db.session() as s:
        return EvidenceStore(s).add_file(path, target=criterion_target(s, year, code)).id


def test_model_passes_the_model_tester(tab, ctx, tmp_path, qtmodeltester) -> None:
    add_via_service(ctx, make_file(tmp_path, "a.pdf", b"a"))
    tab.refresh()
    qtmodeltester.check(tab.model)


def test_evidence_added_via_the_service_is_listed(tab, ctx, tmp_path: Path) -> None:
    assert tab.model.rowCount() == 0
    evidence_id = add_via_service(ctx, make_file(tmp_path, "Kế hoạch CCHC 2024.pdf", b"plan" * 400))
    tab.refresh()
    assert tab.model.rowCount() == 1
    row = [tab.model.index(0, c).data() for c in range(5)]
    assert row[0] == "Kế hoạch CCHC 2024.pdf" and row[1] == "1,6 KB" and row[3] == "admin"
    assert row[4].startswith("Tiêu chí 1.1.1 (2024)")
    assert tab.select_id(evidence_id) and tab.delete_button.isEnabled()


def test_delete_asks_first_and_no_keeps_the_file(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    evidence_id = add_via_service(ctx, make_file(tmp_path, "bc.pdf", b"bc"))
    tab.refresh()
    tab.select_id(evidence_id)
    asked: list[tuple[str, bool]] = []
    answer = {"value": False}

    def fake_confirm(_parent, text, *, danger=False):
        asked.append((text, danger))
        return answer["value"]

    monkeypatch.setattr(dialogs, "confirm", fake_confirm)
    qtbot_click(tab.delete_button)
    assert asked and asked[0][1] is True and "bc.pdf" in asked[0][0]
    assert tab.model.rowCount() == 1
    answer["value"] = True
    tab.select_id(evidence_id)
    qtbot_click(tab.delete_button)
    assert len(asked) == 2 and tab.model.rowCount() == 0
    with ctx.db.session() as s:
        assert EvidenceStore(s).list() == []


def qtbot_click(button) -> None:
    from PySide6.QtTest import QTest

    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_add_files_asks_what_they_prove(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    with ctx.db.session() as s:
        task_id = s.scalar(select(Task.id).order_by(Task.id).limit(1))

    def fill(dialog: LinkDialog) -> None:
        dialog.select("task")
        dialog.year.setValue(2024)
        dialog.select("task", task_id)
        dialog.accept()

    drive_dialogs(monkeypatch, LinkDialog, fill)
    paths = [make_file(tmp_path, "a.pdf", b"one"), make_file(tmp_path, "b.pdf", b"two")]
    assert tab.add_files(paths) == 2
    assert tab.model.rowCount() == 2
    with ctx.db.session() as s:
        linked = EvidenceStore(s).list(LinkTarget("task", task_id))
    assert sorted(e.name for e in linked) == ["a.pdf", "b.pdf"]


def test_drop_files_onto_the_tab(tab, tmp_path: Path, monkeypatch) -> None:
    def fill(dialog: LinkDialog) -> None:
        dialog.select("criterion")
        dialog.year.setValue(2024)
        dialog.target.setCurrentIndex(dialog.target.findText("7.3", Qt.MatchFlag.MatchStartsWith))
        dialog.accept()

    drive_dialogs(monkeypatch, LinkDialog, fill)
    path = make_file(tmp_path, "ISO.pdf", b"iso")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    tab.dropEvent(event)
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 4).data().startswith("Tiêu chí 7.3 (2024)")


def test_zero_byte_file_shows_the_reason(tab, tmp_path: Path, monkeypatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": errors.append(text))
    assert tab.store_files([make_file(tmp_path, "rong.pdf", b"")], None) == 0
    assert errors and "rỗng" in errors[0] and tab.model.rowCount() == 0


def test_unlink_keeps_the_file_and_verify_reports_tampering(
    tab, ctx, tmp_path: Path, monkeypatch
) -> None:
    evidence_id = add_via_service(ctx, make_file(tmp_path, "kh.pdf", b"kh"))
    tab.refresh()
    tab.select_id(evidence_id)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    assert tab.unlink_selected()
    assert tab.model.rowCount() == 1 and tab.model.index(0, 4).data() == "(chưa gắn)"
    infos: list[str] = []
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text, details="": infos.append(text))
    monkeypatch.setattr(dialogs, "show_error",
                        lambda _p, text, details="": errors.append((text, details)))
    assert tab.verify() and infos
    from cchc_desktop.store.evidence_home import evidence_dir

    sha = tab.model.rows[0].sha256
    (evidence_dir(ctx.db.sqlite_path) / sha[:2] / sha[2:]).write_bytes(b"changed")
    assert not tab.verify()
    assert "1 tệp bị thay đổi" in errors[0][0] and "kh.pdf" in errors[0][1]


def test_open_writes_a_copy_named_like_the_original(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    from cchc_desktop.gui.evidence import tab as evidence_tab

    opened: list[str] = []
    monkeypatch.setattr(evidence_tab.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    with ctx.db.session() as s:
        evidence_id = EvidenceStore(s).add_file(
            make_file(tmp_path, "x.bin", b"data"), name="../../CON.txt",
            target=criterion_target(s, 2024, "1.2")).id
    tab.refresh()
    tab.select_id(evidence_id)
    assert tab.open_selected()
    copy = Path(opened[0])
    assert copy.name == "_CON.txt" and copy.read_bytes() == b"data"
    assert copy.parent.parent == tab.temp_folder()


def test_bundle_from_the_tab(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    import zipfile

    add_via_service(ctx, make_file(tmp_path, "kh.pdf", b"kh"), code="1.1.1")
    infos: list[str] = []
    monkeypatch.setattr(dialogs, "offer_open", lambda _p, _path, text="": infos.append(text))
    out = tmp_path / "goi.zip"
    assert tab.write_bundle(2024, out)
    with zipfile.ZipFile(out) as archive:
        assert "1.1.1/kh.pdf" in archive.namelist()
    assert infos and "1 tệp" in infos[0]
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": errors.append(text))
    assert not tab.write_bundle(2031, tmp_path / "none.zip")
    assert errors and "2031" in errors[0]
