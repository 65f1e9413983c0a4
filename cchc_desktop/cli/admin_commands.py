"""Administration commands: backup, restore, check, users, audit.

Scripts act as a user by setting ``CCHC_USER`` and ``CCHC_PASSWORD``; without
them a single-PC database acts as the local administrator, while a database
that requires log-in (the shared server, or the ``require_login`` setting)
refuses to be used.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from cchc_desktop.cli.context import CliContext, parse_date_arg
from cchc_desktop.errors import EnvironmentProblem, ValidationError

NEW_PASSWORD_ENV = "CCHC_NEW_PASSWORD"
# Exit code of ``audit verify`` and ``check`` when the audit log was tampered with.
AUDIT_BROKEN_EXIT = 4


def register(sub: argparse._SubParsersAction) -> None:
    """Add the administration commands to the ``cchc`` parser."""
    p = sub.add_parser("backup", help="back up the SQLite database (online, consistent)")
    p.add_argument("--out", type=Path, metavar="FILE", help="where to write the copy "
                   "(default: the backups folder beside the database, rotated); a FILE "
                   "ending in .zip gets the database, its evidence files and their hashes")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup or a .zip made by "
                       "backup --out (checked first)")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("backups", help="list the backups of the database")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("check", help="check the database's integrity")
    p.set_defaults(func=cmd_check)

    users = sub.add_parser("users", help="user accounts").add_subparsers(dest="action", required=True)
    p = users.add_parser("add", help=f"add an account (password from ${NEW_PASSWORD_ENV} or asked)")
    p.add_argument("username")
    p.add_argument("--role", choices=["admin", "unit", "viewer"], default="viewer")
    p.add_argument("--unit", help="the unit (name, short name or id) of a 'unit' account")
    p.add_argument("--full-name", default="")
    p.set_defaults(func=cmd_users_add)
    p = users.add_parser("list", help="list accounts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_users_list)
    p = users.add_parser("passwd", help=f"change a password (from ${NEW_PASSWORD_ENV} or asked)")
    p.add_argument("username")
    p.set_defaults(func=cmd_users_passwd)
    p = users.add_parser("disable", help="disable an account")
    p.add_argument("username")
    p.set_defaults(func=cmd_users_disable, active=False)
    p = users.add_parser("enable", help="enable a disabled account")
    p.add_argument("username")
    p.set_defaults(func=cmd_users_disable, active=True)
    p = users.add_parser("require-login", help="ask for log-in on this database (single PC)")
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(func=cmd_require_login)

    p = sub.add_parser("audit", help="the audit log: who changed what, when")
    p.add_argument("--since", type=parse_date_arg, help="from this date")
    p.add_argument("--until", type=parse_date_arg, help="up to this date")
    p.add_argument("--entity", help="task, unit, plan, document, user, ...")
    p.add_argument("--id", type=int, dest="entity_id")
    p.add_argument("--user", dest="username")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit)
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION")  # none: list the log
    verify = actions.add_parser("verify", help="check the hash chain of the audit log (and, on "
                                f"SQLite, its triggers); exit {AUDIT_BROKEN_EXIT} when broken")
    verify.set_defaults(func=cmd_audit_verify)


def _sqlite_path(ctx: CliContext) -> Path:
    from sqlalchemy.engine import make_url

    from cchc_desktop.store.db import resolve_url

    url = make_url(resolve_url(ctx.db_target))
    if url.get_backend_name() != "sqlite" or not url.database:
        raise EnvironmentProblem(
            "Backups of a PostgreSQL server are made on the server with pg_dump (see README)."
        )
    return Path(url.database)


def _require_admin(ctx: CliContext, action: str) -> None:
    from cchc_desktop.services.access import current_user, require_admin

    with ctx.db.session() as session:
        require_admin(current_user(session), action)


def cmd_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.store.archive import is_archive, write_archive
    from cchc_desktop.store.backup import make_backup

    path = _sqlite_path(ctx)
    _require_admin(ctx, "sao lưu")
    if args.out is not None and is_archive(args.out):
        summary = write_archive(path, args.out)
        print(f"archive written: {summary.path} (database and {summary.files} evidence files, "
              f"{summary.total_bytes} bytes)")
        _warn_missing(summary.missing)
        return 0
    out = make_backup(path, args.out, reason="manual")
    print(f"backup written: {out}")
    return 0


def _warn_missing(missing: list[str]) -> None:
    if missing:
        print(f"warning: {len(missing)} evidence file(s) the database references were missing "
              f"or altered and are not in the archive: "
              f"{', '.join(m[:12] for m in missing[:5])} (see: cchc evidence verify)",
              file=sys.stderr)


def cmd_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.store.archive import is_archive, restore_archive
    from cchc_desktop.store.backup import check_backup_file, restore_backup
    from cchc_desktop.store.db import DatabaseDamaged, NewerDatabase

    path = _sqlite_path(ctx)
    archive = is_archive(args.file)
    if archive:
        if not args.file.is_file():
            raise EnvironmentProblem(f"Không tìm thấy tệp: {args.file}")
    else:
        check_backup_file(args.file)
    try:
        _require_admin(ctx, "khôi phục bản sao lưu")
    except (DatabaseDamaged, NewerDatabase):
        # Damaged, failing to upgrade or made by a newer version: it cannot be opened to ask
        # who may restore, and it is kept aside (never lost) by the restore.
        pass
    ctx.close()
    if archive:
        summary = restore_archive(path, args.file)
        kept = summary.kept
        print(f"restored {args.file} into {path} ({summary.files} evidence files checked)")
        _warn_missing(summary.missing)
    else:
        kept = restore_backup(path, args.file)
        print(f"restored {args.file} into {path}")
    if kept:
        print(f"the previous database was kept as {kept}")
    return 0


def cmd_backups(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.store.backup import list_backups

    backups = list_backups(_sqlite_path(ctx))
    if args.json:
        ctx.print_json([{"path": str(b.path), "taken_at": b.taken_at.isoformat(),
                         "reason": b.reason, "size": b.size} for b in backups])
        return 0
    for b in backups:
        print(f"{b.taken_at:%d/%m/%Y %H:%M:%S}  {b.reason:<14} {b.size:>10}  {b.path}")
    return 0


def cmd_check(args: argparse.Namespace, ctx: CliContext) -> int:
    from sqlalchemy import text

    from cchc_desktop.store.backup import check_backup_file
    from cchc_desktop.store.migrate import current_revision

    db = ctx.db
    if db.sqlite_path is not None:
        check_backup_file(db.sqlite_path)  # the full PRAGMA integrity_check
    else:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM tasks"))
    if not _audit_verified(ctx):
        return AUDIT_BROKEN_EXIT
    from cchc_desktop.store.server_setup import server_problems

    with db.engine.connect() as conn:
        problems = server_problems(conn)
    for problem in problems:  # a set-up server whose audit triggers or security were switched off
        print(f"server: {problem}", file=sys.stderr)
    if problems:
        return AUDIT_BROKEN_EXIT
    print(f"ok: {db.url} (schema {current_revision(db.engine)})")
    return 0


def _audit_verified(ctx: CliContext) -> bool:
    """Check the audit log; print the result (problems on stderr); True when it is whole."""
    from cchc_desktop.store.audit_chain import check_audit_log

    with ctx.db.engine.connect() as conn:
        report = check_audit_log(conn)
    if not report.ok:
        for line in report.problems():
            print(line, file=sys.stderr)
        return False
    chain = report.chain
    last = f", last row #{chain.last_id}, hash {chain.last_hash}" if chain.count else ""
    print(f"audit log intact: {chain.count} rows, hash chain whole{last}")
    return True


def _new_password(username: str) -> str:
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise ValidationError(f"Set {NEW_PASSWORD_ENV} or run on a terminal to type the password.")
    first = getpass.getpass(f"Mật khẩu mới cho {username}: ")
    if getpass.getpass("Nhập lại: ") != first:
        raise ValidationError("Hai lần nhập mật khẩu không khớp.")
    return first


def cmd_users_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.units import find_unit
    from cchc_desktop.services.users import add_user

    with ctx.db.session() as session:
        unit_id = None
        if args.unit:
            unit = find_unit(session, args.unit)
            if unit is None and args.unit.isdigit():
                unit_id = int(args.unit)
            elif unit is None:
                raise ValidationError(f"Không có đơn vị '{args.unit}'.")
            else:
                unit_id = unit.id
        info = add_user(session, args.username, _new_password(args.username), args.role,
                        unit_id=unit_id, full_name=args.full_name)
    print(f"user {info.username} added ({info.role})")
    return 0


def cmd_users_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from dataclasses import asdict

    from cchc_desktop.services.users import list_users

    with ctx.db.session() as session:
        users = list_users(session)
    if args.json:
        ctx.print_json([asdict(u) for u in users])
        return 0
    for u in users:
        state = "" if u.active else "  (đã khóa)"
        print(f"{u.username:<20} {u.role:<7} {u.full_name}  {u.unit_name}{state}")
    return 0


def cmd_users_passwd(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.users import set_password

    with ctx.db.session() as session:
        set_password(session, args.username, _new_password(args.username))
    print(f"password of {args.username} changed")
    return 0


def cmd_users_disable(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.users import set_active

    with ctx.db.session() as session:
        set_active(session, args.username, args.active)
    print(f"user {args.username} {'enabled' if args.active else 'disabled'}")
    return 0


def cmd_require_login(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.services.users import set_require_login

    with ctx.db.session() as session:
        set_require_login(session, args.state == "on")
    print(f"require_login {args.state}")
    return 0


def cmd_audit_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    return 0 if _audit_verified(ctx) else AUDIT_BROKEN_EXIT


def cmd_audit(args: argparse.Namespace, ctx: CliContext) -> int:
    from cchc_desktop.store.audit import list_audit

    with ctx.db.session() as session:
        rows = list_audit(session, since=args.since, until=args.until, entity=args.entity,
                          entity_id=args.entity_id, username=args.username, limit=args.limit)
    if args.json:
        ctx.print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        target = f"{r.entity} #{r.entity_id}" if r.entity_id is not None else r.entity
        change = f" {r.field}: {r.old_value!r} -> {r.new_value!r}" if r.field else ""
        print(f"{r.at:%d/%m/%Y %H:%M:%S}  {r.username:<12} {r.action:<6} {target}{change}")
    return 0
