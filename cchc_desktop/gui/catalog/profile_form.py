"""The agency profile form and the database location box of the Danh mục / Cài đặt tab."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from cchc_desktop.domain.terms import size_text
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.services.profile import (
    DOCUMENT_KINDS,
    AgencyProfile,
    get_profile,
    save_profile,
    validate_profile,
)

PROFILE_LABELS = {
    "parent": "Cơ quan chủ quản:",
    "agency": "Tên cơ quan:",
    "abbr": "Chữ viết tắt:",
    "place": "Địa danh:",
    "authority": "Thẩm quyền ký:",
    "signer_title": "Chức vụ người ký:",
    "signer": "Người ký:",
    "drafter": "Đơn vị soạn thảo:",
    "agency_in_text": "Tên cơ quan trong câu văn:",
    "recipients": "Nơi nhận (mỗi dòng một nơi):",
}
PLACEHOLDERS = {
    "parent": "UBND TỈNH SƠN LA",
    "agency": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "abbr": "SGDĐT",
    "place": "Sơn La",
    "authority": "KT. GIÁM ĐỐC",
    "signer_title": "PHÓ GIÁM ĐỐC",
    "signer": "Nguyễn Văn A",
    "drafter": "VP",
    "agency_in_text": "Sở GD&ĐT tỉnh Sơn La",
}
ERROR_STYLE = "color: #b3261e;"


class ProfileForm(QGroupBox):
    """Edits the :class:`AgencyProfile` the exporters print in headers and signatures.

    Attributes:
        edits: one QLineEdit per text field, by field name.
        recipients: the recipients, one per line.
        kind_recipients: per document kind (report, plan, letter, scoring), its own
            recipients, one per line; empty means the general list (or the kind's default).
        save_button: validates and saves; problems appear under their field.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__("Thông tin cơ quan (dùng cho văn bản xuất ra)", parent)
        self.ctx = ctx
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        self._errors: dict[str, QLabel] = {}
        self.kind_recipients: dict[str, QPlainTextEdit] = {}
        for f in fields(AgencyProfile):
            if f.name == "recipients_by_kind":
                continue
            if f.name == "recipients":
                self.recipients = QPlainTextEdit()
                self.recipients.setTabChangesFocus(True)
                self.recipients.setFixedHeight(84)
                widget: QWidget = self.recipients
            else:
                edit = QLineEdit()
                edit.setPlaceholderText(PLACEHOLDERS.get(f.name, ""))
                self.edits[f.name] = edit
                widget = edit
            form.addRow(PROFILE_LABELS[f.name], self._with_error(f.name, widget))
        for kind, name in DOCUMENT_KINDS.items():
            lines = QPlainTextEdit()
            lines.setTabChangesFocus(True)
            lines.setFixedHeight(60)
            lines.setPlaceholderText("Để trống: dùng danh sách nơi nhận chung")
            self.kind_recipients[kind] = lines
            form.addRow(f"Nơi nhận – {name}:", lines)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.reload_button = QPushButton("Hoàn lại")
        self.reload_button.setToolTip("Bỏ các sửa đổi chưa lưu")
        self.reload_button.clicked.connect(self.load)
        self.save_button = QPushButton("Lưu thông tin cơ quan")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)

    def _with_error(self, name: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.hide()
        layout.addWidget(label)
        self._errors[name] = label
        return box

    def error_text(self, name: str) -> str:
        label = self._errors[name]
        return "" if label.isHidden() else label.text()

    def profile(self) -> AgencyProfile:
        """The profile as typed in the form."""
        values: dict[str, object] = {n: e.text() for n, e in self.edits.items()}
        values["recipients"] = self.recipients.toPlainText().splitlines()
        values["recipients_by_kind"] = {
            kind: typed for kind, box in self.kind_recipients.items()
            if (typed := [r.strip() for r in box.toPlainText().splitlines() if r.strip()])
        }
        return AgencyProfile(**values)  # type: ignore[arg-type]

    def load(self) -> None:
        """Show the stored profile (or the defaults)."""
        with self.ctx.db.session() as session:
            profile = get_profile(session)
        self._stored = profile
        for name, edit in self.edits.items():
            edit.setText(getattr(profile, name))
        self.recipients.setPlainText("\n".join(profile.recipients))
        for kind, lines in self.kind_recipients.items():
            lines.setPlainText("\n".join(profile.recipients_by_kind.get(kind, [])))
        self._show_problems({})

    def is_modified(self) -> bool:
        """Whether the form holds edits not saved yet."""
        stored = getattr(self, "_stored", None)
        if stored is None:
            return False
        typed = self.profile()
        typed.recipients = [r.strip() for r in typed.recipients if r.strip()]
        return typed != stored

    def _show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self._errors.items():
            label.setText(problems.get(name, ""))
            label.setVisible(name in problems)

    def save(self) -> bool:
        """Validate and store the profile; True when saved."""
        profile = self.profile()
        problems = validate_profile(profile)
        self._show_problems(problems)
        if problems:
            return False
        try:
            with self.ctx.db.session() as session:
                saved = save_profile(session, profile)
        except UserError as exc:
            dialogs.show_error(self, exc.message)
            return False
        self._stored = saved
        self.recipients.setPlainText("\n".join(saved.recipients))
        self.ctx.show_message("Đã lưu thông tin cơ quan.")
        self.ctx.notify_changed()
        return True


def file_size_text(size: int) -> str:
    """A file size for people: "812 KB", "12,5 MB" (the glossary's one way of writing it)."""
    return size_text(size)


class DatabaseBox(QGroupBox):
    """Where the data lives: the database address, and for SQLite the file, its size, its folder.

    Attributes:
        url_label / path_label / size_label: what is shown.
        open_button: opens the folder holding the SQLite file in the system's file manager.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__("Cơ sở dữ liệu", parent)
        self.ctx = ctx
        form = QFormLayout(self)
        self.kind_label = QLabel()
        self.url_label = QLabel()
        self.path_label = QLabel()
        self.size_label = QLabel()
        for label in (self.url_label, self.path_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Loại:", self.kind_label)
        form.addRow("Địa chỉ:", self.url_label)
        form.addRow("Tệp dữ liệu:", self.path_label)
        form.addRow("Dung lượng:", self.size_label)
        self.open_button = QPushButton("Mở thư mục chứa dữ liệu")
        self.open_button.clicked.connect(self.open_folder)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        form.addRow(row)

    def folder(self) -> Path | None:
        path = self.ctx.db.sqlite_path
        return path.parent if path is not None else None

    def load(self) -> None:
        db = self.ctx.db
        self.url_label.setText(make_url(db.url).render_as_string(hide_password=True))
        path = db.sqlite_path
        if db.is_sqlite:
            self.kind_label.setText("SQLite (tệp trên máy này)")
        else:
            self.kind_label.setText(f"Máy chủ {db.engine.dialect.name} (dùng chung)")
        self.path_label.setText(str(path) if path else "—")
        if path is not None and path.exists():
            size = sum(
                p.stat().st_size
                for p in (path, Path(f"{path}-wal"))
                if p.exists()
            )
            self.size_label.setText(file_size_text(size))
        else:
            self.size_label.setText("—")
        self.open_button.setEnabled(path is not None)

    def open_folder(self) -> bool:
        folder = self.folder()
        if folder is None:
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            dialogs.show_error(self, f"Không mở được thư mục {folder}.")
            return False
        return True
