"""Tệp → choosing the database: open a file, create one, the recent ones, a shared server.

A chosen file is checked before anything is closed, as at start (another program's file, a
damaged one, one made by a newer version are refused with the same messages), so a wrong
choice leaves the open database as it is. A new file is created and migrated as ``cchc init``
does, then opened: an empty database shows the welcome panel's first steps. A server is named
by host, port, database and the user's own name; the password is asked when signing in and is
never part of the address that is remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QWidget,
)

from cchc_desktop.errors import EnvironmentProblem, ValidationError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.jobs import run_with_progress
from cchc_desktop.gui.common.settings import Settings

if TYPE_CHECKING:
    from cchc_desktop.gui.main_window import MainWindow

Switch = Callable[[str | None], bool]
FILE_FILTER = "Cơ sở dữ liệu CCHC (*.sqlite3);;Tất cả các tệp (*)"
NEW_NAME = "cchc.sqlite3"
GONE = "không còn tệp"


def check_chosen_file(path: Path) -> None:
    """The open-time check of a file the user picked (raises with the start's messages)."""
    from cchc_desktop.store.db import NETWORK_SHARE_MESSAGE, MissingDatabase, check_sqlite_file
    from cchc_desktop.store.sqlite_file import network_share_reason

    where = network_share_reason(str(path))
    if where:
        raise EnvironmentProblem(NETWORK_SHARE_MESSAGE.format(where=where))
    try:
        check_sqlite_file(path, create=False)
    except MissingDatabase as exc:
        raise EnvironmentProblem(
            f"Tệp {path} chưa có dữ liệu CCHC. Muốn bắt đầu một cơ sở dữ liệu mới, dùng "
            "Tệp → Tạo cơ sở dữ liệu mới...") from exc


def create_database_file(path: Path) -> None:
    """Create and migrate a new database at ``path`` (as ``cchc init``), then close it."""
    from cchc_desktop.store.db import open_database

    open_database(str(path), create=True, auto_backup=False).close()


class ServerDialog(QDialog):
    """Kết nối máy chủ (``ui/server.ui``): host, port, database and the user's own name →
    an address.

    Attributes:
        host_edit, port_spin, database_edit, user_edit: the fields; preview: the address
        as it will be used; error_label: why the last "Kết nối" was refused;
        url: the address (without password) once accepted.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from cchc_desktop.gui.common.forms import add_below, find, load_form

        self.url = ""
        form = load_form("server", self)  # ui/server.ui
        self.host_edit = find(form, QLineEdit, "host")
        self.port_spin = find(form, QSpinBox, "port")
        self.database_edit = find(form, QLineEdit, "database")
        self.user_edit = find(form, QLineEdit, "user")
        self.preview = find(form, QLabel, "preview")
        self.error_label = find(form, QLabel, "general_error")
        buttons = QDialogButtonBox(self)
        buttons.addButton("Kết nối", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_below(form, buttons)
        self._fill_from_last()
        for edit in (self.host_edit, self.database_edit, self.user_edit):
            edit.textChanged.connect(self._show_preview)
        self.port_spin.valueChanged.connect(self._show_preview)
        self._show_preview()

    def _fill_from_last(self) -> None:
        """Start from the server used last on this PC, if any."""
        from sqlalchemy.engine import make_url

        from cchc_desktop.store.targets import is_url

        last = next((t for t in Settings().recent_databases() if is_url(t)), None)
        if last is None:
            return
        try:
            url = make_url(last)
        except Exception:  # a hand-edited settings file: start empty
            return
        self.host_edit.setText(url.host or "")
        if url.port:
            self.port_spin.setValue(url.port)
        self.database_edit.setText(url.database or "")
        self.user_edit.setText(url.username or "")

    def built_url(self) -> str:
        """The address the fields name (raises ValidationError with what is wrong)."""
        from cchc_desktop.store.targets import server_url

        return server_url(self.host_edit.text(), self.port_spin.value(),
                          self.database_edit.text(), self.user_edit.text())

    def _show_preview(self) -> None:
        try:
            self.preview.setText(f"Địa chỉ: {self.built_url()}")
        except ValidationError:
            self.preview.setText("")

    def accept(self) -> None:
        """Keep the address; stay open with the reason when a field is wrong."""
        try:
            self.url = self.built_url()
        except ValidationError as exc:
            self.error_label.setText(exc.message)
            return
        super().accept()


class DatabaseMenu(QObject):
    """The database items at the top of the window's Tệp menu.

    Attributes:
        open_action, create_action, server_action: "Mở cơ sở dữ liệu...", "Tạo cơ sở dữ liệu
        mới...", "Kết nối máy chủ..."; recent_menu: "Cơ sở dữ liệu gần đây", filled each
        time it opens (a file that is gone is greyed and marked "không còn tệp").
    """

    def __init__(self, window: MainWindow, switch: Switch) -> None:
        super().__init__(window)
        self.window = window
        self.switch = switch
        menu = window.file_menu
        first = menu.actions()[0]  # the menu always has at least "Thoát"
        self.open_action = QAction("Mở cơ sở dữ liệu...", window)
        self.open_action.setShortcut("Ctrl+O")
        self.open_action.setStatusTip("Mở một tệp dữ liệu CCHC (.sqlite3) khác")
        self.open_action.triggered.connect(lambda _c=False: self.open_database())
        self.create_action = QAction("Tạo cơ sở dữ liệu mới...", window)
        self.create_action.setStatusTip("Tạo một tệp dữ liệu CCHC mới, chưa có dữ liệu, rồi mở nó")
        self.create_action.triggered.connect(lambda _c=False: self.create_database())
        self.recent_menu = QMenu("Cơ sở dữ liệu gần đây", window)
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        self.server_action = QAction("Kết nối máy chủ...", window)
        self.server_action.setStatusTip("Làm việc trên cơ sở dữ liệu dùng chung (PostgreSQL)")
        self.server_action.triggered.connect(lambda _c=False: self.connect_server())
        for action in (self.open_action, self.create_action):
            menu.insertAction(first, action)
        menu.insertMenu(first, self.recent_menu)
        menu.insertAction(first, self.server_action)
        menu.insertSeparator(first)
        self.fill_recent()

    def open_database(self) -> bool:
        """Tệp → Mở cơ sở dữ liệu...: pick a file, check it, switch to it."""
        path = dialogs.open_file(self.window, "Mở cơ sở dữ liệu", FILE_FILTER)
        return False if path is None else self.open_file(path)

    def open_file(self, path: Path) -> bool:
        """Check ``path`` as at start; switch to it when it passes (else say why)."""
        outcome = run_with_progress(self.window, "Đang kiểm tra cơ sở dữ liệu...",
                                    lambda _r, _c: check_chosen_file(path), cancellable=False)
        if not outcome.ok:
            dialogs.show_error(self.window, outcome.error)
            return False
        return self.switch(str(path))

    def create_database(self) -> bool:
        """Tệp → Tạo cơ sở dữ liệu mới...: a new file, created and migrated, then opened."""
        path = dialogs.save_file(self.window, "Tạo cơ sở dữ liệu mới", FILE_FILTER, NEW_NAME,
                                 suffix="sqlite3")
        if path is None:
            return False
        if path.exists() and (not path.is_file() or path.stat().st_size > 0):
            dialogs.show_error(
                self.window, f"Đã có tệp {path}. Chương trình không ghi đè lên tệp có sẵn: hãy "
                "chọn tên khác, hoặc mở tệp đó bằng Tệp → Mở cơ sở dữ liệu...")
            return False
        outcome = run_with_progress(self.window, "Đang tạo cơ sở dữ liệu...",
                                    lambda _r, _c: create_database_file(path), cancellable=False)
        if not outcome.ok:
            dialogs.show_error(self.window, outcome.error)
            return False
        return self.switch(str(path))

    def connect_server(self) -> bool:
        """Tệp → Kết nối máy chủ...: switch to the server named in the dialog."""
        dialog = ServerDialog(self.window)
        if not dialog.exec():
            return False
        return self.switch(dialog.url)

    def fill_recent(self) -> None:
        """List the recent databases; a file that is gone is greyed, with a way to drop it."""
        from cchc_desktop.store.targets import is_url

        menu = self.recent_menu
        menu.clear()
        recent = Settings().recent_databases()
        gone = [t for t in recent if not is_url(t) and not Path(t).is_file()]
        for number, target in enumerate(recent, start=1):
            shown = target.replace("&", "&&") + (f" ({GONE})" if target in gone else "")
            action = menu.addAction(f"&{number} {shown}")
            action.setData(target)
            action.setEnabled(target not in gone)
            action.triggered.connect(partial(self._open_recent, target))
        if not recent:
            menu.addAction("(chưa có)").setEnabled(False)
        if gone:
            menu.addSeparator()
            drop = menu.addAction("Bỏ các mục không còn tệp")
            drop.triggered.connect(lambda _c=False: self._forget(gone))

    def _open_recent(self, target: str, _checked: bool = False) -> None:
        from cchc_desktop.store.targets import is_url

        if is_url(target):
            self.switch(target)
        else:
            self.open_file(Path(target))

    def _forget(self, targets: list[str]) -> None:
        Settings().forget_databases(targets)
        self.fill_recent()
        self.window.statusBar().showMessage(
            f"Đã bỏ {len(targets)} mục không còn tệp khỏi danh sách gần đây.", 10_000)


def install_database_menu(window: MainWindow, switch: Switch) -> DatabaseMenu:
    """Put the database items at the top of ``window``'s Tệp menu; ``switch(target)`` opens
    another database (closing this one) and says whether it did."""
    menu = DatabaseMenu(window, switch)
    window.database_menu = menu  # type: ignore[attr-defined]
    return menu
