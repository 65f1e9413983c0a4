"""Overdue and due-soon tasks as of a date, grouped by lead unit, for the Director to chase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from cchc_desktop.domain import terms
from cchc_desktop.domain.text import (
    format_date_doc,
    format_number_vi,
    place_date_line,
    to_roman,
    vi_sort_key,
)
from cchc_desktop.exporters.report_docx import document_profile
from cchc_desktop.services.profile import AgencyProfile
from cchc_desktop.services.task_queries import TaskFilter, TaskRow, list_tasks

DEFAULT_DAYS = 7
NO_UNIT = "Chưa giao đơn vị chủ trì"


@dataclass
class UnitGroup:
    """One lead unit's overdue tasks (most overdue first) and due-soon tasks (soonest first)."""

    unit: str
    overdue: list[TaskRow]
    due_soon: list[TaskRow]


def lateness_text(due: date, as_of: date) -> str:
    """"Quá hạn 12 ngày", "Đến hạn hôm nay" or "Còn 3 ngày"."""
    days = (as_of - due).days
    if days > 0:
        return f"Quá hạn {days} ngày"
    if days == 0:
        return "Đến hạn hôm nay"
    return f"Còn {-days} ngày"


def group_by_unit(tasks: list[TaskRow], as_of: date) -> list[UnitGroup]:
    """Split open tasks with a due date into overdue / due soon per lead unit (Vietnamese order)."""
    groups: dict[str, UnitGroup] = {}
    for t in tasks:
        if t.due_date is None:
            continue
        name = t.lead_unit or NO_UNIT
        group = groups.setdefault(name, UnitGroup(name, [], []))
        (group.overdue if t.due_date < as_of else group.due_soon).append(t)
    for g in groups.values():
        g.overdue.sort(key=lambda t: (t.due_date, t.id))
        g.due_soon.sort(key=lambda t: (t.due_date, t.id))
    return sorted(groups.values(), key=lambda g: vi_sort_key(g.unit))


def export_overdue(session: Session, as_of: date, path: str | Path, *, days: int = DEFAULT_DAYS,
                   doc_date: date | None = None) -> Path:
    """Write the list of tasks overdue on ``as_of`` or due within ``days`` days after it."""
    from cchc_desktop.errors import ValidationError

    if not 0 <= days <= 366:
        raise ValidationError("Số ngày sắp đến hạn phải từ 0 đến 366.")
    tasks = list_tasks(session, as_of, TaskFilter(overdue=True, due_within=days))
    return write_overdue(group_by_unit(tasks, as_of), as_of, days, document_profile(session), path,
                         doc_date=doc_date)


def write_overdue(groups: list[UnitGroup], as_of: date, days: int, profile: AgencyProfile,
                  path: str | Path, *, doc_date: date | None = None) -> Path:
    """Write the overdue document (no database needed) and return the path."""
    from cchc_desktop.exporters.doc_parts import (
        BoldRow,
        Column,
        GroupRow,
        Heading,
        Signature,
        number_line,
    )
    from cchc_desktop.exporters.docx_base import DocWriter
    from cchc_desktop.exporters.report_docx import attached_line

    n_overdue = sum(len(g.overdue) for g in groups)
    n_soon = sum(len(g.due_soon) for g in groups)
    horizon = as_of + timedelta(days=days)
    w = DocWriter()
    w.national_header(Heading(
        parent=profile.parent,
        agency=profile.agency,
        number_line=number_line(None, "BC", profile.abbr),
        date_line=place_date_line(profile.place, doc_date or as_of),
    ))
    w.title("Báo cáo", f"Tình hình nhiệm vụ quá hạn, sắp đến hạn tính đến ngày "
                       f"{format_date_doc(as_of)}")
    if not groups:
        w.paragraph(f"Tính đến ngày {format_date_doc(as_of)}, không có nhiệm vụ nào quá hạn "
                    f"hoặc đến hạn trong {days} ngày tới (đến ngày {format_date_doc(horizon)}).")
    else:
        w.lead_in(
            f"Tính đến ngày {format_date_doc(as_of)}, có {format_number_vi(n_overdue)} nhiệm vụ "
            f"đã quá hạn nhưng chưa hoàn thành và {format_number_vi(n_soon)} nhiệm vụ đến hạn "
            f"trong {days} ngày tới (đến ngày {format_date_doc(horizon)}), thuộc "
            f"{format_number_vi(len(groups))} đơn vị chủ trì, cụ thể như sau:"
        )
        w.table(
            [Column("STT", 1.2, "center"), Column(terms.LEAD_UNIT, 9.3),
             Column("Quá hạn", 3.0, "center"), Column("Sắp đến hạn", 3.0, "center")],
            [[str(i), g.unit, format_number_vi(len(g.overdue)), format_number_vi(len(g.due_soon))]
             for i, g in enumerate(groups, start=1)]
            + [BoldRow(["", "Tổng cộng", format_number_vi(n_overdue),
                        format_number_vi(n_soon)])],
        )
        w.paragraph("Đề nghị các đơn vị khẩn trương hoàn thành các nhiệm vụ quá hạn, chủ động "
                    "thực hiện các nhiệm vụ sắp đến hạn và báo cáo kết quả về Văn phòng Sở để "
                    "tổng hợp, báo cáo Giám đốc Sở (chi tiết tại Phụ lục kèm theo)./.")
    w.closing(Signature(profile.recipients_for("report"), profile.drafter, profile.authority,
                        profile.signer_title, profile.signer))
    if not groups:
        return w.save(path)

    w.new_section(landscape=True, restart_numbering=True)
    w.appendix_heading(
        "Phụ lục",
        "Danh sách nhiệm vụ quá hạn, sắp đến hạn theo đơn vị chủ trì",
        attached_line("Báo cáo", "BC", None, doc_date or as_of, as_of.year, profile),
    )
    rows: list = []
    for gi, g in enumerate(groups, start=1):
        rows.append(GroupRow(to_roman(gi), f"{g.unit} (quá hạn {len(g.overdue)}, "
                                           f"sắp đến hạn {len(g.due_soon)})"))
        for stt, t in enumerate(g.overdue + g.due_soon, start=1):
            assigned = ", ".join(x for x in (t.assigned_by, t.document) if x)
            due = t.due_date or as_of  # listed as overdue or due soon: it has a due date
            rows.append([str(stt), t.content, assigned, format_date_doc(due),
                         lateness_text(due, as_of), "; ".join(t.supporting_units),
                         t.note])
    w.table(
        [Column("STT", 1.2, "center"), Column("Nội dung nhiệm vụ", 8.6),
         Column("Cơ quan giao, văn bản", 3.6), Column(terms.DUE_DATE, 2.4, "center"),
         Column(terms.STATUS, 2.8, "center"), Column(terms.SUPPORTING_UNITS, 4.0),
         Column("Ghi chú", 2.6)],
        rows,
    )
    return w.save(path)
