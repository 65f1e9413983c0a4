"""Undoable edits of a year's criteria (Tự chấm điểm tab) over :mod:`~cchc_desktop.services.framework_edit`.

Run once through :func:`~cchc_desktop.gui.common.undo.run_command`; undo and redo
call the services again, each in one transaction, then ``ctx.notify_changed()``.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from sqlalchemy.orm import Session

from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.undo import ServiceCommand, quoted
from cchc_desktop.services import framework_edit
from cchc_desktop.services.framework_edit import CriterionFields, CriterionSnapshot


class EditCriterionCommand(ServiceCommand):
    """Change a criterion's fields; undo saves the stored values of the same fields back."""

    def __init__(self, ctx: GuiContext, year: int, code: str, fields: CriterionFields) -> None:
        named = f" {quoted(fields.title)}" if fields.title else ""
        super().__init__(ctx, f"Sửa tiêu chí {code}{named}")
        self.year, self.code, self.fields = year, code, fields
        self._old: CriterionFields | None = None

    def apply(self, session: Session) -> None:
        if self._old is None:
            stored = framework_edit.criterion_fields(session, self.year, self.code)
            # Only what this edit sets is set back (a parent's max follows its children).
            self._old = CriterionFields(**{
                f.name: getattr(stored, f.name) if getattr(self.fields, f.name) is not None
                else None for f in dataclass_fields(CriterionFields)
            })
        framework_edit.edit_criterion(session, self.year, self.code, self.fields)

    def revert(self, session: Session) -> None:
        assert self._old is not None
        framework_edit.edit_criterion(session, self.year, self.code, self._old)


class AddCriterionCommand(ServiceCommand):
    """Add a criterion under ``parent`` (None: top level); undo removes it, redo puts it back.

    Attributes: ``code`` (the code given to the new criterion, once added).
    """

    def __init__(self, ctx: GuiContext, year: int, parent: str | None,
                 fields: CriterionFields) -> None:
        super().__init__(ctx, f"Thêm tiêu chí {quoted(fields.title or '')}")
        self.year, self.parent, self.fields = year, parent, fields
        self.code: str | None = None
        self._parent_max: float | None = None
        self._removed: CriterionSnapshot | None = None

    def apply(self, session: Session) -> None:
        if self._removed is not None:
            self.code = framework_edit.restore_criterion(session, self._removed).code
            return
        if self.parent is not None:  # a leaf parent's own max gives way to the children's sum
            self._parent_max = framework_edit.criterion_fields(
                session, self.year, self.parent).max_points
        self.code = framework_edit.add_criterion(session, self.year, self.parent, self.fields).code
        self.setText(f"Thêm tiêu chí {self.code} {quoted(self.fields.title or '')}")

    def revert(self, session: Session) -> None:
        assert self.code is not None
        self._removed = framework_edit.remove_added_criterion(
            session, self.year, self.code, self._parent_max)


class DeleteCriterionCommand(ServiceCommand):
    """Remove a criterion with its sub-criteria; undo brings back all of it, scores and links too."""

    def __init__(self, ctx: GuiContext, year: int, code: str, title: str) -> None:
        super().__init__(ctx, f"Xóa tiêu chí {code} {quoted(title)}")
        self.year, self.code = year, code
        self._removed: CriterionSnapshot | None = None

    def apply(self, session: Session) -> None:
        self._removed = framework_edit.delete_criterion_with_snapshot(session, self.year, self.code)

    def revert(self, session: Session) -> None:
        assert self._removed is not None
        framework_edit.restore_criterion(session, self._removed)
