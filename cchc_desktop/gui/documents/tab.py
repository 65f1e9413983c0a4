"""Văn bản: the register of documents, searchable without diacritics and by date range."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.date_edit import from_qdate, to_qdate
from cchc_desktop.gui.common.record_model import VietSortProxy, record_view, set_column_widths
from cchc_desktop.gui.common.tab_frame import TabFrame
from cchc_desktop.gui.common.undo import run_command
from cchc_desktop.gui.documents.commands import (
    DeleteDocumentCommand,
    SaveDocumentCommand,
    document_values,
)
from cchc_desktop.gui.documents.document_dialog import DocumentDialog
from cchc_desktop.gui.documents.document_model import DocumentTableModel
from cchc_desktop.services.documents import DocumentInfo, list_documents, tasks_citing

DATE_COLUMN = 2




class DocumentsTab(TabFrame):
    """The document register with a search box, a date range, add/edit/delete (undoable).

    Attributes:
        search_box: filters as you type, ignoring case and diacritics (Ctrl+F focuses it).
        range_box / from_date / to_date: the optional issued-date range.
        model / proxy / view: the register, sorted by date unless the user sorts otherwise.
        last_dialog: the entry dialog opened last (tests drive it).
    """

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Tìm số ký hiệu, cơ quan, trích yếu (gõ không dấu được)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(320)
        self.search_box.textChanged.connect(self._apply_search)
        bar.addWidget(QLabel("Tìm:"))
        bar.addWidget(self.search_box, 2)
        bar.addSpacing(12)
        self.range_box = QCheckBox("Ban hành từ")
        self.range_box.toggled.connect(self._on_range_toggled)
        bar.addWidget(self.range_box)
        year = self.ctx.today().year
        self.from_date = self._date_edit(date(year, 1, 1))
        self.to_date = self._date_edit(date(year, 12, 31))
        bar.addWidget(self.from_date)
        bar.addWidget(QLabel("đến"))
        bar.addWidget(self.to_date)
        bar.addStretch(1)
        self.add_button = self._button(bar, "Thêm văn bản...", self.add_document)
        self.edit_button = self._button(bar, "Sửa...", self.edit_document)
        self.delete_button = self._button(bar, "Xóa", self.delete_document)
        layout.addLayout(bar)

        self.model = DocumentTableModel(self)
        self.proxy = VietSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = record_view("documents_table", self.proxy, DATE_COLUMN)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        set_column_widths(self.view, (160, 120, 125, 200))
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(lambda _index: self.edit_document())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.view, 1)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        layout.addWidget(self.count_label)

        # Ctrl+F is the main window's "Tìm kiếm", which calls focus_search() on this tab.
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_document)
        self._on_range_toggled(False)

    def _date_edit(self, value: date) -> QDateEdit:
        edit = QDateEdit(to_qdate(value))
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.dateChanged.connect(self._load)
        return edit

    def _button(self, layout: QHBoxLayout, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    # ------------------------------------------------------------------ loading
    def _layout_parts(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return {}, {"documents": self.view}

    def refresh(self) -> None:
        """Reload the register, keeping the search, the range and the selected document."""
        self.mark_fresh()
        self._load()

    def date_range(self) -> tuple[date | None, date | None]:
        if not self.range_box.isChecked():
            return None, None
        return from_qdate(self.from_date.date()), from_qdate(self.to_date.date())

    def _load(self) -> None:
        keep = self.selected_document()
        start, end = self.date_range()
        with self.ctx.db.session() as session:
            documents = list_documents(session, start, end)
        self.model.set_rows(documents)
        self._select(keep.id if keep else None)
        self._update_count()

    def _on_range_toggled(self, checked: bool) -> None:
        self.from_date.setEnabled(checked)
        self.to_date.setEnabled(checked)
        if self._loaded:
            self._load()

    def _apply_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        start, end = self.date_range()
        where = (f" ban hành từ {format_date_vn(start)} đến {format_date_vn(end)}"
                 if start and end else "")
        text = f"{total} văn bản{where}"
        if shown != total:
            text = f"Hiện {shown} / {text}"
        self.count_label.setText(text)
        self._update_buttons()

    # ------------------------------------------------------------------ selection
    def selected_document(self) -> DocumentInfo | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _select(self, document_id: int | None) -> None:
        if document_id is None:
            return
        for row, doc in enumerate(self.model.rows()):
            if doc.id == document_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    self.view.selectionModel().setCurrentIndex(
                        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    self.view.scrollTo(index)
                return

    def _update_buttons(self) -> None:
        has = self.selected_document() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # ------------------------------------------------------------------ actions
    def _open_dialog(self, values: dict | None, document_id: int | None) -> None:
        saved: list[int | None] = []

        def submit(new_values: dict) -> None:
            command = SaveDocumentCommand(self.ctx, new_values, document_id)
            run_command(self, command, quiet=True)
            saved.append(command.document_id)

        dialog = DocumentDialog(submit, values=values, parent=self)
        self.last_dialog = dialog
        if dialog.exec() and saved:
            self._select(saved[-1])

    def new_task(self) -> None:
        """Ctrl+N on this tab adds to the register (the main window calls new_task)."""
        self.add_document()

    def add_document(self) -> None:
        self._open_dialog(None, None)

    def edit_document(self) -> None:
        doc = self.selected_document()
        if doc is not None:
            self._open_dialog(document_values(doc), doc.id)

    def delete_document(self) -> None:
        doc = self.selected_document()
        if doc is None:
            return
        with self.ctx.db.session() as session:
            citing = len(tasks_citing(session, doc.id))
        note = (f"\n{citing} nhiệm vụ đang dẫn văn bản này sẽ không còn ghi văn bản giao."
                if citing else "")
        if not dialogs.confirm(
            self, f"Xóa văn bản {doc.symbol} khỏi sổ?{note}\n\nCó thể hoàn tác bằng Ctrl+Z.",
            danger=True,
        ):
            return
        if run_command(self, DeleteDocumentCommand(self.ctx, doc.id, doc.symbol)):
            self.ctx.show_message(f"Đã xóa văn bản {doc.symbol}.")
