"""Tệp → Tùy chọn...: the settings offices differ on, in one dialog.

The office's choices (the "due soon" window, backups kept, the evidence size limit) are kept
in the database by :mod:`cchc_desktop.services.office_settings`, which the CLI reads too; the
font size concerns only this PC and is kept in :mod:`cchc_desktop.gui.common.settings`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QPushButton, QSpinBox, QWidget

from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.operations import run_write
from cchc_desktop.gui.common.settings import FONT_SIZES, Settings
from cchc_desktop.gui.common.style import apply_font_size


def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


class OptionsDialog(QDialog):
    """The four settings; office ones are read-only for someone who is not an administrator.

    Attributes:
        soon_spin, backups_spin, evidence_spin (office, in the database), font_spin (this PC).
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        from cchc_desktop.services.access import current_user
        from cchc_desktop.services.office_settings import (
            BACKUP_KEEP_RANGE,
            DUE_SOON_RANGE,
            read_office_settings,
        )

        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Tùy chọn")
        with ctx.db.session() as session:
            office = read_office_settings(session)
            self.can_edit = current_user(session).role == "admin"
        form = QFormLayout(self)
        form.addRow(QLabel("<b>Của cơ quan</b> (dùng chung cho mọi máy mở dữ liệu này)"))
        self.soon_spin = _spin(*DUE_SOON_RANGE, office.due_soon_days, " ngày")
        self.soon_spin.setToolTip("Nhiệm vụ chưa hoàn thành có hạn trong số ngày này được nhắc "
                                  "là \"sắp đến hạn\" (nhắc việc, Tổng quan, công văn đôn đốc).")
        self.backups_spin = _spin(*BACKUP_KEEP_RANGE, office.backups_kept, " bản")
        self.evidence_spin = _spin(1, 2000, max(1, round(office.evidence_max_mb)), " MB")
        for label, spin in (("Nhắc &sắp đến hạn trước:", self.soon_spin),
                            ("Số bản &sao lưu giữ lại:", self.backups_spin),
                            ("Dung lượng tối đa mỗi tệp &kiểm chứng:", self.evidence_spin)):
            spin.setEnabled(self.can_edit)
            title = QLabel(label)
            title.setBuddy(spin)
            form.addRow(title, spin)
        if not self.can_edit:
            form.addRow(QLabel("Chỉ người quản trị đổi được các tùy chọn của cơ quan."))
        # The agency profile (name, signer, recipients per kind of document) has its own form.
        self.profile_button = QPushButton("Thông tin cơ quan, người ký, nơi nhận...")
        self.profile_button.setToolTip("Mở phần thông tin cơ quan ở thẻ Danh mục / Cài đặt "
                                       "(tùy chọn đang sửa ở đây không được lưu)")
        self.profile_button.clicked.connect(self._go_to_profile)
        self.wants_profile = False
        form.addRow(self.profile_button)
        form.addRow(QLabel("<b>Của máy này</b>"))
        current = Settings().font_size() or self.font().pointSize()
        self.font_spin = _spin(*FONT_SIZES, max(FONT_SIZES[0], min(FONT_SIZES[1], current)),
                               " pt")
        font_label = QLabel("&Cỡ chữ:")
        font_label.setBuddy(self.font_spin)
        form.addRow(font_label, self.font_spin)
        form.addRow(dialogs.save_cancel_buttons(self, self.save))

    def _go_to_profile(self) -> None:
        self.wants_profile = True
        self.reject()

    def save(self) -> None:
        """Store the office's values (one transaction) and this PC's font size, then close."""
        from cchc_desktop.services.office_settings import OfficeSettings, save_office_settings

        if self.can_edit:
            chosen = OfficeSettings(self.soon_spin.value(), self.backups_spin.value(),
                                    float(self.evidence_spin.value()))
            if not run_write(self, self.ctx,
                             lambda session: save_office_settings(session, chosen)):
                return
        settings = Settings()
        settings.set_font_size(self.font_spin.value())
        settings.sync()
        apply_font_size(self.font_spin.value())
        self.ctx.show_message("Đã lưu tùy chọn.")
        self.accept()


def edit_options(parent: QWidget | None, ctx: GuiContext) -> bool:
    """Tệp → Tùy chọn...: True when saved (the window then refreshes what depends on it)."""
    dialog = OptionsDialog(ctx, parent)
    try:
        saved = bool(dialog.exec())
        if dialog.wants_profile:
            _show_profile(parent)
        return saved
    finally:
        dialog.deleteLater()


def _show_profile(window: QWidget | None) -> None:
    """Bring the Danh mục / Cài đặt tab forward with the cursor in the agency profile."""
    index_of, tab = getattr(window, "index_of", None), getattr(window, "tab", None)
    tabs = getattr(window, "tabs", None)
    if index_of is None or tab is None or tabs is None or index_of("catalog_tab") < 0:
        return
    tabs.setCurrentIndex(index_of("catalog_tab"))
    form = getattr(tab("catalog_tab"), "profile_form", None)
    if form is not None:
        form.setFocus()
