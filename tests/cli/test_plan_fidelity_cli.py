"""The whole path from the command line (issue 14): plans add, units alias, import of a Word
plan with unknown units refused (exit 2) unless mapped or created."""

from __future__ import annotations

import json
from pathlib import Path

from cchc_desktop.cli.main import main
from tests.importers.real_plans import PLANS, write_docx


def cli(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), *args])


def test_word_plan_from_the_command_line(db, db_path, tmp_path, capsys) -> None:  # noqa: ANN001
    assert cli(db_path, "plans", "add", "--year", "2022", "--kind", "propaganda", "--number",
               "588/KH-SGDĐT", "--date", "2022-03-04", "--title",
               "Kế hoạch tuyên truyền cải cách hành chính năm 2022", "--json") == 0
    plan_id = json.loads(capsys.readouterr().out)["id"]
    assert cli(db_path, "units", "add", "Văn phòng Sở") == 0
    assert cli(db_path, "units", "alias", "Văn phòng Sở", "VP Sở") == 0
    assert cli(db_path, "units", "alias", "Văn phòng Sở", "vp  sở") == 2  # already its name
    capsys.readouterr()
    header, rows, _groups = PLANS["003"]
    path = write_docx(tmp_path / "588.docx", header, rows)

    assert cli(db_path, "import", "tasks", str(path), "--plan", str(plan_id)) == 2
    err = capsys.readouterr().err
    assert "not in the catalogue" in err and "'Các phòng thuộc Sở' (dòng" in err

    mapping = tmp_path / "don_vi.csv"
    mapping.write_text("Các phòng thuộc Sở;+\n", encoding="utf-8")
    assert cli(db_path, "import", "tasks", str(path), "--plan", str(plan_id),
               "--units-map", str(mapping)) == 0
    out = capsys.readouterr().out
    assert "Đã thêm 6 nhiệm vụ" in out
    assert "Nhóm I. Nội dung tuyên truyền (3 nhiệm vụ): lĩnh vực Không thuộc lĩnh vực nào" in out
    assert "chưa hiểu thời hạn 'Theo tiến độ của Thành phố'" in out

    assert cli(db_path, "tasks", "list", "--as-of", "2022-06-01") == 0
    listed = capsys.readouterr().out
    assert "[chưa hiểu thời hạn: Theo tiến độ của Thành phố]" in listed
    assert listed.count("chưa hiểu thời hạn") == 1

    out_docx = tmp_path / "ra.docx"
    assert cli(db_path, "export", "plan", str(plan_id), "--out", str(out_docx)) == 1
    assert "cchc profile set" in capsys.readouterr().err  # a new database has no letterhead
    assert cli(db_path, "profile", "set", "--parent", "UBND THÀNH PHỐ HỒ CHÍ MINH", "--agency",
               "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "--abbr", "SGDĐT", "--place",
               "Thành phố Hồ Chí Minh") == 0
    assert cli(db_path, "export", "plan", str(plan_id), "--out", str(out_docx)) == 0


def test_units_map_to_an_existing_unit(db, db_path, tmp_path, capsys) -> None:  # noqa: ANN001
    assert cli(db_path, "units", "add", "Văn phòng Sở") == 0
    header = ("STT", "Nội dung", "Thời gian thực hiện", "Cơ quan chủ trì")
    path = write_docx(tmp_path / "a.docx", header, [("1", "Việc A", "Quý IV", "VPS")])
    mapping = tmp_path / "map.tsv"
    mapping.write_text("VPS\tVăn phòng Sở\n", encoding="utf-8")
    assert cli(db_path, "import", "tasks", str(path), "--year", "2022",
               "--units-map", str(mapping)) == 0
    capsys.readouterr()
    assert cli(db_path, "units", "list", "--json") == 0
    assert [u["name"] for u in json.loads(capsys.readouterr().out)] == ["Văn phòng Sở"]
    # The mapping is remembered: the next import needs no map.
    assert cli(db_path, "import", "tasks", str(path), "--year", "2022") == 0


def test_doc_without_libreoffice_is_a_clear_message(db, db_path, tmp_path, capsys,  # noqa: ANN001
                                                    monkeypatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda _name: None)
    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old word")
    assert cli(db_path, "import", "tasks", str(path)) == 1
    err = capsys.readouterr().err
    assert "LibreOffice" in err and "Traceback" not in err


def test_plan_groups_listed_and_their_area_changed(db, db_path, tmp_path, capsys) -> None:  # noqa: ANN001
    assert cli(db_path, "plans", "add", "--year", "2022", "--title", "KH CCHC 2022") == 0
    plan_id = capsys.readouterr().out.strip()
    header, rows, _groups = PLANS["003"]
    path = write_docx(tmp_path / "588.docx", header, rows)
    assert cli(db_path, "import", "tasks", str(path), "--plan", plan_id, "--create-units") == 0
    capsys.readouterr()
    assert cli(db_path, "plans", "groups", plan_id, "--json") == 0
    groups = json.loads(capsys.readouterr().out)
    assert [(g["number"], g["title"], g["area"]) for g in groups] == [
        ("I", "Nội dung tuyên truyền", None), ("II", "Hình thức tuyên truyền", None)]
    assert cli(db_path, "plans", "group", str(groups[1]["id"]), "--area", "3") == 0
    capsys.readouterr()
    # Reports count by the area attribute: the group's three tasks follow its new area.
    assert cli(db_path, "tasks", "summary", "--area", "3", "--json") == 0
    assert json.loads(capsys.readouterr().out)["total"] == 3
