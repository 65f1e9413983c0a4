"""Where each document kind's template comes from: the office's own, else the shipped one.

The shipped templates are resources/templates/*.docx (built by ``python -m
cchc_desktop.exporters.build_templates``). An office's edited template is stored in the
database itself (a ``settings`` row per kind, the .docx base64-encoded), not in a folder
beside it: every PC on a shared PostgreSQL server prints with the same template, a backup
and a restore carry it, and SQLite and PostgreSQL keep it the same way. "Về mẫu gốc"
deletes the row.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from cchc_desktop.errors import EnvironmentProblem, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.store.models import Setting

if TYPE_CHECKING:
    from cchc_desktop.exporters.doc_templates import TemplateKind

SETTING_PREFIX = "doc_template:"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024  # a template is text and a table; 5 MB is generous


@dataclass(frozen=True)
class TemplateInfo:
    """One document kind's template: key, Vietnamese name, file name, the office's own or not."""

    key: str
    label: str
    file_name: str
    own: bool


def kind_of(key: str) -> TemplateKind:
    """The document kind ``key``; ValidationError naming the kinds for anything else."""
    from cchc_desktop.exporters.doc_templates import TemplateProblem, template_kind

    try:
        return template_kind(key)
    except TemplateProblem as exc:
        raise ValidationError(exc.message) from None


def shipped_template(key: str) -> bytes:
    """The shipped template of ``key`` (resources/templates/), built in memory when the
    file is missing from this installation."""
    from cchc_desktop.resources import resource_path

    kind = kind_of(key)
    try:
        return resource_path("resources", "templates", kind.file_name).read_bytes()
    except (OSError, FileNotFoundError):
        from cchc_desktop.exporters.doc_templates import build_default

        return build_default(kind)


def _own(session: Session, key: str) -> bytes | None:
    row = session.get(Setting, SETTING_PREFIX + key)
    if row is None or not row.value:
        return None
    try:
        return base64.b64decode(row.value, validate=True)
    except ValueError:
        return None


def template_bytes(session: Session, key: str) -> bytes:
    """The template a document of ``key`` is written with: the office's, else the shipped."""
    kind_of(key)
    return _own(session, key) or shipped_template(key)


def list_templates(session: Session) -> list[TemplateInfo]:
    """Every document kind with a template, and whether the office has its own."""
    from cchc_desktop.exporters.doc_templates import TEMPLATE_KINDS

    own = {row.removeprefix(SETTING_PREFIX) for row in session.scalars(
        select(Setting.key).where(Setting.key.like(SETTING_PREFIX + "%"), Setting.value != ""))}
    return [TemplateInfo(k.key, k.label, k.file_name, k.key in own)
            for k in TEMPLATE_KINDS.values()]


def template_warnings(session: Session, key: str) -> list[str]:
    """What is wrong with the template in use for ``key`` (empty for a sound one)."""
    from cchc_desktop.exporters.doc_templates import TemplateProblem, check_template

    kind = kind_of(key)
    try:
        return check_template(kind, template_bytes(session, key))
    except TemplateProblem as exc:
        return [f"Mẫu “{kind.label}” của cơ quan không dùng được ({exc.message}): văn bản "
                f"dùng mẫu gốc."]


def export_template(session: Session, key: str, path: str | Path) -> Path:
    """Write the template in use for ``key`` to ``path`` (to open and edit in Word)."""
    from cchc_desktop.store.file_errors import written_atomically

    data = template_bytes(session, key)
    target = Path(path)
    with written_atomically(target) as tmp:
        tmp.write_bytes(data)
    return target


def import_template(session: Session, key: str, path: str | Path) -> list[str]:
    """Store the edited template at ``path`` as the office's own for ``key``.

    Returns the warnings of the template (fields it does not know, required fields it lacks,
    page size, fonts): it is stored all the same, and exports repeat them. A file that is not
    a readable .docx or whose fields are written wrongly raises ValidationError and nothing
    is stored. Only an administrator may change a template.
    """
    from cchc_desktop.exporters.doc_templates import TemplateProblem, check_template

    require_session_admin(session, "thay mẫu văn bản")
    kind = kind_of(key)
    source = Path(path)
    try:
        if source.stat().st_size > MAX_TEMPLATE_BYTES:
            raise ValidationError(f"Tệp mẫu quá lớn (hơn {MAX_TEMPLATE_BYTES // 1024 // 1024} "
                                  f"MB): {source.name}")
        data = source.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"Không có tệp: {source}") from None
    except IsADirectoryError:
        raise ValidationError(f"Đây là thư mục, không phải tệp mẫu: {source}") from None
    except OSError as exc:
        raise EnvironmentProblem(f"Không đọc được tệp {source}: {exc.strerror or exc}") from None
    try:
        warnings = check_template(kind, data)
    except TemplateProblem as exc:
        raise ValidationError(f"Không nhận mẫu “{kind.label}” từ {source.name}: "
                              f"{exc.message}") from None
    row = session.get(Setting, SETTING_PREFIX + kind.key) or Setting(key=SETTING_PREFIX + kind.key)
    row.value = base64.b64encode(data).decode("ascii")
    session.add(row)
    session.flush()
    return warnings


def reset_template(session: Session, key: str) -> bool:
    """Go back to the shipped template for ``key``; False when the office had none."""
    require_session_admin(session, "thay mẫu văn bản")
    kind = kind_of(key)
    row = session.get(Setting, SETTING_PREFIX + kind.key)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
