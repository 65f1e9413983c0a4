"""Mẫu văn bản: the office's own template of each document kind (open in Word, import, reset).

The work is :mod:`cchc_desktop.services.doc_templates`' (the same as ``cchc templates``);
this dialog lists the kinds and whether each uses the office's template or the shipped one,
and says what is wrong with a template in Vietnamese.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext

WORD_ONLY = "Tài liệu Word (*.docx)"
HELP = (
    "Mỗi loại văn bản in theo một mẫu Word. Mở mẫu trong Word, sửa câu chữ, đề mục, nơi nhận, "
    "chữ ký, lưu lại rồi “Nhập mẫu đã sửa”. Dữ liệu đặt trong các trường dạng {{ so_ky_hieu }}, "
    "{{ ngay }}, {{ noi_nhan }}, {{ nguoi_ky }}; một đoạn chỉ có {{ muc_... }} hay "
    "{{ bang_... }} là nơi chương trình in nội dung, bảng, biểu đồ. Phần tiêu đề (quốc hiệu, "
    "số, ngày) và các bảng số liệu do chương trình tạo theo Nghị định 30/2020/NĐ-CP."
)


class TemplatesDialog(QDialog):
    """The "Mẫu văn bản" dialog.

    Attributes:
        table: one row per document kind: its name and "Mẫu gốc" / "Mẫu của cơ quan".
        open_button, import_button, reset_button: act on the selected kind.
        keys: the kind key of each row.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Mẫu văn bản")
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        text = QLabel(HELP)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Loại văn bản", "Mẫu đang dùng"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 360)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton("Mở trong Word...")
        self.import_button = QPushButton("Nhập mẫu đã sửa...")
        self.reset_button = QPushButton("Về mẫu gốc")
        close = QPushButton("Đóng")
        for button in (self.open_button, self.import_button, self.reset_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.open_button.clicked.connect(self.open_in_word)
        self.import_button.clicked.connect(self.import_edited)
        self.reset_button.clicked.connect(self.reset)
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.keys: list[str] = []
        self._own: dict[str, bool] = {}
        from cchc_desktop.services.access import current_user

        with ctx.db.session() as session:
            self.can_write = current_user(session).role == "admin"
        self.refresh()
        self.table.selectRow(0)

    def refresh(self) -> None:
        """List the kinds and which template each uses."""
        from cchc_desktop.services.doc_templates import list_templates

        with self.ctx.db.session() as session:
            rows = list_templates(session)
        current = self.table.currentRow()
        self.table.setRowCount(len(rows))
        self.keys = [t.key for t in rows]
        self._own = {t.key: t.own for t in rows}
        for i, t in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(t.label))
            self.table.setItem(i, 1, QTableWidgetItem("Mẫu của cơ quan" if t.own else "Mẫu gốc"))
        if current >= 0:
            self.table.selectRow(current)
        self._selection_changed()

    @property
    def key(self) -> str | None:
        """The kind selected."""
        row = self.table.currentRow()
        return self.keys[row] if 0 <= row < len(self.keys) else None

    def _selection_changed(self) -> None:
        key = self.key
        admin = self.can_write
        self.open_button.setEnabled(key is not None)
        self.import_button.setEnabled(key is not None and admin)
        self.reset_button.setEnabled(key is not None and admin and self._own.get(key, False))

    def _file_name(self) -> str:
        from cchc_desktop.services.doc_templates import kind_of

        return kind_of(self.key or "").file_name

    def open_in_word(self) -> Path | None:
        """Save the template in use where the user chooses, then open it in Word."""
        from cchc_desktop.services.doc_templates import export_template

        key = self.key
        if key is None:
            return None
        target = dialogs.save_file(self, "Lưu mẫu để sửa trong Word", WORD_ONLY,
                                   start=self._file_name(), suffix="docx")
        if target is None:
            return None
        try:
            with self.ctx.db.session() as session:
                path = export_template(session, key, target)
        except UserError as exc:
            dialogs.show_error(self, exc.message)
            return None
        if not dialogs.open_path(path):
            dialogs.show_info(self, f"Đã lưu mẫu tại:\n{path}\n\nMáy chưa có chương trình mở "
                                    f"tệp .docx: hãy mở tệp bằng Word để sửa.")
        return path

    def import_edited(self) -> bool:
        """Read an edited template into the database; its warnings are shown."""
        from cchc_desktop.services.doc_templates import import_template

        key = self.key
        if key is None:
            return False
        source = dialogs.open_file(self, "Chọn mẫu đã sửa", WORD_ONLY, start=self._file_name())
        if source is None:
            return False
        warnings: list[str] = []
        try:
            with self.ctx.db.session() as session:
                warnings = import_template(session, key, source)
        except UserError as exc:
            dialogs.show_error(self, exc.message)
            return False
        self.refresh()
        if warnings:
            dialogs.show_info(self, "Đã nhận mẫu, lưu ý:\n\n"
                              + "\n".join(f"• {w}" for w in warnings))
        else:
            self.ctx.show_message(f"Đã nhận mẫu từ {source.name}")
        return True

    def reset(self) -> bool:
        """Go back to the shipped template of the selected kind, after asking."""
        from cchc_desktop.services.doc_templates import reset_template

        key = self.key
        if key is None or not dialogs.confirm(
                self, "Bỏ mẫu của cơ quan và dùng lại mẫu gốc cho loại văn bản này?",
                danger=True):
            return False
        try:
            with self.ctx.db.session() as session:
                reset_template(session, key)
        except UserError as exc:
            dialogs.show_error(self, exc.message)
            return False
        self.refresh()
        return True


def show_templates(parent: QWidget | None, ctx: GuiContext) -> None:
    """Open the "Mẫu văn bản" dialog."""
    TemplatesDialog(ctx, parent).exec()
