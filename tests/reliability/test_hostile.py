"""Hostile input through the services and the CLI: refused clearly or stored exactly, never half-written."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from sqlalchemy import func, select

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.errors import NotFoundError, ValidationError
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.documents import save_document
from cchc_desktop.services.task_queries import TaskFilter, list_tasks
from cchc_desktop.services.units import create_unit, list_units
from cchc_desktop.store.models import AuditEntry, Task

STORED_EXACTLY = [
    "Robert'); DROP TABLE tasks;--",
    'Trích yếu "có ngoặc kép" và \'đơn\'',
    "' OR 1=1 --",
    "%_\\ LIKE wildcards",
    "Hoàn thành 🎉👍🏽 đúng hạn",
    "Dòng 1\nDòng 2\tcột",
    "مرحبا 中文 ẞ",
]


@pytest.fixture
def unit_id(any_db) -> int:
    with any_db.session() as s:
        return create_unit(s, "Văn phòng Sở", "VP").id


@pytest.mark.parametrize("text", STORED_EXACTLY)
def test_odd_text_is_stored_exactly(any_db, unit_id, text) -> None:
    with any_db.session() as s:
        task_id = svc.create_task(s, TaskDraft(content=text, note=text, lead_unit_id=unit_id,
                                               year=2024)).id
        doc = save_document(s, "12/KH-UBND", date(2024, 1, 5), issuer="UBND tỉnh", summary=text)
        doc_id = doc.id
    with any_db.session() as s:
        task = svc.get_task(s, task_id)
        assert (task.content, task.note) == (text, text)
        from cchc_desktop.store.models import Document

        assert s.get(Document, doc_id).summary == text
        found = list_tasks(s, date(2024, 12, 31), TaskFilter(search=text))
        assert [r.id for r in found] == [task_id]


def test_sql_in_a_search_finds_nothing_and_breaks_nothing(any_db, unit_id) -> None:
    with any_db.session() as s:
        svc.create_task(s, TaskDraft(content="Rà soát TTHC", lead_unit_id=unit_id, year=2024))
        assert list_tasks(s, date(2024, 12, 31), TaskFilter(search="' OR '1'='1")) == []
        with pytest.raises(NotFoundError, match="Không tìm thấy đơn vị"):
            list_tasks(s, date(2024, 12, 31), TaskFilter(unit="'; DELETE FROM units;--"))
    with any_db.session() as s:
        assert len(list_units(s)) == 1 and s.scalar(select(func.count()).select_from(Task)) == 1


def test_nfd_and_mixed_text_is_one_name(any_db, unit_id) -> None:
    nfd = unicodedata.normalize("NFD", "Văn phòng Sở")
    with any_db.session() as s, pytest.raises(ValidationError, match="đã có"):
        create_unit(s, nfd)
    mixed = unicodedata.normalize("NFD", "Rà soát") + " thủ tục"
    with any_db.session() as s:
        task = svc.create_task(s, TaskDraft(content=mixed, lead_unit_id=unit_id, year=2024))
        assert task.content == unicodedata.normalize("NFC", mixed)
        assert list_tasks(s, date(2024, 12, 31), TaskFilter(search="RA SOAT THU TUC"))


def test_one_megabyte_texts(any_db, unit_id) -> None:
    big = "Đ" * 1_000_000
    with pytest.raises(ValidationError, match="quá dài"), any_db.session() as s:
        svc.create_task(s, TaskDraft(content=big, lead_unit_id=unit_id, year=2024))
    with pytest.raises(ValidationError, match="quá dài"), any_db.session() as s:
        create_unit(s, big)
    with pytest.raises(ValidationError, match="quá dài"), any_db.session() as s:
        save_document(s, big, date(2024, 1, 1))
    with any_db.session() as s:  # a progress note has no length limit: stored exactly
        task_id = svc.create_task(s, TaskDraft(content="A", lead_unit_id=unit_id, year=2024)).id
        svc.add_progress(s, task_id, date(2024, 2, 1), big)
    with any_db.session() as s:
        assert svc.get_task(s, task_id).progress_updates[0].note == big
        assert s.scalar(select(func.count()).select_from(Task)) == 1


@pytest.mark.parametrize("bad", ["\x00", "a\x07b", "\x1b[31mđỏ", "x\x7f"])
def test_control_characters_are_refused_and_nothing_written(any_db, unit_id, bad) -> None:
    with any_db.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(ValidationError, match="ký tự điều khiển"), any_db.session() as s:
        svc.create_task(s, TaskDraft(content="Hợp lệ", lead_unit_id=unit_id, year=2024))
        svc.create_task(s, TaskDraft(content=bad, lead_unit_id=unit_id, year=2024))
    with any_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Task)) == 0  # all or nothing
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before


@pytest.mark.parametrize(("draft_values", "field"), [
    ({"area": -1}, "area"),
    ({"area": 10**12}, "area"),
    ({"year": -2024}, "year"),
    ({"year": 10**18}, "year"),
])
def test_negative_and_huge_numbers_in_a_task(any_db, unit_id, draft_values, field) -> None:
    with pytest.raises(ValidationError) as info, any_db.session() as s:
        svc.create_task(s, TaskDraft(content="A", lead_unit_id=unit_id, **draft_values))
    assert any(p.startswith(field) for p in info.value.problems)


def test_huge_numbers_elsewhere(any_db, unit_id) -> None:
    with any_db.session() as s:
        task_id = svc.create_task(s, TaskDraft(content="A", lead_unit_id=unit_id, year=2024)).id
    for percent in (-5, 101, 10**20):
        with pytest.raises(ValidationError), any_db.session() as s:
            svc.add_progress(s, task_id, date(2024, 2, 1), "x", percent)
    with pytest.raises(ValidationError, match="giới hạn"), any_db.session() as s:
        create_unit(s, "Phòng mới", position=2**40)
    with pytest.raises((ValidationError, NotFoundError)), any_db.session() as s:
        svc.get_task(s, 10**30)
    with any_db.session() as s:
        assert list_tasks(s, date(2024, 12, 31), limit=-1) == []


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["tasks", "list", "--as-of", "31/02/2022"], 2, "Ngày không hợp lệ"),
    (["tasks", "list", "--as-of", "2022-13-01"], 2, "Ngày không hợp lệ"),
    (["demo", "--tasks", "-5"], 2, "between 1 and 100000"),
    (["plans", "copy", "99999999999999999999999", "--year", "2023"], 2, "quá lớn"),
    (["plans", "copy", "-1", "--year", "2023"], 1, "Không tìm thấy"),
    (["units", "add", "Phòng\x01mới"], 2, "ký tự điều khiển"),
    (["audit", "--since", "31/02/2022"], 2, "Ngày không hợp lệ"),
])
def test_cli_refuses_clearly(db, db_path, capsys: pytest.CaptureFixture, argv, code, message) -> None:
    from cchc_desktop.cli.main import main

    try:
        result = main(["--db", str(db_path), *argv])
    except SystemExit as exc:  # argparse's own refusal
        result = exc.code
    assert result == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "internal error" not in err


def test_cli_stores_sql_looking_names_exactly(db, db_path, capsys: pytest.CaptureFixture) -> None:
    from cchc_desktop.cli.main import main

    name = "Phòng'); DROP TABLE units;-- 🎉"
    assert main(["--db", str(db_path), "units", "add", name]) == 0
    assert main(["--db", str(db_path), "units", "list", "--json"]) == 0
    assert name in capsys.readouterr().out


@pytest.mark.parametrize("name", ["../../../etc/cron.d/evil.pdf", "..\\..\\Windows\\win.ini",
                                  "/abs/path.docx", "CON.pdf", "a\x00b.pdf"])
def test_path_traversal_names_stay_inside_the_folder(any_db, unit_id, tmp_path, name) -> None:
    from cchc_desktop.services.evidence import EvidenceStore, LinkTarget

    work = tmp_path / "work"
    out = work / "out"
    out.mkdir(parents=True)
    source = work / "minh-chung.pdf"
    source.write_bytes(b"%PDF-1.4 evidence")
    with any_db.session() as s:
        task_id = svc.create_task(s, TaskDraft(content="A", lead_unit_id=unit_id, year=2024)).id
        store = EvidenceStore(s)
        info = store.add_file(source, name=name, target=LinkTarget("task", task_id))
        written = store.export_copy(info.id, out)
    assert written.parent == out and written.read_bytes() == b"%PDF-1.4 evidence"
    assert sorted(p.name for p in work.iterdir()) == ["minh-chung.pdf", "out"]
    assert [p.name for p in out.iterdir()] == [written.name] and "/" not in written.name
