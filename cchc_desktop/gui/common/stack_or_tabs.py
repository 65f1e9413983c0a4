"""Two parts of a tab one above the other, or on two tabs when the window is short."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGroupBox, QSplitter, QTabWidget, QVBoxLayout, QWidget


class StackOrTabs(QWidget):
    """Two widgets one above the other (a splitter) or, when the room is short, on two tabs.

    Tabbed while its own height is under ``tabbed_below`` (logical pixels): a short window
    (1366×768 at 125%) has no room for two lists of several rows one above the other.

    Attributes:
        splitter, tabs: the two arrangements, one of them shown; tabbed: which one.
    """

    def __init__(self, *parts: tuple[QWidget, str], tabbed_below: int) -> None:
        super().__init__()
        self.parts = list(parts)
        self.tabbed_below = tabbed_below
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for widget, _title in parts:
            self.splitter.addWidget(widget)
        self.tabs.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        layout.addWidget(self.tabs)
        self.tabbed = False
        self._box_titles: dict[int, str] = {}

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self.set_tabbed(event.size().height() < self.tabbed_below)

    def set_tabbed(self, tabbed: bool) -> None:
        """Show the parts on tabs (True) or one above the other."""
        if tabbed == self.tabbed:
            return
        self.tabbed = tabbed
        for widget, title in self.parts:
            if tabbed:
                self.tabs.addTab(widget, title)  # the tab widget shows the current one
            else:
                self.splitter.addWidget(widget)
                widget.show()
        self.splitter.setVisible(not tabbed)
        self.tabs.setVisible(tabbed)
        self._title_boxes()

    def set_title(self, index: int, title: str, box_title: str = "") -> None:
        """The tab title of part ``index`` and, for a group box, its own title, shown only
        while stacked (on a tab it would repeat the tab's and take a row's height)."""
        widget, _old = self.parts[index]
        self.parts[index] = (widget, title)
        if box_title:
            self._box_titles[index] = box_title
        at = self.tabs.indexOf(widget)
        if at >= 0:
            self.tabs.setTabText(at, title)
        self._title_boxes()

    def box_title(self, index: int) -> str:
        """The group box title of part ``index``, shown or not."""
        return self._box_titles.get(index, "")

    def _title_boxes(self) -> None:
        for index, (widget, _title) in enumerate(self.parts):
            if isinstance(widget, QGroupBox) and index in self._box_titles:
                widget.setTitle("" if self.tabbed else self._box_titles[index])
                if widget.property("untitled") != self.tabbed:  # no room kept for a title
                    widget.setProperty("untitled", self.tabbed)
                    widget.style().unpolish(widget)
                    widget.style().polish(widget)
