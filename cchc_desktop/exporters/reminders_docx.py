"""Chasing letters (công văn đôn đốc): one per lead unit with overdue or soon-due tasks.

Each letter is an official letter (Nghị định 30: a công văn has no type name; its number is
"Số:      /SGDĐT-VP" and "V/v đôn đốc thực hiện nhiệm vụ ..." stands under it), addressed to
the unit ("Kính gửi: ..."), listing its tasks with deadline, days overdue and the assigning
document, then the request and the signature. ``export_reminders`` writes one file per unit
(and, on request, one combined file); :func:`write_unit_reminder` writes one unit's letter
for callers that work unit by unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from cchc_desktop.domain import terms
from cchc_desktop.domain.text import (
    fold,
    format_date_doc,
    format_doc_number,
    format_number_vi,
    place_date_line,
    to_roman,
)
from cchc_desktop.exporters.overdue_docx import NO_UNIT, UnitGroup, group_by_unit, lateness_text
from cchc_desktop.services.profile import AgencyProfile
from cchc_desktop.services.task_queries import TaskFilter, list_tasks

DEFAULT_WITHIN = 7
SUBJECT = "V/v đôn đốc thực hiện nhiệm vụ cải cách hành chính quá hạn, sắp đến hạn"
COMBINED_NAME = "Cong_van_don_doc_tat_ca.docx"


@dataclass(frozen=True)
class ReminderOptions:
    """The chasing letters asked for: as of a date, due-soon horizon, one unit or all."""

    as_of: date
    within: int = DEFAULT_WITHIN
    unit: str | None = None
    doc_date: date | None = None
    combined: bool = False


def reminder_groups(session: Session, as_of: date, *, within: int = DEFAULT_WITHIN,
                    unit: str | None = None) -> list[UnitGroup]:
    """Per lead unit (Vietnamese order): its tasks overdue on ``as_of`` (most overdue first)
    and those due within ``within`` days after it (soonest first); tasks without a lead
    unit are left out, a letter needs someone to go to."""
    from cchc_desktop.errors import ValidationError

    if not 0 <= within <= 366:
        raise ValidationError("Số ngày sắp đến hạn phải từ 0 đến 366.")
    tasks = list_tasks(session, as_of, TaskFilter(overdue=True, due_within=within, unit=unit))
    return [g for g in group_by_unit(tasks, as_of) if g.unit != NO_UNIT]


def file_name(unit: str) -> str:
    """"Cong_van_don_doc_Van_phong_So.docx": the unit's name without marks, for any disk."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(unit)).split()
    return f"Cong_van_don_doc_{'_'.join(w.capitalize() for w in words) or 'don_vi'}.docx"


def export_reminders(session: Session, options: ReminderOptions, out_dir: str | Path) -> list[Path]:
    """Write one letter per unit with something to chase into ``out_dir`` (and the combined
    file when asked); returns the paths written, [] when no unit has anything to chase."""
    from cchc_desktop.errors import EnvironmentProblem
    from cchc_desktop.exporters.report_docx import document_profile
    from cchc_desktop.services.doc_templates import template_bytes

    folder = Path(out_dir)
    if not folder.is_dir():
        raise EnvironmentProblem(f"Thư mục không tồn tại: {folder}")
    groups = reminder_groups(session, options.as_of, within=options.within, unit=options.unit)
    profile = document_profile(session)
    template = template_bytes(session, "letter")
    paths = [write_reminders([g], options, profile, folder / file_name(g.unit), template)
             for g in groups]
    if options.combined and groups:
        paths.append(write_reminders(groups, options, profile, folder / COMBINED_NAME, template))
    return paths


def write_unit_reminder(session: Session, unit: str, as_of: date, path: str | Path, *,
                        within: int = DEFAULT_WITHIN, doc_date: date | None = None) -> Path | None:
    """Write the chasing letter of one lead unit to ``path``; None (nothing written) when the
    unit has no task overdue or due within ``within`` days on ``as_of``."""
    from cchc_desktop.exporters.report_docx import document_profile
    from cchc_desktop.services.doc_templates import template_bytes

    groups = reminder_groups(session, as_of, within=within, unit=unit)
    if not groups:
        return None
    options = ReminderOptions(as_of, within, unit, doc_date)
    return write_reminders(groups, options, document_profile(session), path,
                           template_bytes(session, "letter"))


def write_reminders(groups: list[UnitGroup], options: ReminderOptions, profile: AgencyProfile,
                    path: str | Path, template: bytes | None = None) -> Path:
    """Write the letters of ``groups`` into one file, each from a new page (no database);
    ``template``: the office's letter template (None: the shipped one)."""
    from cchc_desktop.exporters.docx_base import DocWriter
    from cchc_desktop.services.doc_templates import shipped_template

    w = DocWriter()
    template = template or shipped_template("letter")
    for i, group in enumerate(groups):
        if i:
            w.new_section(landscape=False, restart_numbering=True, number_first_page=False)
        _letter(w, group, options, profile, template)
    return w.save(path)


def _letter(w, group: UnitGroup, options: ReminderOptions,  # noqa: ANN001 - DocWriter
            profile: AgencyProfile, template: bytes) -> None:
    from cchc_desktop.exporters.doc_parts import Column, GroupRow, Heading
    from cchc_desktop.exporters.doc_templates import TEMPLATE_KINDS
    from cchc_desktop.exporters.report_docx import document_values
    from cchc_desktop.exporters.template_render import render_body

    as_of, within = options.as_of, options.within
    number = format_doc_number(None, None, profile.abbr, profile.drafter.strip() or None)
    w.national_header(Heading(
        parent=profile.parent,
        agency=profile.agency,
        number_line=f"Số: {' ' * 6}{number}",
        date_line=place_date_line(profile.place, options.doc_date or as_of),
        subject=SUBJECT,
    ))
    n_late, n_soon = len(group.overdue), len(group.due_soon)
    horizon = as_of + timedelta(days=within)
    parts = []
    if n_late:
        parts.append(f"{format_number_vi(n_late)} nhiệm vụ đã quá hạn nhưng chưa hoàn thành")
    if n_soon:
        parts.append(f"{format_number_vi(n_soon)} nhiệm vụ đến hạn trong {within} ngày tới "
                     f"(đến ngày {format_date_doc(horizon)})")

    def tasks_table() -> None:
        rows: list[list[str] | GroupRow] = []
        listed = [(title, tasks) for title, tasks in (("Nhiệm vụ quá hạn", group.overdue),
                                                      ("Nhiệm vụ sắp đến hạn", group.due_soon))
                  if tasks]
        for number, (title, tasks) in enumerate(listed, start=1):
            rows.append(GroupRow(to_roman(number), title))  # "I" when only one group
            for stt, t in enumerate(tasks, start=1):
                assigned = ", ".join(x for x in (t.document, t.assigned_by) if x) or \
                    "Kế hoạch của Sở"
                due = format_date_doc(t.due_date) if t.due_date else ""
                rows.append([str(stt), t.content, assigned, due,
                             lateness_text(t.due_date or as_of, as_of)])
        w.table([Column("STT", 1.2, "center"), Column("Nội dung nhiệm vụ", 6.7),
                 Column(terms.DOCUMENT, 3.4), Column(terms.DUE_DATE, 2.5, "center"),
                 Column(terms.STATUS, 2.7, "center")], rows)

    values = document_values(profile, f"Số: {' ' * 6}{number}", options.doc_date or as_of,
                             as_of.year, "letter")
    values.update(don_vi=group.unit, ngay_so_lieu=format_date_doc(as_of),
                  so_nhiem_vu=" và ".join(parts))
    render_body(w, TEMPLATE_KINDS["letter"], template, values, {"bang_nhiem_vu": tasks_table},
                profile.drafter)
