"""A short window (a 1366×768 laptop, more so at 125%) gives its height to the tabs.

Below :data:`COMPACT_HEIGHT` the toolbar's buttons move, icons only (their names in
tooltips), to the right of the menu bar, and the reminder banner folds into one line of links
in the status bar: about 75 pixels go back to the tab's own lists. A taller window shows both
as before.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow, QToolBar, QWidget

from cchc_desktop.gui.common.lazy_qt import Qt

COMPACT_HEIGHT = 760
"""Window heights (logical pixels) below which the window is compact."""


class Foldable(Protocol):
    """What folds into the status bar: the reminder banner (``set_compact``, ``compact_label``)."""

    @property
    def compact_label(self) -> QWidget: ...

    def set_compact(self, compact: bool) -> None: ...


class CompactChrome(QObject):
    """Moves ``toolbar`` next to the menus and folds ``banner`` when ``window`` is short.

    Attributes:
        corner: the icon-only toolbar at the menu bar's right; compact: the current state.
    """

    def __init__(self, window: QMainWindow, toolbar: QToolBar, banner: Foldable) -> None:
        super().__init__(window)
        self.window, self.toolbar, self.banner = window, toolbar, banner
        self.corner = QToolBar(window)
        self.corner.setObjectName("cornerToolbar")
        self.corner.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for action in toolbar.actions():
            self.corner.addAction(action)  # the same actions: enabled, texts and all
        window.menuBar().setCornerWidget(self.corner, Qt.Corner.TopRightCorner)
        window.statusBar().addPermanentWidget(banner.compact_label)
        self.compact = window.height() < COMPACT_HEIGHT
        self._show(self.compact)  # whatever a saved window state said about the toolbar
        window.installEventFilter(self)

    def apply(self, compact: bool) -> None:
        """Be compact (True) or not."""
        if compact != self.compact:
            self.compact = compact
            self._show(compact)

    def _show(self, compact: bool) -> None:
        self.corner.setVisible(compact)
        self.toolbar.setVisible(not compact)
        self.banner.set_compact(compact)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self.apply(self.window.height() < COMPACT_HEIGHT)
        return False
