"""Danh mục / Cài đặt: the units, the agency profile, where the database is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.errors import UserError
from cchc_desktop.gui.catalog.profile_form import DatabaseBox, ProfileForm
from cchc_desktop.gui.catalog.unit_commands import DeleteUnitCommand, SaveUnitCommand
from cchc_desktop.gui.catalog.unit_dialog import UnitDialog
from cchc_desktop.gui.catalog.unit_model import UnitTableModel
from cchc_desktop.gui.common import dialogs
from cchc_desktop.gui.common.record_model import VietSortProxy, set_column_widths
from cchc_desktop.gui.common.tab_frame import TabFrame
from cchc_desktop.gui.common.undo import quoted, run_command
from cchc_desktop.services import units as unit_service
from cchc_desktop.services.units import UnitInfo


class CatalogTab(TabFrame):
    """Units on the left; the agency profile and the database location on the right.

    Attributes:
        unit_model / unit_proxy / unit_view: the units (inactive ones greyed).
        profile_form: :class:`ProfileForm`. database_box: :class:`DatabaseBox`.
        last_dialog: the unit dialog opened last (tests drive it); aliases_dialog: the
        "Tên gọi khác..." dialog opened last.
    """

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("catalog_splitter")
        layout.addWidget(self.splitter)

        units = QGroupBox("Đơn vị (chủ trì, phối hợp)")
        units_layout = QVBoxLayout(units)
        bar = QHBoxLayout()
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Tìm đơn vị (gõ không dấu được)")
        self.search_box.setClearButtonEnabled(True)
        bar.addWidget(self.search_box, 1)
        self.show_inactive = QCheckBox("Hiện đơn vị ngừng sử dụng")
        self.show_inactive.setChecked(True)
        self.show_inactive.toggled.connect(self.load_units)
        bar.addWidget(self.show_inactive)
        units_layout.addLayout(bar)

        self.unit_model = UnitTableModel(self)
        self.unit_proxy = VietSortProxy(self)
        self.unit_proxy.setSourceModel(self.unit_model)
        self.search_box.textChanged.connect(self.unit_proxy.set_search)
        self.unit_view = QTableView()
        self.unit_view.setObjectName("units_table")
        self.unit_view.setModel(self.unit_proxy)
        self.unit_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.unit_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.unit_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unit_view.setAlternatingRowColors(True)
        self.unit_view.setSortingEnabled(True)
        self.unit_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.unit_view.verticalHeader().hide()
        self.unit_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.unit_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        set_column_widths(self.unit_view, (0, 130, 190, 120))
        self.unit_view.activated.connect(lambda _index: self.edit_unit())
        self.unit_view.selectionModel().selectionChanged.connect(self._update_buttons)
        units_layout.addWidget(self.unit_view, 1)

        buttons = QHBoxLayout()
        self.add_button = self._button(buttons, "Thêm đơn vị...", self.add_unit)
        self.edit_button = self._button(buttons, "Sửa...", self.edit_unit)
        self.toggle_button = self._button(buttons, "Ngừng sử dụng", self.toggle_active)
        self.delete_button = self._button(buttons, "Xóa", self.delete_unit)
        self.aliases_button = self._button(buttons, "Tên gọi khác...", self.edit_aliases)
        self.aliases_button.setToolTip("Tên viết tắt, tên cũ mà kế hoạch dùng cho đơn vị này "
                                       "(ví dụ \"Phòng KHTC\"): khi nhập được hiểu là đơn vị này")
        buttons.addStretch(1)
        units_layout.addLayout(buttons)
        self.splitter.addWidget(units)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.profile_form = ProfileForm(self.ctx)
        self.database_box = DatabaseBox(self.ctx)
        right_layout.addWidget(self.profile_form)
        right_layout.addWidget(self.database_box)
        right_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(right)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self._update_buttons()

    def _button(self, layout: QHBoxLayout, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    # ------------------------------------------------------------------ loading
    def _layout_parts(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return {"catalog": self.splitter}, {"units": self.unit_view}

    def refresh(self) -> None:
        """Reload the units, the profile and the database figures."""
        self.mark_fresh()
        self.load_units()
        if not self.profile_form.is_modified():  # never throw away what the user is typing
            self.profile_form.load()
        self.database_box.load()

    def load_units(self) -> None:
        keep = self.selected_unit()
        with self.ctx.db.session() as session:
            units = unit_service.list_units(
                session, include_inactive=self.show_inactive.isChecked()
            )
        self.unit_model.set_rows(units)
        if keep is not None:
            self.select_unit(keep.id)
        self._update_buttons()

    # ------------------------------------------------------------------ selection
    def selected_unit(self) -> UnitInfo | None:
        index = self.unit_view.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.unit_model.row_at(self.unit_proxy.mapToSource(index).row())

    def select_unit(self, unit_id: int) -> None:
        for row, unit in enumerate(self.unit_model.rows()):
            if unit.id == unit_id:
                index = self.unit_proxy.mapFromSource(self.unit_model.index(row, 0))
                if index.isValid():
                    self.unit_view.selectionModel().setCurrentIndex(
                        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    self.unit_view.scrollTo(index)
                return

    def _update_buttons(self) -> None:
        unit = self.selected_unit()
        for button in (self.edit_button, self.toggle_button, self.delete_button,
                       self.aliases_button):
            button.setEnabled(unit is not None)
        self.toggle_button.setText(
            "Sử dụng lại" if unit is not None and not unit.active else "Ngừng sử dụng"
        )

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the unit search box."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # ------------------------------------------------------------------ actions
    # Every change is a command on the window's undo stack (Ctrl+Z undoes it).
    def _saved(self, unit_id: int, message: str) -> None:
        self.ctx.show_message(message)
        self.load_units()
        self.select_unit(unit_id)

    def edit_aliases(self) -> None:
        """The selected unit's other names (aliases), used when importing plans."""
        from cchc_desktop.gui.catalog.unit_aliases_dialog import UnitAliasesDialog

        unit = self.selected_unit()
        if unit is None:
            return
        self.aliases_dialog = UnitAliasesDialog(self.ctx, unit.id, unit.name, parent=self)
        self.aliases_dialog.exec()

    def add_unit(self) -> None:
        created: list[int] = []

        def submit(values: dict[str, Any]) -> None:
            command = SaveUnitCommand(self.ctx, values)
            run_command(self, command, quiet=True)  # a refusal is shown next to the field
            assert command.unit_id is not None
            created.append(command.unit_id)

        self.last_dialog = UnitDialog(submit, parent=self)
        if self.last_dialog.exec() and created:
            self._saved(created[0], "Đã thêm đơn vị.")

    def edit_unit(self) -> None:
        unit = self.selected_unit()
        if unit is None:
            return

        def submit(values: dict[str, Any]) -> None:
            run_command(self, SaveUnitCommand(self.ctx, values, unit.id), quiet=True)

        self.last_dialog = UnitDialog(
            submit, parent=self,
            values={"name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
                    "active": unit.active},
        )
        if self.last_dialog.exec():
            self._saved(unit.id, "Đã lưu đơn vị.")

    def _set_active(self, unit: UnitInfo, active: bool) -> bool:
        verb = "Sử dụng lại" if active else "Ngừng sử dụng"
        command = SaveUnitCommand(
            self.ctx, {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
                       "active": active},
            unit.id, text=f"{verb} đơn vị {quoted(unit.name)}",
        )
        if not run_command(self, command):
            return False
        self._saved(unit.id, f"Đã {verb.lower()} {unit.name}.")
        return True

    def toggle_active(self) -> None:
        unit = self.selected_unit()
        if unit is not None:
            self._set_active(unit, not unit.active)

    def delete_unit(self) -> None:
        """Delete an unused unit; a unit in use can be set to "ngừng sử dụng" instead."""
        unit = self.selected_unit()
        if unit is None:
            return
        if not dialogs.confirm(
            self, f"Xóa đơn vị “{unit.name}” khỏi danh mục?\n\nCó thể hoàn tác bằng Ctrl+Z.",
            danger=True,
        ):
            return
        try:
            run_command(self, DeleteUnitCommand(self.ctx, unit.id, unit.name), quiet=True)
        except UserError as exc:
            if unit.active and dialogs.confirm(
                self, f"{exc.message}\n\nChuyển “{unit.name}” sang ngừng sử dụng?"
            ):
                self._set_active(unit, False)
            elif not unit.active:
                dialogs.show_error(self, exc.message)
            return
        self.ctx.show_message(f"Đã xóa đơn vị {unit.name}. Nhấn Ctrl+Z để hoàn tác.")
        self.load_units()
