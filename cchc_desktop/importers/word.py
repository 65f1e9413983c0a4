"""The task tables of a Word plan (.docx; .doc through LibreOffice), read as a pasted table is.

A plan's appendix is a Word table: group rows spanning the table, merged cells, sometimes
several tables (a cover table, the appendix). Each table becomes the rows a workbook gives:
a cell merged down is repeated on every row it covers, a cell spread across columns stands
in its first column. The table with a "Nội dung" header and the most rows is the default;
:func:`word_tables` lists them all so the preview can let the user choose.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cchc_desktop.errors import UserError
from cchc_desktop.importers.headers import header_key
from cchc_desktop.importers.pasted import sheet_from_grid
from cchc_desktop.importers.sheet import SheetData

__all__ = ["WordTable", "read_word_tables", "word_tables"]

_MAX_ROWS = 100_000
NOT_DOCX = "Tệp {name} không phải là tài liệu Word (.docx) đọc được: {reason}"
NO_LIBREOFFICE = (
    "Tệp .doc (Word 97-2003) cần LibreOffice để chuyển sang .docx, nhưng máy này chưa cài "
    "LibreOffice. Hãy mở tệp trong Word, chọn Lưu thành .docx rồi nhập lại."
)


@dataclass(frozen=True)
class WordTable:
    """One table of the document: its place (1, 2 …), size and first row, for a chooser."""

    index: int
    rows: int
    columns: int
    first_row: str
    has_task_header: bool


def _cell_text(cell) -> str:  # noqa: ANN001 - a python-docx cell
    return "\n".join(p.text for p in cell.paragraphs).strip()


def _grid(table) -> list[list[str | None]]:  # noqa: ANN001 - a python-docx table
    grid: list[list[str | None]] = []
    for row in table.rows[:_MAX_ROWS]:
        values: list[str | None] = []
        previous = None
        for cell in row.cells:
            # python-docx gives a cell spread across columns once per column: keep the first.
            values.append(None if cell._tc is previous else (_cell_text(cell) or None))
            previous = cell._tc
        grid.append(values)
    return grid


def _document(path: Path):  # noqa: ANN202
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if path.suffix.lower() == ".doc":
        path = _convert_doc(path)
    try:
        return Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UserError(NOT_DOCX.format(name=path.name, reason=exc)) from exc
    except OSError as exc:
        raise UserError(f"Không đọc được tệp {path.name}: {exc.strerror or exc}") from exc


def _convert_doc(path: Path) -> Path:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise UserError(NO_LIBREOFFICE)
    out = Path(tempfile.mkdtemp(prefix="cchc-doc-"))
    try:
        subprocess.run(
            [office, "--headless", "--convert-to", "docx", "--outdir", str(out), str(path)],
            check=True, capture_output=True, timeout=180,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise UserError(f"LibreOffice không chuyển được {path.name} sang .docx: {exc}") from exc
    converted = out / (path.stem + ".docx")
    if not converted.exists():
        raise UserError(f"LibreOffice không chuyển được {path.name} sang .docx.")
    return converted


def _has_task_header(grid: list[list[str | None]]) -> bool:
    return any(header_key(v) in ("noi dung", "noi dung nhiem vu", "nhiem vu")
               for row in grid[:10] for v in row)


def _tables(path: Path) -> list[list[list[str | None]]]:
    document = _document(Path(path))
    return [_grid(t) for t in document.tables]


def word_tables(path: str | Path) -> list[WordTable]:
    """Every table of a Word document, in document order."""
    found = []
    for i, grid in enumerate(_tables(Path(path)), start=1):
        first = " | ".join(v for v in (grid[0] if grid else []) if v)
        found.append(WordTable(i, len(grid), max((len(r) for r in grid), default=0),
                               first[:120], _has_task_header(grid)))
    return found


def read_word_tables(path: str | Path, table: int | None = None) -> SheetData:
    """Table number ``table`` (1-based) of a Word document as a sheet; by default the
    largest table with a "Nội dung" header (else the largest). UserError when there is
    no table, or the number is out of range."""
    path = Path(path)
    grids = _tables(path)
    if not grids:
        raise UserError(f"Tệp {path.name} không có bảng nào.")
    if table is not None:
        if not 1 <= table <= len(grids):
            raise UserError(f"Tệp {path.name} có {len(grids)} bảng, không có bảng số {table}.")
        index = table - 1
    else:
        with_header = [i for i, g in enumerate(grids) if _has_task_header(g)] or list(
            range(len(grids)))
        index = max(with_header, key=lambda i: (len(grids[i]), -i))
    name = f"bảng {index + 1}" if len(grids) > 1 else "bảng"
    return sheet_from_grid(grids[index], path, name)
