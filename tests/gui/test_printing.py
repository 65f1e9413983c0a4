"""After an export, "In…" prints through the system: a fake printer command stands in for
``lp``/LibreOffice (put first on PATH), and Windows' print verb is replaced by a recorder."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.services import printing


def _fake_program(folder: Path, name: str, log: Path, code: int = 0) -> None:
    """A program ``name`` on PATH that writes its arguments to ``log`` and exits ``code``."""
    script = folder / name
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$0" "$@" >> "{log}"\nexit {code}\n', "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def fake_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder as the whole PATH: only the programs a test puts there exist."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(sys, "platform", "linux")
    return folder


def _click(monkeypatch: pytest.MonkeyPatch, label: str, seen: list[str]) -> None:
    """Every message box is answered with its button ``label`` (or its only button)."""

    def exec_(box: QMessageBox) -> int:
        seen.append(box.text())
        buttons = box.buttons()
        wanted = [b for b in buttons if b.text() == label] or buttons
        wanted[0].click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


@pytest.mark.parametrize(("name", "program"), [("ds.docx", "soffice"), ("ds.xlsx", "soffice"),
                                               ("bc.pdf", "lp")])
def test_print_button_sends_the_file_to_the_printing_program(
        qtbot, tmp_path, fake_path, monkeypatch, name, program) -> None:  # noqa: ANN001
    log = tmp_path / "printed.txt"
    _fake_program(fake_path, "lp", log)
    _fake_program(fake_path, "soffice", log)
    path = tmp_path / name
    path.write_bytes(b"x")
    shown: list[str] = []
    _click(monkeypatch, "In…", shown)
    dialogs.offer_open(None, path)
    args = log.read_text("utf-8").split("\n")
    assert Path(args[0]).name == program and args[-2] == str(path)
    if program == "soffice":
        assert "-p" in args
    assert any(f"Đã gửi tệp {name} tới máy in" in text for text in shown)


def test_nothing_that_prints_is_said_in_vietnamese(qtbot, tmp_path, fake_path,
                                                   monkeypatch) -> None:  # noqa: ANN001
    path = tmp_path / "ds.docx"
    path.write_bytes(b"x")
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": errors.append(text))
    _click(monkeypatch, "In…", [])
    dialogs.offer_open(None, path)
    assert len(errors) == 1
    assert "chưa có chương trình in được tệp ds.docx" in errors[0] and "LibreOffice" in errors[0]


def test_a_printer_that_refuses_is_said_so(tmp_path, fake_path) -> None:  # noqa: ANN001
    _fake_program(fake_path, "lp", tmp_path / "log.txt", code=1)  # "no default destination"
    path = tmp_path / "bc.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(UserError, match="chưa có máy in mặc định"):
        printing.print_file(path)


def test_a_pdf_without_lp_goes_to_libreoffice(tmp_path, fake_path) -> None:  # noqa: ANN001
    _fake_program(fake_path, "soffice", tmp_path / "log.txt")
    command = printing.print_command(tmp_path / "bc.pdf")
    assert command is not None and Path(command[0]).name == "soffice"
    assert printing.print_command(tmp_path / "anh.png") is None


def test_windows_uses_the_file_type_s_print_verb(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", lambda p, verb: calls.append((p, verb)), raising=False)
    path = tmp_path / "ds.docx"
    path.write_bytes(b"x")
    printing.print_file(path)
    assert calls == [(str(path), "print")]

    def no_program(_p: str, _verb: str) -> None:
        raise OSError("No application is associated with the specified file")

    monkeypatch.setattr(os, "startfile", no_program, raising=False)
    with pytest.raises(UserError, match="chưa có chương trình in được"):
        printing.print_file(path)
