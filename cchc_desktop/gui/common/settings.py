"""The window's remembered layout, in one typed place over QSettings.

Everything the interface remembers between sessions is read and written here, never with
``QSettings()`` string keys scattered over the widgets. The store is an INI file in the
user's configuration folder (organisation "CCHC", application "CCHC Desktop"); tests point
it at a temporary folder with :func:`use_settings_folder`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "CCHC"
FONT_SIZES = (8, 20)
"""Smallest and largest font size (points) the Tùy chọn dialog offers."""
APPLICATION = "CCHC Desktop"
RECENT_DATABASES = 8
"""How many databases Tệp → Cơ sở dữ liệu gần đây lists."""


def use_settings_folder(folder: str | Path) -> None:
    """Keep the settings file under ``folder`` (tests, portable installs)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


class Settings:
    """Typed access to the remembered layout.

    Attributes:
        store: the underlying QSettings (INI format, user scope).
    """

    def __init__(self) -> None:
        self.store = QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
        )

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.store.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        return None

    # -- main window
    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_window_geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, value: QByteArray) -> None:
        self.store.setValue("window/state", value)

    def last_tab(self) -> str:
        """Key of the tab shown last (e.g. "tasks_tab", see main_window.TAB_SPECS); "" when none."""
        return str(self.store.value("window/last_tab", "") or "")

    def set_last_tab(self, module: str) -> None:
        self.store.setValue("window/last_tab", module)

    def last_year(self) -> int | None:
        value = self.store.value("window/last_year")
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def set_last_year(self, year: int | None) -> None:
        self.store.setValue("window/last_year", "" if year is None else int(year))

    # -- signing in to a server with one's own login (never the password: see store/credentials)
    def last_server_user(self) -> str:
        return str(self.store.value("sign_in/last_user", "") or "")

    def set_last_server_user(self, username: str) -> None:
        self.store.setValue("sign_in/last_user", username)

    # -- splitters and table headers, by a name the widget chooses
    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self.store.setValue(f"splitters/{name}", value)

    def column_widths(self, name: str) -> list[int]:
        """Widths of a table's columns in order; [] when never saved."""
        value = self.store.value(f"columns/{name}")
        if not value:
            return []
        items = value if isinstance(value, list) else str(value).split(",")
        try:
            return [int(v) for v in items]
        except (TypeError, ValueError):
            return []

    def set_column_widths(self, name: str, widths: list[int]) -> None:
        self.store.setValue(f"columns/{name}", ",".join(str(int(w)) for w in widths))

    # -- this PC's font size (Tùy chọn); None = the system's
    def font_size(self) -> int | None:
        """The font size in points chosen on this PC; None when never chosen (or unusable)."""
        try:
            value = int(str(self.store.value("view/font_size", 0) or 0))
        except (TypeError, ValueError):
            return None
        return value if FONT_SIZES[0] <= value <= FONT_SIZES[1] else None

    def set_font_size(self, points: int) -> None:
        self.store.setValue("view/font_size", int(points))

    def clear_font_size(self) -> None:
        """Back to the system's font size on this PC."""
        self.store.remove("view/font_size")

    # -- where files were last opened or saved, per kind of file ("docx", "xlsx", "folder"...)
    def last_folder(self, kind: str) -> Path | None:
        """The folder last used for ``kind``; None when never used or no longer there."""
        value = str(self.store.value(f"folders/{kind}", "") or "")
        folder = Path(value) if value else None
        return folder if folder is not None and folder.is_dir() else None

    def set_last_folder(self, kind: str, folder: str | Path) -> None:
        self.store.setValue(f"folders/{kind}", str(folder))

    # -- the databases opened on this PC, the last one first (paths, or addresses without password)
    def recent_databases(self) -> list[str]:
        """The databases opened last, newest first (at most :data:`RECENT_DATABASES`)."""
        value = self.store.value("databases/recent")
        items = value if isinstance(value, list) else [value] if value else []
        return [str(item) for item in items if item][:RECENT_DATABASES]

    def remember_database(self, target: str) -> None:
        """Put ``target`` first in the recent list (it is what the next start opens)."""
        recent = [target, *(item for item in self.recent_databases() if item != target)]
        self.store.setValue("databases/recent", recent[:RECENT_DATABASES])

    def forget_databases(self, targets: list[str]) -> None:
        """Take ``targets`` out of the recent list."""
        self.store.setValue("databases/recent",
                            [item for item in self.recent_databases() if item not in targets])

    def sync(self) -> None:
        self.store.sync()
