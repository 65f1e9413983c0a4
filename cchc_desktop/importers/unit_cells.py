"""Reading a unit cell as offices write it: several units in one cell, a shared prefix.

"Văn phòng Sở; Trung tâm Thông tin" is two units (";" and line breaks always separate).
"Phòng TCCB, QLCLGD&CNTT, KHTC" is three Phòng: the prefix of the first is distributed over
the parts after it. Commas split only when every part (with the prefix) is a known unit, so
a name with a comma in it stays whole. Collective names ("Các phòng, đơn vị thuộc Sở",
"Các cơ quan, đơn vị có liên quan") are one entry, never split.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cchc_desktop.domain.text import fold, nfc

__all__ = ["is_collective", "read_unit_cell", "unit_name_text"]

_SEPARATORS = re.compile(r"[;\n\r]+")
_COLLECTIVE = re.compile(r"^(cac|toan the|tat ca|moi)\b|\bco lien quan\b")


def unit_name_text(text: str) -> str:
    """A unit name as written, tidied: single spaces, no list bullet, no final ";" (a final
    "." is kept: texts keep their punctuation; matching ignores it)."""
    return " ".join(nfc(text).split()).strip(" -+•").rstrip(" ;,").strip()


def is_collective(name: str) -> bool:
    """A name that stands for several units ("Các phòng có liên quan"): never split."""
    return bool(_COLLECTIVE.search(fold(name)))


def _split_commas(part: str, known: Callable[[str], bool]) -> list[str]:
    if known(part) or is_collective(part) or "," not in part:
        return [part]
    pieces = [p for p in (unit_name_text(p) for p in part.split(",")) if p]
    first = pieces[0]
    if len(pieces) < 2 or not known(first):
        return [part]
    words = first.split()
    prefixes = [" ".join(words[:k]) for k in range(len(words) - 1, 0, -1)]
    names = [first]
    for piece in pieces[1:]:
        if known(piece):
            names.append(piece)
            continue
        joined = next((f"{p} {piece}" for p in prefixes if known(f"{p} {piece}")), None)
        if joined is None:  # a part no unit answers to: the cell is one name
            return [part]
        names.append(joined)
    return names


def read_unit_cell(text: str | None, known: Callable[[str], bool]) -> list[str]:
    """The unit names of a cell; ``known(name)`` tells whether a name is a known unit."""
    names: list[str] = []
    for raw in _SEPARATORS.split(text or ""):
        part = unit_name_text(raw)
        if not part:
            continue
        for name in _split_commas(part, known):
            if fold(name) not in {fold(n) for n in names}:
                names.append(name)
    return names
