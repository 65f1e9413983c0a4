"""The import/export dialogs driven as a user would, on a real database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from cchc_desktop.gui.common import dialogs
from cchc_desktop.store.models import Task
from tests.gui.progress import press_cancel_when_shown
from tests.importers.conftest import HEADER, snapshot


@pytest.fixture
def ctx(qtbot, units_db):  # noqa: ANN001, ANN201
    from PySide6.QtGui import QUndoStack

    from cchc_desktop.gui.common.context import GuiContext

    stack = QUndoStack()
    context = GuiContext(db=units_db, undo_stack=stack, today=lambda: date(2024, 11, 20))
    context.changes = []  # type: ignore[attr-defined]
    context.data_changed.append(lambda: context.changes.append(1))  # type: ignore[attr-defined]
    yield context
    stack.deleteLater()


@pytest.fixture
def messages(monkeypatch) -> list[tuple[str, str]]:  # noqa: ANN001
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text, details="": shown.append(("info", text + details)))  # noqa: E501
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(("error", text + details)))  # noqa: E501
    monkeypatch.setattr(dialogs, "offer_open", lambda _p, _path, text="": shown.append(("info", text)))  # noqa: E501
    return shown


def count_tasks(db) -> int:  # noqa: ANN001
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Task))


def make_dialog(qtbot, ctx, path, kind="tasks"):  # noqa: ANN001, ANN201
    from cchc_desktop.gui.tasks.import_dialog import ImportDialog

    dialog = ImportDialog(ctx, path, kind)
    qtbot.addWidget(dialog)
    return dialog


def test_preview_then_import(qtbot, ctx, messages, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([HEADER, [1, "Việc A", None, "Quý IV", None, None, "Văn phòng Sở"],
                       [2, "Việc B", None, None, "15/3/2024", None, "Thanh tra Sở"]])
    dialog = make_dialog(qtbot, ctx, path)
    assert dialog.preview()
    assert "Sẽ thêm 2 nhiệm vụ" in dialog.summary.text()
    assert dialog.import_button.isEnabled()
    assert dialog.problems_view.isHidden() and dialog.suggestions_view.isHidden()
    assert count_tasks(ctx.db) == 0  # the preview wrote nothing
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.imported is not None and dialog.imported.added == 2
    assert count_tasks(ctx.db) == 2
    assert ctx.changes == [1]
    assert messages[0][0] == "info" and "Đã thêm 2 nhiệm vụ" in messages[0][1]


def test_bad_rows_are_listed_and_import_is_disabled(qtbot, ctx, messages, make_sheet) -> None:  # noqa: ANN001, E501
    path = make_sheet([["KẾ HOẠCH"], HEADER,
                       [1, "Tốt", None, None, None, None, "Văn phòng Sở"],
                       [2, "Ngày sai", None, None, "32/01/2024", None, "Văn phòng Sở"],
                       [3, "Không chủ trì"]])
    before = snapshot(ctx.db)
    dialog = make_dialog(qtbot, ctx, path)
    assert dialog.preview()
    model = dialog.problems_model
    assert model.rowCount() == 2
    assert [model.index(r, 0).data() for r in range(2)] == ["4", "5"]
    assert "32/01/2024" in model.index(0, 1).data()
    assert model.index(1, 1).data() == "Thiếu đơn vị chủ trì."
    assert not dialog.problems_view.isHidden()
    assert not dialog.import_button.isEnabled()
    assert snapshot(ctx.db) == before


def test_suggestion_confirmed_merges(qtbot, ctx, messages, make_sheet) -> None:  # noqa: ANN001
    path = make_sheet([HEADER, [1, "Việc A", None, None, None, None, "Van phong So"]])
    dialog = make_dialog(qtbot, ctx, path)
    assert dialog.preview()
    model = dialog.suggestions_model
    assert model.rowCount() == 1 and not dialog.suggestions_view.isHidden()
    assert (model.index(0, 1).data(), model.index(0, 2).data()) == ("Van phong So", "Văn phòng Sở")
    assert model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(model.index(0, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.imported is not None and dialog.imported.created_units == []
    with ctx.db.session() as s:
        task = s.scalars(select(Task)).one()
        assert task.lead_unit.name == "Văn phòng Sở"


def test_models_pass_the_model_tester(qtbot, qtmodeltester: Any, ctx, messages, make_sheet) -> None:  # noqa: ANN001, E501
    path = make_sheet([HEADER, [1, "A", None, None, "x", None, "Van phong So"], [2, "B"]])
    dialog = make_dialog(qtbot, ctx, path)
    assert dialog.preview()
    assert dialog.problems_model.rowCount() == 2
    qtmodeltester.check(dialog.problems_model)
    qtmodeltester.check(dialog.suggestions_model)


def test_unreadable_file_shows_a_vietnamese_error(qtbot, ctx, messages, tmp_path) -> None:  # noqa: ANN001, E501
    path = tmp_path / "sai.xlsx"
    path.write_text("không phải Excel", encoding="utf-8")
    dialog = make_dialog(qtbot, ctx, path)
    assert not dialog.preview()
    assert messages == [("error", messages[0][1])]
    assert "không phải bảng tính Excel" in messages[0][1]


def test_menu_functions_import_and_export(qtbot, ctx, messages, make_sheet, tmp_path, monkeypatch) -> None:  # noqa: ANN001, E501
    from cchc_desktop.gui.tasks import import_dialog

    source = make_sheet([HEADER, [1, "Việc A", None, None, None, None, "Văn phòng Sở"]])
    monkeypatch.setattr(dialogs, "open_file", lambda *_a, **_k: source)
    monkeypatch.setattr(import_dialog.ImportDialog, "exec", lambda self: self.commit())
    assert import_dialog.import_tasks(None, ctx) is True
    assert count_tasks(ctx.db) == 1

    target = tmp_path / "xuat"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a, **_k: target)
    assert import_dialog.export_tasks(None, ctx) is True
    assert (tmp_path / "xuat.xlsx").exists()
    assert "Đã xuất 1 nhiệm vụ" in messages[-1][1]
    monkeypatch.setattr(dialogs, "save_file", lambda *_a, **_k: tmp_path / "vb.xlsx")
    assert import_dialog.export_documents(None, ctx) is True

    monkeypatch.setattr(dialogs, "open_file", lambda *_a, **_k: tmp_path / "vb.xlsx")
    assert import_dialog.import_documents(None, ctx) is True
    assert "không đổi 1" in messages[-1][1]

    monkeypatch.setattr(dialogs, "open_file", lambda *_a, **_k: None)
    assert import_dialog.import_tasks(None, ctx) is False


def test_quick_jobs_never_leave_the_progress_loop_waiting(qtbot, ctx, messages, make_sheet) -> None:  # noqa: ANN001, E501
    """A job that ends at once used to race the progress dialog's event loop (a hang)."""
    from cchc_desktop.gui.common.jobs import run_with_progress

    results = [run_with_progress(None, "x", lambda _r, _c, i=i: i) for i in range(200)]
    assert [r.result for r in results] == list(range(200))
    dialog = make_dialog(qtbot, ctx, make_sheet([HEADER]))
    assert all(dialog.preview() for _ in range(10))
    assert not dialog.import_button.isEnabled()  # nothing to import in a header-only sheet


def test_cancelled_import_leaves_the_database_unchanged(qtbot, ctx, messages, make_sheet,
                                                        monkeypatch) -> None:  # noqa: ANN001
    """"Hủy" pressed after every row was written but before the commit: all rolled back."""
    import time

    from cchc_desktop.services import imports

    path = make_sheet([HEADER, [1, "Việc A", None, "Quý IV", None, None, "Thanh tra Sở"],
                       [2, "Việc B", None, None, "15/3/2024", None, "Thanh tra Sở"]])
    dialog = make_dialog(qtbot, ctx, path)
    assert dialog.preview()
    assert dialog.import_button.isEnabled()  # known units only: nothing left to decide
    before = snapshot(ctx.db)
    written = imports.write_tasks

    def slow_write(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        ids = written(*args, **kwargs)  # rows are in the transaction now
        time.sleep(1.0)  # the user presses "Hủy" meanwhile
        return ids

    monkeypatch.setattr(imports, "write_tasks", slow_write)
    pressed: list[bool] = []
    press_cancel_when_shown(qtbot, pressed)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert pressed == [True]
    assert dialog.imported is None and ctx.changes == [] and messages == []
    assert snapshot(ctx.db) == before and count_tasks(ctx.db) == 0


def test_cancel_is_asked_between_rows(units_db, make_sheet) -> None:  # noqa: ANN001
    from cchc_desktop.errors import Cancelled
    from cchc_desktop.services.imports import import_tasks as run_import

    path = make_sheet([HEADER] + [[i, f"Việc {i}", None, None, None, None, "Thanh tra Sở"]
                                  for i in range(1, 6)])
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3

    before = snapshot(units_db)
    with pytest.raises(Cancelled), units_db.session() as session:
        run_import(session, path, cancelled=cancelled)
    assert len(asked) == 4 and snapshot(units_db) == before
