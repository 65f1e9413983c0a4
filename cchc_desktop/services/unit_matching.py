"""Matching unit names as offices write them to the unit catalogue, and unit aliases.

A written name is a known unit when it equals a unit's name, short name or one of its
aliases ("Phòng KHTC", "KH-TC", "Văn phòng") ignoring case, Unicode form (NFC/NFD and the
two tone-mark placements), spacing and a final full stop. Anything else is *unknown*: the
import never creates it silently; it lists it with suggestions (same name without
diacritics, initials of a unit's name, close spellings) for the user to decide.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import fold, nfc
from cchc_desktop.errors import NotFoundError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.units import find_unit
from cchc_desktop.store.models import Unit, UnitAlias

__all__ = [
    "UnitMatcher",
    "add_unit_alias",
    "list_unit_aliases",
    "match_key",
    "remove_unit_alias",
]

# The two tone-mark placements ("hoà"/"hòa", "thuỷ"/"thủy") are the same name.
_OLD_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe",
              "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy",
              "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_OLD_TONE = re.compile("|".join(_OLD_TONES))
_UNIT_WORD = re.compile(r"^(van phong|phong|ban|trung tam|thanh tra|chi cuc|so)\s+")


@lru_cache(maxsize=4096)  # a plan repeats the same few unit names on every row
def match_key(name: str) -> str:
    """A name's identity for matching: case, Unicode form, tone placement, spacing and a
    final full stop ignored; diacritics kept."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = _OLD_TONE.sub(lambda m: _OLD_TONES[m[0]], text)
    return " ".join(text.split()).rstrip(" .;,")


def _initials(name: str) -> str:
    """"Phòng Kế hoạch - Tài chính" → "khtc"; a written "Phòng KHTC" → "khtc" too."""
    key = _UNIT_WORD.sub("", fold(name))
    words = re.findall(r"[a-z0-9]+", key)
    if len(words) == 1:
        return words[0]
    return "".join(w[0] for w in words if w not in ("va", "thuoc", "cua"))


@dataclass(frozen=True)
class _Known:
    id: int
    name: str


class UnitMatcher:
    """The catalogue loaded once: names, short names and aliases by :func:`match_key`."""

    def __init__(self, session: Session) -> None:
        self.by_key: dict[str, _Known] = {}
        self.units: list[_Known] = []
        rows = session.execute(select(Unit.id, Unit.name, Unit.short_name)).all()
        for unit_id, name, _short in rows:
            self.units.append(_Known(unit_id, name))
            self.by_key.setdefault(match_key(name), _Known(unit_id, name))
        names = {unit_id: name for unit_id, name, _s in rows}
        for unit_id, name, short in rows:  # a full name wins over another unit's short name
            if short:
                self.by_key.setdefault(match_key(short), _Known(unit_id, name))
        for unit_id, alias in session.execute(select(UnitAlias.unit_id, UnitAlias.alias)):
            self.by_key.setdefault(match_key(alias), _Known(unit_id, names[unit_id]))
        self.folded = {fold(k.name): k for k in self.units}

    def lookup(self, name: str) -> int | None:
        """The id of the unit ``name`` is written for, or None when it is unknown."""
        known = self.by_key.get(match_key(name))
        return known.id if known else None

    def known(self, name: str) -> bool:
        """Whether ``name`` is a known unit (for splitting cells)."""
        return self.lookup(name) is not None

    def same_but_diacritics(self, name: str) -> tuple[int, str] | None:
        """A unit whose name equals ``name`` when diacritics are ignored."""
        known = self.folded.get(fold(name))
        return (known.id, known.name) if known else None

    def suggestions(self, name: str, limit: int = 3) -> list[str]:
        """Known unit names ``name`` may stand for, best first (for the user to choose)."""
        found: list[str] = []
        if (similar := self.same_but_diacritics(name)) is not None:
            found.append(similar[1])
        initials = _initials(name)
        if len(initials) >= 2:
            found += [k.name for k in self.units if _initials(k.name) == initials]
        close = difflib.get_close_matches(fold(name), list(self.folded), n=limit, cutoff=0.6)
        found += [self.folded[c].name for c in close]
        return list(dict.fromkeys(found))[:limit]


# --------------------------------------------------------------------------- aliases


def list_unit_aliases(session: Session, unit_id: int | None = None) -> list[tuple[int, str, str]]:
    """(alias id, unit name, alias) of one unit or of all, in alias order."""
    stmt = select(UnitAlias.id, Unit.name, UnitAlias.alias).join(Unit, Unit.id == UnitAlias.unit_id)
    if unit_id is not None:
        stmt = stmt.where(UnitAlias.unit_id == unit_id)
    return [(a, u, al) for a, u, al in session.execute(stmt.order_by(Unit.name, UnitAlias.alias))]


def add_unit_alias(session: Session, unit_name: str, alias: str) -> UnitAlias:
    """Record ``alias`` as another name of the unit named ``unit_name`` (or its short name).

    Refused when the alias is empty, too long, or already names a unit or another alias.
    """
    require_session_admin(session, "thêm tên gọi khác của đơn vị")
    unit = find_unit(session, unit_name)
    if unit is None:
        unit_id = UnitMatcher(session).lookup(unit_name)
        unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None:
        raise NotFoundError(f"Không tìm thấy đơn vị '{unit_name}'.")
    alias = " ".join(nfc(alias).split())
    if not alias:
        raise ValidationError("Tên gọi khác không được để trống.")
    if len(alias) > 300:
        raise ValidationError("Tên gọi khác quá dài (tối đa 300 ký tự).")
    owner = UnitMatcher(session).lookup(alias)
    if owner is not None:
        if owner == unit.id:
            raise ValidationError(f"'{alias}' đã là tên của đơn vị '{unit.name}'.")
        other = session.get(Unit, owner)
        raise ValidationError(
            f"'{alias}' đã là tên của đơn vị khác: '{other.name if other else owner}'.")
    record = UnitAlias(unit_id=unit.id, alias=alias)
    session.add(record)
    session.flush()
    return record


def remove_unit_alias(session: Session, alias_id: int) -> None:
    """Forget an alias (the unit stays)."""
    require_session_admin(session, "xóa tên gọi khác của đơn vị")
    record = session.get(UnitAlias, alias_id)
    if record is None:
        raise NotFoundError(f"Không tìm thấy tên gọi khác số {alias_id}.")
    session.delete(record)
    session.flush()
