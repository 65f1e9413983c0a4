"""The evidence trash in the GUI: delete then undo, restore from the Thùng rác dialog, purge."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.evidence.trash import TrashDialog
from cchc_desktop.services import documents as doc_service
from cchc_desktop.services.evidence import EvidenceStore, LinkTarget, criterion_target
from cchc_desktop.services.scoring import load_template
from cchc_desktop.store.evidence_home import evidence_dir
from tests.conftest import DEMO_TODAY
from tests.gui.register_helpers import ConfirmRecorder, drive_dialogs, make_ctx


@pytest.fixture(autouse=True)
def _no_unexpected_modal_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box a test did not patch fails the test instead of waiting for a click."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(box: QMessageBox) -> int:
        raise AssertionError(f"unexpected modal message box: {box.text()!r}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    from PySide6.QtCore import QSettings

    from cchc_desktop.gui.common.settings import use_settings_folder

    use_settings_folder(tmp_path_factory.mktemp("settings"))
    yield
    QSettings().sync()


@pytest.fixture
def framework_db(db):
    with db.session() as s:
        load_template(s, 2024)
    return db


@pytest.fixture
def ctx(framework_db):
    return make_ctx(framework_db)


@pytest.fixture
def tab(qtbot, ctx):
    from cchc_desktop.gui.evidence.tab import EvidenceTab

    widget = EvidenceTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(button) -> None:
    assert button.isEnabled(), button.text()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def add_file(db, tmp_path: Path, name: str, data: bytes, *codes: str) -> int:
    path = tmp_path / name
    path.write_bytes(data)
    with db.session() as s:
        store = EvidenceStore(s)
        info = store.add_file(path, target=criterion_target(s, 2024, codes[0]) if codes else None)
        for code in codes[1:]:
            store.link(info.id, criterion_target(s, 2024, code))
        return info.id


def links_of(db, evidence_id: int) -> set[tuple[str, int]]:
    with db.session() as s:
        return {(link.kind, link.target_id) for link in EvidenceStore(s).get(evidence_id).links}


def blob(ctx, sha256: str) -> Path:
    return evidence_dir(ctx.db.sqlite_path) / sha256[:2] / sha256[2:]


def delete_with_the_button(tab, monkeypatch, evidence_id: int) -> ConfirmRecorder:
    tab.refresh()
    assert tab.select_id(evidence_id)
    asked = ConfirmRecorder(True)
    monkeypatch.setattr(dialogs, "confirm", asked)
    click(tab.delete_button)
    return asked


def test_delete_asks_moves_to_the_trash_and_undo_restores(
    tab, ctx, tmp_path: Path, monkeypatch
) -> None:
    evidence_id = add_file(ctx.db, tmp_path, "Kế hoạch.pdf", b"plan bytes", "1.1.1", "1.2")
    before = links_of(ctx.db, evidence_id)
    asked = delete_with_the_button(tab, monkeypatch, evidence_id)
    assert "Kế hoạch.pdf" in asked.questions[0] and "thùng rác" in asked.questions[0]
    assert "2 đối tượng" in asked.questions[0]
    assert tab.model.rowCount() == 0 and tab.trash_button.text() == "Thùng rác (1)..."
    assert ctx.undo_stack.count() == 1 and ctx.undo_stack.undoText().startswith("Xóa tệp")
    assert any("thùng rác" in m for m in ctx.messages)

    ctx.undo_stack.undo()
    assert [r.id for r in tab.model.rows] == [evidence_id]
    assert tab.trash_button.text() == "Thùng rác..."
    assert links_of(ctx.db, evidence_id) == before
    assert ctx.messages[-1] == "Đã khôi phục tệp Kế hoạch.pdf."
    with ctx.db.session() as s:
        assert EvidenceStore(s).read_bytes(evidence_id) == b"plan bytes"

    ctx.undo_stack.redo()  # and again: the file goes back to the trash, undo finds it there
    assert tab.model.rowCount() == 0
    ctx.undo_stack.undo()
    assert [r.id for r in tab.model.rows] == [evidence_id]
    assert links_of(ctx.db, evidence_id) == before


def test_answering_no_keeps_the_file(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    evidence_id = add_file(ctx.db, tmp_path, "bc.pdf", b"bc", "1.1.1")
    tab.refresh()
    tab.select_id(evidence_id)
    asked = ConfirmRecorder(False)
    monkeypatch.setattr(dialogs, "confirm", asked)
    click(tab.delete_button)
    assert asked.questions and tab.model.rowCount() == 1 and ctx.undo_stack.count() == 0
    with ctx.db.session() as s:
        assert EvidenceStore(s).list_trash() == []


def test_ctrl_z_in_the_main_window_restores_a_deleted_file(
    qtbot, framework_db, tmp_path: Path, monkeypatch
) -> None:
    from cchc_desktop.gui.main_window import MainWindow

    evidence_id = add_file(framework_db, tmp_path, "qd.pdf", b"decision", "1.1.1")
    window = MainWindow(framework_db, today=DEMO_TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentIndex(window.index_of("evidence_tab"))
    tab = window.tab("evidence_tab")
    delete_with_the_button(tab, monkeypatch, evidence_id)
    assert tab.model.rowCount() == 0
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.undo_action.text() == "Hoàn tác: Xóa tệp qd.pdf"
    window.undo_action.trigger()
    assert [r.id for r in tab.model.rows] == [evidence_id]
    assert tab.model.index(0, 4).data().startswith("Tiêu chí 1.1.1 (2024)")
    window.close()


def test_trash_dialog_lists_and_passes_the_model_tester(
    tab, ctx, tmp_path: Path, monkeypatch, qtbot, qtmodeltester
) -> None:
    first = add_file(ctx.db, tmp_path, "a.pdf", b"a" * 2000, "1.1.1")
    second = add_file(ctx.db, tmp_path, "b.pdf", b"b")
    delete_with_the_button(tab, monkeypatch, first)
    delete_with_the_button(tab, monkeypatch, second)
    dialog = TrashDialog(ctx, tab)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 2
    rows = {dialog.model.index(r, 0).data(): [dialog.model.index(r, c).data() for c in range(5)]
            for r in range(2)}
    assert rows["a.pdf"][1] == "2 KB" and rows["a.pdf"][3] == "admin"
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", rows["a.pdf"][2])
    assert rows["a.pdf"][4].startswith("Tiêu chí 1.1.1 (2024)")
    assert rows["b.pdf"][4] == "(chưa gắn)"
    assert not dialog.restore_button.isEnabled() and dialog.empty_button.isEnabled()
    assert dialog.status.text().startswith("2 tệp trong thùng rác")


def test_restore_from_the_trash_dialog(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    evidence_id = add_file(ctx.db, tmp_path, "kh.pdf", b"kh bytes", "1.1.1", "3.3.1")
    before = links_of(ctx.db, evidence_id)
    delete_with_the_button(tab, monkeypatch, evidence_id)
    with ctx.db.session() as s:
        [trashed] = EvidenceStore(s).list_trash()
    seen: list[int] = []

    def restore(dialog: TrashDialog) -> None:
        seen.append(dialog.model.rowCount())
        assert dialog.select_id(trashed.id)
        click(dialog.restore_button)
        seen.append(dialog.model.rowCount())
        dialog.reject()

    drive_dialogs(monkeypatch, TrashDialog, restore)
    click(tab.trash_button)
    assert seen == [1, 0]
    assert [r.id for r in tab.model.rows] == [evidence_id]
    assert links_of(ctx.db, evidence_id) == before
    out = tmp_path / "out"
    out.mkdir()
    with ctx.db.session() as s:
        copy = EvidenceStore(s).export_copy(evidence_id, out)
    assert copy.read_bytes() == b"kh bytes"
    # The delete command's trash row is gone: undoing it says so and changes nothing.
    ctx.undo_stack.undo()
    assert "thùng rác" in ctx.messages[-1] and [r.id for r in tab.model.rows] == [evidence_id]


def test_restore_reports_links_whose_target_was_deleted(
    tab, ctx, tmp_path: Path, monkeypatch
) -> None:
    with ctx.db.session() as s:
        doc = doc_service.save_document(s, "5/KH-SNV", None, summary="Kế hoạch")
    evidence_id = add_file(ctx.db, tmp_path, "vb.pdf", b"vb", "1.1.1")
    with ctx.db.session() as s:
        EvidenceStore(s).link(evidence_id, LinkTarget("document", doc.id))
    delete_with_the_button(tab, monkeypatch, evidence_id)
    with ctx.db.session() as s:
        doc_service.delete_document(s, doc.id)
    infos: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text, details="": infos.append(text))

    def restore(dialog: TrashDialog) -> None:
        dialog.table.selectRow(0)
        click(dialog.restore_button)
        dialog.reject()

    drive_dialogs(monkeypatch, TrashDialog, restore)
    click(tab.trash_button)
    assert infos and "Không khôi phục được 1 liên kết" in infos[0] and "5/KH-SNV" in infos[0]
    assert [r.id for r in tab.model.rows] == [evidence_id]
    assert [link.kind for link in tab.model.rows[0].links] == ["criterion"]


def test_purge_asks_first_and_removes_the_bytes(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    evidence_id = add_file(ctx.db, tmp_path, "xoa.pdf", b"to purge", "1.1.1")
    tab.refresh()
    sha = tab.model.rows[0].sha256
    delete_with_the_button(tab, monkeypatch, evidence_id)
    assert blob(ctx, sha).exists()
    answers = ConfirmRecorder(False, True)
    dangers: list[bool] = []

    def confirm(parent, text, *, danger=False):
        dangers.append(danger)
        return answers(parent, text, danger=danger)

    monkeypatch.setattr(dialogs, "confirm", confirm)

    def purge(dialog: TrashDialog) -> None:
        dialog.table.selectRow(0)
        click(dialog.purge_button)  # "Không": nothing happens
        assert dialog.model.rowCount() == 1 and blob(ctx, sha).exists()
        dialog.table.selectRow(0)
        click(dialog.purge_button)
        assert dialog.model.rowCount() == 0
        dialog.reject()

    drive_dialogs(monkeypatch, TrashDialog, purge)
    click(tab.trash_button)
    assert dangers == [True, True] and "xoa.pdf" in answers.questions[0]
    assert "vĩnh viễn" in answers.questions[0]
    assert not blob(ctx, sha).exists()
    with ctx.db.session() as s:
        assert EvidenceStore(s).list_trash() == [] and EvidenceStore(s).list() == []
    assert tab.trash_button.text() == "Thùng rác..."
    ctx.undo_stack.undo()  # nothing left to restore: said in the status bar, nothing changes
    assert "xóa vĩnh viễn" in ctx.messages[-1] and tab.model.rowCount() == 0


def test_empty_trash_keeps_bytes_a_live_file_uses(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    gone = add_file(ctx.db, tmp_path, "mot.pdf", b"one", "1.1.1")
    shared = add_file(ctx.db, tmp_path, "hai.pdf", b"two")
    tab.refresh()
    shas = {r.id: r.sha256 for r in tab.model.rows}
    delete_with_the_button(tab, monkeypatch, gone)
    delete_with_the_button(tab, monkeypatch, shared)
    kept = add_file(ctx.db, tmp_path, "hai lai.pdf", b"two")  # the same bytes, added again
    asked = ConfirmRecorder(True)

    def empty(dialog: TrashDialog) -> None:
        monkeypatch.setattr(dialogs, "confirm", asked)
        click(dialog.empty_button)
        assert dialog.model.rowCount() == 0 and not dialog.empty_button.isEnabled()
        dialog.reject()

    drive_dialogs(monkeypatch, TrashDialog, empty)
    click(tab.trash_button)
    assert asked.questions and "2 tệp" in asked.questions[0]
    assert not blob(ctx, shas[gone]).exists() and blob(ctx, shas[shared]).exists()
    assert [r.id for r in tab.model.rows] == [kept]
    assert any("xóa vĩnh viễn 2 tệp" in m for m in ctx.messages)


def test_verify_in_the_tab_checks_the_trash(tab, ctx, tmp_path: Path, monkeypatch) -> None:
    evidence_id = add_file(ctx.db, tmp_path, "kt.pdf", b"check me", "1.1.1")
    tab.refresh()
    sha = tab.model.rows[0].sha256
    delete_with_the_button(tab, monkeypatch, evidence_id)
    infos: list[str] = []
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text, details="": infos.append(text))
    monkeypatch.setattr(dialogs, "show_error",
                        lambda _p, text, details="": errors.append((text, details)))
    assert tab.verify()
    assert infos == ["Đã kiểm tra 0 tệp và 1 tệp trong thùng rác: tất cả nguyên vẹn."]
    blob(ctx, sha).write_bytes(b"tampered")
    assert not tab.verify()
    assert "trong thùng rác: 0 tệp bị mất, 1 tệp bị thay đổi" in errors[0][0]
    assert "kt.pdf" in errors[0][1]
