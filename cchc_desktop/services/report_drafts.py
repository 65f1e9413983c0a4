"""A periodic report that drafts itself from the period's data, section by section.

For each editable section of a report kind (:mod:`cchc_desktop.domain.report_kinds`) a draft is
written from the data of the cut-off window: the documents the department issued (by area,
"Kế hoạch số 39/KH-SGDĐT ngày 01/02/2021 về ..." as sample 000 writes them), the tasks
completed with their outputs, the tasks overdue with their lead units, the six status
figures, the index results. The secretariat rewrites what it wants; a section it has written
is printed as written, one it has not is printed as drafted, and one with neither data nor
text gets a neutral sentence (never an instruction to the software's user).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.areas import area_from_text
from cchc_desktop.domain.periods import PeriodKind, ReportPeriod
from cchc_desktop.domain.report_kinds import (
    NEUTRAL_SENTENCE,
    ReportKind,
    narrative_key,
    sections,
)
from cchc_desktop.domain.status import StatusClass, empty_summary, is_done
from cchc_desktop.domain.text import fold, format_date_doc, format_number_vi
from cchc_desktop.errors import ValidationError
from cchc_desktop.services.documents import DocumentInfo
from cchc_desktop.services.profile import AgencyProfile
from cchc_desktop.services.reports import (
    ReportData,
    gather_report,
    report_tasks_condition,
    status_counts,
)
from cchc_desktop.services.task_queries import TaskRow, status_case
from cchc_desktop.store.models import Document, Plan, ReportNarrative, Task, Unit

T = TypeVar("T")
# Which plans' tasks a report kind is about (None: every task of the year).
_KIND_PLANS: dict[ReportKind, str | None] = {
    ReportKind.GENERAL: None,
    ReportKind.PROPAGANDA: "propaganda",
    ReportKind.INDEX: "index_improvement",
}
# How many documents or tasks a paragraph names before "và N ... khác".
LIST_LIMIT = 8
# A report dated this many days after its window's end is exported with a warning.
LATE_DATE_DAYS = 45
_NEXT_PERIOD = {
    PeriodKind.Q1: (PeriodKind.Q2, 0), PeriodKind.Q2: (PeriodKind.Q3, 0),
    PeriodKind.Q3: (PeriodKind.Q4, 0), PeriodKind.Q4: (PeriodKind.Q1, 1),
    PeriodKind.H1: (PeriodKind.YEAR, 0), PeriodKind.M9: (PeriodKind.Q4, 0),
    PeriodKind.YEAR: (PeriodKind.YEAR, 1),
}


# ---------------------------------------------------------------------- the window


@dataclass(frozen=True)
class ReportWindow:
    """The data window a report prints: ``cut_by_date`` when its date ended it early."""

    start: date
    end: date
    cut_by_date: bool = False
    warnings: tuple[str, ...] = ()


def report_window(period: ReportPeriod, start: date | None = None, end: date | None = None,
                  doc_date: date | None = None) -> ReportWindow:
    """The window a report covers, given its (optional) override and its date.

    A document's figures cannot be later than its date: a report dated inside its window
    reports data up to its date. A date before the window starts is refused; one more than
    :data:`LATE_DATE_DAYS` days after the window's end is accepted with a warning.
    """
    default_start, default_end = period.window()
    start, end = start or default_start, end or default_end
    if start > end:
        raise ValidationError(
            f"Thời gian chốt số liệu không hợp lệ: ngày bắt đầu {start:%d/%m/%Y} "
            f"sau ngày kết thúc {end:%d/%m/%Y}.")
    if doc_date is None:
        return ReportWindow(start, end)
    if doc_date < start:
        raise ValidationError(
            f"Ngày báo cáo {doc_date:%d/%m/%Y} trước thời gian chốt số liệu của kỳ "
            f"({start:%d/%m/%Y} – {end:%d/%m/%Y}): hãy chọn ngày báo cáo hoặc kỳ báo cáo khác.")
    if doc_date < end:
        return ReportWindow(start, doc_date, cut_by_date=True)
    if (doc_date - end).days > LATE_DATE_DAYS:
        return ReportWindow(start, end, warnings=(
            f"Ngày báo cáo {doc_date:%d/%m/%Y} sau ngày chốt số liệu {end:%d/%m/%Y} hơn "
            f"{LATE_DATE_DAYS} ngày: kiểm tra lại kỳ báo cáo.",))
    return ReportWindow(start, end)


def next_period(period: ReportPeriod) -> ReportPeriod:
    """The period a report's "next period" section is about (after 6 months: the year)."""
    kind, years = _NEXT_PERIOD[period.kind]
    return ReportPeriod(period.year + years, kind)


# ---------------------------------------------------------------------- own documents


def _folded_abbr(text: str) -> str:
    return fold(text).replace("&", "").replace(" ", "")


def is_own_document(doc: DocumentInfo, profile: AgencyProfile) -> bool:
    """True for a document the department itself issued: its symbol carries the agency's
    abbreviation (39/KH-SGDĐT, 123/SGDĐT-VP), or its issuer is the agency's name."""
    abbr = _folded_abbr(profile.abbr)
    _, _, tail = doc.symbol.partition("/")
    if abbr and any(_folded_abbr(part) == abbr for part in tail.replace("/", "-").split("-")):
        return True
    issuer = fold(doc.issuer)
    return bool(issuer) and issuer in {fold(profile.agency), fold(profile.agency_in_text)}


def own_documents(documents: list[DocumentInfo], profile: AgencyProfile) -> list[DocumentInfo]:
    """The documents of ``documents`` the department issued itself (Phụ lục I)."""
    return [d for d in documents if is_own_document(d, profile)]


def document_phrase(doc: DocumentInfo, *, with_issuer: bool = False) -> str:
    """"Kế hoạch số 39/KH-SGDĐT ngày 01/02/2021 về tuyên truyền ..." as reports cite it
    (with ``with_issuer``: "... ngày 26/01/2021 của UBND tỉnh về ...", as sample 000)."""
    kind = doc.doc_type or "Văn bản"
    when = f" ngày {format_date_doc(doc.issued_on)}" if doc.issued_on else ""
    issuer = f" của {doc.issuer.strip()}" if with_issuer and doc.issuer.strip() else ""
    summary = doc.summary.strip().rstrip(".;")
    # A summary that repeats the type ("Kế hoạch về ...") would read "Kế hoạch ... về kế hoạch".
    if kind and fold(summary).startswith(fold(kind) + " "):
        summary = summary[len(kind):].strip()
    if summary:
        summary = summary[:1].lower() + summary[1:]
        if not fold(summary).startswith(("ve ", "ve viec")):
            summary = f"về {summary}"
    return f"{kind} số {doc.symbol}{when}{issuer}{' ' + summary if summary else ''}"


def document_area(doc: DocumentInfo) -> int:
    """The CCHC area a document's summary names; chỉ đạo, điều hành (1) when none."""
    return area_from_text(doc.summary) or 1


# ---------------------------------------------------------------------- drafting


@dataclass
class DraftSources:
    """What the drafts are written from: the report's data and a few more lists."""

    data: ReportData
    kind: ReportKind
    profile: AgencyProfile
    # The tasks the drafts name (completed in the window, or open and due by the next
    # period's end) with their status as of the window's end; the counts cover all tasks.
    tasks: list[TaskRow]
    own_docs: list[DocumentInfo]
    higher_docs: list[DocumentInfo]  # directing documents of higher bodies issued this year
    plans: list[tuple[str | None, date | None, str]] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=empty_summary)
    assigned_summary: dict[str, int] = field(default_factory=empty_summary)

    def __post_init__(self) -> None:
        d = self.data
        self.completed = [t for t in self.tasks if is_done(t.status) and t.completed_on
                          is not None and d.start <= t.completed_on]
        self.overdue = sorted((t for t in self.tasks if t.status is StatusClass.OPEN_OVERDUE),
                              key=lambda t: (t.due_date or date.min, t.id))
        self.completed_by_area: dict[int | None, list[TaskRow]] = {}
        for t in self.completed:
            self.completed_by_area.setdefault(t.area, []).append(t)
        self.overdue_by_area: dict[int | None, list[TaskRow]] = {}
        for t in self.overdue:
            self.overdue_by_area.setdefault(t.area, []).append(t)
        self.docs_by_area: dict[int, list[DocumentInfo]] = {}
        for doc in self.own_docs:
            self.docs_by_area.setdefault(document_area(doc), []).append(doc)


def draft_sources(session: Session, data: ReportData, kind: ReportKind,
                  profile: AgencyProfile) -> DraftSources:
    """Gather what the drafts of a report of ``kind`` need, around the report's data."""
    plan_kind = _KIND_PLANS[ReportKind(kind)]
    plans_stmt = select(Plan.id, Plan.number, Plan.issued_on, Plan.title, Plan.kind).where(
        Plan.year == data.period.year)
    plan_rows = list(session.execute(plans_stmt))
    scope = report_tasks_condition(data.period, data.end)
    if plan_kind is not None:
        scope = and_(scope, Task.plan_id.in_([p.id for p in plan_rows if p.kind == plan_kind]))
    if plan_kind is None:
        summary, assigned_summary = data.summary, data.assigned_summary
    else:
        summary, assigned_summary = status_counts(session, scope, data.end)
    tasks = _named_tasks(session, data, scope)
    plans = [(p.number, p.issued_on, p.title) for p in plan_rows
             if (plan_kind is None and p.kind == "reform") or p.kind == plan_kind]
    year_start = date(data.period.year, 1, 1)
    higher = [
        DocumentInfo(d.id, d.symbol, d.doc_type or "", d.issued_on, d.issuer or "", d.summary)
        for d in session.scalars(
            select(Document).where(Document.is_directing.is_(True),
                                   Document.issued_on >= min(year_start, data.start),
                                   Document.issued_on <= data.end)
            .order_by(Document.issued_on, Document.id))
    ]
    higher = [d for d in higher if not is_own_document(d, profile)]
    return DraftSources(data, ReportKind(kind), profile, tasks,
                        own_documents(data.documents, profile), higher, plans, summary,
                        assigned_summary)


def _named_tasks(session: Session, data: ReportData, scope) -> list[TaskRow]:  # noqa: ANN001
    """The tasks a draft may name: completed inside the window, or still open at its end and
    due by the end of the next period; read without the columns drafts do not print."""
    _, next_end = next_period(data.period).window()
    done_in_window = and_(Task.completed_on >= data.start, Task.completed_on <= data.end)
    open_and_due = and_(or_(Task.completed_on.is_(None), Task.completed_on > data.end),
                        Task.due_date.is_not(None), Task.due_date <= next_end)
    lead = Unit.__table__.alias("lead")
    stmt = (
        select(Task.id, Task.content, Task.output, Task.due_date, Task.completed_on, lead.c.name,
               Task.lead_unit_id, Task.assigned_by, Task.area, Task.plan_id, Task.position,
               status_case(data.end))
        .select_from(Task)
        .outerjoin(lead, lead.c.id == Task.lead_unit_id)
        .where(scope, or_(done_in_window, open_and_due))
        .order_by(Task.area.is_(None), Task.area, Task.position, Task.id)
    )
    return [
        TaskRow(id=r[0], content=r[1], output=r[2] or "", timing_text="", due_date=r[3],
                completed_on=r[4], lead_unit=r[5] or "", lead_unit_id=r[6], supporting_units=[],
                assigned_by=r[7] or "", document="", area=r[8], year=data.period.year,
                plan_id=r[9], position=r[10], note="", status=StatusClass(r[11]))
        for r in session.connection().execute(stmt)
    ]


def _join(items: Sequence[T], noun: str, phrase: Callable[[T], str]) -> str:
    """The first :data:`LIST_LIMIT` items as phrases, then "và N {noun} khác"."""
    text = "; ".join(phrase(item) for item in items[:LIST_LIMIT])
    if len(items) > LIST_LIMIT:
        text += f" và {format_number_vi(len(items) - LIST_LIMIT)} {noun} khác"
    return text


def _window(src: DraftSources) -> str:
    return (f"từ ngày {format_date_doc(src.data.start)} đến ngày "
            f"{format_date_doc(src.data.end)}")


def _completed(src: DraftSources, area: int | None = None) -> list[TaskRow]:
    return src.completed if area is None else src.completed_by_area.get(area, [])


def _overdue(src: DraftSources, area: int | None = None) -> list[TaskRow]:
    return src.overdue if area is None else src.overdue_by_area.get(area, [])


def _task_done_phrase(t: TaskRow) -> str:
    output = f" (sản phẩm: {t.output.strip()})" if t.output.strip() else ""
    when = f", hoàn thành ngày {format_date_doc(t.completed_on)}" if t.completed_on else ""
    return f"{t.content.strip().rstrip('.;')}{output}{when}"


def _task_overdue_phrase(t: TaskRow) -> str:
    lead = t.lead_unit or "chưa giao đơn vị chủ trì"
    due = f", hạn {format_date_doc(t.due_date)}" if t.due_date else ""
    return f"{t.content.strip().rstrip('.;')} ({lead}{due})"


def _docs_paragraph(src: DraftSources, docs: list[DocumentInfo], appendix: bool) -> str:
    if not docs:
        return ""
    n = format_number_vi(len(docs))
    tail = " (chi tiết tại phụ lục kèm theo)" if appendix else ""
    return (f"Trong kỳ ({_window(src)}), {src.profile.agency_in_text} đã ban hành {n} văn "
            f"bản{tail}: {_join(docs, 'văn bản', document_phrase)}.")


def _tasks_paragraphs(src: DraftSources, area: int | None) -> list[str]:
    out = []
    done = _completed(src, area)
    if done:
        out.append(f"Đã hoàn thành {format_number_vi(len(done))} nhiệm vụ: "
                   f"{_join(done, 'nhiệm vụ', _task_done_phrase)}.")
    late = _overdue(src, area)
    if late:
        out.append(f"Còn {format_number_vi(len(late))} nhiệm vụ quá hạn chưa hoàn thành: "
                   f"{_join(late, 'nhiệm vụ', _task_overdue_phrase)}.")
    return out


def status_sentence(summary: dict[str, int]) -> str:
    """"tổng số nhiệm vụ 41, đã hoàn thành trong hạn 9, ...; chưa hoàn thành: trong hạn 1, ..."."""
    n = {k: format_number_vi(v) for k, v in summary.items()}
    return (
        f"tổng số nhiệm vụ {n['total']}, đã hoàn thành trong hạn {n['done_on_time']}, "
        f"hoàn thành quá hạn {n['done_late']}, hoàn thành không hạn {n['done_no_deadline']}; "
        f"chưa hoàn thành: trong hạn {n['open_on_time']}, quá hạn {n['open_overdue']}, "
        f"không hạn {n['open_no_deadline']}"
    )


def _status_paragraph(src: DraftSources, summary: dict[str, int], what: str) -> str:
    if not summary["total"]:
        return ""
    done = sum(summary[k] for k in ("done_on_time", "done_late", "done_no_deadline"))
    rate = format_number_vi(100.0 * done / summary["total"], 2)
    return (f"Tình hình thực hiện {what} tính đến ngày {format_date_doc(src.data.end)}: "
            f"{status_sentence(summary)}; tỷ lệ hoàn thành đạt {rate}%.")


def _intro(src: DraftSources) -> list[str]:
    docs = src.higher_docs
    if src.kind is ReportKind.PROPAGANDA:
        docs = [d for d in docs if "tuyen truyen" in fold(d.summary)]
    elif src.kind is ReportKind.INDEX:
        docs = [d for d in docs if "chi so" in fold(d.summary)]
    cited = [document_phrase(d, with_issuer=True) for d in docs[:LIST_LIMIT]]
    if not cited:
        return []
    return [f"Thực hiện {'; '.join(cited)}."]


def _plans_phrase(src: DraftSources) -> str:
    parts = []
    for number, issued, title in src.plans:
        label = title.strip()
        if number:
            when = f" ngày {format_date_doc(issued)}" if issued else ""
            label = f"Kế hoạch số {number}{when} về {_lower_plan_title(title)}"
        parts.append(label)
    return "; ".join(parts)


def _lower_plan_title(title: str) -> str:
    text = title.strip()
    if fold(text).startswith("ke hoach "):
        text = text[len("kế hoạch "):]
    return text[:1].lower() + text[1:]


def _area1(src: DraftSources) -> list[str]:
    out = []
    plans = _plans_phrase(src)
    if plans:
        out.append(f"{src.profile.agency_in_text} đã ban hành {plans}.")
    if src.own_docs:
        docs = src.docs_by_area.get(1, [])
        text = (f"Trong kỳ ({_window(src)}), {src.profile.agency_in_text} đã ban hành "
                f"{format_number_vi(len(src.own_docs))} văn bản chỉ đạo, triển khai công tác cải "
                f"cách hành chính (chi tiết tại phụ lục kèm theo)")
        if docs:
            text += (f", trong đó về công tác chỉ đạo, điều hành: "
                     f"{_join(docs, 'văn bản', document_phrase)}")
        out.append(text + ".")
    status = _status_paragraph(src, src.summary, "nhiệm vụ cải cách hành chính")
    if status:
        out.append(status)
    return out


def _area(src: DraftSources, code: int) -> list[str]:
    out = []
    docs = src.docs_by_area.get(code, [])
    if docs:
        out.append(_docs_paragraph(src, docs, appendix=False))
    out += _tasks_paragraphs(src, code)
    if code == 3 and src.data.procedures is not None:
        out.append(procedure_sentence(src.data))
    if code == 8 and src.data.indexes:
        out.append(index_sentence(src.data))
    return out


def procedure_sentence(data: ReportData) -> str:
    """The TTHC figures of the window in one sentence."""
    p = data.procedures
    if p is None:
        return ""
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
    return text + "."


def rank_text(rank: int | None, out_of: int | None) -> str:
    """"02/18" as reports write ranks (a leading zero below 10), "" when unknown."""
    if rank is None:
        return ""
    return f"{rank:02d}/{out_of:02d}" if out_of else f"{rank:02d}"


def index_sentence(data: ReportData, names: tuple[str, ...] = ()) -> str:
    """The latest published result of each index (or of ``names``): score and rank."""
    latest: dict[str, tuple[int, float | None, str]] = {}
    for r in data.indexes:
        if names and not any(fold(n) in fold(r.index_name) for n in names):
            continue
        latest[r.index_name] = (r.year, r.score, rank_text(r.rank, r.out_of))
    parts = []
    for name, (year, score, rank) in latest.items():
        text = f"{name} năm {year}"
        if score is not None:
            text += f" đạt {format_number_vi(score, 2)} điểm"
        if rank:
            text += f", xếp hạng {rank}"
        parts.append(text)
    return f"Kết quả các chỉ số đã công bố: {'; '.join(parts)}." if parts else ""


def _assigned(src: DraftSources) -> list[str]:
    assigned = [t for t in src.tasks if t.assigned_by]
    out = []
    status = _status_paragraph(src, src.assigned_summary,
                               "nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao")
    if status:
        out.append(status)
    late = sorted((t for t in assigned if t.status is StatusClass.OPEN_OVERDUE),
                  key=lambda t: (t.due_date or date.min, t.id))
    if late:
        out.append(f"Các nhiệm vụ quá hạn chưa hoàn thành: "
                   f"{_join(late, 'nhiệm vụ', _task_overdue_phrase)}.")
    return out


def _assessment(src: DraftSources) -> list[str]:
    late = _overdue(src)
    if not late:
        return []
    by_unit = Counter(t.lead_unit or "chưa giao đơn vị chủ trì" for t in late)
    units = "; ".join(f"{u} ({format_number_vi(c)})" for u, c in by_unit.most_common(LIST_LIMIT))
    return [f"Còn {format_number_vi(len(late))} nhiệm vụ quá hạn chưa hoàn thành, tập trung ở "
            f"các đơn vị: {units}."]


def _next(src: DraftSources) -> list[str]:
    start, end = next_period(src.data.period).window()
    start = max(start, src.data.end + timedelta(days=1))
    coming = sorted((t for t in src.tasks if not is_done(t.status) and t.due_date is not None
                     and start <= t.due_date <= end), key=lambda t: (t.due_date, t.id))
    out = []
    if coming:
        out.append(f"Tập trung thực hiện {format_number_vi(len(coming))} nhiệm vụ đến hạn trong "
                   f"kỳ tới: {_join(coming, 'nhiệm vụ', _task_overdue_phrase)}.")
    late = _overdue(src)
    if late:
        out.append(f"Khẩn trương hoàn thành {format_number_vi(len(late))} nhiệm vụ đã quá hạn.")
    return out


_STAFF_WORDS = ("can bo", "cong chuc", "vien chuc", "hop ", "tap huan", "noi bo", "quan triet")


def _propaganda_audience(src: DraftSources, staff: bool) -> list[str]:
    done = [t for t in _completed(src)
            if any(w in fold(t.content) for w in _STAFF_WORDS) == staff]
    if not done:
        return []
    return [f"Đã hoàn thành {format_number_vi(len(done))} nhiệm vụ: "
            f"{_join(done, 'nhiệm vụ', _task_done_phrase)}."]


def _deploy(src: DraftSources) -> list[str]:
    out = []
    plans = _plans_phrase(src)
    docs = [d for d in src.own_docs if "tuyen truyen" in fold(d.summary)]
    if plans:
        out.append(f"{src.profile.agency_in_text} đã ban hành {plans} và các văn bản triển khai "
                   f"thực hiện công tác cải cách hành chính (có phụ lục kèm theo).")
    if docs:
        out.append(_docs_paragraph(src, docs, appendix=False))
    return out


def draft_texts(src: DraftSources) -> dict[str, str]:
    """The draft of every section of the report (a paragraph per line; "" with no data)."""
    drafts: dict[str, list[str]] = {"intro": _intro(src), "assessment": _assessment(src),
                                    "next": _next(src)}
    if src.kind is ReportKind.PROPAGANDA:
        drafts["deploy"] = _deploy(src)
        drafts["staff"] = _propaganda_audience(src, staff=True)
        drafts["public"] = _propaganda_audience(src, staff=False)
    else:
        drafts["area1"] = _area1(src)
        for code in range(2, 9):
            drafts[f"area{code}"] = _area(src, code)
        drafts["assigned"] = _assigned(src)
        drafts["indexes"] = [s for s in (index_sentence(src.data),) if s]
        drafts["papi"] = [s for s in (index_sentence(src.data, ("PAPI",)),) if s]
        drafts["sipas"] = [s for s in (index_sentence(src.data, ("SIPAS",)),) if s]
    keys = [s.key for s in sections(src.kind)]
    return {k: "\n".join(p for p in drafts.get(k, []) if p) for k in keys}


# ---------------------------------------------------------------------- stored texts


def stored_texts(session: Session, period: ReportPeriod, kind: ReportKind) -> dict[str, str]:
    """The texts the secretariat wrote for this report (sections never written are absent)."""
    return {
        r.section: r.body
        for r in session.scalars(select(ReportNarrative).where(
            ReportNarrative.period_code == narrative_key(period.code, kind)))
        if r.body.strip()
    }


def check_section(kind: ReportKind, section: str) -> None:
    """ValidationError for a section key the report kind does not have."""
    keys = [s.key for s in sections(kind)]
    if section not in keys:
        raise ValidationError(f"Mục báo cáo không hợp lệ: {section} (các mục của loại báo cáo "
                              f"này: {', '.join(keys)})")


def save_text(session: Session, period: ReportPeriod, kind: ReportKind, section: str,
              body: str) -> None:
    """Store the text of one section (NFC, outer blank lines trimmed); blank text goes back
    to the draft. Writing a report is the secretariat's work: only an administrator may."""
    from cchc_desktop.domain.text import nfc
    from cchc_desktop.services.access import current_user, require_admin

    require_admin(current_user(session), "soạn nội dung báo cáo")
    check_section(kind, section)
    code = narrative_key(period.code, kind)
    row = session.scalar(select(ReportNarrative).where(
        ReportNarrative.period_code == code, ReportNarrative.section == section))
    if row is None:
        row = ReportNarrative(period_code=code, section=section)
        session.add(row)
    row.body = nfc(body).strip()
    session.flush()


@dataclass
class ReportTexts:
    """The text each section prints, where each came from, and the warnings before export."""

    texts: dict[str, str]
    drafts: dict[str, str]
    written: set[str]
    empty: list[str]  # section keys that print the neutral sentence

    def text(self, key: str) -> str:
        """The text section ``key`` prints: the written text, else the draft, else neutral."""
        return self.texts.get(key) or NEUTRAL_SENTENCE


def report_texts(session: Session, data: ReportData, kind: ReportKind,
                 profile: AgencyProfile) -> ReportTexts:
    """Every section's text for the report of ``data``: what the secretariat wrote, else the
    draft from the data; the sections left with neither are listed in ``empty``."""
    drafts = draft_texts(draft_sources(session, data, kind, profile))
    written = stored_texts(session, data.period, kind)
    texts: dict[str, str] = {}
    empty = []
    for s in sections(kind):
        text = written.get(s.key, "").strip() or drafts.get(s.key, "").strip()
        if text:
            texts[s.key] = text
        else:
            empty.append(s.key)
    return ReportTexts(texts, drafts, set(written), empty)


def period_drafts(session: Session, period: ReportPeriod, kind: ReportKind,
                  profile: AgencyProfile, start: date | None = None,
                  end: date | None = None) -> ReportTexts:
    """The texts of one report, gathering its data over the window (for the CLI and the tab)."""
    data = gather_report(session, period, start, end, with_tasks=False)
    return report_texts(session, data, kind, profile)
