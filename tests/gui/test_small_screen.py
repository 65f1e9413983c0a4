"""A 1366×768 screen (728 pixels left under the taskbar): the window and every tab fit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from cchc_desktop.gui.main_window import initial_size


def test_the_first_size_never_exceeds_the_screen() -> None:
    assert initial_size(QSize(1366, 728)) == (QSize(1280, 728), True)
    assert initial_size(QSize(1920, 1040)) == (QSize(1280, 800), False)
    assert initial_size(QSize(1024, 700)) == (QSize(1024, 700), True)


def test_every_tab_fits_1366_by_728(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001
    window.resize(1366, 728)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert window.minimumSizeHint().height() <= 728, window.tabs.tabText(index)
        assert window.height() == 728, window.tabs.tabText(index)
    window.tabs.setCurrentIndex(window.index_of("dashboard_tab"))
    tab = window.tab("dashboard_tab")
    tab.load_lists()
    tab.draw_charts()
    QApplication.processEvents()
    row = tab.overdue_view.verticalHeader().defaultSectionSize()
    header = tab.overdue_view.horizontalHeader().height()
    for view in (tab.overdue_view, tab.soon_view):
        assert (view.viewport().height()) // row >= 3  # several rows, not one
    assert header > 0
    for chart in (tab.unit_chart, tab.area_chart):  # laid out again at each size: titles whole
        assert type(chart.figure.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
    assert window.grab().save(str(tmp_path / "dashboard-1366x728.png"))
    import os
    if os.environ.get("CCHC_KEEP_SCREENSHOT"):
        window.grab().save(os.environ["CCHC_KEEP_SCREENSHOT"])
