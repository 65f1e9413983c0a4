"""The figures of a periodic CCHC report (the texts are :mod:`.report_drafts`').

A report covers the data inside its cut-off window (Nghị định 09/2019/NĐ-CP, Điều 12; see
:mod:`cchc_desktop.domain.periods`), not the calendar period: task status is counted as of
the window's last day, and the directing documents listed in appendix I are those issued
inside the window. The user may override the window for one report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.periods import ReportPeriod
from cchc_desktop.domain.status import empty_summary
from cchc_desktop.errors import ValidationError
from cchc_desktop.services.documents import DocumentInfo
from cchc_desktop.services.task_queries import (
    TaskFilter,
    TaskRow,
    completion_by_unit,
    list_tasks,
    status_case,
)
from cchc_desktop.store.models import (
    Document,
    IndexResult,
    ProcedureStats,
    Task,
)


@dataclass(frozen=True, slots=True)
class UnitCompletion:
    """One lead unit's tasks in the report: total, done by the window's end, open and overdue."""

    unit: str
    total: int
    done: int
    overdue: int

    @property
    def rate(self) -> float:
        """Per cent done (0 when the unit has no task)."""
        return 100.0 * self.done / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class IndexFigure:
    """A published index result: name, year, score, rank out of how many."""

    index_name: str
    year: int
    score: float | None
    rank: int | None
    out_of: int | None


@dataclass(frozen=True, slots=True)
class ProcedureFigures:
    """TTHC figures summed over the records inside the window."""

    procedures_total: int
    procedures_published: int
    procedures_online: int
    received: int
    resolved_on_time: int
    resolved_late: int
    in_progress: int

    @property
    def on_time_rate(self) -> float | None:
        """Per cent of resolved dossiers resolved on time, None when nothing was resolved."""
        resolved = self.resolved_on_time + self.resolved_late
        return 100.0 * self.resolved_on_time / resolved if resolved else None


@dataclass
class ReportData:
    """Everything the report exporter prints, gathered for one period and window."""

    period: ReportPeriod
    start: date
    end: date
    summary: dict[str, int]
    assigned_summary: dict[str, int]  # the tasks a higher level (UBND tỉnh ...) assigned
    by_unit: list[UnitCompletion]
    documents: list[DocumentInfo]
    tasks: list[TaskRow]
    indexes: list[IndexFigure]
    procedures: ProcedureFigures | None

    @property
    def as_of(self) -> date:
        """The date task status is counted on: the window's last day."""
        return self.end

    @property
    def completion_rate(self) -> float | None:
        """Per cent of the report's tasks done by the window's end, None without tasks."""
        total = self.summary["total"]
        if not total:
            return None
        done = sum(self.summary[k] for k in ("done_on_time", "done_late", "done_no_deadline"))
        return 100.0 * done / total


def report_tasks_condition(period: ReportPeriod, end: date):  # noqa: ANN201 - SQL expression
    """Which tasks a report covers: those of the period's year already assigned by ``end``.

    A task without an assignment date counts from the start of its year (plan rows).
    """
    return and_(
        Task.year == period.year,
        or_(Task.assigned_on.is_(None), Task.assigned_on <= end),
    )


def status_counts(session: Session, condition, as_of: date  # noqa: ANN001 - SQL condition
                  ) -> tuple[dict[str, int], dict[str, int]]:
    """The six status classes as of ``as_of`` of the tasks matching ``condition``: all of
    them, and those a higher level (UBND tỉnh ...) assigned; counted by the database."""
    status = status_case(as_of).label("status")
    summary = empty_summary()
    assigned_summary = empty_summary()
    assigned = and_(Task.assigned_by.is_not(None), Task.assigned_by != "").label("assigned")
    for key, is_assigned, count in session.execute(
        select(status, assigned, func.count())
        .select_from(Task)
        .where(condition)
        .group_by(status, assigned)
    ):
        for target in (summary, assigned_summary) if is_assigned else (summary,):
            target[key] += count
            target["total"] += count
    return summary, assigned_summary


def _check_window(start: date, end: date) -> None:
    if start > end:
        raise ValidationError(
            f"Thời gian chốt số liệu không hợp lệ: ngày bắt đầu {start:%d/%m/%Y} "
            f"sau ngày kết thúc {end:%d/%m/%Y}."
        )


def gather_report(
    session: Session,
    period: ReportPeriod,
    start: date | None = None,
    end: date | None = None,
    *,
    with_tasks: bool = True,
) -> ReportData:
    """Collect the report's figures inside the cut-off window (default: the period's own).

    Tasks: those of the period's year assigned by the window's end, with their status as of
    that day. Documents: the directing documents issued inside the window, in date order.
    Index results: every year up to the period's. TTHC figures: the records whose span lies
    inside the window, summed. ``with_tasks=False`` skips the task list of appendix II
    (the counts stay), for a quick preview of a large database.
    """
    default_start, default_end = period.window()
    start, end = start or default_start, end or default_end
    _check_window(start, end)
    in_report = report_tasks_condition(period, end)

    summary, assigned_summary = status_counts(session, in_report, end)

    by_unit = [UnitCompletion(*row) for row in completion_by_unit(session, end, scope=in_report)]

    documents = [
        DocumentInfo(d.id, d.symbol, d.doc_type or "", d.issued_on, d.issuer or "", d.summary or "")
        for d in session.scalars(
            select(Document)
            .where(
                Document.is_directing.is_(True),
                Document.issued_on >= start,
                Document.issued_on <= end,
            )
            .order_by(Document.issued_on, Document.id)
        )
    ]

    # list_tasks gives the rows with units and status; keep those the report covers.
    tasks: list[TaskRow] = []
    if with_tasks:
        wanted = set(session.scalars(select(Task.id).where(in_report)))
        tasks = [
            row
            for row in list_tasks(session, end, TaskFilter(year=period.year), order="plan")
            if row.id in wanted
        ]
        # A report counts by CCHC area (the tasks' attribute), not by each plan's groups.
        tasks.sort(key=lambda row: (row.area is None, row.area or 0))

    indexes = [
        IndexFigure(r.index_name, r.year, r.score, r.rank, r.out_of)
        for r in session.scalars(
            select(IndexResult)
            .where(IndexResult.year <= period.year)
            .order_by(IndexResult.index_name, IndexResult.year)
        )
    ]

    return ReportData(
        period=period,
        start=start,
        end=end,
        summary=summary,
        assigned_summary=assigned_summary,
        by_unit=by_unit,
        documents=documents,
        tasks=tasks,
        indexes=indexes,
        procedures=_procedures(session, start, end),
    )


def _procedures(session: Session, start: date, end: date) -> ProcedureFigures | None:
    rows = list(session.scalars(
        select(ProcedureStats).where(
            ProcedureStats.period_start >= start, ProcedureStats.period_end <= end
        )
    ))
    if not rows:
        return None
    return ProcedureFigures(
        procedures_total=max(r.procedures_total for r in rows),
        procedures_published=max(r.procedures_published for r in rows),
        procedures_online=max(r.procedures_online for r in rows),
        received=sum(r.received for r in rows),
        resolved_on_time=sum(r.resolved_on_time for r in rows),
        resolved_late=sum(r.resolved_late for r in rows),
        in_progress=sum(r.in_progress for r in rows),
    )
