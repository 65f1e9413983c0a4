"""The window's look: the stylesheet and our line icons (resources/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QIcon, QImageReader
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyle


def load_stylesheet() -> str:
    """resources/style.qss with the icons' real folder filled in; "" when it cannot be read."""
    from cchc_desktop.resources import resource_path

    try:
        text = resource_path("resources", "style.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
    # QSS resolves url() against the working folder: give it the icons' real place.
    return text.replace("@ICONS@", resource_path("resources", "icons").as_posix())


def icon(name: str, fallback: QStyle.StandardPixmap | str) -> QIcon:
    """Our line icon ``resources/icons/<name>.svg``, or Qt's standard one without SVG support
    (``fallback``: a QStyle.StandardPixmap or its name, "SP_ArrowBack": the window names
    it, so that QStyle's many enums are not made before its first paint)."""
    from cchc_desktop.resources import resource_path

    path = resource_path("resources", "icons", f"{name}.svg")
    if path.is_file() and QImageReader(str(path)).canRead():
        return QIcon(str(path))
    from PySide6.QtWidgets import QStyle

    pixmap = getattr(QStyle.StandardPixmap, fallback) if isinstance(fallback, str) else fallback
    return QApplication.style().standardIcon(pixmap)


_SYSTEM_POINTS: list[int] = []


def _app_points(app: QApplication) -> int:
    points = app.font().pointSize()
    return points if points > 0 else 10


def apply_font_size(points: int | None) -> None:
    """Give the whole application ``points``-sized text (None: leave the system's size)."""
    app = QApplication.instance()
    if points is None or not isinstance(app, QApplication):
        return
    if not _SYSTEM_POINTS:  # the system's size, before any choice of ours replaces it
        _SYSTEM_POINTS.append(_app_points(app))
    font = QFont(app.font())
    font.setPointSize(points)
    app.setFont(font)


def change_font_size(step: int) -> int | None:
    """Ctrl++ / Ctrl+- / Ctrl+0: ``step`` points larger or smaller, or (0) the system's size.

    The whole window follows; the size is remembered on this PC (the same setting as
    Tệp → Tùy chọn), within :data:`~cchc_desktop.gui.common.settings.FONT_SIZES`.
    Returns the size now used; None without an application.
    """
    from cchc_desktop.gui.common.settings import FONT_SIZES, Settings

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    settings = Settings()
    if step == 0:
        settings.clear_font_size()
        if _SYSTEM_POINTS:
            apply_font_size(_SYSTEM_POINTS[0])
        return _app_points(app)
    points = max(FONT_SIZES[0], min(FONT_SIZES[1], _app_points(app) + step))
    settings.set_font_size(points)
    apply_font_size(points)
    return points
