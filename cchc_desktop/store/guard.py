"""The last line of defence before a row is written: values both databases can store.

SQLite stores almost anything; PostgreSQL refuses a NUL character, a string
longer than its ``String(n)`` column or an integer beyond 32 bits with a raw
driver error, and Word documents cannot hold control characters at all. This
``before_flush`` check turns each of those into one clear
:class:`ValidationError`, on both databases, before anything is written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from sqlalchemy import Engine, Float, Integer, String, Table, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from cchc_desktop.domain import terms
from cchc_desktop.errors import ValidationError

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# C0 controls except tab, line feed and carriage return, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

FIELD_LABELS = {
    "content": "Nội dung", "name": "Tên", "short_name": "Tên viết tắt", "symbol": "Số ký hiệu",
    "issuer": "Cơ quan ban hành", "summary": "Trích yếu", "title": "Tiêu đề", "note": "Ghi chú",
    "output": "Sản phẩm", "timing_text": terms.TIMING, "assigned_by": terms.ASSIGNED_BY,
    "completion_note": "Kết quả", "reason": "Lý do", "number": "Số", "intro": "Mở đầu",
    "username": "Tên đăng nhập", "full_name": "Họ tên", "original_name": "Tên tệp",
    "alias": "Tên gọi khác",
}


def _label(column: str) -> str:
    return FIELD_LABELS.get(column, column)


def _number(n: int) -> str:
    """1.234.567: the Vietnamese thousands separator."""
    return f"{n:,}".replace(",", ".")


def _value_problems(key: str, column_type: object, value: object) -> list[str]:
    """Why ``value`` cannot be stored in a column ``key`` of ``column_type``."""
    label = _label(key)
    if isinstance(value, str):
        problems = []
        control = _CONTROL.search(value)
        if control:
            problems.append(f"{label}: có ký tự điều khiển không hợp lệ (mã "
                            f"{ord(control[0]):#04x}).")
        length = getattr(column_type, "length", None)
        if isinstance(column_type, String) and length and len(value) > length:
            problems.append(f"{label}: quá dài ({_number(len(value))} ký tự, tối đa "
                            f"{_number(length)}).")
        return problems
    if isinstance(column_type, Integer) and isinstance(value, int) and not isinstance(
        value, bool
    ):
        if not INT_MIN <= value <= INT_MAX:
            return [f"{label}: số {value} nằm ngoài giới hạn cho phép."]
    elif isinstance(column_type, Float) and isinstance(value, float):
        if not math.isfinite(value):
            return [f"{label}: giá trị số không hợp lệ."]
    return []


def problems_of(obj: object) -> list[str]:
    """Why the values of ``obj`` cannot be stored (empty when they can)."""
    state = inspect(obj)
    problems = []
    for attr in state.mapper.column_attrs:
        if attr.key not in state.dict:
            continue
        value = state.dict[attr.key]
        if value is not None:
            problems.extend(_value_problems(attr.key, attr.columns[0].type, value))
    return problems


def _refuse(problems: list[str]) -> None:
    if problems:
        unique = list(dict.fromkeys(problems))
        raise ValidationError("Dữ liệu không lưu được: " + " ".join(unique[:5]), unique)


def check_rows(table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """The same check for rows written by a Core INSERT (which no flush sees): raises
    :class:`ValidationError` when a value cannot be stored in its column of ``table``."""
    problems: list[str] = []
    for column in table.columns:
        values = [row[column.key] for row in rows if row.get(column.key) is not None]
        texts = [v for v in values if isinstance(v, str)]
        others: list[object] = [
            v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)
            and not (isinstance(v, int) and INT_MIN <= v <= INT_MAX)
            and not (isinstance(v, float) and math.isfinite(v))]
        # Whole columns at once (a search over the joined text, the longest value): a
        # 10,000-row import is checked in milliseconds; only a refused value is looked at
        # one by one, for its message.
        length = getattr(column.type, "length", None)
        if texts and (_CONTROL.search("\n".join(texts)) or (
                isinstance(column.type, String) and length and max(map(len, texts)) > length)):
            others += texts
        for value in others:
            problems.extend(_value_problems(column.key, column.type, value))
    _refuse(problems)


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    problems: list[str] = []
    for obj in list(session.new) + list(session.dirty):
        problems.extend(problems_of(obj))
    _refuse(problems)


def install_guard(factory: sessionmaker[Session]) -> None:
    """Check every new or changed row of sessions of ``factory`` before it is written."""
    event.listen(factory, "before_flush", _before_flush)


_SQLITE_INT = (-(2**63), 2**63 - 1)


def _check_parameters(_conn, _cursor, _statement, parameters, _context, _many) -> None:  # noqa: ANN001
    """SQLite cannot even bind an integer beyond 64 bits (an id typed as 10**30)."""
    rows = parameters if isinstance(parameters, list) else [parameters]
    for row in rows:
        values = row.values() if isinstance(row, dict) else row if isinstance(row, tuple) else ()
        for value in values:
            if isinstance(value, int) and not _SQLITE_INT[0] <= value <= _SQLITE_INT[1]:
                raise ValidationError(f"Số {value} quá lớn.")


def install_parameter_guard(engine: Engine) -> None:
    """Refuse impossible integers before SQLite's driver fails on them (SQLite engines only)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "before_cursor_execute", _check_parameters)
