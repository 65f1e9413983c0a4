"""File dialogs open in the folder last used for that kind of file; after an export the
user can open the file or its folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from cchc_desktop.gui.common import dialogs


@pytest.fixture
def file_dialog(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """QFileDialog.exec answers ``answer["file"]`` and records where the dialog opened."""
    seen: dict[str, object] = {"opened_in": [], "native": []}

    def exec_(dialog: QFileDialog) -> int:
        seen["opened_in"].append(Path(dialog.directory().absolutePath()))
        seen["native"].append(not dialog.testOption(QFileDialog.Option.DontUseNativeDialog))
        dialog.selectFile(str(seen["file"]))
        return 1

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    return seen


def test_save_dialog_starts_in_the_last_folder_for_that_kind(qtbot, tmp_path,
                                                            file_dialog) -> None:  # noqa: ANN001
    first = tmp_path / "bao_cao"
    first.mkdir()
    file_dialog["file"] = first / "a.docx"
    assert dialogs.save_file(None, "Lưu", "Tài liệu Word (*.docx)", "a.docx") == first / "a.docx"
    assert file_dialog["opened_in"][0] == dialogs.documents_folder()  # never the program's
    file_dialog["file"] = first / "b.docx"
    dialogs.save_file(None, "Lưu", "Tài liệu Word (*.docx)", "b.docx")
    assert file_dialog["opened_in"][1] == first
    file_dialog["file"] = tmp_path / "x.xlsx"
    dialogs.save_file(None, "Lưu", "Bảng tính Excel (*.xlsx)", "x.xlsx")
    assert file_dialog["opened_in"][2] == dialogs.documents_folder()  # another kind of file
    assert all(file_dialog["native"])  # the system's own dialog where there is one


def test_a_remembered_folder_that_is_gone_falls_back_to_documents(qtbot, tmp_path,
                                                                  file_dialog) -> None:  # noqa: ANN001
    gone = tmp_path / "usb"
    gone.mkdir()
    file_dialog["file"] = gone / "a.xlsx"
    dialogs.open_file(None, "Mở", "Bảng tính (*.xlsx)")
    gone.joinpath("a.xlsx").unlink(missing_ok=True)
    gone.rmdir()
    dialogs.open_file(None, "Mở", "Bảng tính (*.xlsx)")
    assert file_dialog["opened_in"][1] == dialogs.documents_folder()


def _click(monkeypatch: pytest.MonkeyPatch, label: str, seen: list[list[str]] | None = None) -> None:
    """The message box, when shown, is answered by clicking its button ``label``."""

    def exec_(box: QMessageBox) -> int:
        if seen is not None:
            seen.append([b.text() for b in box.buttons()])
        next(b for b in box.buttons() if b.text() == label).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


@pytest.mark.parametrize(("button", "opened"), [("Mở tệp", "file"), ("Mở thư mục", "folder")])
def test_after_an_export_open_the_file_or_its_folder(qtbot, tmp_path, monkeypatch,
                                                     button, opened) -> None:  # noqa: ANN001
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    path = tmp_path / "bao_cao.docx"
    path.write_bytes(b"x")
    _click(monkeypatch, button)
    dialogs.offer_open(None, path)
    assert [Path(u.toLocalFile()) for u in urls] == [path if opened == "file" else tmp_path]


def test_a_file_that_cannot_be_opened_is_said_so(qtbot, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    errors: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": errors.append(text))
    path = tmp_path / "a.docx"
    path.write_bytes(b"x")
    _click(monkeypatch, "Mở tệp")
    dialogs.offer_open(None, path)
    assert errors and "Không mở được tệp a.docx" in errors[0]


def test_a_folder_of_files_offers_only_its_folder(qtbot, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    urls: list[QUrl] = []
    labels: list[list[str]] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)

    _click(monkeypatch, "Mở thư mục", labels)
    dialogs.offer_open(None, tmp_path)
    assert not {"Mở tệp", "In…"} & set(labels[0]) and [Path(u.toLocalFile()) for u in urls] == [tmp_path]


def test_no_dialog_forces_qt_s_own_file_dialog() -> None:
    gui = Path(dialogs.__file__).parents[1]
    users = [p for p in gui.rglob("*.py") if "DontUseNativeDialog" in p.read_text("utf-8")]
    assert users == []
