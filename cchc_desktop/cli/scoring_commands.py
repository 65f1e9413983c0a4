"""``cchc scoring`` and ``cchc index``: criteria frameworks, scores, index results."""

from __future__ import annotations

import argparse
from pathlib import Path

from cchc_desktop.cli.context import CliContext


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``scoring`` and ``index`` command groups to the ``cchc`` parser."""
    group = sub.add_parser("scoring", help="PAR INDEX self-scoring (tự chấm điểm)")
    actions = group.add_subparsers(dest="action", required=True)

    p = actions.add_parser("import", help="import a year's criteria from .xlsx or .json")
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--name", help="framework name (default: from the file)")
    p.add_argument("--replace", action="store_true",
                   help="replace the year's framework (its scores and criterion links go)")
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("template", help="load the shipped template framework for a year")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--replace", action="store_true")
    p.set_defaults(func=cmd_template)

    p = actions.add_parser("copy", help="copy a year's criteria to another year")
    p.add_argument("--from", dest="from_year", type=int, required=True)
    p.add_argument("--to", dest="to_year", type=int, required=True)
    p.set_defaults(func=cmd_copy)

    p = actions.add_parser("set", help="set a leaf criterion's score for a round")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--score", required=True, help='points, e.g. 1.5 or "0,25"; "-" clears')
    p.add_argument("--round", dest="round_name", choices=["self", "1", "2"], default="self")
    p.add_argument("--note", help="self-assessment note (self) or the council's note (1, 2)")
    p.add_argument("--explanation", help="the department's explanation (giải trình)")
    p.set_defaults(func=cmd_set)

    p = actions.add_parser("show", help="the tree with max, self and appraised scores, totals")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = actions.add_parser("export", help="write a year's criteria as .xlsx or .json (import format)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.json")
    p.set_defaults(func=cmd_export)

    index = sub.add_parser("index", help="published index results: PAR INDEX, SIPAS, PAPI, PCI")
    actions = index.add_subparsers(dest="action", required=True)
    p = actions.add_parser("set", help="record an index result")
    p.add_argument("name", help="PAR INDEX, SIPAS, PAPI or PCI")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--score", type=float)
    p.add_argument("--rank", default="", help='rank, e.g. "02/18"')
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_index_set)
    p = actions.add_parser("list", help="list index results")
    p.add_argument("name", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_index_list)
    p = actions.add_parser("delete", help="delete an index result")
    p.add_argument("name")
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=cmd_index_delete)


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.scoring import import_framework, read_framework_file

    name, specs = read_framework_file(args.file)
    with ctx.db.session() as session:
        import_framework(session, args.year, specs, name=args.name or name,
                         source=args.file.name, replace=args.replace)
    print(f"framework {args.year} imported: {len(specs)} criteria from {args.file.name}")
    return 0


def cmd_template(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.scoring import load_template

    with ctx.db.session() as session:
        framework = load_template(session, args.year, replace=args.replace)
        count = len(framework.criteria)
    print(f"template framework loaded for {args.year}: {count} criteria "
          "(Mẫu — điều chỉnh theo Quyết định của UBND tỉnh)")
    return 0


def cmd_copy(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.scoring import copy_framework

    with ctx.db.session() as session:
        framework = copy_framework(session, args.from_year, args.to_year)
        count = len(framework.criteria)
    print(f"framework {args.from_year} copied to {args.to_year}: {count} criteria")
    return 0


def cmd_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.domain.scoring import parse_points
    from cchc_desktop.errors import ValidationError
    from cchc_desktop.services.scoring import set_score

    score: float | None
    if args.score.strip() == "-":
        score = None
    else:
        score = parse_points(args.score)
        if score is None:
            raise ValidationError(f"score '{args.score}' is not a number")
    with ctx.db.session() as session:
        set_score(session, args.year, args.code, score=score, round_name=args.round_name,
                  note=args.note, explanation=args.explanation)
    print(f"{args.year} {args.code}: round {args.round_name} score "
          f"{'cleared' if score is None else f'{score:g}'}")
    return 0


def _fmt(value: float | None) -> str:
    from cchc_desktop.domain.text import format_number_vi

    return "-" if value is None else format_number_vi(value)


def cmd_show(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.scoring import scoring_view

    with ctx.db.session() as session:
        view = scoring_view(session, args.year)
    if args.json:
        ctx.print_json(view.as_json())
        return 0
    print(f"{view.name} — năm {view.year}")
    print(f"{'Mã':<9}{'Tiêu chí':<60}{'Tối đa':>7}{'Tự chấm':>9}{'Vòng 1':>8}{'Vòng 2':>8}  TLKC")
    for row in view.walk():
        title = ("  " * row.depth + row.title)[:58]
        flag = " !" if row.missing_evidence else ""
        suggestion = ""
        if row.suggestion is not None and row.suggestion.points is not None:
            suggestion = f"  (gợi ý {_fmt(row.suggestion.points)})"
        print(f"{row.code:<9}{title:<60}{_fmt(row.max_points):>7}{_fmt(row.totals['self']):>9}"
              f"{_fmt(row.totals['round1']):>8}{_fmt(row.totals['round2']):>8}"
              f"  {row.evidence_count}{flag}{suggestion}")
    t = view.totals
    print(f"{'':<9}{'TỔNG ĐIỂM':<60}{_fmt(view.max_total):>7}{_fmt(t['self']):>9}"
          f"{_fmt(t['round1']):>8}{_fmt(t['round2']):>8}")
    missing = view.missing_evidence()
    if missing:
        print(f"! {len(missing)} tiêu chí có điểm nhưng chưa có tài liệu kiểm chứng: "
              + ", ".join(r.code for r in missing))
    return 0


def cmd_export(args: argparse.Namespace, ctx: CliContext) -> int:
    import json

    from cchc_desktop.services.scoring import export_framework_json, export_framework_xlsx
    from cchc_desktop.store.file_errors import written_atomically

    with ctx.db.session() as session:
        if args.out.suffix.lower() == ".xlsx":
            count = export_framework_xlsx(session, args.year, args.out)
        else:
            data = export_framework_json(session, args.year)
            with written_atomically(args.out) as tmp:
                tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            count = len(data["criteria"])  # type: ignore[arg-type]
    print(f"framework {args.year} written: {args.out} ({count} criteria)")
    return 0


def cmd_index_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.scoring import set_index_result

    with ctx.db.session() as session:
        row = set_index_result(session, args.name, args.year, args.score, args.rank, args.note)
    print(f"{row.index_name} {row.year}: {_fmt(row.score)} {row.rank_text}".rstrip())
    return 0


def cmd_index_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.scoring import list_index_results

    with ctx.db.session() as session:
        rows = list_index_results(session, args.name)
    if args.json:
        ctx.print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        print(f"{r.index_name:<10} {r.year}  {_fmt(r.score):>7}  {r.rank_text}")
    return 0


def cmd_index_delete(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.errors import NotFoundError
    from cchc_desktop.services.scoring import delete_index_result

    with ctx.db.session() as session:
        if not delete_index_result(session, args.name, args.year):
            raise NotFoundError(f"no {args.name} result for {args.year}")
    print(f"{args.name} {args.year} deleted")
    return 0
