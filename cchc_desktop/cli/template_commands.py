"""``cchc templates list|export|import|reset``: the office's own document templates.

Each document kind (báo cáo định kỳ, tuyên truyền, cải thiện chỉ số, kế hoạch, tự chấm điểm,
công văn đôn đốc) is written from a .docx template: export it, edit it in Word, import it
back; ``reset`` goes back to the shipped one. Warnings about a template (fields the program
does not know, required fields missing, page size, fonts) go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc_desktop.cli.context import CliContext, confirm


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``templates`` group."""
    group = sub.add_parser("templates", help="document templates (.docx) the office edits")
    actions = group.add_subparsers(dest="templates_action", metavar="ACTION", required=True)

    p = actions.add_parser("list", help="the document kinds and whether the office has its own")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("export", help="write the template in use to a file, to edit in Word")
    p.add_argument("kind", metavar="KIND", help="report-general, report-propaganda, "
                                                "report-index, plan, scoring, letter")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.docx")
    p.set_defaults(func=cmd_export)

    p = actions.add_parser("import", help="use an edited template for this database")
    p.add_argument("kind", metavar="KIND")
    p.add_argument("file", type=Path, metavar="FILE.docx")
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("reset", help="go back to the shipped template (asks first)")
    p.add_argument("kind", metavar="KIND")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_reset)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.doc_templates import list_templates, template_warnings

    with ctx.db.session() as session:
        rows = list_templates(session)
        problems = {t.key: template_warnings(session, t.key) for t in rows if t.own}
    if args.json:
        ctx.print_json([{"kind": t.key, "label": t.label, "own": t.own,
                         "warnings": problems.get(t.key, [])} for t in rows])
        return 0
    for t in rows:
        where = "mẫu của cơ quan" if t.own else "mẫu gốc"
        flag = f" ({len(problems[t.key])} cảnh báo)" if problems.get(t.key) else ""
        print(f"{t.key:<18} {t.label} — {where}{flag}")
    return 0


def cmd_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.doc_templates import export_template, template_warnings

    with ctx.db.session() as session:
        path = export_template(session, args.kind, args.out)
        warnings = template_warnings(session, args.kind)
    _warn(warnings)
    print(f"written: {path}")
    return 0


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.doc_templates import import_template

    with ctx.db.session() as session:
        warnings = import_template(session, args.kind, args.file)
    _warn(warnings)
    print(f"imported: {args.kind} from {args.file}")
    return 0


def cmd_reset(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.access import require_session_admin
    from cchc_desktop.services.doc_templates import kind_of, list_templates, reset_template

    with ctx.db.session() as session:
        require_session_admin(session, "thay mẫu văn bản")
        key = kind_of(args.kind).key
        if not any(t.own for t in list_templates(session) if t.key == key):
            print("nothing to reset: the shipped template is already in use")
            return 0
        confirm(f"Bỏ mẫu {key} của cơ quan, dùng lại mẫu gốc?", assume_yes=args.yes)
        reset_template(session, key)
    print("reset: back to the shipped template")
    return 0
