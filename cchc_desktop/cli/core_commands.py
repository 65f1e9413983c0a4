"""Core commands: init, demo, units, tasks, plans, documents, profile."""

from __future__ import annotations

import argparse
from datetime import date

from cchc_desktop.cli.context import CliContext, confirm, parse_date_arg


def register(sub: argparse._SubParsersAction) -> None:
    """Add the core commands to the ``cchc`` parser."""
    p = sub.add_parser("init", help="create or upgrade the database")
    p.set_defaults(func=cmd_init, creates_database=True)

    p = sub.add_parser("demo", help="fill the database with realistic demo data")
    p.add_argument("--tasks", type=int, default=200, help="number of tasks (1..1000000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    p.add_argument("--today", type=parse_date_arg, help="reference date (default: today)")
    p.add_argument("--replace", action="store_true",
                   help="delete the tasks, plans and documents already there (asks first)")
    p.add_argument("--yes", action="store_true", help="answer yes to the question (scripts)")
    p.set_defaults(func=cmd_demo)

    units = sub.add_parser("units", help="units (đơn vị)").add_subparsers(dest="action", required=True)
    p = units.add_parser("list", help="list units")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_units_list)
    p = units.add_parser("add", help="add a unit")
    p.add_argument("name")
    p.add_argument("--short", default="")
    p.add_argument("--kind", default="division",
                   choices=["division", "subordinate", "district", "external"])
    p.set_defaults(func=cmd_units_add)
    p = units.add_parser("alias", help="another name a unit is written with (KHTC, KH-TC ...)")
    p.add_argument("unit", help="the unit's name or short name")
    p.add_argument("alias", help="the other name")
    p.set_defaults(func=cmd_units_alias)

    tasks = sub.add_parser("tasks", help="tasks (nhiệm vụ)").add_subparsers(dest="action", required=True)
    p = tasks.add_parser("summary", help="the six status classes and the total")
    _task_filters(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tasks_summary)
    p = tasks.add_parser("list", help="list tasks")
    _task_filters(p)
    p.add_argument("--overdue", action="store_true", help="only open tasks past their due date")
    p.add_argument("--due-within", type=int, metavar="DAYS",
                   help="only open tasks due within DAYS days")
    p.add_argument("--limit", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tasks_list)

    plans = sub.add_parser("plans", help="plans (kế hoạch)").add_subparsers(dest="action", required=True)
    p = plans.add_parser("list", help="list plans")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plans_list)
    p = plans.add_parser("add", help="create a plan (prints its id)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--kind", default="reform",
                   choices=["reform", "propaganda", "inspection", "index_improvement", "other"])
    p.add_argument("--number", default="", help='the plan\'s number, e.g. "588/KH-SGDĐT"')
    p.add_argument("--date", type=parse_date_arg, default=None, help="date issued")
    p.add_argument("--title", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plans_add)
    p = plans.add_parser("groups", help="a plan's own groups (numbering, title, CCHC area)")
    p.add_argument("plan_id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plans_groups)
    p = plans.add_parser("group", help="change a group's CCHC area (or title)")
    p.add_argument("group_id", type=int)
    p.add_argument("--area", type=int, choices=range(0, 9), metavar="0..8",
                   help="1..8, or 0 for không thuộc lĩnh vực nào")
    p.add_argument("--title", help="the group's title as the plan writes it")
    p.set_defaults(func=cmd_plans_group)
    p = plans.add_parser("copy", help="copy a plan and its tasks to another year")
    p.add_argument("plan_id", type=int)
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=cmd_plans_copy)

    docs = sub.add_parser("documents", help="documents (văn bản)").add_subparsers(dest="action", required=True)
    p = docs.add_parser("list", help="list documents")
    p.add_argument("--from", dest="start", type=parse_date_arg)
    p.add_argument("--to", dest="end", type=parse_date_arg)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_documents_list)

    profile = sub.add_parser("profile", help="the agency profile used by exported documents")
    actions = profile.add_subparsers(dest="action", required=True)
    p = actions.add_parser("show", help="print the profile")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_profile_show)
    p = actions.add_parser("set", help="change fields of the profile")
    for flag, help_text in PROFILE_FLAGS.items():
        p.add_argument(f"--{flag}", help=help_text)
    p.add_argument("--recipients-for", nargs=2, action="append", metavar=("KIND", "LIST"),
                   help=f"recipients of one document kind ({', '.join(RECIPIENT_KINDS)}), "
                        'separated by ";"; "" for the default')
    p.set_defaults(func=cmd_profile_set)


PROFILE_FLAGS = {
    "parent": 'parent body, e.g. "UBND TỈNH SƠN LA"',
    "agency": 'issuing agency, e.g. "SỞ GIÁO DỤC VÀ ĐÀO TẠO"',
    "abbr": "agency abbreviation in document numbers, e.g. SGDĐT",
    "place": 'place in the date line, e.g. "Sơn La"',
    "authority": 'signing authority, e.g. "KT. GIÁM ĐỐC"',
    "signer-title": 'signer\'s title, e.g. "PHÓ GIÁM ĐỐC"',
    "signer": "signer's full name",
    "drafter": "drafting unit's abbreviation for 'Lưu: VT, ...'",
    "agency-in-text": 'the agency in running text, e.g. "Sở GD&ĐT tỉnh Sơn La"',
    "recipients": 'recipients separated by ";"',
}
# --recipients-for KIND "A;B": the recipients of one document kind ("" goes back to the default).
RECIPIENT_KINDS = ("report", "plan", "letter", "scoring")


def _task_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=parse_date_arg, default=None, help="date (default: today)")
    p.add_argument("--unit", help="lead unit name or short name")
    p.add_argument("--assigned-by", help='assigning body, e.g. "UBND tỉnh"')
    p.add_argument("--year", type=int)
    p.add_argument("--area", type=int, choices=range(1, 9), metavar="1..8")
    p.add_argument("--plan", type=int, dest="plan_id")
    p.add_argument("--search", help="words to find in the content, output, timing, assigning body, "
                   "unit names or document number (case and diacritics ignored)")


def _filter(args: argparse.Namespace):  # noqa: ANN202
    from cchc_desktop.services.task_queries import TaskFilter

    return TaskFilter(
        unit=args.unit, assigned_by=args.assigned_by, year=args.year, area=args.area,
        plan_id=args.plan_id, search=args.search,
        overdue=getattr(args, "overdue", False), due_within=getattr(args, "due_within", None),
    )


def cmd_init(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.store.migrate import current_revision

    db = ctx.db
    print(f"database ready: {db.url} (schema {current_revision(db.engine)})")
    return 0


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.errors import UserError, ValidationError
    from cchc_desktop.services.demo import build_demo, describe_existing, existing_data

    if not 1 <= args.tasks <= 1_000_000:
        raise ValidationError("--tasks must be between 1 and 1000000")
    with ctx.db.session() as session:
        existing = existing_data(session)  # refuses anyone but an administrator
    if existing:
        what = describe_existing(existing)
        if not args.replace:
            raise UserError(f"the database already holds data ({what}) that the demo would "
                            "delete: nothing done (add --replace to replace it)")
        from sqlalchemy.engine import make_url

        where = make_url(ctx.db.url).render_as_string(hide_password=True)
        confirm(f"Delete {what} from {where} and put demo data instead?",
                assume_yes=args.yes)
    with ctx.db.session() as session:
        result = build_demo(session, args.tasks, seed=args.seed, today=args.today,
                            replace=bool(existing))
    print(f"demo data: {result.units} units, {result.plans} plans, "
          f"{result.tasks} tasks, {result.documents} documents")
    return 0


def cmd_units_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.units import UNIT_KIND_LABELS, list_units

    with ctx.db.session() as session:
        units = list_units(session)
    if args.json:
        ctx.print_json([u.as_json() for u in units])
        return 0
    for u in units:
        flag = "" if u.active else " (ngừng sử dụng)"
        print(f"{u.id:>4}  {u.name}  [{u.short_name or '-'}]  {UNIT_KIND_LABELS[u.kind]}{flag}")
    return 0


def cmd_units_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.units import create_unit

    with ctx.db.session() as session:
        unit = create_unit(session, args.name, args.short, args.kind)
        print(f"unit {unit.id} added: {unit.name}")
    return 0


def cmd_units_alias(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.unit_matching import add_unit_alias

    with ctx.db.session() as session:
        record = add_unit_alias(session, args.unit, args.alias)
        print(f"alias '{record.alias}' added to unit {record.unit_id}")
    return 0


def cmd_tasks_summary(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
    from cchc_desktop.services.task_queries import summarize_tasks

    as_of = args.as_of or date.today()
    with ctx.db.session() as session:
        summary = summarize_tasks(session, as_of, _filter(args))
    if args.json:
        ctx.print_json(summary)
        return 0
    print(f"Tình hình thực hiện nhiệm vụ đến ngày {as_of:%d/%m/%Y}: tổng số {summary['total']}")
    for cls in StatusClass:
        print(f"  {STATUS_LABELS[cls]:<28} {summary[cls.value]:>7}")
    return 0


def cmd_tasks_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.domain.status import STATUS_LABELS
    from cchc_desktop.services.task_queries import list_tasks

    as_of = args.as_of or date.today()
    with ctx.db.session() as session:
        rows = list_tasks(session, as_of, _filter(args), limit=args.limit)
    if args.json:
        ctx.print_json([{**r.as_json(), "pending_extension": (
            r.pending_due.isoformat() if r.pending_due else None)} for r in rows])
        return 0
    from cchc_desktop.domain.timing import NOT_UNDERSTOOD

    for r in rows:
        due = f"{r.due_date:%d/%m/%Y}" if r.due_date else "không hạn"
        asked = f" [đề nghị gia hạn đến {r.pending_due:%d/%m/%Y}]" if r.pending_due else ""
        flag = f"  [{NOT_UNDERSTOOD}: {r.timing_text}]" if r.timing_not_understood else ""
        print(f"{r.id:>6}  {due:<10}  {STATUS_LABELS[r.status]:<28} {r.lead_unit}: "
              f"{r.content}{flag}{asked}")
    print(f"({len(rows)} nhiệm vụ)")
    return 0


def cmd_plans_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.plans import list_plans

    with ctx.db.session() as session:
        plans = list_plans(session, args.year)
    if args.json:
        ctx.print_json([p.as_json() for p in plans])
        return 0
    for p in plans:
        print(f"{p.id:>4}  {p.year}  {p.number or '-':<14} {p.title} ({p.task_count} nhiệm vụ)")
    return 0


def cmd_plans_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.plans import save_plan

    with ctx.db.session() as session:
        plan = save_plan(session, title=args.title, year=args.year, kind=args.kind,
                         number=args.number, issued_on=args.date)
        plan_id = plan.id
    if args.json:
        ctx.print_json({"id": plan_id})
    else:
        print(plan_id)
    return 0


def cmd_plans_groups(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.domain.areas import area_label
    from cchc_desktop.services.plans import get_plan, plan_groups

    with ctx.db.session() as session:
        get_plan(session, args.plan_id)
        groups = plan_groups(session, args.plan_id)
    if args.json:
        ctx.print_json([{"id": g.id, "number": g.number, "title": g.title, "area": g.area}
                        for g in groups])
        return 0
    for g in groups:
        print(f"{g.id:>5}  {g.label()}  [{area_label(g.area)}]")
    if not groups:
        print("(kế hoạch không chia nhóm)")
    return 0


def cmd_plans_group(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.errors import NotFoundError
    from cchc_desktop.services.plans import update_group
    from cchc_desktop.store.models import PlanGroup

    with ctx.db.session() as session:
        group = session.get(PlanGroup, args.group_id)
        if group is None:
            raise NotFoundError(f"Không tìm thấy nhóm số {args.group_id}.")
        area = group.area if args.area is None else (args.area or None)
        update_group(session, args.group_id, number=group.number,
                     title=args.title if args.title is not None else group.title, area=area)
        print(f"group {args.group_id} saved")
    return 0


def cmd_plans_copy(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.plans import copy_plan_to_year

    with ctx.db.session() as session:
        plan = copy_plan_to_year(session, args.plan_id, args.year)
        print(f"plan {plan.id} created for {plan.year} with {len(plan.tasks)} tasks")
    return 0


def cmd_documents_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.documents import list_documents

    with ctx.db.session() as session:
        docs = list_documents(session, args.start, args.end)
    if args.json:
        ctx.print_json([d.as_json() for d in docs])
        return 0
    for d in docs:
        issued = f"{d.issued_on:%d/%m/%Y}" if d.issued_on else "-"
        print(f"{d.id:>5}  {d.symbol:<18} {issued}  {d.issuer}: {d.summary}")
    return 0


def cmd_profile_show(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.profile import get_profile

    with ctx.db.session() as session:
        profile = get_profile(session)
    if args.json:
        ctx.print_json(profile.as_json())
        return 0
    for key, value in profile.as_json().items():
        if isinstance(value, dict):
            for kind, lines in value.items():
                print(f"{'recipients ' + kind:<15} {'; '.join(lines)}")
            continue
        shown = "; ".join(value) if isinstance(value, list) else value
        print(f"{key:<15} {shown}")
    return 0


def cmd_profile_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.profile import get_profile, save_profile

    with ctx.db.session() as session:
        profile = get_profile(session)
        for flag in PROFILE_FLAGS:
            value = getattr(args, flag.replace("-", "_"))
            if value is None:
                continue
            if flag == "recipients":
                profile.recipients = [r.strip() for r in value.split(";") if r.strip()]
            else:
                setattr(profile, flag.replace("-", "_"), value)
        for kind, value in getattr(args, "recipients_for", None) or []:
            if kind not in RECIPIENT_KINDS:
                from cchc_desktop.errors import ValidationError

                raise ValidationError(f"Loại văn bản không hợp lệ: {kind} "
                                      f"(chọn một trong: {', '.join(RECIPIENT_KINDS)})")
            profile.recipients_by_kind[kind] = [r.strip() for r in value.split(";") if r.strip()]
        save_profile(session, profile)
    print("profile saved")
    return 0
