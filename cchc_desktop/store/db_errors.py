"""Every database error a user may meet, as one clear Vietnamese sentence, never SQL.

:func:`describe_database_error` is the one place that reads SQLAlchemy's and the drivers'
errors (SQLite result codes, PostgreSQL SQLSTATEs, lost connections); the CLI
(``cli/main.py``) and the GUI's error report (``gui/common/error_report.py``) show what it
says and put the technical text in the log only. It decides by codes, not by the English
text of messages (which changes between versions), except to tell a row-level-security
refusal from other missing rights, which share one SQLSTATE.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from cchc_desktop.store.sqlite_file import (
    FULL_MESSAGE,
    IO_MESSAGE,
    LOCKED_MESSAGE,
    READONLY_MESSAGE,
    sqlite_code,
)

__all__ = ["describe_database_error", "is_database_error"]

UNSAVED = "Thay đổi vừa rồi chưa được lưu; dữ liệu đã lưu trước đó vẫn còn nguyên."
RETRY = ("Máy chủ gặp một thay đổi khác cùng lúc trên cùng dữ liệu nên đã dừng thao tác này. "
         + UNSAVED + " Hãy thử lại.")
CONNECTION_LOST = ("Mất kết nối với máy chủ cơ sở dữ liệu (máy chủ vừa tắt, khởi động lại hoặc "
                   "mạng bị ngắt). " + UNSAVED + " Hãy kiểm tra mạng rồi thử lại.")
DAMAGED = ("Tệp cơ sở dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu của CCHC Desktop. Hãy chạy "
           "kiểm tra (cchc check) hoặc khôi phục từ bản sao lưu.")
SCHEMA = ("Cấu trúc cơ sở dữ liệu không khớp với phiên bản phần mềm này (thiếu bảng hoặc cột). "
          "Hãy cập nhật phần mềm hoặc nhờ quản trị viên nâng cấp cơ sở dữ liệu. " + UNSAVED)
APPEND_ONLY = "Nhật ký thay đổi chỉ được ghi thêm, không được sửa hay xóa."
GENERIC = "Cơ sở dữ liệu từ chối thao tác vừa rồi. " + UNSAVED

# What a unique constraint (or the table.column SQLite names) is about, for the message.
_UNIQUE_WHAT = {
    "units.name": "tên đơn vị", "uq_units_name": "tên đơn vị",
    "unit_aliases.alias": "tên gọi khác của đơn vị", "uq_unit_aliases_alias":
        "tên gọi khác của đơn vị",
    "documents.symbol": "số ký hiệu văn bản", "symbol_issuer": "số ký hiệu văn bản",
    "users.username": "tên đăng nhập", "uq_users_username": "tên đăng nhập",
    "scoring_frameworks.year": "năm của bộ tiêu chí", "uq_scoring_frameworks_year":
        "năm của bộ tiêu chí",
    "criteria.code": "mã tiêu chí", "framework_code": "mã tiêu chí",
    "evidence.sha256": "tệp kiểm chứng", "uq_evidence_sha256": "tệp kiểm chứng",
    "scores.criterion_id": "điểm của tiêu chí", "uq_scores_criterion_id": "điểm của tiêu chí",
    "index_results.year": "kết quả chỉ số của năm", "index_year": "kết quả chỉ số của năm",
    "report_narratives.section": "đoạn văn của báo cáo", "period_section":
        "đoạn văn của báo cáo",
}
_TABLE_WHAT = {
    "tasks": "nhiệm vụ", "task_supporting_units": "đơn vị phối hợp", "units": "đơn vị",
    "unit_aliases": "tên gọi khác của đơn vị", "plans": "kế hoạch", "plan_groups":
        "nhóm nhiệm vụ của kế hoạch", "documents": "văn bản", "users": "tài khoản",
    "audit_log": "nhật ký thay đổi", "evidence": "tài liệu kiểm chứng", "evidence_links":
        "liên kết tài liệu kiểm chứng", "evidence_blobs": "tài liệu kiểm chứng",
    "scores": "điểm tự chấm", "criteria": "tiêu chí", "scoring_frameworks": "bộ tiêu chí",
    "progress_updates": "tiến độ", "deadline_extensions": "đề nghị gia hạn",
    "extension_requests": "đề nghị gia hạn", "evidence_trash": "thùng rác tài liệu",
    "index_results": "kết quả chỉ số", "procedure_stats": "số liệu thủ tục hành chính",
    "report_narratives": "đoạn văn của báo cáo", "settings": "tùy chọn",
}
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.]+)")
_PG_TABLE = re.compile(r'(?:table|relation) "?(\w+)"?')


def _driver_error(exc: BaseException) -> BaseException | None:
    """The DBAPI exception behind ``exc`` (SQLAlchemy wraps it in ``orig``), if any."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("psycopg"):
            return exc
        exc = getattr(exc, "orig", None) or exc.__cause__  # type: ignore[assignment]
        seen += 1
    return None


def is_database_error(exc: BaseException) -> bool:
    """True for an error raised by SQLAlchemy or a database driver."""
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError) or _driver_error(exc) is not None


def _what(key: str | None) -> str:
    if not key:
        return "dữ liệu này"
    return _UNIQUE_WHAT.get(key) or _UNIQUE_WHAT.get(key.split(".")[-1]) or (
        _TABLE_WHAT.get(key.split(".")[0], "dữ liệu này"))


def _duplicate(what: str) -> str:
    return (f"Không lưu được: {what} này đã có trong cơ sở dữ liệu (có thể một người khác vừa "
            f"lưu cùng lúc). {UNSAVED} Hãy tải lại dữ liệu rồi thử lại.")


_IN_USE = ("Không lưu được: dữ liệu này đang được dùng ở nơi khác, hoặc dữ liệu nó trỏ tới "
           "vừa bị xóa (có thể bởi một người khác). " + UNSAVED + " Hãy tải lại rồi thử lại.")
_MISSING_VALUE = "Không lưu được: thiếu một giá trị bắt buộc. " + UNSAVED
_INVALID_VALUE = ("Không lưu được: có giá trị không hợp lệ với cơ sở dữ liệu (quá dài, quá "
                  "lớn hoặc sai kiểu). " + UNSAVED)


def _sqlite(code: str, exc: BaseException) -> str:
    text = str(exc)
    if code == "SQLITE_CONSTRAINT_TRIGGER" and "append-only" in text:
        return APPEND_ONLY
    if code in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"):
        found = _SQLITE_UNIQUE.search(text)
        return _duplicate(_what(found[1].split(",")[0] if found else None))
    if code == "SQLITE_CONSTRAINT_FOREIGNKEY":
        return _IN_USE
    if code == "SQLITE_CONSTRAINT_NOTNULL":
        return _MISSING_VALUE
    if code.startswith("SQLITE_CONSTRAINT") or code in ("SQLITE_TOOBIG", "SQLITE_MISMATCH",
                                                         "SQLITE_RANGE"):
        return _INVALID_VALUE
    primary = "_".join(code.split("_")[:2])
    if primary in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return LOCKED_MESSAGE
    if primary == "SQLITE_FULL":
        return FULL_MESSAGE
    if primary == "SQLITE_IOERR":
        return IO_MESSAGE.format(code=code)
    if primary in ("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_CANTOPEN"):
        return READONLY_MESSAGE
    if primary in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return DAMAGED
    if primary == "SQLITE_INTERRUPT":
        return "Thao tác đã bị dừng giữa chừng. " + UNSAVED
    if "no such table" in text or "no such column" in text:
        return SCHEMA
    return GENERIC


def _account(driver: Any) -> str:
    """The PostgreSQL role the failed statement ran as, when the driver still knows it."""
    try:
        user = driver.pgconn.user
        return user.decode() if isinstance(user, bytes) else str(user or "")
    except Exception:  # no connection left to ask (it is closed): name nobody
        return ""


def _postgres(state: str, driver: Any, who: str) -> str:
    diag = getattr(driver, "diag", None)
    primary = str(getattr(diag, "message_primary", "") or driver)
    table = getattr(diag, "table_name", None)
    if table is None and (found := _PG_TABLE.search(primary)):
        table = found[1]
    what = _TABLE_WHAT.get(table or "", "dữ liệu này")
    account = f"Tài khoản '{who}'" if who else "Tài khoản đang đăng nhập"
    if state == "23505":
        return _duplicate(_what(getattr(diag, "constraint_name", None) or table))
    if state == "23503":
        return _IN_USE
    if state == "23502":
        return _MISSING_VALUE
    if state.startswith(("23", "22")):
        return _INVALID_VALUE
    if state == "42501":
        if "row-level security" in primary or "row level security" in primary:
            return (f"{account} không được phép thay đổi dòng {what} này: máy chủ chỉ cho sửa "
                    f"dữ liệu thuộc đơn vị của tài khoản. {UNSAVED}")
        return (f"{account} không có quyền thực hiện thao tác này trên {what} (máy chủ từ "
                f"chối). {UNSAVED} Nếu cần, hãy nhờ quản trị viên cấp quyền.")
    if state in ("40001", "40P01"):
        return RETRY
    if state == "55P03":
        return LOCKED_MESSAGE
    if state == "57014":
        return ("Máy chủ đã hủy thao tác (quá thời gian chờ hoặc bị dừng). " + UNSAVED
                + " Hãy thử lại.")
    if state.startswith("57P") or state.startswith("08"):
        return CONNECTION_LOST
    if state.startswith("53"):
        return FULL_MESSAGE
    if state == "25006":
        return READONLY_MESSAGE
    if state.startswith("28"):
        return ("Máy chủ cơ sở dữ liệu từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu, "
                "hoặc tài khoản đã bị khóa.")
    if state == "3D000":
        return ("Trên máy chủ không có cơ sở dữ liệu với tên đã nhập. Hãy kiểm tra lại địa "
                "chỉ cơ sở dữ liệu.")
    if state in ("42P01", "42703"):
        return SCHEMA
    if state == "P0001" and "append-only" in primary:
        return APPEND_ONLY
    return GENERIC


def describe_database_error(exc: BaseException, *, account: str | None = None) -> str | None:
    """A Vietnamese sentence for a database error (``None`` when ``exc`` is not one).

    Covers duplicates and links to missing rows (unique and foreign-key constraints),
    a locked file or busy server, a full disk, a lost or refused connection, missing
    rights and row-level security (the account is named), serialization failures and
    deadlocks ("thử lại"), a cancelled statement and an out-of-date schema. Never quotes
    SQL or the driver's English text. ``account`` is the database login the session used
    (named when the server refuses it a right); by default the driver's, when it knows.
    """
    if not is_database_error(exc):
        return None
    code = sqlite_code(exc)
    driver = _driver_error(exc)
    if code and driver is not None:
        return _sqlite(code, driver)
    state = getattr(driver, "sqlstate", None)
    if isinstance(state, str) and state:
        return _postgres(state, driver, account or _account(driver))
    if getattr(exc, "connection_invalidated", False):
        return CONNECTION_LOST
    if driver is not None and type(driver).__name__ in ("OperationalError", "InterfaceError"):
        # psycopg: no SQLSTATE when the server could not be reached at all.
        if "closed" in str(driver) or "terminat" in str(driver):
            return CONNECTION_LOST
        return ("Không kết nối được tới máy chủ cơ sở dữ liệu: máy chủ chưa chạy, sai địa chỉ "
                "hoặc cổng, hoặc mạng bị chặn. Hãy kiểm tra địa chỉ và mạng rồi thử lại.")
    return GENERIC
