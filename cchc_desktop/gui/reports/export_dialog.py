"""Exports from the window: report, plan, overdue list, self-scoring table (.docx, optional PDF).

Each action asks where to save, writes the document off the GUI thread behind a progress
dialog, then offers "Mở" to open it in the default application. The work itself is the
exporters' (the same functions ``cchc export`` calls); nothing here knows the format.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from cchc_desktop.errors import check_cancelled
from cchc_desktop.gui.common import dialogs, jobs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.date_edit import to_qdate
from cchc_desktop.store.file_errors import written_atomically

WORD_FILTER = "Tài liệu Word (*.docx);;Tệp PDF (*.pdf)"
# Phụ lục II of a report: which tasks it lists (the CLI's --tasks-appendix).
APPENDIX_CHOICES: tuple[tuple[str, str], ...] = (
    ("none", "Không in"),
    ("open", "Nhiệm vụ chưa hoàn thành"),
    ("all", "Tất cả nhiệm vụ"),
)
PERIOD_KINDS: tuple[tuple[str, str], ...] = (
    ("Q1", "Quý I"),
    ("Q2", "Quý II"),
    ("Q3", "Quý III"),
    ("Q4", "Quý IV"),
    ("H1", "6 tháng đầu năm"),
    ("9M", "9 tháng đầu năm"),
    ("Y", "Năm"),
)


open_path = dialogs.open_path
offer_open = dialogs.offer_open


def run_export(parent: QWidget | None, ctx: GuiContext, *, title: str, default_name: str,
               write: Callable[[object, Path], Path], pdf: bool = False) -> bool:
    """Ask where to save, run ``write(session, docx_path)`` in a job, then offer to open.

    Choosing a .pdf name writes the .docx next to it and converts it; so does ``pdf=True``.
    Returns True when a file was written.
    """
    chosen = dialogs.save_file(parent, title, WORD_FILTER,
                               start=default_name, suffix="docx")
    if chosen is None:
        return False
    want_pdf = pdf or chosen.suffix.lower() == ".pdf"
    docx_path = chosen.with_suffix(".docx") if chosen.suffix.lower() == ".pdf" else chosen

    def work(report: jobs.Report, cancelled: Callable[[], bool]) -> Path:
        report(10, "Đang tổng hợp số liệu và soạn văn bản...")
        # Written beside the target first: "Hủy" before it is put in place leaves no file.
        with written_atomically(docx_path) as draft:
            with ctx.db.session() as session:
                write(session, draft)
            check_cancelled(cancelled)
        written = docx_path
        if want_pdf:
            from cchc_desktop.exporters.pdf import convert_to_pdf

            report(60, "Đang tạo tệp PDF...")
            written = convert_to_pdf(written, chosen.with_suffix(".pdf"))
        report(100, "Xong")
        return written

    outcome = jobs.run_with_progress(parent, title, work)
    if outcome.was_cancelled:
        return False
    if not outcome.ok:
        dialogs.show_error(parent, outcome.error)
        return False
    ctx.show_message(f"Đã lưu {outcome.result}")
    offer_open(parent, outcome.result)
    return True


def template_ok(parent: QWidget | None, ctx: GuiContext, key: str) -> bool:
    """Before writing a document of kind ``key``: what is wrong with the office's template
    (Mẫu văn bản), for the user to confirm; True when there is nothing or they go on."""
    from cchc_desktop.services.doc_templates import template_warnings

    with ctx.db.session() as session:
        warnings = template_warnings(session, key)
    return not warnings or dialogs.confirm(
        parent, "Lưu ý về mẫu văn bản:\n\n" + "\n".join(f"• {w}" for w in warnings)
        + "\n\nVẫn xuất văn bản?")


# ---------------------------------------------------------------------- report


def fill_units(session, box: QComboBox) -> None:  # noqa: ANN001 - Session
    """Put "Tất cả đơn vị" and the active units in ``box``, keeping the current choice."""
    from cchc_desktop.services.units import list_units

    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem("Tất cả đơn vị", None)
    for unit in list_units(session, include_inactive=False):
        box.addItem(unit.name, unit.name)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    box.blockSignals(False)


class ReportOptionsDialog(QDialog):
    """Asks for the report's period, number, date, charts and PDF (from the menu).

    Attributes:
        kind_box / year_box: the period; report_kind_box: general, propaganda or index;
        number_edit; date_edit with no_date_box (leave blank); appendix_box / unit_box:
        which tasks Phụ lục II lists; charts_box; pdf_box.
    """

    def __init__(self, today: date, parent: QWidget | None = None,
                 units: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Xuất báo cáo định kỳ")
        form = QFormLayout(self)
        self.kind_box = QComboBox()
        for code, label in PERIOD_KINDS:
            self.kind_box.addItem(label, code)
        self.kind_box.setCurrentIndex(4)
        self.year_box = QSpinBox()
        self.year_box.setRange(1990, 2100)
        self.year_box.setValue(today.year)
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("để trống để điền tay")
        self.date_edit = QDateEdit(to_qdate(today))
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.no_date_box = QCheckBox("Để trống ngày (điền khi ký)")
        self.charts_box = QCheckBox("Kèm biểu đồ")
        self.charts_box.setChecked(True)
        self.pdf_box = QCheckBox("Tạo thêm tệp PDF")
        from cchc_desktop.domain.report_kinds import KIND_LABELS, ReportKind

        self.report_kind_box = QComboBox()
        for kind in ReportKind:
            self.report_kind_box.addItem(KIND_LABELS[kind], kind.value)
        self.appendix_box = QComboBox()
        for code, label in APPENDIX_CHOICES:
            self.appendix_box.addItem(label, code)
        self.appendix_box.setCurrentIndex(1)
        self.unit_box = QComboBox()
        self.unit_box.addItem("Tất cả đơn vị", None)
        for name in units or []:
            self.unit_box.addItem(name, name)
        form.addRow("Loại báo cáo:", self.report_kind_box)
        form.addRow("Kỳ báo cáo:", self.kind_box)
        form.addRow("Năm:", self.year_box)
        form.addRow("Số văn bản:", self.number_edit)
        form.addRow("Ngày ký:", self.date_edit)
        form.addRow("", self.no_date_box)
        form.addRow("Phụ lục nhiệm vụ:", self.appendix_box)
        form.addRow("Đơn vị chủ trì:", self.unit_box)
        form.addRow("", self.charts_box)
        form.addRow("", self.pdf_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Xuất")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self):  # noqa: ANN201 - ReportOptions
        from cchc_desktop.domain.periods import ReportPeriod
        from cchc_desktop.exporters.report_docx import ReportOptions

        period = ReportPeriod(self.year_box.value(), self.kind_box.currentData())
        d = self.date_edit.date()
        return ReportOptions(
            period=period,
            number=self.number_edit.text().strip() or None,
            doc_date=None if self.no_date_box.isChecked() else date(d.year(), d.month(), d.day()),
            charts=self.charts_box.isChecked(),
            kind=self.report_kind_box.currentData(),
            tasks_appendix=self.appendix_box.currentData(),
            unit=self.unit_box.currentData(),
        )


def export_report(parent: QWidget | None, ctx: GuiContext, options=None,  # noqa: ANN001
                  pdf: bool = False) -> bool:
    """Export a periodic report; without ``options`` a dialog asks for them first.

    The report is prepared first: a bad number or date is shown, and the warnings (sections
    with neither data nor text, appendices left out) are listed for the user to confirm
    before anything is written.
    """
    from cchc_desktop.exporters.report_docx import prepare_report, write_report

    if options is None:
        with ctx.db.session() as session:
            from cchc_desktop.services.units import list_units

            names = [u.name for u in list_units(session, include_inactive=False)]
        dialog = ReportOptionsDialog(ctx.today(), parent, names)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        options, pdf = dialog.options(), dialog.pdf_box.isChecked()

    def prepare(report: jobs.Report, cancelled: Callable[[], bool]):  # noqa: ANN202
        # The figures and every section's draft: a second at 20,000 tasks, off the GUI thread.
        report(5, "Đang tổng hợp số liệu và nội dung báo cáo...")
        with ctx.db.session() as session:
            return prepare_report(session, options)

    outcome = jobs.run_with_progress(parent, "Xuất báo cáo định kỳ", prepare)
    if outcome.was_cancelled:
        return False
    if not outcome.ok:
        dialogs.show_error(parent, outcome.error)
        return False
    prepared = outcome.result
    if prepared.warnings and not dialogs.confirm(
        parent, "Lưu ý trước khi xuất báo cáo:\n\n"
        + "\n".join(f"• {w}" for w in prepared.warnings) + "\n\nVẫn xuất báo cáo?"):
        return False

    def write(session, path: Path) -> Path:  # noqa: ANN001, ARG001 - prepared above
        return write_report(prepared, path)

    return run_export(parent, ctx, title="Xuất báo cáo định kỳ",
                      default_name=f"Bao_cao_CCHC_{options.period.code}.docx", write=write,
                      pdf=pdf)


def export_plan(parent: QWidget | None, ctx: GuiContext, plan_id: int) -> bool:
    """Export plan ``plan_id`` with its appendix."""
    if not template_ok(parent, ctx, "plan"):
        return False

    def write(session, path: Path) -> Path:  # noqa: ANN001
        from cchc_desktop.exporters.plan_docx import export_plan as write_plan

        return write_plan(session, plan_id, path, today=ctx.today())

    return run_export(parent, ctx, title="Xuất kế hoạch",
                      default_name=f"Ke_hoach_{plan_id}.docx", write=write)


def export_overdue(parent: QWidget | None, ctx: GuiContext, days: int | None = None) -> bool:
    """Export the tasks overdue today or due within ``days`` days (default: the office's
    "due soon" setting), by lead unit."""
    as_of = ctx.today()
    days = days if days is not None else ctx.due_soon_days()

    def write(session, path: Path) -> Path:  # noqa: ANN001
        from cchc_desktop.exporters.overdue_docx import export_overdue as write_overdue

        return write_overdue(session, as_of, path, days=days)

    return run_export(parent, ctx, title="Xuất danh sách nhiệm vụ quá hạn",
                      default_name=f"Nhiem_vu_qua_han_{as_of:%Y%m%d}.docx", write=write)


def export_reminders(parent: QWidget | None, ctx: GuiContext, within: int | None = None,
                     unit: str | None = None) -> bool:
    """Write the chasing letters (one per lead unit with overdue or soon-due tasks today,
    plus the combined file) into a folder the user chooses; ``within`` defaults to the
    office's "due soon" setting."""
    within = within if within is not None else ctx.due_soon_days()
    from cchc_desktop.exporters.reminders_docx import ReminderOptions
    from cchc_desktop.exporters.reminders_docx import export_reminders as write_letters

    if not template_ok(parent, ctx, "letter"):
        return False
    folder = dialogs.choose_folder(parent, "Chọn thư mục lưu công văn đôn đốc",
                                   kind="letters")
    if folder is None:
        return False
    options = ReminderOptions(ctx.today(), within, unit, combined=True)

    def work(report: jobs.Report, cancelled: Callable[[], bool]) -> list[Path]:
        report(10, "Đang soạn công văn đôn đốc...")
        with ctx.db.session() as session:
            return write_letters(session, options, folder)

    outcome = jobs.run_with_progress(parent, "Công văn đôn đốc", work)
    if outcome.was_cancelled:
        return False
    if not outcome.ok:
        dialogs.show_error(parent, outcome.error)
        return False
    paths: list[Path] = outcome.result
    if not paths:
        dialogs.show_info(parent, f"Không có đơn vị nào có nhiệm vụ quá hạn hoặc đến hạn trong "
                                  f"{within} ngày tới: không có công văn nào được tạo.")
        return False
    letters = len(paths) - 1  # the last is the combined file
    ctx.show_message(f"Đã tạo {letters} công văn đôn đốc trong {folder}")
    offer_open(parent, paths[-1], f"Đã tạo {letters} công văn đôn đốc trong thư mục:\n{folder}"
                                  f"\n\nTệp gộp để in: {paths[-1].name}")
    return True


def scoring_available() -> bool:
    """True when the self-scoring exporter is part of this version."""
    return importlib.util.find_spec("cchc_desktop.exporters.scoring_docx") is not None


def export_scoring(parent: QWidget | None, ctx: GuiContext, year: int | None = None) -> bool:
    """Export the self-scoring table of ``year`` (default: this year)."""
    if not scoring_available():
        dialogs.show_info(parent, "Chức năng xuất bảng tự chấm điểm chưa có trong phiên bản này.")
        return False
    year = year or ctx.today().year
    if not template_ok(parent, ctx, "scoring"):
        return False

    def write(session, path: Path) -> Path:  # noqa: ANN001
        from cchc_desktop.exporters.scoring_docx import export_scoring as write_scoring

        return write_scoring(session, year, path)

    return run_export(parent, ctx, title="Xuất bảng tự chấm điểm",
                      default_name=f"Tu_cham_diem_CCHC_{year}.docx", write=write)
