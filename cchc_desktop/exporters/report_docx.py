"""The periodic CCHC report (báo cáo định kỳ) as a .docx ready to sign, as sample 000.

Header, title and trích yếu; the user's introduction; I. results by the eight CCHC areas with
the figures of the cut-off window (task status, completion by unit, documents issued, TTHC,
index results, charts); II. overall assessment; III. next period's tasks; "Nơi nhận" and the
signature; appendix I the directing documents issued in the window, appendix II the tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from cchc_desktop.domain.areas import REFORM_AREAS, area_name
from cchc_desktop.domain.periods import PeriodKind, ReportPeriod
from cchc_desktop.domain.status import STATUS_LABELS
from cchc_desktop.domain.text import (
    format_date_doc,
    format_number_vi,
    place_date_line,
    to_roman,
)
from cchc_desktop.services.profile import AgencyProfile, require_profile
from cchc_desktop.services.reports import NARRATIVE_SECTIONS, ReportData, gather_report

SECTION_TITLES = dict(NARRATIVE_SECTIONS)
_NEXT_QUARTER = {
    PeriodKind.Q1: "quý II năm {y}",
    PeriodKind.Q2: "quý III năm {y}",
    PeriodKind.Q3: "quý IV năm {y}",
    PeriodKind.Q4: "quý I năm {y1}",
    PeriodKind.H1: "6 tháng cuối năm {y}",
    PeriodKind.M9: "quý IV năm {y}",
    PeriodKind.YEAR: "năm {y1}",
}


@dataclass(frozen=True)
class ReportOptions:
    """What the user chose for one report: period, number, date, window override, charts."""

    period: ReportPeriod
    number: str | None = None
    doc_date: date | None = None
    start: date | None = None
    end: date | None = None
    charts: bool = True


def next_period_label(period: ReportPeriod) -> str:
    """The period after ``period`` inside a sentence: "6 tháng cuối năm 2021", "quý I năm 2022"."""
    return _NEXT_QUARTER[period.kind].format(y=period.year, y1=period.year + 1)


def report_summary_line(period: ReportPeriod) -> str:
    """The trích yếu: "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2021, ..."."""
    return (
        f"Kết quả thực hiện công tác cải cách hành chính {period.label_vi}, "
        f"nhiệm vụ trọng tâm {next_period_label(period)}"
    )


def attached_line(kind_name: str, type_abbr: str, number: str | None, doc_date: date | None,
                  year: int, profile: AgencyProfile) -> str:
    """"Kèm theo Báo cáo số 263/BC-SGDĐT ngày 07/6/2021 của Sở GD&ĐT tỉnh Sơn La"."""
    from cchc_desktop.exporters.docx_base import number_line

    symbol = number_line(number, type_abbr, profile.abbr).removeprefix("Số: ")
    when = format_date_doc(doc_date) if doc_date else f"     /     /{year}"
    return f"Kèm theo {kind_name} số {symbol} ngày {when} của {profile.agency_in_text}"


def status_sentence(summary: dict[str, int]) -> str:
    """"Tổng số nhiệm vụ 41, đã hoàn thành trong hạn 9, ...; chưa hoàn thành: trong hạn 1, ..."."""
    n = {k: format_number_vi(v) for k, v in summary.items()}
    return (
        f"tổng số nhiệm vụ {n['total']}, đã hoàn thành trong hạn {n['done_on_time']}, "
        f"hoàn thành quá hạn {n['done_late']}, hoàn thành không hạn {n['done_no_deadline']}; "
        f"chưa hoàn thành: trong hạn {n['open_on_time']}, quá hạn {n['open_overdue']}, "
        f"không hạn {n['open_no_deadline']}"
    )


def rank_text(rank: int | None, out_of: int | None) -> str:
    """"02/18" as reports write ranks (a leading zero below 10), "" when unknown."""
    if rank is None:
        return ""
    return f"{rank:02d}/{out_of:02d}" if out_of else f"{rank:02d}"


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


def export_report(session: Session, options: ReportOptions, path: str | Path) -> Path:
    """Gather the report's figures and write the .docx to ``path``."""
    data = gather_report(session, options.period, options.start, options.end)
    return write_report(data, document_profile(session), options, path)


def write_report(data: ReportData, profile: AgencyProfile, options: ReportOptions,
                 path: str | Path) -> Path:
    """Write the report of ``data`` (no database needed) and return the path."""
    from cchc_desktop.exporters.docx_base import DocWriter, Heading, Signature, number_line

    period = data.period
    w = DocWriter()
    w.national_header(Heading(
        parent=profile.parent,
        agency=profile.agency,
        number_line=number_line(options.number, "BC", profile.abbr),
        date_line=place_date_line(profile.place, options.doc_date, year=period.year),
    ))
    w.title("Báo cáo", report_summary_line(period))
    _intro(w, data, profile)

    w.heading1("I. Kết quả thực hiện công tác cải cách hành chính")
    figure_no = [0]
    for area in REFORM_AREAS:
        w.heading2(f"{area.code}. {area.name}")
        _narrative(w, data, f"area{area.code}")
        if area.code == 1:
            _direction_figures(w, data, options, figure_no)
        elif area.code == 3:
            _procedure_figures(w, data)
        elif area.code == 8:
            _index_figures(w, data, options, figure_no)

    w.heading1("II. Đánh giá chung")
    _narrative(w, data, "assessment")
    w.heading1(f"III. Nhiệm vụ trọng tâm {next_period_label(period)}")
    _narrative(w, data, "next")
    w.paragraph(
        f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {period.label_vi}, "
        f"nhiệm vụ trọng tâm {next_period_label(period)}. {profile.agency_in_text} trân trọng "
        f"báo cáo./."
    )
    w.closing(Signature(profile.recipients, profile.drafter, profile.authority,
                        profile.signer_title, profile.signer))

    attached = attached_line("Báo cáo", "BC", options.number, options.doc_date, period.year,
                             profile)
    _appendix_documents(w, data, attached)
    _appendix_tasks(w, data, attached)
    return w.save(path)


# ---------------------------------------------------------------------- body parts


def _narrative(w, data: ReportData, key: str) -> None:  # noqa: ANN001 - DocWriter
    text = data.narratives.get(key, "").strip()
    if text:
        w.body(text)
    else:
        title = SECTION_TITLES[key].split(". ", 1)[-1]
        w.placeholder(f"Chưa có nội dung mục “{title}”: nhập tại thẻ Báo cáo của phần mềm")


def _window_text(data: ReportData) -> str:
    return f"từ ngày {format_date_doc(data.start)} đến ngày {format_date_doc(data.end)}"


def _intro(w, data: ReportData, profile: AgencyProfile) -> None:  # noqa: ANN001
    text = data.narratives.get("intro", "").strip()
    if text:
        w.body(text)
    else:
        w.placeholder("Căn cứ, văn bản chỉ đạo của cấp trên: nhập tại thẻ Báo cáo, mục Mở đầu")
    w.paragraph(
        f"{profile.agency_in_text} báo cáo kết quả thực hiện công tác cải cách hành chính "
        f"{data.period.label_vi} (số liệu tính {_window_text(data)}) như sau:"
    )


def _direction_figures(w, data: ReportData, options: ReportOptions,  # noqa: ANN001
                       figure_no: list[int]) -> None:
    from cchc_desktop.exporters.docx_base import Column

    count = len(data.documents)
    if count:
        w.paragraph(
            f"Trong kỳ báo cáo ({_window_text(data)}), có {format_number_vi(count)} văn bản "
            f"chỉ đạo, triển khai công tác cải cách hành chính được ban hành (chi tiết tại "
            f"Phụ lục I)."
        )
    else:
        w.paragraph(f"Trong kỳ báo cáo ({_window_text(data)}) chưa có văn bản chỉ đạo, "
                    f"triển khai nào được ghi nhận.")
    summary = data.summary
    if not summary["total"]:
        w.paragraph(f"Tính đến ngày {format_date_doc(data.end)}, chưa có nhiệm vụ nào "
                    f"được giao trong năm {data.period.year}.")
        return
    rate = format_number_vi(data.completion_rate or 0, 2)
    w.paragraph(
        f"Tình hình thực hiện nhiệm vụ tính đến ngày {format_date_doc(data.end)}: "
        f"{status_sentence(summary)}; tỷ lệ hoàn thành đạt {rate}% (chi tiết tại Phụ lục II)."
    )
    if data.assigned_summary["total"]:
        w.paragraph(f"Trong đó, nhiệm vụ do cấp trên (UBND tỉnh, Chủ tịch UBND tỉnh) giao: "
                    f"{status_sentence(data.assigned_summary)}.")
    if options.charts:
        from cchc_desktop.exporters.charts import status_chart

        figure_no[0] += 1
        w.picture(status_chart(summary), 15,
                  f"Biểu đồ {figure_no[0]}. Tình hình thực hiện nhiệm vụ theo trạng thái")
    if data.by_unit:
        w.lead_in("Kết quả thực hiện nhiệm vụ theo đơn vị chủ trì:")
        w.table(
            [Column("STT", 1.2, "center"), Column("Đơn vị chủ trì", 7.3),
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


def _procedure_figures(w, data: ReportData) -> None:  # noqa: ANN001
    p = data.procedures
    if p is None:
        w.placeholder("Chưa có số liệu thủ tục hành chính trong kỳ: nhập tại thẻ Danh mục")
        return
    n = format_number_vi
    text = (
        f"Tổng số thủ tục hành chính thuộc thẩm quyền giải quyết: {n(p.procedures_total)} thủ "
        f"tục; đã công khai {n(p.procedures_published)}/{n(p.procedures_total)} thủ tục; "
        f"cung cấp dịch vụ công trực tuyến {n(p.procedures_online)} thủ tục. Trong kỳ, tiếp "
        f"nhận {n(p.received)} hồ sơ; đã giải quyết đúng hạn {n(p.resolved_on_time)} hồ sơ, "
        f"quá hạn {n(p.resolved_late)} hồ sơ; đang giải quyết {n(p.in_progress)} hồ sơ"
    )
    if p.on_time_rate is not None:
        text += f"; tỷ lệ giải quyết đúng hạn đạt {n(p.on_time_rate, 2)}%"
    w.paragraph(text + ".")


def _index_figures(w, data: ReportData, options: ReportOptions,  # noqa: ANN001
                   figure_no: list[int]) -> None:
    from cchc_desktop.exporters.docx_base import Column

    if not data.indexes:
        w.placeholder("Chưa có kết quả các chỉ số (PAR INDEX, SIPAS, PAPI, PCI)")
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


def _appendix_documents(w, data: ReportData, attached: str) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.docx_base import Column

    w.new_section(landscape=False)
    w.appendix_heading("Phụ lục I", "Các văn bản chỉ đạo, triển khai công tác cải cách hành chính",
                       attached)
    if not data.documents:
        w.placeholder(f"Không có văn bản chỉ đạo, triển khai nào ban hành {_window_text(data)}")
        return
    w.table(
        [Column("STT", 1.2, "center"), Column("Số, ký hiệu", 3.6, "center"),
         Column("Ngày ban hành", 2.8, "center"), Column("Trích yếu", 8.9)],
        [
            [str(i), d.symbol, format_date_doc(d.issued_on) if d.issued_on else "",
             d.summary]
            for i, d in enumerate(data.documents, start=1)
        ],
    )


def _appendix_tasks(w, data: ReportData, attached: str) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.docx_base import Column, GroupRow

    w.new_section(landscape=True)
    w.appendix_heading(
        "Phụ lục II",
        f"Tình hình thực hiện nhiệm vụ cải cách hành chính năm {data.period.year} "
        f"(tính đến ngày {format_date_doc(data.end)})",
        attached,
    )
    if not data.tasks:
        w.placeholder(f"Chưa có nhiệm vụ nào của năm {data.period.year}")
        return
    rows: list[list[str] | GroupRow] = []
    group: object = object()
    group_no = stt = 0
    for t in data.tasks:
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
         Column("Cơ quan giao, văn bản", 3.4), Column("Đơn vị chủ trì", 3.6),
         Column("Thời hạn", 2.6, "center"), Column("Ngày hoàn thành", 2.4, "center"),
         Column("Tình trạng", 3.4)],
        rows,
    )
