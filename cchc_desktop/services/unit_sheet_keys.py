"""The columns of a unit's progress workbook and the keys that tie its rows to this database.

Each row carries a hidden key: the database's identity, the unit, the task id and version at
export, a short hash of each locked cell as written, and an HMAC signature made with a secret
kept in the database (migration 0007 creates both), so a returned row is matched to its task, an
edited locked cell is named and an altered key is refused. The sheet's header carries a signed
token naming the database, the unit and the as-of date. Used by services/unit_sheets.py.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from cchc_desktop.domain import terms
from cchc_desktop.domain.text import nfc
from cchc_desktop.store.models import Setting

__all__ = [
    "CHECKED", "COLUMNS", "INFO_KEY", "KEY_PREFIX", "LABELS", "TOKEN_PREFIX", "RowKey",
    "SheetColumn", "SheetIdentity", "cell_text", "database_identity", "parse_key", "parse_token", "row_key",
    "sheet_token", "short_hash", "sign",
]

_ID_KEY, _SECRET_KEY = "database_id", "unit_sheet_secret"
KEY_PREFIX, TOKEN_PREFIX = "CCHC1", "CCHC-PHIEU1"
INFO_KEY = "CCHC1:phoi-hop"  # a supporting unit's read-only row: never merged


@dataclass(frozen=True)
class SheetColumn:
    """A column of the workbook: ``kind`` is "text", "date", "percent" or "key"."""

    key: str
    header: str
    width: int
    locked: bool
    kind: str = "text"


COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("stt", "STT", 6, True),
    SheetColumn("content", "Nội dung nhiệm vụ", 50, True),
    SheetColumn("document", "Văn bản giao", 26, True),
    SheetColumn("due_date", terms.DUE_DATE, 13, True, "date"),
    SheetColumn("lead_unit", terms.LEAD_UNIT, 20, True),
    SheetColumn("supporting", terms.SUPPORTING_UNITS, 22, True),
    SheetColumn("status", terms.STATUS, 18, True),
    SheetColumn("completed_on", terms.COMPLETED_ON, 14, False, "date"),
    SheetColumn("result", "Kết quả / sản phẩm", 32, False),
    SheetColumn("percent", "Tiến độ (%)", 10, False, "percent"),
    SheetColumn("note", "Khó khăn, vướng mắc / ghi chú", 32, False),
    SheetColumn("extension_to", "Đề nghị gia hạn đến", 14, False, "date"),
    SheetColumn("extension_reason", "Lý do đề nghị gia hạn", 32, False),
    SheetColumn("key", "Khóa (không sửa)", 12, True, "key"),
)
# The locked cells whose edits are detected (the STT is only a row number).
CHECKED = ("content", "document", "due_date", "lead_unit", "supporting", "status")
LABELS = {c.key: c.header for c in COLUMNS}


# --------------------------------------------------------------------------- identity and keys


@dataclass(frozen=True)
class SheetIdentity:
    """The database's identity and the secret that signs its workbooks' keys."""

    database_id: str
    secret: str


def database_identity(session: Session) -> SheetIdentity:
    """This database's identity (created on first use if migration 0007 did not)."""
    values: dict[str, str] = {}
    for key, fresh in ((_ID_KEY, lambda: str(uuid.uuid4())),
                       (_SECRET_KEY, lambda: secrets.token_hex(32))):
        row = session.get(Setting, key)
        if row is None or not row.value:
            row = Setting(key=key, value=json.dumps(fresh()))
            session.merge(row)
            session.flush()
        values[key] = json.loads(row.value)
    return SheetIdentity(values[_ID_KEY], values[_SECRET_KEY])


def sign(identity: SheetIdentity, message: str) -> str:
    """The HMAC-SHA256 of ``message`` with the database's secret, 20 hex digits."""
    return hmac.new(identity.secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:20]


def cell_text(value: object) -> str:
    """A cell's value as compared and hashed: dates ISO, whole numbers without ".0", text NFC."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(nfc(str(value)).split())


def short_hash(value: object) -> str:
    """8 hex digits of the SHA-256 of a cell's :func:`cell_text`: enough to see an edit."""
    return hashlib.sha256(cell_text(value).encode()).hexdigest()[:8]


def row_key(identity: SheetIdentity, unit_id: int, task_id: int, version: int,
            locked: dict[str, object]) -> str:
    """The hidden key of a row: identity, unit, task, version, locked-cell hashes, signature."""
    hashes = ".".join(short_hash(locked.get(name)) for name in CHECKED)
    body = f"{KEY_PREFIX}:{identity.database_id}:{unit_id}:{task_id}:{version}:{hashes}"
    return f"{body}:{sign(identity, body)}"


def sheet_token(identity: SheetIdentity, unit_id: int, as_of: date) -> str:
    """The signed token in the key column's header: database, unit, as-of date."""
    body = f"{TOKEN_PREFIX}:{identity.database_id}:{unit_id}:{as_of.isoformat()}"
    return f"{body}:{sign(identity, body)}"


@dataclass(frozen=True)
class RowKey:
    """The parts of a row's verified key."""

    database_id: str
    unit_id: int
    task_id: int
    version: int
    hashes: tuple[str, ...]


def parse_key(identity: SheetIdentity, text: str) -> RowKey | str:
    """The key's parts, or the reason it is refused."""
    parts = text.strip().split(":")
    if len(parts) != 7 or parts[0] != KEY_PREFIX:
        return "khóa ẩn của dòng bị sửa hoặc không phải khóa của phiếu: không nhận dòng này"
    body, signature = ":".join(parts[:6]), parts[6]
    if parts[1] != identity.database_id:
        return "dòng chép từ phiếu của một cơ sở dữ liệu khác: không nhận"
    if not hmac.compare_digest(sign(identity, body), signature):
        return "khóa ẩn của dòng bị sửa (chữ ký không khớp): không nhận dòng này"
    try:
        return RowKey(parts[1], int(parts[2]), int(parts[3]), int(parts[4]),
                    tuple(parts[5].split(".")))
    except ValueError:
        return "khóa ẩn của dòng bị sửa: không nhận dòng này"


def parse_token(identity: SheetIdentity, text: str) -> tuple[int, date] | str:
    """The unit id and as-of date of a sheet's token, or why the file is refused."""
    parts = text.strip().split(":")
    if len(parts) != 5 or parts[0] != TOKEN_PREFIX:
        return "phần nhận dạng của phiếu bị sửa: không nhận tệp này"
    if parts[1] != identity.database_id:
        return ("phiếu này được tạo từ một cơ sở dữ liệu khác (máy khác hoặc bản dữ liệu "
                "khác): không nhận")
    if not hmac.compare_digest(sign(identity, ":".join(parts[:4])), parts[4]):
        return "phần nhận dạng của phiếu bị sửa (chữ ký không khớp): không nhận"
    try:
        return int(parts[2]), date.fromisoformat(parts[3])
    except ValueError:
        return "phần nhận dạng của phiếu bị sửa: không nhận tệp này"
