"""The evidence trash (thùng rác) on SQLite and on PostgreSQL: delete, restore, purge, verify."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cchc_desktop.errors import NotFoundError, PermissionDenied, UserError
from cchc_desktop.services import documents as doc_service
from cchc_desktop.services.access import CurrentUser
from cchc_desktop.services.evidence import EvidenceStore, LinkTarget, criterion_target
from cchc_desktop.services.scoring import load_template
from cchc_desktop.store.evidence_home import evidence_dir
from cchc_desktop.store.models import EvidenceBlob, EvidenceLink, EvidenceTrash

PLAN = b"%PDF-1.4 ke hoach CCHC " + bytes(range(256))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def has_bytes(database, sha256: str) -> bool:
    with database.session() as s:
        return EvidenceStore(s).blobs.has(sha256)


def tamper(database, sha256: str) -> None:
    if database.is_sqlite:
        (evidence_dir(database.sqlite_path) / sha256[:2] / sha256[2:]).write_bytes(b"changed")
    else:
        with database.session() as s:
            s.get(EvidenceBlob, sha256).content = b"changed"


@pytest.fixture
def framework(any_db):
    with any_db.session() as s:
        load_template(s, 2024)
    return any_db


def link_targets(info) -> set[tuple[str, int]]:
    return {(link.kind, link.target_id) for link in info.links}


def test_delete_moves_to_trash_and_restore_brings_it_back(framework, tmp_path: Path) -> None:
    db = framework
    with db.session() as s:
        store = EvidenceStore(s)
        doc = doc_service.save_document(s, "12/KH-SGDĐT", None, summary="Kế hoạch CCHC")
        info = store.add_file(write(tmp_path, "Kế hoạch.pdf", PLAN),
                              target=criterion_target(s, 2024, "1.1.1"))
        store.link(info.id, criterion_target(s, 2024, "1.2"))
        store.link(info.id, LinkTarget("document", doc.id))
        before = link_targets(store.get(info.id))
    assert len(before) == 3
    with db.session() as s:
        trashed = EvidenceStore(s).delete(info.id)
    assert trashed.evidence_id == info.id and trashed.name == "Kế hoạch.pdf"
    with db.session() as s:
        store = EvidenceStore(s)
        assert store.list() == []
        assert s.scalar(select(func.count()).select_from(EvidenceLink)) == 0
        [listed] = store.list_trash()
        assert listed.id == trashed.id and listed.sha256 == info.sha256
        assert listed.size == len(PLAN) and listed.deleted_by == "admin"
        assert {(link.kind, link.target_id) for link in listed.links} == before
        assert any(link.label.startswith("Tiêu chí 1.1.1 (2024)") for link in listed.links)
        report = store.verify()
        assert report.ok and report.checked == 0 and report.trash_checked == 1
    assert has_bytes(db, info.sha256)  # the bytes stay while the file is in the trash

    with db.session() as s:
        result = EvidenceStore(s).restore_from_trash(trashed.id)
    assert not result.merged and result.lost_links == []
    assert result.evidence.id == info.id and link_targets(result.evidence) == before
    with db.session() as s:
        store = EvidenceStore(s)
        assert store.list_trash() == []
        assert store.read_bytes(info.id) == PLAN
        assert store.get(info.id).name == "Kế hoạch.pdf"
        copy = store.export_copy(info.id, tmp_path)
        assert store.verify().ok
    assert copy.read_bytes() == PLAN


def test_verify_checks_the_trashed_bytes_too(any_db, tmp_path: Path) -> None:
    with any_db.session() as s:
        store = EvidenceStore(s)
        kept = store.add_file(write(tmp_path, "giu.pdf", b"kept"))
        gone = store.add_file(write(tmp_path, "xoa.pdf", b"trashed"))
        store.delete(gone.id)
    tamper(any_db, gone.sha256)
    with any_db.session() as s:
        report = EvidenceStore(s).verify()
    assert not report.ok and report.checked == 1 and report.trash_checked == 1
    assert report.altered == [] and [t.name for t in report.trash_altered] == ["xoa.pdf"]
    assert any("thùng rác" in line and "xoa.pdf" in line for line in report.problems())
    assert kept.sha256 != gone.sha256


def test_purge_removes_bytes_only_when_nothing_else_has_them(any_db, tmp_path: Path) -> None:
    source = write(tmp_path, "bc.pdf", b"bao cao 6 thang")
    with any_db.session() as s:
        first = EvidenceStore(s).add_file(source)
        trash_one = EvidenceStore(s).delete(first.id)
    with any_db.session() as s:
        again = EvidenceStore(s).add_file(source)  # same content, added while in the trash
    assert again.created
    with any_db.session() as s:
        EvidenceStore(s).purge(trash_one.id)
    assert has_bytes(any_db, first.sha256)  # a live file still has them
    with any_db.session() as s:
        trash_two = EvidenceStore(s).delete(again.id)
        third = EvidenceStore(s).add_file(source)
        trash_three = EvidenceStore(s).delete(third.id)
    with any_db.session() as s:
        EvidenceStore(s).purge(trash_two.id)
    assert has_bytes(any_db, first.sha256)  # another trash row still has them
    with any_db.session() as s:
        assert [t.id for t in EvidenceStore(s).list_trash()] == [trash_three.id]
        EvidenceStore(s).purge(trash_three.id)
    assert not has_bytes(any_db, first.sha256)
    with any_db.session() as s:
        assert EvidenceStore(s).list_trash() == [] and EvidenceStore(s).list() == []
        with pytest.raises(NotFoundError, match="thùng rác"):
            EvidenceStore(s).purge(trash_three.id)


def test_empty_trash_keeps_bytes_a_live_file_uses(any_db, tmp_path: Path) -> None:
    shared = write(tmp_path, "chung.pdf", b"shared bytes")
    with any_db.session() as s:
        store = EvidenceStore(s)
        one = store.add_file(shared)
        only = store.add_file(write(tmp_path, "rieng.pdf", b"only in the trash"))
        store.delete(one.id)
        store.delete(only.id)
    with any_db.session() as s:
        live = EvidenceStore(s).add_file(shared)
    with any_db.session() as s:
        assert EvidenceStore(s).empty_trash() == 2
    assert has_bytes(any_db, live.sha256) and not has_bytes(any_db, only.sha256)
    with any_db.session() as s:
        assert EvidenceStore(s).read_bytes(live.id) == b"shared bytes"
        assert s.scalar(select(func.count()).select_from(EvidenceTrash)) == 0


def test_readding_the_same_content_then_restoring_merges_the_links(
    framework, tmp_path: Path
) -> None:
    db = framework
    with db.session() as s:
        store = EvidenceStore(s)
        old = store.add_file(write(tmp_path, "a.pdf", PLAN), target=criterion_target(s, 2024, "1.1.1"))
        trashed = store.delete(old.id)
    with db.session() as s:
        new = EvidenceStore(s).add_file(write(tmp_path, "b.pdf", PLAN),
                                        target=criterion_target(s, 2024, "1.2"))
        expected = {("criterion", criterion_target(s, 2024, code).id) for code in ("1.1.1", "1.2")}
    assert new.created and new.sha256 == old.sha256
    with db.session() as s:
        result = EvidenceStore(s).restore_from_trash(trashed.id)
    assert result.merged and result.evidence.id == new.id
    assert result.evidence.name == "b.pdf" and link_targets(result.evidence) == expected
    with db.session() as s:
        store = EvidenceStore(s)
        assert [e.id for e in store.list()] == [new.id] and store.list_trash() == []
        assert store.read_bytes(new.id) == PLAN


def test_restore_reports_links_whose_target_is_gone(framework, tmp_path: Path) -> None:
    db = framework
    with db.session() as s:
        doc = doc_service.save_document(s, "7/QĐ-UBND", None, summary="Quyết định")
        store = EvidenceStore(s)
        info = store.add_file(write(tmp_path, "qd.pdf", b"decision"),
                              target=LinkTarget("document", doc.id))
        store.link(info.id, criterion_target(s, 2024, "1.1.1"))
        trashed = store.delete(info.id)
    with db.session() as s:
        doc_service.delete_document(s, doc.id)
    with db.session() as s:
        result = EvidenceStore(s).restore_from_trash(trashed.id)
        criterion = criterion_target(s, 2024, "1.1.1").id
    assert [(link.kind, link.target_id) for link in result.lost_links] == [("document", doc.id)]
    assert "7/QĐ-UBND" in result.lost_links[0].label
    assert link_targets(result.evidence) == {("criterion", criterion)}


def test_restore_never_links_to_a_new_record_that_took_the_old_id(framework,
                                                                    tmp_path: Path) -> None:
    db = framework
    with db.session() as s:
        doc = doc_service.save_document(s, "7/QĐ-UBND", None, summary="Quyết định")
        store = EvidenceStore(s)
        info = store.add_file(write(tmp_path, "qd.pdf", b"decision"),
                              target=LinkTarget("document", doc.id))
        trashed = store.delete(info.id)
    with db.session() as s:
        doc_service.delete_document(s, doc.id)
    with db.session() as s:  # the next document may be given the freed id (SQLite does)
        newer = doc_service.save_document(s, "99/TB-SNV", None, summary="Thông báo")
    with db.session() as s:
        result = EvidenceStore(s).restore_from_trash(trashed.id)
    assert [(link.kind, link.target_id) for link in result.lost_links] == [("document", doc.id)]
    assert ("document", newer.id) not in link_targets(result.evidence)


def test_restore_takes_a_new_id_when_the_old_one_is_taken(any_db, tmp_path: Path) -> None:
    with any_db.session() as s:
        store = EvidenceStore(s)
        store.add_file(write(tmp_path, "a.pdf", b"a"))
        second = store.add_file(write(tmp_path, "b.pdf", b"b"))
        trashed = store.delete(second.id)
    with any_db.session() as s:
        other = EvidenceStore(s).add_file(write(tmp_path, "c.pdf", b"c"))
    with any_db.session() as s:
        result = EvidenceStore(s).restore_from_trash(trashed.id)
    if other.id == second.id:  # SQLite reuses the highest free id; PostgreSQL never does
        assert result.evidence.id not in (second.id, other.id)
    else:
        assert result.evidence.id == second.id
    with any_db.session() as s:
        names = {e.id: e.name for e in EvidenceStore(s).list()}
    assert names[result.evidence.id] == "b.pdf" and names[other.id] == "c.pdf"


def test_a_rolled_back_delete_changes_nothing(framework, tmp_path: Path) -> None:
    db = framework
    with db.session() as s:
        info = EvidenceStore(s).add_file(write(tmp_path, "x.pdf", b"x"),
                                         target=criterion_target(s, 2024, "1.1.1"))
    with pytest.raises(RuntimeError), db.session() as s:
        EvidenceStore(s).delete(info.id)
        raise RuntimeError("user cancelled")
    with db.session() as s:
        store = EvidenceStore(s)
        assert store.list_trash() == []
        assert [e.id for e in store.list()] == [info.id]
        assert link_targets(store.get(info.id)) == link_targets(info)
        assert store.read_bytes(info.id) == b"x"


def test_a_rolled_back_purge_keeps_the_bytes_and_the_trash_row(any_db, tmp_path: Path) -> None:
    with any_db.session() as s:
        info = EvidenceStore(s).add_file(write(tmp_path, "x.pdf", b"kept after rollback"))
        trashed = EvidenceStore(s).delete(info.id)
    with pytest.raises(RuntimeError), any_db.session() as s:
        EvidenceStore(s).purge(trashed.id)
        raise RuntimeError("failure after the purge")
    assert has_bytes(any_db, info.sha256)
    with any_db.session() as s:
        assert [t.id for t in EvidenceStore(s).list_trash()] == [trashed.id]
        assert EvidenceStore(s).restore_from_trash(trashed.id).evidence.id == info.id
        assert EvidenceStore(s).read_bytes(info.id) == b"kept after rollback"


def test_restore_refuses_when_the_bytes_are_lost(db, tmp_path: Path) -> None:
    with db.session() as s:
        info = EvidenceStore(s).add_file(write(tmp_path, "mat.pdf", b"lost"))
        trashed = EvidenceStore(s).delete(info.id)
    (evidence_dir(db.sqlite_path) / info.sha256[:2] / info.sha256[2:]).unlink()
    with pytest.raises(UserError, match="không còn trong kho"), db.session() as s:
        EvidenceStore(s).restore_from_trash(trashed.id)
    with db.session() as s:
        report = EvidenceStore(s).verify()
        assert [t.name for t in report.trash_missing] == ["mat.pdf"]
        assert [t.id for t in EvidenceStore(s).list_trash()] == [trashed.id]


def test_only_an_admin_deletes_restores_or_purges(any_db, tmp_path: Path) -> None:
    with any_db.session() as s:
        store = EvidenceStore(s)
        info = store.add_file(write(tmp_path, "a.pdf", b"a"))
        keep = store.add_file(write(tmp_path, "b.pdf", b"b"))
        trashed = store.delete(info.id)
    with any_db.session() as s:
        s.info["user"] = CurrentUser("xem", "viewer", None)
        store = EvidenceStore(s)
        assert [t.id for t in store.list_trash()] == [trashed.id]  # reading is allowed
        for action in (lambda: store.delete(keep.id),
                       lambda: store.restore_from_trash(trashed.id),
                       lambda: store.purge(trashed.id), store.empty_trash):
            with pytest.raises(PermissionDenied):
                action()
    with any_db.session() as s:
        assert [t.id for t in EvidenceStore(s).list_trash()] == [trashed.id]
        assert [e.id for e in EvidenceStore(s).list()] == [keep.id]
