"""Units report back without a server: ``cchc export unit-sheets``, ``cchc import unit-sheets``,
``cchc extensions list|request|approve|reject`` and ``cchc tasks set``."""

from __future__ import annotations

import argparse
from pathlib import Path

from cchc_desktop.cli.context import CliContext, parse_date_arg
from cchc_desktop.cli.io_commands import shared_group


def register(sub: argparse._SubParsersAction) -> None:
    """Add the unit-sheet, extension and ``tasks set`` commands."""
    exports = shared_group(sub, "export", "export lists and documents")
    p = exports.add_parser("unit-sheets", help="one progress workbook per lead unit with open tasks")
    p.add_argument("--out-dir", type=Path, required=True, help="folder for the workbooks")
    p.add_argument("--unit", help="only this unit (name or short name)")
    p.add_argument("--as-of", type=parse_date_arg, default=None, help="date (default: today)")
    p.add_argument("--include-supporting", action="store_true",
                   help="also list, read-only, the open tasks each unit supports")
    p.set_defaults(func=cmd_export_unit_sheets)

    imports = shared_group(sub, "import", "import tasks or documents from Excel (.xlsx/.xls/.ods)")
    p = imports.add_parser("unit-sheets", help="merge progress workbooks the units returned")
    p.add_argument("paths", type=Path, nargs="+", metavar="FILE|DIR")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    p.add_argument("--skip-conflicts", action="store_true",
                   help="merge the other rows when some rows conflict (default: write nothing)")
    p.set_defaults(func=cmd_import_unit_sheets)

    ext = sub.add_parser("extensions", help="deadline extension requests (đề nghị gia hạn)")
    actions = ext.add_subparsers(dest="action", required=True)
    p = actions.add_parser("list", help="list requests")
    p.add_argument("--status", choices=("pending", "approved", "rejected"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_extensions_list)
    p = actions.add_parser("request", help="queue a request typed in")
    p.add_argument("task_id", type=int)
    p.add_argument("--to", dest="to", type=parse_date_arg, required=True, help="new deadline")
    p.add_argument("--reason", required=True)
    p.add_argument("--source", default="", help="who asks (a unit's name)")
    p.set_defaults(func=cmd_extensions_request)
    p = actions.add_parser("approve", help="approve: the deadline moves, the old one is kept")
    p.add_argument("request_id", type=int)
    p.add_argument("--document", required=True, help='approving document, e.g. "123/UBND-VP"')
    p.add_argument("--date", type=parse_date_arg, default=None, help="decision date")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_extensions_approve)
    p = actions.add_parser("reject", help="reject with a reason; the deadline stays")
    p.add_argument("request_id", type=int)
    p.add_argument("--reason", required=True)
    p.add_argument("--date", type=parse_date_arg, default=None, help="decision date")
    p.set_defaults(func=cmd_extensions_reject)

    tasks = shared_group(sub, "tasks", "tasks (nhiệm vụ)")
    p = tasks.add_parser("set", help="change a task's completion, result, note or deadline")
    p.add_argument("task_id", type=int)
    done = p.add_mutually_exclusive_group()
    done.add_argument("--completed", type=parse_date_arg, help="completion date")
    done.add_argument("--not-completed", action="store_true", help="clear the completion date")
    p.add_argument("--result", help="result / product (kết quả)")
    p.add_argument("--note", help="note (ghi chú)")
    p.add_argument("--due", type=parse_date_arg, help="due date (an extension: use extensions)")
    p.set_defaults(func=cmd_tasks_set)


def cmd_export_unit_sheets(args: argparse.Namespace, ctx: CliContext) -> int:
    from datetime import date

    from cchc_desktop.exporters.unit_sheets_xlsx import export_unit_sheets
    from cchc_desktop.services.task_queries import resolve_unit_id

    with ctx.db.session() as session:
        unit_id = resolve_unit_id(session, args.unit) if args.unit else None
        files = export_unit_sheets(session, args.out_dir, args.as_of or date.today(),
                                   unit_id=unit_id, include_supporting=args.include_supporting)
    for path in files:
        print(path)
    print(f"{len(files)} workbook(s) written to {args.out_dir}")
    return 0


def returned_files(paths: list[Path]) -> list[Path]:
    """The workbooks among ``paths``: files as given, folders' .xlsx/.xls/.ods (not recursive)."""
    from cchc_desktop.errors import UserError
    from cchc_desktop.importers.sheet import EXCEL_SUFFIXES

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file()
                            and p.suffix.lower() in EXCEL_SUFFIXES and not p.name.startswith("."))
        elif path.exists():
            found.append(path)
        else:
            raise UserError(f"file not found: {path}")
    if not found:
        raise UserError("no workbook (.xlsx, .xls, .ods) found in the given folders")
    return found


def cmd_import_unit_sheets(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.errors import ConflictError, ValidationError
    from cchc_desktop.services.unit_sheets import apply_unit_sheets, preview_unit_sheet

    files = returned_files(args.paths)
    with ctx.db.session() as session:
        previews = [preview_unit_sheet(session, path) for path in files]
        for preview in previews:
            print(preview.summary())
            for line in preview.ignored:
                print(f"  {line}")
            for row in preview.of_kind("conflict"):
                print(f"  dòng {row.row}: xung đột (nhiệm vụ đã sửa sau khi gửi phiếu): "
                      + "; ".join(f"{c.label}: trong ứng dụng “{c.current or ''}”, đơn vị ghi "
                                  f"“{c.returned}”" for c in row.changes))
        try:
            # A dry run goes through the same merge inside a savepoint, then takes it back.
            savepoint = session.begin_nested() if args.dry_run else None
            receipt = apply_unit_sheets(session, previews, skip_conflicts=args.skip_conflicts)
            if savepoint is not None:
                savepoint.rollback()
        except ConflictError as exc:
            raise ValidationError(exc.message + " (use --skip-conflicts to merge the rest)"
                                  ) from exc
    print(receipt.summary())
    if args.dry_run:
        print("(dry run: nothing was written)")
    return 0


def cmd_extensions_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.domain.text import format_date_vn
    from cchc_desktop.services.extensions import STATUS_LABELS, list_extensions

    with ctx.db.session() as session:
        rows = list_extensions(session, args.status)
    if args.json:
        ctx.print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        old = format_date_vn(r.old_due_date) if r.old_due_date else "không hạn"
        print(f"{r.id:>5}  nhiệm vụ {r.task_id}  {old} → {format_date_vn(r.requested_due)}  "
              f"{STATUS_LABELS[r.status]}  {r.source or r.lead_unit}: {r.reason}")
    print(f"({len(rows)} đề nghị)")
    return 0


def cmd_extensions_request(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.extensions import request_extension

    with ctx.db.session() as session:
        request = request_extension(session, args.task_id, args.to, args.reason,
                                    source=args.source)
        number = request.id
    print(f"extension request {number} queued")
    return 0


def cmd_extensions_approve(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.extensions import approve_extension

    with ctx.db.session() as session:
        request = approve_extension(session, args.request_id, document=args.document,
                                    decided_on=args.date, note=args.note)
        task_id, due = request.task_id, request.requested_due
    print(f"approved: task {task_id} is now due {due:%d/%m/%Y}")
    return 0


def cmd_extensions_reject(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.extensions import reject_extension

    with ctx.db.session() as session:
        reject_extension(session, args.request_id, args.reason, decided_on=args.date)
    print(f"rejected: request {args.request_id}")
    return 0


def cmd_tasks_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.errors import UserError
    from cchc_desktop.services.tasks import draft_from_task, get_task, update_task

    if not any((args.completed, args.not_completed, args.result is not None,
                args.note is not None, args.due)):
        raise UserError("nothing to change: give --completed, --not-completed, --result, "
                        "--note or --due")
    with ctx.db.session() as session:
        task = get_task(session, args.task_id)
        draft = draft_from_task(task)
        if args.completed:
            draft.completed_on = args.completed
        if args.not_completed:
            draft.completed_on = None
        if args.result is not None:
            draft.completion_note = args.result
        if args.note is not None:
            draft.note = args.note
        if args.due:
            draft.due_date = args.due
        update_task(session, task.id, draft, expected_version=task.version)
    print(f"task {args.task_id} saved")
    return 0
