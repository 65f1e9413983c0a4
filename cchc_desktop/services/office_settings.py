"""Settings that offices differ on, kept in the database (table ``settings``), one place.

How many days ahead a task counts as "due soon" (the reminder, the dashboard, the overdue
list and the chasing letters), how many automatic backups are kept (read by the backup
rotation, see :func:`cchc_desktop.store.backup.default_keep`) and the size limit of one
evidence file. The GUI's "Tùy chọn" dialog and the CLI read and change them here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cchc_desktop.errors import ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.evidence.store import max_size_mb, set_max_size_mb
from cchc_desktop.store.backup import BACKUP_KEEP_KEY, DEFAULT_KEEP
from cchc_desktop.store.models import Setting

DUE_SOON_KEY = "due_soon_days"
DEFAULT_DUE_SOON_DAYS = 7
DUE_SOON_RANGE = (1, 90)
BACKUP_KEEP_RANGE = (1, 365)


@dataclass
class OfficeSettings:
    """The office's choices: due-soon window (days), backups kept, evidence limit (MB)."""

    due_soon_days: int = DEFAULT_DUE_SOON_DAYS
    backups_kept: int = DEFAULT_KEEP
    evidence_max_mb: float = 50.0


def _read_int(session: Session, key: str, default: int, bounds: tuple[int, int]) -> int:
    row = session.get(Setting, key)
    try:
        value = int(json.loads(row.value)) if row is not None and row.value else default
    except (ValueError, TypeError):
        return default
    return value if bounds[0] <= value <= bounds[1] else default


def _write_int(session: Session, key: str, value: int, bounds: tuple[int, int],
               what: str) -> None:
    if not bounds[0] <= int(value) <= bounds[1]:
        raise ValidationError(f"{what} phải từ {bounds[0]} đến {bounds[1]}.")
    row = session.get(Setting, key) or Setting(key=key)
    row.value = json.dumps(int(value))
    session.add(row)


def due_soon_days(session: Session) -> int:
    """How many days ahead an open task counts as "due soon" (default 7)."""
    return _read_int(session, DUE_SOON_KEY, DEFAULT_DUE_SOON_DAYS, DUE_SOON_RANGE)


def backups_kept(session: Session) -> int:
    """How many automatic backups the rotation keeps (default 30)."""
    return _read_int(session, BACKUP_KEEP_KEY, DEFAULT_KEEP, BACKUP_KEEP_RANGE)


def read_office_settings(session: Session) -> OfficeSettings:
    """All of the office's settings at once."""
    return OfficeSettings(due_soon_days(session), backups_kept(session), max_size_mb(session))


def save_office_settings(session: Session, settings: OfficeSettings) -> None:
    """Store ``settings`` (administrators only); a value out of range is refused, all or nothing."""
    require_session_admin(session, "đổi tùy chọn của cơ quan")
    _write_int(session, DUE_SOON_KEY, settings.due_soon_days, DUE_SOON_RANGE,
               "Số ngày \"sắp đến hạn\"")
    _write_int(session, BACKUP_KEEP_KEY, settings.backups_kept, BACKUP_KEEP_RANGE,
               "Số bản sao lưu giữ lại")
    if settings.evidence_max_mb != max_size_mb(session):
        set_max_size_mb(session, settings.evidence_max_mb)
