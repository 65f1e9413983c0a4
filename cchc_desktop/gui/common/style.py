"""The window's look: the stylesheet and our line icons (resources/)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QIcon, QImageReader
from PySide6.QtWidgets import QApplication, QStyle


def load_stylesheet() -> str:
    """resources/style.qss with the icons' real folder filled in; "" when it cannot be read."""
    from cchc_desktop.resources import resource_path

    try:
        text = resource_path("resources", "style.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
    # QSS resolves url() against the working folder: give it the icons' real place.
    return text.replace("@ICONS@", resource_path("resources", "icons").as_posix())


def icon(name: str, fallback: QStyle.StandardPixmap) -> QIcon:
    """Our line icon ``resources/icons/<name>.svg``, or Qt's standard one without SVG support."""
    from cchc_desktop.resources import resource_path

    path = resource_path("resources", "icons", f"{name}.svg")
    if path.is_file() and QImageReader(str(path)).canRead():
        return QIcon(str(path))
    return QApplication.style().standardIcon(fallback)


def apply_font_size(points: int | None) -> None:
    """Give the whole application ``points``-sized text (None: leave the system's size)."""
    app = QApplication.instance()
    if points is None or not isinstance(app, QApplication):
        return
    font = QFont(app.font())
    font.setPointSize(points)
    app.setFont(font)
