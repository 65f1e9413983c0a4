"""Atomic writes: a failed write leaves the previous file and no debris."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from cchc_desktop.store.atomic import TEMP_PREFIX, atomic_path, atomic_write_bytes, clean_leftovers


def test_success_replaces_target_with_the_usual_mode(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]
    fresh = atomic_write_bytes(tmp_path / "b.xlsx", b"x")
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_failure_inside_the_block_keeps_the_old_file(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_file_size_limit_in_a_real_process_keeps_the_old_file(tmp_path):
    target = tmp_path / "big.bin"
    target.write_bytes(b"old")
    script = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        from cchc_desktop.store.atomic import atomic_write_bytes
        try:
            atomic_write_bytes({str(target)!r}, b"x" * 100000)
        except OSError as exc:
            print("refused", exc.errno)
            sys.exit(3)
    """)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # no truncated .pyc under the limit
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, env=env)
    assert run.returncode == 3, run.stderr
    assert "refused" in run.stdout
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["big.bin"]


def test_clean_leftovers_removes_only_old_temporary_files(tmp_path):
    old = tmp_path / f"{TEMP_PREFIX}abc.docx"
    old.write_bytes(b"debris")
    past = time.time() - 3600
    os.utime(old, (past, past))
    young = tmp_path / f"{TEMP_PREFIX}def.docx"
    young.write_bytes(b"in progress")
    keep = tmp_path / "report.docx"
    keep.write_bytes(b"doc")
    os.utime(keep, (past, past))
    assert clean_leftovers(tmp_path) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([young.name, keep.name])
    assert clean_leftovers(tmp_path / "missing") == []
