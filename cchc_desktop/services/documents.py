"""The register of official documents (văn bản)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import doc_type_from_symbol, fold, nfc
from cchc_desktop.errors import NotFoundError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.store.models import Document, Task


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document as lists and appendices show it."""

    id: int
    symbol: str
    doc_type: str
    issued_on: date | None
    issuer: str
    summary: str

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "symbol": self.symbol,
            "doc_type": self.doc_type,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "issuer": self.issuer,
            "summary": self.summary,
        }


def _info(d: Document) -> DocumentInfo:
    return DocumentInfo(d.id, d.symbol, d.doc_type or "", d.issued_on, d.issuer or "", d.summary or "")


def find_document(session: Session, symbol: str, issuer: str = "") -> Document | None:
    """The document with this số ký hiệu from this body (case and spacing ignored)."""
    key, body = fold(symbol).replace(" ", ""), fold(issuer)
    for doc in session.scalars(select(Document)):
        if fold(doc.symbol).replace(" ", "") == key and fold(doc.issuer or "") == body:
            return doc
    return None


def save_document(
    session: Session,
    symbol: str,
    issued_on: date | None,
    *,
    issuer: str = "",
    summary: str = "",
    doc_type: str | None = None,
    document_id: int | None = None,
) -> Document:
    """Add a document or update the one with the same số ký hiệu and issuing body."""
    require_session_admin(session, "lưu văn bản")
    symbol, issuer, summary = nfc(symbol), nfc(issuer), nfc(summary)
    if not symbol:
        raise ValidationError("Số ký hiệu không được để trống.")
    doc_type = nfc(doc_type) or doc_type_from_symbol(symbol) or ""
    if document_id is not None:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"Không tìm thấy văn bản số {document_id}.")
        clash = find_document(session, symbol, issuer)
        if clash is not None and clash.id != document_id:
            raise ValidationError(f"Văn bản {symbol} của {issuer or 'cơ quan này'} đã có.")
    else:
        doc = find_document(session, symbol, issuer) or Document(symbol=symbol, issuer=issuer)
        session.add(doc)
    doc.symbol, doc.issuer, doc.summary, doc.doc_type, doc.issued_on = (
        symbol, issuer, summary, doc_type, issued_on,
    )
    session.flush()
    return doc


def list_documents(
    session: Session, start: date | None = None, end: date | None = None
) -> list[DocumentInfo]:
    """Documents in date order, optionally only those issued within [start, end]."""
    stmt = select(Document).order_by(Document.issued_on.is_(None), Document.issued_on, Document.id)
    if start is not None:
        stmt = stmt.where(Document.issued_on >= start)
    if end is not None:
        stmt = stmt.where(Document.issued_on <= end)
    return [_info(d) for d in session.scalars(stmt)]


def delete_document(session: Session, document_id: int) -> DocumentInfo:
    """Delete a document (tasks that cite it keep their text); returns what was removed."""
    require_session_admin(session, "xóa văn bản")
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFoundError(f"Không tìm thấy văn bản số {document_id}.")
    info = _info(doc)
    session.delete(doc)
    session.flush()
    return info


def tasks_citing(session: Session, document_id: int) -> list[int]:
    """Ids of the tasks whose assigning document is ``document_id``."""
    return list(session.scalars(select(Task.id).where(Task.document_id == document_id)))


def cite_document(session: Session, document_id: int, task_ids: list[int]) -> None:
    """Point the tasks ``task_ids`` (those that still exist) at ``document_id`` again."""
    require_session_admin(session, "gắn văn bản giao cho nhiệm vụ")
    if task_ids:
        session.execute(
            update(Task).where(Task.id.in_(task_ids)).values(document_id=document_id)
        )
        session.flush()


def get_document(session: Session, document_id: int) -> DocumentInfo:
    """One document as lists show it, or :class:`NotFoundError`."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFoundError(f"Không tìm thấy văn bản số {document_id}.")
    return _info(doc)
