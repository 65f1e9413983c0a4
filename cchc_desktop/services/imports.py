"""Importing task lists and document lists from Excel: all or nothing.

Every row is read and checked first; only when no row is bad are units, documents and
tasks written, inside the caller's one transaction. Units, documents and the keys of
existing tasks are loaded once into dictionaries, so a 10,000-row sheet costs a handful
of queries, not one per row.

Matching rules:
- a unit name equal to a known unit's name or short name ignoring case and Unicode form
  (NFC/NFD) is that unit; one equal only when diacritics are ignored is a *suggestion*:
  with ``merge_suggestions`` (True, or the set of written names the user confirmed) the row
  uses the known unit, otherwise the unit is created as written; the report lists both;
- a "Văn bản giao" is found by its số ký hiệu (and issuing body when written), else created;
- a row whose folded content, lead unit and document equal an existing task's updates it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.task_rules import TaskDraft, validate_task
from cchc_desktop.domain.text import doc_type_from_symbol, fold, nfc
from cchc_desktop.domain.timing import due_date_from_timing
from cchc_desktop.errors import NotFoundError, ValidationError, check_cancelled
from cchc_desktop.importers.cells import DocumentRef
from cchc_desktop.importers.documents_xlsx import parse_document_sheet
from cchc_desktop.importers.headers import DOCUMENT_COLUMNS, TASK_COLUMNS
from cchc_desktop.importers.sheet import SheetData, read_sheet
from cchc_desktop.importers.tasks_xlsx import ParsedTask, parse_task_sheet
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.import_report import ImportReport, ImportRow, UnitSuggestion
from cchc_desktop.services.units import create_unit, exact_key
from cchc_desktop.store.models import Document, Plan, Task, Unit, task_supporting_units

__all__ = ["ImportReport", "UnitSuggestion", "import_documents", "import_tasks"]

Progress = Callable[[int, str], None]
_CHUNK = 500


def _sheet(source: str | Path | SheetData) -> SheetData:
    """A workbook file read, or a table already read (pasted from Word/Excel)."""
    return source if isinstance(source, SheetData) else read_sheet(source)


def _noop(_percent: int, _text: str) -> None:
    pass


def _sentences(reasons: list[str]) -> str:
    """Several reasons for one row as one line of sentences."""
    return " ".join(r if r.endswith(".") else r + "." for r in reasons)


def _start_report(kind: str, data: SheetData, specs: tuple, header, rows: int) -> ImportReport:  # noqa: ANN001
    labels = {s.key: s.label for s in specs}
    report = ImportReport(
        kind=kind,
        file=data.path.name,
        sheet=data.sheet_name,
        header_row=header.row_number,
        columns=[labels[k] for k in labels if k in header.columns],
        ignored_columns=list(header.ignored),
        rows_read=rows,
    )
    report.conversions = {enc.value: n for enc, n in data.conversions.items()}
    report.conversion_rows = {enc.value: rows for enc, rows in data.converted_rows.items()}
    return report


# --------------------------------------------------------------------------- units


class _Units:
    """Resolves unit names to ids; units new to the database get negative ids until written."""

    def __init__(self, session: Session, merge: bool | Collection[str]) -> None:
        self.exact: dict[str, int] = {}
        self.folded: dict[str, tuple[int, str]] = {}
        rows = session.execute(select(Unit.id, Unit.name, Unit.short_name)).all()
        for unit_id, name, _short in rows:
            self.exact.setdefault(exact_key(name), unit_id)
            self.folded.setdefault(fold(name), (unit_id, name))
        for unit_id, _name, short in rows:  # a full name wins over another unit's short name
            if short:
                self.exact.setdefault(exact_key(short), unit_id)
        self.merge_all = merge is True
        self.merge_names = (
            {exact_key(n) for n in merge} if not isinstance(merge, bool) else set()
        )
        self.new: dict[int, str] = {}
        self.suggestions: dict[str, UnitSuggestion] = {}

    def resolve(self, name: str, row: int) -> int:
        key = exact_key(name)
        if key in self.exact:
            return self.exact[key]
        similar = self.folded.get(fold(name))
        if similar is not None:
            suggestion = self.suggestions.setdefault(key, UnitSuggestion(name, similar[1]))
            suggestion.rows.append(row)
            if self.merge_all or key in self.merge_names:
                suggestion.merged = True
                return similar[0]
        unit_id = -(len(self.new) + 1)
        self.new[unit_id] = name
        self.exact[key] = unit_id
        self.folded.setdefault(fold(name), (unit_id, name))
        return unit_id


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
            self.by_symbol[self.key(symbol)].append((doc_id, issued_on, fold(issuer or "")))
        self.new: dict[int, DocumentRef] = {}

    @staticmethod
    def key(symbol: str) -> str:
        return fold(symbol).replace(" ", "")

    def resolve(self, ref: DocumentRef) -> int:
        candidates = self.by_symbol[self.key(ref.symbol)]
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
        return doc_id


# --------------------------------------------------------------------------- tasks


@dataclass
class _Existing:
    """The stored values an imported row is compared with."""

    id: int
    draft: TaskDraft
    plan_id: int | None


@dataclass
class _Planned:
    row: int
    draft: TaskDraft
    document_id: int | None
    existing: _Existing | None = None
    changed: bool = True
    problems: list[str] = field(default_factory=list)


def _existing_tasks(
    session: Session, plan_id: int | None, keys: set[tuple[str, int, int | None]]
) -> dict[tuple[str, int | None, int | None], list[_Existing]]:
    """Stored tasks whose (content key, lead, document) a row of the sheet has."""
    stmt = select(Task.id, Task.content_key, Task.lead_unit_id, Task.document_id)
    if plan_id is not None:
        stmt = stmt.where(Task.plan_id == plan_id)
    wanted = [
        row[0] for row in session.execute(stmt) if (row[1], row[2], row[3]) in keys
    ]
    found: dict[tuple[str, int | None, int | None], list[_Existing]] = defaultdict(list)
    support: dict[int, list[int]] = defaultdict(list)
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        for task_id, unit_id in session.execute(
            select(task_supporting_units.c.task_id, task_supporting_units.c.unit_id)
            .where(task_supporting_units.c.task_id.in_(chunk))
        ):
            support[task_id].append(unit_id)
        for t in session.scalars(select(Task).where(Task.id.in_(chunk)).order_by(Task.id)):
            draft = TaskDraft(
                content=t.content, lead_unit_id=t.lead_unit_id,
                supporting_unit_ids=sorted(support.get(t.id, [])), output=t.output or "",
                timing_text=t.timing_text or "", due_date=t.due_date, assigned_on=t.assigned_on,
                completed_on=t.completed_on, completion_note=t.completion_note or "",
                note=t.note or "", assigned_by=t.assigned_by or "", area=t.area, year=t.year,
            )
            found[t.content_key, t.lead_unit_id, t.document_id].append(
                _Existing(t.id, draft, t.plan_id)
            )
    return found


def _draft(
    p: ParsedTask, base: TaskDraft | None, lead: int | None, support: list[int] | None,
    year: int, area_known: bool,
) -> TaskDraft:
    """The task a row describes; columns absent from the sheet keep the stored values."""
    old = base or TaskDraft()

    def pick(value, current):  # noqa: ANN001, ANN202
        return current if value is None else value

    draft = TaskDraft(
        content=nfc(p.content),
        lead_unit_id=lead,
        supporting_unit_ids=sorted(support) if support is not None else list(old.supporting_unit_ids),
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
    return draft


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
            draft.due_date = due_date_from_timing(draft.timing_text, draft.year)


def import_tasks(
    session: Session,
    path: str | Path | SheetData,
    *,
    plan_id: int | None = None,
    year: int | None = None,
    dry_run: bool = False,
    merge_suggestions: bool | Collection[str] = False,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Read a task sheet and add or update its tasks, all or nothing.

    Returns the report; when ``report.problems`` is not empty, or with ``dry_run``, nothing
    was written. ``year`` is the year of new tasks outside a plan (default: the year of
    their assignment date, else this year). Raises UserError for a file that cannot be read
    as a task sheet (not a workbook, empty, no "Nội dung" header) or an unknown plan.
    ``cancelled()`` is asked between rows and last of all: when it turns true
    :class:`~cchc_desktop.errors.Cancelled` is raised and the caller's transaction rolls back.
    """
    progress = progress or _noop
    today = today or date.today()
    if not dry_run:  # anyone may preview; only an administrator writes
        require_session_admin(session, "nhập nhiệm vụ từ tệp")
    progress(2, "Đang đọc tệp...")
    data = _sheet(path)
    parsed = parse_task_sheet(data)
    report = _start_report("tasks", data, TASK_COLUMNS, parsed.header, len(parsed.tasks))
    report.group_rows, report.dry_run = parsed.group_rows, dry_run
    plan = None
    if plan_id is not None:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFoundError(f"Không tìm thấy kế hoạch số {plan_id}.")
    progress(30, "Đang đối chiếu đơn vị, văn bản và nhiệm vụ đã có...")
    units = _Units(session, merge_suggestions)
    documents = _Documents(session)
    area_known = parsed.group_rows > 0
    resolved: list[tuple[ParsedTask, int | None, list[int] | None, int | None]] = []
    for p in parsed.tasks:
        check_cancelled(cancelled)
        lead = units.resolve(p.lead, p.row) if p.lead else None
        support = None if p.support is None else [units.resolve(n, p.row) for n in p.support]
        for name in (p.lead, *(p.support or ())):
            if len(name) > 300:
                p.problems.append(f"Tên đơn vị quá dài (tối đa 300 ký tự): '{name[:40]}...'")
        doc_id = documents.resolve(p.document) if p.document else None
        resolved.append((p, lead, support, doc_id))
    keys = {(fold(p.content), lead, doc) for p, lead, _s, doc in resolved if lead and lead > 0}
    existing = _existing_tasks(session, plan_id, keys)
    progress(55, "Đang kiểm tra từng dòng...")
    planned: list[_Planned] = []
    for p, lead, support, doc_id in resolved:
        check_cancelled(cancelled)
        candidates = existing.get((fold(p.content), lead, doc_id), []) if lead else []
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
            report.problems.append((p.row, _sentences(item.problems)))
        planned.append(item)
    report.rows = [_preview_row(p, item)
                   for (p, *_rest), item in zip(resolved, planned, strict=True)]
    report.added = sum(1 for i in planned if i.existing is None)
    report.updated = sum(1 for i in planned if i.existing is not None and i.changed)
    report.unchanged = sum(1 for i in planned if i.existing is not None and not i.changed)
    report.created_units = list(units.new.values())
    report.suggestions = list(units.suggestions.values())
    report.created_documents = [ref.label() for ref in documents.new.values()]
    if report.problems or dry_run:
        return report
    progress(70, "Đang ghi vào cơ sở dữ liệu...")
    report.created_task_ids = _write_tasks(session, planned, units, documents, plan_id,
                                           cancelled)
    check_cancelled(cancelled)  # the last moment before the caller commits
    report.committed = True
    progress(100, "Xong.")
    return report


def _preview_row(p: ParsedTask, item: _Planned) -> ImportRow:
    if item.problems:
        action = "lỗi"
    elif item.existing is None:
        action = "thêm"
    else:
        action = "cập nhật" if item.changed else "không đổi"
    d = item.draft
    return ImportRow(p.row, action, d.content, p.lead or "", "; ".join(p.support or ()),
                     d.timing_text or "", d.due_date, d.area)


def _task_year(p: ParsedTask, plan: Plan | None, year: int | None, base: TaskDraft | None,
               document: DocumentRef | None) -> int:
    if plan is not None:
        return plan.year
    if base is not None and base.year:
        return base.year
    if year is not None:
        return year
    known = p.assigned_on or (document.issued_on if document else None) or p.due
    return known.year if known else date.today().year


def _plan_row(
    p: ParsedTask, existing: _Existing | None, lead: int | None, support: list[int] | None,
    doc_id: int | None, plan: Plan | None, year: int | None, area_known: bool,
    columns: frozenset[str],
) -> _Planned:
    base = existing.draft if existing else None
    task_year = _task_year(p, plan, year, base, p.document)
    draft = _draft(p, base, lead, support, task_year, area_known)
    _fill_dates(draft, p, columns, base is None, p.document)
    item = _Planned(p.row, draft, doc_id, existing)
    if existing is not None:
        item.changed = draft != existing.draft
    return item


def _best_match(
    p: ParsedTask, candidates: list[_Existing], lead: int | None, support: list[int] | None,
    document: DocumentRef | None, plan: Plan | None, year: int | None, area_known: bool,
    columns: frozenset[str],
) -> _Existing | None:
    """Of stored tasks with the same key, one the row leaves unchanged, else the first."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    for candidate in candidates:
        item = _plan_row(p, candidate, lead, support, None, plan, year, area_known, columns)
        if not item.changed:
            return candidate
    return candidates[0]


def _write_tasks(
    session: Session, planned: list[_Planned], units: _Units, documents: _Documents,
    plan_id: int | None, cancelled: Callable[[], bool] | None = None,
) -> list[int]:
    """Write the planned rows; returns the ids of the tasks created."""
    unit_ids: dict[int, int] = {}
    for provisional, name in units.new.items():
        unit_ids[provisional] = create_unit(session, name).id
    doc_ids: dict[int, int] = {}
    for provisional, ref in documents.new.items():
        doc = Document(
            symbol=nfc(ref.symbol), issued_on=ref.issued_on, issuer=nfc(ref.issuer),
            summary="", doc_type=doc_type_from_symbol(ref.symbol) or "",
        )
        session.add(doc)
        session.flush()
        doc_ids[provisional] = doc.id
    by_id = {u.id: u for u in session.scalars(select(Unit))}

    def real(unit_id: int) -> int:
        return unit_ids.get(unit_id, unit_id)

    position = session.scalar(
        select(func.max(Task.position)).where(
            Task.plan_id.is_(None) if plan_id is None else Task.plan_id == plan_id
        )
    ) or 0
    updates = {i.existing.id: i for i in planned if i.existing is not None and i.changed}
    stored = {}
    ids = list(updates)
    for start in range(0, len(ids), _CHUNK):
        for t in session.scalars(select(Task).where(Task.id.in_(ids[start : start + _CHUNK]))):
            stored[t.id] = t
    new_tasks = []
    for item in planned:
        check_cancelled(cancelled)
        if item.existing is not None and not item.changed:
            continue
        if item.existing is None:
            position += 1
            task = Task(
                plan_id=plan_id, year=item.draft.year, position=position,
                document_id=doc_ids.get(item.document_id, item.document_id)
                if item.document_id is not None else None,
            )
            new_tasks.append(task)
        else:
            task = stored[item.existing.id]
        d = item.draft
        task.content, task.content_key = d.content, fold(d.content)
        task.output, task.timing_text, task.due_date = d.output, d.timing_text, d.due_date
        task.assigned_on, task.completed_on = d.assigned_on, d.completed_on
        task.note, task.assigned_by, task.area = d.note, d.assigned_by or None, d.area
        # Checked when the rows were planned; kept here so no row reaches the table half-made.
        if d.lead_unit_id is None:
            raise ValidationError(f"Dòng {item.row}: thiếu cơ quan chủ trì.")
        if d.year is None:
            raise ValidationError(f"Dòng {item.row}: chưa xác định được năm của nhiệm vụ.")
        task.year = d.year
        task.lead_unit_id = real(d.lead_unit_id)
        task.supporting_units = [by_id[real(u)] for u in dict.fromkeys(d.supporting_unit_ids)]
    session.add_all(new_tasks)
    session.flush()
    return [task.id for task in new_tasks]


# --------------------------------------------------------------------------- documents


def _field_differs(doc: Document, name: str, value: object) -> bool:
    if name == "symbol":  # matched on it already; keep the stored spelling
        return False
    if name == "issuer":
        return fold(doc.issuer or "") != fold(str(value))
    return getattr(doc, name) != value


def _document_differs(doc: Document, values: dict) -> bool:
    return any(_field_differs(doc, k, v) for k, v in values.items())


def import_documents(
    session: Session, path: str | Path | SheetData, *, dry_run: bool = False,
    progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Read a document list and add or update its documents, all or nothing.

    The same số ký hiệu from the same issuing body is one document. Returns the report;
    when ``report.problems`` is not empty, or with ``dry_run``, nothing was written.
    ``cancelled()`` is asked as in :func:`import_tasks`.
    """
    progress = progress or _noop
    if not dry_run:
        require_session_admin(session, "nhập văn bản từ tệp")
    progress(2, "Đang đọc tệp...")
    data = _sheet(path)
    parsed = parse_document_sheet(data)
    report = _start_report("documents", data, DOCUMENT_COLUMNS, parsed.header,
                           len(parsed.documents))
    report.dry_run = dry_run
    has_type = "doc_type" in parsed.header.columns
    has_summary = "summary" in parsed.header.columns
    stored: dict[tuple[str, str], Document] = {}
    for doc in session.scalars(select(Document).order_by(Document.id)):
        stored.setdefault((_Documents.key(doc.symbol), fold(doc.issuer or "")), doc)
    seen: dict[tuple[str, str], tuple[int, tuple]] = {}
    changes: list[tuple[Document | None, dict]] = []
    for d in parsed.documents:
        check_cancelled(cancelled)
        if d.problems:
            report.problems.append((d.row, _sentences(d.problems)))
            continue
        key = (_Documents.key(d.symbol), fold(d.issuer))
        values = {"symbol": nfc(d.symbol), "issuer": nfc(d.issuer), "issued_on": d.issued_on}
        if has_summary:
            values["summary"] = nfc(d.summary)
        # A document first met in a task sheet has no issuing body yet: this row completes it.
        current = stored.get(key) or stored.get((key[0], ""))
        if has_type or current is None or not current.doc_type:
            values["doc_type"] = nfc(d.doc_type)
        signature = tuple(sorted(values.items()))
        if key in seen:
            first_row, first_signature = seen[key]
            if first_signature != signature:
                report.problems.append((
                    d.row,
                    f"Văn bản {d.symbol} đã có ở dòng {first_row} với thông tin khác.",
                ))
            continue
        seen[key] = (d.row, signature)
        if current is None:
            report.added += 1
            changes.append((None, values))
        elif _document_differs(current, values):
            report.updated += 1
            changes.append((current, values))
        else:
            report.unchanged += 1
    if report.problems or dry_run:
        return report
    progress(60, "Đang ghi vào cơ sở dữ liệu...")
    for current, values in changes:
        check_cancelled(cancelled)
        if current is None:
            values.setdefault("summary", "")
            values.setdefault("doc_type", "")
            session.add(Document(**values))
        else:
            for k, v in values.items():
                if _field_differs(current, k, v):
                    setattr(current, k, v)
    session.flush()
    check_cancelled(cancelled)  # the last moment before the caller commits
    report.committed = True
    progress(100, "Xong.")
    return report
