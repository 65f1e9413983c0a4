"""Tài liệu kiểm chứng: the evidence files, what they are linked to, add/open/unlink/delete/verify.

Every action goes through :class:`cchc_desktop.services.evidence.EvidenceStore`. Files
can be added with the file dialog or dropped onto the tab. Deleting moves a file to the
trash as an undoable command; the Thùng rác dialog restores or purges (gui/evidence/trash.py).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.filenames import display_name
from cchc_desktop.domain.text import fold, format_date_vn, vi_sort_key
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.jobs import JobCancelled, run_with_progress
from cchc_desktop.gui.common.operations import run_write
from cchc_desktop.gui.common.tab_refresh import RefreshOnChange, announce_change
from cchc_desktop.gui.evidence.link_dialog import LinkDialog
from cchc_desktop.gui.evidence.sizes import format_size
from cchc_desktop.services.evidence import EvidenceInfo, EvidenceStore, LinkTarget
from cchc_desktop.store.file_errors import os_reason

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Tên tệp", "Dung lượng", "Ngày thêm", "Người thêm", "Gắn với")
WIDTHS = (330, 104, 108, 110, 400)
SHOW_FILTERS = (("Tất cả tệp", ""), ("Gắn với tiêu chí", "criterion"),
                ("Gắn với nhiệm vụ", "task"), ("Gắn với văn bản", "document"),
                ("Chưa gắn với gì", "none"))


class EvidenceTableModel(QAbstractTableModel):
    """Stored files; sortable on raw values (names in Vietnamese order). Attribute: ``rows``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[EvidenceInfo] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: list[EvidenceInfo]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return display_name(row.name)
            if column == 1:
                return format_size(row.size)
            if column == 2:
                return format_date_vn(row.added_at.date())
            if column == 3:
                return row.added_by
            links = "; ".join(link.label for link in row.links)
            return links or "(chưa gắn)"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return f"{display_name(row.name)}\nSHA-256: {row.sha256}"
            if column == 4 and row.links:
                return "\n".join(link.label for link in row.links)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and not row.links:
            from PySide6.QtGui import QBrush, QColor

            return QBrush(QColor("#8a4b00"))
        return None

    def _key(self, column: int):  # noqa: ANN202
        if column == 0:
            return lambda r: vi_sort_key(r.name)
        if column == 1:
            return lambda r: r.size
        if column == 2:
            return lambda r: (r.added_at, r.id)
        if column == 3:
            return lambda r: vi_sort_key(r.added_by)
        return lambda r: vi_sort_key("; ".join(link.label for link in r.links))

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        self.rows.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort(column, order)
        self.layoutChanged.emit()


class EvidenceTab(RefreshOnChange, QWidget):
    """The Tài liệu kiểm chứng tab; reloads after ``ctx.notify_changed()`` (undo included).

    Attributes:
        model/table: the files; search, show_filter: the filters; status: the count and check result;
        add_button, open_button, link_button, unlink_button, delete_button, trash_button,
        verify_button.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.all_rows: list[EvidenceInfo] = []
        self._temp: Path | None = None  # copies opened with the system viewer
        self.setAcceptDrops(True)
        self._build()
        self.listen_for_changes()
        self.refresh()

    def _build(self) -> None:
        title = QLabel("Tài liệu kiểm chứng")
        title.setObjectName("pageTitle")
        hint = QLabel("Kéo thả tệp vào đây để thêm")
        hint.setObjectName("hint")
        self.show_filter = QComboBox()
        for label, key in SHOW_FILTERS:
            self.show_filter.addItem(label, key)
        self.show_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo tên tệp, tiêu chí, nhiệm vụ...")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(lambda _t: self._apply_filter())
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(hint)
        top.addStretch(1)
        top.addWidget(QLabel("Hiển thị:"))
        top.addWidget(self.show_filter)
        top.addWidget(self.search)

        self.add_button = QPushButton("Thêm tệp...")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_with_dialog)
        self.open_button = QPushButton("Mở")
        self.open_button.clicked.connect(self.open_selected)
        self.link_button = QPushButton("Gắn thêm...")
        self.link_button.clicked.connect(self.link_selected)
        self.unlink_button = QPushButton("Bỏ liên kết...")
        self.unlink_button.clicked.connect(self.unlink_selected)
        self.delete_button = QPushButton("Xóa tệp")
        self.delete_button.setToolTip("Chuyển tệp vào thùng rác (hoàn tác bằng Ctrl+Z)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.trash_button = QPushButton("Thùng rác...")
        self.trash_button.setToolTip("Xem, khôi phục hoặc xóa vĩnh viễn các tệp đã xóa")
        self.trash_button.clicked.connect(self.open_trash)
        self.verify_button = QPushButton("Kiểm tra toàn vẹn")
        self.verify_button.setToolTip("Tính lại mã băm SHA-256 của mọi tệp, báo tệp bị mất "
                                      "hoặc bị thay đổi")
        self.verify_button.clicked.connect(self.verify)
        self.bundle_button = QPushButton("Đóng gói theo tiêu chí...")
        self.bundle_button.setToolTip("Tạo tệp .zip: mỗi mã tiêu chí một thư mục, kèm danh mục "
                                      "(tiêu chí, tệp, mã băm) để gửi Hội đồng thẩm định")
        self.bundle_button.clicked.connect(self.bundle)
        actions = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.link_button, self.unlink_button,
                       self.delete_button, self.trash_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.bundle_button)
        actions.addWidget(self.verify_button)

        self.model = EvidenceTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("evidence_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.status = QLabel()
        self.status.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    # -- data -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the files from the store."""
        with self.ctx.db.session() as session:
            store = EvidenceStore(session)
            self.all_rows = store.list()
            trashed = store.count_trash()
        self.trash_button.setText(f"Thùng rác ({trashed})..." if trashed else "Thùng rác...")
        self.mark_fresh()
        self._apply_filter()

    def _apply_filter(self) -> None:
        kind = self.show_filter.currentData()
        words = fold(self.search.text()).split()
        rows = []
        for row in self.all_rows:
            kinds = {link.kind for link in row.links}
            if kind == "none" and kinds or kind not in ("", "none") and kind not in kinds:
                continue
            if words:
                key = fold(row.name + " " + " ".join(link.label for link in row.links))
                if not all(w in key for w in words):
                    continue
            rows.append(row)
        self.model.set_rows(rows)
        total = sum(r.size for r in self.all_rows)
        unlinked = sum(1 for r in self.all_rows if not r.links)
        text = f"{len(rows)}/{len(self.all_rows)} tệp · tổng dung lượng {format_size(total)}"
        if unlinked:
            text += f" · {unlinked} tệp chưa gắn với tiêu chí, nhiệm vụ hay văn bản"
        self.status.setText(text)
        self._update_buttons()

    def selected(self) -> EvidenceInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_id(self, evidence_id: int) -> bool:
        """Select the row of a file (tests and callers use it)."""
        for position, row in enumerate(self.model.rows):
            if row.id == evidence_id:
                self.table.selectRow(position)
                return True
        return False

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.open_button, self.link_button, self.delete_button):
            button.setEnabled(row is not None)
        self.unlink_button.setEnabled(row is not None and bool(row.links))

    # -- adding -----------------------------------------------------------------------
    def add_with_dialog(self) -> int:
        """Ask for files, then for what they prove; returns how many files were added."""
        paths = dialogs.open_files(self, "Chọn tài liệu kiểm chứng", kind="evidence")
        return self.add_files(paths) if paths else 0

    def add_files(self, paths: list[Path]) -> int:
        """Ask what ``paths`` prove, then store and link them all (one transaction)."""
        if not paths:
            return 0
        chooser = LinkDialog(self.ctx, "Gắn tài liệu kiểm chứng với...",
                             names=[p.name for p in paths], parent=self)
        if not chooser.exec():
            return 0
        target = chooser.chosen()
        if chooser.kind.currentData() and target is None:
            dialogs.show_error(self, "Chưa chọn tiêu chí, nhiệm vụ hoặc văn bản để gắn tệp.")
            return 0
        return self.store_files(paths, target)

    def store_files(self, paths: list[Path], target: LinkTarget | None) -> int:
        """Store files linked to ``target`` (all or none); errors shown in Vietnamese."""
        try:
            with self.ctx.db.session() as session:
                store = EvidenceStore(session)
                added = [store.add_file(p, added_by=self.ctx.db.username, target=target)
                         for p in paths]
        except UserError as exc:
            dialogs.show_error(self, exc.message)
            return 0
        new = sum(1 for a in added if a.created)
        again = len(added) - new
        message = f"Đã thêm {new} tệp"
        if again:
            message += f"; {again} tệp đã có trong kho (chỉ thêm liên kết)"
        self._changed(message + ".")
        return len(added)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        files = [p for p in paths if p.is_file()]
        event.acceptProposedAction()
        if files:
            self.add_files(files)

    # -- other actions ----------------------------------------------------------------
    def temp_folder(self) -> Path:
        """A private folder for opened copies, removed when the application exits."""
        if self._temp is None:
            self._temp = Path(tempfile.mkdtemp(prefix="cchc-evidence-"))
            atexit.register(shutil.rmtree, self._temp, ignore_errors=True)
        return self._temp

    def open_selected(self) -> bool:
        """Open a temporary copy (named like the original) with the system's viewer."""
        row = self.selected()
        if row is None:
            return False
        try:
            folder = self.temp_folder() / str(row.id)
            folder.mkdir(exist_ok=True)
            with self.ctx.db.session() as session:
                copy = EvidenceStore(session).export_copy(row.id, folder)
        except (UserError, OSError) as exc:
            message = getattr(exc, "message", None)
            if message is None and isinstance(exc, OSError):
                message = f"Không mở được tệp: {os_reason(exc)}."
            dialogs.show_error(self, message or "Không mở được tệp.")
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
            dialogs.show_error(self, f"Máy chưa có chương trình để mở tệp {copy.name}.")
            return False
        return True

    def link_selected(self) -> bool:
        """Link the selected file to one more criterion, task or document."""
        row = self.selected()
        if row is None:
            return False
        chooser = LinkDialog(self.ctx, "Gắn thêm với...", allow_none=False,
                             names=[display_name(row.name)], parent=self)
        if not chooser.exec():
            return False
        target = chooser.chosen()
        if target is None:
            dialogs.show_error(self, "Chưa chọn đối tượng để gắn tệp.")
            return False
        if not run_write(
            self, self.ctx, lambda session: EvidenceStore(session).link(row.id, target)
        ):
            return False
        self._changed(f"Đã gắn tệp {display_name(row.name)}.")
        return True

    def unlink_selected(self) -> bool:
        """Remove one link of the selected file; the file stays in the store."""
        row = self.selected()
        if row is None or not row.links:
            return False
        labels = [link.label for link in row.links]
        if len(labels) == 1:
            chosen = labels[0]
            if not dialogs.confirm(self, f"Bỏ liên kết tệp {display_name(row.name)} với "
                                         f"{chosen}? Tệp vẫn được giữ trong kho."):
                return False
        else:
            dialog = QInputDialog(self)
            dialog.setWindowTitle("Bỏ liên kết")
            dialog.setLabelText(f"Bỏ liên kết tệp {display_name(row.name)} với:")
            dialog.setComboBoxItems(labels)
            dialog.setOkButtonText("Bỏ liên kết")
            dialog.setCancelButtonText("Hủy")
            if not dialog.exec():
                return False
            chosen = dialog.textValue()
        link = row.links[labels.index(chosen)]
        if not run_write(
            self, self.ctx, lambda session: EvidenceStore(session).unlink(row.id, LinkTarget(link.kind, link.target_id))
        ):
            return False
        self._changed(f"Đã bỏ liên kết với {chosen}.")
        return True

    def delete_selected(self) -> bool:
        """Move the selected file and its links to the trash, after asking (Ctrl+Z undoes it)."""
        from cchc_desktop.gui.common.undo import run_command
        from cchc_desktop.gui.evidence.trash import MoveToTrashCommand

        row = self.selected()
        if row is None:
            return False
        links = (f" Tệp đang gắn với {len(row.links)} đối tượng; các liên kết được giữ cùng "
                 "tệp trong thùng rác." if row.links else "")
        if not dialogs.confirm(self, f"Xóa tệp {display_name(row.name)} khỏi kho tài liệu kiểm "
                                     f"chứng và chuyển vào thùng rác?{links} Có thể hoàn tác "
                                     "(Ctrl+Z) hoặc khôi phục từ Thùng rác.", danger=True):
            return False
        if not run_command(self, MoveToTrashCommand(self.ctx, row.id, row.name)):
            return False
        self.ctx.show_message(f"Đã chuyển tệp {display_name(row.name)} vào thùng rác "
                              "(Ctrl+Z để hoàn tác).")
        return True

    def open_trash(self) -> None:
        """The Thùng rác dialog: restore trashed files or delete them for good."""
        from cchc_desktop.gui.evidence.trash import TrashDialog

        TrashDialog(self.ctx, self).exec()

    def _run(self, title: str, work):  # noqa: ANN001, ANN202
        """Run ``work(on_progress)`` in a session off the GUI thread; None when it failed."""

        def job(report, cancelled):  # noqa: ANN001, ANN202
            def on_progress(done: int, total: int) -> None:
                if cancelled():
                    raise JobCancelled
                if total:
                    report(done * 100 // total, f"{done}/{total}")

            with self.ctx.db.session() as session:
                return work(session, on_progress)

        outcome = run_with_progress(self, title, job)
        if outcome.error:
            dialogs.show_error(self, outcome.error)
        return outcome.result if outcome.ok else None

    def verify(self) -> bool:
        """Re-hash every stored file (in the background) and report; True when all are intact."""
        report = self._run("Kiểm tra toàn vẹn tài liệu kiểm chứng",
                           lambda session, progress: EvidenceStore(session).verify(progress))
        if report is None:
            return False
        in_trash = (f" và {report.trash_checked} tệp trong thùng rác"
                    if report.trash_checked else "")
        if report.ok:
            dialogs.show_info(self, f"Đã kiểm tra {report.checked} tệp{in_trash}: "
                                    "tất cả nguyên vẹn.")
            return True
        text = (f"{len(report.missing)} tệp bị mất, {len(report.altered)} tệp bị thay đổi "
                f"(trong {report.checked} tệp)")
        if report.trash_missing or report.trash_altered:
            text += (f"; trong thùng rác: {len(report.trash_missing)} tệp bị mất, "
                     f"{len(report.trash_altered)} tệp bị thay đổi "
                     f"(trong {report.trash_checked} tệp)")
        dialogs.show_error(self, text + ". Hãy thêm lại các tệp này từ bản gốc.",
                           "\n".join(report.problems()))
        return False

    def bundle(self) -> bool:
        """Zip a year's evidence by criterion code, with an index sheet, for the council."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Đóng gói tài liệu kiểm chứng")
        dialog.setLabelText("Năm của bộ tiêu chí:")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(2000, 2100)
        dialog.setIntValue(self.ctx.today().year)
        dialog.setOkButtonText("Tiếp tục")
        dialog.setCancelButtonText("Hủy")
        if not dialog.exec():
            return False
        year = dialog.intValue()
        target = dialogs.save_file(self, "Lưu gói tài liệu kiểm chứng", "Tệp nén (*.zip)",
                                   f"Tai_lieu_kiem_chung_{year}.zip", suffix="zip")
        if target is None:
            return False
        return self.write_bundle(year, target)

    def write_bundle(self, year: int, target: Path) -> bool:
        """Write the bundle of ``year`` to ``target`` (in the background)."""
        count = self._run("Đóng gói tài liệu kiểm chứng",
                          lambda session, progress: EvidenceStore(session).bundle(
                              year, target, progress))
        if count is None:
            return False
        self.ctx.show_message(f"Đã đóng gói {count} tệp theo tiêu chí năm {year}: {target}")
        dialogs.offer_open(self, target, f"Đã đóng gói {count} tệp tài liệu kiểm chứng năm "
                                         f"{year} vào {target.name} (mỗi tiêu chí một thư mục, "
                                         "kèm danh mục).")
        return True

    def _changed(self, message: str) -> None:
        announce_change(self, message)
