"""Units report back without a server: send each unit its progress workbook, take the returned
ones back in (preview, conflicts side by side, undoable merge). The rules live in
services/unit_sheets.py; this module only asks and shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.errors import UserError
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.context import GuiContext
from cchc_desktop.gui.common.date_edit import from_qdate, to_qdate

if TYPE_CHECKING:  # SQLAlchemy is imported only when a dialog is used
    from cchc_desktop.services.unit_sheets import MergeReceipt

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class SendSheetsDialog(QDialog):
    """Where to write the workbooks, as of which date, for which unit.

    Attributes:
        folder_edit, browse_button, date_edit, unit_combo (data: unit id or None),
        supporting_check: the fields.
    """

    def __init__(self, today: date, units: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gửi phiếu cập nhật cho đơn vị")
        form = QFormLayout(self)
        intro = QLabel("Mỗi đơn vị chủ trì có nhiệm vụ chưa hoàn thành nhận một tệp Excel: đơn vị "
                       "ghi ngày hoàn thành, kết quả, tiến độ, khó khăn, đề nghị gia hạn rồi gửi "
                       "lại; chọn “Nhận phiếu đơn vị…” để đưa vào chương trình.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.folder_edit = QLineEdit()
        self.browse_button = QPushButton("Chọn…")
        self.browse_button.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow("Lưu vào thư mục:", row)
        self.date_edit = QDateEdit(to_qdate(today))
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        form.addRow("Tình hình đến ngày:", self.date_edit)
        self.unit_combo = QComboBox()
        self.unit_combo.addItem("Tất cả đơn vị", None)
        for unit_id, name in units:
            self.unit_combo.addItem(name, unit_id)
        form.addRow("Đơn vị:", self.unit_combo)
        self.supporting_check = QCheckBox("Kèm nhiệm vụ đơn vị phối hợp (chỉ để biết)")
        form.addRow(self.supporting_check)
        buttons = dialogs.save_cancel_buttons(self, self._accept)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Tạo phiếu")
        form.addRow(buttons)
        self.setMinimumWidth(560)

    def _browse(self) -> None:
        folder = dialogs.choose_folder(self, "Chọn thư mục lưu phiếu", kind="unit_sheets")
        if folder is not None:
            self.folder_edit.setText(str(folder))

    def _accept(self) -> None:
        if not self.folder_edit.text().strip():
            dialogs.show_error(self, "Hãy chọn thư mục lưu phiếu.")
            return
        self.accept()

    def as_of(self) -> date:
        return from_qdate(self.date_edit.date())


def send_unit_sheets(parent: QWidget, ctx: GuiContext) -> list[Path]:
    """Ask, then write one workbook per unit; the files written (empty when cancelled)."""
    from cchc_desktop.exporters.unit_sheets_xlsx import export_unit_sheets
    from cchc_desktop.services.units import list_units

    with ctx.db.session() as session:
        units = [(u.id, u.name) for u in list_units(session, include_inactive=False)]
    dialog = SendSheetsDialog(ctx.today(), units, parent)
    try:
        if not dialog.exec():
            return []
        folder = Path(dialog.folder_edit.text().strip())
        as_of, unit_id = dialog.as_of(), dialog.unit_combo.currentData()
        supporting = dialog.supporting_check.isChecked()
    finally:
        dialog.deleteLater()
    try:
        with ctx.db.session() as session:
            files = export_unit_sheets(session, folder, as_of, unit_id=unit_id,
                                       include_supporting=supporting)
    except UserError as exc:
        dialogs.show_error(parent, exc.message)
        return []
    if not files:
        dialogs.show_info(parent, f"Không có đơn vị nào còn nhiệm vụ chưa hoàn thành đến ngày "
                                  f"{format_date_vn(as_of)}: không tạo phiếu nào.")
        return []
    ctx.show_message(f"Đã tạo {len(files)} phiếu cập nhật trong {folder}.")
    dialogs.offer_open(parent, folder, f"Đã tạo {len(files)} phiếu cập nhật trong thư mục "
                                       f"{folder}:\n" + "\n".join(f.name for f in files[:10])
                       + ("\n..." if len(files) > 10 else ""))
    return files


def _value(value: object) -> str:
    if isinstance(value, date):
        return format_date_vn(value)
    return "" if value is None else str(value)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ReceiveSheetsDialog(QDialog):
    """The preview of returned workbooks, per file: rows that change something, unchanged
    rows, conflicts (both values side by side, ticked to take the unit's), problems, and
    locked-cell edits that are ignored. Files or folders can be dropped on it.

    Attributes:
        tree: one top item per file; previews: the files' previews; apply_button.
    """

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.previews: list = []
        self._conflicts: dict[tuple[str, int], QTreeWidgetItem] = {}
        self.setWindowTitle("Nhận phiếu cập nhật của đơn vị")
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        hint = QLabel("Kéo thả thêm tệp hoặc thư mục vào đây. Chỉ các cột đơn vị điền được cập "
                      "nhật; tệp có dòng lỗi không được nhận (cả tệp). Dòng xung đột: đánh dấu "
                      "để lấy giá trị của đơn vị, để trống để giữ giá trị trong chương trình.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Tệp / dòng", "Nhiệm vụ", "Trong chương trình", "Đơn vị gửi"])
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(1, 320)
        self.tree.setColumnWidth(2, 160)
        layout.addWidget(self.tree, 1)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(self)
        self.add_button = buttons.addButton("Thêm tệp…", QDialogButtonBox.ButtonRole.ActionRole)
        self.apply_button = buttons.addButton("Cập nhật", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.add_button.clicked.connect(self._choose)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 600)
        self._update()

    # ------------------------------------------------------------------ files
    def add_paths(self, paths: list[Path]) -> None:
        """Preview the workbooks among ``paths`` (folders: their workbooks), once each."""
        from cchc_desktop.services.unit_sheets import preview_unit_sheet

        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files += sorted(p for p in path.iterdir() if p.is_file() and
                                p.suffix.lower() in SHEET_SUFFIXES and not p.name.startswith("."))
            else:
                files.append(path)
        known = {p.path.resolve() for p in self.previews}
        try:
            with self.ctx.db.session() as session:
                for path in files:
                    if path.resolve() in known:
                        continue
                    known.add(path.resolve())
                    preview = preview_unit_sheet(session, path, today=self.ctx.today())
                    self.previews.append(preview)
                    self._show(preview)
        except UserError as exc:
            dialogs.show_error(self, exc.message)
        self._update()

    def _choose(self) -> None:
        paths = dialogs.open_files(self, "Chọn phiếu cập nhật đơn vị gửi lại",
                                   "Bảng tính (*.xlsx *.xls *.ods)", kind="unit_sheets_back")
        if paths:
            self.add_paths(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.add_paths(paths)

    # ------------------------------------------------------------------ showing
    def _show(self, preview) -> None:  # noqa: ANN001 - FilePreview
        top = QTreeWidgetItem(self.tree, [preview.summary()])
        top.setFirstColumnSpanned(True)
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)

        def child(parent: QTreeWidgetItem, *texts: str) -> QTreeWidgetItem:
            return QTreeWidgetItem(parent, list(texts))

        for line in preview.problems:
            item = child(top, f"Lỗi — {line}")
            item.setFirstColumnSpanned(True)
            item.setForeground(0, Qt.GlobalColor.darkRed)
        for row in preview.of_kind("conflict"):
            key = (str(preview.path), row.row)
            item = child(top, f"Dòng {row.row}: xung đột", _short(row.content))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setToolTip(0, "Đánh dấu để lấy giá trị của đơn vị")
            self._conflicts[key] = item
            for change in row.changes:
                child(item, "", change.label, _value(change.current), _value(change.returned))
            item.setExpanded(True)
        for row in preview.of_kind("change"):
            item = child(top, f"Dòng {row.row}: cập nhật", _short(row.content))
            for change in row.changes:
                child(item, "", change.label, _value(change.current), _value(change.returned))
            if row.progress:
                percent, note = row.progress
                text = (f"{percent}% " if percent is not None else "") + note
                child(item, "", "Tiến độ (thêm vào lịch sử)", "", text.strip())
            if row.extension:
                child(item, "", "Đề nghị gia hạn (vào danh sách chờ)", "",
                      f"{format_date_vn(row.extension[0])}: {row.extension[1]}")
            item.setExpanded(True)
        for line in preview.ignored:
            child(top, f"Bỏ qua — {line}").setFirstColumnSpanned(True)
        unchanged = len(preview.of_kind("unchanged"))
        if unchanged:
            child(top, f"{unchanged} dòng không đổi").setFirstColumnSpanned(True)
        top.setExpanded(True)

    def _update(self) -> None:
        mergeable = [p for p in self.previews if p.mergeable]
        refused = len(self.previews) - len(mergeable)
        rows = sum(len(p.of_kind("change")) + len(p.of_kind("conflict")) for p in mergeable)
        self.summary.setText(f"{len(self.previews)} tệp; {len(mergeable)} tệp nhận được "
                             f"({rows} dòng cập nhật hoặc xung đột); {refused} tệp không nhận.")
        self.apply_button.setEnabled(rows > 0)

    # ------------------------------------------------------------------ result
    def chosen_conflicts(self) -> set[tuple[str, int]]:
        """The conflict rows ticked to take the unit's values."""
        return {key for key, item in self._conflicts.items()
                if item.checkState(0) == Qt.CheckState.Checked}

    def mergeable(self) -> list:
        """The previews of the files that can be merged."""
        return [p for p in self.previews if p.mergeable]


class MergeUnitSheetsCommand(QUndoCommand):
    """Merge previewed files (first redo); undo takes the merge back, redo puts it again.

    Attributes: ``error`` (Vietnamese message or ""), ``receipt`` (services' MergeReceipt).
    """

    def __init__(self, ctx: GuiContext, previews: list, take: set[tuple[str, int]]) -> None:
        super().__init__(f"Nhận {len(previews)} phiếu cập nhật của đơn vị")
        self.ctx, self.previews, self.take = ctx, previews, take
        self.error = ""
        self.receipt: MergeReceipt | None = None

    def _run(self, work) -> bool:  # noqa: ANN001
        try:
            with self.ctx.db.session() as session:
                work(session)
        except UserError as exc:
            self.error = exc.message
            if self.receipt is not None:
                self.ctx.show_message(f"Không hoàn tác/làm lại được: {exc.message}")
            self.setObsolete(True)
            return False
        self.ctx.notify_changed()
        return True

    def redo(self) -> None:
        from cchc_desktop.services import unit_sheets

        if self.receipt is None:
            def work(session) -> None:  # noqa: ANN001
                self.receipt = unit_sheets.apply_unit_sheets(
                    session, self.previews, take_conflicts=self.take, skip_conflicts=True,
                    today=self.ctx.today())
        else:
            receipt = self.receipt

            def work(session) -> None:  # noqa: ANN001
                unit_sheets.revert_unit_import(session, receipt, undo=False)
        self._run(work)

    def undo(self) -> None:
        from cchc_desktop.services import unit_sheets

        receipt = self.receipt
        if receipt is not None:
            self._run(lambda session: unit_sheets.revert_unit_import(session, receipt))


def receive_unit_sheets(parent: QWidget, ctx: GuiContext, paths: list[Path] | None = None
                        ) -> bool:
    """Preview returned workbooks (``paths``, or chosen in the dialog) and merge the valid
    files on "Cập nhật", undoable with Ctrl+Z; True when something was merged."""
    dialog = ReceiveSheetsDialog(ctx, parent)
    try:
        if paths:
            dialog.add_paths(paths)
        if not dialog.exec():
            return False
        previews, take = dialog.mergeable(), dialog.chosen_conflicts()
    finally:
        dialog.deleteLater()
    if not previews:
        return False
    command = MergeUnitSheetsCommand(ctx, previews, take)
    ctx.undo_stack.push(command)
    if command.error:
        dialogs.show_error(parent, command.error)
        return False
    assert command.receipt is not None
    ctx.show_message(command.receipt.summary() + " Nhấn Ctrl+Z để hoàn tác.")
    return True


def _dropped_sheets(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
    return [p for p in paths if p.is_dir() or p.suffix.lower() in SHEET_SUFFIXES]


class SheetDropFilter(QObject):
    """Lets a widget take returned workbooks (files or a folder) dropped on it: the drop
    opens :func:`receive_unit_sheets` with them."""

    def __init__(self, widget: QWidget, ctx: GuiContext) -> None:
        super().__init__(widget)
        self.widget, self.ctx = widget, ctx
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.widget and event.type() in (QEvent.Type.DragEnter,
                                                       QEvent.Type.Drop):
            if not isinstance(event, (QDragEnterEvent, QDropEvent)):
                return False
            paths = _dropped_sheets(event)
            if not paths:
                return False
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                receive_unit_sheets(self.widget, self.ctx, paths)
            return True
        return False
