"""Long work (import, export, backup) off the GUI thread, with progress and cancel.

A job is a plain function ``work(report, cancelled)``: it calls
``report(percent, text)`` now and then and stops early (raising
:class:`JobCancelled`) when ``cancelled()`` turns true. It must not touch widgets
and opens its own database session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from cchc_desktop.errors import UserError

Report = Callable[[int, str], None]
Work = Callable[[Report, Callable[[], bool]], Any]


class JobCancelled(Exception):
    """Raised inside a job when the user pressed "Hủy"."""


class Job(QObject):
    """Runs ``work`` in a worker thread.

    Signals:
        progress(int, str): percent done and what is happening.
        finished(object): the work's result.
        failed(str, bool): a message, and whether it is a bug (True) or a user error.
        cancelled(): the work stopped because the user asked.
    """

    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str, bool)
    cancelled = Signal()

    def __init__(self, work: Work) -> None:
        super().__init__()
        self._work = work
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def run(self) -> None:
        try:
            result = self._work(lambda p, t: self.progress.emit(p, t), lambda: self._cancel)
        except JobCancelled:
            self.cancelled.emit()
        except UserError as exc:
            self.failed.emit(exc.message, False)
        except Exception as exc:  # a bug: logged, shown briefly
            from cchc_desktop.logs import log_exception

            where = log_exception(exc)
            self.failed.emit(f"Đã xảy ra lỗi không mong muốn. Chi tiết được ghi tại {where}.", True)
        else:
            self.finished.emit(result)


class JobOutcome:
    """How a job ended: ``ok`` with ``result``, or ``error`` text, or ``was_cancelled``."""

    def __init__(self) -> None:
        self.ok = False
        self.result: Any = None
        self.error = ""
        self.was_cancelled = False


def run_with_progress(parent: QWidget | None, title: str, work: Work) -> JobOutcome:
    """Run ``work`` in a thread behind a modal progress dialog; the window keeps painting."""
    outcome = JobOutcome()
    dialog = QProgressDialog(title, "Hủy", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = Job(work)
    thread = QThread()
    job.moveToThread(thread)
    loop = QEventLoop()

    def done(result: object) -> None:
        outcome.ok, outcome.result = True, result
        loop.quit()

    def fail(message: str, _bug: bool) -> None:
        outcome.error = message
        loop.quit()

    def stopped() -> None:
        outcome.was_cancelled = True
        loop.quit()

    def progress(percent: int, text: str) -> None:
        dialog.setValue(max(0, min(100, percent)))
        if text:
            dialog.setLabelText(text)

    job.progress.connect(progress)
    job.finished.connect(done)
    job.failed.connect(fail)
    job.cancelled.connect(stopped)
    dialog.canceled.connect(job.cancel, Qt.ConnectionType.DirectConnection)
    thread.started.connect(job.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    job.deleteLater()
    return outcome
