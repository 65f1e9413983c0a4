"""Every ``cchc`` command with the three roles: a viewer changes nothing, a unit only its own.

The commands are enumerated from the real argument parser, so a command added
without an entry in :data:`CASES` fails :func:`test_every_command_has_a_case`.
Each case runs on its own copy of one prepared database (require_login on, one
account per role) and compares the whole database before and after a refusal.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cchc_desktop.cli.main import build_parser, main

PASSWORD = "mat-khau-123"
READ, ADMIN, OWN_UNIT, SELF = "read", "admin", "own-unit", "self"
# Not for this database (a PostgreSQL command): every role gets the same clear refusal and
# nothing changes. tests/reliability/test_server_roles.py runs it on a server.
SERVER_ONLY = "server-only"
# One or more (kind, argv) per command. {own}/{other}: tasks led by the unit account's
# unit and by another unit; {me}: the acting account; {files}: prepared input files.
# READ: every role may run it. ADMIN: refused for viewer and unit. OWN_UNIT: a unit
# account may act on {own} but is refused on {other}; a viewer is refused.
# SELF: every role may act on its own account, only an admin on another's.
CASES: dict[str, list[tuple[str, list[str]]]] = {
    "init": [(READ, [])],
    "demo": [(ADMIN, ["--tasks", "5", "--replace", "--yes"])],
    "units list": [(READ, [])],
    "units add": [(ADMIN, ["Phòng mới"])],
    "tasks summary": [(READ, [])],
    "tasks list": [(READ, [])],
    "plans list": [(READ, [])],
    "plans copy": [(ADMIN, ["{plan}", "--year", "2030"])],
    "documents list": [(READ, [])],
    "profile show": [(READ, [])],
    "profile set": [(ADMIN, ["--signer", "Cầm Văn An"])],
    "import tasks": [(READ, ["{files}/tasks.xlsx", "--dry-run"]),
                     (ADMIN, ["{files}/tasks.xlsx"])],
    "import documents": [(READ, ["{files}/documents.xlsx", "--dry-run"]),
                         (ADMIN, ["{files}/documents.xlsx"])],
    "export tasks": [(READ, ["{out}/t.xlsx"]),
                     (READ, ["--format", "docx", "--by-unit", "--out", "{out}/t.docx"])],
    "export documents": [(READ, ["{out}/d.xlsx"])],
    "export report": [(READ, ["--period", "2024-Q4", "--out", "{out}/r.docx"])],
    "export plan": [(READ, ["{plan}", "--out", "{out}/p.docx"])],
    "export overdue": [(READ, ["--as-of", "2024-12-31", "--out", "{out}/o.docx"])],
    "export scoring": [(READ, ["--year", "2024", "--out", "{out}/s.docx"])],
    "evidence add": [(OWN_UNIT, ["{files}/bien-ban.pdf", "--task", "{task}"])],
    "evidence list": [(READ, [])],
    "evidence verify": [(READ, [])],
    "evidence bundle": [(READ, ["--year", "2024", "--out", "{out}/b.zip"])],
    "evidence limit": [(READ, []), (ADMIN, ["--mb", "5"])],
    "evidence delete": [(ADMIN, ["{evidence}", "--yes"])],
    "evidence trash": [(READ, []), (ADMIN, ["--purge", "{trash}", "--yes"]),
                       (ADMIN, ["--empty", "--yes"])],
    "evidence restore": [(ADMIN, ["{trash}"])],
    "scoring import": [(ADMIN, ["{files}/framework.json", "--year", "2026"])],
    "scoring template": [(ADMIN, ["--year", "2025"])],
    "scoring copy": [(ADMIN, ["--from", "2024", "--to", "2027"])],
    "scoring set": [(ADMIN, ["--year", "2024", "--code", "{leaf}", "--score", "0,5"])],
    "scoring show": [(READ, ["--year", "2024"])],
    "scoring export": [(READ, ["--year", "2024", "--out", "{out}/f.json"])],
    "index set": [(ADMIN, ["PAR INDEX", "--year", "2019", "--score", "90"])],
    "index list": [(READ, [])],
    "index delete": [(ADMIN, ["PAR INDEX", "--year", "2023"])],
    "backup": [(ADMIN, ["--out", "{out}/copy.sqlite3"])],
    "restore": [(ADMIN, ["{files}/backup.sqlite3"])],
    "backups": [(READ, [])],
    "check": [(READ, [])],
    "users add": [(ADMIN, ["newbie", "--role", "viewer"])],
    "users list": [(READ, [])],
    "users passwd": [(SELF, ["{me}"]), (ADMIN, ["boss"])],
    "users disable": [(ADMIN, ["boss2"])],
    "users enable": [(ADMIN, ["boss2"])],
    "users require-login": [(ADMIN, ["off"])],
    "audit": [(READ, [])],
    "audit verify": [(READ, [])],
    "server setup": [(SERVER_ONLY, [])],
    "report draft": [(READ, ["--period", "2024-Q4"])],
    "report text": [(READ, ["--period", "2024-Q4", "--section", "intro"]),
                    (ADMIN, ["--period", "2024-Q4", "--section", "intro",
                             "--set", "{files}/section.txt"])],
    "export reminders": [(READ, ["--as-of", "2024-12-31", "--out-dir", "{out}"])],
    "export unit-sheets": [(READ, ["--out-dir", "{out}"])],
    "import unit-sheets": [(ADMIN, ["{files}/sheets", "--dry-run"]),
                           (ADMIN, ["{files}/sheets"])],
    "tasks set": [(OWN_UNIT, ["{task}", "--completed", "2024-06-01"]),
                  (ADMIN, ["{task}", "--due", "2024-12-31"])],
    "extensions list": [(READ, [])],
    "plans add": [(ADMIN, ["--year", "2025", "--title", "Kế hoạch tuyên truyền CCHC năm 2025"])],
    "plans groups": [(READ, ["{plan}"])],
    "plans group": [(ADMIN, ["{group}", "--area", "3"])],
    "units alias": [(ADMIN, ["Văn phòng Sở", "Văn phòng"])],
    "extensions request": [(OWN_UNIT, ["{task}", "--to", "2025-03-31", "--reason", "Chờ số liệu"])],
    "extensions approve": [(ADMIN, ["{request}", "--document", "36/KH-UBND"])],
    "extensions reject": [(ADMIN, ["{request}", "--reason", "Không đủ căn cứ"])],
    "templates list": [(READ, [])],
    "templates export": [(READ, ["plan", "--out", "{out}/ke_hoach.docx"])],
    "templates import": [(ADMIN, ["plan", "{files}/ke_hoach.docx"])],
    "templates reset": [(ADMIN, ["plan", "--yes"])],
}


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            if prefix and not action.required:  # the group runs on its own too: "audit"
                yield " ".join(prefix)
            for name, child in action.choices.items():
                yield from _leaves(child, (*prefix, name))
            return
    yield " ".join(prefix)


def test_every_command_has_a_case() -> None:
    commands = set(_leaves(build_parser()))
    assert commands - CASES.keys() == set(), "a command without a rights case: add it to CASES"
    assert CASES.keys() - commands == set()


# --- the prepared database ----------------------------------------------------------------


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A database with two units, tasks, a plan, documents, criteria, evidence and a trash.

    Returns the folder holding it (copied whole for each case) and the ids the cases use.
    """
    import os

    from cchc_desktop.domain.task_rules import TaskDraft
    from cchc_desktop.services import tasks as svc
    from cchc_desktop.services.documents import save_document
    from cchc_desktop.services.evidence import EvidenceStore, LinkTarget
    from cchc_desktop.services.plans import save_plan
    from cchc_desktop.services.units import create_unit
    from cchc_desktop.services.users import add_user
    from cchc_desktop.store.db import open_database

    root = tmp_path_factory.mktemp("matrix")
    data, files = root / "data", root / "files"
    files.mkdir()
    saved_env = {k: os.environ.get(k) for k in ("CCHC_DATA_DIR", "CCHC_NEW_PASSWORD")}
    os.environ["CCHC_DATA_DIR"] = str(data)
    os.environ["CCHC_NEW_PASSWORD"] = PASSWORD
    db_path = root / "db" / "cchc.sqlite3"
    db_path.parent.mkdir()
    try:
        db = open_database(str(db_path), auto_backup=False)
        (files / "bien-ban.pdf").write_bytes(b"%PDF-1.4 bien ban\n")
        (files / "section.txt").write_text("Sở đã ban hành kế hoạch.", encoding="utf-8")
        from cchc_desktop.services.doc_templates import shipped_template

        (files / "ke_hoach.docx").write_bytes(shipped_template("plan"))
        with db.session() as s:
            vp = create_unit(s, "Văn phòng Sở", "VP").id
            tt = create_unit(s, "Thanh tra Sở", "TTr").id
            plan = save_plan(s, year=2024, title="Kế hoạch CCHC năm 2024",
                             number="12/KH-SGDĐT").id
            own = svc.create_task(s, TaskDraft(content="Việc của VP", lead_unit_id=vp,
                                               year=2024), plan_id=plan).id
            other = svc.create_task(s, TaskDraft(content="Việc của TTr", lead_unit_id=tt,
                                                 year=2024), plan_id=plan).id
            save_document(s, "36/KH-UBND", date(2024, 1, 26), issuer="UBND tỉnh",
                          summary="Tuyên truyền CCHC")
            add_user(s, "boss", PASSWORD, "admin")
            add_user(s, "boss2", PASSWORD, "admin")
            add_user(s, "vp", PASSWORD, "unit", unit_id=vp)
            add_user(s, "xem", PASSWORD, "viewer")
        for extra in (files / "a.txt", files / "b.txt"):
            extra.write_text(f"biên bản {extra.name}", encoding="utf-8")
        with db.session() as s:
            store = EvidenceStore(s)
            evidence = store.add_file(files / "a.txt", target=LinkTarget("task", own)).id
            gone = store.add_file(files / "b.txt", target=LinkTarget("task", other)).id
            trash = store.delete(gone).id
        with db.session() as s:
            from cchc_desktop.store.models import PlanGroup

            group = PlanGroup(plan_id=plan, position=1, number="I", title="Cải cách thể chế",
                              area=2)
            s.add(group)
            s.flush()
            group = group.id
        with db.session() as s:
            from cchc_desktop.services.extensions import request_extension

            request = request_extension(s, own, date(2025, 1, 31), "Chờ số liệu của UBND").id
        db.close()
        base = ["--db", str(db_path)]
        for argv in (["scoring", "template", "--year", "2024"],
                     ["index", "set", "PAR INDEX", "--year", "2023", "--score", "91"],
                     ["export", "tasks", str(files / "tasks.xlsx")],
                     ["export", "documents", str(files / "documents.xlsx")],
                     ["scoring", "export", "--year", "2024", "--out", str(files / "framework.json")],
                     ["backup", "--out", str(files / "backup.sqlite3")],
                     ["export", "unit-sheets", "--out-dir", str(files / "sheets")],
                     ["profile", "set", "--parent", "UBND TỈNH SƠN LA", "--agency",
                      "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "--abbr", "SGDĐT", "--place", "Sơn La"],
                     ["users", "require-login", "on"]):
            assert main([*base, *argv]) == 0, argv
        import json

        tree = json.loads((files / "framework.json").read_text(encoding="utf-8"))
        leaf = _first_leaf(tree)
        yield {"root": root, "plan": plan, "own": own, "other": other, "evidence": evidence,
               "trash": trash, "leaf": leaf,
               "request": request, "group": group}
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _first_leaf(framework: dict) -> str:
    """The code of the first criterion without sub-criteria in an exported framework."""
    codes = [c["code"] for c in framework["criteria"]]
    return next(c for c in codes if not any(o.startswith(c + ".") for o in codes))


@pytest.fixture
def case_dir(prepared: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A private copy of the prepared folder (database, data folder, files) for one case."""
    copy = tmp_path / "case"
    shutil.copytree(prepared["root"], copy)
    monkeypatch.setenv("CCHC_DATA_DIR", str(copy / "data"))
    monkeypatch.setenv("CCHC_NEW_PASSWORD", "mat-khau-moi-456")
    (copy / "out").mkdir()
    return {**prepared, "root": copy, "db": copy / "db" / "cchc.sqlite3",
            "files": copy / "files", "out": copy / "out"}


def _dump(path: Path) -> list[str]:
    """The whole database as text: its schema, then every row of every stored table (what a
    refused command must leave identical). Virtual tables are read through the tables that
    store them (the full-text index is contentless: it cannot be scanned itself, so
    ``iterdump`` fails on it)."""
    conn = sqlite3.connect(path)
    try:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master "
                              "WHERE sql IS NOT NULL ORDER BY type, name").fetchall()
        lines = [sql for _type, _name, sql in schema]
        for kind, name, sql in schema:
            if kind == "table" and not sql.startswith("CREATE VIRTUAL TABLE"):
                rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
                lines += sorted(f"{name}: {row!r}" for row in rows)
        return lines
    finally:
        conn.close()


def _run(case: dict, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         user: str, command: str, argv: list[str], task: str = "own") -> tuple[int, str]:
    values = {k: str(v) for k, v in case.items()} | {"me": user, "task": str(case[task])}
    args = [a.format(**values) for a in argv]
    monkeypatch.setenv("CCHC_USER", user)
    monkeypatch.setenv("CCHC_PASSWORD", PASSWORD)
    code = main(["--db", str(case["db"]), *command.split(), *args])
    out, err = capsys.readouterr()
    return code, out + err


def _refused(code: int, output: str, user: str) -> bool:
    """A refusal for the user's role (not a wrong argument): the rights message names them."""
    return code == 1 and f"Tài khoản '{user}'" in output


ALL_CASES = [(command, kind, argv) for command, cases in CASES.items() for kind, argv in cases]


@pytest.mark.parametrize(("command", "kind", "argv"), ALL_CASES,
                         ids=[f"{c}:{' '.join(a) or '-'}" for c, _k, a in ALL_CASES])
def test_command_with_each_role(command: str, kind: str, argv: list[str], case_dir: dict,
                                capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = _dump(case_dir["db"])
    if kind == SERVER_ONLY:
        for user in ("xem", "vp", "boss"):
            code, output = _run(case_dir, capsys, monkeypatch, user, command, argv)
            assert code == 1 and "PostgreSQL" in output, (user, output)
            assert _dump(case_dir["db"]) == before
        return
    if kind == READ:
        for user in ("xem", "vp"):
            code, output = _run(case_dir, capsys, monkeypatch, user, command, argv)
            assert code == 0, (user, output)
            assert _dump(case_dir["db"]) == before, f"{user} changed the database: {command}"
        return
    if kind == SELF:
        for user in ("xem", "vp"):
            code, output = _run(case_dir, capsys, monkeypatch, user, command, argv)
            assert code == 0, (user, output)
        return
    for user in ("xem", "vp") if kind == ADMIN else ("xem",):
        code, output = _run(case_dir, capsys, monkeypatch, user, command, argv)
        assert _refused(code, output, user), (user, code, output)
        assert _dump(case_dir["db"]) == before, f"{user} changed the database: {command}"
    if kind == OWN_UNIT:
        code, output = _run(case_dir, capsys, monkeypatch, "vp", command, argv, task="other")
        assert _refused(code, output, "vp"), output
        assert _dump(case_dir["db"]) == before, "a unit account wrote to another unit's task"
        code, output = _run(case_dir, capsys, monkeypatch, "vp", command, argv, task="own")
        assert code == 0, output
        assert _dump(case_dir["db"]) != before
        return
    # The same command by an administrator works: the refusals above were about rights.
    code, output = _run(case_dir, capsys, monkeypatch, "boss", command, argv)
    assert code == 0, output
