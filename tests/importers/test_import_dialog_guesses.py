"""The import preview shows every guess and lets the user correct it (issue 14): the plan's
groups and their suggested area, how each timing was read, unit names to map or create, and
which table of a Word document to read."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem
from sqlalchemy import select

from cchc_desktop.gui.common import dialogs
from cchc_desktop.services.plans import plan_groups, save_plan
from cchc_desktop.store.models import Task, UnitAlias
from tests.importers.real_plans import PLANS, write_docx


@pytest.fixture
def ctx(qtbot, units_db):  # noqa: ANN001, ANN201
    from PySide6.QtGui import QUndoStack

    from cchc_desktop.gui.common.context import GuiContext

    stack = QUndoStack()
    shown: list[str] = []
    context = GuiContext(db=units_db, undo_stack=stack, today=lambda: date(2022, 11, 20),
                         show_message=shown.append)
    context.shown = shown  # type: ignore[attr-defined]
    yield context
    stack.deleteLater()


@pytest.fixture
def messages(monkeypatch) -> list[tuple[str, str]]:  # noqa: ANN001
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text, details="": shown.append(("info", text + details)))  # noqa: E501
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(("error", text + details)))  # noqa: E501
    return shown


@pytest.fixture
def plan_id(units_db) -> int:  # noqa: ANN001
    with units_db.session() as s:
        return save_plan(s, title="Kế hoạch tuyên truyền CCHC năm 2022", year=2022,
                         kind="propaganda").id


def _dialog(qtbot, ctx, path, plan_id):  # noqa: ANN001, ANN202
    from cchc_desktop.gui.tasks.import_dialog import ImportDialog

    dialog = ImportDialog(ctx, path, "tasks", plan_id=plan_id)
    qtbot.addWidget(dialog)
    return dialog


def _choose(view, row: int, label_start: str) -> None:  # noqa: ANN001
    """Edit the last column of ``row`` with its combo box, as a double click would."""
    model = view.model()
    index = model.index(row, model.columnCount() - 1)
    delegate = view.itemDelegateForColumn(index.column())
    editor = delegate.createEditor(view.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    delegate.setEditorData(editor, index)
    found = next(i for i in range(editor.count()) if editor.itemText(i).startswith(label_start))
    editor.setCurrentIndex(found)
    delegate.setModelData(editor, model, index)
    editor.deleteLater()


def test_word_plan_preview_shows_every_guess_and_takes_corrections(
    qtbot, ctx, messages, plan_id, tmp_path  # noqa: ANN001
) -> None:
    header, rows, _groups = PLANS["003"]
    path = write_docx(tmp_path / "ke_hoach.docx", header, rows)
    dialog = _dialog(qtbot, ctx, path, plan_id)
    assert dialog.plan_combo.currentData() == plan_id  # the plan selected, not "no plan"
    assert dialog.preview()
    # Word: two tables, the task table chosen.
    assert dialog.table_combo.count() == 2 and dialog.table_combo.currentData() == 2
    # The plan's groups as written, areas suggested (none: propaganda contents and forms).
    groups = dialog.groups_model
    assert [groups.index(r, 1).data() for r in range(2)] == [
        "I. Nội dung tuyên truyền", "II. Hình thức tuyên truyền"]
    assert groups.index(0, 3).data() == "Không thuộc lĩnh vực nào (gợi ý)"
    # Timings: how each was read; the one no rule understands is flagged.
    preview = dialog.preview_model
    readings = [preview.index(r, 8).data() for r in range(preview.rowCount())]
    assert readings[0] == "hạn 31/12/2022"
    assert readings[2] == "thường xuyên, không có hạn"
    assert readings[4].startswith("định kỳ: 31/03/2022")
    assert readings[5] == "chưa hiểu thời hạn"
    assert preview.index(5, 8).data(Qt.ItemDataRole.ForegroundRole) is not None
    # An unknown unit name blocks the import until the user decides.
    units = dialog.units_model
    assert [units.index(r, 0).data() for r in range(units.rowCount())] == ["Các phòng thuộc Sở"]
    assert not dialog.import_button.isEnabled()

    _choose(dialog.groups_view, 1, "3. Cải cách thủ tục hành chính")
    assert groups.index(1, 3).data() == "3. Cải cách thủ tục hành chính"
    assert preview.index(3, 3).data() == "TTHC"  # the group's rows follow
    _choose(dialog.units_view, 0, "Tạo đơn vị mới")
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.imported is not None and dialog.imported.added == 6
    assert "thêm 6, cập nhật 0, không đổi 0" in ctx_messages(ctx)
    with ctx.db.session() as s:
        stored = [(g.number, g.title, g.area) for g in plan_groups(s, plan_id)]
        areas = [t.area for t in s.scalars(select(Task).order_by(Task.position))]
    assert stored == [("I", "Nội dung tuyên truyền", None), ("II", "Hình thức tuyên truyền", 3)]
    assert areas == [None, None, None, 3, 3, 3]


def ctx_messages(ctx) -> str:  # noqa: ANN001
    return "\n".join(ctx.shown)


def test_a_name_mapped_to_a_unit_is_remembered(qtbot, ctx, messages, plan_id, tmp_path) -> None:  # noqa: ANN001, E501
    header = ("STT", "Nội dung", "Thời gian thực hiện", "Cơ quan chủ trì")
    rows = [("1", "Việc A", "Quý IV", "VP Sở")]
    path = write_docx(tmp_path / "a.docx", header, rows)
    dialog = _dialog(qtbot, ctx, path, plan_id)
    assert dialog.preview()
    _choose(dialog.units_view, 0, "Là đơn vị: Văn phòng Sở")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.imported is not None
    with ctx.db.session() as s:
        assert [a.alias for a in s.scalars(select(UnitAlias))] == ["VP Sở"]
        assert s.scalars(select(Task)).one().lead_unit.name == "Văn phòng Sở"
    again = _dialog(qtbot, ctx, write_docx(tmp_path / "b.docx", header, [("1", "Việc B", "",
                                                                         "VP Sở")]), plan_id)
    assert again.preview()
    assert again.units_model.rowCount() == 0 and again.import_button.isEnabled()


def test_choice_models_pass_the_model_tester(qtbot, qtmodeltester: Any, ctx, messages,  # noqa: ANN001
                                             plan_id, tmp_path) -> None:
    header, rows, _groups = PLANS["003"]
    dialog = _dialog(qtbot, ctx, write_docx(tmp_path / "p.docx", header, rows), plan_id)
    assert dialog.preview()
    qtmodeltester.check(dialog.groups_model)
    qtmodeltester.check(dialog.units_model)
    qtmodeltester.check(dialog.preview_model)


def test_plans_tab_imports_a_file_into_the_selected_plan(qtbot, ctx, messages, plan_id,  # noqa: ANN001
                                                         tmp_path, monkeypatch) -> None:
    from cchc_desktop.gui.plans.tab import PlansTab
    from cchc_desktop.gui.tasks import import_dialog

    header = ("STT", "Nội dung", "Thời gian thực hiện", "Cơ quan chủ trì")
    path = write_docx(tmp_path / "kh.docx", header, [("1", "Việc A", "Quý IV", "Văn phòng Sở")])
    monkeypatch.setattr(dialogs, "open_file", lambda *_a, **_k: path)
    monkeypatch.setattr(import_dialog.ImportDialog, "exec", lambda self: self.commit())
    tab = PlansTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.year_box.setCurrentIndex(tab.year_box.findData(2022))
    assert tab.selected_plan() is not None and tab.import_button.isEnabled()
    assert tab.import_button.text() == "Nhập từ tệp..."
    assert tab.import_tasks() is True
    with ctx.db.session() as s:
        assert s.scalars(select(Task)).one().plan_id == plan_id


def test_catalog_manages_a_units_aliases(qtbot, ctx, messages, monkeypatch) -> None:  # noqa: ANN001
    from cchc_desktop.gui.catalog.unit_aliases_dialog import UnitAliasesDialog
    from cchc_desktop.services.unit_matching import UnitMatcher

    with ctx.db.session() as s:
        unit_id = UnitMatcher(s).lookup("Văn phòng Sở")
    assert unit_id is not None
    dialog = UnitAliasesDialog(ctx, unit_id, "Văn phòng Sở")
    qtbot.addWidget(dialog)
    dialog.alias_edit.setText("Văn phòng")  # typed with a Vietnamese keyboard
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert [dialog.alias_list.item(i).text() for i in range(dialog.alias_list.count())] == [
        "Văn phòng"]
    # A name that is another unit's is refused with a message, nothing written.
    qtbot.keyClicks(dialog.alias_edit, "TCCB")
    assert not dialog.add_alias()
    assert "Phòng Tổ chức cán bộ" in messages[-1][1]
    with ctx.db.session() as s:
        assert UnitMatcher(s).lookup("văn  PHÒNG") == unit_id
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    dialog.alias_list.setCurrentRow(0)
    assert dialog.remove_alias() and dialog.alias_list.count() == 0


def test_plans_tab_edits_a_groups_area_undoably(qtbot, ctx, messages, plan_id, tmp_path,  # noqa: ANN001
                                               monkeypatch) -> None:
    from cchc_desktop.gui.plans import plan_group_dialog
    from cchc_desktop.gui.plans.tab import PlansTab
    from cchc_desktop.services.imports import import_tasks

    header, rows, _groups = PLANS["003"]
    with ctx.db.session() as s:
        import_tasks(s, write_docx(tmp_path / "p.docx", header, rows), plan_id=plan_id,
                     create_units=True, today=date(2022, 12, 1))
    tab = PlansTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.year_box.setCurrentIndex(tab.year_box.findData(2022))
    group_rows = tab.task_model.group_rows()
    assert [tab.task_model.index(r, 1).data().split("  (")[0] for r in group_rows] == [
        "Nội dung tuyên truyền", "Hình thức tuyên truyền"]  # the plan's own titles
    tab.task_view.setCurrentIndex(tab.task_model.index(group_rows[1], 1))
    assert tab.group_button.isEnabled()

    def user_picks_area(self) -> int:  # noqa: ANN001
        self.area_combo.setCurrentIndex(self.area_combo.findData(3))
        return 1

    monkeypatch.setattr(plan_group_dialog.PlanGroupDialog, "exec", user_picks_area)
    assert tab.edit_group()

    def areas() -> list[int | None]:
        with ctx.db.session() as s:
            return [g.area for g in plan_groups(s, plan_id)]

    assert areas() == [None, 3]
    ctx.undo_stack.undo()
    assert areas() == [None, None]
    ctx.undo_stack.redo()
    assert areas() == [None, 3]
