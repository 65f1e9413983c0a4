"""The evidence bundle of a year: a zip with one folder per criterion and an index sheet."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from cchc_desktop.domain.filenames import safe_component
from cchc_desktop.domain.scoring import code_key
from cchc_desktop.errors import NotFoundError
from cchc_desktop.services.evidence.reading import StoreBase
from cchc_desktop.services.evidence.records import Progress
from cchc_desktop.store.atomic import atomic_path
from cchc_desktop.store.models import Criterion, Evidence, EvidenceLink, ScoringFramework

INDEX_NAME = "Danh mục tài liệu kiểm chứng.xlsx"


class BundleOps(StoreBase):
    """:meth:`bundle` (part of :class:`EvidenceStore`)."""

    def _criterion_files(self, year: int) -> Iterator[tuple[Criterion, Evidence]]:
        stmt = (
            select(Criterion, Evidence)
            .join(EvidenceLink, EvidenceLink.criterion_id == Criterion.id)
            .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
            .join(ScoringFramework, ScoringFramework.id == Criterion.framework_id)
            .where(ScoringFramework.year == year)
        )
        rows = [(c, e) for c, e in self.session.execute(stmt)]
        rows.sort(key=lambda r: (code_key(r[0].code), r[1].original_name, r[1].id))
        yield from rows

    def bundle(self, year: int, out_zip: Path | str, on_progress: Progress | None = None) -> int:
        """Write the year's evidence as a zip: one folder per criterion code and an index sheet.

        Returns the number of files written. The zip is written to a temporary name and
        renamed, so a failure never leaves half a bundle under the requested name.
        """
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from cchc_desktop.exporters.xlsx_cells import keep_as_text

        out_zip = Path(out_zip)
        if not self.session.scalar(select(ScoringFramework.id).where(ScoringFramework.year == year)):
            raise NotFoundError(f"Chưa có bộ tiêu chí năm {year}.")
        book = Workbook()
        sheet = book.active
        sheet.title = "Danh mục"
        sheet.append(["Mã tiêu chí", "Tiêu chí", "Tệp trong gói", "Tên tệp gốc",
                      "Dung lượng (byte)", "SHA-256"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        count = 0
        with atomic_path(out_zip) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            used: set[str] = set()
            files = list(self._criterion_files(year))
            for criterion, evidence in files:
                if on_progress is not None:
                    on_progress(count, len(files))
                entry = _unique_entry(criterion.code, evidence.original_name, used)
                archive.writestr(entry, self.read_bytes(evidence.id))
                sheet.append([criterion.code, criterion.title, entry,
                              evidence.original_name, evidence.size, evidence.sha256])
                for cell in sheet[sheet.max_row]:
                    keep_as_text(cell)  # a file named "=cmd|..." stays a name
                count += 1
            for column, width in zip("ABCDEF", (12, 60, 40, 40, 16, 66), strict=True):
                sheet.column_dimensions[column].width = width
            with tempfile.TemporaryDirectory() as scratch:
                index = Path(scratch) / "index.xlsx"
                book.save(index)
                archive.write(index, INDEX_NAME)
        return count


def _unique_entry(code: str, name: str, used: set[str]) -> str:
    base = safe_component(name)
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    candidate, n = f"{code}/{base}", 2
    while candidate.lower() in used:
        candidate = f"{code}/{stem} ({n}){'.' + ext if ext else ''}"
        n += 1
    used.add(candidate.lower())
    return candidate
