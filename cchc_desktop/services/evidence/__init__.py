"""The evidence store (tài liệu kiểm chứng): files the application owns, kept once by SHA-256.

Where the bytes live depends on the database:

* **SQLite (one PC):** files in a folder beside the database file, named after it
  (``cchc.sqlite3`` → ``cchc.sqlite3.evidence/ab/cdef…``, see
  :mod:`cchc_desktop.store.evidence_home`), named by their SHA-256 (the first two hex digits
  are a folder, so no folder holds more than a few hundred files). A user's file name is
  stored in the database and never used as a path. Copying the database with its folder, or
  a ``.zip`` archive (:mod:`cchc_desktop.store.archive`), moves the work.
* **PostgreSQL (shared server):** the bytes go into the ``evidence_blobs`` table
  (``bytea``). Every client that reaches the database reaches the evidence, with the
  same permissions, inside the same transaction as the rows that describe it, and
  ``pg_dump`` backs both up together. A shared network folder was the alternative; it
  was rejected because office PCs map it under different drive letters and user
  accounts, and because a file and its database row could then disagree after a
  crash. The cost is a larger database; evidence files are a few MB each and capped by
  the ``evidence_max_mb`` setting, so a year's evidence stays in the hundreds of MB.

Deleting a file moves it to the trash (thùng rác, table ``evidence_trash``): its row
and links become one trash row, the bytes stay in the blob store, and
:meth:`EvidenceStore.restore_from_trash` brings it back. Only :meth:`EvidenceStore.purge`
and :meth:`EvidenceStore.empty_trash` delete for good, and they remove the bytes only
when no live file and no other trash row has the same SHA-256 and, for the file store,
no kept backup of the database (``backups/`` beside it) references them: restoring any
kept backup gives a database whose files are all there. The live tables never
hold trashed files, so nothing that reads evidence needs to know about the trash.

Services take an open Session and never commit. With the file backend a new file is
written before the row (an orphan file after a rollback is harmless: the next add of
the same bytes reuses it); a purged file is removed only after the commit.

The package is split by responsibility: ``records`` (the plain data the services return),
``blobs`` (where bytes live), ``reading``, ``trash``, ``verify``, ``bundle`` (the parts of
:class:`EvidenceStore`) and ``store`` (adding and linking, settings, link choices).
"""

from cchc_desktop.services.evidence.blobs import (
    CHUNK,
    BlobBackend,
    FileBlobs,
    TableBlobs,
    default_backend,
    sha256_of,
)
from cchc_desktop.services.evidence.bundle import INDEX_NAME
from cchc_desktop.services.evidence.records import (
    TARGET_KINDS,
    TARGET_MODELS,
    EvidenceInfo,
    LinkInfo,
    LinkTarget,
    Progress,
    RestoreResult,
    TrashedLink,
    TrashInfo,
    VerifyReport,
)
from cchc_desktop.services.evidence.store import (
    DEFAULT_MAX_MB,
    MAX_MB_KEY,
    EvidenceStore,
    criterion_target,
    link_choices,
    max_size_mb,
    set_max_size_mb,
)

__all__ = [
    "CHUNK", "DEFAULT_MAX_MB", "INDEX_NAME", "MAX_MB_KEY", "TARGET_KINDS", "TARGET_MODELS",
    "BlobBackend", "EvidenceInfo", "EvidenceStore", "FileBlobs", "LinkInfo", "LinkTarget",
    "Progress", "RestoreResult", "TableBlobs", "TrashInfo", "TrashedLink", "VerifyReport",
    "criterion_target", "default_backend", "link_choices", "max_size_mb", "set_max_size_mb",
    "sha256_of",
]
