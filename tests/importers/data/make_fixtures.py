"""Regenerate the workbooks in this folder: .xlsx built with openpyxl, .xls and .ods
converted from them by LibreOffice, as an office receives them.

Run from the repository root (needs LibreOffice Calc: ``apt-get install libreoffice-calc-nogui``):

    .venv/bin/python tests/importers/data/make_fixtures.py

The tests read the committed files and never need LibreOffice. After regenerating, run
tests/importers/test_import_xls_ods.py and commit the changed files with this script.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[2]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[2]))

from cchc_desktop.importers.legacy import _TCVN3_BYTES  # noqa: E402

TASK_HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm",
               "Thời gian hoàn thành", "Thời hạn", "Ghi chú"]

# The realistic task table: title rows, numbering row, group rows of three kinds, real date
# cells, text dates, a lead unit merged down over three rows, a content cell written in NFD.
TASKS: list[list[object]] = [
    ["DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025"],
    ["(Kèm theo Kế hoạch số 15/KH-SGDĐT ngày 10/01/2025 của Sở Giáo dục và Đào tạo)"],
    [],
    TASK_HEADER,
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
    ["I. CẢI CÁCH THỂ CHẾ"],
    [1, "Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực giáo dục",
     "Thanh tra Sở", "Văn phòng Sở; Phòng Giáo dục Trung học", "Báo cáo kết quả rà soát",
     "Quý I", date(2025, 3, 31), None],
    [2, "Kiểm tra việc thực hiện quy định về công tác văn thư, lưu trữ", None, "Văn phòng Sở",
     "Báo cáo kiểm tra", "Quý II", "30/6/2025", "Trước ngày 25 hằng tháng gửi số liệu"],
    [3, "Theo dõi tình hình thi hành pháp luật về xử lý vi phạm hành chính", None, None,
     "Báo cáo", "Tháng 12", date(2025, 12, 15), None],
    ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
    [1, "Công bố, công khai đầy đủ thủ tục hành chính trên Cổng Dịch vụ công quốc gia",
     "Văn phòng Sở", "Các phòng chuyên môn thuộc Sở\nTrung tâm Phục vụ hành chính công tỉnh",
     "Quyết định công bố", "Thường xuyên", None, "Ưu tiên thực hiện"],
    [2, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt tỷ lệ 100%",
     "Phòng Kế hoạch – Tài chính", "Văn phòng Sở", "Hồ sơ điện tử", "Quý III",
     datetime(2025, 9, 30, 17, 0), None],
    ["III. CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC"],
    [1, unicodedata.normalize("NFD", "Sắp xếp, kiện toàn tổ chức bộ máy các phòng chuyên môn"),
     "Phòng Tổ chức cán bộ", "Các đơn vị trực thuộc", "Đề án", "Tháng 11", "15/11/2025",
     "Đẩy mạnh; ưu tiên; kỹ lưỡng"],
]
TASK_MERGES = ["A1:H1", "A2:H2", "A6:H6", "C7:C9", "A13:H13"]

# Rows 6 (31/02) and 8 (no lead unit) are bad; the rest would import.
TASKS_BAD: list[list[object]] = [
    ["NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ III NĂM 2025"],
    [],
    TASK_HEADER,
    ["I. CẢI CÁCH THỂ CHẾ"],
    [1, "Xây dựng kế hoạch kiểm tra", "Thanh tra Sở", None, None, None, date(2025, 7, 31)],
    [2, "Tổng hợp báo cáo quý", "Văn phòng Sở", None, None, None, "31/02/2025"],
    [3, "Cập nhật cơ sở dữ liệu ngành", "Phòng Kế hoạch – Tài chính", None, None, None,
     date(2025, 8, 15)],
    [4, "Lấy ý kiến người dân về chất lượng phục vụ", None, None, None, "Quý III"],
    [5, "Đánh giá mức độ hài lòng", "Văn phòng Sở", None, None, "Quý III"],
]

DOCUMENTS: list[list[object]] = [
    ["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM 2025"],
    [],
    ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu nội dung", "Cơ quan ban hành",
     "Loại văn bản"],
    [1, "15/KH-UBND", date(2025, 1, 10), "Kế hoạch cải cách hành chính tỉnh Đắk Lắk năm 2025",
     "UBND tỉnh", None],
    [2, "Số: 123/QĐ-SGDĐT", "05/3/2025",
     "Quyết định công bố danh mục thủ tục hành chính được chuẩn hóa", "Sở Giáo dục và Đào tạo",
     "Quyết định"],
    [3, "456/SNV-CCHC", date(2025, 4, 2),
     "Về việc hướng dẫn tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2025",
     "Sở Nội vụ", "Công văn"],
    [4, "07/CT-UBND", datetime(2025, 6, 18), "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính",
     "UBND tỉnh", None],
]

_TO_TCVN3 = {letter: chr(byte) for byte, letter in _TCVN3_BYTES.items()}


def tcvn3(text: str) -> str:
    """``text`` as typed in a .VnTime font (TCVN3 bytes shown as Latin-1 characters)."""
    return "".join(_TO_TCVN3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# A sheet typed with the TCVN3 fonts: ".VnTime" for text, ".VnTimeH" (capitals shown from
# lower-case codes) for the group row, as old offices did.
TCVN3_TASKS: list[list[object]] = [
    [tcvn3("kế hoạch cải cách hành chính năm 2025")],
    ["STT", tcvn3("Nội dung"), tcvn3("Cơ quan chủ trì"), tcvn3("Thời gian thực hiện")],
    ["II. " + tcvn3("cải cách thủ tục hành chính")],
    [1, tcvn3("Rà soát thủ tục hành chính"), tcvn3("Văn phòng Sở"), "Quý IV"],
    [2, tcvn3("Niêm yết công khai thủ tục"), tcvn3("Phòng Tổ chức cán bộ"), "Quý II"],
]
TCVN3_FONTS = {
    (1, 1): ".VnTimeH",
    **{(2, c): ".VnTime" for c in (2, 3, 4)},
    (3, 1): ".VnTimeH",
    **{(r, c): ".VnTime" for r in (4, 5) for c in (2, 3)},
}


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, sheet: str,
               merges: Sequence[str] = (), fonts: dict[tuple[int, int], str] | None = None,
               ) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, (date, datetime)):
                cell.number_format = "dd/mm/yyyy"
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True)
    for (r, c), name in (fonts or {}).items():
        ws.cell(row=r, column=c).font = Font(name=name)
    for cells in merges:
        ws.merge_cells(cells)
    workbook.save(path)
    return path


_NO_THUMBNAIL = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def convert(sources: Sequence[Path], target: str, profile: Path) -> None:
    """Convert with LibreOffice headless into the sources' folder ("xls" is Excel 97-2003)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice is missing: apt-get install -y libreoffice-calc-nogui")
    filters = {"xls": "xls:MS Excel 97", "ods": "ods"}
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", filters[target], "--outdir", str(sources[0].parent),
         *map(str, sources)],
        check=True, capture_output=True, timeout=300,
    )
    for source in sources:
        if not source.with_suffix(f".{target}").is_file():
            sys.exit(f"LibreOffice did not write {source.with_suffix(f'.{target}').name}")


def main() -> None:
    sources = [
        write_xlsx(HERE / "tasks.xlsx", TASKS, sheet="Phụ lục I", merges=TASK_MERGES),
        write_xlsx(HERE / "tasks_bad.xlsx", TASKS_BAD, sheet="Nhiệm vụ", merges=["A1:G1"]),
        write_xlsx(HERE / "documents.xlsx", DOCUMENTS, sheet="Văn bản đến", merges=["A1:F1"]),
        write_xlsx(HERE / "tasks_tcvn3.xlsx", TCVN3_TASKS, sheet="Sheet1", fonts=TCVN3_FONTS),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_NO_THUMBNAIL, "utf-8")
        convert(sources, "xls", profile)
        convert(sources, "ods", profile)
    for source in sources:
        for suffix in (".xlsx", ".xls", ".ods"):
            path = source.with_suffix(suffix)
            print(f"{path.name:24} {path.stat().st_size:>7,} bytes")


if __name__ == "__main__":
    main()
