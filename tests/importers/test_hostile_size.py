"""Workbooks that ask for a huge grid: refused quickly, in little memory, with a clear message.

Before the fix a value in the last cell of an .xlsx sheet (XFD1048576) aborted the whole
process in calamine (a native allocation failure, uncatchable), a value a few thousand columns
out cost seconds and more than a gigabyte, a far cell of an .xls 10 s and 1.7 GB, a row of an
.ods repeated a million times 5 s and 900 MB. Each file is written by hand with zipfile (or
patched from a committed fixture) and read in a fresh process whose time and peak memory are
measured there (its own peak resident memory, VmHWM).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="rels" ContentType="application/'
       'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
       'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
       '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
       'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
         'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_BOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
         'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
         '2006/relationships"><sheets><sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/></sheets>'
         '</workbook>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
              'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
              '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
              'Target="worksheets/sheet1.xml"/></Relationships>')
_TASK_ROWS = [("A1", "STT"), ("B1", "Nội dung"), ("C1", "Cơ quan chủ trì"),
              ("A2", "1"), ("B2", "Rà soát thủ tục"), ("C2", "Văn phòng Sở")]


def _row_number(ref: str) -> int:
    return int("".join(ch for ch in ref if ch.isdigit()))


def write_xlsx(path: Path, cells: list[tuple[str, str]], *, dimension: str | None = None,
               styles: str | None = None, extra_rows: str = "") -> Path:
    """A minimal .xlsx: inline-string ``cells`` (reference, text) and an optional <dimension>."""
    rows: dict[int, list[tuple[str, str]]] = {}
    for ref, text in cells:
        rows.setdefault(_row_number(ref), []).append((ref, text))
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
                                   for ref, text in found) + "</row>"
        for r, found in sorted(rows.items())
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             f'openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>{body}{extra_rows}</sheetData>'
             '</worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _BOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if styles:
            archive.writestr("xl/styles.xml", styles)
    return path


def patched_ods(path: Path, extra_row: bytes) -> Path:
    """tasks.ods with ``extra_row`` added at the end of its first sheet."""
    with zipfile.ZipFile(DATA / "tasks.ods") as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "content.xml":
                end = data.find(b"</table:table>")
                data = data[:end] + extra_row + data[end:]
            target.writestr(info, data)
    return path


def patched_xls(path: Path, row: int, col: int) -> Path:
    """tasks.xls with its first text cell moved to (row, col), 0-based."""
    from cchc_desktop.importers.xls_fonts import _workbook_stream

    data = bytearray((DATA / "tasks.xls").read_bytes())
    stream = _workbook_stream(bytes(data))
    offset = 0
    while True:
        kind, length = struct.unpack_from("<HH", stream, offset)
        if kind == 0x00FD:  # LABELSST
            record = stream[offset : offset + 4 + length]
            break
        offset += 4 + length
    at = data.find(record)
    struct.pack_into("<HH", data, at + 4, row, col)
    path.write_bytes(bytes(data))
    return path


_PROBE = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    import openpyxl, python_calamine  # imported before the clock starts, as in the application
    from cchc_desktop.importers.sheet import read_sheet
    from cchc_desktop.services.framework_files import read_framework_xlsx
    start = time.perf_counter()
    result = {}
    try:
        if sys.argv[2] == "framework":
            specs, problems = read_framework_xlsx(Path(sys.argv[1]))
            result["rows"] = len(specs)
        else:
            data = read_sheet(sys.argv[1])
            result["rows"] = len(data.rows)
            result["width"] = max(len(values) for _n, values in data.rows)
    except Exception as exc:
        result["error"] = getattr(exc, "message", repr(exc))
    result["seconds"] = time.perf_counter() - start
    # VmHWM is this program's own peak; ru_maxrss would keep the parent's peak across exec.
    try:
        status = Path("/proc/self/status").read_text()
        result["mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        result["mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
""")


def probe(path: Path, what: str = "sheet") -> dict:
    """Read ``path`` in a fresh process; its result, time and peak memory (MB)."""
    run = subprocess.run([sys.executable, "-c", _PROBE, str(path), what], capture_output=True,
                         text=True, timeout=120, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, f"the reading process died ({run.returncode}): {run.stderr[-500:]}"
    return json.loads(run.stdout)


def _assert_refused(result: dict, name: str) -> None:
    assert "quá lớn" in result.get("error", ""), result
    assert name in result["error"]
    assert result["seconds"] < 2.0, result
    assert result["mb"] < 300, result


def test_a_value_in_the_last_cell_of_an_xlsx_is_refused_not_fatal(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cuoi_trang.xlsx", [*_TASK_ROWS, ("XFD1048576", "x")],
                      dimension="A1:XFD1048576")
    result = probe(path)
    _assert_refused(result, "cuoi_trang.xlsx")
    assert "1.048.576" in result["error"] and "16.384" in result["error"]


@pytest.mark.parametrize("row", [
    '<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>',  # no reference: counted
    '<row><c r="XFD7" t="inlineStr"><is><t>x</t></is></c></row>',
    '<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="1048576">'
    '<x:c r="C1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>',
])
def test_far_cells_written_other_ways_are_refused(row: str, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "khac.xlsx", _TASK_ROWS, extra_rows=row)
    _assert_refused(probe(path), "khac.xlsx")


def test_empty_formatted_cells_far_out_do_not_count(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dinh_dang.xlsx", _TASK_ROWS,
                      extra_rows='<row r="1048576"><c r="XFD1048576" s="0"/></row>')
    result = probe(path)
    assert result.get("error") is None and result["rows"] == 2, result


def test_a_shared_strings_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    # 80 MB of shared strings packed into a few hundred KB: calamine would hold them all.
    path = write_xlsx(tmp_path / "chuoi.xlsx", _TASK_ROWS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>x</t></si>" * 5_000_000
                         + b"</sst>")
    _assert_refused(probe(path), "chuoi.xlsx")


def test_a_value_thousands_of_columns_out_is_refused_quickly(tmp_path: Path) -> None:
    rows = [(f"B{r}", f"Việc {r}") for r in range(3, 2000)]
    rows += [(f"C{r}", "Văn phòng Sở") for r in range(3, 2000)]
    path = write_xlsx(tmp_path / "cot_xa.xlsx", [*_TASK_ROWS, *rows, ("DZZ2", "x")])
    _assert_refused(probe(path), "cot_xa.xlsx")


def test_a_lying_dimension_over_small_data_reads_the_data(tmp_path: Path) -> None:
    # Legacy font declared: the openpyxl font pass runs too and must not pad rows to XFD.
    styles = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.'
              'openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><name '
              'val=".VnTime"/></font></fonts></styleSheet>')
    rows = [(f"B{r}", f"Việc {r}") for r in range(3, 3000)]
    path = write_xlsx(tmp_path / "khai_sai.xlsx", [*_TASK_ROWS, *rows],
                      dimension="A1:XFD1048576", styles=styles)
    result = probe(path)
    assert result.get("error") is None, result
    assert result["rows"] == 2999 and result["width"] == 3
    assert result["seconds"] < 2.0 and result["mb"] < 300, result


def test_an_ods_row_repeated_a_million_times_is_refused(tmp_path: Path) -> None:
    cell = b'<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    path = patched_ods(tmp_path / "lap_lai.ods",
                       b'<table:table-row table:number-rows-repeated="1000000">' + cell
                       + b"</table:table-row>")
    _assert_refused(probe(path), "lap_lai.ods")


def test_an_xls_cell_in_the_last_row_and_column_is_refused(tmp_path: Path) -> None:
    _assert_refused(probe(patched_xls(tmp_path / "o_xa.xls", 65535, 255)), "o_xa.xls")


def test_the_fixtures_still_read_as_before(tmp_path: Path) -> None:
    for name in ("tasks.xlsx", "tasks.xls", "tasks.ods"):
        result = probe(DATA / name)
        assert result.get("error") is None and result["rows"] == 14, (name, result)
    # A cell moved a little further out is still fine.
    assert probe(patched_xls(tmp_path / "gan.xls", 400, 30))["rows"] == 401


def test_a_framework_sheet_with_a_lying_dimension_or_a_far_cell(tmp_path: Path) -> None:
    cells = [("A1", "Mã"), ("B1", "Tiêu chí"), ("C1", "Điểm tối đa"), ("A2", "1"),
             ("B2", "Công tác chỉ đạo"), ("C2", "10")]
    lying = write_xlsx(tmp_path / "khung.xlsx", cells, dimension="A1:XFD1048576")
    result = probe(lying, "framework")
    assert result.get("error") is None and result["rows"] == 1, result
    assert result["seconds"] < 2.0 and result["mb"] < 300, result
    far = write_xlsx(tmp_path / "khung_xa.xlsx", [*cells, ("XFD1048576", "x")])
    _assert_refused(probe(far, "framework"), "khung_xa.xlsx")


def test_the_cli_refuses_with_one_line_and_exit_1(tmp_path: Path, db, db_path: Path) -> None:  # noqa: ANN001
    path = write_xlsx(tmp_path / "cuoi.xlsx", [*_TASK_ROWS, ("XFD1048576", "x")])
    run = subprocess.run([sys.executable, "-m", "cchc_desktop.cli.main", "--db", str(db_path),
                          "import", "tasks", str(path), "--year", "2024"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "CCHC_DATA_DIR": str(tmp_path)})
    assert run.returncode == 1, run.stderr
    assert run.stderr.count("\n") == 1 and "quá lớn" in run.stderr


def test_the_import_dialog_shows_the_refusal(qtbot, units_db, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001, E501
    from datetime import date

    from PySide6.QtGui import QUndoStack

    from cchc_desktop.gui.common import dialogs
    from cchc_desktop.gui.common.context import GuiContext
    from cchc_desktop.gui.tasks.import_dialog import ImportDialog

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, text, details="": shown.append(text))
    path = write_xlsx(tmp_path / "cuoi.xlsx", [*_TASK_ROWS, ("XFD1048576", "x")])
    stack = QUndoStack()
    try:
        ctx = GuiContext(db=units_db, undo_stack=stack, today=lambda: date(2024, 11, 20))
        dialog = ImportDialog(ctx, path, "tasks")
        qtbot.addWidget(dialog)
        assert not dialog.preview()
        assert len(shown) == 1 and "quá lớn" in shown[0]
    finally:
        stack.deleteLater()


def test_xls_sheets_pointing_into_each_other_end_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 sheets all starting at the same offset of a stream without end: walking each
    would visit 24 million records; the walk stops and the file is refused as damaged."""
    import time

    from cchc_desktop.importers import extent, xls_fonts

    sheets = b"".join(
        struct.pack("<HHIBBBB", 0x0085, 8 + len(name), 0, 0, 0, len(name), 0) + name
        for name in (f"S{i}".encode() for i in range(2000))
    )
    stream = sheets + struct.pack("<HH", 0x0001, 0) * 10_000
    monkeypatch.setattr(xls_fonts, "_workbook_stream", lambda _data: stream)
    start = time.perf_counter()
    with pytest.raises(OverflowError):
        extent.xls_extents(b"")
    assert time.perf_counter() - start < 2.0
