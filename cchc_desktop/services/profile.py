"""The agency profile: who issues the documents the exporters write."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sqlalchemy.orm import Session

from cchc_desktop.domain.text import nfc
from cchc_desktop.errors import UserError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.store.models import Setting

PROFILE_KEY = "agency_profile"
PROFILE_MISSING = (
    "Chưa có thông tin cơ quan (cơ quan chủ quản, tên cơ quan, chữ viết tắt, địa danh, người "
    "ký) để in tiêu đề văn bản. Hãy nhập tại thẻ Danh mục / Cài đặt, mục Thông tin cơ quan "
    "(hoặc bằng lệnh cchc profile set --parent ... --agency ... --abbr ... --place ...), "
    "rồi xuất lại."
)


@dataclass
class AgencyProfile:
    """The header, signature and recipients every exported document uses."""

    parent: str = "UBND TỈNH SƠN LA"
    agency: str = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    abbr: str = "SGDĐT"
    place: str = "Sơn La"
    authority: str = "KT. GIÁM ĐỐC"
    signer_title: str = "PHÓ GIÁM ĐỐC"
    signer: str = ""
    drafter: str = "VP"
    # How the agency is named in running text ("... của Sở GD&ĐT tỉnh Sơn La").
    agency_in_text: str = "Sở GD&ĐT tỉnh Sơn La"
    recipients: list[str] = field(
        default_factory=lambda: ["Sở Nội vụ (để báo cáo)", "Ban Giám đốc Sở"]
    )
    # Recipients per document kind (DOCUMENT_KINDS); a kind not listed uses ``recipients``.
    recipients_by_kind: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return asdict(self)

    def recipients_for(self, kind: str) -> list[str]:
        """The "Nơi nhận" lines of a document of ``kind`` (report, plan, letter, scoring):
        the kind's own list when the profile has one, else the general list, else the
        defaults of :data:`DEFAULT_RECIPIENTS`."""
        own = [r for r in self.recipients_by_kind.get(kind, []) if r.strip()]
        if own:
            return own
        if kind in ("report", "scoring") or kind not in DEFAULT_RECIPIENTS:
            return list(self.recipients)
        return list(DEFAULT_RECIPIENTS[kind])


# The document kinds whose recipients the profile may set, with their Vietnamese names.
DOCUMENT_KINDS: dict[str, str] = {
    "report": "Báo cáo",
    "plan": "Kế hoạch",
    "letter": "Công văn đôn đốc",
    "scoring": "Báo cáo tự chấm điểm",
}
# A plan goes to the units that carry it out; a chasing letter names its unit in
# "Kính gửi" and keeps a copy for the leadership.
DEFAULT_RECIPIENTS: dict[str, tuple[str, ...]] = {
    "plan": ("Ban Giám đốc Sở (để chỉ đạo)", "Các phòng, Thanh tra Sở (để thực hiện)",
             "Các đơn vị trực thuộc Sở (để thực hiện)", "Trang thông tin điện tử Sở"),
    "letter": ("Như trên", "Giám đốc Sở (để báo cáo)"),
}


def get_profile(session: Session) -> AgencyProfile:
    """The stored profile, or the defaults when none was saved yet."""
    row = session.get(Setting, PROFILE_KEY)
    if row is None or not row.value:
        return AgencyProfile()
    data = json.loads(row.value)
    known = {f.name for f in fields(AgencyProfile)}
    return AgencyProfile(**{k: v for k, v in data.items() if k in known})


def has_profile(session: Session) -> bool:
    """Whether the agency profile was ever saved (a new database has none)."""
    row = session.get(Setting, PROFILE_KEY)
    return row is not None and bool(row.value)


def require_profile(session: Session) -> AgencyProfile:
    """The saved profile; a UserError saying where to set it when there is none, so no
    document goes out under another agency's letterhead."""
    if not has_profile(session):
        raise UserError(PROFILE_MISSING)
    return get_profile(session)


def save_profile(session: Session, profile: AgencyProfile) -> AgencyProfile:
    """Store the profile (text normalised to NFC, recipients without blanks).

    Raises :class:`ValidationError` listing the problems of :func:`validate_profile`.
    """
    require_session_admin(session, "sửa thông tin cơ quan")
    problems = validate_profile(profile)
    if problems:
        raise ValidationError(" ".join(problems.values()), list(problems.values()))
    values: dict[str, Any] = {
        f.name: nfc(getattr(profile, f.name)) for f in fields(AgencyProfile)
        if f.name not in ("recipients", "recipients_by_kind")
    }
    values["recipients"] = [nfc(r) for r in profile.recipients if nfc(r)]
    values["recipients_by_kind"] = {
        kind: [nfc(r) for r in lines if nfc(r)]
        for kind, lines in profile.recipients_by_kind.items()
        if kind in DOCUMENT_KINDS and any(nfc(r) for r in lines)
    }
    clean = AgencyProfile(**values)
    row = session.get(Setting, PROFILE_KEY) or Setting(key=PROFILE_KEY)
    row.value = json.dumps(clean.as_json(), ensure_ascii=False)
    session.add(row)
    session.flush()
    return clean


_REQUIRED = {
    "parent": "Cơ quan chủ quản không được để trống.",
    "agency": "Tên cơ quan không được để trống.",
    "abbr": "Chữ viết tắt không được để trống.",
    "place": "Địa danh không được để trống.",
    "signer_title": "Chức vụ người ký không được để trống.",
}


def validate_profile(profile: AgencyProfile) -> dict[str, str]:
    """Problems that would spoil exported documents: {field: Vietnamese reason}."""
    problems = {name: reason for name, reason in _REQUIRED.items() if not nfc(getattr(profile, name))}
    abbr = nfc(profile.abbr)
    if abbr and any(ch in abbr for ch in "/ "):
        problems["abbr"] = "Chữ viết tắt không được chứa dấu '/' hoặc khoảng trắng (ví dụ: SGDĐT)."
    return problems
