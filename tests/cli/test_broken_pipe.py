"""``cchc … | head``: the reader closes the pipe early; the command ends quietly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_desktop.cli.main import EXIT_BROKEN_PIPE, main


@pytest.fixture
def big(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Enough tasks that the listing is far larger than a pipe's buffer (64 KiB)."""
    path = tmp_path / "big.sqlite3"
    assert main(["--db", str(path), "init"]) == 0
    assert main(["--db", str(path), "demo", "--tasks", "3000", "--today", "2024-11-20"]) == 0
    capsys.readouterr()
    return path


def _pipe_into(reader: list[str], db: Path, *argv: str) -> tuple[int, str, bytes]:
    cchc = subprocess.Popen(
        [sys.executable, "-m", "cchc_desktop.cli.main", "--db", str(db), *argv],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    head = subprocess.Popen(reader, stdin=cchc.stdout, stdout=subprocess.PIPE)
    assert cchc.stdout is not None and cchc.stderr is not None
    cchc.stdout.close()  # only `head` holds the reading end now
    shown, _ = head.communicate(timeout=120)
    err = cchc.stderr.read().decode("utf-8", "replace")
    cchc.stderr.close()
    return cchc.wait(timeout=120), err, shown


@pytest.mark.skipif(shutil.which("head") is None, reason="needs the head program")
@pytest.mark.parametrize("argv", [("tasks", "list"), ("tasks", "list", "--json")])
def test_output_cut_short_by_head_ends_quietly(big: Path, argv: tuple[str, ...]) -> None:
    code, err, shown = _pipe_into(["head", "-n", "1"], big, *argv)
    assert shown.count(b"\n") == 1
    assert err == "", err  # no "internal error: BrokenPipeError", no "Exception ignored"
    assert code == EXIT_BROKEN_PIPE


def test_a_reader_that_reads_nothing(big: Path) -> None:
    code, err, shown = _pipe_into([sys.executable, "-c", "pass"], big, "tasks", "list")
    assert (code, err, shown) == (EXIT_BROKEN_PIPE, "", b"")


def test_a_reader_that_reads_everything_sees_exit_0(big: Path) -> None:
    code, err, shown = _pipe_into(["cat"] if shutil.which("cat") else
                                  [sys.executable, "-c", "import sys; sys.stdout.buffer.write("
                                   "sys.stdin.buffer.read())"], big, "tasks", "list")
    assert code == 0 and err == ""
    assert shown.decode("utf-8").rstrip().endswith("(3000 nhiệm vụ)")
