"""A feature package's public names, imported on first use.

Finding a tab's module (``importlib.util.find_spec("cchc_desktop.gui.tasks.tab")``) runs the
package's ``__init__``; the window does that for every tab before the database layer is
imported, so an ``__init__`` must not import its modules. It lists them instead::

    __getattr__ = lazy_exports(__name__, {"edit_task": "editor"})
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(package: str, names: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` giving ``names[name]``'s ``name`` (a module of ``package``)."""

    def get(name: str) -> object:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return get
