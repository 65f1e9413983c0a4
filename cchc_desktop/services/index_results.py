"""Published index results: PAR INDEX, SIPAS, PAPI, PCI (year, score, rank "02/18")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.scoring import format_rank, parse_rank
from cchc_desktop.domain.text import fold, nfc
from cchc_desktop.errors import ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.store.models import IndexResult

INDEX_NAMES = ("PAR INDEX", "SIPAS", "PAPI", "PCI")


@dataclass(frozen=True)
class IndexRow:
    """A published index result; ``rank_text`` reads "02/18"."""

    id: int
    index_name: str
    year: int
    score: float | None
    rank: int | None
    out_of: int | None
    note: str

    @property
    def rank_text(self) -> str:
        return format_rank(self.rank, self.out_of)

    def as_json(self) -> dict[str, object]:
        return {"index": self.index_name, "year": self.year, "score": self.score,
                "rank": self.rank_text, "note": self.note}


def _index_name(name: str) -> str:
    wanted = fold(name).replace(" ", "")
    for known in INDEX_NAMES:
        if fold(known).replace(" ", "") == wanted:
            return known
    raise ValidationError(f"Chỉ số '{name}' không hợp lệ (dùng: {', '.join(INDEX_NAMES)}).")


def list_index_results(session: Session, index_name: str | None = None) -> list[IndexRow]:
    """Index results ordered by index then year."""
    stmt = select(IndexResult).order_by(IndexResult.index_name, IndexResult.year)
    if index_name:
        stmt = stmt.where(IndexResult.index_name == _index_name(index_name))
    return [IndexRow(r.id, r.index_name, r.year, r.score, r.rank, r.out_of, r.note)
            for r in session.scalars(stmt)]


def set_index_result(
    session: Session, index_name: str, year: int, score: float | None, rank: str = "",
    note: str = "",
) -> IndexRow:
    """Create or replace the result of an index for a year; ``rank`` like "02/18"."""
    require_session_admin(session, "ghi kết quả chỉ số")
    name = _index_name(index_name)
    try:
        rank_value, out_of = parse_rank(rank)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if score is not None and not 0 <= score <= 100:
        raise ValidationError(f"Điểm chỉ số {score:g} phải trong khoảng 0–100.")
    if not 1990 <= year <= 2100:
        raise ValidationError(f"Năm {year} không hợp lệ.")
    row = session.scalar(
        select(IndexResult).where(IndexResult.index_name == name, IndexResult.year == year)
    ) or IndexResult(index_name=name, year=year)
    row.score, row.rank, row.out_of, row.note = score, rank_value, out_of, nfc(note)
    session.add(row)
    session.flush()
    return IndexRow(row.id, name, year, score, rank_value, out_of, row.note)


def delete_index_result(session: Session, index_name: str, year: int) -> bool:
    """Remove an index result; True when one was removed."""
    require_session_admin(session, "xóa kết quả chỉ số")
    result = session.execute(delete(IndexResult).where(
        IndexResult.index_name == _index_name(index_name), IndexResult.year == year))
    return bool(cast(CursorResult[Any], result).rowcount)  # a DML statement's result


