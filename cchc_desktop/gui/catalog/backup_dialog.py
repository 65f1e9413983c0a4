"""Backups and the audit log in the GUI: back up now, restore a backup, browse changes.

The menu actions ``backup_now``, ``backup_to_file``, ``restore_backup`` and ``show_audit`` take
``(parent, ctx)`` and return True when they changed or wrote something. The
work itself is in ``store.backup`` and ``store.audit``, shared with the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.terms import size_text
from cchc_desktop.errors import UserError, check_cancelled
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.date_edit import from_qdate
from cchc_desktop.gui.common.row_model import RowTableModel
from cchc_desktop.store.audit import ACTION_LABELS, AuditRow, list_audit
from cchc_desktop.store.audit_chain import AuditCheck, check_audit_log
from cchc_desktop.store.backup import BackupInfo, list_backups
from cchc_desktop.store.guard import FIELD_LABELS

ENTITY_LABELS = {
    "task": "Nhiệm vụ", "unit": "Đơn vị", "plan": "Kế hoạch", "document": "Văn bản",
    "user": "Tài khoản", "progress_update": "Tiến độ", "deadline_extension": "Gia hạn",
    "evidence": "Tài liệu kiểm chứng", "evidence_link": "Liên kết kiểm chứng",
    "setting": "Cài đặt", "score": "Điểm tự chấm", "criterion": "Tiêu chí",
    "scoring_framework": "Bộ tiêu chí", "index_result": "Kết quả chỉ số",
    "procedure_stats": "Số liệu TTHC", "report_narrative": "Nội dung báo cáo",
    "evidence_trash": "Thùng rác tài liệu kiểm chứng", "evidence_blob": "Nội dung tệp kiểm chứng",
    "extension_request": "Đề nghị gia hạn",
    "plan_group": "Nhóm nhiệm vụ của kế hoạch", "unit_alias": "Tên gọi khác của đơn vị",
}
REASON_LABELS = {"auto": "Tự động", "manual": "Sao lưu thủ công",
                 "migration": "Trước khi nâng cấp", "before-restore": "Trước khi khôi phục"}
SQLITE_FILTER = ("Bản sao lưu CCHC (*.sqlite3 *.db *.zip);;Gói sao lưu kèm tài liệu kiểm chứng "
                 "(*.zip);;Tất cả các tệp (*)")
ARCHIVE_FILTER = "Gói sao lưu kèm tài liệu kiểm chứng (*.zip)"
_Index = QModelIndex | QPersistentModelIndex


def _size(n: int) -> str:
    return size_text(n)


def _require_admin(ctx: GuiContext, action: str) -> None:
    from cchc_desktop.services.access import current_user, require_admin

    with ctx.db.session() as session:
        require_admin(current_user(session), action)


def _local_file(parent: QWidget | None, ctx: GuiContext, action: str,
                server_work: str) -> Path | None:
    """The open SQLite file when an administrator may do ``action`` on it; else None, after
    saying why (on the shared server ``server_work`` is the server administrator's job)."""
    path = ctx.db.sqlite_path
    if path is None:
        dialogs.show_info(parent, f"Dữ liệu đang ở máy chủ dùng chung: việc {server_work}. "
                          "Hãy liên hệ người quản trị máy chủ.")
        return None
    try:
        _require_admin(ctx, action)
    except UserError as exc:
        dialogs.show_error(parent, exc.message)
        return None
    return path


def backup_now(parent: QWidget | None, ctx: GuiContext) -> bool:
    """Back up the open SQLite database into its backups folder."""
    from cchc_desktop.store.backup import make_backup

    path = _local_file(parent, ctx, "sao lưu dữ liệu",
                       "sao lưu do người quản trị máy chủ thực hiện")
    if path is None:
        return False
    try:
        out = make_backup(path, reason="manual")
    except UserError as exc:
        dialogs.show_error(parent, exc.message)
        return False
    ctx.show_message(f"Đã sao lưu: {out.name}")
    dialogs.show_info(parent, f"Đã sao lưu dữ liệu vào:\n{out}")
    return True


def _missing_note(missing: list[str]) -> str:
    if not missing:
        return ""
    return (f"\n\nChú ý: {len(missing)} tệp kiểm chứng không còn (hoặc đã bị thay đổi) trong kho "
            "nên không có trong gói. Kiểm tra bằng Tài liệu kiểm chứng → Kiểm tra toàn vẹn.")


def backup_to_file(parent: QWidget | None, ctx: GuiContext) -> bool:
    """"Sao lưu ra...": the database, its evidence files and their hashes in one chosen .zip."""
    from cchc_desktop.gui.common.jobs import run_with_progress
    from cchc_desktop.store.archive import ArchiveSummary, is_archive, write_archive

    path = _local_file(parent, ctx, "sao lưu dữ liệu",
                       "sao lưu do người quản trị máy chủ thực hiện")
    if path is None:
        return False
    start = str(Path.home() / f"{path.stem}-{date.today():%Y%m%d}.zip")
    out = dialogs.save_file(parent, "Sao lưu ra tệp", ARCHIVE_FILTER, start=start, suffix="zip")
    if out is None:
        return False
    if not is_archive(out):
        out = out.with_name(out.name + ".zip")
    outcome = run_with_progress(parent, "Đang sao lưu dữ liệu và tài liệu kiểm chứng...",
                                lambda _report, _cancelled: write_archive(path, out),
                                cancellable=False)
    if not outcome.ok:
        if outcome.error:
            dialogs.show_error(parent, outcome.error)
        return False
    summary: ArchiveSummary = outcome.result
    ctx.show_message(f"Đã sao lưu ra {out.name}")
    dialogs.show_info(parent, f"Đã sao lưu dữ liệu và {summary.files} tệp kiểm chứng vào:\n{out}"
                      "\n\nChép tệp này sang máy khác rồi chọn Tệp → Khôi phục từ bản sao lưu... "
                      "→ Chọn tệp khác... để tiếp tục làm việc ở đó."
                      + _missing_note(summary.missing))
    return True


class BackupListModel(QAbstractTableModel):
    """The backups of a database, newest first: time, reason, size."""

    HEADERS = ("Thời điểm", "Lý do", "Dung lượng")

    def __init__(self, backups: list[BackupInfo], parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.backups = backups

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        info = self.backups[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        return (f"{info.taken_at:%d/%m/%Y %H:%M:%S}", REASON_LABELS.get(info.reason, info.reason),
                _size(info.size))[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class RestoreDialog(QDialog):
    """Pick a backup (from the list, or any file) to restore.

    Attributes:
        table: the backups list; chosen: the selected file after OK (or None).
    """

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Khôi phục từ bản sao lưu")
        self.chosen: Path | None = None
        self.model = BackupListModel(list_backups(db_path), self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Chọn bản sao lưu để khôi phục. Dữ liệu hiện tại sẽ được giữ lại thành một bản "
            "sao lưu trước khi thay thế."))
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.table)
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            layout.addWidget(QLabel("Chưa có bản sao lưu nào trong thư mục sao lưu."))
        buttons = QDialogButtonBox(self)
        self.other_button = QPushButton("Chọn tệp khác...", self)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.ok_button = buttons.addButton("Khôi phục", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.other_button.clicked.connect(self._pick_file)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def _pick_file(self) -> None:
        path = dialogs.open_file(self, "Chọn tệp sao lưu", SQLITE_FILTER)
        if path is not None:
            self.chosen = path
            super().accept()

    def accept(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.chosen = self.model.backups[rows[0].row()].path
            super().accept()


def restore_file(parent: QWidget | None, ctx: GuiContext, source: Path) -> bool:
    """Check ``source``, ask, then restore it into the open database (which stays usable)."""
    from cchc_desktop.gui.common.jobs import run_with_progress
    from cchc_desktop.store.archive import ArchiveSummary, is_archive, restore_archive
    from cchc_desktop.store.backup import check_backup_file
    from cchc_desktop.store.backup import restore_backup as restore
    from cchc_desktop.store.migrate import upgrade_to_head

    path = ctx.db.sqlite_path
    assert path is not None
    archive = is_archive(source)
    try:
        if not archive:  # an archive is checked entry by entry by the restore itself
            check_backup_file(source)
    except UserError as exc:
        dialogs.show_error(parent, exc.message)
        return False
    what = "gói sao lưu" if archive else "bản sao lưu"
    if not dialogs.confirm(parent, f"Thay toàn bộ dữ liệu hiện tại bằng {what} "
                           f"{source.name}?\nDữ liệu hiện tại được giữ lại thành một bản sao lưu.",
                           danger=True):
        return False
    missing: list[str] = []
    try:
        ctx.db.engine.dispose()  # no connection may hold the old file while it is replaced
        if archive:  # unpacking and hashing take a while: in a worker, the window paints
            outcome = run_with_progress(parent, "Đang kiểm tra và khôi phục gói sao lưu...",
                                        lambda _report, _cancelled: restore_archive(path, source),
                                        cancellable=False)
            if not outcome.ok:
                dialogs.show_error(parent, outcome.error or "Đã dừng khôi phục.")
                return False
            summary: ArchiveSummary = outcome.result
            kept, missing = summary.kept, summary.missing
        else:
            kept = restore(path, source)
        upgrade_to_head(ctx.db.engine)  # a backup taken before an upgrade
    except UserError as exc:
        dialogs.show_error(parent, exc.message)
        return False
    ctx.undo_stack.clear()  # the undo history belongs to the replaced data
    ctx.notify_changed()
    note = f"\nDữ liệu trước đó được giữ tại: {kept}" if kept else ""
    ctx.show_message("Đã khôi phục bản sao lưu.")
    dialogs.show_info(parent, f"Đã khôi phục dữ liệu từ {source.name}.{note}"
                      + _missing_note(missing))
    return True


def restore_backup(parent: QWidget | None, ctx: GuiContext) -> bool:
    """Choose a backup from the list (or any file) and restore it."""
    path = _local_file(parent, ctx, "khôi phục bản sao lưu",
                       "khôi phục do người quản trị máy chủ thực hiện (pg_restore)")
    if path is None:
        return False
    dialog = RestoreDialog(path, parent)
    if not dialog.exec() or dialog.chosen is None:
        return False
    return restore_file(parent, ctx, dialog.chosen)


def offer_restore_on_damage(parent: QWidget | None, exc: object) -> bool:
    """At start-up: the database is damaged; offer its newest good backup. True if restored."""
    from cchc_desktop.store.backup import restore_backup as restore

    backup = getattr(exc, "backup", None)
    damaged = getattr(exc, "path", None)
    if backup is None or damaged is None:
        dialogs.show_error(parent, str(getattr(exc, "message", exc)))
        return False
    question = (f"{exc.message}\n\nKhôi phục bản sao lưu tốt gần nhất ({backup.name})? "  # type: ignore[attr-defined]
                "Tệp hỏng vẫn được giữ lại trong thư mục sao lưu.")
    if not dialogs.confirm(parent, question):
        return False
    try:
        restore(damaged, backup)
    except UserError as error:
        dialogs.show_error(parent, error.message)
        return False
    return True


class AuditTableModel(RowTableModel):
    """Audit rows: time, user, action, what, field, old value, new value."""

    HEADERS = ("Thời điểm", "Người thực hiện", "Thao tác", "Đối tượng", "Trường",
               "Giá trị cũ", "Giá trị mới")

    def _cells(self, r: AuditRow) -> tuple[str, ...]:
        what = ENTITY_LABELS.get(r.entity, r.entity)
        if r.entity_id is not None:
            what = f"{what} số {r.entity_id}"
        field = FIELD_LABELS.get(r.field, r.field) if r.field else ""
        return (f"{r.at:%d/%m/%Y %H:%M:%S}", r.username, ACTION_LABELS.get(r.action, r.action),
                what, field or "", _short(r.old_value), _short(r.new_value))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(row)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() >= 5:
            value = row.old_value if index.column() == 5 else row.new_value
            return (value or "")[:2000]
        return None



def _short(value: str | None, limit: int = 120) -> str:
    if value is None:
        return ""
    text = value.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


class AuditDialog(QDialog):
    """The audit log, filterable by kind of record, record number, user and date.

    Attributes:
        entity_combo, id_edit, user_edit, since_check, since_edit: the filters;
        model: the AuditTableModel shown in ``table``; reload() applies the filters.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None, *,
                 entity: str | None = None, entity_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Nhật ký thay đổi")
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.entity_combo = QComboBox(self)
        self.entity_combo.addItem("Tất cả", None)
        for key, label in ENTITY_LABELS.items():
            self.entity_combo.addItem(label, key)
        if entity:
            self.entity_combo.setCurrentIndex(max(0, self.entity_combo.findData(entity)))
        self.id_edit = QLineEdit(self)
        self.id_edit.setPlaceholderText("Số")
        self.id_edit.setMaximumWidth(80)
        if entity_id is not None:
            self.id_edit.setText(str(entity_id))
        self.user_edit = QLineEdit(self)
        self.user_edit.setPlaceholderText("Người thực hiện")
        self.since_check = QCheckBox("Từ ngày", self)
        self.since_edit = QDateEdit(self)
        self.since_edit.setDisplayFormat("dd/MM/yyyy")
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDate(QDate.currentDate().addDays(-30))
        for widget in (QLabel("Đối tượng:"), self.entity_combo, self.id_edit, self.user_edit,
                       self.since_check, self.since_edit):
            filters.addWidget(widget)
        self.filter_button = QPushButton("Lọc", self)
        filters.addWidget(self.filter_button)
        layout.addLayout(filters)
        self.model = AuditTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.count_label = QLabel(self)
        layout.addWidget(self.count_label)
        integrity = QHBoxLayout()
        self.verify_button = QPushButton("Kiểm tra tính toàn vẹn", self)
        self.verify_button.setToolTip("Kiểm tra chuỗi mã băm của toàn bộ nhật ký: phát hiện dòng "
                                      "bị sửa, bị xóa hoặc bị chèn thêm")
        self.integrity_label = QLabel(self)
        self.integrity_label.setWordWrap(True)
        self.integrity_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        integrity.addWidget(self.verify_button)
        integrity.addWidget(self.integrity_label, 1)
        layout.addLayout(integrity)
        layout.addWidget(dialogs.close_button(self))
        self.verify_button.clicked.connect(self.verify)
        self.filter_button.clicked.connect(self.reload)
        self.entity_combo.currentIndexChanged.connect(self.reload)
        self.id_edit.returnPressed.connect(self.reload)
        self.user_edit.returnPressed.connect(self.reload)
        self.since_check.toggled.connect(self.reload)
        self.resize(1000, 560)
        self.reload()

    def reload(self) -> None:
        """Query the log with the current filters."""
        text = self.id_edit.text().strip()
        entity_id = int(text) if text.isdigit() and len(text) < 10 else None
        since = from_qdate(self.since_edit.date()) if self.since_check.isChecked() else None
        with self.ctx.db.session() as session:
            rows = list_audit(session, since=since, entity=self.entity_combo.currentData(),
                              entity_id=entity_id, username=self.user_edit.text().strip() or None)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.count_label.setText(f"{len(rows)} thay đổi")


    def verify(self) -> None:
        """Check the whole log (hash chain, SQLite triggers) and say the result in the label."""
        from cchc_desktop.gui.common.jobs import Report, run_with_progress

        engine = self.ctx.db.engine

        def work(report: Report, cancelled: Callable[[], bool]) -> AuditCheck:
            def on_page(done: int, total: int) -> None:
                check_cancelled(cancelled)
                report(done * 100 // max(total, 1),
                       f"Đã kiểm tra {done:,} / {total:,} dòng...".replace(",", "."))

            with engine.connect() as conn:
                return check_audit_log(conn, on_page=on_page)

        outcome = run_with_progress(self, "Đang kiểm tra tính toàn vẹn của nhật ký...", work)
        if not outcome.ok:
            if outcome.error:
                dialogs.show_error(self, outcome.error)
            return
        result: AuditCheck = outcome.result
        if result.ok:
            self.integrity_label.setStyleSheet("color: #1b5e20;")
            self.integrity_label.setText(result.chain.describe())
        else:
            self.integrity_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
            self.integrity_label.setText("\n".join(result.problems()))


def show_audit(parent: QWidget | None, ctx: GuiContext, *, entity: str | None = None,
               entity_id: int | None = None) -> bool:
    """Show the audit log (of one record when ``entity``/``entity_id`` are given)."""
    AuditDialog(ctx, parent, entity=entity, entity_id=entity_id).exec()
    return False
