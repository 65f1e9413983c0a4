"""At start-up: remove the temporary files that killed writes left in our folders.

Every file is written through :mod:`cchc_desktop.store.atomic`; a process killed while
writing (an export, a backup) leaves a ``.cchc-tmp-*`` file beside its target. The folders
we know we write into are cleaned when the application or the CLI starts: the per-user data
folder, the database's folder and its backups folder. Export folders are cleaned each time
a file is written there (:func:`cchc_desktop.store.file_errors.written_atomically`).
Standard library only, and never an error: a folder that cannot be read is skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

from cchc_desktop.store.atomic import clean_leftovers

__all__ = ["clean_start_folders"]


def clean_start_folders(target: str | None) -> list[Path]:
    """Clean the data folder and, for an SQLite ``target``, its folder and backups folder.

    ``target`` is what ``--db`` names (None: ``CCHC_DB`` or the default). Folders on a
    network share are left alone (listing them can be slow). Returns the removed files.
    """
    from platformdirs import user_data_dir

    from cchc_desktop.store.backup import backups_dir
    from cchc_desktop.store.sqlite_file import (
        APP_DIR_NAME,
        chosen_target,
        network_share_reason,
        sqlite_file_for,
    )

    removed: list[Path] = []
    try:
        # The data folder's place without creating it (data_dir() would): cleaning makes nothing.
        override = os.environ.get("CCHC_DATA_DIR")
        folders = [Path(override) if override else Path(user_data_dir(APP_DIR_NAME,
                                                                       appauthor=False))]
        path = sqlite_file_for(target)
        if path is not None and not (network_share_reason(chosen_target(target))
                                     or network_share_reason(str(path))):
            folders += [path.parent, backups_dir(path)]
        for folder in dict.fromkeys(folders):
            removed += clean_leftovers(folder)
    except OSError:
        pass
    return removed
