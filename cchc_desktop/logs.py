"""Logging to a file in the data folder, for the errors that are our bugs."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

LOG_NAME = "cchc-desktop.log"


def log_file() -> Path:
    """Where unexpected errors are written."""
    from cchc_desktop.store.db import data_dir

    return data_dir() / LOG_NAME


def log_exception(exc: BaseException) -> Path:
    """Append ``exc`` with its traceback to the log file; returns the file's path."""
    path = log_file()
    logger = logging.getLogger("cchc_desktop.errors")
    if not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.error("".join(traceback.format_exception(exc)))
    return path
