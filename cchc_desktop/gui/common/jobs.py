"""Long work (import, export, backup) off the GUI thread, with progress and cancel.

A job is a plain function ``work(report, cancelled)``: it calls
``report(percent, text)`` now and then and stops early (raising
:class:`JobCancelled`, or the services' :class:`~cchc_desktop.errors.Cancelled`) when
``cancelled()`` turns true. It must not touch widgets and opens its own database session.

While a job runs the window takes no clicks or keys (even before the progress dialog shows);
the dialog appears after :data:`SHOW_AFTER_MS` with a busy bar until the job reports a percent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from cchc_desktop.errors import Cancelled, UserError

Report = Callable[[int, str], None]
Work = Callable[[Report, Callable[[], bool]], Any]


SHOW_AFTER_MS = 300
"""How long a job runs before its progress dialog shows."""


class JobCancelled(Cancelled):
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
        self.error: BaseException | None = None  # what made the work fail, for callers

    def cancel(self) -> None:
        self._cancel = True

    def run(self) -> None:
        try:
            result = self._work(lambda p, t: self.progress.emit(p, t), lambda: self._cancel)
        except Cancelled:
            self.cancelled.emit()
        except UserError as exc:
            self.error = exc
            self.failed.emit(exc.message, False)
        except Exception as exc:  # a bug: logged, shown briefly
            from cchc_desktop.logs import log_exception
            from cchc_desktop.store.db_errors import describe_database_error

            self.error = exc
            where = log_exception(exc)
            known = describe_database_error(exc)  # a database's refusal is no bug
            if known is not None:
                self.failed.emit(known, False)
                return
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


class _Relay(QObject):
    """Lives in the GUI thread: the job's signals reach these slots queued, so the
    dialog is only touched from the GUI thread and an instant job's end is never
    lost (the slot runs inside the event loop, after ``loop.exec()`` started)."""

    def __init__(self, dialog: QProgressDialog, loop: QEventLoop, outcome: JobOutcome) -> None:
        super().__init__()
        self._dialog, self._loop, self._outcome = dialog, loop, outcome

    @Slot(int, str)
    def progress(self, percent: int, text: str) -> None:
        if self._dialog.maximum() == 0:  # the first percent ends the busy bar
            self._dialog.setRange(0, 100)
        self._dialog.setValue(max(0, min(100, percent)))
        if text:
            self._dialog.setLabelText(text)

    @Slot(object)
    def done(self, result: object) -> None:
        self._outcome.ok, self._outcome.result = True, result
        self._loop.quit()

    @Slot(str, bool)
    def fail(self, message: str, _bug: bool) -> None:
        self._outcome.error = message
        self._loop.quit()

    @Slot()
    def stopped(self) -> None:
        self._outcome.was_cancelled = True
        self._loop.quit()


_INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
    QEvent.Type.Wheel, QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride,
    QEvent.Type.ContextMenu, QEvent.Type.Drop,
})


class _InputBlocker(QObject):
    """Swallows clicks, keys and shortcuts meant for anything but the progress dialog.

    A window-modal dialog only blocks once it shows; this blocks from the job's first moment.
    """

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__()
        self._dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() not in _INPUT_EVENTS:
            return False
        if isinstance(watched, QWidget) and (
                watched is self._dialog or self._dialog.isAncestorOf(watched)):
            return False
        return True


def run_with_progress(parent: QWidget | None, title: str, work: Work, *,
                      cancellable: bool = True) -> JobOutcome:
    """Run ``work`` in a thread behind a modal progress dialog; the window keeps painting.

    The window takes no input meanwhile; the dialog shows after :data:`SHOW_AFTER_MS` (a busy
    bar until ``work`` reports a percent); "Hủy" asks the work to stop (``cancelled()``).
    With ``cancellable=False`` (work that cannot stop halfway) there is no "Hủy".
    """
    outcome = JobOutcome()
    dialog = QProgressDialog(title, "Hủy", 0, 0, parent)  # busy until a percent comes
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    ended: list[bool] = []

    def stay_up() -> None:
        """"Hủy", Esc or the close box: the dialog stays, saying so, until the work stops."""
        if cancellable:
            dialog.setLabelText("Đang dừng, chưa ghi gì...")
        QTimer.singleShot(0, dialog, show_again)

    def show_again() -> None:
        if not ended:
            dialog.show()

    dialog.canceled.disconnect(dialog.cancel)
    dialog.canceled.connect(stay_up)
    shower = QTimer()
    shower.setSingleShot(True)
    shower.timeout.connect(dialog.show)
    shower.start(SHOW_AFTER_MS)
    blocker = _InputBlocker(dialog)
    app = QApplication.instance()
    if app is not None:
        app.installEventFilter(blocker)
    job = Job(work)
    thread = QThread()
    job.moveToThread(thread)
    loop = QEventLoop()
    relay = _Relay(dialog, loop, outcome)
    queued = Qt.ConnectionType.QueuedConnection
    job.progress.connect(relay.progress, queued)
    job.finished.connect(relay.done, queued)
    job.failed.connect(relay.fail, queued)
    job.cancelled.connect(relay.stopped, queued)
    if cancellable:
        dialog.canceled.connect(job.cancel, Qt.ConnectionType.DirectConnection)
    thread.started.connect(job.run)
    thread.start()
    try:
        loop.exec()
    finally:
        ended.append(True)
        shower.stop()
        if app is not None:
            app.removeEventFilter(blocker)
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    job.deleteLater()
    relay.deleteLater()
    return outcome


class Background(QObject):
    """Work running in a worker thread with no dialog; its end is delivered in the GUI thread.

    Made by :func:`run_in_background`; keep a reference until it ends (``running`` is then
    False). ``on_done(result)`` or ``on_fail(message, error)`` is called in the GUI thread.
    """

    def __init__(self, work: Callable[[], Any], on_done: Callable[[Any], None],
                 on_fail: Callable[[str, BaseException | None], None]) -> None:
        super().__init__()
        self._on_done, self._on_fail = on_done, on_fail
        self._job = Job(lambda _report, _cancelled: work())
        self._thread = QThread()
        self._job.moveToThread(self._thread)
        queued = Qt.ConnectionType.QueuedConnection
        # The thread's loop ends as soon as the work does, from the worker itself: wait()
        # returns even while the GUI thread is blocked in it (closing the window).
        direct = Qt.ConnectionType.DirectConnection
        self._job.finished.connect(self._thread.quit, direct)
        self._job.failed.connect(self._thread.quit, direct)
        self._job.finished.connect(self._done, queued)
        self._job.failed.connect(self._fail, queued)
        self._thread.started.connect(self._job.run)
        self._thread.start()

    @property
    def running(self) -> bool:
        """True while the work runs in its thread."""
        return self._thread.isRunning()

    def _stop(self) -> None:
        self._thread.quit()
        self._thread.wait()

    @Slot(object)
    def _done(self, result: object) -> None:
        self._stop()
        on_done = self._on_done
        self._forget_callbacks()
        on_done(result)

    @Slot(str, bool)
    def _fail(self, message: str, _bug: bool) -> None:
        self._stop()
        on_fail = self._on_fail
        self._forget_callbacks()
        on_fail(message, self._job.error)

    def _forget_callbacks(self) -> None:
        # A caller's callback often names this object (to tell a stale job from the live
        # one): keeping it would make a reference cycle, freed only by a collection.
        self._on_done = _ignore
        self._on_fail = _ignore

    def wait(self) -> None:
        """Block until the worker thread has finished (closing the window while it runs)."""
        self._thread.wait()


def _ignore(*_args: object) -> None:
    """A callback that has already been called."""


def run_in_background(work: Callable[[], Any], on_done: Callable[[Any], None],
                      on_fail: Callable[[str, BaseException | None], None]) -> Background:
    """Start ``work()`` in a worker thread and return at once; see :class:`Background`."""
    return Background(work, on_done, on_fail)
