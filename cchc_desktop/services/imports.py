"""Importing task lists from Excel, Word or a pasted table: all or nothing.

Every row is read and checked first; only when no row is bad and every unknown unit name
has been decided are units, documents, groups and tasks written, inside the caller's one
transaction. Units, documents and the keys of existing tasks are loaded once into
dictionaries, so a 10,000-row sheet costs a handful of queries, not one per row.

Faithful to the plan: its groups are kept as written (numbering, title, order) and only
their CCHC area is suggested; timings are kept verbatim and their reading is shown; unit
cells are read as offices write them (several units, shared prefixes, aliases), and a
name the catalogue does not know is never created silently (see :class:`UnknownUnit`).
Every guess is in the report, which the preview shows.

Matching rules:
- a unit name is known when it equals a unit's name, short name or alias ignoring case,
  Unicode form, tone placement, spacing and a final full stop (services/unit_matching.py);
  one equal only when diacritics are ignored is a *suggestion*, merged only when
  ``merge_suggestions`` says so (True, or the set of written names the user confirmed);
- a "Văn bản giao" is found by its số ký hiệu (and issuing body when written), else created;
- a row whose folded content, lead unit and document equal an existing task's updates it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cchc_desktop.domain.task_rules import TaskDraft, validate_task
from cchc_desktop.domain.text import fold, nfc
from cchc_desktop.domain.timing import interpret_timing
from cchc_desktop.errors import NotFoundError, check_cancelled
from cchc_desktop.importers.cells import DocumentRef
from cchc_desktop.importers.headers import TASK_COLUMNS
from cchc_desktop.importers.sheet import SheetData
from cchc_desktop.importers.tasks_xlsx import ParsedTask, parse_task_sheet
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.document_import import import_documents
from cchc_desktop.services.import_common import (
    Progress,
    collector_paused,
    document_key,
    noop,
    sentences,
    sheet,
    start_report,
)
from cchc_desktop.services.import_report import (
    GroupPreview,
    ImportReport,
    ImportRow,
    UnitChoice,
    UnitSuggestion,
    UnknownUnit,
)
from cchc_desktop.services.import_units import ImportUnits, read_units_map, units_of_row
from cchc_desktop.services.import_write import (
    Existing,
    Planned,
    existing_tasks,
    write_groups,
    write_tasks,
)
from cchc_desktop.store.locks import lock_plan_import
from cchc_desktop.store.models import Document, Plan

__all__ = [
    "ImportReport",
    "UnitChoice",
    "UnitSuggestion",
    "UnknownUnit",
    "import_documents",
    "import_tasks",
    "read_units_map",
]



# --------------------------------------------------------------------------- documents


class _Documents:
    """Finds documents by số ký hiệu (and body when the sheet names one); new ones get
    negative ids until written."""

    def __init__(self, session: Session) -> None:
        self.by_symbol: dict[str, list[tuple[int, date | None, str]]] = defaultdict(list)
        for doc_id, symbol, issued_on, issuer in session.execute(
            select(Document.id, Document.symbol, Document.issued_on, Document.issuer)
            .order_by(Document.id)
        ):
            self.by_symbol[document_key(symbol)].append((doc_id, issued_on, fold(issuer or "")))
        self.new: dict[int, DocumentRef] = {}
        self.resolved: dict[DocumentRef, int] = {}  # a plan cites a few documents on every row

    def resolve(self, ref: DocumentRef) -> int:
        """The id of the document ``ref`` cites; a negative id for one to create."""
        found = self.resolved.get(ref)
        if found is None:
            found = self.resolved[ref] = self._resolve(ref)
        return found

    def _resolve(self, ref: DocumentRef) -> int:
        candidates = self.by_symbol[document_key(ref.symbol)]
        body = fold(ref.issuer)
        if body:
            picked = [c for c in candidates if c[2] == body]
        else:
            picked = [c for c in candidates if c[1] == ref.issued_on] or candidates
        if picked:
            return picked[0][0]
        doc_id = -(len(self.new) + 1)
        self.new[doc_id] = ref
        candidates.append((doc_id, ref.issued_on, body))
        self.resolved.clear()  # a new candidate may answer another reference differently
        return doc_id


# --------------------------------------------------------------------------- tasks


def _draft(
    p: ParsedTask, base: TaskDraft | None, lead: int | None, support: list[int] | None,
    year: int, area_known: bool,
) -> TaskDraft:
    """The task a row describes; columns absent from the sheet keep the stored values."""
    old = base or TaskDraft()

    def pick(value, current):  # noqa: ANN001, ANN202
        return current if value is None else value

    return TaskDraft(
        content=nfc(p.content),
        lead_unit_id=lead,
        supporting_unit_ids=list(support) if support is not None else list(old.supporting_unit_ids),
        output=pick(p.output, old.output),
        timing_text=pick(p.timing, old.timing_text),
        due_date=old.due_date,
        assigned_on=old.assigned_on,
        completed_on=old.completed_on,
        completion_note=old.completion_note,
        note=pick(p.note, old.note),
        assigned_by=pick(p.assigned_by, old.assigned_by),
        area=p.area if area_known or base is None else old.area,
        year=year,
    )


def _fill_dates(
    draft: TaskDraft, p: ParsedTask, columns: frozenset[str], is_new: bool,
    document: DocumentRef | None,
) -> None:
    if "completed" in columns or is_new:
        draft.completed_on = p.completed
    if "assigned_on" in columns or is_new:
        draft.assigned_on = p.assigned_on or (document.issued_on if document else None)
    if "due" in columns or "timing" in columns or is_new:
        draft.due_date = p.due
        if draft.due_date is None and draft.timing_text and draft.year:
            draft.due_date = interpret_timing(draft.timing_text, draft.year).due_date


def import_tasks(
    session: Session,
    path: str | Path | SheetData,
    *,
    plan_id: int | None = None,
    year: int | None = None,
    dry_run: bool = False,
    merge_suggestions: bool | Collection[str] = False,
    create_units: bool = False,
    unit_choices: Mapping[str, UnitChoice] | None = None,
    group_areas: Mapping[int, int | None] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Read a task table (workbook, Word document or pasted) and add or update its tasks,
    all or nothing.

    Returns the report; when ``report.ok`` is False (bad rows, or unit names nobody decided
    about: ``create_units`` creates them all, ``unit_choices`` maps written names to
    decisions), or with ``dry_run``, nothing was written. ``group_areas`` (group row number
    → area, None = no area) overrides the areas suggested from group titles. ``year`` is the
    year of new tasks outside a plan (default: the year of their assignment date, else this
    year). Raises UserError for a file that cannot be read as a task table (not a workbook,
    empty, no "Nội dung" header) or an unknown plan.
    ``cancelled()`` is asked between rows and last of all: when it turns true
    :class:`~cchc_desktop.errors.Cancelled` is raised and the caller's transaction rolls back.
    """
    with collector_paused():
        return _import_tasks(
            session, path, plan_id=plan_id, year=year, dry_run=dry_run,
            merge_suggestions=merge_suggestions, create_units=create_units,
            unit_choices=unit_choices, group_areas=group_areas, today=today,
            progress=progress, cancelled=cancelled)


def _import_tasks(
    session: Session, path: str | Path | SheetData, *, plan_id: int | None, year: int | None,
    dry_run: bool, merge_suggestions: bool | Collection[str], create_units: bool,
    unit_choices: Mapping[str, UnitChoice] | None, group_areas: Mapping[int, int | None] | None,
    today: date | None, progress: Progress | None, cancelled: Callable[[], bool] | None,
) -> ImportReport:
    progress = progress or noop
    today = today or date.today()
    if not dry_run:  # anyone may preview; only an administrator writes
        require_session_admin(session, "nhập nhiệm vụ từ tệp")
    progress(2, "Đang đọc tệp...")
    data = sheet(path)
    parsed = parse_task_sheet(data)
    report = start_report("tasks", data, TASK_COLUMNS, parsed.header, len(parsed.tasks))
    report.group_rows, report.dry_run = parsed.group_rows, dry_run
    if not dry_run:
        # Before reading what exists: an import of the same sheet running at this moment
        # on another PC commits first, and this one then finds its rows ("không đổi").
        lock_plan_import(session, plan_id)
    plan = None
    if plan_id is not None:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFoundError(f"Không tìm thấy kế hoạch số {plan_id}.")
    chosen = dict(group_areas or {})
    for g in parsed.groups:
        area = chosen.get(g.row, g.area) if g.row in chosen else g.area
        report.groups.append(GroupPreview(g.row, g.number, g.title, area, g.row in chosen))
    for p in parsed.tasks:
        if p.group is not None:
            if not p.area_written:
                p.area = report.groups[p.group].area
            report.groups[p.group].tasks += 1
    progress(30, "Đang đối chiếu đơn vị, văn bản và nhiệm vụ đã có...")
    units = ImportUnits(session, merge_suggestions, create_units, unit_choices or {})
    documents = _Documents(session)
    area_known = parsed.group_rows > 0 or "area" in parsed.columns
    resolved: list[tuple[ParsedTask, int | None, list[int] | None, int | None]] = []
    for p in parsed.tasks:
        check_cancelled(cancelled)
        lead, support = units_of_row(p, units, report.warnings)
        for name in (*units.cells.get(p.lead_text, ()),
                     *units.cells.get(p.support_text or "", ())):
            if len(name) > 300:
                p.problems.append(f"Tên đơn vị quá dài (tối đa 300 ký tự): '{name[:40]}...'")
        doc_id = documents.resolve(p.document) if p.document else None
        resolved.append((p, lead, support, doc_id))
    content_keys = [fold(p.content) for p, *_rest in resolved]
    keys = {(key, lead, doc) for key, (_p, lead, _s, doc) in zip(content_keys, resolved, strict=True)
            if lead and lead > 0}
    existing = existing_tasks(session, plan_id, keys)
    progress(55, "Đang kiểm tra từng dòng...")
    planned: list[Planned] = []
    for key, (p, lead, support, doc_id) in zip(content_keys, resolved, strict=True):
        check_cancelled(cancelled)
        candidates = existing.get((key, lead, doc_id), []) if lead else []
        best = _best_match(p, candidates, lead, support, p.document, plan, year, area_known,
                           parsed.columns)
        if best is not None:
            candidates.remove(best)
        item = _plan_row(p, best, lead, support, doc_id, plan, year, area_known, parsed.columns)
        reasons = validate_task(item.draft, today=today)
        if p.problems and any("chủ trì" in r for r in p.problems):
            reasons.pop("lead_unit_id", None)
        if not p.content:
            reasons.pop("content", None)
        item.problems = p.problems + [r for r in reasons.values() if r not in p.problems]
        if item.problems:
            report.problems.append((p.row, sentences(item.problems)))
        planned.append(item)
    names = {k.id: k.name for k in units.matcher.units}
    report.rows = [_preview_row(p, item, report, units, names)
                   for (p, *_rest), item in zip(resolved, planned, strict=True)]
    report.added = sum(1 for i in planned if i.existing is None)
    report.updated = sum(1 for i in planned if i.existing is not None and i.changed)
    report.unchanged = sum(1 for i in planned if i.existing is not None and not i.changed)
    report.created_units = list(units.new.values())
    report.suggestions = list(units.suggestions.values())
    report.unknown_units = list(units.unknown.values())
    report.created_documents = [ref.label() for ref in documents.new.values()]
    if not report.ok or dry_run:
        return report
    progress(70, "Đang ghi vào cơ sở dữ liệu...")
    group_ids = write_groups(session, plan, report.groups)
    report.created_task_ids = write_tasks(session, planned, units, documents.new, plan_id,
                                          group_ids, cancelled)
    check_cancelled(cancelled)  # the last moment before the caller commits
    report.committed = True
    progress(100, "Xong.")
    return report


def _unit_names(ids: list[int] | None, units: ImportUnits, session_names: dict[int, str]) -> str:
    return "; ".join(units.new.get(i) or session_names.get(i, "") for i in ids or [])


def _preview_row(p: ParsedTask, item: Planned, report: ImportReport,
                 units: ImportUnits, names: dict[int, str]) -> ImportRow:
    if item.problems:
        action = "lỗi"
    elif item.existing is None:
        action = "thêm"
    else:
        action = "cập nhật" if item.changed else "không đổi"
    d = item.draft
    timing = interpret_timing(d.timing_text, d.year or today_year())
    return ImportRow(
        p.row, action, d.content, p.lead or "", "; ".join(p.support or ()),
        d.timing_text or "", d.due_date, d.area,
        group=report.groups[p.group].label() if p.group is not None else "",
        timing_reading=timing.describe() if d.timing_text else "",
        timing_understood=timing.understood,
        lead_units=_unit_names([d.lead_unit_id] if d.lead_unit_id else [], units, names),
        support_units=_unit_names(d.supporting_unit_ids, units, names),
    )


def today_year() -> int:
    """This year (the year a task outside any plan defaults to)."""
    return date.today().year


def _task_year(p: ParsedTask, plan: Plan | None, year: int | None, base: TaskDraft | None,
               document: DocumentRef | None) -> int:
    if plan is not None:
        return plan.year
    if base is not None and base.year:
        return base.year
    if year is not None:
        return year
    known = p.assigned_on or (document.issued_on if document else None) or p.due
    return known.year if known else today_year()


def _plan_row(
    p: ParsedTask, existing: Existing | None, lead: int | None, support: list[int] | None,
    doc_id: int | None, plan: Plan | None, year: int | None, area_known: bool,
    columns: frozenset[str],
) -> Planned:
    base = existing.draft if existing else None
    task_year = _task_year(p, plan, year, base, p.document)
    draft = _draft(p, base, lead, support, task_year, area_known)
    _fill_dates(draft, p, columns, base is None, p.document)
    item = Planned(p.row, draft, doc_id, existing, group=p.group)
    if existing is not None:
        item.changed = draft != existing.draft
    return item


def _best_match(
    p: ParsedTask, candidates: list[Existing], lead: int | None, support: list[int] | None,
    document: DocumentRef | None, plan: Plan | None, year: int | None, area_known: bool,
    columns: frozenset[str],
) -> Existing | None:
    """Of stored tasks with the same key, one the row leaves unchanged, else the first."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    for candidate in candidates:
        item = _plan_row(p, candidate, lead, support, None, plan, year, area_known, columns)
        if not item.changed:
            return candidate
    return candidates[0]
