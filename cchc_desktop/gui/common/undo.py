"""Undoable edits of plans, documents and units (QUndoCommand over the services).

A command is run once by :func:`run_command`, which shows a validation error to the user
and pushes the command on ``ctx.undo_stack`` only when the change was saved. Redo and undo
after that run the services again, each in one transaction, and call ``ctx.notify_changed``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from cchc_desktop.errors import UserError, ValidationError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.services import documents as doc_service
from cchc_desktop.services import plans as plan_service
from cchc_desktop.services import units as unit_service


def quoted(text: str, limit: int = 40) -> str:
    """``text`` on one line, shortened to ``limit`` characters, in Vietnamese quotes."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


class ServiceCommand(QUndoCommand):
    """Base class: ``apply`` and ``revert`` do the work in a session.

    Attributes:
        ctx: the window's context.
        failed: the message of the last redo/undo that the database refused, or "".
    """

    def __init__(self, ctx: GuiContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.failed = ""
        self._skip_redo = False

    def apply(self, session: Session) -> None:
        raise NotImplementedError

    def revert(self, session: Session) -> None:
        raise NotImplementedError

    def _run(self, work: Any) -> None:
        self.failed = ""
        try:
            with self.ctx.db.session() as session:
                work(session)
        except UserError as exc:
            # Someone else changed the data in between: this step cannot be replayed.
            self.failed = exc.message
            self.setObsolete(True)
        self.ctx.notify_changed()
        if self.failed:  # after the refresh, which puts its own line in the status bar
            self.ctx.show_message(self.failed)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)


def run_command(parent: QWidget | None, command: ServiceCommand, *, quiet: bool = False) -> bool:
    """Do ``command`` now; on success put it on the undo stack and return True.

    A refusal (validation, conflict, not found) is shown to the user unless ``quiet`` (the
    caller shows it next to a field) and re-raised as the caller's to handle when quiet.
    """
    try:
        with command.ctx.db.session() as session:
            command.apply(session)
    except UserError as exc:
        if quiet:
            raise
        dialogs.show_error(parent, exc.message, "\n".join(getattr(exc, "problems", []) or []))
        return False
    command._skip_redo = True
    command.ctx.undo_stack.push(command)
    command.ctx.notify_changed()
    return True


# --------------------------------------------------------------------------- plans


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


# --------------------------------------------------------------------------- documents


def document_values(info: doc_service.DocumentInfo) -> dict[str, Any]:
    """The fields ``save_document`` takes, from a listed document."""
    return {
        "symbol": info.symbol, "issued_on": info.issued_on, "issuer": info.issuer,
        "summary": info.summary, "doc_type": info.doc_type,
    }


class SaveDocumentCommand(ServiceCommand):
    """Add a document (refusing one already in the register) or change one; undoable."""

    def __init__(
        self, ctx: GuiContext, values: dict[str, Any], document_id: int | None = None
    ) -> None:
        super().__init__(ctx, "Sửa văn bản" if document_id else "Thêm văn bản")
        self.values = values
        self.document_id = document_id
        self._creating = document_id is None
        self._old: dict[str, Any] | None = None

    def apply(self, session: Session) -> None:
        if self._creating:
            symbol, issuer = self.values["symbol"], self.values.get("issuer", "")
            if doc_service.find_document(session, symbol, issuer) is not None:
                raise ValidationError(
                    f"Văn bản {symbol.strip()} của {issuer.strip() or 'cơ quan này'} "
                    "đã có trong sổ."
                )
            self.document_id = None
        elif self._old is None:
            assert self.document_id is not None
            self._old = document_values(doc_service.get_document(session, self.document_id))
        doc = _save_document(session, self.values, self.document_id)
        self.document_id = doc.id

    def revert(self, session: Session) -> None:
        assert self.document_id is not None
        if self._creating:
            doc_service.delete_document(session, self.document_id)
        else:
            _save_document(session, self._old or {}, self.document_id)


class DeleteDocumentCommand(ServiceCommand):
    """Delete a document; undo enters it again with the same fields and task links."""

    def __init__(self, ctx: GuiContext, document_id: int, symbol: str) -> None:
        super().__init__(ctx, f"Xóa văn bản {symbol}")
        self.document_id = document_id
        self._removed: doc_service.DocumentInfo | None = None
        self._citing: list[int] = []

    def apply(self, session: Session) -> None:
        self._citing = doc_service.tasks_citing(session, self.document_id)
        self._removed = doc_service.delete_document(session, self.document_id)

    def revert(self, session: Session) -> None:
        assert self._removed is not None
        doc = _save_document(session, document_values(self._removed), None)
        self.document_id = doc.id
        doc_service.cite_document(session, doc.id, self._citing)


def _save_document(session: Session, values: dict[str, Any], document_id: int | None) -> Any:
    issued_on: date | None = values.get("issued_on")
    return doc_service.save_document(
        session, values["symbol"], issued_on, issuer=values.get("issuer", ""),
        summary=values.get("summary", ""), doc_type=values.get("doc_type") or None,
        document_id=document_id,
    )


# --------------------------------------------------------------------------- units


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
