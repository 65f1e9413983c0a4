"""Measuring whether a tab is usable at a given window size: nothing cut, tables show rows.

``python -m tests.gui.screen_fit DB WIDTH HEIGHT`` prints one problem per line (nothing when the
window fits); the test runs it in a subprocess with ``QT_SCALE_FACTOR`` set, since Qt reads the
scale once, when the application starts.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

MIN_ROWS = 5


def _inside_scroll_area(widget: QWidget, page: QWidget) -> bool:
    """True when a scroll area between ``widget`` and ``page`` clips it by design."""
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    label = text() if callable(text) else ""
    return f"{type(widget).__name__}{' “' + label[:30] + '”' if label else ''}"


def visible_rows(view: QAbstractItemView) -> float:
    """How many rows of ``view`` are in sight (0 when it has none)."""
    model = view.model()
    if model is None or model.rowCount() == 0:
        return 0.0
    first = view.visualRect(model.index(0, 0)).height() or 1
    return view.viewport().height() / first


def problems(window: QWidget, page: QWidget, tab_title: str) -> list[str]:
    """What is wrong with ``page`` (a tab) in ``window`` as it is laid out now."""
    found: list[str] = []
    bottom = window.centralWidget().geometry().bottom() + 1  # type: ignore[attr-defined]
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(window) or _inside_scroll_area(widget, page):
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        if top_left.y() + widget.height() > bottom + 1:
            found.append(f"{tab_title}: {_name(widget)} goes below the window "
                         f"({top_left.y() + widget.height()} > {bottom})")
        if isinstance(widget, (QPushButton, QComboBox, QLineEdit, QAbstractSpinBox)):
            hint = widget.minimumSizeHint()
            if widget.width() + 1 < hint.width() or widget.height() + 1 < hint.height():
                found.append(f"{tab_title}: {_name(widget)} squeezed to {widget.width()}×"
                             f"{widget.height()} (needs {hint.width()}×{hint.height()})")
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            if widget.width() + 1 < widget.minimumSizeHint().width():
                found.append(f"{tab_title}: {_name(widget)} cut ({widget.width()} < "
                             f"{widget.minimumSizeHint().width()})")
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            rows = widget.model().rowCount()
            if rows and visible_rows(widget) < min(MIN_ROWS, rows) - 0.05:
                found.append(f"{tab_title}: {type(widget).__name__} {widget.objectName()} "
                             f"shows {visible_rows(widget):.1f} rows")
    found += _chart_problems(page, tab_title)
    return found


def _chart_problems(page: QWidget, tab_title: str) -> list[str]:
    from cchc_desktop.gui.common.charts import ChartWidget

    found = []
    for chart in page.findChildren(ChartWidget):
        if chart.figure is None or not chart.isVisible():
            continue
        chart.canvas.draw()
        figure_box = chart.figure.bbox
        renderer = chart.canvas.get_renderer()
        for text in chart.title_artists():
            box = text.get_window_extent(renderer)
            if (box.x0 < figure_box.x0 - 1 or box.x1 > figure_box.x1 + 1
                    or box.y0 < figure_box.y0 - 1 or box.y1 > figure_box.y1 + 1):
                found.append(f"{tab_title}: chart title “{text.get_text()}” cut")
    return found


def measure(target: str, width: int, height: int) -> list[str]:
    """Open ``target`` in a window of ``width``×``height`` and list every tab's problems."""
    import tempfile

    from cchc_desktop.gui.common.settings import use_settings_folder
    from cchc_desktop.gui.main_window import MainWindow, call_if_present
    from cchc_desktop.gui.screenshots import settle
    from cchc_desktop.store.db import open_database

    use_settings_folder(tempfile.mkdtemp(prefix="cchc-fit-"))
    db = open_database(target)
    window = MainWindow(db)
    window.remember_layout = False
    window.setWindowState(Qt.WindowState.WindowNoState)  # not maximised on the 800×800 offscreen
    window.resize(width, height)
    window.show()
    window.update_reminder()
    found = []
    for module, _cls, title in window.specs:
        window.tabs.setCurrentIndex(window.index_of(module))
        widget = window.tab(module)
        settle(0.3)
        call_if_present(widget, "wait_loaded")
        if hasattr(widget, "details_ready"):
            settle(30.0, lambda w=widget: w.details_ready)
        settle(0.1)
        page = window.tabs.currentWidget()
        if (window.width(), window.height()) != (width, height):
            found.append(f"{title}: the window grew to {window.width()}×{window.height()} "
                         f"(its contents need {window.minimumSizeHint().width()}×"
                         f"{window.minimumSizeHint().height()})")
            window.resize(width, height)
            settle(0.1)
        found += problems(window, page, title)
    window.close()
    db.close()
    return found


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    for line in measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])):
        print(line)
