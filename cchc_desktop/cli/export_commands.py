"""``cchc export report|plan|overdue|reminders|scoring``: the documents the Director signs.

The ``export`` group is shared with the Excel exports of ``io_commands`` (tasks, documents):
whichever module registers first creates it, the other adds its actions to it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cchc_desktop.cli.context import CliContext, parse_date_arg
from cchc_desktop.cli.report_commands import add_kind_arg
from cchc_desktop.cli.report_commands import period_arg as _period_arg


def export_actions(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The sub-commands of ``cchc export``, creating the group when no one did yet."""
    parser = sub.choices.get("export")
    if parser is None:
        parser = sub.add_parser("export", help="export documents (.docx) and tables (.xlsx)")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="export_what", metavar="WHAT", required=True)


def _output_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, type=Path, metavar="FILE.docx",
                   help="where to write the document")
    p.add_argument("--pdf", action="store_true",
                   help="also write a PDF next to it (LibreOffice, or Word on Windows)")


def register(sub: argparse._SubParsersAction) -> None:
    """Add report, plan, overdue (and scoring when that service exists) to ``cchc export``."""
    actions = export_actions(sub)

    p = actions.add_parser("report", help="periodic CCHC report (báo cáo định kỳ)")
    p.add_argument("--period", required=True, type=_period_arg,
                   help="2021-Q1 .. 2021-Q4, 2021-H1, 2021-9M or 2021 (the year)")
    add_kind_arg(p)
    p.add_argument("--number", help="the report's number, digits only, e.g. 263 "
                                    "(omitted: blank for the văn thư to fill)")
    p.add_argument("--date", type=parse_date_arg,
                   help="the report's date (blank if omitted); a date inside the window ends "
                        "the data on that day, one before the window is refused")
    p.add_argument("--tasks-appendix", choices=("none", "open", "all"), default="open",
                   help="Phụ lục II: no task table, the tasks not done (default), or all")
    p.add_argument("--unit", help="Phụ lục II lists only this lead unit's tasks")
    p.add_argument("--from", dest="start", type=parse_date_arg,
                   help="override the cut-off window's first day")
    p.add_argument("--to", dest="end", type=parse_date_arg,
                   help="override the cut-off window's last day")
    p.add_argument("--no-charts", action="store_true", help="leave the charts out")
    _output_args(p)
    p.set_defaults(func=cmd_export_report)

    p = actions.add_parser("plan", help="a plan (kế hoạch) with its task appendix")
    p.add_argument("plan_id", type=int, metavar="ID")
    _output_args(p)
    p.set_defaults(func=cmd_export_plan)

    p = actions.add_parser("overdue", help="overdue and due-soon tasks by lead unit")
    p.add_argument("--as-of", required=True, type=parse_date_arg, help="the date to count on")
    p.add_argument("--days", type=int, default=None,
                   help="due-soon horizon in days (default: the office's setting, 7)")
    _output_args(p)
    p.set_defaults(func=cmd_export_overdue)

    p = actions.add_parser("reminders", help="chasing letters (công văn đôn đốc), one per unit")
    p.add_argument("--as-of", required=True, type=parse_date_arg, help="the date to count on")
    p.add_argument("--within", type=int, default=None,
                   help="also chase tasks due within N days (default: the office's setting, 7)")
    p.add_argument("--unit", help="only this lead unit (name or short name)")
    p.add_argument("--date", type=parse_date_arg, help="the letters' date (default: --as-of)")
    p.add_argument("--combined", action="store_true",
                   help="also write every letter in one file (Cong_van_don_doc_tat_ca.docx)")
    p.add_argument("--out-dir", required=True, type=Path, metavar="DIR",
                   help="the folder to write the letters into")
    p.set_defaults(func=cmd_export_reminders)

    if _scoring_available():
        p = actions.add_parser("scoring", help="self-scoring table of the CCHC index")
        p.add_argument("--year", required=True, type=int)
        _output_args(p)
        p.set_defaults(func=cmd_export_scoring)


def _scoring_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("cchc_desktop.exporters.scoring_docx") is not None


def _finish(path: Path, want_pdf: bool) -> int:
    print(f"written: {path}")
    if want_pdf:
        from cchc_desktop.exporters.pdf import convert_to_pdf

        print(f"written: {convert_to_pdf(path)}")
    return 0


def cmd_export_report(args: argparse.Namespace, ctx: CliContext) -> int:
    import sys

    from cchc_desktop.exporters.report_docx import ReportOptions, prepare_report, write_report

    options = ReportOptions(period=args.period, number=args.number, doc_date=args.date,
                            start=args.start, end=args.end, charts=not args.no_charts,
                            kind=args.kind, tasks_appendix=args.tasks_appendix, unit=args.unit)
    with ctx.db.session() as session:
        report = prepare_report(session, options)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return _finish(write_report(report, args.out), args.pdf)


def _warn_template(session, key: str) -> None:  # noqa: ANN001 - Session
    """What is wrong with the office's template of ``key``, on stderr before writing."""
    import sys

    from cchc_desktop.services.doc_templates import template_warnings

    for warning in template_warnings(session, key):
        print(f"warning: {warning}", file=sys.stderr)


def cmd_export_plan(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.exporters.plan_docx import export_plan

    with ctx.db.session() as session:
        _warn_template(session, "plan")
        path = export_plan(session, args.plan_id, args.out)
    return _finish(path, args.pdf)


def cmd_export_overdue(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.exporters.overdue_docx import export_overdue
    from cchc_desktop.services.office_settings import due_soon_days

    with ctx.db.session() as session:
        days = args.days if args.days is not None else due_soon_days(session)
        path = export_overdue(session, args.as_of, args.out, days=days)
    return _finish(path, args.pdf)


def cmd_export_reminders(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.exporters.reminders_docx import ReminderOptions, export_reminders
    from cchc_desktop.services.office_settings import due_soon_days

    with ctx.db.session() as session:
        within = args.within if args.within is not None else due_soon_days(session)
        _warn_template(session, "letter")
        options = ReminderOptions(args.as_of, within, args.unit, args.date, args.combined)
        paths = export_reminders(session, options, args.out_dir)
    if not paths:
        print(f"no unit has tasks overdue or due within {options.within} days on "
              f"{args.as_of:%d/%m/%Y}: nothing written")
    for path in paths:
        print(f"written: {path}")
    return 0


def cmd_export_scoring(args: argparse.Namespace, ctx: CliContext) -> int:
    import sys

    from cchc_desktop.exporters.scoring_docx import export_scoring
    from cchc_desktop.services.scoring import scoring_view

    with ctx.db.session() as session:
        _warn_template(session, "scoring")
        path = export_scoring(session, args.year, args.out)
        missing = [row.code for row in scoring_view(session, args.year).missing_evidence()]
    if missing:
        print(f"warning: {len(missing)} sub-criteria have a self score but no evidence: "
              f"{', '.join(missing)}", file=sys.stderr)
    return _finish(path, args.pdf)
