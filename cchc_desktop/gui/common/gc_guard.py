"""Python's garbage collection in the GUI thread only.

A collection runs in whichever thread happens to allocate when the counts pass their
thresholds. When that is a worker thread (a report draft, a count, a backup) and the garbage
holds a Qt object caught in a reference cycle, the object is destroyed there: its destructor
takes Qt's lock and then waits for the interpreter, which the GUI thread holds while it waits
for that same lock. The program freezes. So automatic collection is switched off and a timer
in the GUI thread collects as the thresholds say (as Anki's GarbageCollector does).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


def collect_due() -> int:
    """Collect the oldest generation whose count has passed its threshold (as Python would
    on its own); returns the generation collected, or -1."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [g for g in range(3) if counts[g] > thresholds[g]]
    if not due:
        return -1
    gc.collect(due[-1])
    return due[-1]


def collect_in_gui_thread(owner: QObject) -> QTimer:
    """Switch automatic collection off; a timer owned by ``owner`` collects instead."""
    gc.disable()
    timer = QTimer(owner)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(collect_due)
    timer.start()
    return timer
