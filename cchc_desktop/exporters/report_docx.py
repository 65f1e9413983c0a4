"""The periodic CCHC report (báo cáo định kỳ) as a .docx ready to sign, as sample 000.

Three kinds, each with its own title and outline (general, propaganda, index improvement:
:mod:`cchc_desktop.domain.report_kinds`). Every section prints the text the secretariat wrote,
else the draft written from the window's data, else a neutral sentence; the figures' tables
and charts follow their sections. "Nơi nhận" and the signature; then the appendices chosen
for this export: the department's own directing documents of the window, and none, the open
or all of the tasks (optionally of one lead unit). Each appendix numbers its pages from 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from cchc_desktop.domain import terms
from cchc_desktop.domain.areas import area_name
from cchc_desktop.domain.periods import PeriodKind, ReportPeriod
from cchc_desktop.domain.report_kinds import KIND_SUBJECTS, ReportKind
from cchc_desktop.domain.status import STATUS_LABELS
from cchc_desktop.domain.text import (
    format_date_doc,
    format_number_vi,
    place_date_line,
    to_roman,
)
from cchc_desktop.services.documents import DocumentInfo
from cchc_desktop.services.profile import AgencyProfile, require_profile
from cchc_desktop.services.report_drafts import (
    ReportTexts,
    ReportWindow,
    index_sentence,
    rank_text,
    report_texts,
    report_window,
    status_sentence,
)
from cchc_desktop.services.reports import ReportData, gather_report
from cchc_desktop.services.task_queries import TaskRow

__all__ = ["PreparedReport", "ReportOptions", "TASKS_APPENDIX_CHOICES", "export_report",
           "index_sentence", "prepare_report", "rank_text", "status_sentence", "write_report"]

_NEXT_QUARTER = {
    PeriodKind.Q1: "quý II năm {y}",
    PeriodKind.Q2: "quý III năm {y}",
    PeriodKind.Q3: "quý IV năm {y}",
    PeriodKind.Q4: "quý I năm {y1}",
    PeriodKind.H1: "6 tháng cuối năm {y}",
    PeriodKind.M9: "quý IV năm {y}",
    PeriodKind.YEAR: "năm {y1}",
}
# Phụ lục II: no task table, the tasks not done by the report's day, or every task.
TASKS_APPENDIX_CHOICES = ("none", "open", "all")


@dataclass(frozen=True)
class ReportOptions:
    """What the user chose for one report: kind, period, number, date, window override,
    charts, which tasks Phụ lục II lists (``tasks_appendix``) and for which lead unit."""

    period: ReportPeriod
    number: str | None = None
    doc_date: date | None = None
    start: date | None = None
    end: date | None = None
    charts: bool = True
    kind: ReportKind = ReportKind.GENERAL
    tasks_appendix: str = "open"
    unit: str | None = None


@dataclass
class PreparedReport:
    """A report ready to write: its data, every section's text, and what to warn about."""

    options: ReportOptions
    data: ReportData
    window: ReportWindow
    texts: ReportTexts
    profile: AgencyProfile
    documents: list[DocumentInfo]  # Phụ lục I: the department's own directing documents
    appendix_tasks: list[TaskRow]  # Phụ lục II
    warnings: list[str] = field(default_factory=list)
    template: bytes | None = None  # the office's template of the kind (None: the shipped one)


def next_period_label(period: ReportPeriod) -> str:
    """The period after ``period`` inside a sentence: "6 tháng cuối năm 2021", "quý I năm 2022"."""
    return _NEXT_QUARTER[period.kind].format(y=period.year, y1=period.year + 1)


def report_summary_line(period: ReportPeriod, kind: ReportKind = ReportKind.GENERAL) -> str:
    """The trích yếu: "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2021, ..."."""
    kind = ReportKind(kind)
    if kind is ReportKind.INDEX:
        return f"Kết quả thực hiện {KIND_SUBJECTS[kind]} {period.label_vi}"
    return (f"Kết quả thực hiện {KIND_SUBJECTS[kind]} {period.label_vi}, "
            f"nhiệm vụ trọng tâm {next_period_label(period)}")


def attached_line(kind_name: str, type_abbr: str, number: str | None, doc_date: date | None,
                  year: int, profile: AgencyProfile) -> str:
    """"Kèm theo Báo cáo số 263/BC-SGDĐT ngày 07/6/2021 của Sở GD&ĐT tỉnh Sơn La"."""
    from cchc_desktop.exporters.doc_parts import number_line

    symbol = number_line(number, type_abbr, profile.abbr).removeprefix("Số: ")
    when = format_date_doc(doc_date) if doc_date else f"     /     /{year}"
    return f"Kèm theo {kind_name} số {symbol} ngày {when} của {profile.agency_in_text}"


def document_values(profile: AgencyProfile, number: str, doc_date: date | None, year: int,
                    recipients_kind: str) -> dict[str, str]:
    """The fields every template knows (:data:`~cchc_desktop.exporters.doc_templates.
    COMMON_FIELDS`) for a document numbered ``number`` ("Số: 263/BC-SGDĐT") and dated
    ``doc_date`` (None: left blank to fill in by hand)."""
    from cchc_desktop.exporters.doc_parts import recipient_lines

    when = place_date_line("", doc_date, year=year).removeprefix(", ")
    recipients = recipient_lines(profile.recipients_for(recipients_kind), "")[:-1]
    return {
        "so_ky_hieu": number.removeprefix("Số:").strip(),
        "ngay": when,
        "co_quan": profile.agency_in_text,
        "co_quan_chu_quan": profile.parent,
        "dia_danh": profile.place,
        "nam": str(year),
        "noi_nhan": "\n".join(recipients),
        "tham_quyen": profile.authority,
        "chuc_vu": profile.signer_title,
        "nguoi_ky": profile.signer,
    }


def document_profile(session: Session) -> AgencyProfile:
    """The agency profile with a usable name for running text even when that field is blank.

    A database whose profile was never saved refuses (UserError saying where to set it).
    """
    from dataclasses import replace

    profile = require_profile(session)
    if not profile.agency_in_text.strip():
        words = profile.agency.strip().split()
        # "SỞ GIÁO DỤC VÀ ĐÀO TẠO" -> "Sở Giáo Dục Và Đào Tạo" reads better than all capitals.
        name = " ".join(w if w.lower() == "và" else w.capitalize() for w in words)
        profile = replace(profile, agency_in_text=name.replace(" Và ", " và ") or "Cơ quan")
    return profile


def prepare_report(session: Session, options: ReportOptions) -> PreparedReport:
    """Check the options, gather the data and every section's text, and list the warnings
    (empty sections, empty appendices, a late date) to show before anything is written.

    Raises ValidationError for a bad number, a date before the window, an unknown unit.
    """
    from dataclasses import replace

    from cchc_desktop.domain.report_kinds import sections
    from cchc_desktop.domain.text import clean_report_number
    from cchc_desktop.errors import ValidationError
    from cchc_desktop.services.doc_templates import template_bytes, template_warnings
    from cchc_desktop.services.report_drafts import own_documents

    try:
        number = clean_report_number(options.number)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if options.tasks_appendix not in TASKS_APPENDIX_CHOICES:
        raise ValidationError(f"Phụ lục nhiệm vụ không hợp lệ: {options.tasks_appendix} "
                              f"(chọn none, open hoặc all)")
    options = replace(options, number=number, kind=ReportKind(options.kind))
    window = report_window(options.period, options.start, options.end, options.doc_date)
    data = gather_report(session, options.period, window.start, window.end)
    profile = document_profile(session)
    texts = report_texts(session, data, options.kind, profile)
    appendix = _appendix_tasks_chosen(session, data, options)
    documents = own_documents(data.documents, profile)
    labels = {s.key: s.label for s in sections(options.kind)}
    warnings = list(window.warnings)
    warnings += [f"Mục “{labels[key]}” không có số liệu và chưa được soạn: văn bản ghi "
                 f"“{texts.text(key)}”" for key in texts.empty]
    if not documents:
        warnings.append("Không có văn bản chỉ đạo, triển khai nào của cơ quan trong kỳ: "
                        "không in phụ lục văn bản.")
    if options.tasks_appendix != "none" and not appendix:
        warnings.append("Không có nhiệm vụ nào để liệt kê: không in phụ lục nhiệm vụ.")
    key = f"report-{options.kind.value}"
    warnings += template_warnings(session, key)
    return PreparedReport(options, data, window, texts, profile, documents, appendix, warnings,
                          template_bytes(session, key))


def _appendix_tasks_chosen(session: Session, data: ReportData,
                           options: ReportOptions) -> list[TaskRow]:
    from cchc_desktop.domain.status import is_done
    from cchc_desktop.services.task_queries import resolve_unit_id

    if options.tasks_appendix == "none":
        return []
    tasks = data.tasks
    if options.unit:
        unit_id = resolve_unit_id(session, options.unit)
        tasks = [t for t in tasks if t.lead_unit_id == unit_id]
    if options.tasks_appendix == "open":
        tasks = [t for t in tasks if not is_done(t.status)]
    return tasks


def export_report(session: Session, options: ReportOptions, path: str | Path) -> Path:
    """Gather the report's figures and texts and write the .docx to ``path``."""
    return write_report(prepare_report(session, options), path)


def write_report(report: PreparedReport, path: str | Path) -> Path:
    """Write a prepared report (no database needed) and return the path."""
    from functools import partial

    from cchc_desktop.domain.report_kinds import section_keys
    from cchc_desktop.exporters.doc_parts import Heading, number_line
    from cchc_desktop.exporters.doc_templates import TEMPLATE_KINDS
    from cchc_desktop.exporters.docx_base import DocWriter
    from cchc_desktop.exporters.template_render import render_body
    from cchc_desktop.services.doc_templates import shipped_template

    data, options, profile = report.data, report.options, report.profile
    period, kind = data.period, options.kind
    w = DocWriter()
    w.national_header(Heading(
        parent=profile.parent,
        agency=profile.agency,
        number_line=number_line(options.number, "BC", profile.abbr),
        date_line=place_date_line(profile.place, options.doc_date, year=period.year),
    ))
    w.title("Báo cáo", report_summary_line(period, kind))
    figure_no = [0]
    blocks: dict[str, Callable[[], None]] = {
        f"muc_{key}": partial(w.body, report.texts.text(key)) for key in section_keys(kind)}
    blocks["bieu_do_nhiem_vu"] = partial(_direction_figures, w, data, options, figure_no)
    blocks["bang_chi_so"] = partial(_index_figures, w, data, options, figure_no)
    cut = ", ngày ban hành báo cáo" if report.window.cut_by_date else ""
    values = document_values(profile, number_line(options.number, "BC", profile.abbr),
                             options.doc_date, period.year, "report")
    values.update(noi_dung=KIND_SUBJECTS[kind], ky_bao_cao=period.label_vi,
                  ky_toi=next_period_label(period), thoi_gian_so_lieu=_window_text(data) + cut)
    template = TEMPLATE_KINDS[f"report-{kind.value}"]
    render_body(w, template, report.template or shipped_template(template.key), values, blocks,
                profile.drafter)

    attached = attached_line("Báo cáo", "BC", options.number, options.doc_date, period.year,
                             profile)
    both = bool(report.documents) and bool(report.appendix_tasks)
    if report.documents:
        _appendix_documents(w, report, attached, "Phụ lục I" if both else "Phụ lục")
    if report.appendix_tasks:
        _appendix_tasks(w, report, attached, "Phụ lục II" if both else "Phụ lục")
    return w.save(path)


# ---------------------------------------------------------------------- body parts


def _window_text(data: ReportData) -> str:
    return f"từ ngày {format_date_doc(data.start)} đến ngày {format_date_doc(data.end)}"


def _direction_figures(w, data: ReportData, options: ReportOptions,  # noqa: ANN001
                       figure_no: list[int]) -> None:
    from cchc_desktop.exporters.doc_parts import Column

    if options.charts and data.summary["total"]:
        from cchc_desktop.exporters.charts import status_chart

        figure_no[0] += 1
        w.picture(status_chart(data.summary), 15,
                  f"Biểu đồ {figure_no[0]}. Tình hình thực hiện nhiệm vụ theo trạng thái")
    if data.by_unit:
        w.lead_in("Kết quả thực hiện nhiệm vụ theo đơn vị chủ trì:")
        w.table(
            [Column("STT", 1.2, "center"), Column(terms.LEAD_UNIT, 7.3),
             Column("Tổng số", 2.0, "center"), Column("Đã hoàn thành", 2.2, "center"),
             Column("Tỷ lệ (%)", 1.9, "center"), Column("Quá hạn", 1.9, "center")],
            [
                [str(i), u.unit, format_number_vi(u.total), format_number_vi(u.done),
                 format_number_vi(u.rate, 2), format_number_vi(u.overdue)]
                for i, u in enumerate(data.by_unit, start=1)
            ],
        )
        if options.charts:
            from cchc_desktop.exporters.charts import completion_by_unit_chart

            figure_no[0] += 1
            w.picture(completion_by_unit_chart([(u.unit, u.total, u.done) for u in data.by_unit]),
                      15, f"Biểu đồ {figure_no[0]}. Tỷ lệ hoàn thành nhiệm vụ theo đơn vị")


def _index_figures(w, data: ReportData, options: ReportOptions,  # noqa: ANN001
                   figure_no: list[int]) -> None:
    from cchc_desktop.exporters.doc_parts import Column

    if not data.indexes:
        return
    w.lead_in("Kết quả các chỉ số qua các năm:")
    w.table(
        [Column("STT", 1.2, "center"), Column("Chỉ số", 6.3), Column("Năm", 2.5, "center"),
         Column("Điểm", 3.0, "center"), Column("Xếp hạng", 3.5, "center")],
        [
            [str(i), r.index_name, str(r.year),
             format_number_vi(r.score, 2) if r.score is not None else "",
             rank_text(r.rank, r.out_of)]
            for i, r in enumerate(data.indexes, start=1)
        ],
    )
    if options.charts:
        from cchc_desktop.exporters.charts import index_chart

        figure_no[0] += 1
        w.picture(index_chart([(r.index_name, r.year, r.score) for r in data.indexes]), 15,
                  f"Biểu đồ {figure_no[0]}. Kết quả các chỉ số qua các năm")


# ---------------------------------------------------------------------- appendices


def _appendix_documents(w, report: PreparedReport, attached: str,  # noqa: ANN001
                        label: str) -> None:
    from cchc_desktop.exporters.doc_parts import Column

    w.new_section(landscape=False, restart_numbering=True)
    w.appendix_heading(label, "Các văn bản chỉ đạo, triển khai công tác cải cách hành chính",
                       attached)
    w.table(
        [Column("STT", 1.2, "center"), Column("Số, ký hiệu", 3.6, "center"),
         Column("Ngày ban hành", 2.8, "center"), Column("Trích yếu", 8.9)],
        [
            [str(i), d.symbol, format_date_doc(d.issued_on) if d.issued_on else "", d.summary]
            for i, d in enumerate(report.documents, start=1)
        ],
    )


def _appendix_tasks(w, report: PreparedReport, attached: str,  # noqa: ANN001
                    label: str) -> None:
    from cchc_desktop.exporters.doc_parts import Column, GroupRow

    data, options = report.data, report.options
    w.new_section(landscape=True, restart_numbering=True)
    which = "chưa hoàn thành" if options.tasks_appendix == "open" else "cải cách hành chính"
    unit = f" do {report.appendix_tasks[0].lead_unit} chủ trì" if options.unit else ""
    w.appendix_heading(
        label,
        f"Tình hình thực hiện các nhiệm vụ {which} năm {data.period.year}{unit} "
        f"(tính đến ngày {format_date_doc(data.end)})",
        attached,
    )
    rows: list[list[str] | GroupRow] = []
    group: object = object()
    group_no = stt = 0
    for t in report.appendix_tasks:
        if t.area != group:
            group, stt = t.area, 0
            group_no += 1
            rows.append(GroupRow(to_roman(group_no), area_name(t.area)))
        stt += 1
        assigned = ", ".join(x for x in (t.assigned_by, t.document) if x) or "Kế hoạch của Sở"
        due = format_date_doc(t.due_date) if t.due_date else (t.timing_text or "Không thời hạn")
        done = format_date_doc(t.completed_on) if t.completed_on and t.completed_on <= data.end \
            else ""
        rows.append([str(stt), t.content, assigned, t.lead_unit, due, done,
                     STATUS_LABELS[t.status]])
    w.table(
        [Column("STT", 1.2, "center"), Column("Nội dung nhiệm vụ", 8.6),
         Column("Cơ quan giao, văn bản", 3.4), Column(terms.LEAD_UNIT, 3.6),
         Column(terms.DUE_DATE, 2.6, "center"), Column(terms.COMPLETED_ON, 2.4, "center"),
         Column(terms.STATUS, 3.4)],
        rows,
    )
