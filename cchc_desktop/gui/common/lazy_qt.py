"""``Qt``, the namespace of Qt's enums, made when first used rather than when imported.

PySide6 builds the ``Qt`` namespace (some three hundred Python enums) the first time it is
imported: 15 ms on this kind of PC, a tenth of the program's time to its first paint. The
modules on the way to that paint (the shell, the main window) import ``Qt`` from here; it
is built on the first attribute asked of it, after the window is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
else:

    class _LazyQt:
        def __getattr__(self, name: str) -> Any:
            from PySide6.QtCore import Qt as real

            return getattr(real, name)

    Qt = _LazyQt()

__all__ = ["Qt"]
