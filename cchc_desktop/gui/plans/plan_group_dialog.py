"""Kế hoạch → Sửa nhóm...: a group's numbering, title and CCHC area, undoable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from cchc_desktop.domain.areas import REFORM_AREAS, area_label
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.mnemonics import add_mnemonics
from cchc_desktop.gui.common.undo import ServiceCommand, run_command

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["EditGroupCommand", "PlanGroupDialog", "edit_group"]


class EditGroupCommand(ServiceCommand):
    """Change a plan group (numbering, title, area); undo puts the old values back."""

    def __init__(self, ctx: GuiContext, group_id: int, old: tuple[str, str, int | None],
                 new: tuple[str, str, int | None]) -> None:
        super().__init__(ctx, f"Sửa nhóm {new[0]}. {new[1]}".strip())
        self.group_id, self.old, self.new = group_id, old, new

    def _write(self, session: Session, values: tuple[str, str, int | None]) -> None:
        from cchc_desktop.services.plans import update_group

        number, title, area = values
        update_group(session, self.group_id, number=number, title=title, area=area)

    def apply(self, session: Session) -> None:
        self._write(session, self.new)

    def revert(self, session: Session) -> None:
        self._write(session, self.old)


class PlanGroupDialog(QDialog):
    """The group's numbering and title as the plan writes them, and its CCHC area.

    Attributes: number_edit, title_edit, area_combo (data: 1..8 or None).
    """

    def __init__(self, number: str, title: str, area: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sửa nhóm nhiệm vụ của kế hoạch")
        form = QFormLayout(self)
        self.number_edit = QLineEdit(number)
        self.number_edit.setMaxLength(20)
        self.title_edit = QLineEdit(title)
        self.area_combo = QComboBox()
        self.area_combo.addItem(area_label(None), None)
        for a in REFORM_AREAS:
            self.area_combo.addItem(area_label(a.code), a.code)
        self.area_combo.setCurrentIndex(max(0, self.area_combo.findData(area)))
        form.addRow("Số thứ tự nhóm:", self.number_edit)
        form.addRow("Tên nhóm:", self.title_edit)
        form.addRow("Lĩnh vực CCHC:", self.area_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        add_mnemonics(self)

    def values(self) -> tuple[str, str, int | None]:
        return (" ".join(self.number_edit.text().split()), " ".join(self.title_edit.text().split()),
                self.area_combo.currentData())


def edit_group(parent: QWidget | None, ctx: GuiContext, group_id: int,
               current: tuple[str, str, int | None]) -> str | None:
    """Ask for the group's new values and apply them undoably; the error text, "" when
    saved, None when cancelled."""
    dialog = PlanGroupDialog(*current, parent=parent)
    try:
        if not dialog.exec():
            return None
        new = dialog.values()
    finally:
        dialog.deleteLater()
    if new == current:
        return ""
    try:
        run_command(parent, EditGroupCommand(ctx, group_id, current, new), quiet=True)
    except UserError as exc:
        return exc.message
    return ""
