"""Units (đơn vị): the department's divisions, subordinate units, district offices, outside bodies."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import fold, nfc, vi_sort_key
from cchc_desktop.errors import NotFoundError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.store.models import UNIT_KINDS, Task, Unit, User, task_supporting_units

UNIT_KIND_LABELS = {
    "division": "Phòng, ban thuộc Sở",
    "subordinate": "Đơn vị trực thuộc",
    "district": "Phòng GD&ĐT cấp huyện (trước 01/7/2025)",
    "external": "Cơ quan ngoài Sở (UBND xã, phường ...)",
}


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A unit as lists show it."""

    id: int
    name: str
    short_name: str
    kind: str
    active: bool

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
            "active": self.active,
        }


def exact_key(name: str) -> str:
    """Identity of a unit name: case and Unicode form ignored, diacritics kept."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def list_units(session: Session, *, include_inactive: bool = True) -> list[UnitInfo]:
    """All units, in their set order then Vietnamese alphabetical order."""
    stmt = select(Unit)
    if not include_inactive:
        stmt = stmt.where(Unit.active.is_(True))
    units = session.scalars(stmt).all()
    units = sorted(units, key=lambda u: (u.position, vi_sort_key(u.name)))
    return [UnitInfo(u.id, u.name, u.short_name or "", u.kind, u.active) for u in units]


def find_unit(session: Session, name: str) -> Unit | None:
    """The unit whose name (or short name) equals ``name`` ignoring case and Unicode form."""
    key = exact_key(name)
    for unit in session.scalars(select(Unit)):
        if exact_key(unit.name) == key or (unit.short_name and exact_key(unit.short_name) == key):
            return unit
    return None


def similar_units(session: Session, name: str) -> list[Unit]:
    """Units that match ``name`` only when diacritics are ignored (to confirm, never merged)."""
    key = fold(name)
    return [u for u in session.scalars(select(Unit)) if fold(u.name) == key]


def _validate(name: str, kind: str) -> str:
    name = nfc(name)
    if not name:
        raise ValidationError("Tên đơn vị không được để trống.")
    if len(name) > 300:
        raise ValidationError("Tên đơn vị quá dài (tối đa 300 ký tự).")
    if kind not in UNIT_KINDS:
        raise ValidationError(f"Loại đơn vị không hợp lệ: {kind}")
    return name


def create_unit(
    session: Session, name: str, short_name: str = "", kind: str = "division",
    position: int | None = None,
) -> Unit:
    """Add a unit; a name already in use (ignoring case and Unicode form) is refused."""
    require_session_admin(session, "thêm đơn vị")
    name = _validate(name, kind)
    if find_unit(session, name) is not None:
        raise ValidationError(f"Đơn vị '{name}' đã có trong danh mục.")
    if position is None:
        position = (session.scalar(select(func.max(Unit.position))) or 0) + 1
    unit = Unit(name=name, short_name=nfc(short_name) or None, kind=kind, position=position)
    session.add(unit)
    session.flush()
    return unit


def update_unit(
    session: Session, unit_id: int, *, name: str, short_name: str, kind: str, active: bool
) -> Unit:
    """Rename or re-classify a unit; tasks keep pointing at it."""
    require_session_admin(session, "sửa đơn vị")
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError(f"Không tìm thấy đơn vị số {unit_id}.")
    name = _validate(name, kind)
    other = find_unit(session, name)
    if other is not None and other.id != unit_id:
        raise ValidationError(f"Đơn vị '{name}' đã có trong danh mục.")
    unit.name, unit.short_name, unit.kind, unit.active = name, nfc(short_name) or None, kind, active
    session.flush()
    return unit


def unit_usage(session: Session, unit_id: int) -> int:
    """How many tasks name the unit as lead or supporting."""
    lead = session.scalar(select(func.count()).where(Task.lead_unit_id == unit_id)) or 0
    support = session.scalar(
        select(func.count()).select_from(task_supporting_units)
        .where(task_supporting_units.c.unit_id == unit_id)
    ) or 0
    return lead + support


@dataclass(frozen=True, slots=True)
class UnitSnapshot:
    """Every stored field of a unit, to put it back exactly (undo of a delete or an edit)."""

    id: int
    name: str
    short_name: str
    kind: str
    active: bool
    position: int
    created_at: datetime


def unit_snapshot(session: Session, unit_id: int) -> UnitSnapshot:
    """The stored fields of a unit (NotFoundError when it is gone)."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError(f"Không tìm thấy đơn vị số {unit_id}.")
    return UnitSnapshot(unit.id, unit.name, unit.short_name or "", unit.kind, unit.active,
                        unit.position, unit.created_at)


def delete_unit(session: Session, unit_id: int) -> UnitSnapshot:
    """Delete an unused unit and return what :func:`restore_unit` needs to put it back.

    A unit that tasks use, or that accounts belong to, is refused (ValidationError); the
    caller offers to deactivate it. (An account's unit would be lost for good: the undo of
    the delete brings the unit back, not the accounts' link to it.)
    """
    require_session_admin(session, "xóa đơn vị")
    snapshot = unit_snapshot(session, unit_id)
    used = unit_usage(session, unit_id)
    if used:
        raise ValidationError(
            f"Không xóa được: {used} nhiệm vụ đang dùng đơn vị này. Hãy chuyển sang 'ngừng sử dụng'."
        )
    accounts = session.scalar(select(func.count()).where(User.unit_id == unit_id)) or 0
    if accounts:
        raise ValidationError(
            f"Không xóa được: {accounts} tài khoản người dùng thuộc đơn vị này. Hãy chuyển các "
            "tài khoản sang đơn vị khác, hoặc chuyển đơn vị sang 'ngừng sử dụng'."
        )
    session.delete(session.get(Unit, unit_id))
    session.flush()
    return snapshot


def restore_unit(session: Session, snapshot: UnitSnapshot) -> Unit:
    """Put a deleted unit back with its id, so links made to that id work again.

    Refused when its name has been given to another unit, or its number reused, since.
    """
    require_session_admin(session, "khôi phục đơn vị")
    if session.get(Unit, snapshot.id) is not None:
        raise ValidationError(
            f"Không khôi phục được đơn vị '{snapshot.name}': số {snapshot.id} đã được dùng "
            "cho đơn vị khác."
        )
    if find_unit(session, snapshot.name) is not None:
        raise ValidationError(
            f"Không khôi phục được: đơn vị '{snapshot.name}' đã có trong danh mục."
        )
    unit = Unit(id=snapshot.id, name=snapshot.name, short_name=snapshot.short_name or None,
                kind=snapshot.kind, active=snapshot.active, position=snapshot.position,
                created_at=snapshot.created_at)
    session.add(unit)
    session.flush()
    return unit
