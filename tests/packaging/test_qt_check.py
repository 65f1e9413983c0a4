"""``make run`` names the Debian packages Qt's window lacks instead of Qt's long error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cchc_desktop.qt_check import COMMON, XCB, advice, check, platform_in_use

ROOT = Path(__file__).resolve().parents[2]


def finder(*absent: str):  # noqa: ANN201
    """A fake ctypes.util.find_library that finds every library but ``absent``."""
    return lambda name: None if name in absent else f"lib{name}.so"


def test_an_x11_desktop_missing_two_libraries_is_told_their_packages() -> None:
    env = {"DISPLAY": ":0"}
    missing = check(env, "linux", finder("xcb-cursor", "xkbcommon-x11"))
    assert missing == ["libxcb-cursor0", "libxkbcommon-x11-0"]
    text = advice(missing)
    assert "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0" in text
    assert "thiếu thư viện" in text


def test_nothing_missing_says_nothing() -> None:
    assert check({"DISPLAY": ":0"}, "linux", finder()) == []


def test_no_display_no_check() -> None:
    every = finder(*COMMON, *XCB)
    assert check({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux", every) == []
    assert check({}, "linux", every) == []  # no display at all: Qt says so itself
    assert check({"DISPLAY": ":0"}, "win32", every) == []


def test_the_platform_qt_will_use() -> None:
    assert platform_in_use({"DISPLAY": ":1"}) == "xcb"
    assert platform_in_use({"QT_QPA_PLATFORM": "xcb"}) == "xcb"
    assert platform_in_use({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) == "wayland"
    assert platform_in_use({"QT_QPA_PLATFORM": "wayland;xcb"}) == "wayland"
    assert platform_in_use({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert platform_in_use({"QT_QPA_PLATFORM": "minimal:enable_fonts"}) is None


def test_wayland_needs_no_xcb_libraries() -> None:
    assert check({"WAYLAND_DISPLAY": "w"}, "linux", finder(*XCB)) == []
    assert check({"WAYLAND_DISPLAY": "w"}, "linux", finder("wayland-client")) == [
        "libwayland-client0"]


def test_the_command_exits_1_with_the_advice_only_when_something_is_missing() -> None:
    code = ("import sys, ctypes.util; ctypes.util.find_library = "
            "lambda n: None if n == 'xcb-icccm' else 'x'; "
            "from cchc_desktop import qt_check; sys.exit(qt_check.main())")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={"DISPLAY": ":0", "PATH": "/usr/bin:/bin"})
    assert result.returncode == (1 if sys.platform == "linux" else 0)
    if sys.platform == "linux":
        assert "sudo apt-get install libxcb-icccm4" in result.stderr
    result = subprocess.run([sys.executable, "-m", "cchc_desktop.qt_check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert (result.returncode, result.stderr) == (0, "")


def test_make_run_checks_first() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip() for line in run.splitlines()[1:]]
    assert lines[0].endswith("-m cchc_desktop.qt_check") and lines[1].endswith("-m cchc_desktop $(ARGS)")
