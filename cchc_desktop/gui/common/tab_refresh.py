"""When a tab reloads: once when first shown, then after data changed, never twice for one change.

The main window refreshes the visible tab itself after ``ctx.notify_changed()`` and marks the
others stale; a tab used on its own (tests, a dialog) has nobody to do that. A tab with
:class:`RefreshOnChange` listens to ``ctx.data_changed`` in both cases: standing alone it
reloads at once when visible; inside a window it only checks, after the event loop turns,
whether anybody reloaded it since the change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer


class RefreshOnChange:
    """Mixin for a QWidget tab with a ``ctx`` and a ``refresh()`` that calls :meth:`mark_fresh`."""

    _stale = True
    _loaded = False

    def listen_for_changes(self) -> None:
        # First in the list: the main window's own refresh then runs after us and clears us.
        self.ctx.data_changed.insert(0, self._on_data_changed)  # type: ignore[attr-defined]

    def mark_fresh(self) -> None:
        self._stale = False
        self._loaded = True

    def _standalone(self) -> bool:
        return self.window() is self  # type: ignore[attr-defined]

    def _on_data_changed(self) -> None:
        self._stale = True
        if not self.isVisible():  # type: ignore[attr-defined]
            return
        if self._standalone():
            self.refresh()  # type: ignore[attr-defined]
        else:
            QTimer.singleShot(0, self._refresh_if_stale)

    def _refresh_if_stale(self) -> None:
        if self._stale and self.isVisible():  # type: ignore[attr-defined]
            self.refresh()  # type: ignore[attr-defined]

    def refresh_on_show(self, _event: Any = None) -> None:
        """Call from showEvent: load now the first time, later only if still stale."""
        if not self._loaded:
            self.refresh()  # type: ignore[attr-defined]
        elif self._stale:
            QTimer.singleShot(0, self._refresh_if_stale)


def announce_change(tab: Any, message: str) -> None:
    """After a tab changed data: say so, tell every listener (the window refreshes the tabs);
    a tab standing alone, with nobody listening, reloads itself."""
    tab.ctx.show_message(message)
    if tab.ctx.data_changed:
        tab.ctx.notify_changed()
    else:
        tab.refresh()
