"""Chasing letters: one công văn per lead unit, opened and checked rule by rule."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from cchc_desktop.cli.main import main
from tests.exporters.conftest import all_text, table_rows

D = date(2021, 6, 14)


@pytest.fixture
def seeded(profile_db):  # noqa: ANN001, ANN201
    from cchc_desktop.services.documents import save_document
    from cchc_desktop.store.models import Task, Unit

    with profile_db.session() as session:
        doc = save_document(session, "36/KH-UBND", date(2021, 1, 26), issuer="UBND tỉnh",
                            summary="Cải cách hành chính")
        vp = Unit(name="Văn phòng Sở", short_name="VP", kind="division", position=1)
        tt = Unit(name="Thanh tra Sở", short_name="TTr", kind="division", position=2)
        kh = Unit(name="Phòng Kế hoạch - Tài chính", short_name="KHTC", kind="division",
                  position=3)
        session.add_all([vp, tt, kh])
        session.flush()

        def task(content: str, unit: Unit | None, **kw: object) -> None:
            session.add(Task(content=content, content_key=content.lower(), year=2021,
                             lead_unit_id=unit.id if unit else None, **kw))

        task("Quá hạn 12 ngày", vp, due_date=D - timedelta(days=12), document_id=doc.id,
             assigned_by="UBND tỉnh")
        task("Đến hạn hôm nay", vp, due_date=D)
        task("Còn 7 ngày", tt, due_date=D + timedelta(days=7))
        task("Còn 8 ngày", tt, due_date=D + timedelta(days=8))
        task("Đã xong", kh, due_date=D - timedelta(days=1), completed_on=D)
        task("Không đơn vị", None, due_date=D - timedelta(days=1))
    return profile_db


def _export(db, tmp_path: Path, **kw: object) -> list[Path]:  # noqa: ANN001
    from cchc_desktop.exporters.reminders_docx import ReminderOptions, export_reminders

    with db.session() as session:
        return export_reminders(session, ReminderOptions(D, **kw), tmp_path)


def test_one_letter_per_unit_with_its_tasks(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    paths = _export(seeded, tmp_path)
    # Phòng KH-TC finished its task; a task without a lead unit has no one to write to.
    assert [p.name for p in paths] == ["Cong_van_don_doc_Thanh_Tra_So.docx",
                                       "Cong_van_don_doc_Van_Phong_So.docx"]
    doc = DocxDocument(str(paths[1]))
    left = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left[-2] == "Số:       /SGDĐT-VP"  # a công văn: no type abbreviation
    assert left[-1].startswith("V/v đôn đốc thực hiện nhiệm vụ")
    texts = [p.text for p in doc.paragraphs]
    assert "Kính gửi: Văn phòng Sở." in texts
    assert "BÁO CÁO" not in texts  # no type name on an official letter
    rows = table_rows(doc.tables[1])
    assert rows[0] == ["STT", "Nội dung nhiệm vụ", "Văn bản giao", "Thời hạn", "Tình trạng"]
    assert rows[1:] == [
        ["I", "Nhiệm vụ quá hạn"],
        ["1", "Quá hạn 12 ngày", "36/KH-UBND, UBND tỉnh", "02/6/2021", "Quá hạn 12 ngày"],
        ["II", "Nhiệm vụ sắp đến hạn"],
        ["1", "Đến hạn hôm nay", "Kế hoạch của Sở", "14/6/2021", "Đến hạn hôm nay"],
    ]
    text = all_text(doc)
    assert "Văn phòng Sở còn 1 nhiệm vụ đã quá hạn nhưng chưa hoàn thành và 1 nhiệm vụ đến hạn " \
           "trong 7 ngày tới (đến ngày 21/6/2021)" in text
    assert "- Như trên;" in text and "- Lưu: VT, VP." in text
    assert "[" not in text


def test_due_within_includes_its_last_day(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    paths = _export(seeded, tmp_path, unit="TTr")
    rows = table_rows(DocxDocument(str(paths[0])).tables[1])
    assert [r[1] for r in rows[1:] if len(r) > 2] == ["Còn 7 ngày"]
    paths = _export(seeded, tmp_path, unit="TTr", within=8)
    rows = table_rows(DocxDocument(str(paths[0])).tables[1])
    assert [r[1] for r in rows[1:] if len(r) > 2] == ["Còn 7 ngày", "Còn 8 ngày"]
    assert _export(seeded, tmp_path, unit="TTr", within=6) == []


def test_combined_file_has_every_letter_from_a_new_page(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.exporters.conftest import q

    paths = _export(seeded, tmp_path, combined=True)
    assert paths[-1].name == "Cong_van_don_doc_tat_ca.docx"
    doc = DocxDocument(str(paths[-1]))
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("Kính gửi: Thanh tra Sở.") == 1 and "Kính gửi: Văn phòng Sở." in texts
    assert len(doc.sections) == 2
    second = doc.sections[1]._sectPr
    assert second.find(q("pgNumType")).get(q("start")) == "1"
    assert second.find(q("titlePg")) is not None  # its first page unnumbered, as a letter's


def test_write_unit_reminder_for_one_unit(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.reminders_docx import write_unit_reminder

    with seeded.session() as session:
        path = write_unit_reminder(session, "Thanh tra Sở", D, tmp_path / "tt.docx")
        nothing = write_unit_reminder(session, "KHTC", D, tmp_path / "kh.docx")
    assert path == tmp_path / "tt.docx" and path.exists()
    assert nothing is None and not (tmp_path / "kh.docx").exists()


def test_cli_reminders(seeded, db_path: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "letters"
    out.mkdir()
    code = main(["--db", str(db_path), "export", "reminders", "--as-of", "14/06/2021",
                 "--within", "7", "--out-dir", str(out), "--combined"])
    stdout = capsys.readouterr().out
    assert code == 0
    assert stdout.count("written: ") == 3
    code = main(["--db", str(db_path), "export", "reminders", "--as-of", "14/06/2021",
                 "--out-dir", str(tmp_path / "missing")])
    err = capsys.readouterr().err
    assert code == 1 and "Thư mục không tồn tại" in err
    code = main(["--db", str(db_path), "export", "reminders", "--as-of", "14/06/2021",
                 "--within", "-1", "--out-dir", str(out)])
    assert code == 2 and "Số ngày sắp đến hạn" in capsys.readouterr().err


def test_cli_reminders_default_to_the_office_s_due_soon_window(seeded, db_path: Path,
                                                               tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from cchc_desktop.services.office_settings import OfficeSettings, save_office_settings

    with seeded.session() as session:
        save_office_settings(session, OfficeSettings(90, 30, 50.0))
    empty = tmp_path / "none"
    empty.mkdir()
    code = main(["--db", str(db_path), "export", "reminders", "--as-of", "01/01/2000",
                 "--out-dir", str(empty)])
    assert code == 0 and "due within 90 days" in capsys.readouterr().out
