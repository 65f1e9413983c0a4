"""Báo cáo: pick a period, see its figures, write each section's paragraphs, export.

The cut-off window follows the period (Nghị định 09/2019) and may be overridden for one
report. The text of each section is kept per period in the database, so the secretariat can
write the report over several days; exporting fills the figures in.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
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
from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_date_vn, format_number_vi
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.date_edit import from_qdate, to_qdate
from cchc_desktop.gui.common.operations import run_write
from cchc_desktop.gui.reports.export_dialog import PERIOD_KINDS
from cchc_desktop.services.reports import NARRATIVE_SECTIONS, ReportData


def default_period(today: date) -> ReportPeriod:
    """The quarter whose cut-off window contains ``today`` (the report being prepared)."""
    return period_containing(today, PeriodKind.Q1)


class ReportsTab(QWidget):
    """The "Báo cáo" tab.

    Attributes:
        kind_box / year_box: the period; window_label shows its default cut-off window.
        start_edit / end_edit: the window used (overridable); reset_button restores the default.
        number_edit, date_edit, no_date_box: the report's number and date (blank allowed).
        preview: the figures of the window; section_list / editor / save_button: the text of
            each section, kept per period; charts_box / pdf_box and the export buttons.
        data: the figures last computed (None before the first refresh).
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: ReportData | None = None
        self._texts: dict[str, str] = {}
        self._section: str | None = None
        self._dirty = False
        self._loading = False
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
        right_layout.addWidget(QLabel("Nội dung từng mục (lưu theo kỳ báo cáo):"))
        self.section_list = QListWidget()
        for key, title in NARRATIVE_SECTIONS:
            self.section_list.addItem(title)
            self.section_list.item(self.section_list.count() - 1).setData(
                Qt.ItemDataRole.UserRole, key)
        self.section_list.setMaximumHeight(210)
        right_layout.addWidget(self.section_list)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            "Viết các đoạn văn của mục này; mỗi dòng là một đoạn trong báo cáo. "
            "Mục để trống sẽ có dòng nhắc trong văn bản xuất ra.")
        right_layout.addWidget(self.editor, 1)
        self.save_button = QPushButton("Lưu nội dung")
        self.save_button.setEnabled(False)
        right_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        bottom = QHBoxLayout()
        self.charts_box = QCheckBox("Kèm biểu đồ")
        self.charts_box.setChecked(True)
        self.pdf_box = QCheckBox("Tạo thêm tệp PDF")
        self.export_button = QPushButton("Xuất báo cáo (.docx)...")
        self.overdue_button = QPushButton("Xuất danh sách nhiệm vụ quá hạn...")
        self.scoring_button = QPushButton("Xuất bảng tự chấm điểm...")
        from cchc_desktop.gui.reports.export_dialog import scoring_available

        self.scoring_button.setVisible(scoring_available())
        for box in (self.charts_box, self.pdf_box):
            bottom.addWidget(box)
        bottom.addStretch(1)
        for button in (self.overdue_button, self.scoring_button, self.export_button):
            bottom.addWidget(button)
        layout.addLayout(bottom)

        self.kind_box.currentIndexChanged.connect(self._period_changed)
        self.year_box.valueChanged.connect(self._period_changed)
        self.start_edit.dateChanged.connect(self._window_changed)
        self.end_edit.dateChanged.connect(self._window_changed)
        self.reset_button.clicked.connect(self.reset_window)
        self.section_list.currentRowChanged.connect(self._section_changed)
        self.editor.textChanged.connect(self._text_changed)
        self.save_button.clicked.connect(self.save_text)
        self.export_button.clicked.connect(self.export_report)
        self.overdue_button.clicked.connect(self.export_overdue)
        self.scoring_button.clicked.connect(self.export_scoring)

    def _apply_role(self) -> None:
        """Only the secretariat (administrators) writes the report; others read it."""
        from cchc_desktop.services.access import current_user

        with self.ctx.db.session() as session:
            self.can_write = current_user(session).role == "admin"
        self.editor.setReadOnly(not self.can_write)
        self.save_button.setVisible(self.can_write)
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
            self.refresh()

    def reset_window(self) -> None:
        """Go back to the period's default cut-off window."""
        start, end = self.period.window()
        self._loading = True
        self.start_edit.setDate(to_qdate(start))
        self.end_edit.setDate(to_qdate(end))
        self._loading = False
        self.refresh()

    def _on_data_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Recompute the figures of the window and show them."""
        from cchc_desktop.services.reports import gather_report

        start, end = self.cutoff_window()
        try:
            with self.ctx.db.session() as session:
                self.data = gather_report(session, self.period, start, end,
                                          with_tasks=False)
        except UserError as exc:
            self.data = None
            self.preview.setHtml(f"<p style='color:#b00'>{escape(exc.message)}</p>")
            return
        self.preview.setHtml(preview_html(self.data))

    # ------------------------------------------------------------------ texts

    def _load_texts(self) -> None:
        from cchc_desktop.services.reports import get_narratives

        with self.ctx.db.session() as session:
            self._texts = get_narratives(session, self.period.code)
        row = max(self.section_list.currentRow(), 0)
        self._section = None
        self.section_list.setCurrentRow(-1)
        self.section_list.setCurrentRow(row)

    def _section_changed(self, row: int) -> None:
        self.save_text_if_dirty()
        if row < 0:
            return
        self._section = self.section_list.item(row).data(Qt.ItemDataRole.UserRole)
        self._loading = True
        self.editor.setPlainText(self._texts.get(self._section, ""))
        self._loading = False
        self._dirty = False
        self.save_button.setEnabled(False)

    def _text_changed(self) -> None:
        if not self._loading:
            self._dirty = True
            self.save_button.setEnabled(True)

    def save_text_if_dirty(self) -> None:
        """Save the section being edited before the user moves elsewhere."""
        if self._dirty and self.can_write:
            self.save_text()

    def save_text(self) -> bool:
        """Store the editor's text as the current section of the current period."""
        from cchc_desktop.services.reports import save_narrative

        section = self._section
        if section is None:
            return False
        text = self.editor.toPlainText()
        if not run_write(
            self, self.ctx, lambda session: save_narrative(session, self.period.code, section, text)
        ):
            return False
        self._texts[section] = text.strip()
        self._dirty = False
        self.save_button.setEnabled(False)
        self.ctx.show_message("Đã lưu nội dung báo cáo.")
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

    def export_scoring(self) -> bool:
        from cchc_desktop.gui.reports import export_dialog

        return export_dialog.export_scoring(self, self.ctx, self.period.year)


def preview_html(data: ReportData) -> str:
    """The figures of a report as a small HTML page for the preview pane."""
    n = format_number_vi
    s = data.summary
    parts = [
        f"<h3>{escape(data.period.title_vi)}</h3>",
        f"<p>Số liệu từ ngày {format_date_vn(data.start)} đến ngày {format_date_vn(data.end)}; "
        f"tình trạng nhiệm vụ tính đến ngày {format_date_vn(data.as_of)}.</p>",
        f"<p><b>Nhiệm vụ:</b> tổng số {n(s['total'])}</p><ul>",
    ]
    parts += [f"<li>{escape(STATUS_LABELS[c])}: {n(s[c.value])}</li>" for c in StatusClass]
    parts.append("</ul>")
    a = data.assigned_summary
    if a["total"]:
        parts.append(f"<p>Trong đó cấp trên giao: {n(a['total'])}, chưa hoàn thành quá hạn "
                     f"{n(a['open_overdue'])}</p>")
    if data.completion_rate is not None:
        parts.append(f"<p>Tỷ lệ hoàn thành: {n(data.completion_rate, 2)}%</p>")
    parts.append(f"<p><b>Văn bản chỉ đạo, triển khai trong kỳ:</b> {n(len(data.documents))} "
                 f"(Phụ lục I)</p>")
    if data.by_unit:
        parts.append("<p><b>Theo đơn vị chủ trì</b> (đã hoàn thành / tổng số, quá hạn):</p><ul>")
        parts += [f"<li>{escape(u.unit)}: {n(u.done)}/{n(u.total)} ({n(u.rate, 1)}%), "
                  f"quá hạn {n(u.overdue)}</li>" for u in data.by_unit]
        parts.append("</ul>")
    p = data.procedures
    if p is not None:
        parts.append(f"<p><b>Thủ tục hành chính:</b> tiếp nhận {n(p.received)} hồ sơ, đúng hạn "
                     f"{n(p.resolved_on_time)}, quá hạn {n(p.resolved_late)}, đang giải quyết "
                     f"{n(p.in_progress)}</p>")
    else:
        parts.append("<p><b>Thủ tục hành chính:</b> chưa có số liệu trong kỳ</p>")
    if data.indexes:
        parts.append("<p><b>Kết quả các chỉ số:</b></p><ul>")
        parts += [f"<li>{escape(r.index_name)} {r.year}: "
                  f"{n(r.score, 2) if r.score is not None else '—'}</li>" for r in data.indexes]
        parts.append("</ul>")
    return "".join(parts)
