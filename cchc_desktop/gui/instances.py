"""One program per database: a second start on the same database brings the first window up.

The first program to open a database holds a lock file named after it (QLockFile, in the
user's temporary folder) and listens on a local socket of the same name. A second start on
the same database finds the lock held, sends ``activate`` over the socket and exits: the
user sees the window that is already open instead of a second writer. A program that was
killed leaves a lock whose process is gone; QLockFile takes that for stale and the next start
becomes the first. When the lock is held but nobody answers (the first program is stuck), the
start goes on and the "opened elsewhere" warning of :mod:`cchc_desktop.gui.startup` speaks.

The names are hashed from the OS user and the database's identity
(:func:`cchc_desktop.store.targets.identity`), so two users of one PC never meet here. The
client side needs no QApplication: the check runs before the window's libraries load.
"""

from __future__ import annotations

import getpass
import hashlib
import time
from collections.abc import Callable

from PySide6.QtCore import QDir, QLockFile, QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE = b"activate\n"
ANSWER = b"ok\n"
ANSWER_TIMEOUT_MS = 5000


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (a service, a container)
        return "?"


def instance_name(identity: str) -> str:
    """The local socket's (and lock file's) name for the database ``identity``."""
    digest = hashlib.sha256(f"{_os_user()}\0{identity}".encode()).hexdigest()[:24]
    return f"cchc-desktop-{digest}"


def ask_to_activate(name: str, timeout_ms: int = 3000) -> bool:
    """Ask the program listening on ``name`` to bring its window up; True when it answered.

    Tries to connect for up to ``timeout_ms`` (the first program may be starting and not
    listening yet), then waits for its answer.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(200):
            break
        socket.abort()
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    _allow_foreground()
    socket.write(ACTIVATE)
    answered = (socket.waitForBytesWritten(ANSWER_TIMEOUT_MS)
                and socket.waitForReadyRead(ANSWER_TIMEOUT_MS)
                and bytes(socket.readAll().data()).startswith(ANSWER))
    socket.abort()
    return bool(answered)


def _allow_foreground() -> None:
    """Windows lets only the foreground program raise a window: lend it to the first one."""
    import sys

    if sys.platform == "win32":
        import ctypes

        asfw_any = -1
        ctypes.windll.user32.AllowSetForegroundWindow(asfw_any)  # type: ignore[attr-defined]


class InstanceLock(QObject):
    """This program holds a database for the one-program-per-database rule.

    :meth:`acquire` takes the lock (no QApplication needed); :meth:`listen` then answers
    other starts on the same database by calling ``on_activate()`` (needs a QApplication).

    Attributes:
        name: the lock's and the local socket's name (:func:`instance_name`).
        held: True while the lock is held.
    """

    def __init__(self, identity: str) -> None:
        super().__init__()
        self.name = instance_name(identity)
        self._lock = QLockFile(QDir(QDir.tempPath()).filePath(f"{self.name}.lock"))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None
        self._on_activate: Callable[[], None] | None = None
        self.held = False

    def acquire(self) -> bool:
        """Take the lock without waiting; False when a live program holds it."""
        self.held = self._lock.tryLock(0)
        return self.held

    def listen(self, on_activate: Callable[[], None]) -> bool:
        """Answer ``activate`` from other starts; False when the socket could not be made."""
        self._on_activate = on_activate
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)  # a killed holder's socket file (we hold the lock)
        if not server.listen(self.name):
            server.deleteLater()
            return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def _accept(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        if line == ACTIVATE and self._on_activate is not None:
            socket.write(ANSWER)
            socket.flush()
            self._on_activate()

    def release(self) -> None:
        """Stop answering and drop the lock (idempotent)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self.held:
            self._lock.unlock()
            self.held = False


def claim(identity: str) -> InstanceLock | None:
    """Hold ``identity`` for this program, or bring up the program that holds it.

    Returns the held lock; None when another program holds the database and answered
    (its window is being brought to the front: this start should end). When the holder
    does not answer, the lock is returned unheld and the start goes on.
    """
    lock = InstanceLock(identity)
    if lock.acquire() or not ask_to_activate(lock.name):
        return lock
    return None
