"""An export the machine refuses (the name is a folder, the folder is a file): a Vietnamese
message box, the previous state of the folder kept, no temporary file left."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_desktop.gui.common import dialogs
from cchc_desktop.store.atomic import TEMP_PREFIX


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda *_a, **_k: None)
    return shown


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(dialogs, "save_file", lambda *_a, **_k: path)


def _no_debris(folder: Path) -> bool:
    return not any(p.name.startswith(TEMP_PREFIX) for p in folder.rglob("*"))


def test_task_list_over_a_folder(window, errors, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from cchc_desktop.gui.tasks import import_dialog

    target = tmp_path / "nhiem_vu.xlsx"
    target.mkdir()
    _choose(monkeypatch, target)
    assert not import_dialog.export_tasks(window, window.ctx)
    assert len(errors) == 1 and "là một thư mục" in errors[0]
    assert "lỗi nội bộ" not in errors[0].lower()
    assert target.is_dir() and _no_debris(tmp_path)


def test_plan_document_under_a_plain_file(window, errors, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from cchc_desktop.gui.reports import export_dialog

    plain = tmp_path / "ghi_chu.txt"
    plain.write_text("giữ nguyên")
    _choose(monkeypatch, plain / "ke_hoach.docx")
    assert not export_dialog.export_plan(window, window.ctx, 1)
    assert len(errors) == 1 and "không phải là thư mục" in errors[0]
    assert plain.read_text() == "giữ nguyên" and _no_debris(tmp_path)
