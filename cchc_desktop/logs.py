"""Logging to a file in the data folder, for the errors that are our bugs.

The file rotates: at :data:`MAX_BYTES` it becomes ``cchc-desktop.log.1`` (and so on up to
:data:`BACKUP_COUNT` old files), so years of use never fill the disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path

LOG_NAME = "cchc-desktop.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5


def log_file() -> Path:
    """Where unexpected errors are written."""
    from cchc_desktop.store.sqlite_file import data_dir

    return data_dir() / LOG_NAME


def log_exception(exc: BaseException) -> Path:
    """Append ``exc`` with its traceback to the log file; returns the file's path."""
    path = log_file()
    logger = logging.getLogger("cchc_desktop.errors")
    current = [h for h in logger.handlers if isinstance(h, logging.FileHandler)]
    if current and Path(current[0].baseFilename) != path.resolve():  # another data folder
        for old in current:
            logger.removeHandler(old)
            old.close()
        current = []
    if not current:
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.error("".join(traceback.format_exception(exc)))
    return path
