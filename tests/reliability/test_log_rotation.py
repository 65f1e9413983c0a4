"""The error log rotates instead of growing for ever."""

from __future__ import annotations

import pytest

from cchc_desktop import logs


def test_the_log_rotates_and_keeps_a_few_old_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    monkeypatch.setattr(logs, "BACKUP_COUNT", 2)
    for i in range(60):
        try:
            raise ValueError(f"lỗi số {i} " + "x" * 200)
        except ValueError as exc:
            where = logs.log_exception(exc)
    folder = where.parent
    names = sorted(p.name for p in folder.glob(f"{logs.LOG_NAME}*"))
    assert names == [logs.LOG_NAME, f"{logs.LOG_NAME}.1", f"{logs.LOG_NAME}.2"]
    assert all(p.stat().st_size <= 2000 + 2000 for p in folder.glob(f"{logs.LOG_NAME}*"))
    assert "lỗi số 59" in where.read_text("utf-8")
