"""Báo cáo: pick a period and a kind, see its figures, edit each section's text, export.

The cut-off window follows the period (Nghị định 09/2019) and may be overridden for one
report. Each section shows what the secretariat wrote, else a draft written from the data;
what is typed is saved as it is typed (a short pause after the last key, and when the user
moves to another section, period or kind, exports, or leaves the tab), per period and kind.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.periods import PeriodKind, ReportPeriod, period_containing
from cchc_desktop.domain.report_kinds import KIND_LABELS, ReportKind, sections
from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.date_edit import from_qdate, to_qdate
from cchc_desktop.gui.common.jobs import Background
from cchc_desktop.gui.common.operations import run_write
from cchc_desktop.gui.reports.export_dialog import APPENDIX_CHOICES, PERIOD_KINDS, fill_units
from cchc_desktop.services.reports import ReportData

SAVE_DELAY_MS = 600  # saved this long after the last key press


def default_period(today: date) -> ReportPeriod:
    """The quarter whose cut-off window contains ``today`` (the report being prepared)."""
    return period_containing(today, PeriodKind.Q1)


class ReportsTab(QWidget):
    """The "Báo cáo" tab.

    Attributes:
        kind_box / year_box: the period; window_label shows its default cut-off window.
        start_edit / end_edit: the window used (overridable); reset_button restores the default.
        number_edit, date_edit, no_date_box: the report's number and date (blank allowed).
        report_kind_box: the report kind (general, propaganda, index).
        preview: the figures of the window; section_list / editor: the text of each section
            (written, else drafted from the data), saved as typed; source_label says which;
            redraft_button drops the written text of a section for its draft.
        appendix_box / unit_box: which tasks Phụ lục II lists, and of which lead unit.
        charts_box / pdf_box and the export buttons.
        data: the figures last computed (None before the first refresh).
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: ReportData | None = None
        self._texts: dict[str, str] = {}
        self._drafts: dict[str, str] = {}
        self._written: set[str] = set()
        self._section: str | None = None
        self._dirty = False
        self._loading = False
        self._waiting = False
        self._loader: Background | None = None  # the job computing the sections' texts
        self._request: tuple | None = None
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_text_if_dirty)
        self._build()
        self._apply_role()
        period = default_period(ctx.today())
        self._set_period(period)
        self.ctx.data_changed.append(self._on_data_changed)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QGroupBox("Kỳ báo cáo")
        grid = QGridLayout(top)
        self.kind_box = QComboBox()
        for code, label in PERIOD_KINDS:
            self.kind_box.addItem(label, code)
        self.year_box = QSpinBox()
        self.year_box.setRange(1990, 2100)
        self.window_label = QLabel()
        self.start_edit = self._date_edit()
        self.end_edit = self._date_edit()
        self.reset_button = QPushButton("Theo quy định")
        self.reset_button.setToolTip("Trả thời gian chốt số liệu về mặc định của kỳ báo cáo")
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("vd. 263; trống: điền tay")
        self.number_edit.setMinimumWidth(170)
        self.date_edit = self._date_edit()
        self.date_edit.setDate(to_qdate(self.ctx.today()))
        self.no_date_box = QCheckBox("Để trống ngày")
        self.report_kind_box = QComboBox()
        for kind in ReportKind:
            self.report_kind_box.addItem(KIND_LABELS[kind], kind.value)
        grid.addWidget(QLabel("Loại:"), 2, 0)
        grid.addWidget(self.report_kind_box, 2, 1, 1, 3)
        grid.addWidget(QLabel("Kỳ:"), 0, 0)
        grid.addWidget(self.kind_box, 0, 1)
        grid.addWidget(QLabel("Năm:"), 0, 2)
        grid.addWidget(self.year_box, 0, 3)
        grid.addWidget(self.window_label, 0, 4, 1, 4)
        grid.addWidget(QLabel("Chốt số liệu từ ngày:"), 1, 0)
        grid.addWidget(self.start_edit, 1, 1)
        grid.addWidget(QLabel("đến ngày:"), 1, 2)
        grid.addWidget(self.end_edit, 1, 3)
        grid.addWidget(self.reset_button, 1, 4)
        grid.addWidget(QLabel("Số:"), 1, 5)
        grid.addWidget(self.number_edit, 1, 6)
        grid.addWidget(QLabel("Ngày ký:"), 2, 5)
        grid.addWidget(self.date_edit, 2, 6)
        grid.addWidget(self.no_date_box, 2, 7)
        grid.setColumnStretch(8, 1)
        layout.addWidget(top)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        splitter.addWidget(self.preview)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Nội dung từng mục (tự lưu khi gõ, theo kỳ và loại báo cáo):"))
        # The sections beside the text, not above it: on a short window (1366×768 at 125%)
        # both then have the pane's whole height.
        self.section_list = QListWidget()
        self.section_list.setMinimumWidth(170)
        self.section_list.setWordWrap(True)  # a long section name on two lines, not cut
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            "Mỗi dòng là một đoạn trong báo cáo. Mục không có số liệu và để trống sẽ in câu "
            "“Trong kỳ báo cáo, không có nội dung phát sinh.”")
        texts = QSplitter(Qt.Orientation.Horizontal)
        texts.addWidget(self.section_list)
        texts.addWidget(self.editor)
        texts.setStretchFactor(0, 2)
        texts.setStretchFactor(1, 3)
        right_layout.addWidget(texts, 1)
        row = QHBoxLayout()
        self.source_label = QLabel()
        self.redraft_button = QPushButton("Soạn lại từ số liệu")
        self.redraft_button.setToolTip("Bỏ nội dung đã sửa của mục này, dùng bản nháp từ số liệu")
        row.addWidget(self.source_label, 1)
        row.addWidget(self.redraft_button)
        right_layout.addLayout(row)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        bottom = QHBoxLayout()
        self.charts_box = QCheckBox("Kèm biểu đồ")
        self.charts_box.setChecked(True)
        self.pdf_box = QCheckBox("Tạo thêm tệp PDF")
        self.appendix_box = QComboBox()
        for code, label in APPENDIX_CHOICES:
            self.appendix_box.addItem(label, code)
        self.appendix_box.setCurrentIndex(1)
        self.unit_box = QComboBox()
        self.export_button = QPushButton("Xuất báo cáo (.docx)...")
        self.overdue_button = QPushButton("Xuất danh sách nhiệm vụ quá hạn...")
        self.reminders_button = QPushButton("Công văn đôn đốc...")
        self.reminders_button.setToolTip("Mỗi đơn vị chủ trì có nhiệm vụ quá hạn hoặc đến hạn "
                                         "trong 7 ngày tới một công văn đôn đốc")
        self.scoring_button = QPushButton("Xuất bảng tự chấm điểm...")
        self.templates_button = QPushButton("Mẫu văn bản...")
        self.templates_button.setToolTip("Mở mẫu Word của từng loại văn bản để sửa câu chữ, "
                                         "nơi nhận, chữ ký; nhập mẫu đã sửa; về mẫu gốc")
        from cchc_desktop.gui.reports.export_dialog import scoring_available

        self.scoring_button.setVisible(scoring_available())
        for box in (self.charts_box, self.pdf_box):
            bottom.addWidget(box)
        bottom.addWidget(QLabel("Phụ lục nhiệm vụ:"))
        bottom.addWidget(self.appendix_box)
        bottom.addWidget(self.unit_box)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        # The buttons get a row of their own: beside the options their texts were cut.
        buttons = QHBoxLayout()
        buttons.addWidget(self.templates_button)
        buttons.addStretch(1)
        for button in (self.overdue_button, self.reminders_button, self.scoring_button,
                       self.export_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.kind_box.currentIndexChanged.connect(self._period_changed)
        self.year_box.valueChanged.connect(self._period_changed)
        self.start_edit.dateChanged.connect(self._window_changed)
        self.end_edit.dateChanged.connect(self._window_changed)
        self.reset_button.clicked.connect(self.reset_window)
        self.date_edit.dateChanged.connect(self._doc_date_changed)
        self.no_date_box.toggled.connect(self._doc_date_changed)
        self.section_list.currentRowChanged.connect(self._section_changed)
        self.editor.textChanged.connect(self._text_changed)
        self.redraft_button.clicked.connect(self.redraft)
        self.report_kind_box.currentIndexChanged.connect(self._kind_changed)
        self.export_button.clicked.connect(self.export_report)
        self.overdue_button.clicked.connect(self.export_overdue)
        self.reminders_button.clicked.connect(self.export_reminders)
        self.scoring_button.clicked.connect(self.export_scoring)
        self.templates_button.clicked.connect(self.show_templates)

    def _apply_role(self) -> None:
        """Only the secretariat (administrators) writes the report; others read it."""
        from cchc_desktop.services.access import current_user

        with self.ctx.db.session() as session:
            self.can_write = current_user(session).role == "admin"
        self.editor.setReadOnly(not self.can_write)
        self.redraft_button.setVisible(self.can_write)
        if not self.can_write:
            self.editor.setToolTip("Chỉ người quản trị được soạn nội dung báo cáo.")

    @staticmethod
    def _date_edit() -> QDateEdit:
        edit = QDateEdit()
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        return edit

    # ------------------------------------------------------------------ state

    @property
    def period(self) -> ReportPeriod:
        """The period chosen."""
        return ReportPeriod(self.year_box.value(), self.kind_box.currentData())

    def cutoff_window(self) -> tuple[date, date]:
        """The cut-off window used: the edited dates."""
        return from_qdate(self.start_edit.date()), from_qdate(self.end_edit.date())

    def _set_period(self, period: ReportPeriod) -> None:
        self._loading = True
        index = next(i for i, (code, _) in enumerate(PERIOD_KINDS) if code == period.kind.value)
        self.kind_box.setCurrentIndex(index)
        self.year_box.setValue(period.year)
        self._loading = False
        self._period_changed()

    def _period_changed(self) -> None:
        if self._loading:
            return
        self.save_text_if_dirty()
        start, end = self.period.window()
        self.window_label.setText(
            f"Thời gian chốt số liệu theo quy định: {format_date_vn(start)} – {format_date_vn(end)}")
        self._loading = True
        self.start_edit.setDate(to_qdate(start))
        self.end_edit.setDate(to_qdate(end))
        self._loading = False
        self._load_texts()
        self.refresh()

    def _window_changed(self) -> None:
        if not self._loading:
            self.save_text_if_dirty()
            self.refresh()
            self._load_texts()

    @property
    def report_kind(self) -> ReportKind:
        """The report kind chosen."""
        return ReportKind(self.report_kind_box.currentData())

    def _kind_changed(self) -> None:
        self.save_text_if_dirty()
        self._load_texts()

    def reset_window(self) -> None:
        """Go back to the period's default cut-off window."""
        self.save_text_if_dirty()
        start, end = self.period.window()
        self._loading = True
        self.start_edit.setDate(to_qdate(start))
        self.end_edit.setDate(to_qdate(end))
        self._loading = False
        self.refresh()
        self._load_texts()

    def _on_data_changed(self) -> None:
        if self.isVisible():
            self.save_text_if_dirty()
            self.refresh()
            self._load_texts()

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt naming
        """Leaving the tab (or closing the window) saves the text being typed."""
        self.save_text_if_dirty()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt naming
        """No thread outlives the tab."""
        self.stop_loading()
        super().closeEvent(event)

    def dispose(self) -> None:
        """The main window is closing: no thread outlives the tab."""
        self.stop_loading()

    def doc_date(self) -> date | None:
        """The report's date (None: left blank)."""
        return None if self.no_date_box.isChecked() else from_qdate(self.date_edit.date())

    def data_window(self) -> tuple[date, date]:
        """The window the report prints: the edited one, ended by the report's date when
        that falls inside it (as the export does). Raises UserError for a bad window/date."""
        from cchc_desktop.services.report_drafts import report_window

        start, end = self.cutoff_window()
        window = report_window(self.period, start, end, self.doc_date())
        return window.start, window.end

    def _doc_date_changed(self) -> None:
        if not self._loading:
            self.save_text_if_dirty()
            self.refresh()
            self._load_texts()

    def refresh(self) -> None:
        """Recompute the figures of the window and show them."""
        from cchc_desktop.exporters.report_docx import document_profile
        from cchc_desktop.services.report_drafts import own_documents
        from cchc_desktop.services.reports import gather_report

        try:
            start, end = self.data_window()
            with self.ctx.db.session() as session:
                self.data = gather_report(session, self.period, start, end,
                                          with_tasks=False)
                own = len(own_documents(self.data.documents, document_profile(session)))
        except UserError as exc:
            self.data = None
            self.preview.setHtml(f"<p style='color:#b00'>{escape(exc.message)}</p>")
            return
        from cchc_desktop.gui.reports.preview import preview_html

        self.preview.setHtml(preview_html(self.data, own))

    # ------------------------------------------------------------------ texts

    def _texts_request(self) -> tuple | None:
        """What the texts shown must be computed for: period, kind and data window."""
        try:
            start, end = self.data_window()
        except UserError:
            return None  # the preview already says what is wrong with the window
        return (self.period, self.report_kind, start, end)

    def _load_texts(self) -> None:
        """List the kind's sections at once; their texts (written, else drafted from the data:
        a second at 20,000 tasks) are computed off the GUI thread. The editor takes no keys
        until they arrive, so nothing typed can be overwritten by them; what was typed before
        was saved by the caller."""
        with self.ctx.db.session() as session:
            fill_units(session, self.unit_box)
        self._loaded = (self.period, self.report_kind)
        self._texts, self._drafts, self._written = {}, {}, set()
        self._request = self._texts_request()
        row = max(self.section_list.currentRow(), 0)
        self._section = None
        self._loading = True
        self.section_list.clear()
        for section in sections(self.report_kind):
            self.section_list.addItem(section.label)
            self.section_list.item(self.section_list.count() - 1).setData(
                Qt.ItemDataRole.UserRole, section.key)
        self._loading = False
        self._set_waiting(self._request is not None)
        self.section_list.setCurrentRow(min(row, self.section_list.count() - 1))
        if self._request is not None and self._loader is None:
            self._start_loader()

    def _start_loader(self) -> None:
        from cchc_desktop.gui.common.jobs import run_in_background

        request = self._request
        if request is None:
            return
        period, kind, start, end = request
        db = self.ctx.db

        def work():  # noqa: ANN202 - runs in the worker thread: no widgets
            from cchc_desktop.exporters.report_docx import document_profile
            from cchc_desktop.services.report_drafts import period_drafts

            with db.session() as session:
                return request, period_drafts(session, period, kind,
                                              document_profile(session), start, end)

        loader: Background | None = None

        def done(result) -> None:  # noqa: ANN001
            if loader is self._loader:
                self._texts_arrived(*result)

        def failed(message: str, error: BaseException | None) -> None:
            if loader is self._loader:
                self._texts_arrived(request, None)

        loader = run_in_background(work, done, failed)
        self._loader = loader

    def _texts_arrived(self, request: tuple, texts) -> None:  # noqa: ANN001 - ReportTexts
        self._loader = None
        if request != self._request:  # the user moved on meanwhile: compute again
            self._start_loader()
            return
        self._texts = dict(texts.texts) if texts else {}
        self._drafts = dict(texts.drafts) if texts else {}
        self._written = set(texts.written) if texts else set()
        self._set_waiting(False)
        self._section_changed(self.section_list.currentRow())

    @property
    def texts_ready(self) -> bool:
        """True once the sections' texts of the current choice are shown."""
        return self._loader is None and not self._waiting

    def _set_waiting(self, waiting: bool) -> None:
        self._waiting = waiting
        self.editor.setReadOnly(waiting or not self.can_write)
        self.redraft_button.setEnabled(not waiting)
        if waiting:
            self._loading = True
            self.editor.setPlainText("")
            self._loading = False
            self.source_label.setText("Đang soạn bản nháp từ số liệu...")

    def stop_loading(self) -> None:
        """Wait for the texts being computed and drop them (the window is closing)."""
        loader, self._loader = self._loader, None
        if loader is not None:
            loader.wait()

    def _section_changed(self, row: int) -> None:
        if self._loading:
            return
        self.save_text_if_dirty()
        if row < 0:
            return
        self._section = self.section_list.item(row).data(Qt.ItemDataRole.UserRole)
        if self._waiting:
            return
        self._loading = True
        self.editor.setPlainText(self._texts.get(self._section, ""))
        self._loading = False
        self._dirty = False
        self._show_source()

    def _show_source(self) -> None:
        key = self._section
        if key in self._written:
            self.source_label.setText("Nội dung đã soạn (đã lưu)")
        elif self._texts.get(key or ""):
            self.source_label.setText("Bản nháp từ số liệu của kỳ (sửa trực tiếp; tự lưu)")
        else:
            self.source_label.setText("Không có số liệu: văn bản in câu “Trong kỳ báo cáo, "
                                      "không có nội dung phát sinh.”")
        self.redraft_button.setEnabled(key in self._written)

    def _text_changed(self) -> None:
        if not self._loading and self.can_write:
            self._dirty = True
            self._save_timer.start()

    def save_text_if_dirty(self) -> None:
        """Save the section being edited (after a pause, or before the user moves elsewhere)."""
        self._save_timer.stop()
        if self._dirty and self.can_write:
            self.save_text()

    def save_text(self) -> bool:
        """Store the editor's text as the current section of the current period and kind."""
        from cchc_desktop.services.report_drafts import save_text

        section = self._section
        if section is None:
            return False
        text = self.editor.toPlainText()
        period, kind = self._loaded  # the combo boxes may already show the next choice
        self._dirty = False
        if not run_write(self, self.ctx,
                         lambda session: save_text(session, period, kind, section, text)):
            return False
        if text.strip():
            self._texts[section] = text.strip()
            self._written.add(section)
        else:
            self._texts[section] = self._drafts.get(section, "")
            self._written.discard(section)
        self._show_source()
        return True

    def redraft(self) -> bool:
        """Drop the written text of the current section: it prints its draft again."""
        if self._section is None:
            return False
        self._loading = True
        self.editor.setPlainText("")
        self._loading = False
        self._dirty = True
        if not self.save_text():
            return False
        self._loading = True
        self.editor.setPlainText(self._texts.get(self._section, ""))
        self._loading = False
        self._show_source()
        return True

    # ------------------------------------------------------------------ exports

    def report_options(self):  # noqa: ANN201 - ReportOptions
        """The options of the report as chosen in the tab."""
        from cchc_desktop.exporters.report_docx import ReportOptions

        start, end = self.cutoff_window()
        default_start, default_end = self.period.window()
        return ReportOptions(
            period=self.period,
            number=self.number_edit.text().strip() or None,
            doc_date=None if self.no_date_box.isChecked() else from_qdate(self.date_edit.date()),
            start=None if start == default_start else start,
            end=None if end == default_end else end,
            charts=self.charts_box.isChecked(),
            kind=self.report_kind,
            tasks_appendix=self.appendix_box.currentData(),
            unit=self.unit_box.currentData(),
        )

    def export_report(self) -> bool:
        """Save the text being edited, then export the report."""
        from cchc_desktop.gui.reports import export_dialog

        self.save_text_if_dirty()
        return export_dialog.export_report(self, self.ctx, self.report_options(),
                                           pdf=self.pdf_box.isChecked())

    def export_overdue(self) -> bool:
        from cchc_desktop.gui.reports import export_dialog

        return export_dialog.export_overdue(self, self.ctx)

    def export_reminders(self) -> bool:
        """Chasing letters to the units, as of today (for the unit chosen for Phụ lục II)."""
        from cchc_desktop.gui.reports import export_dialog

        return export_dialog.export_reminders(self, self.ctx, unit=self.unit_box.currentData())

    def show_templates(self) -> None:
        """The "Mẫu văn bản" dialog: open, import, reset each document kind's template."""
        from cchc_desktop.gui.reports.templates_dialog import show_templates

        show_templates(self, self.ctx)

    def export_scoring(self) -> bool:
        from cchc_desktop.gui.reports import export_dialog

        return export_dialog.export_scoring(self, self.ctx, self.period.year)
