"""PDF copies of exported documents: LibreOffice headless, or Word on Windows.

Each LibreOffice run gets its own profile folder (``-env:UserInstallation``): two conversions
sharing a profile fail, and a user's open LibreOffice window would swallow the job.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cchc_desktop.errors import EnvironmentProblem, UserError
from cchc_desktop.store.file_errors import written_atomically

TIMEOUT_S = 180
NO_CONVERTER = (
    "Không tìm thấy LibreOffice (soffice) hay Microsoft Word để tạo PDF. "
    "Hãy cài LibreOffice hoặc mở tệp .docx bằng Word và lưu thành PDF."
)


def find_soffice() -> str | None:
    """The LibreOffice program, from PATH or its usual install folders; None when absent."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates: list[Path] = []
    if sys.platform == "win32":
        for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((str(c) for c in candidates if c.is_file()), None)


def _word_available() -> bool:
    if sys.platform != "win32":
        return False
    try:
        import win32com.client  # noqa: F401
    except ImportError:
        return False
    return True


def can_convert() -> bool:
    """True when a PDF converter is on this machine."""
    return find_soffice() is not None or _word_available()


def convert_to_pdf(docx: str | Path, pdf: str | Path | None = None) -> Path:
    """Convert ``docx`` to PDF (next to it unless ``pdf`` is given) and return the PDF's path.

    Raises UserError when neither LibreOffice nor Word is available, EnvironmentProblem when
    the conversion fails or the PDF cannot be written (an existing PDF then stays as it was:
    the converter writes elsewhere and the result is renamed into place).
    """
    source = Path(docx).resolve()
    target = Path(pdf).resolve() if pdf else source.with_suffix(".pdf")
    if not source.is_file():
        raise UserError(f"Không tìm thấy tệp: {source}")
    soffice = find_soffice()
    if soffice:
        return _with_libreoffice(soffice, source, target)
    if _word_available():
        with written_atomically(target) as tmp:
            _with_word(source, tmp)
        return target
    raise UserError(NO_CONVERTER)


def _with_libreoffice(soffice: str, source: Path, target: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="cchc-lo-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        outdir = Path(tmp, "out")
        outdir.mkdir()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), str(source)]
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S,
                                    check=False)
        except subprocess.TimeoutExpired as exc:
            raise EnvironmentProblem("LibreOffice không chuyển xong tệp sang PDF "
                                     f"sau {TIMEOUT_S} giây.") from exc
        produced = outdir / (source.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            detail = (result.stderr or result.stdout or "").strip().splitlines()[-1:] or [""]
            raise EnvironmentProblem(f"LibreOffice không tạo được PDF. {detail[0]}".strip())
        # The temporary folder may be on another disk: copy beside the target, then rename.
        with written_atomically(target) as partial:
            shutil.copyfile(produced, partial)
    return target


def _with_word(source: Path, target: Path) -> Path:  # pragma: no cover - Windows with Word only
    import win32com.client

    word = win32com.client.DispatchEx("Word.Application")
    word.Visible = False
    try:
        document = word.Documents.Open(str(source), ReadOnly=True)
        try:
            document.SaveAs2(str(target), FileFormat=17)  # wdFormatPDF
        finally:
            document.Close(False)
    except Exception as exc:
        raise EnvironmentProblem(f"Word không tạo được PDF: {exc}") from exc
    finally:
        word.Quit()
    return target
