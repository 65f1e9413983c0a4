"""Importing a document list (danh mục văn bản) from Excel: all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import fold, nfc
from cchc_desktop.errors import check_cancelled
from cchc_desktop.importers.documents_xlsx import parse_document_sheet
from cchc_desktop.importers.headers import DOCUMENT_COLUMNS
from cchc_desktop.importers.sheet import SheetData
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.import_common import (
    Progress,
    document_key,
    noop,
    sentences,
    sheet,
    start_report,
)
from cchc_desktop.services.import_report import ImportReport
from cchc_desktop.store.locks import lock_catalogue
from cchc_desktop.store.models import Document

__all__ = ["import_documents"]


def _field_differs(doc: Document, name: str, value: object) -> bool:
    if name == "symbol":  # matched on it already; keep the stored spelling
        return False
    if name == "issuer":
        return fold(doc.issuer or "") != fold(str(value))
    return getattr(doc, name) != value


def _document_differs(doc: Document, values: dict) -> bool:
    return any(_field_differs(doc, k, v) for k, v in values.items())


def import_documents(
    session: Session, path: str | Path | SheetData, *, dry_run: bool = False,
    progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Read a document list and add or update its documents, all or nothing.

    The same số ký hiệu from the same issuing body is one document. Returns the report;
    when ``report.problems`` is not empty, or with ``dry_run``, nothing was written.
    ``cancelled()`` is asked between rows and last of all: when it turns true
    :class:`~cchc_desktop.errors.Cancelled` is raised and the caller's transaction rolls back.
    """
    progress = progress or noop
    if not dry_run:
        require_session_admin(session, "nhập văn bản từ tệp")
    progress(2, "Đang đọc tệp...")
    data = sheet(path)
    parsed = parse_document_sheet(data)
    report = start_report("documents", data, DOCUMENT_COLUMNS, parsed.header,
                           len(parsed.documents))
    report.dry_run = dry_run
    has_type = "doc_type" in parsed.header.columns
    has_summary = "summary" in parsed.header.columns
    if not dry_run:  # another PC importing documents now commits first; read after it
        lock_catalogue(session)
    stored: dict[tuple[str, str], Document] = {}
    for doc in session.scalars(select(Document).order_by(Document.id)):
        stored.setdefault((document_key(doc.symbol), fold(doc.issuer or "")), doc)
    seen: dict[tuple[str, str], tuple[int, tuple]] = {}
    changes: list[tuple[Document | None, dict]] = []
    for d in parsed.documents:
        check_cancelled(cancelled)
        if d.problems:
            report.problems.append((d.row, sentences(d.problems)))
            continue
        key = (document_key(d.symbol), fold(d.issuer))
        values = {"symbol": nfc(d.symbol), "issuer": nfc(d.issuer), "issued_on": d.issued_on}
        if has_summary:
            values["summary"] = nfc(d.summary)
        # A document first met in a task sheet has no issuing body yet: this row completes it.
        current = stored.get(key) or stored.get((key[0], ""))
        if has_type or current is None or not current.doc_type:
            values["doc_type"] = nfc(d.doc_type)
        signature = tuple(sorted(values.items()))
        if key in seen:
            first_row, first_signature = seen[key]
            if first_signature != signature:
                report.problems.append((
                    d.row,
                    f"Văn bản {d.symbol} đã có ở dòng {first_row} với thông tin khác.",
                ))
            continue
        seen[key] = (d.row, signature)
        if current is None:
            report.added += 1
            changes.append((None, values))
        elif _document_differs(current, values):
            report.updated += 1
            changes.append((current, values))
        else:
            report.unchanged += 1
    if report.problems or dry_run:
        return report
    progress(60, "Đang ghi vào cơ sở dữ liệu...")
    for current, values in changes:
        check_cancelled(cancelled)
        if current is None:
            values.setdefault("summary", "")
            values.setdefault("doc_type", "")
            session.add(Document(**values))
        else:
            for k, v in values.items():
                if _field_differs(current, k, v):
                    setattr(current, k, v)
    session.flush()
    check_cancelled(cancelled)  # the last moment before the caller commits
    report.committed = True
    progress(100, "Xong.")
    return report
