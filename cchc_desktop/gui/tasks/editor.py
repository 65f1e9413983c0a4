"""The task editor: one dialog to add or edit a task, validated as the user types.

Validation is :func:`cchc_desktop.domain.task_rules.validate_task`, the rule the services
apply again on save, so the form and the database cannot disagree. Reasons appear under
each field; "Lưu" refuses while any remain. Saving pushes an undo command.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain import terms
from cchc_desktop.domain.areas import REFORM_AREAS, UNCLASSIFIED
from cchc_desktop.domain.task_rules import TaskDraft, validate_task
from cchc_desktop.domain.text import fold, format_date_vn, nfc
from cchc_desktop.domain.timing import TimingKind, interpret_timing
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.date_edit import OptionalDateEdit
from cchc_desktop.gui.common.mnemonics import add_mnemonics
from cchc_desktop.gui.tasks.commands import CreateTaskCommand, EditTaskCommand, push
from cchc_desktop.gui.tasks.history_page import TaskHistoryPage, error_label

ASSIGNERS = ("UBND tỉnh", "Chủ tịch UBND tỉnh", "Văn phòng UBND tỉnh", "Sở Nội vụ", "Giám đốc Sở")


class TaskEditorDialog(QDialog):
    """Add (``task_id`` None) or edit a task.

    Attributes:
        task_id: the edited task (after saving a new task: its new id).
        errors: field name → the QLabel showing that field's reason.
        saved: True once the change reached the database.
    """

    def __init__(self, ctx: GuiContext, task_id: int | None = None, *, plan_id: int | None = None,
                 area: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task_id = task_id
        self.plan_id = plan_id
        self.saved = False
        self._attempted = False
        self._touched: set[str] = set()
        self._due_follows_timing = True
        self._loading = True
        self._old_draft: TaskDraft | None = None
        self._version: int | None = None
        self._old_document: int | None = None
        self.setWindowTitle("Sửa nhiệm vụ" if task_id else "Thêm nhiệm vụ")
        self.setMinimumSize(760, 640)
        self.errors: dict[str, QLabel] = {}
        self._build()
        self._load_choices()
        if task_id is not None:
            self._load_task(task_id)
        else:
            self.year.setValue(self._plan_year() or self.ctx.today().year)
            if area:
                self.area.setCurrentIndex(self.area.findData(area))
            # A plan's rows are assigned when the plan is issued, not on the day they are typed
            # (else "Quý I" typed in November would be "due before assignment").
            self.assigned_on.setDate(self._plan_issued() or self.ctx.today())
        self._loading = False
        self._timing_changed()
        self._validate()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        tabs = QTabWidget()
        tabs.addTab(self._build_main(), "Thông tin nhiệm vụ")
        self.history = TaskHistoryPage(self.ctx, self.saved_id, saved=self.task_id is not None)
        self.history.recorded.connect(self._history_recorded)
        tabs.addTab(self.history, "Tiến độ và gia hạn")
        self.tabs = tabs
        # Our own buttons: a standard button's text is reset by Qt on a language change.
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        if self.task_id is not None:
            history = self.buttons.addButton(
                "Lịch sử thay đổi...", QDialogButtonBox.ButtonRole.HelpRole)
            history.clicked.connect(self._show_audit)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.general_error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        add_mnemonics(self)

    def _field(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        self.errors[name] = error_label()
        column.addWidget(self.errors[name])
        form.addRow(label, box)

    def _build_main(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("Nội dung nhiệm vụ như ghi trong kế hoạch hoặc văn bản giao")
        self.content.setFixedHeight(84)
        self.content.setTabChangesFocus(True)
        self._field(form, "Nội dung (*):", "content", self.content)
        self.output = QLineEdit()
        self.output.setPlaceholderText("Kế hoạch, Báo cáo, Văn bản, Quyết định...")
        self._field(form, "Kết quả / sản phẩm:", "output", self.output)

        self.assigned_by = QComboBox()
        self.assigned_by.setEditable(True)
        self.assigned_by.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.document = QComboBox()
        self.document.setMinimumContentsLength(20)
        self.document.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        row = QHBoxLayout()
        row.addWidget(self.assigned_by, 1)
        document_label = QLabel(f"{terms.DOCUMENT}:")
        document_label.setBuddy(self.document)
        row.addWidget(document_label)
        row.addWidget(self.document, 2)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self._field(form, f"{terms.ASSIGNED_BY}:", "assigned_by", holder)

        self.area = QComboBox()
        self.area.addItem(UNCLASSIFIED, None)
        for area in REFORM_AREAS:
            self.area.addItem(f"{area.code}. {area.name}", area.code)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setMinimumWidth(90)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.area, 1)
        year_label = QLabel(f"{terms.YEAR}:")
        year_label.setBuddy(self.year)
        row.addWidget(year_label)
        row.addWidget(self.year)
        holder = QWidget()
        holder.setLayout(row)
        self._field(form, "Lĩnh vực CCHC:", "area", holder)

        self.lead_unit = QComboBox()
        self._field(form, "Đơn vị chủ trì (*):", "lead_unit_id", self.lead_unit)
        self.unit_filter = QLineEdit()
        self.unit_filter.setPlaceholderText("Lọc đơn vị phối hợp...")
        self.unit_filter.setClearButtonEnabled(True)
        self.supporting = QListWidget()
        self.supporting.setFixedHeight(110)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.unit_filter)
        column.addWidget(self.supporting)
        self._field(form, "Đơn vị phối hợp:", "supporting_unit_ids", box)

        self.timing = QLineEdit()
        self.timing.setPlaceholderText("Ví dụ: Quý II; Tháng 01 hằng năm; Thường xuyên; 15/3/2025")
        self.implied = QLabel()
        self.implied.setObjectName("hint")
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.timing)
        column.addWidget(self.implied)
        self._field(form, "Thời gian thực hiện:", "timing_text", box)
        today = self.ctx.today
        self.due = OptionalDateEdit("Có thời hạn", default=today)
        self.use_implied = QPushButton("Theo thời gian thực hiện")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.due)
        row.addWidget(self.use_implied)
        row.addStretch(1)
        holder = QWidget()
        holder.setLayout(row)
        self._field(form, "Thời hạn:", "due_date", holder)
        self.assigned_on = OptionalDateEdit("Có ngày giao", default=today)
        self._field(form, "Ngày giao:", "assigned_on", self.assigned_on)
        self.completed_on = OptionalDateEdit("Đã hoàn thành", default=today)
        self.completion_note = QLineEdit()
        self.completion_note.setPlaceholderText("Kết quả thực hiện, số văn bản báo cáo...")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.completed_on)
        row.addWidget(self.completion_note, 1)
        holder = QWidget()
        holder.setLayout(row)
        self._field(form, "Hoàn thành:", "completed_on", holder)
        self.note = QLineEdit()
        self._field(form, "Ghi chú:", "note", self.note)

        self.content.textChanged.connect(lambda: self._changed("content"))
        for name, widget in (("output", self.output), ("timing_text", self.timing),
                             ("note", self.note), ("completion_note", self.completion_note)):
            widget.textChanged.connect(lambda _t, n=name: self._changed(n))
        self.timing.textChanged.connect(self._timing_changed)
        self.year.valueChanged.connect(self._timing_changed)
        self.assigned_by.currentTextChanged.connect(lambda _t: self._changed("assigned_by"))
        self.area.currentIndexChanged.connect(lambda _i: self._changed("area"))
        self.lead_unit.currentIndexChanged.connect(lambda _i: self._changed("lead_unit_id"))
        self.supporting.itemChanged.connect(lambda _i: self._changed("supporting_unit_ids"))
        self.unit_filter.textChanged.connect(self._filter_units)
        self.due.changed.connect(self._due_edited)
        self.assigned_on.changed.connect(lambda: self._changed("assigned_on"))
        self.completed_on.changed.connect(lambda: self._changed("completed_on"))
        self.use_implied.clicked.connect(self._follow_timing)
        return page

    # ------------------------------------------------------------------ loading
    def _plan_year(self) -> int | None:
        if self.plan_id is None:
            return None
        from cchc_desktop.store.models import Plan

        with self.ctx.db.session() as session:
            plan = session.get(Plan, self.plan_id)
            return plan.year if plan else None

    def _plan_issued(self) -> date | None:
        if self.plan_id is None:
            return None
        from cchc_desktop.store.models import Plan

        with self.ctx.db.session() as session:
            plan = session.get(Plan, self.plan_id)
            if plan is None:
                return None
            return plan.issued_on or date(plan.year, 1, 1)

    def _load_choices(self) -> None:
        from sqlalchemy import select

        from cchc_desktop.services.documents import list_documents
        from cchc_desktop.services.units import list_units
        from cchc_desktop.store.models import Task

        with self.ctx.db.session() as session:
            units = list_units(session, include_inactive=True)
            documents = list_documents(session)
            assigners = [a for a in session.scalars(select(Task.assigned_by).distinct()) if a]
        self.lead_unit.addItem("— Chọn đơn vị chủ trì —", None)
        for unit in units:
            if unit.active:
                self.lead_unit.addItem(unit.name, unit.id)
        for unit in units:
            item = QListWidgetItem(unit.name)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.supporting.addItem(item)
        self.assigned_by.addItem("")
        for name in dict.fromkeys([*ASSIGNERS, *sorted(assigners)]):
            self.assigned_by.addItem(name)
        self.document.addItem("— Không có —", None)
        for doc in reversed(documents):
            when = f" ngày {format_date_vn(doc.issued_on)}" if doc.issued_on else ""
            self.document.addItem(f"{doc.symbol}{when}", doc.id)
            self.document.setItemData(self.document.count() - 1, doc.summary,
                                      Qt.ItemDataRole.ToolTipRole)

    def _load_task(self, task_id: int) -> None:
        from cchc_desktop.services.tasks import draft_from_task, get_task

        with self.ctx.db.session() as session:
            task = get_task(session, task_id)
            draft = draft_from_task(task)
            document_id = task.document_id
            self._version = task.version
            progress = [(p.on_date, p.note, p.percent) for p in task.progress_updates]
            extensions = [(e.old_due_date, e.new_due_date, e.reason) for e in task.extensions]
        self._old_draft = draft
        self._old_document = document_id
        self.content.setPlainText(draft.content)
        self.output.setText(draft.output)
        self.assigned_by.setCurrentText(draft.assigned_by)
        index = self.document.findData(document_id)
        self.document.setCurrentIndex(max(index, 0))
        self.area.setCurrentIndex(max(self.area.findData(draft.area), 0))
        self.year.setValue(draft.year or self.ctx.today().year)
        index = self.lead_unit.findData(draft.lead_unit_id)
        if index < 0 and draft.lead_unit_id is not None:  # an inactive unit still leads it
            self.lead_unit.addItem("(ngừng hoạt động)", draft.lead_unit_id)
            index = self.lead_unit.count() - 1
        self.lead_unit.setCurrentIndex(max(index, 0))
        for i in range(self.supporting.count()):
            item = self.supporting.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in draft.supporting_unit_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.timing.setText(draft.timing_text)
        implied = interpret_timing(draft.timing_text, draft.year or 2000).due_date
        self._due_follows_timing = draft.due_date == implied and not extensions
        self.due.setDate(draft.due_date)
        self.assigned_on.setDate(draft.assigned_on)
        self.completed_on.setDate(draft.completed_on)
        self.completion_note.setText(draft.completion_note)
        self.note.setText(draft.note)
        self.history.show_history(progress, extensions)

    # ------------------------------------------------------------------ live behaviour
    def _changed(self, name: str) -> None:
        if self._loading:
            return
        self._touched.add(name)
        self._validate()

    def _filter_units(self, text: str) -> None:
        key = fold(text)
        for i in range(self.supporting.count()):
            item = self.supporting.item(i)
            item.setHidden(bool(key) and key not in fold(item.text()))

    def _implied_due(self) -> tuple[TimingKind, date | None]:
        timing = interpret_timing(self.timing.text(), self.year.value())
        return timing.kind, timing.due_date

    def _timing_changed(self, *_args) -> None:
        kind, due = self._implied_due()
        texts = {
            TimingKind.DATE: f"Thời hạn suy ra: {format_date_vn(due)}" if due else "",
            TimingKind.RECURRING: (
                f"Định kỳ: hạn của lần cuối {format_date_vn(due)}" if due else ""),
            TimingKind.ONGOING: "Thực hiện thường xuyên: không có thời hạn.",
            TimingKind.EVENT: "Thời hạn tính từ khi sự kiện xảy ra: chưa có thời hạn.",
            TimingKind.UNKNOWN: "Không suy ra được thời hạn: hãy nhập thời hạn.",
            TimingKind.EMPTY: "",
        }
        self.implied.setText(texts[kind])
        if self._due_follows_timing and not self._loading:
            self.due.blockSignals(True)
            self.due.setDate(due)
            self.due.blockSignals(False)
            if self.timing.text():
                self._touched.add("due_date")
        if not self._loading:
            self._validate()

    def _due_edited(self) -> None:
        if self._loading:
            return
        self._due_follows_timing = self.due.date() == self._implied_due()[1]
        self._changed("due_date")

    def _follow_timing(self) -> None:
        self._due_follows_timing = True
        self._timing_changed()

    def draft(self) -> TaskDraft:
        """The form's values as a draft (text in NFC)."""
        supporting = [
            self.supporting.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.supporting.count())
            if self.supporting.item(i).checkState() == Qt.CheckState.Checked
        ]
        return TaskDraft(
            content=nfc(self.content.toPlainText()),
            lead_unit_id=self.lead_unit.currentData(),
            supporting_unit_ids=supporting,
            output=nfc(self.output.text()),
            timing_text=nfc(self.timing.text()),
            due_date=self.due.date(),
            assigned_on=self.assigned_on.date(),
            completed_on=self.completed_on.date(),
            completion_note=nfc(self.completion_note.text()),
            note=nfc(self.note.text()),
            assigned_by=nfc(self.assigned_by.currentText()),
            area=self.area.currentData(),
            year=self.year.value(),
        )

    def problems(self) -> dict[str, str]:
        return validate_task(self.draft(), today=self.ctx.today())

    def _validate(self) -> dict[str, str]:
        problems = self.problems()
        for name, label in self.errors.items():
            reason = problems.get(name, "")
            shown = reason if (self._attempted or name in self._touched) else ""
            label.setText(shown)
            label.setVisible(bool(shown))
        return problems

    # ------------------------------------------------------------------ saving
    def accept(self) -> None:
        self._attempted = True
        problems = self._validate()
        if problems:
            self.general_error.setText("Chưa lưu được: hãy sửa các mục được đánh dấu.")
            self.general_error.show()
            return
        draft = self.draft()
        document_id = self.document.currentData()
        command: CreateTaskCommand | EditTaskCommand
        if self.task_id is None:
            command = CreateTaskCommand(self.ctx, draft, self.plan_id, document_id=document_id)
        else:
            from cchc_desktop.services.tasks import draft_from_task, get_task

            with self.ctx.db.session() as session:  # the values stored now, for undo
                stored = get_task(session, self.task_id)
                old, stored_version = draft_from_task(stored), stored.version
            if self._version is not None and stored_version != self._version:
                self._offer_reload()
                return
            command = EditTaskCommand(self.ctx, self.task_id, old, draft,
                                      documents=(self._old_document, document_id),
                                      expected_version=self._version)
        error = push(self.ctx, command)
        if error:
            self.general_error.setText(error)
            self.general_error.show()
            return
        if self.task_id is None and isinstance(command, CreateTaskCommand):
            self.task_id = command.task_id
        self.saved = True
        super().accept()

    def saved_id(self) -> int:
        """The task's id; the history and reload parts of the form exist only for a saved task."""
        if self.task_id is None:
            raise RuntimeError("the task is not saved yet")
        return self.task_id

    def _offer_reload(self) -> None:
        """Someone else saved this task since the form opened: never overwrite silently."""
        text = ("Nhiệm vụ này vừa được người khác sửa và lưu trước bạn.\n"
                "Tải lại để xem dữ liệu mới nhất? (Các thay đổi bạn vừa nhập sẽ bị bỏ.)")
        if dialogs.confirm(self, text):
            self._load_task(self.saved_id())
            self.general_error.hide()
            self.ctx.show_message("Đã tải lại nhiệm vụ.")
        else:
            self.general_error.setText(
                "Chưa lưu: nhiệm vụ vừa được người khác sửa. Hãy tải lại trước khi lưu.")
            self.general_error.show()

    def _history_recorded(self, due: date | None, version: int) -> None:
        """Progress or an extension was saved from the history page: the due date moved."""
        self._version = version  # our own change, not someone else's
        self._due_follows_timing = False
        self.due.setDate(due)

    def _show_audit(self) -> None:
        from cchc_desktop.gui.catalog import show_audit

        show_audit(self, self.ctx, entity="task", entity_id=self.task_id)



def edit_task(ctx: GuiContext, parent: QWidget | None, task_id: int | None = None, **kwargs) -> bool:
    """Open the editor modally; True when something was saved."""
    try:
        dialog = TaskEditorDialog(ctx, task_id, parent=parent, **kwargs)
    except UserError as exc:  # e.g. the task was deleted meanwhile
        dialogs.show_error(parent, exc.message)
        return False
    try:
        return bool(dialog.exec()) and dialog.saved
    finally:
        dialog.deleteLater()
