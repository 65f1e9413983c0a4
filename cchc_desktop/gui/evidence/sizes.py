"""File sizes as the evidence tab and its trash show them ("1,5 KB", never "0 B")."""

from __future__ import annotations

from cchc_desktop.domain.terms import size_text


def format_size(size: int) -> str:
    """1536 -> "1,5 KB"; an empty file "—" (see :func:`cchc_desktop.domain.terms.size_text`)."""
    return size_text(size)
