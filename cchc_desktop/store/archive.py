"""One ``.zip`` holding an SQLite database, its evidence files and a manifest of their hashes.

``cchc backup --out FILE.zip`` and "Sao lưu ra..." write it to hand the work to another PC or
person; ``cchc restore FILE.zip`` and the GUI restore take it back. Inside:

* ``manifest.json``: the format and its version, when and by which version it was written,
  and for every other entry its SHA-256 and size; ``missing`` lists the files the database
  referenced that were absent (or altered) in its evidence folder when the archive was made;
* ``database.sqlite3``: a consistent copy made with SQLite's online backup API;
* ``evidence/ab/cdef…``: every file the database references, live or in the trash.

A restore checks everything before anything is replaced: that the file is a zip, that every
name is one of the three shapes above (so no name can point outside the target: zip slip),
that the sizes fit on the disk (a zip bomb is refused before it is unpacked; unpacking never
produces more than the declared size), that every entry matches its hash, that the database
is a sound CCHC Desktop database and that every file it references is in the archive. The
database then goes through :func:`cchc_desktop.store.backup.restore_backup`, with all of its
checks. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cchc_desktop.errors import EnvironmentProblem, ValidationError
from cchc_desktop.store.atomic import TEMP_PREFIX, atomic_path
from cchc_desktop.store.backup import check_backup_file, make_backup, restore_backup
from cchc_desktop.store.evidence_home import (
    CHUNK,
    blob_path,
    evidence_dir,
    file_sha256,
    referenced_digests,
)

FORMAT = "cchc-desktop-archive"
VERSION = 1
MANIFEST = "manifest.json"
DB_ENTRY = "database.sqlite3"
MAX_MANIFEST_BYTES = 32 << 20
MAX_ENTRIES = 500_000
DISK_MARGIN = 64 << 20  # left free after unpacking
_EVIDENCE_ENTRY = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{62})$")


def is_archive(path: Path | str) -> bool:
    """True when ``path`` names a ``.zip`` (the archive, not a plain database copy)."""
    return Path(path).suffix.lower() == ".zip"


@dataclass
class ArchiveSummary:
    """What an archive holds (after writing or restoring it)."""

    path: Path
    files: int
    total_bytes: int
    missing: list[str] = field(default_factory=list)
    kept: Path | None = None  # on restore: the copy of the database it replaced


def write_archive(db_path: Path, out: Path) -> ArchiveSummary:
    """Write the database at ``db_path`` and its evidence into the zip ``out``, atomically.

    A file the database references but which is absent or altered in its evidence folder is
    not written and is listed in the manifest's ``missing`` (and in the summary).
    """
    db_path, out = Path(db_path), Path(out)
    if not db_path.is_file():
        raise EnvironmentProblem(f"Không tìm thấy cơ sở dữ liệu để sao lưu: {db_path}")
    if not out.parent.is_dir():
        raise EnvironmentProblem(f"Thư mục không tồn tại: {out.parent}")
    home = evidence_dir(db_path)
    entries: dict[str, dict[str, object]] = {}
    missing: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="cchc-archive-") as scratch:
            copy = make_backup(db_path, Path(scratch) / DB_ENTRY)
            digests = sorted(referenced_digests(copy))
            with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", allowZip64=True) as archive:
                entries[DB_ENTRY] = _add(archive, copy, DB_ENTRY, zipfile.ZIP_DEFLATED)
                for digest in digests:
                    source = blob_path(home, digest)
                    name = f"evidence/{digest[:2]}/{digest[2:]}"
                    # Absent, or altered on disk (its bytes are no longer the evidence).
                    if not source.is_file() or file_sha256(source) != digest:
                        missing.append(digest)
                        continue
                    entries[name] = _add(archive, source, name, zipfile.ZIP_STORED)
                manifest = {
                    "format": FORMAT, "version": VERSION,
                    "created_at": datetime.now().isoformat(timespec="seconds"),
                    "app_version": _app_version(), "database": db_path.name,
                    "files": entries, "missing": missing,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    except OSError as exc:
        raise _environment(exc, "Không ghi được tệp sao lưu") from exc
    total = sum(int(str(e["size"])) for e in entries.values())
    return ArchiveSummary(out, len(entries) - 1, total, missing)


def _add(archive: zipfile.ZipFile, source: Path, name: str, method: int) -> dict[str, object]:
    """Stream ``source`` into ``archive`` as ``name``; return its SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = method
    large = source.stat().st_size > (1 << 30)
    with source.open("rb") as src, archive.open(info, "w", force_zip64=large) as dst:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _app_version() -> str:
    from cchc_desktop import __version__

    return __version__


def _environment(exc: OSError, what: str) -> EnvironmentProblem:
    if exc.errno == 28:
        return EnvironmentProblem(f"{what}: ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại.")
    if isinstance(exc, PermissionError):
        return EnvironmentProblem(f"{what}: không có quyền ghi vào thư mục. ({exc})")
    return EnvironmentProblem(f"{what}: {exc}")


# -- taking it back -----------------------------------------------------------------------


def _refuse(archive: Path, why: str) -> ValidationError:
    return ValidationError(f"Gói sao lưu {archive.name} không dùng được: {why}. "
                           "Dữ liệu hiện tại không bị thay đổi.")


def _read_manifest(
    archive: Path, zf: zipfile.ZipFile,
) -> tuple[dict[str, dict[str, object]], list[str]]:
    """Check the names and the manifest; return its ``files`` table and ``missing`` list."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(archive, f"quá nhiều tệp ({len(infos)})")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise _refuse(archive, "có tên tệp trùng nhau")
    for name in names:
        if name not in (MANIFEST, DB_ENTRY) and not _EVIDENCE_ENTRY.match(name):
            raise _refuse(archive, f"có tệp lạ hoặc đường dẫn không hợp lệ ({name[:80]!r})")
    if MANIFEST not in names:
        raise _refuse(archive, "không có danh mục manifest.json (không phải gói của CCHC Desktop)")
    if zf.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
        raise _refuse(archive, "danh mục manifest.json quá lớn")
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refuse(archive, "danh mục manifest.json hỏng") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(archive, "không phải gói sao lưu của CCHC Desktop")
    if manifest.get("version") != VERSION:
        raise _refuse(archive, f"gói phiên bản {manifest.get('version')!r}, chương trình này "
                      f"chỉ đọc được phiên bản {VERSION}")
    files = manifest.get("files")
    if not isinstance(files, dict) or DB_ENTRY not in files:
        raise _refuse(archive, "danh mục không có cơ sở dữ liệu")
    listed = set(files)
    present = set(names) - {MANIFEST}
    if listed - present:
        raise _refuse(archive, f"thiếu tệp {sorted(listed - present)[0]}")
    if present - listed:
        raise _refuse(archive, f"tệp {sorted(present - listed)[0]} không có trong danh mục")
    for name, entry in files.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
                and isinstance(entry.get("size"), int)):
            raise _refuse(archive, f"danh mục hỏng ở {name}")
        match = _EVIDENCE_ENTRY.match(name)
        if match and entry["sha256"] != match[1] + match[2]:
            raise _refuse(archive, f"tên và mã băm của {name} không khớp")
        if zf.getinfo(name).file_size != entry["size"]:
            raise _refuse(archive, f"kích thước của {name} không khớp danh mục")
    missing = manifest.get("missing", [])
    if not isinstance(missing, list):
        raise _refuse(archive, "danh mục hỏng (missing)")
    return files, [m for m in missing if isinstance(m, str)]


def _unpack(archive: Path, zf: zipfile.ZipFile, name: str, size: int, target: Path) -> str:
    """Copy one entry to ``target`` (never more than ``size`` bytes); return its SHA-256."""
    digest = hashlib.sha256()
    written = 0
    with zf.open(name) as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > size:
                raise _refuse(archive, f"{name} lớn hơn kích thước khai báo")
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def restore_archive(db_path: Path, archive: Path) -> ArchiveSummary:
    """Replace the database at ``db_path`` and add the evidence files of ``archive``.

    Every check is made before anything changes (see the module docstring); a refused
    archive raises :class:`ValidationError` (or :class:`EnvironmentProblem` for a machine
    problem) and leaves the database and its evidence folder as they were. Evidence files
    already in the folder are kept; the replaced database is kept as a ``before-restore``
    backup, whose files stay too. The caller must have closed every connection to ``db_path``.
    """
    db_path, archive = Path(db_path), Path(archive)
    if not archive.is_file():
        raise EnvironmentProblem(f"Không tìm thấy tệp: {archive}")
    home = evidence_dir(db_path)
    home.mkdir(parents=True, exist_ok=True)
    try:
        # The staging folder is inside the evidence folder, so files are renamed into place
        # (same disk); a killed restore leaves a TEMP_PREFIX folder that the next open removes.
        with tempfile.TemporaryDirectory(dir=home, prefix=TEMP_PREFIX + "restore-") as staging:
            summary, staged = _check_and_unpack(archive, Path(staging))
            placed = _place(staged, home)
            try:
                summary.kept = restore_backup(db_path, Path(staging) / DB_ENTRY)
            except BaseException:
                for path in placed:  # they were not there before: leave the folder as it was
                    path.unlink(missing_ok=True)
                raise
    except OSError as exc:
        raise _environment(exc, "Không khôi phục được gói sao lưu") from exc
    return summary


def _check_and_unpack(archive: Path, staging: Path) -> tuple[ArchiveSummary, dict[str, Path]]:
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise _refuse(archive, "không phải tệp .zip hợp lệ") from exc
    with zf:
        files, missing = _read_manifest(archive, zf)
        total = sum(int(str(e["size"])) for e in files.values())
        free = shutil.disk_usage(staging).free
        if total + DISK_MARGIN > free:
            raise _refuse(archive, f"cần {total / 1048576:.0f} MB để giải nén, ổ đĩa chỉ còn "
                          f"{free / 1048576:.0f} MB")
        staged: dict[str, Path] = {}
        try:
            for name, entry in files.items():
                target = staging / (DB_ENTRY if name == DB_ENTRY else name.replace("/", "_"))
                digest = _unpack(archive, zf, name, int(str(entry["size"])), target)
                if digest != entry["sha256"]:
                    raise _refuse(archive, f"{name} bị thay đổi (mã băm không khớp)")
                if name != DB_ENTRY:
                    staged[digest] = target
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise _refuse(archive, f"nội dung nén bị hỏng ({exc})") from exc
    try:
        check_backup_file(staging / DB_ENTRY)
        needed = referenced_digests(staging / DB_ENTRY)
    except (EnvironmentProblem, sqlite3.Error) as exc:
        raise _refuse(archive, f"cơ sở dữ liệu bên trong không dùng được ({exc})") from exc
    absent = sorted(needed - set(staged) - set(missing))
    if absent:
        raise _refuse(archive, f"thiếu {len(absent)} tệp kiểm chứng mà dữ liệu cần "
                      f"(ví dụ {absent[0][:12]})")
    summary = ArchiveSummary(archive, len(staged), total, sorted(set(missing) & needed))
    return summary, staged


def _place(staged: dict[str, Path], home: Path) -> list[Path]:
    """Rename staged files into the evidence folder; return those that were not there."""
    placed: list[Path] = []
    for digest, source in staged.items():
        target = blob_path(home, digest)
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        placed.append(target)
    return placed
