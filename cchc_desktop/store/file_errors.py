"""A failed file write as a message the user can act on, for every file we write.

:func:`written_atomically` is :func:`cchc_desktop.store.atomic.atomic_path` plus this
translation: the writer writes the temporary file it is given; when anything fails, from
creating the temporary file to the final rename, the previous file is left as it was, no
temporary file remains, and an :class:`EnvironmentProblem` says what is in the way (disk
full, a file-size limit, no permission, the name is a folder, the file is open in Word or
Excel) instead of a bare ``OSError`` that the front ends would call an internal error.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cchc_desktop.errors import EnvironmentProblem
from cchc_desktop.store.atomic import atomic_path, clean_leftovers

__all__ = ["as_os_error", "cannot_write", "os_reason", "written_atomically"]

_KEPT = "Tệp cũ (nếu có) vẫn còn nguyên."


def cannot_write(exc: OSError, target: str | os.PathLike[str]) -> EnvironmentProblem:
    """The message for ``exc`` raised while writing ``target``."""
    path = Path(target)
    code = exc.errno
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        reason = f"{path} là một thư mục, không phải tệp. Hãy chọn tên tệp khác."
    elif code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        reason = "Ổ đĩa đã đầy. Hãy giải phóng dung lượng hoặc chọn ổ đĩa khác."
    elif code == errno.EFBIG:
        reason = "Tệp vượt quá kích thước lớn nhất được phép ghi trên máy này."
    elif isinstance(exc, NotADirectoryError) or code == errno.ENOTDIR:
        reason = f"Đường dẫn {path.parent} không phải là thư mục."
    elif isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        reason = f"Thư mục không tồn tại: {path.parent}."
    elif isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = ("Tệp đang mở trong chương trình khác (Word, Excel...) hoặc thư mục không "
                  "cho phép ghi. Hãy đóng tệp hoặc chọn nơi lưu khác.")
    else:
        reason = f"{exc.strerror or exc}."
    return EnvironmentProblem(f"Không ghi được tệp {path.name}. {reason} {_KEPT}")


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or opened, in Vietnamese ("không có quyền đọc tệp"),
    never the system's English text; the error code when it is none of the usual ones."""
    code = exc.errno
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        return "không tìm thấy tệp hoặc thư mục"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return "không có quyền truy cập (hoặc tệp đang mở trong chương trình khác)"
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return "đây là một thư mục, không phải tệp"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "ổ đĩa đã đầy"
    if code == errno.EROFS:
        return "ổ đĩa chỉ cho phép đọc"
    if code == errno.EIO:
        return "lỗi đọc ghi của ổ đĩa (ổ đĩa hỏng hoặc đã bị rút ra)"
    return f"lỗi hệ thống, mã {code}" if code else "lỗi hệ thống"


@contextmanager
def written_atomically(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` that replaces it when the block succeeds.

    Any OSError (also one raised by the writer inside the block, lxml's included) becomes an
    :class:`EnvironmentProblem`; ``target`` and its folder are left as they were. What a
    killed write left in the same folder (a temporary file over a minute old) goes first.
    """
    clean_leftovers(Path(target).parent)
    try:
        with atomic_path(target) as tmp:
            yield tmp
    except Exception as exc:
        os_error = as_os_error(exc)
        if os_error is None:
            raise
        raise cannot_write(os_error, target) from exc


def as_os_error(exc: BaseException) -> OSError | None:
    """``exc`` as an OSError (None when it is not one); lxml (under openpyxl and python-docx) reports a failed write
    as ``SerialisationError("IO_EFBIG")``, which is one too."""
    if isinstance(exc, OSError):
        return exc
    text = str(exc)
    if type(exc).__name__ == "SerialisationError" and text.startswith("IO_E"):
        code = getattr(errno, text[3:], None)
        if isinstance(code, int):
            return OSError(code, os.strerror(code))
    return None
