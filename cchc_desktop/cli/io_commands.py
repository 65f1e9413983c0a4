"""Excel import and export: ``cchc import tasks|documents`` and ``cchc export tasks|documents``.

``export`` is shared with ``cli/export_commands.py`` (report, plan, overdue, scoring):
whichever module registers first creates the ``export`` parser, the other adds its actions
to it, so the order the modules load in does not matter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc_desktop.cli.context import CliContext, parse_date_arg
from cchc_desktop.domain.status import StatusClass


def shared_group(sub: argparse._SubParsersAction, name: str, help_text: str) -> argparse._SubParsersAction:
    """The sub-command group ``name`` (e.g. "export"), created only if no module made it yet."""
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=help_text)
    for action in parser._actions:  # its existing sub-parsers, if any
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=f"{name}_what", metavar="WHAT", required=True)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``import tasks|documents`` and ``export tasks|documents``."""
    imports = shared_group(sub, "import",
                           "import tasks or documents from Excel (.xlsx/.xls/.ods) or Word")
    p = imports.add_parser("tasks", help="import a task table from .xlsx/.xls/.ods/.docx/.doc "
                                         "(all rows or none)")
    p.add_argument("file", type=Path)
    p.add_argument("--plan", type=int, dest="plan_id", help="add the tasks to plan ID")
    p.add_argument("--year", type=int, help="year of tasks outside a plan (default: from dates)")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    p.add_argument(
        "--accept-suggestions", action="store_true",
        help="merge unit names that differ from a known unit only in diacritics into it "
        "(default: list them as unknown units)",
    )
    p.add_argument("--create-units", action="store_true",
                   help="create the unit names the catalogue does not know (default: refuse, "
                   "exit 2 and list them with suggestions)")
    p.add_argument("--units-map", type=Path, metavar="FILE",
                   help="two columns (name in the file, unit): use that unit for that name and "
                   "remember it as an alias; a unit written '+' is created")
    p.add_argument("--table", type=int, metavar="N",
                   help="for a Word document: take its table N (default: the task table)")
    p.set_defaults(func=cmd_import_tasks)

    p = imports.add_parser("documents", help="import a document list (all rows or none)")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    p.set_defaults(func=cmd_import_documents)

    exports = shared_group(sub, "export", "export lists and documents")
    p = exports.add_parser(
        "tasks", help="export tasks: .xlsx to import back, or with --format the list as the "
                      "Nhiệm vụ tab shows it (.xlsx or .docx, landscape A4, for printing)")
    p.add_argument("file", type=Path, nargs="?", help="where to write (or --out)")
    p.add_argument("--out", type=Path, metavar="FILE", help="where to write")
    p.add_argument("--format", choices=("xlsx", "docx"), dest="list_format",
                   help="write the list as shown (tab columns) instead of the import layout")
    p.add_argument("--by-unit", action="store_true",
                   help="one sheet (.xlsx) or part (.docx) per lead unit; implies --format")
    p.add_argument("--status", action="append", choices=[c.value for c in StatusClass],
                   help="only this status class (repeatable)")
    p.add_argument("--with-supporting", action="store_true",
                   help="--unit also matches tasks where the unit supports")
    p.add_argument("--as-of", type=parse_date_arg, default=None, help="date (default: today)")
    p.add_argument("--unit", help="lead unit name or short name")
    p.add_argument("--assigned-by", help='assigning body, e.g. "UBND tỉnh"')
    p.add_argument("--year", type=int)
    p.add_argument("--area", type=int, choices=range(1, 9), metavar="1..8")
    p.add_argument("--plan", type=int, dest="plan_id")
    p.add_argument("--search", help="words to find in the content, output, timing, assigning body, "
                   "unit names or document number (case and diacritics ignored)")
    p.add_argument("--overdue", action="store_true", help="only open tasks past their due date")
    p.add_argument("--due-within", type=int, metavar="DAYS",
                   help="only open tasks due within DAYS days")
    p.set_defaults(func=cmd_export_tasks)

    p = exports.add_parser("documents", help="export the document register to .xlsx")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_export_documents)


def _print_report(report) -> None:  # noqa: ANN001 - ImportReport, imported lazily
    for line in report.summary_lines():
        print(line)


def _finish(report) -> int:  # noqa: ANN001
    from cchc_desktop.errors import ValidationError

    if report.problems:
        for line in report.summary_lines()[:2]:
            print(line, file=sys.stderr)
        raise ValidationError(
            f"{len(report.problems)} bad row(s) in {report.file}; nothing was imported.",
            report.problem_lines("row"),
        )
    if report.kind == "tasks" and report.undecided_units:
        for line in report.summary_lines()[:2]:
            print(line, file=sys.stderr)
        raise ValidationError(
            f"{len(report.undecided_units)} unit name(s) in {report.file} are not in the "
            "catalogue; nothing was imported. Map them with --units-map FILE, add aliases "
            "(cchc units alias UNIT ALIAS) or create them with --create-units:",
            report.unit_lines(),
        )
    _print_report(report)
    if report.dry_run:
        print("(dry run: nothing was written)")
    return 0


def _check_xlsx_target(path: Path) -> None:
    from cchc_desktop.errors import UserError

    if path.suffix.lower() != ".xlsx":
        raise UserError(f"the export file must end in .xlsx: {path}")


def cmd_import_tasks(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.imports import import_tasks, read_units_map

    choices = read_units_map(args.units_map) if args.units_map else {}
    source = args.file
    if args.table is not None:
        from cchc_desktop.importers.word import read_word_tables

        source = read_word_tables(args.file, args.table)
    with ctx.db.session() as session:
        report = import_tasks(
            session, source, plan_id=args.plan_id, year=args.year, dry_run=args.dry_run,
            merge_suggestions=args.accept_suggestions, create_units=args.create_units,
            unit_choices=choices,
        )
        if not report.ok:  # leave the block by an exception so the transaction rolls back
            return _finish(report)
    return _finish(report)


def cmd_import_documents(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.imports import import_documents

    with ctx.db.session() as session:
        report = import_documents(session, args.file, dry_run=args.dry_run)
        if report.problems:
            return _finish(report)
    return _finish(report)


def cmd_export_tasks(args: argparse.Namespace, ctx: CliContext) -> int:
    from datetime import date

    from cchc_desktop.errors import UserError
    from cchc_desktop.services.task_queries import TaskFilter

    target = args.out or args.file
    if target is None:
        raise UserError("say where to write: FILE or --out FILE")
    fmt = args.list_format or ("xlsx" if args.by_unit else None)
    flt = TaskFilter(
        unit=args.unit, assigned_by=args.assigned_by, year=args.year, area=args.area,
        plan_id=args.plan_id, search=args.search, overdue=args.overdue,
        due_within=args.due_within, include_supporting=args.with_supporting,
        statuses={StatusClass(v) for v in args.status or ()},
    )
    as_of = args.as_of or date.today()
    if fmt is None:
        from cchc_desktop.exporters.xlsx import export_tasks

        _check_xlsx_target(target)
        with ctx.db.session() as session:
            count = export_tasks(session, target, flt, as_of=as_of)
        print(f"{count} tasks written to {target}")
        return 0
    from cchc_desktop.exporters.task_list import export_task_list

    if target.suffix.lower() != f".{fmt}":
        raise UserError(f"the export file must end in .{fmt}: {target}")
    with ctx.db.session() as session:
        count = export_task_list(session, target, flt, as_of=as_of, fmt=fmt,
                                 by_unit=args.by_unit)
    print(f"{count} tasks written to {target}")
    return 0


def cmd_export_documents(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.exporters.xlsx import export_documents

    _check_xlsx_target(args.file)
    with ctx.db.session() as session:
        count = export_documents(session, args.file)
    print(f"{count} documents written to {args.file}")
    return 0
