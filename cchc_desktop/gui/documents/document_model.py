"""The register of documents as a table (Văn bản tab)."""

from __future__ import annotations

from cchc_desktop.gui.common.record_model import Column, RecordTableModel, date_key, date_text
from cchc_desktop.services.documents import DocumentInfo


class DocumentTableModel(RecordTableModel[DocumentInfo]):
    """The register of documents: số ký hiệu, type, date, issuing body, trích yếu."""

    columns = (
        Column("Số ký hiệu", lambda d: d.symbol),
        Column("Loại văn bản", lambda d: d.doc_type),
        Column("Ngày ban hành", lambda d: date_text(d.issued_on), lambda d: date_key(d.issued_on)),
        Column("Cơ quan ban hành", lambda d: d.issuer),
        Column("Trích yếu", lambda d: d.summary),
    )
