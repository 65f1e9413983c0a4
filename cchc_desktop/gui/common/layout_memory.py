"""Remembering a tab's splitters and column widths between sessions (through gui.settings)."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QTableView

from cchc_desktop.gui.common.settings import Settings


def restore_layout(settings: Settings, splitters: dict[str, QSplitter],
                   tables: dict[str, QTableView]) -> None:
    """Put back the saved splitter positions and column widths (none saved: keep defaults)."""
    for name, splitter in splitters.items():
        state = settings.splitter_state(name)
        if state is not None:
            splitter.restoreState(state)
    for name, view in tables.items():
        widths = settings.column_widths(name)
        count = view.model().columnCount()
        if len(widths) == count:
            # The last column stretches: its stored width would only fight the stretch.
            for column, width in enumerate(widths[:-1]):
                if width > 0:
                    view.setColumnWidth(column, width)


def save_layout(settings: Settings, splitters: dict[str, QSplitter],
                tables: dict[str, QTableView]) -> None:
    """Store the splitter positions and column widths."""
    for name, splitter in splitters.items():
        settings.set_splitter_state(name, splitter.saveState())
    for name, view in tables.items():
        count = view.model().columnCount()
        settings.set_column_widths(name, [view.columnWidth(c) for c in range(count)])
    settings.sync()
