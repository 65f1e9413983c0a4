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


def test_silent_job_shows_a_busy_dialog_and_cancel_really_stops(qtbot) -> None:
    """A job that reports nothing still gets its dialog (busy bar); "Hủy" keeps it up
    until the work has stopped, and the work sees the request."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    seen: dict[str, object] = {}

    def press_cancel() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and w.isVisible()]
        seen["shown"] = len(dialogs)
        if dialogs:
            seen["busy"] = dialogs[0].maximum() == 0
            dialogs[0].canceled.emit()
            QTimer.singleShot(50, lambda: seen.__setitem__("still_up", dialogs[0].isVisible()))

    def work(report, cancelled):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if cancelled():
                time.sleep(0.2)  # stopping takes a moment: the dialog stays meanwhile
                raise JobCancelled
            time.sleep(0.01)
        return "not stopped"

    QTimer.singleShot(600, press_cancel)
    outcome = run_with_progress(None, "Thử", work)
    assert outcome.was_cancelled and not outcome.ok
    assert seen == {"shown": 1, "busy": True, "still_up": True}


def test_window_takes_no_clicks_while_a_job_runs(qtbot) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("Xóa")
    qtbot.addWidget(button)
    button.show()
    clicks: list[int] = []
    button.clicked.connect(lambda: clicks.append(1))
    QTimer.singleShot(50, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton))
    outcome = run_with_progress(button, "Thử", lambda r, c: time.sleep(0.3) or 1)
    assert outcome.ok and clicks == []
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # after the job: clicks work again
    assert clicks == [1]


def test_a_job_that_cannot_stop_has_no_cancel_button(qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    seen: list[list[str]] = []

    def look() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QProgressDialog) and w.isVisible():
                seen.append([b.text() for b in w.findChildren(QPushButton) if b.isVisible()])
                w.close()  # the close box: the dialog stays while the work runs
                QTimer.singleShot(50, lambda w=w: seen.append([str(w.isVisible())]))

    QTimer.singleShot(500, look)
    outcome = run_with_progress(None, "Thử", lambda r, c: time.sleep(0.9) or 7, cancellable=False)
    assert outcome.ok and outcome.result == 7
    assert seen == [[], ["True"]]


def test_a_background_job_forgets_its_callbacks_once_it_has_ended(qtbot):
    # A callback naming its job makes a cycle that only a collection would free, perhaps in
    # a worker thread; the job drops its callbacks once they have been called.
    import gc
    import weakref

    from cchc_desktop.gui.common.jobs import run_in_background

    results: list[object] = []
    job = None

    def done(result: object) -> None:
        results.append((result, job is not None))

    job = run_in_background(lambda: 42, done, lambda _m, _e: None)
    qtbot.waitUntil(lambda: results == [(42, True)], timeout=5000)
    gone = weakref.ref(job)
    job = None
    assert gone() is None  # freed at once by reference counting, in this thread
    gc.collect()


def test_the_program_collects_garbage_in_the_gui_thread_only(qtbot):
    import gc

    from PySide6.QtCore import QObject

    from cchc_desktop.gui.common import gc_guard

    owner = QObject()
    try:
        timer = gc_guard.collect_in_gui_thread(owner)
        assert not gc.isenabled() and timer.isActive()
        for _ in range(gc.get_threshold()[0] + 10):
            a: list[object] = []
            a.append(a)  # cyclic garbage
        assert gc_guard.collect_due() >= 0
        assert gc_guard.collect_due() == -1  # nothing due right after
    finally:
        gc.enable()
        gc.collect()
