"""Start-up probe for bench/bench_startup.py (a PyInstaller runtime hook; inert by default).

With ``CCHC_STARTUP_PROBE=<file>`` in the environment, the GUI writes the wall-clock time
(``time.time()``) at which its event loop has shown the first window into ``<file>`` and
quits. The main window is shown before its database is open: a second line
``ready <time>`` is then written when the database is attached (its ``database_ready``
signal), before quitting. The same file is run before the source GUI, so both runs are
measured alike.
"""

import os


def _install_probe(target: str) -> None:
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    original_exec = QApplication.exec

    def exec_and_report(*_args):
        def ready() -> None:
            with open(target, "a", encoding="utf-8") as out:
                out.write(f"ready {time.time():.6f}\n")
            QApplication.quit()

        def report() -> None:
            shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
            with open(target, "w", encoding="utf-8") as out:
                out.write(f"{time.time():.6f} {len(shown)}\n")
            loading = [w for w in shown
                       if hasattr(w, "database_ready") and getattr(w, "ctx", 1) is None]
            if loading:
                loading[0].database_ready.connect(lambda: QTimer.singleShot(0, ready))
            else:
                QApplication.quit()

        QTimer.singleShot(0, report)
        return original_exec()

    QApplication.exec = staticmethod(exec_and_report)  # exec() is static in PySide6


if os.environ.get("CCHC_STARTUP_PROBE"):
    _install_probe(os.environ["CCHC_STARTUP_PROBE"])
