"""Per-unit progress workbooks (phiếu cập nhật): what a unit fills in and sends back.

One sheet per workbook: a title, the as-of date, Vietnamese instructions, then one row per
task. The identifying columns are locked and the sheet is protected (no password: protection
guides, the import ignores locked edits anyway); the fill-in columns are unlocked, with data
validation on the dates and the percentage. The last column is hidden and holds each row's
key (services/unit_sheets.py). Files are written with store.atomic.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from cchc_desktop.domain.text import format_date_vn
from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.services.unit_sheets import COLUMNS, SheetRow, UnitSheet, collect_unit_sheets
from cchc_desktop.store.atomic import atomic_path

__all__ = ["export_unit_sheets", "sheet_file_name", "write_unit_sheet"]

_DATE_FORMAT = "dd/mm/yyyy"
INSTRUCTIONS = (
    "Hướng dẫn: đơn vị chỉ nhập vào các cột nền vàng (Ngày hoàn thành, Kết quả / sản phẩm, "
    "Tiến độ (%), Khó khăn / ghi chú, Đề nghị gia hạn đến, Lý do đề nghị gia hạn).",
    "Ngày nhập dạng dd/mm/yyyy; tiến độ là số từ 0 đến 100. Nhiệm vụ đã xong: ghi Ngày hoàn "
    "thành và Kết quả / sản phẩm. Cần thêm thời gian: ghi ngày đề nghị gia hạn và lý do.",
    "Không sửa các cột khác, không thêm, xóa hay sắp xếp lại dòng, không đổi tên tệp hay trang; "
    "lưu dạng .xlsx và gửi lại Văn phòng Sở. Nội dung sửa ở các cột bị khóa không được áp dụng.",
)


def sheet_file_name(unit_name: str, as_of: date) -> str:
    """"Phieu_cap_nhat_<unit>_<date>.xlsx" with the unit's name without diacritics."""
    text = unicodedata.normalize("NFD", unit_name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(c for c in text if not unicodedata.combining(c))
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in ascii_name).split()
    return f"Phieu_cap_nhat_{'_'.join(words)[:60] or 'don_vi'}_{as_of:%Y%m%d}.xlsx"


def _add_named_styles(wb, st: dict) -> None:  # noqa: ANN001
    """One named style per (role, kind): assigning a name is much faster than four styles."""
    from openpyxl.styles import NamedStyle, Protection

    for role in ("locked", "fill", "grey"):
        for kind in ("text", "date", "number"):
            style = NamedStyle(name=f"cchc_{role}_{kind}")
            style.font, style.border = st["font"], st["border"]
            style.alignment = st["wrap"] if kind == "text" else st["center"]
            if kind == "date":
                style.number_format = _DATE_FORMAT
            if role == "fill":
                style.fill, style.protection = st["fill_in"], Protection(locked=False)
            elif role == "grey":
                style.fill = st["grey"]
            wb.add_named_style(style)


def _write_row(ws, r: int, number: int | str, row: SheetRow, *,  # noqa: ANN001
               editable: bool) -> None:
    values = {"stt": number, **row.locked, **row.fill, "key": row.key}
    for col, column in enumerate(COLUMNS, start=1):
        value = values.get(column.key)
        cell = ws.cell(row=r, column=col, value=value if value not in ("", None) else None)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text in Excel
        role = ("fill" if not column.locked else "locked") if editable else "grey"
        kind = {"date": "date", "percent": "number"}.get(column.kind, "text")
        cell.style = f"cchc_{role}_{kind if column.key != 'stt' else 'number'}"


def write_unit_sheet(path: str | Path, sheet: UnitSheet, *, agency: str = "") -> Path:
    """Write one unit's workbook to ``path`` (atomically); returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    thin = Side(style="thin", color="808080")
    st = {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "font": Font(name="Times New Roman", size=12),
        "bold": Font(name="Times New Roman", size=12, bold=True),
        "title": Font(name="Times New Roman", size=14, bold=True),
        "italic": Font(name="Times New Roman", size=11, italic=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "center": Alignment(horizontal="center", vertical="top", wrap_text=True),
        "fill_in": PatternFill("solid", fgColor="FFF2CC"),
        "grey": PatternFill("solid", fgColor="EDEDED"),
        "header": PatternFill("solid", fgColor="DDEBF7"),
    }
    wb = Workbook()
    _add_named_styles(wb, st)
    ws = wb.active
    ws.title = "Phiếu cập nhật"
    last = get_column_letter(len(COLUMNS) - 1)
    ws["A1"] = f"PHIẾU CẬP NHẬT TIẾN ĐỘ NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH — {sheet.unit_name.upper()}"
    ws["A2"] = (f"Tình hình đến ngày {format_date_vn(sheet.as_of)}"
                + (f" — {agency}" if agency else ""))
    ws["A1"].font, ws["A2"].font = st["title"], st["italic"]
    for r in (1, 2):
        ws.merge_cells(f"A{r}:{last}{r}")
    for offset, text in enumerate(INSTRUCTIONS, start=3):
        ws.cell(row=offset, column=1, value=text).font = st["italic"]
        ws.cell(row=offset, column=1).alignment = st["wrap"]
        ws.merge_cells(f"A{offset}:{last}{offset}")
        ws.row_dimensions[offset].height = 32
    header_row = 3 + len(INSTRUCTIONS) + 1
    for col, column in enumerate(COLUMNS, start=1):
        label = sheet.token if column.kind == "key" else column.header
        cell = ws.cell(row=header_row, column=col, value=label)
        cell.font, cell.border = st["bold"], st["border"]
        cell.fill = st["header"] if column.locked else st["fill_in"]
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = column.width
    key_letter = get_column_letter(len(COLUMNS))
    ws.column_dimensions[key_letter].hidden = True
    r = header_row
    for number, row in enumerate(sheet.rows, start=1):
        r += 1
        _write_row(ws, r, number, row, editable=True)
    first, last_row = header_row + 1, max(r, header_row + 1)
    if sheet.supporting_rows:
        r += 1
        ws.cell(row=r, column=2, value="Nhiệm vụ đơn vị phối hợp (để biết; đơn vị chủ trì "
                "báo cáo)").font = st["bold"]
        for number, row in enumerate(sheet.supporting_rows, start=1):
            r += 1
            _write_row(ws, r, f"PH{number}", row, editable=False)
    _validations(ws, first, last_row, DataValidation)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights may still be changed
    ws.protection.formatRows = False
    ws.protection.formatCells = False
    try:
        with atomic_path(path) as tmp:
            wb.save(tmp)
    except OSError as exc:
        raise EnvironmentProblem(f"Không ghi được tệp {path}: {exc.strerror or exc}. "
                                 "Tệp có đang mở trong Excel không?") from exc
    return path


def _validations(ws, first: int, last: int, DataValidation) -> None:  # noqa: ANN001, N803
    from openpyxl.utils import get_column_letter

    for col, column in enumerate(COLUMNS, start=1):
        ref = f"{get_column_letter(col)}{first}:{get_column_letter(col)}{last}"
        if column.locked:
            continue
        if column.kind == "date":
            rule = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                                  formula2="DATE(2100,12,31)", allow_blank=True)
            rule.error = "Hãy nhập một ngày dạng dd/mm/yyyy."
        elif column.kind == "percent":
            rule = DataValidation(type="whole", operator="between", formula1="0",
                                  formula2="100", allow_blank=True)
            rule.error = "Tiến độ là số nguyên từ 0 đến 100."
        else:
            continue
        rule.errorTitle, rule.showErrorMessage = "Giá trị không hợp lệ", True
        rule.promptTitle, rule.prompt = column.header, rule.error
        rule.showInputMessage = True
        ws.add_data_validation(rule)
        rule.add(ref)


def export_unit_sheets(
    session: Session, out_dir: str | Path, as_of: date, *, unit_id: int | None = None,
    include_supporting: bool = False,
) -> list[Path]:
    """Write one workbook per unit with open tasks into ``out_dir``; returns the files."""
    from cchc_desktop.services.profile import get_profile

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(f"Không tạo được thư mục {out}: {exc.strerror or exc}.") from exc
    agency = get_profile(session).agency_in_text
    sheets: Sequence[UnitSheet] = collect_unit_sheets(
        session, as_of, unit_id=unit_id, include_supporting=include_supporting)
    written: list[Path] = []
    used: set[str] = set()
    for sheet in sheets:
        name = sheet_file_name(sheet.unit_name, as_of)
        if name in used:  # two units whose names differ only in diacritics
            name = name.replace(".xlsx", f"_{sheet.unit_id}.xlsx")
        used.add(name)
        written.append(write_unit_sheet(out / name, sheet, agency=agency))
    return written
