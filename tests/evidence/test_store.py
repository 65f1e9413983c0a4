"""The evidence store: dedup, links, deletion, limits, hostile names, tamper detection, bundle."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from cchc_desktop.errors import ValidationError
from cchc_desktop.services.evidence import (
    INDEX_NAME,
    EvidenceStore,
    FileBlobs,
    LinkTarget,
    TableBlobs,
    criterion_target,
    set_max_size_mb,
)
from cchc_desktop.services.scoring import load_template
from cchc_desktop.store.evidence_home import evidence_dir
from cchc_desktop.store.models import Evidence, EvidenceBlob, Task


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def task_ids(demo_db) -> list[int]:
    with demo_db.session() as s:
        return list(s.scalars(select(Task.id).order_by(Task.id).limit(3)))


def test_same_file_twice_is_stored_once(demo_db, task_ids, tmp_path: Path) -> None:
    a = write(tmp_path, "a.pdf", b"ke hoach CCHC 2024")
    b = write(tmp_path, "copy of a.pdf", b"ke hoach CCHC 2024")
    with demo_db.session() as s:
        store = EvidenceStore(s)
        first = store.add_file(a, added_by="vp", target=LinkTarget("task", task_ids[0]))
        second = store.add_file(b, added_by="vp", target=LinkTarget("task", task_ids[1]))
    assert first.created and not second.created and first.id == second.id
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Evidence)) == 1
        info = EvidenceStore(s).get(first.id)
    assert info.name == "a.pdf" and info.size == 18 and info.added_by == "vp"
    assert {link.target_id for link in info.links} == set(task_ids[:2])
    stored = evidence_dir(demo_db.sqlite_path) / info.sha256[:2] / info.sha256[2:]
    assert stored.read_bytes() == b"ke hoach CCHC 2024"
    assert len([p for p in (evidence_dir(demo_db.sqlite_path)).rglob("*") if p.is_file()]) == 1


def test_unlink_keeps_a_file_another_link_uses_and_purge_removes_it(
    demo_db, task_ids, tmp_path: Path
) -> None:
    path = write(tmp_path, "bc.docx", b"bao cao")
    with demo_db.session() as s:
        store = EvidenceStore(s)
        info = store.add_file(path, target=LinkTarget("task", task_ids[0]))
        store.link(info.id, LinkTarget("task", task_ids[1]))
        store.link(info.id, LinkTarget("task", task_ids[1]))  # twice is harmless
    with demo_db.session() as s:
        store = EvidenceStore(s)
        assert store.unlink(info.id, LinkTarget("task", task_ids[0]))
        assert not store.unlink(info.id, LinkTarget("task", task_ids[0]))
    with demo_db.session() as s:
        store = EvidenceStore(s)
        left = store.get(info.id)
        assert [link.target_id for link in left.links] == [task_ids[1]]
        assert store.read_bytes(info.id) == b"bao cao"
        assert [e.id for e in store.list(LinkTarget("task", task_ids[1]))] == [info.id]
        assert store.list(LinkTarget("task", task_ids[0])) == []
    blob = evidence_dir(demo_db.sqlite_path) / info.sha256[:2] / info.sha256[2:]
    with demo_db.session() as s:
        trashed = EvidenceStore(s).delete(info.id)
    assert blob.exists()  # in the trash: the bytes stay
    with demo_db.session() as s:
        EvidenceStore(s).purge(trashed.id)
        assert blob.exists()  # only removed once the purge is committed
    assert not blob.exists()
    with demo_db.session() as s:
        assert EvidenceStore(s).list() == [] and EvidenceStore(s).list_trash() == []


def test_rolled_back_delete_keeps_the_file(db, tmp_path: Path) -> None:
    path = write(tmp_path, "x.pdf", b"x")
    with db.session() as s:
        info = EvidenceStore(s).add_file(path)
    with pytest.raises(RuntimeError), db.session() as s:
        EvidenceStore(s).delete(info.id)
        raise RuntimeError("user cancelled")
    with db.session() as s:
        assert EvidenceStore(s).read_bytes(info.id) == b"x"


def test_zero_byte_and_too_large_files_are_refused(db, tmp_path: Path) -> None:
    empty = write(tmp_path, "rong.pdf", b"")
    big = write(tmp_path, "lon.pdf", b"0" * 2_000_000)
    with db.session() as s:
        with pytest.raises(ValidationError, match="rỗng"):
            EvidenceStore(s).add_file(empty)
        set_max_size_mb(s, 1)
        with pytest.raises(ValidationError, match="vượt giới hạn 1 MB"):
            EvidenceStore(s).add_file(big)
        set_max_size_mb(s, 5)
        assert EvidenceStore(s).add_file(big).size == 2_000_000


@pytest.mark.parametrize("name", ["../../etc/passwd", "CON.txt", "bad\x00name\x1f.pdf", "..\\..\\x.doc"])
def test_hostile_names_are_kept_as_text_never_as_paths(db, tmp_path: Path, name: str) -> None:
    path = write(tmp_path, "upload.bin", name.encode("utf-8", "replace") + b"!")
    with db.session() as s:
        info = EvidenceStore(s).add_file(path, name=name)
        assert info.name == name.replace("\x00", "").replace("\x1f", "")  # shown as given
    out = tmp_path / "out"
    out.mkdir()
    with db.session() as s:
        copy = EvidenceStore(s).export_copy(info.id, out)
    assert copy.parent == out and copy.read_bytes().endswith(b"!")
    files = [p for p in (evidence_dir(db.sqlite_path)).rglob("*") if p.is_file()]
    assert all(p.name == info.sha256[2:] for p in files)
    assert not (tmp_path / "etc").exists()


def test_verify_finds_altered_and_missing_files(db, tmp_path: Path) -> None:
    with db.session() as s:
        store = EvidenceStore(s)
        one = store.add_file(write(tmp_path, "mot.pdf", b"one"))
        two = store.add_file(write(tmp_path, "hai.pdf", b"two"))
        store.add_file(write(tmp_path, "ba.pdf", b"three"))
        assert store.verify().ok
    root = evidence_dir(db.sqlite_path)
    (root / one.sha256[:2] / one.sha256[2:]).write_bytes(b"tampered")
    (root / two.sha256[:2] / two.sha256[2:]).unlink()
    with db.session() as s:
        report = EvidenceStore(s).verify()
    assert report.checked == 3 and not report.ok
    assert [e.name for e in report.altered] == ["mot.pdf"]
    assert [e.name for e in report.missing] == ["hai.pdf"]
    assert any("mot.pdf" in p for p in report.problems())


def test_table_backend_for_postgresql_works_the_same(db, tmp_path: Path) -> None:
    with db.session() as s:
        store = EvidenceStore(s, TableBlobs(s))
        info = store.add_file(write(tmp_path, "a.pdf", b"in the database"))
        store.add_file(write(tmp_path, "b.pdf", b"in the database"))
        assert store.read_bytes(info.id) == b"in the database"
        assert store.verify().ok
        s.get(EvidenceBlob, info.sha256).content = b"changed"
        assert [e.id for e in store.verify().altered] == [info.id]
        trashed = store.delete(info.id)
        s.flush()
        assert s.scalar(select(func.count()).select_from(EvidenceBlob)) == 1
        store.purge(trashed.id)
        s.flush()
        assert s.scalar(select(func.count()).select_from(EvidenceBlob)) == 0
    assert not (evidence_dir(db.sqlite_path)).exists()


def test_bad_target_is_refused_and_nothing_is_stored(db, tmp_path: Path) -> None:
    from cchc_desktop.errors import NotFoundError

    with pytest.raises(NotFoundError), db.session() as s:
        EvidenceStore(s).add_file(write(tmp_path, "a.pdf", b"a"), target=LinkTarget("task", 999))
    with db.session() as s:
        assert EvidenceStore(s).list() == []


def test_bundle_has_a_folder_per_criterion_and_an_index_sheet(db, tmp_path: Path) -> None:
    with db.session() as s:
        load_template(s, 2024)
        store = EvidenceStore(s)
        store.add_file(write(tmp_path, "KH CCHC.pdf", b"plan"), target=criterion_target(s, 2024, "1.1.1"))
        store.add_file(write(tmp_path, "bc.pdf", b"report"),
                       target=criterion_target(s, 2024, "1.1.2"))
        dup = store.add_file(write(tmp_path, "other.pdf", b"dup"), target=criterion_target(s, 2024, "1.1.2"),
                             name="../bc.pdf")
        store.link(dup.id, criterion_target(s, 2024, "3.3.1"))
        store.add_file(write(tmp_path, "t.pdf", b"not a criterion"))
    out = tmp_path / "bundle.zip"
    with db.session() as s:
        assert EvidenceStore(s).bundle(2024, out) == 4
    with zipfile.ZipFile(out) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(["1.1.1/KH CCHC.pdf", "1.1.2/bc.pdf", "1.1.2/bc (2).pdf",
                                "3.3.1/bc.pdf", INDEX_NAME])
        assert archive.read("1.1.1/KH CCHC.pdf") == b"plan"
        archive.extract(INDEX_NAME, tmp_path)
    sheet = load_workbook(tmp_path / INDEX_NAME).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã tiêu chí", "Tiêu chí", "Tệp trong gói")
    assert [r[0] for r in rows[1:]] == ["1.1.1", "1.1.2", "1.1.2", "3.3.1"]
    import hashlib

    assert rows[1][5] == hashlib.sha256(b"plan").hexdigest()
    assert {r[3] for r in rows[1:]} == {"KH CCHC.pdf", "bc.pdf", "../bc.pdf"}
    assert not list(tmp_path.glob("*.part"))


def test_file_backend_is_the_default_for_sqlite(db) -> None:
    with db.session() as s:
        assert isinstance(EvidenceStore(s).blobs, FileBlobs)


def test_roles_unit_files_evidence_for_its_own_tasks_only(demo_db, tmp_path: Path) -> None:
    from cchc_desktop.errors import PermissionDenied
    from cchc_desktop.services.access import CurrentUser

    path = write(tmp_path, "tien-do.pdf", b"progress")
    with demo_db.session() as s:
        load_template(s, 2024)
        own, other = s.execute(select(Task.id, Task.lead_unit_id).order_by(Task.id).limit(1)).one()
        foreign = s.scalar(select(Task.id).where(Task.lead_unit_id != other).limit(1))
    with demo_db.session() as s:
        s.info["user"] = CurrentUser("dv", "unit", other)
        store = EvidenceStore(s)
        info = store.add_file(path, target=LinkTarget("task", own))
        assert info.added_by == "dv"
        with pytest.raises(PermissionDenied):
            store.link(info.id, LinkTarget("task", foreign))
        with pytest.raises(PermissionDenied):
            store.link(info.id, criterion_target(s, 2024, "1.1.1"))
        with pytest.raises(PermissionDenied):
            store.delete(info.id)


def test_bundle_index_keeps_a_formula_like_file_name_as_text(db, tmp_path: Path) -> None:
    """A file named like a spreadsheet formula is listed in the index as text, never run."""
    hostile = "=cmd|' /c calc'!A1.pdf"
    with db.session() as s:
        load_template(s, 2024)
        EvidenceStore(s).add_file(write(tmp_path, "x.pdf", b"x"),
                                  target=criterion_target(s, 2024, "1.1.1"), name=hostile)
    out = tmp_path / "bundle.zip"
    with db.session() as s:
        assert EvidenceStore(s).bundle(2024, out) == 1
    with zipfile.ZipFile(out) as archive:
        raw = archive.read(INDEX_NAME)
        archive.extract(INDEX_NAME, tmp_path)
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")
    cell = load_workbook(tmp_path / INDEX_NAME).active["D2"]
    assert cell.value == hostile and cell.data_type == "s"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cchc-tmp-")] == []
