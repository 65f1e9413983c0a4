"""The self-scoring of the CCHC index (tự đánh giá, chấm điểm) as a report with its table.

The report states the total and the points per area; the landscape appendix is the whole
criteria tree: code, title, maximum points, self score (sub-totals on areas and criteria, in
bold), the evidence files of each sub-criterion, and the self-assessment note.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import format_number_vi, place_date_line
from cchc_desktop.exporters.report_docx import document_profile
from cchc_desktop.services.profile import AgencyProfile
from cchc_desktop.services.scoring import CriterionRow, ScoringView, scoring_view
from cchc_desktop.store.models import Criterion, Evidence, EvidenceLink, ScoringFramework

_KIND_SUFFIX = {"bonus": " (điểm thưởng)", "penalty": " (điểm trừ)"}


def _points(value: float | None) -> str:
    return "" if value is None else format_number_vi(value, 2)


def evidence_names(session: Session, year: int) -> dict[str, list[str]]:
    """File names linked to each criterion code of ``year``'s framework, in the order added."""
    stmt = (
        select(Criterion.code, Evidence.original_name)
        .join(EvidenceLink, EvidenceLink.criterion_id == Criterion.id)
        .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
        .join(ScoringFramework, ScoringFramework.id == Criterion.framework_id)
        .where(ScoringFramework.year == year)
        .order_by(Criterion.code, EvidenceLink.id)
    )
    names: dict[str, list[str]] = defaultdict(list)
    for code, name in session.execute(stmt):
        names[code].append(name)
    return names


def export_scoring(session: Session, year: int, path: str | Path, *,
                   today: date | None = None, doc_date: date | None = None,
                   charts: bool = True) -> Path:
    """Write the self-scoring report of ``year``; NotFoundError when the year has no criteria."""
    from cchc_desktop.services.doc_templates import template_bytes

    view = scoring_view(session, year, today=today)
    return write_scoring(view, evidence_names(session, year), document_profile(session), path,
                         doc_date=doc_date, charts=charts,
                         template=template_bytes(session, "scoring"))


def scoring_rows(view: ScoringView, evidence: dict[str, list[str]]) -> list:
    """The appendix rows: every node of the tree, parents in bold with their sub-totals."""
    from cchc_desktop.exporters.doc_parts import BoldRow

    rows: list = []
    for row in view.walk():
        title = row.title + _KIND_SUFFIX.get(row.kind, "")
        score = row.self_score if row.is_leaf else row.totals.get("self")
        cells = [row.code, title, _points(row.max_points), _points(score),
                 "\n".join(evidence.get(row.code, [])), row.self_note]
        rows.append(cells if row.is_leaf else BoldRow(cells))
    rows.append(BoldRow(["", "Tổng điểm", _points(view.max_total),
                         _points(view.totals.get("self")), "", ""]))
    return rows


def write_scoring(view: ScoringView, evidence: dict[str, list[str]], profile: AgencyProfile,
                  path: str | Path, *, doc_date: date | None = None,
                  charts: bool = True, template: bytes | None = None) -> Path:
    """Write the document (no database needed) and return the path; ``template``: the
    office's template (None: the shipped one)."""
    from cchc_desktop.exporters.doc_parts import Column, Heading, number_line
    from cchc_desktop.exporters.doc_templates import TEMPLATE_KINDS
    from cchc_desktop.exporters.docx_base import DocWriter
    from cchc_desktop.exporters.report_docx import attached_line, document_values
    from cchc_desktop.exporters.template_render import render_body
    from cchc_desktop.services.doc_templates import shipped_template

    year = view.year
    total = view.totals.get("self")
    w = DocWriter()
    w.national_header(Heading(
        parent=profile.parent,
        agency=profile.agency,
        number_line=number_line(None, "BC", profile.abbr),
        date_line=place_date_line(profile.place, doc_date, year=year),
    ))
    w.title("Báo cáo", f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year}")

    def total_sentence() -> None:
        if total is None:
            w.paragraph("Chưa có tiêu chí nào được tự chấm điểm.")
            return
        share = 100.0 * total / view.max_total if view.max_total else 0.0
        w.paragraph(f"Tổng điểm tự đánh giá: {_points(total)}/{_points(view.max_total)} điểm, "
                    f"đạt {format_number_vi(share, 2)}%.")

    def areas_table() -> None:
        areas = [r for r in view.roots if r.kind == "normal"]
        if not areas:
            return
        w.lead_in("Điểm tự đánh giá theo từng lĩnh vực:")
        w.table(
            [Column("STT", 1.2, "center"), Column("Lĩnh vực", 9.0), Column("Điểm tối đa", 2.1,
             "center"), Column("Điểm tự chấm", 2.1, "center"), Column("Tỷ lệ (%)", 2.1, "center")],
            [[str(i), r.title, _points(r.max_points), _points(r.totals.get("self")),
              _rate(r)] for i, r in enumerate(areas, start=1)],
        )
        if charts and total is not None:
            from cchc_desktop.exporters.charts import scores_by_area_chart

            w.picture(scores_by_area_chart([(r.title, r.max_points, r.totals.get("self"))
                                            for r in areas]),
                      15, "Biểu đồ 1. Điểm tự đánh giá theo lĩnh vực")

    values = document_values(profile, number_line(None, "BC", profile.abbr), doc_date, year,
                             "scoring")
    values.update(can_cu=legal_basis(view), ngay_so_lieu=f"{view.as_of:%d/%m/%Y}")
    render_body(w, TEMPLATE_KINDS["scoring"], template or shipped_template("scoring"), values,
                {"tong_diem": total_sentence, "bang_linh_vuc": areas_table}, profile.drafter)

    w.new_section(landscape=True, restart_numbering=True)
    w.appendix_heading("Phụ lục", f"Bảng tự đánh giá, chấm điểm Chỉ số cải cách hành chính "
                                  f"năm {year}",
                       attached_line("Báo cáo", "BC", None, doc_date, year, profile))
    if not view.roots:
        w.paragraph(f"Bộ tiêu chí năm {year} chưa có tiêu chí nào.")
    else:
        w.table(
            [Column("Mã", 1.8, "center"), Column("Lĩnh vực, tiêu chí, tiêu chí thành phần", 9.4),
             Column("Điểm tối đa", 2.0, "center"), Column("Điểm tự chấm", 2.0, "center"),
             Column("Tài liệu kiểm chứng", 6.2), Column("Ghi chú", 3.8)],
            scoring_rows(view, evidence),
        )
    return w.save(path)


def legal_basis(view: ScoringView) -> str:
    """What the self-scoring is based on: the criteria set's own name (the province's
    decision), or the plain words for it while the set is still the shipped template, whose
    name is a note to the secretariat, not a legal document."""
    if view.is_template or not view.name.strip():
        return (f"Bộ tiêu chí xác định Chỉ số cải cách hành chính của các sở, ban, ngành tỉnh "
                f"năm {view.year}")
    name = view.name.strip().rstrip(".;")
    return name[:1].lower() + name[1:] if name[:3].lower() in ("bộ ", "quy") else name


def _rate(row: CriterionRow) -> str:
    score = row.totals.get("self")
    if score is None or not row.max_points:
        return ""
    return format_number_vi(100.0 * score / row.max_points, 2)
