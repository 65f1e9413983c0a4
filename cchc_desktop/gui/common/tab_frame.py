"""The common frame of the Kế hoạch, Văn bản and Danh mục tabs.

Each builds its widgets in ``_build()``, names the splitters and views to remember in
``_layout_parts()`` and reloads in ``refresh()``; this base restores and saves the layout
and reloads on first show and after data changed (:class:`RefreshOnChange`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.layout_memory import restore_layout, save_layout
from cchc_desktop.gui.common.settings import Settings
from cchc_desktop.gui.common.tab_refresh import RefreshOnChange


class TabFrame(RefreshOnChange, QWidget):
    """A tab that remembers its splitters and column widths.

    Attributes:
        ctx: the window's context; settings: the typed settings; last_dialog: the dialog
        opened last (tests drive it).
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_dialog: Any = None
        self.settings = Settings()
        self._build()
        restore_layout(self.settings, *self._layout_parts())
        self.listen_for_changes()

    def _build(self) -> None:
        raise NotImplementedError

    def _layout_parts(self) -> tuple[dict[str, Any], dict[str, Any]]:
        raise NotImplementedError

    def save_layout(self) -> None:
        """Remember splitter positions and column widths (the main window calls this)."""
        save_layout(self.settings, *self._layout_parts())

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh_on_show()
