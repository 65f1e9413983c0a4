"""Undoable edits of the units: add, change, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.undo import ServiceCommand, quoted
from cchc_desktop.services import units as unit_service


class SaveUnitCommand(ServiceCommand):
    """Add a unit (``unit_id`` None) or change one; undoable.

    ``values`` are UnitDialog's (name, short_name, kind, active). Undo of an add deletes
    the unit (refused once a task uses it) and redo puts it back with the same id; undo of
    a change saves the old values back. ``text`` overrides the Edit menu's wording.
    """

    def __init__(self, ctx: GuiContext, values: dict[str, Any], unit_id: int | None = None,
                 *, text: str | None = None) -> None:
        action = "Sửa đơn vị" if unit_id else "Thêm đơn vị"
        super().__init__(ctx, text or f"{action} {quoted(values['name'])}")
        self.values = values
        self.unit_id = unit_id
        self._creating = unit_id is None
        self._old: unit_service.UnitSnapshot | None = None
        self._removed: unit_service.UnitSnapshot | None = None

    def apply(self, session: Session) -> None:
        if self._creating:
            if self._removed is not None:
                self.unit_id = unit_service.restore_unit(session, self._removed).id
            else:
                self.unit_id = unit_service.create_unit(
                    session, self.values["name"], self.values["short_name"], self.values["kind"]
                ).id
            return
        assert self.unit_id is not None
        if self._old is None:
            self._old = unit_service.unit_snapshot(session, self.unit_id)
        unit_service.update_unit(session, self.unit_id, **self.values)

    def revert(self, session: Session) -> None:
        assert self.unit_id is not None
        if self._creating:
            self._removed = unit_service.delete_unit(session, self.unit_id)
        else:
            old = self._old
            assert old is not None
            unit_service.update_unit(session, self.unit_id, name=old.name,
                                     short_name=old.short_name, kind=old.kind, active=old.active)


class DeleteUnitCommand(ServiceCommand):
    """Delete an unused unit; undo puts it back with its id, so links to that id work again."""

    def __init__(self, ctx: GuiContext, unit_id: int, name: str) -> None:
        super().__init__(ctx, f"Xóa đơn vị {quoted(name)}")
        self.unit_id = unit_id
        self._removed: unit_service.UnitSnapshot | None = None

    def apply(self, session: Session) -> None:
        self._removed = unit_service.delete_unit(session, self.unit_id)

    def revert(self, session: Session) -> None:
        assert self._removed is not None
        unit_service.restore_unit(session, self._removed)
