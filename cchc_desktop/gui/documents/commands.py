"""Undoable edits of the register of documents: add, change, delete."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from cchc_desktop.errors import ValidationError
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.undo import ServiceCommand
from cchc_desktop.services import documents as doc_service


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
