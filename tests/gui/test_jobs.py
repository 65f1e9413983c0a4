"""Background jobs: instant jobs never hang, results, errors and cancel come back."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from cchc_desktop.errors import UserError
from cchc_desktop.gui.common.jobs import JobCancelled, run_with_progress


def test_many_instant_jobs_finish(qtbot) -> None:
    for i in range(50):
        outcome = run_with_progress(None, "Thử", lambda report, cancelled, i=i: i * 2)
        assert outcome.ok and outcome.result == i * 2


def test_work_runs_off_the_gui_thread_and_reports_progress(qtbot) -> None:
    gui_thread = QThread.currentThread()
    seen: list[bool] = []

    def work(report, cancelled):
        seen.append(QThread.currentThread() is not gui_thread)
        for p in range(0, 101, 10):
            report(p, f"{p}%")
        return threading.current_thread().name

    outcome = run_with_progress(None, "Thử", work)
    assert outcome.ok and seen == [True]
    assert outcome.result != threading.main_thread().name


def test_user_error_comes_back_as_message(qtbot) -> None:
    def work(report, cancelled):
        raise UserError("Tệp không đọc được.")

    outcome = run_with_progress(None, "Thử", work)
    assert not outcome.ok and outcome.error == "Tệp không đọc được."


def test_cancelled_job(qtbot) -> None:
    def work(report, cancelled):
        time.sleep(0.01)
        raise JobCancelled

    outcome = run_with_progress(None, "Thử", work)
    assert outcome.was_cancelled and not outcome.ok
