"""The units as a table (Danh mục / Cài đặt tab); units no longer in use are greyed."""

from __future__ import annotations

from PySide6.QtGui import QColor

from cchc_desktop.gui.common.record_model import Column, RecordTableModel
from cchc_desktop.services.units import UNIT_KIND_LABELS, UnitInfo

INACTIVE_COLOR = QColor("#8a8a8a")


class UnitTableModel(RecordTableModel[UnitInfo]):
    """The units: name, short name, kind, in use or not (inactive rows greyed)."""

    columns = (
        Column("Tên đơn vị", lambda u: u.name),
        Column("Tên viết tắt", lambda u: u.short_name),
        Column("Loại", lambda u: UNIT_KIND_LABELS.get(u.kind, u.kind)),
        Column(
            "Trạng thái", lambda u: "Đang sử dụng" if u.active else "Ngừng sử dụng",
            lambda u: not u.active,
        ),
    )

    def row_foreground(self, row: UnitInfo) -> QColor | None:
        return None if row.active else INACTIVE_COLOR
