"""Framework files: reading .xlsx/.json criteria sheets and writing them back.

The columns are those provinces publish: "Mã" (the tree comes from the codes),
"Tiêu chí", "Điểm tối đa", "Hướng dẫn chấm", "Tài liệu kiểm chứng", and optionally
"Quy tắc" (a data rule) and "Loại" (thường / thưởng / trừ). Reading never writes:
it returns specs or raises ValidationError naming every bad row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cchc_desktop.domain.scoring import (
    KIND_LABELS,
    CriterionSpec,
    normalize_code,
    parse_kind,
    parse_points,
    validate_framework,
)
from cchc_desktop.domain.text import fold, nfc
from cchc_desktop.errors import UserError, ValidationError
from cchc_desktop.services.framework_store import get_framework, specs_of
from cchc_desktop.store.file_errors import os_reason

# Header texts of a framework sheet (folded) -> field.
COLUMNS = {
    "ma": "code", "ma tieu chi": "code", "stt": "code",
    "tieu chi": "title", "noi dung": "title", "ten tieu chi": "title",
    "diem toi da": "max_points", "diem": "max_points",
    "huong dan cham": "guidance", "huong dan": "guidance",
    "tai lieu kiem chung": "evidence_hint",
    "quy tac": "rule", "loai": "kind",
}


# -- reading framework files ---------------------------------------------------
def _spec_from_fields(values: dict[str, object], row: int, problems: list[str]) -> CriterionSpec:
    code = normalize_code(values.get("code"))
    kind_text = values.get("kind") or ""
    kind = parse_kind(kind_text)
    raw_max = values.get("max_points")
    max_points = parse_points(raw_max)
    if max_points is None and raw_max not in (None, ""):
        problems.append(f"Dòng {row} (mã {code}): điểm tối đa '{raw_max}' không phải là số.")
    if kind is None:
        problems.append(f"Dòng {row} (mã {code}): loại '{kind_text}' phải là thường, thưởng hoặc trừ.")
        kind = "normal"
    return CriterionSpec(
        code=code,
        title=nfc(str(values.get("title") or "")),
        max_points=max_points,
        kind=kind,
        guidance=nfc(str(values.get("guidance") or "")),
        evidence_hint=nfc(str(values.get("evidence_hint") or "")),
        rule=nfc(str(values.get("rule") or "")).strip(),
        row=row,
    )


def read_framework_xlsx(path: Path) -> tuple[list[CriterionSpec], list[str]]:
    """Rows of a framework sheet (header row found among the first 10) and read problems."""
    from openpyxl import load_workbook

    from cchc_desktop.importers.extent import SheetGuard

    guard = SheetGuard(path, "xlsx")  # parts too big to unpack are refused before openpyxl
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        reason = (os_reason(exc) if isinstance(exc, OSError)
                  else "tệp hỏng hoặc không phải bảng tính Excel")
        raise UserError(f"Không đọc được tệp Excel {path.name}: {reason}.") from exc
    try:
        sheet = book.active
        guard.check(0, sheet.title)  # too many rows or columns: refused before reading them
        sheet.reset_dimensions()  # a lying <dimension> would pad every row to its width
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    header_at, mapping = None, {}
    for index, row in enumerate(rows[:10]):
        found = {i: COLUMNS[fold(str(v)).strip()] for i, v in enumerate(row)
                 if v is not None and fold(str(v)).strip() in COLUMNS}
        if "code" in found.values() and "title" in found.values():
            header_at, mapping = index, found
            break
    if header_at is None:
        raise ValidationError(
            f"Tệp {path.name}: không tìm thấy dòng tiêu đề có các cột \"Mã\", \"Tiêu chí\", "
            "\"Điểm tối đa\"."
        )
    specs: list[CriterionSpec] = []
    problems: list[str] = []
    for index, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {name: row[i] for i, name in mapping.items() if i < len(row)}
        if all(v in (None, "") for v in values.values()):
            continue
        specs.append(_spec_from_fields(values, index, problems))
    return specs, problems


def read_framework_json(path: Path) -> tuple[str, list[CriterionSpec], list[str]]:
    """A framework in JSON: ``{"name": ..., "criteria": [{"code", "title", "max_points", ...}]}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"Không đọc được tệp JSON {path.name}: {os_reason(exc)}.") from exc
    except ValueError as exc:
        raise UserError(f"Không đọc được tệp JSON {path.name}: nội dung không đúng định dạng "
                        f"JSON (dòng {getattr(exc, 'lineno', '?')}).") from exc
    items = data.get("criteria") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationError(f"Tệp {path.name}: cần danh sách \"criteria\".")
    problems: list[str] = []
    specs = [
        _spec_from_fields(item if isinstance(item, dict) else {}, number, problems)
        for number, item in enumerate(items, start=1)
    ]
    name = str(data.get("name") or "") if isinstance(data, dict) else ""
    return name, specs, problems


def read_framework_file(path: Path | str) -> tuple[str, list[CriterionSpec]]:
    """Read and validate a framework file (.xlsx or .json); ValidationError lists every row."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp: {path}")
    suffix = path.suffix.lower()
    if suffix == ".json":
        name, specs, problems = read_framework_json(path)
    elif suffix in (".xlsx", ".xlsm"):
        specs, problems = read_framework_xlsx(path)
        name = ""
    else:
        raise UserError("Bộ tiêu chí phải là tệp .xlsx hoặc .json.")
    problems += validate_framework(specs) if not problems else []
    if not specs and not problems:
        problems.append("Tệp không có tiêu chí nào.")
    if problems:
        raise ValidationError(
            f"Bộ tiêu chí trong tệp {path.name} có {len(problems)} lỗi; chưa nhập gì.", problems
        )
    return name or path.stem, specs


def export_framework_json(session: Session, year: int) -> dict[str, object]:
    """The framework of a year in the JSON import format."""
    framework = get_framework(session, year)
    return {
        "name": framework.name,
        "criteria": [
            {"code": s.code, "title": s.title, "max_points": s.max_points,
             "kind": KIND_LABELS[s.kind], "guidance": s.guidance,
             "evidence_hint": s.evidence_hint, "rule": s.rule}
            for s in specs_of(framework)
        ],
    }



SHEET_HEADERS = ("Mã", "Tiêu chí", "Điểm tối đa", "Hướng dẫn chấm", "Tài liệu kiểm chứng",
                 "Quy tắc", "Loại")


def export_framework_xlsx(session: Session, year: int, path: Path | str) -> int:
    """Write a year's criteria as an .xlsx sheet in the import format; returns the row count.

    Edit it in Excel and import it back (with replace) to change many criteria at once.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from cchc_desktop.exporters.xlsx_cells import keep_as_text, save_workbook

    data = export_framework_json(session, year)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Tiêu chí {year}"
    sheet.append(list(SHEET_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    criteria: list[dict[str, Any]] = data["criteria"]  # type: ignore[assignment]
    for item in criteria:
        sheet.append([item["code"], item["title"], item["max_points"], item["guidance"],
                      item["evidence_hint"], item["rule"], item["kind"]])
        if "." not in str(item["code"]):
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (9, 60, 12, 50, 40, 36, 10), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row:
            keep_as_text(cell)  # a guidance text "= 100% ..." must not become a formula
    sheet.freeze_panes = "A2"
    save_workbook(book, path)  # atomically: the previous file stays whole if this fails
    return len(data["criteria"])  # type: ignore[arg-type]
