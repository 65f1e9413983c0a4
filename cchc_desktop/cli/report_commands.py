"""``cchc report draft|text``: the texts of a periodic report, drafted from the data.

``draft`` prints every section of a report as it would be exported (the text the
secretariat wrote, else the draft from the window's data); ``text`` prints one section or,
with ``--set FILE`` ("-" for standard input), stores it. An empty file takes the section
back to its draft.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc_desktop.cli.context import CliContext


def period_arg(text: str):  # noqa: ANN201 - ReportPeriod
    """argparse type for ``--period``: 2021-Q1 .. 2021-Q4, 2021-H1, 2021-9M, 2021."""
    from cchc_desktop.domain.periods import parse_period

    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def kind_arg(text: str):  # noqa: ANN201 - ReportKind
    """argparse type for ``--kind``: general, propaganda or index."""
    from cchc_desktop.domain.report_kinds import parse_report_kind

    try:
        return parse_report_kind(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_kind_arg(p: argparse.ArgumentParser) -> None:
    """``--kind general|propaganda|index`` (default general)."""
    p.add_argument("--kind", type=kind_arg, default="general",
                   help="general (default), propaganda or index")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``cchc report draft`` and ``cchc report text``."""
    parser = sub.add_parser("report", help="the texts of a periodic report (drafted from data)")
    actions = parser.add_subparsers(dest="report_action", metavar="ACTION", required=True)

    p = actions.add_parser("draft", help="print every section as it would be exported")
    p.add_argument("--period", required=True, type=period_arg)
    add_kind_arg(p)
    p.add_argument("--json", action="store_true",
                   help="sections as JSON: key, label, text, source (written/draft/empty)")
    p.set_defaults(func=cmd_report_draft)

    p = actions.add_parser("text", help="print one section, or set it with --set FILE")
    p.add_argument("--period", required=True, type=period_arg)
    p.add_argument("--section", required=True, help="the section's key (see report draft)")
    add_kind_arg(p)
    p.add_argument("--set", dest="set_file", metavar="FILE",
                   help='store the text of FILE ("-" for standard input; empty: back to draft)')
    p.set_defaults(func=cmd_report_text)


def _texts(ctx: CliContext, args: argparse.Namespace):  # noqa: ANN202 - ReportTexts
    from cchc_desktop.exporters.report_docx import document_profile
    from cchc_desktop.services.report_drafts import period_drafts

    with ctx.db.session() as session:
        return period_drafts(session, args.period, args.kind, document_profile(session))


def cmd_report_draft(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.domain.report_kinds import sections

    texts = _texts(ctx, args)
    rows = []
    for s in sections(args.kind):
        source = "written" if s.key in texts.written else \
            "draft" if s.key not in texts.empty else "empty"
        rows.append({"key": s.key, "label": s.label, "text": texts.text(s.key),
                     "source": source})
    if args.json:
        ctx.print_json(rows)
        return 0
    for row in rows:
        print(f"## {row['key']}: {row['label']} ({row['source']})")
        print(row["text"])
        print()
    return 0


def cmd_report_text(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.errors import EnvironmentProblem
    from cchc_desktop.services.report_drafts import check_section, save_text

    check_section(args.kind, args.section)
    if args.set_file is None:
        print(_texts(ctx, args).text(args.section))
        return 0
    try:
        body = sys.stdin.read() if args.set_file == "-" else \
            Path(args.set_file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvironmentProblem(f"Không đọc được tệp {args.set_file}: {exc}") from exc
    with ctx.db.session() as session:
        save_text(session, args.period, args.kind, args.section, body)
    print(f"saved: {args.period.code} {args.kind.value} {args.section}"
          + ("" if body.strip() else " (back to the draft)"))
    return 0
