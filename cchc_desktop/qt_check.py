"""``python -m cchc_desktop.qt_check``: are the system libraries Qt's window needs there?

On Linux, Qt's X11 platform plugin (xcb) loads a dozen system libraries that a bare Debian or
Ubuntu install may lack; Qt then aborts with a long message that names a plugin, not what to
install. ``make run`` runs this first: it names the Debian packages to install and stops.
Nothing is checked on other systems, or when no display is used (``QT_QPA_PLATFORM=offscreen``
and the like). Standard library only: it must run where Qt cannot.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

# find_library name → the Debian/Ubuntu package that ships it.
COMMON = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "xkbcommon": "libxkbcommon0",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
    "glib-2.0": "libglib2.0-0",
}
XCB = {
    "xcb": "libxcb1",
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-util": "libxcb-util1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0",
    "xcb-sync": "libxcb-sync1",
    "xcb-xfixes": "libxcb-xfixes0",
    "xcb-xkb": "libxcb-xkb1",
    "X11-xcb": "libx11-xcb1",
}
WAYLAND = {
    "wayland-client": "libwayland-client0",
    "wayland-cursor": "libwayland-cursor0",
    "wayland-egl": "libwayland-egl1",
}
NO_DISPLAY = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay")


def platform_in_use(env: Mapping[str, str]) -> str | None:
    """Which window system Qt will use: "xcb", "wayland", or None (no display is used)."""
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip().lower()
    if chosen in NO_DISPLAY or chosen.startswith(NO_DISPLAY):
        return None
    if chosen.startswith("wayland") or (not chosen and env.get("WAYLAND_DISPLAY")):
        return "wayland"
    if chosen == "xcb" or env.get("DISPLAY"):
        return "xcb"
    return None  # no display at all: Qt says so itself


def missing_packages(find: Callable[[str], str | None], platform: str) -> list[str]:
    """The Debian packages of the libraries ``find`` (ctypes.util.find_library) cannot find
    for ``platform`` ("xcb" or "wayland"), in a stable order, without repeats."""
    needed = {**COMMON, **(XCB if platform == "xcb" else WAYLAND)}
    return sorted({package for name, package in needed.items() if not find(name)})


def advice(packages: list[str]) -> str:
    """What to tell the user about ``packages`` (Vietnamese first, then the command)."""
    return ("Máy còn thiếu thư viện hệ thống mà giao diện Qt cần để mở cửa sổ. "
            "Hãy cài rồi chạy lại (cần quyền quản trị):\n\n"
            f"    sudo apt-get install {' '.join(packages)}\n\n"
            "(Qt's window needs these Debian/Ubuntu packages.)")


def check(env: Mapping[str, str] | None = None, system: str | None = None,
          find: Callable[[str], str | None] | None = None) -> list[str]:
    """The packages missing for the display this run will use ([] elsewhere than Linux, or
    when no display is used)."""
    env = os.environ if env is None else env
    if (system or sys.platform) != "linux":
        return []
    platform = platform_in_use(env)
    if platform is None:
        return []
    if find is None:
        from ctypes.util import find_library

        find = find_library
    return missing_packages(find, platform)


def main() -> int:
    """Print the advice and return 1 when something is missing, else 0 (silently)."""
    packages = check()
    if packages:
        print(advice(packages), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
