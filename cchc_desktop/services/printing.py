"""Printing an exported file through the system, to its default printer.

We draw no pages ourselves: the program that opens the file prints it. On Windows that is the
file type's own "print" verb (Word prints a .docx, Excel a .xlsx, the PDF viewer a .pdf). On
Linux a PDF goes to ``lp`` (CUPS), and a .docx/.xlsx to LibreOffice (``soffice -p``) when it is
installed. When nothing on the machine can print the file the user is told so in Vietnamese,
with what to do instead (open it and print from there).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cchc_desktop.errors import UserError

__all__ = ["OFFICE_SUFFIXES", "PRINT_TIMEOUT_S", "print_command", "print_file"]

log = logging.getLogger(__name__)

OFFICE_SUFFIXES = frozenset({".docx", ".doc", ".xlsx", ".xls", ".odt", ".ods", ".pdf"})
"""What LibreOffice can print."""

PRINT_TIMEOUT_S = 180
"""LibreOffice lays out a long list before it hands it to the printer."""


def print_command(path: Path) -> list[str] | None:
    """The command that prints ``path`` on this (non-Windows) machine, None when none can.

    A PDF goes to ``lp`` (or ``lpr``); office files (and a PDF on a machine without ``lp``)
    to LibreOffice in the background. Programs are looked up on PATH when asked.
    """
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        for name in ("lp", "lpr"):
            found = shutil.which(name)
            if found:
                return [found, str(path)]
    if suffix in OFFICE_SUFFIXES:
        for name in ("soffice", "libreoffice"):
            found = shutil.which(name)
            if found:
                return [found, "--headless", "--norestore", "-p", str(path)]
    return None


def _nothing_prints(path: Path) -> UserError:
    what = "LibreOffice" if path.suffix.lower() != ".pdf" else "LibreOffice hoặc dịch vụ in CUPS"
    return UserError(
        f"Máy này chưa có chương trình in được tệp {path.name}. Hãy cài {what}, "
        "hoặc bấm “Mở tệp” rồi in từ chương trình mở tệp.\n"
        f"Tệp vẫn được lưu tại:\n{path}")


def print_file(path: Path) -> None:
    """Send ``path`` to the default printer through the system; UserError (in Vietnamese)
    when the file is gone, nothing can print it, or the printing program refuses."""
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp để in: {path}")
    if sys.platform == "win32":
        try:
            os.startfile(str(path), "print")  # type: ignore[attr-defined]  # Windows only
        except OSError as exc:
            raise _nothing_prints(path) from exc
        return
    command = print_command(path)
    if command is None:
        raise _nothing_prints(path)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT_S,
                              check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise UserError(f"Chương trình in không trả lời sau {PRINT_TIMEOUT_S // 60} phút; "
                        f"tệp {path.name} có thể chưa được in.") from exc
    except OSError as exc:
        raise _nothing_prints(path) from exc
    if done.returncode != 0:
        log.warning("printing %s with %s failed (%s): %s", path, command[0], done.returncode,
                    done.stderr.strip())
        raise UserError(f"Không in được tệp {path.name}: máy chưa có máy in mặc định hoặc máy "
                        "in chưa sẵn sàng. Hãy kiểm tra máy in, hoặc mở tệp rồi in từ chương "
                        "trình mở tệp.")
