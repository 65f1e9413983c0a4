"""Every file an export writes: a failed write keeps the previous file, leaves no debris and
says why in one line (exit 1), never "internal error". Run from outside: ``cchc`` in a
subprocess with a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored), and targets that cannot be
written even by root (a folder with the file's name, a path under a regular file).

Before the fix a file-size limit left a truncated .docx in place of the previous one, and the
.xlsx, criteria and backup writers failed the same way or with "internal error".
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cchc_desktop.cli.main import main
from cchc_desktop.store.atomic import TEMP_PREFIX

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 4096  # bytes: below every export

# The limit is set once the database is open (opening it writes its -shm file), or at once
# for "backup", which reads the database file directly.
_LIMITED = textwrap.dedent("""
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[1])

    def apply_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    import cchc_desktop.store.db as store_db
    real_open = store_db.open_database

    def open_then_limit(*args, **kwargs):
        database = real_open(*args, **kwargs)
        apply_limit()
        return database

    store_db.open_database = open_then_limit
    if "backup" in sys.argv:
        apply_limit()
    from cchc_desktop.cli.main import main
    sys.exit(main(sys.argv[2:]))
""")


def cchc(*args: str, limit: int | None = None, data_dir: Path) -> subprocess.CompletedProcess:
    """Run ``cchc ARGS`` in a fresh process, with a file-size limit when ``limit`` is given."""
    # No .pyc writes: under the size limit Python would leave truncated ones behind.
    env = {"PYTHONPATH": str(ROOT), "CCHC_DATA_DIR": str(data_dir), "PATH": os.environ["PATH"],
           "PYTHONDONTWRITEBYTECODE": "1"}
    command = ([sys.executable, "-c", _LIMITED, str(limit), *args] if limit
               else [sys.executable, "-m", "cchc_desktop.cli.main", *args])
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database with 2,000 demo tasks (its exports are far above LIMIT)."""
    from datetime import date

    from cchc_desktop.services.demo import build_demo
    from cchc_desktop.services.scoring import load_template
    from cchc_desktop.store.db import open_database

    path = tmp_path_factory.mktemp("big") / "cchc.sqlite3"
    database = open_database(str(path))
    with database.session() as session:
        build_demo(session, 2000, seed=3, today=date(2026, 6, 1))
        load_template(session, 2026)
    database.close()
    assert main(["--db", str(path), "check"]) == 0  # today's automatic backup is taken now
    return path


EXPORTS = {
    "tasks.xlsx": ["export", "tasks", "{out}"],
    "documents.xlsx": ["export", "documents", "{out}"],
    "plan.docx": ["export", "plan", "1", "--out", "{out}"],
    "report.docx": ["export", "report", "--period", "2026-H1", "--no-charts", "--out", "{out}"],
    "criteria.xlsx": ["scoring", "export", "--year", "2026", "--out", "{out}"],
    "criteria.json": ["scoring", "export", "--year", "2026", "--out", "{out}"],
    "backup.sqlite3": ["backup", "--out", "{out}"],
}


def _args(db: Path, name: str, out: Path) -> list[str]:
    return ["--db", str(db), *(a.replace("{out}", str(out)) for a in EXPORTS[name])]


def _assert_clean_failure(run: subprocess.CompletedProcess, folder: Path, before: set[str]) -> None:
    assert run.returncode == 1, (run.returncode, run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert {p.name for p in folder.iterdir()} == before  # no temporary file left


@pytest.mark.parametrize("name", list(EXPORTS))
def test_a_file_size_limit_keeps_the_previous_file(name: str, big_db: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / name
    out.write_bytes(b"the previous file, which must survive")
    run = cchc(*_args(big_db, name, out), limit=LIMIT, data_dir=tmp_path)
    _assert_clean_failure(run, out_dir, {name})
    assert out.read_bytes() == b"the previous file, which must survive"
    if name != "backup.sqlite3":  # SQLite says "disk full" for any refused write
        assert "kích thước" in run.stderr, run.stderr
    # Without the limit the same command replaces the file, again leaving nothing else.
    again = cchc(*_args(big_db, name, out), data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert out.stat().st_size > LIMIT and {p.name for p in out_dir.iterdir()} == {name}


@pytest.mark.parametrize("name", ["tasks.xlsx", "plan.docx", "criteria.json", "backup.sqlite3"])
def test_a_folder_with_the_files_name_is_refused(name: str, big_db: Path, tmp_path: Path) -> None:
    out = tmp_path / name
    out.mkdir()
    (out / "inside.txt").write_text("kept")
    run = cchc(*_args(big_db, name, out), data_dir=tmp_path / "data")
    _assert_clean_failure(run, tmp_path, {name, "data"} & {p.name for p in tmp_path.iterdir()})
    assert [p.name for p in out.iterdir()] == ["inside.txt"]
    assert "là một thư mục" in run.stderr


@pytest.mark.parametrize("name", ["documents.xlsx", "report.docx", "criteria.xlsx"])
def test_a_path_under_a_regular_file_is_refused(name: str, big_db: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("a file, not a folder")
    run = cchc(*_args(big_db, name, plain / name), data_dir=tmp_path / "data")
    _assert_clean_failure(run, tmp_path, {p.name for p in tmp_path.iterdir()})
    assert "không phải là thư mục" in run.stderr
    assert plain.read_text() == "a file, not a folder"


def test_a_pdf_is_renamed_into_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice writes into its own folder; the PDF is copied beside the target, renamed."""
    from cchc_desktop.errors import EnvironmentProblem
    from cchc_desktop.exporters import pdf

    fake = tmp_path / "soffice"
    fake.write_text(textwrap.dedent("""\
        #!/bin/sh
        # --outdir DIR SOURCE: write SOURCE's stem .pdf into DIR
        while [ "$1" != "--outdir" ]; do shift; done
        stem=$(basename "$3" .docx)
        printf '%%PDF-1.4 new' > "$2/$stem.pdf"
    """))
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    work = tmp_path / "work"
    work.mkdir()
    source = work / "bao_cao.docx"
    source.write_bytes(b"docx")
    target = work / "bao_cao.pdf"
    target.write_bytes(b"old pdf")
    assert pdf.convert_to_pdf(source) == target
    assert target.read_bytes() == b"%PDF-1.4 new"
    assert sorted(p.name for p in work.iterdir()) == ["bao_cao.docx", "bao_cao.pdf"]
    folder_pdf = work / "thu_muc.pdf"
    folder_pdf.mkdir()
    with pytest.raises(EnvironmentProblem, match="là một thư mục"):
        pdf.convert_to_pdf(source, folder_pdf)
    assert sorted(p.name for p in work.iterdir()) == ["bao_cao.docx", "bao_cao.pdf", "thu_muc.pdf"]


def test_a_killed_export_leaves_debris_that_the_next_start_removes(big_db: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "tasks.xlsx"
    out.write_bytes(b"previous")
    env = {"PYTHONPATH": str(ROOT), "CCHC_DATA_DIR": str(tmp_path), "PATH": os.environ["PATH"],
           "PYTHONDONTWRITEBYTECODE": "1"}
    # Kill the export while it writes: its temporary file is there, the target untouched.
    script = textwrap.dedent(f"""
        import os, signal
        from openpyxl import Workbook
        real = Workbook.save
        def save(self, filename):
            real(self, filename)
            os.kill(os.getpid(), signal.SIGKILL)
        Workbook.save = save
        from cchc_desktop.cli.main import main
        main(["--db", {str(big_db)!r}, "export", "tasks", {str(out)!r}])
    """)
    run = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, timeout=300,
                         capture_output=True, text=True)
    assert run.returncode == -9, run.stderr
    debris = [p for p in out_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert len(debris) == 1 and out.read_bytes() == b"previous"
    past = time.time() - 3600
    os.utime(debris[0], (past, past))
    # The next export into that folder starts by removing what the killed one left.
    assert cchc(*_args(big_db, "tasks.xlsx", out), data_dir=tmp_path).returncode == 0
    assert [p.name for p in out_dir.iterdir()] == ["tasks.xlsx"]


def _debris(folder: Path, name: str, *, old: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{TEMP_PREFIX}{name}"
    path.write_bytes(b"half a file")
    if old:
        past = time.time() - 3600
        os.utime(path, (past, past))
    return path


def test_the_cli_start_cleans_the_data_database_and_backups_folders(big_db: Path, tmp_path: Path) -> None:  # noqa: E501
    data = tmp_path / "data"
    old = [_debris(data, "a.docx"), _debris(big_db.parent, "b.sqlite3"),
           _debris(big_db.parent / "backups", "c.sqlite3"),
           _debris(big_db.parent / "backups", "c.sqlite3-journal")]
    young = _debris(big_db.parent, "d.xlsx", old=False)  # another process may be writing it
    run = cchc("--db", str(big_db), "tasks", "summary", "--as-of", "2026-06-01", data_dir=data)
    assert run.returncode == 0, run.stderr
    assert not any(p.exists() for p in old)
    assert young.exists()
    young.unlink()


def test_the_gui_start_cleans_them_in_its_worker(big_db: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from cchc_desktop.gui import startup

    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    old = [_debris(tmp_path / "data", "a.png"), _debris(big_db.parent / "backups", "b.sqlite3")]
    database = startup._open(str(big_db))
    database.close()
    assert not any(p.exists() for p in old)
