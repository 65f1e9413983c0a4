"""A plan (kế hoạch) as a .docx ready to sign, with its task table as a landscape appendix.

As sample 002: the appendix columns are STT, Nội dung, Kết quả, Thời gian thực hiện, Đơn vị
chủ trì, Đơn vị phối hợp, Ghi chú (the glossary's terms), with a bold group row for each of the plan's own groups,
numbered and titled as the plan writes them (a plan without groups has no group rows). The
timing is printed exactly as written in the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from cchc_desktop.domain import terms
from cchc_desktop.domain.text import format_number_vi, place_date_line
from cchc_desktop.exporters.report_docx import document_profile
from cchc_desktop.services.plans import PlanGroupInfo, get_plan, groups_by_id, sections
from cchc_desktop.services.profile import AgencyProfile
from cchc_desktop.services.task_queries import TaskFilter, TaskRow, list_tasks

PLAN_COLUMNS = (
    ("STT", 1.2, "center"),
    ("Nội dung", 7.4, "left"),
    ("Kết quả", 3.0, "left"),
    (terms.TIMING, 3.0, "center"),
    (terms.LEAD_UNIT, 3.4, "left"),
    (terms.SUPPORTING_UNITS, 4.6, "left"),
    ("Ghi chú", 2.6, "left"),
)


# What each plan kind is for (I. Mục đích, yêu cầu), worded as such plans word it (samples
# 002–004); "{year}" is the plan's year.
PLAN_PURPOSES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "reform": (
        ("Triển khai thực hiện đồng bộ, hiệu quả các nhiệm vụ cải cách hành chính năm {year} "
         "trên các lĩnh vực: cải cách thể chế, cải cách thủ tục hành chính, cải cách tổ chức bộ "
         "máy, cải cách chế độ công vụ, cải cách tài chính công, xây dựng và phát triển chính "
         "quyền điện tử, chính quyền số.",),
        ("Xác định rõ nội dung, kết quả, thời gian thực hiện và trách nhiệm của từng cơ quan, "
         "đơn vị; các nhiệm vụ bảo đảm đúng tiến độ, chất lượng, được theo dõi, đánh giá và "
         "báo cáo định kỳ theo quy định.",),
    ),
    "propaganda": (
        ("Nâng cao nhận thức, trách nhiệm của cán bộ, công chức, viên chức và người lao động "
         "về mục tiêu, ý nghĩa, tầm quan trọng của công tác cải cách hành chính; tạo sự thống "
         "nhất, đồng thuận trong triển khai thực hiện.",
         "Giúp tổ chức, cá nhân hiểu, tham gia và giám sát việc thực hiện cải cách hành chính, "
         "nhất là việc công khai, giải quyết thủ tục hành chính.",),
        ("Nội dung tuyên truyền rõ ràng, chính xác, kịp thời; hình thức tuyên truyền đa dạng, "
         "phù hợp với từng đối tượng; gắn tuyên truyền cải cách hành chính với nhiệm vụ chính "
         "trị của cơ quan, đơn vị.",),
    ),
    "inspection": (
        ("Đánh giá đúng thực trạng, kết quả thực hiện công tác cải cách hành chính tại các cơ "
         "quan, đơn vị năm {year}; kịp thời phát hiện, chấn chỉnh những tồn tại, hạn chế.",),
        ("Việc kiểm tra bảo đảm đúng kế hoạch, khách quan, không gây phiền hà cho đơn vị được "
         "kiểm tra; kết quả kiểm tra được thông báo và theo dõi việc khắc phục.",),
    ),
    "index_improvement": (
        ("Khắc phục những hạn chế của các chỉ số thành phần; duy trì, cải thiện và nâng cao "
         "Chỉ số cải cách hành chính, Chỉ số Hiệu quả Quản trị và Hành chính công (PAPI) và "
         "Chỉ số hài lòng (SIPAS) của cơ quan năm {year}.",),
        ("Các giải pháp có mục tiêu, nhiệm vụ, tiến độ, trách nhiệm thực hiện và sản phẩm cụ "
         "thể; lấy sự hài lòng của người dân, tổ chức làm thước đo chất lượng phục vụ.",),
    ),
}


def plan_purposes(kind: str, year: int) -> tuple[list[str], list[str]]:
    """(purposes, requirements) paragraphs of a plan of ``kind`` ("other": the reform ones)."""
    purposes, requirements = PLAN_PURPOSES.get(kind, PLAN_PURPOSES["reform"])
    return ([p.format(year=year) for p in purposes], [r.format(year=year) for r in requirements])


def plan_summary_line(title: str) -> str:
    """The trích yếu under "KẾ HOẠCH": the title without its leading "Kế hoạch"."""
    text = title.strip()
    if text.lower().startswith("kế hoạch "):
        text = text[len("kế hoạch "):].strip()
    return text[:1].upper() + text[1:]


def plan_rows(tasks: list[TaskRow], groups: dict[int, PlanGroupInfo] | None = None) -> list:
    """The appendix rows: the plan's group rows (as written), each followed by its tasks
    numbered 1, 2 ...; tasks outside any group have no group row above them."""
    from cchc_desktop.exporters.doc_parts import GroupRow

    rows: list = []
    for group, members in sections(tasks, groups or {}):
        if group is not None:
            rows.append(GroupRow(group.number, group.title))
        for stt, t in enumerate(members, start=1):
            rows.append([str(stt), t.content, t.output, t.timing_text, t.lead_unit,
                         "; ".join(t.supporting_units), t.note])
    return rows


def export_plan(session: Session, plan_id: int, path: str | Path,
                today: date | None = None) -> Path:
    """Write plan ``plan_id`` with its appendix to ``path``; NotFoundError for an unknown id."""
    from cchc_desktop.services.doc_templates import template_bytes

    plan = get_plan(session, plan_id)
    tasks = list_tasks(session, today or date.today(), TaskFilter(plan_id=plan_id), order="plan")
    return write_plan(
        title=plan.title, year=plan.year, number=plan.number, issued_on=plan.issued_on,
        intro=plan.intro or "", tasks=tasks, profile=document_profile(session), path=path,
        kind=plan.kind,
        groups=groups_by_id(session, [t.group_id for t in tasks]),
        template=template_bytes(session, "plan"),
    )


def write_plan(*, title: str, year: int, number: str | None, issued_on: date | None,
               intro: str, tasks: list[TaskRow], profile: AgencyProfile,
               path: str | Path, kind: str = "reform",
               groups: dict[int, PlanGroupInfo] | None = None,
               template: bytes | None = None) -> Path:
    """Write a plan document of ``kind`` (no database needed) and return the path;
    ``template``: the office's plan template (None: the shipped one)."""
    from cchc_desktop.exporters.doc_parts import Column, Heading, number_line
    from cchc_desktop.exporters.doc_templates import TEMPLATE_KINDS
    from cchc_desktop.exporters.docx_base import DocWriter
    from cchc_desktop.exporters.report_docx import attached_line, document_values
    from cchc_desktop.exporters.template_render import render_body
    from cchc_desktop.services.doc_templates import shipped_template

    w = DocWriter()
    w.national_header(Heading(
        parent=profile.parent,
        agency=profile.agency,
        number_line=number_line(number, "KH", profile.abbr),
        date_line=place_date_line(profile.place, issued_on, year=year),
    ))
    summary = plan_summary_line(title)
    w.title("Kế hoạch", summary)
    purposes, requirements = plan_purposes(kind, year)

    def task_counts() -> None:
        if not tasks:
            w.paragraph("Các nhiệm vụ cụ thể sẽ được bổ sung theo chỉ đạo của cấp trên.")
            return
        for group, members in sections(tasks, groups or {}):
            if group is not None:
                w.paragraph(f"{group.label()}: {format_number_vi(len(members))} nhiệm vụ.")
        w.paragraph(f"Tổng số {format_number_vi(len(tasks))} nhiệm vụ (chi tiết tại Phụ lục "
                    "kèm theo Kế hoạch này).")

    values = document_values(profile, number_line(number, "KH", profile.abbr), issued_on, year,
                             "plan")
    values.update(trich_yeu=f"{summary[:1].lower()}{summary[1:]}",
                  so_nhiem_vu=format_number_vi(len(tasks)))
    def dashes(texts: list[str]) -> Callable[[], None]:
        def write() -> None:
            for text in texts:
                w.paragraph(f"- {text}")
        return write

    blocks = {"mo_dau": lambda: w.body(intro), "muc_dich": dashes(purposes),
              "yeu_cau": dashes(requirements), "nhiem_vu": task_counts}
    render_body(w, TEMPLATE_KINDS["plan"], template or shipped_template("plan"), values,
                blocks, profile.drafter)

    if tasks:
        w.new_section(landscape=True, restart_numbering=True)
        w.appendix_heading(
            "Phụ lục",
            f"Nhiệm vụ cụ thể thực hiện kế hoạch {summary[:1].lower()}{summary[1:]}",
            attached_line("Kế hoạch", "KH", number, issued_on, year, profile),
        )
        w.table([Column(*spec) for spec in PLAN_COLUMNS], plan_rows(tasks, groups))
    return w.save(path)
