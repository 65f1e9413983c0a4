"""Each SQLite database keeps its evidence beside it; files of the old shared folder are adopted."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from cchc_desktop.services.evidence import EvidenceStore
from cchc_desktop.store.atomic import TEMP_PREFIX
from cchc_desktop.store.backup import make_backup, restore_backup
from cchc_desktop.store.db import Database, open_database
from cchc_desktop.store.evidence_home import (
    ADOPTED_MARKER,
    DEFERRED_LIST,
    adopt_shared_files,
    blob_path,
    evidence_dir,
    legacy_dir,
    referenced_digests,
)


def opened(path: Path) -> Database:
    return open_database(str(path), auto_backup=False)


def add(db: Database, folder: Path, name: str, data: bytes) -> str:
    source = folder / name
    source.write_bytes(data)
    with db.session() as s:
        return EvidenceStore(s).add_file(source).sha256


def delete_all_and_empty_trash(db: Database) -> None:
    with db.session() as s:
        store = EvidenceStore(s)
        for info in store.list():
            store.delete(info.id)
    with db.session() as s:
        EvidenceStore(s).empty_trash()


def verify_ok(db: Database) -> bool:
    with db.session() as s:
        return EvidenceStore(s).verify().ok


def files_under(root: Path) -> set[str]:
    return {p.parent.name + p.name for p in root.rglob("*") if p.is_file() and len(p.name) == 62}


def test_the_folder_is_beside_the_database_and_named_after_it(tmp_path: Path) -> None:
    db = opened(tmp_path / "so-noi-vu.sqlite3")
    sha = add(db, tmp_path, "kh.pdf", b"ke hoach")
    db.close()
    home = tmp_path / "so-noi-vu.sqlite3.evidence"
    assert evidence_dir(tmp_path / "so-noi-vu.sqlite3") == home
    assert blob_path(home, sha).read_bytes() == b"ke hoach"
    assert not legacy_dir().exists()


def test_emptying_the_trash_of_one_database_never_removes_a_file_another_uses(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = opened(tmp_path / "a" / "cchc.sqlite3"), opened(tmp_path / "b" / "cchc.sqlite3")
    same = add(first, tmp_path, "chung.pdf", b"the same file in both")
    assert add(second, tmp_path, "chung.pdf", b"the same file in both") == same
    only_b = add(second, tmp_path, "rieng.pdf", b"only in b")
    delete_all_and_empty_trash(first)
    assert not blob_path(evidence_dir(tmp_path / "a" / "cchc.sqlite3"), same).exists()
    assert verify_ok(second)
    assert files_under(evidence_dir(tmp_path / "b" / "cchc.sqlite3")) == {same, only_b}
    first.close()
    second.close()


def test_a_copied_database_with_its_folder_verifies_elsewhere(tmp_path: Path) -> None:
    db = opened(tmp_path / "cchc.sqlite3")
    add(db, tmp_path, "kh.pdf", b"plan")
    db.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copy2(tmp_path / "cchc.sqlite3", usb / "cchc.sqlite3")
    shutil.copytree(evidence_dir(tmp_path / "cchc.sqlite3"), evidence_dir(usb / "cchc.sqlite3"))
    shutil.rmtree(evidence_dir(tmp_path / "cchc.sqlite3"))
    copy = opened(usb / "cchc.sqlite3")
    assert verify_ok(copy)
    copy.close()


def make_legacy(tmp_path: Path, *paths: Path) -> None:
    """Put the databases' files back into the old shared folder, as an older version had them."""
    shared = legacy_dir()
    for path in paths:
        home = evidence_dir(path)
        for blob in home.rglob("*"):
            if blob.is_file() and len(blob.name) == 62:
                target = shared / blob.parent.name / blob.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(blob, target)
        shutil.rmtree(home)


def test_opening_adopts_the_files_of_the_old_shared_folder_and_leaves_it_as_it_was(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    first, second = opened(a), opened(b)
    shared = add(first, tmp_path, "chung.pdf", b"shared by a and b")
    add(second, tmp_path, "chung.pdf", b"shared by a and b")
    only_a = add(first, tmp_path, "a.pdf", b"a only")
    only_b = add(second, tmp_path, "b.pdf", b"b only")
    with first.session() as s:  # a trashed file is adopted too: it can be restored
        store = EvidenceStore(s)
        store.delete(next(i.id for i in store.list() if i.sha256 == only_a))
    first.close()
    second.close()
    make_legacy(tmp_path, a, b)
    before = {p: p.read_bytes() for p in legacy_dir().rglob("*") if p.is_file()}

    first = opened(a)
    assert files_under(evidence_dir(a)) == {shared, only_a}
    assert (evidence_dir(a) / ADOPTED_MARKER).is_file()
    assert verify_ok(first)
    delete_all_and_empty_trash(first)  # A's trash emptied: B and the old folder keep theirs
    first.close()
    second = opened(b)
    assert files_under(evidence_dir(b)) == {shared, only_b}
    assert verify_ok(second)
    second.close()
    assert {p: p.read_bytes() for p in legacy_dir().rglob("*") if p.is_file()} == before


def test_adoption_runs_once_and_again_after_an_interruption(tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    db = opened(path)
    sha = add(db, tmp_path, "kh.pdf", b"plan")
    db.close()
    make_legacy(tmp_path, path)
    assert adopt_shared_files(path).copied == [sha]
    blob_path(evidence_dir(path), sha).unlink()
    assert not adopt_shared_files(path).ran  # the marker: once
    (evidence_dir(path) / ADOPTED_MARKER).unlink()  # as if killed before the marker
    assert adopt_shared_files(path).copied == [sha]


def test_an_altered_file_of_the_old_folder_is_not_adopted(tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    db = opened(path)
    sha = add(db, tmp_path, "kh.pdf", b"plan")
    db.close()
    make_legacy(tmp_path, path)
    blob_path(legacy_dir(), sha).write_bytes(b"changed")
    result = adopt_shared_files(path)
    assert result.missing == [sha] and not result.copied
    assert not blob_path(evidence_dir(path), sha).exists()
    assert [p.name for p in blob_path(evidence_dir(path), sha).parent.iterdir()] == []


def test_leftovers_of_killed_writes_are_cleaned_at_open(tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    db = opened(path)
    sha = add(db, tmp_path, "kh.pdf", b"plan")
    db.close()
    folder = blob_path(evidence_dir(path), sha).parent
    old = [folder / f"{TEMP_PREFIX}abc", folder / ".incoming-xyz",
           evidence_dir(path) / f"{TEMP_PREFIX}1"]
    young = folder / f"{TEMP_PREFIX}now"
    for leftover in [*old, young]:
        leftover.write_bytes(b"half a file")
    hour_ago = time.time() - 3600
    for leftover in old:
        os.utime(leftover, (hour_ago, hour_ago))
    opened(path).close()
    assert not any(p.exists() for p in old)
    assert young.exists()  # perhaps another process writing right now
    assert blob_path(evidence_dir(path), sha).exists()


def test_a_file_a_kept_backup_references_survives_the_trash(tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    db = opened(path)
    sha = add(db, tmp_path, "kh.pdf", b"plan")
    old = make_backup(path, reason="manual")
    delete_all_and_empty_trash(db)
    assert blob_path(evidence_dir(path), sha).exists()
    db.close()
    restore_backup(path, old)
    db = opened(path)
    assert verify_ok(db)
    db.close()


def test_without_a_backup_the_file_goes(tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    db = opened(path)
    sha = add(db, tmp_path, "kh.pdf", b"plan")
    delete_all_and_empty_trash(db)
    db.close()
    assert not blob_path(evidence_dir(path), sha).exists()


def test_a_folder_name_a_uri_would_misread_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "Sở #1 50%"
    folder.mkdir()
    path = folder / "cchc.sqlite3"
    db = opened(path)
    sha = add(db, tmp_path, "kh.pdf", b"plan")
    old = make_backup(path, reason="manual")  # read through a URI when the trash is emptied
    assert referenced_digests(old) == {sha}  # was an empty database: the path was cut at "#"
    delete_all_and_empty_trash(db)
    db.close()
    assert blob_path(evidence_dir(path), sha).exists()
    restore_backup(path, old)


def test_a_file_kept_for_a_backup_goes_once_that_backup_rotated_away(tmp_path: Path) -> None:
    path = tmp_path / "cchc.sqlite3"
    db = opened(path)
    sha = add(db, tmp_path, "kh.pdf", b"plan")
    again = add(db, tmp_path, "bc.pdf", b"report")
    old = make_backup(path, reason="manual")
    delete_all_and_empty_trash(db)
    home = evidence_dir(path)
    assert (home / DEFERRED_LIST).read_text().split() == sorted([sha, again])
    add(db, tmp_path, "bc.pdf", b"report")  # added back: it must stay whatever the backups do
    db.close()
    opened(path).close()  # the backup is still kept: nothing goes
    assert blob_path(home, sha).exists()
    old.unlink()  # as rotation does
    opened(path).close()
    assert not blob_path(home, sha).exists()
    assert blob_path(home, again).exists()
    assert (home / DEFERRED_LIST).read_text() == ""


def test_unreadable_backups_keep_every_file(tmp_path: Path, monkeypatch) -> None:
    import cchc_desktop.store.evidence_home as evidence_home

    path = tmp_path / "cchc.sqlite3"
    db = opened(path)
    sha = add(db, tmp_path, "kh.pdf", b"plan")
    with monkeypatch.context() as patch:
        patch.setattr(evidence_home, "digests_in_backups", lambda _p: None)
        delete_all_and_empty_trash(db)
        db.close()
    assert blob_path(evidence_dir(path), sha).exists()
    opened(path).close()  # readable again: released at open
    assert not blob_path(evidence_dir(path), sha).exists()
