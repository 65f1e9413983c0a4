"""``cchc evidence``: add, list, verify, bundle, delete (to the trash) and restore evidence files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc_desktop.cli.context import CliContext


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``evidence`` command group to the ``cchc`` parser."""
    group = sub.add_parser("evidence", help="evidence files (tài liệu kiểm chứng)")
    actions = group.add_subparsers(dest="action", required=True)

    p = actions.add_parser("add", help="store a file and link it to a task, criterion or document")
    p.add_argument("file", type=Path)
    _targets(p, required=True)
    p.add_argument("--by", default="", help="who adds it (default: the database user)")
    p.set_defaults(func=cmd_add)

    p = actions.add_parser("list", help="list stored files, all or those of one target")
    _targets(p, required=False)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("verify", help="re-hash every stored file; non-zero exit on problems")
    p.set_defaults(func=cmd_verify)

    p = actions.add_parser("bundle", help="zip the year's evidence, one folder per criterion")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.zip")
    p.set_defaults(func=cmd_bundle)

    p = actions.add_parser("limit", help="show or change the size limit for one file")
    p.add_argument("--mb", type=float, help="new limit in MB (setting evidence_max_mb)")
    p.set_defaults(func=cmd_limit)

    p = actions.add_parser("delete", help="move a stored file and its links to the trash")
    p.add_argument("evidence_id", type=int)
    p.add_argument("--yes", action="store_true", help="confirm the deletion")
    p.set_defaults(func=cmd_delete)

    p = actions.add_parser("trash", help="list the trash; --purge ID or --empty deletes for good")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--purge", type=int, metavar="TRASH_ID",
                       help="delete one trashed file for good (with --yes)")
    which.add_argument("--empty", action="store_true",
                       help="delete every trashed file for good (with --yes)")
    p.add_argument("--yes", action="store_true", help="confirm a permanent deletion")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_trash)

    p = actions.add_parser("restore", help="bring a trashed file back with its links")
    p.add_argument("trash_id", type=int, help="the id shown by 'evidence trash'")
    p.set_defaults(func=cmd_restore)


def _targets(p: argparse.ArgumentParser, *, required: bool) -> None:
    which = p.add_mutually_exclusive_group(required=required)
    which.add_argument("--task", type=int, metavar="ID")
    which.add_argument("--criterion", metavar="CODE", help="criterion code, with --year")
    which.add_argument("--document", type=int, metavar="ID")
    p.add_argument("--year", type=int, help="framework year of --criterion")


def _target(args: argparse.Namespace, session):  # noqa: ANN001, ANN202
    from cchc_desktop.errors import ValidationError
    from cchc_desktop.services.evidence import LinkTarget, criterion_target

    if args.task is not None:
        return LinkTarget("task", args.task)
    if args.document is not None:
        return LinkTarget("document", args.document)
    if args.criterion is not None:
        if args.year is None:
            raise ValidationError("--criterion needs --year")
        return criterion_target(session, args.year, args.criterion)
    return None


def cmd_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.evidence import EvidenceStore

    db = ctx.db
    with db.session() as session:
        info = EvidenceStore(session).add_file(
            args.file, added_by=args.by or db.username, target=_target(args, session)
        )
    state = "stored" if info.created else "already stored, linked"
    print(f"evidence {info.id} {state}: {info.name} ({info.size} bytes, sha256 {info.sha256[:12]})")
    return 0


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.domain.filenames import display_name
    from cchc_desktop.services.evidence import EvidenceStore

    with ctx.db.session() as session:
        items = EvidenceStore(session).list(_target(args, session))
    if args.json:
        ctx.print_json([i.as_json() for i in items])
        return 0
    for i in items:
        links = "; ".join(link.label for link in i.links) or "(chưa liên kết)"
        print(f"{i.id:>5}  {display_name(i.name)}  {i.size:>10} B  {i.added_at:%d/%m/%Y}  {links}")
    print(f"({len(items)} tệp)")
    return 0


def cmd_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.evidence import EvidenceStore

    with ctx.db.session() as session:
        report = EvidenceStore(session).verify()
    if report.ok:
        print(f"evidence store OK: {report.checked} files checked "
              f"(and {report.trash_checked} in the trash)")
        return 0
    for line in report.problems():
        print(line, file=sys.stderr)
    print(f"evidence store: {len(report.missing)} missing, {len(report.altered)} altered "
          f"of {report.checked} files; in the trash {len(report.trash_missing)} missing, "
          f"{len(report.trash_altered)} altered of {report.trash_checked}", file=sys.stderr)
    return 1


def cmd_bundle(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.evidence import EvidenceStore

    with ctx.db.session() as session:
        count = EvidenceStore(session).bundle(args.year, args.out)
    print(f"bundle written: {args.out} ({count} files)")
    return 0


def cmd_delete(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.errors import UserError
    from cchc_desktop.services.evidence import EvidenceStore

    if not args.yes:
        raise UserError("deleting a file moves it and its links to the trash: repeat with --yes")
    with ctx.db.session() as session:
        info = EvidenceStore(session).delete(args.evidence_id)
    print(f"evidence {info.evidence_id} moved to the trash as {info.id}: {info.name} "
          f"(undo: cchc evidence restore {info.id})")
    return 0


def cmd_trash(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.domain.filenames import display_name
    from cchc_desktop.errors import UserError
    from cchc_desktop.services.evidence import EvidenceStore

    if (args.purge is not None or args.empty) and not args.yes:
        raise UserError("a permanent deletion cannot be undone: repeat with --yes")
    done = ""  # said once the transaction has committed
    with ctx.db.session() as session:
        store = EvidenceStore(session)
        if args.purge is not None:
            info = store.purge(args.purge)
            done = f"trash {info.id} deleted for good: {info.name}"
        elif args.empty:
            done = f"trash emptied: {store.empty_trash()} files deleted for good"
        else:
            items = store.list_trash()
    if done:
        print(done)
        return 0
    if args.json:
        ctx.print_json([i.as_json() for i in items])
        return 0
    for i in items:
        links = "; ".join(link.label for link in i.links) or "(chưa liên kết)"
        print(f"{i.id:>5}  {display_name(i.name)}  {i.size:>10} B  "
              f"{i.deleted_at:%d/%m/%Y %H:%M} {i.deleted_by}  {links}")
    print(f"({len(items)} tệp trong thùng rác)")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.evidence import EvidenceStore

    with ctx.db.session() as session:
        result = EvidenceStore(session).restore_from_trash(args.trash_id)
    how = "merged into" if result.merged else "restored as"
    print(f"trash {args.trash_id} {how} evidence {result.evidence.id}: {result.evidence.name} "
          f"({len(result.evidence.links)} links)")
    for link in result.lost_links:
        print(f"link not restored, its target no longer exists: {link.label}", file=sys.stderr)
    return 0


def cmd_limit(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.evidence import max_size_mb, set_max_size_mb

    with ctx.db.session() as session:
        if args.mb is not None:
            set_max_size_mb(session, args.mb)
        limit = max_size_mb(session)
    print(f"evidence size limit: {limit:g} MB per file")
    return 0
