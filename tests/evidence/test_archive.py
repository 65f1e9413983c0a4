"""The .zip archive: database + evidence + manifest out, checked fully before it is taken back."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cchc_desktop.errors import UserError, ValidationError
from cchc_desktop.services.evidence import EvidenceStore
from cchc_desktop.store import archive as archive_module
from cchc_desktop.store.archive import DB_ENTRY, MANIFEST, restore_archive, write_archive
from cchc_desktop.store.db import open_database
from cchc_desktop.store.evidence_home import blob_path, evidence_dir

ROOT = Path(__file__).resolve().parents[2]


def cchc(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CCHC_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("CCHC_DB", None)
    return subprocess.run([sys.executable, "-m", "cchc_desktop.cli.main", *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


def test_backup_out_zip_and_restore_on_another_pc(tmp_path: Path) -> None:
    office, home = tmp_path / "office", tmp_path / "home"
    office.mkdir()
    home.mkdir()
    db = str(office / "cchc.sqlite3")
    assert cchc(office, "--db", db, "init").returncode == 0
    assert cchc(office, "--db", db, "scoring", "template", "--year", "2024").returncode == 0
    for name, data in (("KH.pdf", b"ke hoach"), ("BC.docx", b"bao cao"), ("old.pdf", b"cu")):
        (tmp_path / name).write_bytes(data)
        done = cchc(office, "--db", db, "evidence", "add", str(tmp_path / name),
                    "--criterion", "1.1.1", "--year", "2024")
        assert done.returncode == 0, done.stderr
    listed = json.loads(cchc(office, "--db", db, "evidence", "list", "--json").stdout)
    old = next(i for i in listed if i["name"] == "old.pdf")
    assert cchc(office, "--db", db, "evidence", "delete", str(old["id"]), "--yes").returncode == 0

    out = tmp_path / "usb" / "cchc-2024.zip"
    out.parent.mkdir()
    done = cchc(office, "--db", db, "backup", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "archive written" in done.stdout and "3 evidence files" in done.stdout
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist())[:2] == [DB_ENTRY, "evidence/" + sorted(
            i["sha256"] for i in listed)[0][:2] + "/" + sorted(i["sha256"] for i in listed)[0][2:]]
        assert len(zf.namelist()) == 5  # database, three files (one in the trash), manifest

    other = str(home / "nha.sqlite3")  # another PC: another data folder, another name
    assert cchc(home, "--db", other, "init").returncode == 0
    done = cchc(home, "--db", other, "restore", str(out))
    assert done.returncode == 0, done.stderr
    assert "3 evidence files checked" in done.stdout
    done = cchc(home, "--db", other, "evidence", "verify")
    assert done.returncode == 0, done.stderr
    moved = json.loads(cchc(home, "--db", other, "evidence", "list", "--json").stdout)
    assert sorted(i["name"] for i in moved) == ["BC.docx", "KH.pdf"]
    trash = json.loads(cchc(home, "--db", other, "evidence", "trash", "--json").stdout)
    assert [t["name"] for t in trash] == ["old.pdf"]
    done = cchc(home, "--db", other, "evidence", "restore", str(trash[0]["id"]))
    assert done.returncode == 0, done.stderr


def test_cli_refuses_a_bad_archive_and_changes_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "cchc.sqlite3")
    assert cchc(tmp_path, "--db", db, "init").returncode == 0
    before = Path(db).read_bytes()
    bad = tmp_path / "hong.zip"
    bad.write_bytes(b"this is no zip at all")
    done = cchc(tmp_path, "--db", db, "restore", str(bad))
    assert done.returncode == 2
    assert "không phải tệp .zip hợp lệ" in done.stderr and "Traceback" not in done.stderr
    done = cchc(tmp_path, "--db", db, "restore", str(tmp_path / "absent.zip"))
    assert done.returncode == 1 and "Không tìm thấy tệp" in done.stderr
    assert Path(db).read_bytes() == before


# -- the checks, through the service ------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "cchc.sqlite3"
    db = open_database(str(path), auto_backup=False)
    digests = []
    for name, data in (("a.pdf", b"first file"), ("b.pdf", b"second file")):
        (tmp_path / name).write_bytes(data)
        with db.session() as s:
            digests.append(EvidenceStore(s).add_file(tmp_path / name).sha256)
    db.close()
    return path, digests


def state(path: Path) -> tuple[bytes, set[str]]:
    home = evidence_dir(path)
    return path.read_bytes(), {str(p.relative_to(home)) for p in home.rglob("*")}


def rebuild(source: Path, target: Path, *, drop: str | None = None,
            replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
            manifest: dict | None = None) -> Path:
    """A copy of archive ``source`` with entries dropped, replaced or added (manifest as given)."""
    with zipfile.ZipFile(source) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    for name in [drop] if drop else []:
        del entries[name]
    entries.update(replace or {})
    entries.update(add or {})
    if manifest is not None:
        entries[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return target


def manifest_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(MANIFEST))


def evidence_name(digest: str) -> str:
    return f"evidence/{digest[:2]}/{digest[2:]}"


def refused(path: Path, archive: Path, *words: str) -> None:
    before = state(path)
    with pytest.raises(ValidationError) as caught:
        restore_archive(path, archive)
    assert all(word in caught.value.message for word in words), caught.value.message
    assert "không bị thay đổi" in caught.value.message
    assert state(path) == before


def test_round_trip_in_place_brings_back_the_files_and_the_rows(
    filled: tuple[Path, list[str]], tmp_path: Path,
) -> None:
    path, digests = filled
    summary = write_archive(path, tmp_path / "all.zip")
    assert summary.files == 2 and not summary.missing
    db = open_database(str(path), auto_backup=False)
    with db.session() as s:
        store = EvidenceStore(s)
        for info in store.list():
            store.delete(info.id)
    with db.session() as s:
        EvidenceStore(s).empty_trash()
    db.close()
    assert not blob_path(evidence_dir(path), digests[0]).exists()
    back = restore_archive(path, tmp_path / "all.zip")
    assert back.kept is not None and back.kept.is_file()
    db = open_database(str(path), auto_backup=False)
    with db.session() as s:
        assert EvidenceStore(s).verify().ok
        assert len(EvidenceStore(s).list()) == 2
    db.close()


def test_an_altered_entry_is_refused(filled: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, digests = filled
    good = write_archive(path, tmp_path / "good.zip").path
    bad = rebuild(good, tmp_path / "bad.zip", replace={evidence_name(digests[0]): b"first filE"})
    refused(path, bad, "bị thay đổi")


def test_a_missing_file_is_refused(filled: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, digests = filled
    good = write_archive(path, tmp_path / "good.zip").path
    manifest = manifest_of(good)
    del manifest["files"][evidence_name(digests[1])]
    bad = rebuild(good, tmp_path / "bad.zip", drop=evidence_name(digests[1]), manifest=manifest)
    refused(path, bad, "thiếu 1 tệp kiểm chứng")
    bad = rebuild(good, tmp_path / "bad2.zip", drop=evidence_name(digests[1]))
    refused(path, bad, "thiếu tệp")


@pytest.mark.parametrize("name", ["../../evil.sqlite3", "/etc/passwd", "evidence/../../x",
                                  "evidence\\..\\x", "evidence/ab/" + "0" * 61 + "/x"])
def test_zip_slip_names_are_refused(filled: tuple[Path, list[str]], tmp_path: Path,
                                    name: str) -> None:
    path, _digests = filled
    good = write_archive(path, tmp_path / "good.zip").path
    refused(path, rebuild(good, tmp_path / "slip.zip", add={name: b"x"}), "đường dẫn không hợp lệ")
    assert not (tmp_path.parent / "evil.sqlite3").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    filled: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, _digests = filled
    good = write_archive(path, tmp_path / "good.zip").path
    zeros = bytes(256 << 20)  # 256 MB of zeros: about 250 KB once deflated
    digest = hashlib.sha256(zeros).hexdigest()
    manifest = manifest_of(good)
    manifest["files"][evidence_name(digest)] = {"sha256": digest, "size": len(zeros)}
    bomb = rebuild(good, tmp_path / "bomb.zip", add={evidence_name(digest): zeros},
                   manifest=manifest)
    del zeros
    assert bomb.stat().st_size < 2 << 20

    class Disk:
        free = 200 << 20

    monkeypatch.setattr(archive_module.shutil, "disk_usage", lambda _p: Disk)
    refused(path, bomb, "ổ đĩa chỉ còn")


def test_a_size_that_lies_is_refused(filled: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, digests = filled
    good = write_archive(path, tmp_path / "good.zip").path
    manifest = manifest_of(good)
    manifest["files"][evidence_name(digests[0])]["size"] = 3
    refused(path, rebuild(good, tmp_path / "lie.zip", manifest=manifest), "kích thước")


def test_a_database_that_is_not_ours_is_refused(
    filled: tuple[Path, list[str]], tmp_path: Path,
) -> None:
    path, _digests = filled
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    data = foreign.read_bytes()
    good = write_archive(path, tmp_path / "good.zip").path
    manifest = manifest_of(good)
    manifest["files"][DB_ENTRY] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    bad = rebuild(good, tmp_path / "foreign.zip", replace={DB_ENTRY: data}, manifest=manifest)
    refused(path, bad, "không phải là cơ sở dữ liệu của CCHC Desktop")


def test_an_archive_of_another_program_is_refused(
    filled: tuple[Path, list[str]], tmp_path: Path,
) -> None:
    path, _digests = filled
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("photo.jpg", b"jpeg")
    refused(path, other, "tệp lạ")
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr(MANIFEST, b"{}")
    refused(path, other, "không phải gói sao lưu của CCHC Desktop")


def test_a_file_missing_from_the_store_is_named_and_the_rest_written(
    filled: tuple[Path, list[str]], tmp_path: Path,
) -> None:
    path, digests = filled
    blob_path(evidence_dir(path), digests[0]).unlink()
    summary = write_archive(path, tmp_path / "partial.zip")
    assert summary.missing == [digests[0]] and summary.files == 1
    assert manifest_of(summary.path)["missing"] == [digests[0]]
    back = restore_archive(path, summary.path)  # the archive says so: not a refusal
    assert back.missing == [digests[0]]


def test_writing_into_a_missing_folder_says_so(filled: tuple[Path, list[str]],
                                               tmp_path: Path) -> None:
    path, _digests = filled
    with pytest.raises(UserError) as caught:
        write_archive(path, tmp_path / "absent" / "x.zip")
    assert "không tồn tại" in caught.value.message




def test_a_database_restore_refused_late_takes_the_new_files_out_again(
    filled: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """restore_backup has checks of its own (a process holding the database, its schema): when
    one refuses after the evidence was placed, the evidence folder is left as it was."""
    path, digests = filled
    good = write_archive(path, tmp_path / "good.zip").path
    blob_path(evidence_dir(path), digests[0]).unlink()  # so the restore would place it
    before = state(path)

    def refuse(*_args: object) -> None:
        raise archive_module.EnvironmentProblem("Cơ sở dữ liệu đang được chương trình khác mở.")

    monkeypatch.setattr(archive_module, "restore_backup", refuse)
    with pytest.raises(UserError, match="chương trình khác"):
        restore_archive(path, good)
    assert state(path) == before
