"""One program per database: a second start brings the first window up and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_desktop.gui.instances import InstanceLock, claim, instance_name
from cchc_desktop.store.targets import identity

ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str, data: Path) -> subprocess.Popen[str]:
    """``cchc-desktop ARGS`` in another process (offscreen, its own data folder)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CCHC_DATA_DIR=str(data),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.pop("CCHC_DB", None)
    return subprocess.Popen([sys.executable, "-m", "cchc_desktop", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def held(db_path: Path):  # noqa: ANN201
    """This test process holds the database ``db_path`` and counts activations."""
    lock = InstanceLock(identity(str(db_path)))
    assert lock.acquire()
    calls: list[int] = []
    assert lock.listen(lambda: calls.append(1))
    yield lock, calls
    lock.release()


def test_a_second_start_on_the_same_database_activates_the_first_and_exits_0(
        qtbot, held, db_path, tmp_path):
    _lock, calls = held
    proc = _start("--db", str(db_path), data=tmp_path / "data")
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=60_000)  # our loop answers it
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert calls == [1]
    assert not db_path.exists()  # it opened nothing: no second writer, no file made


def test_the_same_database_by_another_spelling_is_the_same(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert identity("cchc.sqlite3") == identity(str(tmp_path / "x" / ".." / "cchc.sqlite3"))
    assert identity("postgresql+psycopg://vp:a@MayChu/cchc") == identity(
        "postgresql+psycopg://vp@maychu/cchc")
    assert identity("postgresql+psycopg://vp@maychu/cchc") != identity(
        "postgresql+psycopg://vp@maychu/khac")
    assert instance_name("a") != instance_name("b")


def test_another_database_is_not_held(qtbot, held, tmp_path) -> None:
    lock = InstanceLock(identity(str(tmp_path / "khac.sqlite3")))
    assert lock.acquire()
    lock.release()


def test_a_killed_holder_leaves_nothing_that_blocks(db_path: Path) -> None:
    key = identity(str(db_path))
    code = ("import os, sys; from cchc_desktop.gui.instances import InstanceLock; "
            f"lock = InstanceLock({key!r}); print(lock.acquire(), flush=True); os._exit(0)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.strip() == "True"
    lock = claim(key)  # the lock of a dead process is stale: taken at once
    assert lock is not None and lock.held
    lock.release()


def test_a_holder_that_does_not_answer_lets_the_start_go_on(db_path: Path) -> None:
    """The lock held but nobody listening (stuck, or the socket failed): open as before,
    and the "opened elsewhere" warning of the start speaks."""
    key = identity(str(db_path))
    code = ("import sys, time; from cchc_desktop.gui.instances import InstanceLock; "
            f"lock = InstanceLock({key!r}); print(lock.acquire(), flush=True); sys.stdin.read()")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "True"
        lock = claim(key)
        assert lock is not None and not lock.held
    finally:
        proc.communicate("", timeout=30)


HOLDER = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from cchc_desktop.gui.instances import InstanceLock
app = QCoreApplication([])
lock = InstanceLock(sys.argv[1])
def activated():
    print("activated", flush=True)
    QTimer.singleShot(200, app.quit)
print(lock.acquire() and lock.listen(activated), flush=True)
QTimer.singleShot(60_000, app.quit)
app.exec()
"""


@pytest.fixture
def held_elsewhere(db_path: Path):  # noqa: ANN201
    """Another process holds ``db_path`` for the one-program rule and says when activated."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, identity(str(db_path))], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "True"
        yield proc
    finally:
        proc.kill()
        proc.communicate(timeout=30)


def test_switching_to_a_database_another_window_has_brings_that_window_up(
        qtbot, held_elsewhere, demo_db, db_path) -> None:
    """Tệp → Mở on a database another CCHC Desktop has open: that one comes up."""
    import shutil

    from cchc_desktop.gui.shell import Shell

    other = db_path.with_name("khac.sqlite3")
    demo_db.close()
    shutil.copyfile(db_path, other)
    shell = Shell(claim=claim)
    window = shell.start(str(other))
    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    try:
        assert shell.switch_to(str(db_path)) is False
        assert held_elsewhere.stdout.readline().strip() == "activated"
        assert shell.window is window and window.ctx is not None
        assert "cửa sổ CCHC Desktop khác" in window.statusBar().currentMessage()
    finally:
        window.close()
        window.ctx.db.close()


def test_an_activation_brings_the_window_up(qtbot, demo_db) -> None:
    from cchc_desktop.gui.shell import Shell

    path = str(demo_db.sqlite_path)
    demo_db.close()
    lock = InstanceLock(identity(path))
    assert lock.acquire()
    shell = Shell(lock)
    window = shell.start(path)
    with qtbot.waitSignal(window.database_ready, timeout=20_000):
        pass
    window.showMinimized()
    raised: list[bool] = []
    window.raise_ = lambda: raised.append(True)  # type: ignore[method-assign]
    code = ("import sys; from cchc_desktop.gui.instances import ask_to_activate; "
            f"print(ask_to_activate({lock.name!r}))")
    asker = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True)
    try:
        qtbot.waitUntil(lambda: asker.poll() is not None, timeout=30_000)
        assert asker.communicate()[0].strip() == "True"  # answered
        assert raised == [True] and not window.isMinimized()
    finally:
        lock.release()
        window.close()
        window.ctx.db.close()
