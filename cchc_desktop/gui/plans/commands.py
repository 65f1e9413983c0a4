"""Undoable edits of plans: add, change, delete, copy to another year."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.undo import ServiceCommand
from cchc_desktop.services import plans as plan_service


class SavePlanCommand(ServiceCommand):
    """Create a plan (``plan_id`` None) or change one; undo restores the previous values."""

    def __init__(self, ctx: GuiContext, values: dict[str, Any], plan_id: int | None = None) -> None:
        super().__init__(ctx, "Sửa kế hoạch" if plan_id else "Thêm kế hoạch")
        self.values = values
        self.plan_id = plan_id
        self._creating = plan_id is None
        self._old: dict[str, Any] | None = None
        self._snapshot: plan_service.PlanSnapshot | None = None

    def apply(self, session: Session) -> None:
        if self._creating and self._snapshot is not None:
            plan_service.restore_plan(session, self._snapshot)
            return
        if not self._creating and self._old is None:
            plan = plan_service.get_plan(session, self.plan_id)  # type: ignore[arg-type]
            self._old = {
                "title": plan.title, "year": plan.year, "kind": plan.kind,
                "number": plan.number or "", "issued_on": plan.issued_on, "intro": plan.intro,
            }
        plan = plan_service.save_plan(session, plan_id=self.plan_id, **self.values)
        self.plan_id = plan.id

    def revert(self, session: Session) -> None:
        assert self.plan_id is not None
        if self._creating:
            self._snapshot = plan_service.delete_plan_with_snapshot(session, self.plan_id)
        else:
            plan_service.save_plan(session, plan_id=self.plan_id, **(self._old or {}))


class DeletePlanCommand(ServiceCommand):
    """Delete a plan with its tasks; undo puts both back with their ids."""

    def __init__(self, ctx: GuiContext, plan_id: int, title: str) -> None:
        super().__init__(ctx, f"Xóa kế hoạch: {title[:40]}")
        self.plan_id = plan_id
        self._snapshot: plan_service.PlanSnapshot | None = None

    def apply(self, session: Session) -> None:
        self._snapshot = plan_service.delete_plan_with_snapshot(session, self.plan_id)

    def revert(self, session: Session) -> None:
        assert self._snapshot is not None
        plan_service.restore_plan(session, self._snapshot)


class CopyPlanCommand(ServiceCommand):
    """Copy a plan and its tasks to another year; undo deletes the copy."""

    def __init__(self, ctx: GuiContext, plan_id: int, year: int) -> None:
        super().__init__(ctx, f"Sao chép kế hoạch sang năm {year}")
        self.source_id = plan_id
        self.year = year
        self.copy_id: int | None = None
        self._snapshot: plan_service.PlanSnapshot | None = None

    def apply(self, session: Session) -> None:
        if self._snapshot is not None:
            self.copy_id = plan_service.restore_plan(session, self._snapshot).id
        else:
            self.copy_id = plan_service.copy_plan_to_year(session, self.source_id, self.year).id

    def revert(self, session: Session) -> None:
        assert self.copy_id is not None
        self._snapshot = plan_service.delete_plan_with_snapshot(session, self.copy_id)
