"""Units report back without a server: per-unit progress workbooks out, returned ones merged in.

Out (:func:`collect_unit_sheets`, written by exporters/unit_sheets_xlsx.py): for each lead unit
with open tasks as of a date, the rows of its workbook. Each row carries a hidden key
(:func:`row_key`): the database's identity, the unit, the task id and version at export, a short
hash of each locked cell as written, and an HMAC signature made with a secret kept in the
database, so a returned row is matched to its task, a locked cell that was edited is named, and
a key that was altered is refused. The sheet's header carries a signed token naming the
database, the unit and the date (:func:`sheet_token`).

In (:func:`preview_unit_sheet`, then :func:`apply_unit_sheets`): only the fill-in columns are
merged (completion date, result, progress %, difficulties/notes, extension request). A row is
"change", "unchanged", "conflict" (the task changed in the application since the export and the
row would overwrite a different value) or refused ("problem"). A file from another database,
or with any refused row, is not merged at all (all or nothing per file). Progress goes into the
task's history with the unit as source; an extension request goes to the queue
(services/extensions.py). Every change goes through the task services, so roles, validation
and the audit log apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from cchc_desktop.domain.status import STATUS_LABELS, classify_status
from cchc_desktop.domain.task_rules import TaskDraft, validate_task
from cchc_desktop.domain.text import format_date_vn, nfc, parse_date_vn
from cchc_desktop.errors import ConflictError, UserError, ValidationError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.services.extensions import extension_problem, request_extension
from cchc_desktop.services.tasks import add_progress, draft_from_task, get_task, update_task
from cchc_desktop.services.unit_sheet_keys import (
    CHECKED,
    COLUMNS,
    INFO_KEY,
    LABELS,
    TOKEN_PREFIX,
    SheetColumn,
    SheetIdentity,
    cell_text,
    database_identity,
    parse_key,
    parse_token,
    row_key,
    sheet_token,
    short_hash,
)
from cchc_desktop.store.models import (
    ExtensionRequest,
    ProgressUpdate,
    Task,
    Unit,
)

__all__ = [  # the key and column names are re-exported for the exporter, importer and tests
    "COLUMNS", "INFO_KEY", "FilePreview", "MergeReceipt", "RowPreview", "SheetColumn",
    "SheetIdentity", "SheetRow", "UnitSheet", "apply_unit_sheets", "collect_unit_sheets",
    "database_identity", "preview_unit_sheet", "revert_unit_import",
]

MAX_TEXT = 4000

# --------------------------------------------------------------------------- out


@dataclass(frozen=True)
class SheetRow:
    """One task row of a unit's workbook; ``key`` is :data:`INFO_KEY` for a read-only
    (supporting) row."""

    task_id: int
    locked: dict[str, object]
    fill: dict[str, object]
    key: str


@dataclass
class UnitSheet:
    """What one unit's workbook holds."""

    unit_id: int
    unit_name: str
    as_of: date
    token: str
    rows: list[SheetRow] = field(default_factory=list)
    supporting_rows: list[SheetRow] = field(default_factory=list)


def _open_tasks(session: Session, as_of: date) -> list[Task]:
    stmt = (
        select(Task)
        .where(Task.lead_unit_id.is_not(None),
               or_(Task.completed_on.is_(None), Task.completed_on > as_of))
        .options(selectinload(Task.supporting_units), selectinload(Task.document),
                 selectinload(Task.lead_unit))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
    )
    return list(session.scalars(stmt))


def _latest_progress(session: Session, task_ids: Sequence[int]) -> dict[int, ProgressUpdate]:
    latest: dict[int, ProgressUpdate] = {}
    for start in range(0, len(task_ids), 500):
        for update in session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.task_id.in_(task_ids[start:start + 500]))
            .order_by(ProgressUpdate.on_date, ProgressUpdate.id)
        ):
            latest[update.task_id] = update
    return latest


def _locked_values(task: Task, as_of: date) -> dict[str, object]:
    doc = task.document
    document = ""
    if doc is not None:
        document = doc.symbol + (f" ngày {format_date_vn(doc.issued_on)}" if doc.issued_on else "")
        document += f" của {doc.issuer}" if doc.issuer else ""
    return {
        "content": nfc(task.content),
        "document": document or (task.assigned_by or ""),
        "due_date": task.due_date,
        "lead_unit": task.lead_unit.name if task.lead_unit else "",
        "supporting": "; ".join(u.name for u in task.supporting_units),
        "status": STATUS_LABELS[classify_status(task.due_date, task.completed_on, as_of)],
    }


def collect_unit_sheets(
    session: Session, as_of: date, *, unit_id: int | None = None,
    include_supporting: bool = False,
) -> list[UnitSheet]:
    """The workbooks to send: one per lead unit with tasks open as of ``as_of``.

    ``unit_id`` keeps one unit; ``include_supporting`` adds, read-only, the open tasks each
    unit supports (and makes a workbook for a unit that only supports). Units in their order.
    """
    identity = database_identity(session)
    tasks = _open_tasks(session, as_of)
    progress = _latest_progress(session, [t.id for t in tasks])
    units = list(session.scalars(select(Unit).order_by(Unit.position, Unit.name)))
    sheets: dict[int, UnitSheet] = {}

    def sheet_of(unit: Unit) -> UnitSheet:
        if unit.id not in sheets:
            sheets[unit.id] = UnitSheet(unit.id, unit.name, as_of,
                                        sheet_token(identity, unit.id, as_of))
        return sheets[unit.id]

    by_id = {u.id: u for u in units}
    for task in tasks:
        locked = _locked_values(task, as_of)
        latest = progress.get(task.id)
        fill: dict[str, object] = {
            "completed_on": task.completed_on, "result": task.completion_note or "",
            "percent": latest.percent if latest else None,
        }
        lead_id = task.lead_unit_id
        assert lead_id is not None
        if unit_id is None or lead_id == unit_id:
            key = row_key(identity, lead_id, task.id, task.version, locked)
            sheet_of(by_id[lead_id]).rows.append(SheetRow(task.id, locked, fill, key))
        if include_supporting:
            for unit in task.supporting_units:
                if unit_id is None or unit.id == unit_id:
                    sheet_of(unit).supporting_rows.append(
                        SheetRow(task.id, locked, fill, INFO_KEY))
    order = {u.id: i for i, u in enumerate(units)}
    return sorted(sheets.values(), key=lambda s: order[s.unit_id])


# --------------------------------------------------------------------------- in


@dataclass(frozen=True)
class FieldChange:
    """A task field a row changes: its label, the application's value and the unit's."""

    name: str
    label: str
    current: object
    returned: object


@dataclass
class RowPreview:
    """What one returned row would do. ``kind``: change, unchanged, conflict or problem."""

    row: int
    kind: str
    task_id: int | None = None
    content: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    progress: tuple[int | None, str] | None = None
    extension: tuple[date, str] | None = None
    problem: str = ""
    version_seen: int | None = None


@dataclass
class FilePreview:
    """One returned workbook: its rows, the locked-cell edits ignored, and why it is refused.

    ``refused`` is a file-level reason (another database, not a unit sheet...); rows of kind
    "problem" refuse the file as well. ``source`` is the unit's name.
    """

    path: Path
    unit_id: int | None = None
    source: str = ""
    as_of: date | None = None
    refused: str = ""
    rows: list[RowPreview] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[RowPreview]:
        """The rows of one kind."""
        return [r for r in self.rows if r.kind == kind]

    @property
    def problems(self) -> list[str]:
        """Every reason the file cannot be merged, "dòng N: ..." for rows."""
        found = [self.refused] if self.refused else []
        return found + [f"dòng {r.row}: {r.problem}" for r in self.of_kind("problem")]

    @property
    def mergeable(self) -> bool:
        """True when nothing refuses the file."""
        return not self.problems

    def summary(self) -> str:
        """One line: file, unit and counts."""
        name = self.path.name
        if self.refused:
            return f"{name}: không nhận — {self.refused}"
        counts = (f"{len(self.of_kind('change'))} dòng thay đổi, "
                  f"{len(self.of_kind('unchanged'))} dòng không đổi, "
                  f"{len(self.of_kind('conflict'))} xung đột, "
                  f"{len(self.of_kind('problem'))} dòng lỗi")
        refused = ": không nhận cả tệp — sửa các dòng lỗi rồi nhận lại" if self.problems else ""
        return f"{name} ({self.source}): {counts}{refused}"


def _date_cell(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date_vn(value)  # ValueError with a Vietnamese message
    raise ValueError(f"Ngày không hợp lệ: “{cell_text(value)}” (cần dạng dd/mm/yyyy)")


def _percent_cell(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("Tiến độ phải là số từ 0 đến 100")
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"Tiến độ không phải số: “{value}”") from None
    elif isinstance(value, (int, float)):
        number = float(value)
        if 0 < number < 1:  # a cell formatted as a percentage stores 0.45 for 45%
            number *= 100
    else:
        raise ValueError("Tiến độ phải là số từ 0 đến 100")
    if not 0 <= number <= 100:
        raise ValueError(f"Tiến độ phải từ 0 đến 100, không phải {cell_text(value)}")
    return round(number)


def _text_cell(value: object) -> str:
    text = cell_text(value) if not isinstance(value, str) else nfc(value).strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"Nội dung quá dài (tối đa {MAX_TEXT} ký tự)")
    return text


def preview_unit_sheet(session: Session, path: str | Path, *, today: date | None = None
                       ) -> FilePreview:
    """Read a returned workbook and say what merging it would do; writes nothing.

    A file that cannot be read as a unit sheet comes back with ``refused`` set (never an
    exception for bad content); :class:`UserError` only for what the reader itself refuses
    is turned into ``refused`` as well.
    """
    from cchc_desktop.importers.unit_sheets_xlsx import read_unit_sheet

    today = today or date.today()
    path = Path(path)
    preview = FilePreview(path)
    try:
        returned = read_unit_sheet(path, [c.header for c in COLUMNS], TOKEN_PREFIX)
    except UserError as exc:
        preview.refused = exc.message
        return preview
    identity = database_identity(session)
    token = parse_token(identity, returned.token)
    if isinstance(token, str):
        preview.refused = token
        return preview
    unit = session.get(Unit, token[0])
    if unit is None:
        preview.refused = "đơn vị của phiếu không còn trong danh mục: không nhận"
        return preview
    preview.unit_id, preview.source = unit.id, unit.name
    preview.as_of = token[1]
    index = {c.key: i for i, c in enumerate(COLUMNS)}
    key_at = index["key"]
    wanted: list[int] = []
    for _n, values in returned.rows:
        text = values[key_at] if key_at < len(values) else None
        bits = text.split(":") if isinstance(text, str) else []
        if len(bits) == 7 and bits[3].isdigit():
            wanted.append(int(bits[3]))
    known = _Known.load(session, wanted)
    for number, values in returned.rows:
        cells: dict[str, object] = {
            c.key: (values[index[c.key]] if index[c.key] < len(values) else None)
            for c in COLUMNS}
        row = _preview_row(session, identity, preview, number, cells,
                           {COLUMNS[i].key for i in returned.formulas.get(number, set())}, today,
                           known)
        if row is not None:
            preview.rows.append(row)
    return preview


@dataclass
class _Known:
    """What the rows of one file need from the database, read in a few queries."""

    tasks: dict[int, Task]
    latest: dict[int, ProgressUpdate]
    asked: set[tuple[int, date]]

    @classmethod
    def load(cls, session: Session, task_ids: list[int]) -> _Known:
        ids = sorted(set(task_ids))
        tasks: dict[int, Task] = {}
        asked: set[tuple[int, date]] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            tasks.update((t.id, t) for t in session.scalars(
                select(Task).where(Task.id.in_(chunk))
                .options(selectinload(Task.supporting_units))))
            asked.update((task_id, due) for task_id, due in session.execute(
                select(ExtensionRequest.task_id, ExtensionRequest.requested_due)
                .where(ExtensionRequest.task_id.in_(chunk))))
        return cls(tasks, _latest_progress(session, ids), asked)


def _preview_row(session: Session, identity: SheetIdentity, preview: FilePreview, number: int,
                 cells: dict[str, object], formulas: set[str], today: date, known: _Known
                 ) -> RowPreview | None:
    fill_keys = [c.key for c in COLUMNS if not c.locked]
    key_text = cells["key"]
    if key_text in (None, ""):
        if any(cells[k] not in (None, "") for k in fill_keys) or formulas & set(fill_keys):
            return RowPreview(number, "problem", problem="dòng không có khóa ẩn (thêm tay hoặc "
                              "dòng chỉ để biết): không nhận")
        return None
    if key_text == INFO_KEY:
        return None
    key = parse_key(identity, str(key_text))
    if isinstance(key, str):
        return RowPreview(number, "problem", problem=key)
    if key.unit_id != preview.unit_id:
        return RowPreview(number, "problem", task_id=key.task_id,
                          problem="dòng của đơn vị khác (chép từ phiếu khác): không nhận")
    task = known.tasks.get(key.task_id)
    if task is None:
        return RowPreview(number, "problem", task_id=key.task_id,
                          problem="nhiệm vụ không còn trong ứng dụng (đã bị xóa): không nhận")
    row = RowPreview(number, "unchanged", task_id=task.id, content=task.content,
                     version_seen=task.version)
    if task.lead_unit_id != preview.unit_id:
        row.kind, row.problem = "problem", (
            "nhiệm vụ nay do đơn vị khác chủ trì: đơn vị không được cập nhật nhiệm vụ của đơn "
            "vị khác, không nhận")
        return row
    if formulas:
        names = ", ".join(LABELS[k] for k in fill_keys if k in formulas)
        if names:
            row.kind, row.problem = "problem", f"ô chứa công thức ({names}): hãy nhập giá trị"
            return row
    for name, expected in zip(CHECKED, key.hashes, strict=False):
        if short_hash(cells[name]) != expected:
            preview.ignored.append(f"dòng {number}: đơn vị sửa cột “{LABELS[name]}”: "
                                   "không áp dụng")
    try:
        completed = _date_cell(cells["completed_on"])
        result = _text_cell(cells["result"])
        percent = _percent_cell(cells["percent"])
        note = _text_cell(cells["note"])
        extension_to = _date_cell(cells["extension_to"])
        extension_reason = _text_cell(cells["extension_reason"])
    except ValueError as exc:
        row.kind, row.problem = "problem", str(exc)
        return row
    if completed is not None and completed != task.completed_on:
        draft = draft_from_task(task)
        draft.completed_on = completed
        reason = validate_task(draft, today=today).get("completed_on")
        if reason:
            row.kind, row.problem = "problem", f"{LABELS['completed_on']}: {reason}"
            return row
        row.changes.append(FieldChange("completed_on", LABELS["completed_on"],
                                       task.completed_on, completed))
    if result and result != (task.completion_note or ""):
        row.changes.append(FieldChange("completion_note", LABELS["result"],
                                       task.completion_note or "", result))
    latest = known.latest.get(task.id)
    if (percent is not None and percent != (latest.percent if latest else None)) or (
            note and note != (latest.note if latest else "")):
        row.progress = (percent, note)
    if extension_to is not None:
        asked = (task.id, extension_to) in known.asked
        if not asked:
            problem = extension_problem(task.due_date, completed or task.completed_on,
                                        extension_to, extension_reason)
            if problem:
                row.kind, row.problem = "problem", f"{LABELS['extension_to']}: {problem}"
                return row
            row.extension = (extension_to, extension_reason)
    elif extension_reason:
        row.kind, row.problem = "problem", "có lý do gia hạn nhưng không ghi ngày đề nghị gia hạn"
        return row
    if row.changes and task.version != key.version:
        row.kind = "conflict"
    elif row.changes or row.progress or row.extension:
        row.kind = "change"
    return row


# --------------------------------------------------------------------------- applying


@dataclass
class MergeReceipt:
    """What :func:`apply_unit_sheets` wrote, enough for :func:`revert_unit_import`."""

    completions: list[tuple[int, dict[str, object], dict[str, object]]] = field(
        default_factory=list)
    progress_ids: list[int] = field(default_factory=list)
    request_ids: list[int] = field(default_factory=list)
    rows: int = 0
    skipped_conflicts: int = 0
    # Filled by an undo, so that a redo can put the same notes and requests back.
    removed_progress: list[dict[str, object]] = field(default_factory=list)
    removed_requests: list[dict[str, object]] = field(default_factory=list)

    def summary(self) -> str:
        """One Vietnamese line for a status bar or the CLI."""
        text = (f"Đã cập nhật {self.rows} dòng: {len(self.completions)} nhiệm vụ đổi ngày hoàn "
                f"thành/kết quả, {len(self.progress_ids)} lần cập nhật tiến độ, "
                f"{len(self.request_ids)} đề nghị gia hạn")
        if self.skipped_conflicts:
            text += f"; bỏ qua {self.skipped_conflicts} dòng xung đột"
        return text + "."


def apply_unit_sheets(
    session: Session, previews: Iterable[FilePreview], *, take_conflicts: set[tuple[str, int]]
    | None = None, skip_conflicts: bool = False, today: date | None = None,
) -> MergeReceipt:
    """Merge previewed files in the caller's transaction (all or nothing).

    Refused files raise :class:`ValidationError`. A conflict row is merged only when its
    (file path, row) is in ``take_conflicts`` (the unit's value chosen), skipped when
    ``skip_conflicts`` is set, and otherwise makes the whole merge fail. A task changed again
    since the preview raises :class:`ConflictError`. Administrators only.
    """
    require_session_admin(session, "nhập phiếu cập nhật của đơn vị")
    today = today or date.today()
    chosen = take_conflicts or set()
    receipt = MergeReceipt()
    previews = list(previews)
    refused = [p for p in previews if not p.mergeable]
    if refused:
        raise ValidationError(
            f"{len(refused)} tệp không nhận được; chưa ghi gì.",
            [f"{p.path.name}: {line}" for p in refused for line in p.problems],
        )
    open_conflicts = [
        (p, r) for p in previews for r in p.of_kind("conflict")
        if (str(p.path), r.row) not in chosen and not skip_conflicts
    ]
    if open_conflicts:
        raise ConflictError(
            f"{len(open_conflicts)} dòng xung đột (nhiệm vụ đã được sửa sau khi gửi phiếu); "
            "chưa ghi gì: " + "; ".join(f"{p.path.name} dòng {r.row}" for p, r in
                                         open_conflicts[:5]))
    todo: list[tuple[FilePreview, RowPreview]] = []
    for preview in previews:
        for row in preview.rows:
            if row.kind == "conflict" and (str(preview.path), row.row) not in chosen:
                receipt.skipped_conflicts += 1
            elif row.kind in ("change", "conflict"):
                todo.append((preview, row))
    seen: dict[int | None, str] = {}
    for preview, row in todo:
        where = f"{preview.path.name} dòng {row.row}"
        if row.task_id in seen:
            raise ValidationError(
                f"Nhiệm vụ số {row.task_id} có trong hai dòng ({seen[row.task_id]}; {where}): "
                "hãy bỏ bớt một tệp (phiếu gửi hai lần?); chưa ghi gì.")
        seen[row.task_id] = where
    for preview, row in todo:
        _apply_row(session, preview, row, receipt, today)
        receipt.rows += 1
    session.flush()
    return receipt


def _apply_row(session: Session, preview: FilePreview, row: RowPreview,
               receipt: MergeReceipt, today: date) -> None:
    assert row.task_id is not None
    task = get_task(session, row.task_id)
    if task.version != row.version_seen:
        raise ConflictError(
            f"Nhiệm vụ “{' '.join(task.content.split())[:60]}” vừa được sửa sau khi xem trước "
            "phiếu: hãy xem trước lại.")
    if row.changes:
        before = draft_from_task(task)
        after = TaskDraft(**asdict(before))
        for change in row.changes:
            setattr(after, change.name, change.returned)
        update_task(session, task.id, after, expected_version=row.version_seen)
        receipt.completions.append((task.id, _completion(before), _completion(after)))
    if row.progress is not None:
        percent, note = row.progress
        text = note or f"Đơn vị báo cáo tiến độ {percent}%."
        update = add_progress(session, task.id, today, text, percent, source=preview.source)
        receipt.progress_ids.append(update.id)
    if row.extension is not None:
        wanted, reason = row.extension
        request = request_extension(session, task.id, wanted, reason, source=preview.source,
                                    requested_on=today)
        receipt.request_ids.append(request.id)


def _completion(draft: TaskDraft) -> dict[str, object]:
    return {"completed_on": draft.completed_on, "completion_note": draft.completion_note}


def revert_unit_import(session: Session, receipt: MergeReceipt, *, undo: bool = True) -> None:
    """Undo a merge: its progress notes and pending requests go, completion values go back.

    With ``undo=False`` (redo) the completion values are set again; progress notes and
    requests are then created again and ``receipt`` takes their new ids. A task whose values
    were changed since raises :class:`ConflictError` and nothing is changed.
    """
    require_session_admin(session, "hoàn tác nhập phiếu cập nhật")
    for task_id, before, after in receipt.completions:
        source, target = (after, before) if undo else (before, after)
        task = get_task(session, task_id)
        current = draft_from_task(task)
        if _completion(current) != source:
            raise ConflictError(
                f"Nhiệm vụ “{' '.join(task.content.split())[:60]}” đã được sửa sau khi nhập "
                "phiếu: không hoàn tác được.")
        update_task(session, task_id, TaskDraft(**{**asdict(current), **target}))
    if undo:
        _remove_created(session, receipt)
    else:
        _recreate(session, receipt)
    session.flush()


def _remove_created(session: Session, receipt: MergeReceipt) -> None:
    receipt.removed_progress, receipt.removed_requests = [], []
    for update in session.scalars(select(ProgressUpdate).where(
            ProgressUpdate.id.in_(receipt.progress_ids))):
        receipt.removed_progress.append({c: getattr(update, c) for c in (
            "task_id", "on_date", "note", "percent", "source")})
        session.delete(update)
    for request in session.scalars(select(ExtensionRequest).where(
            ExtensionRequest.id.in_(receipt.request_ids))):
        if request.status != "pending":
            raise ConflictError("Một đề nghị gia hạn của phiếu đã được quyết định: không hoàn "
                                "tác được.")
        receipt.removed_requests.append({c: getattr(request, c) for c in (
            "task_id", "requested_due", "old_due_date", "reason", "source", "requested_on")})
        session.delete(request)


def _recreate(session: Session, receipt: MergeReceipt) -> None:
    progress = [ProgressUpdate(**values) for values in receipt.removed_progress]
    requests = [ExtensionRequest(status="pending", **values) for values in receipt.removed_requests]
    session.add_all([*progress, *requests])
    session.flush()
    receipt.progress_ids = [p.id for p in progress]
    receipt.request_ids = [r.id for r in requests]
