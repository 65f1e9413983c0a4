"""The ``cchc import`` and ``cchc export`` commands, as a user runs them."""

from __future__ import annotations

import pytest

from cchc_desktop.cli.main import build_parser, main
from tests.importers.conftest import HEADER, snapshot


def cli(db_path, *args: str) -> int:  # noqa: ANN001
    return main(["--db", str(db_path), *args])


def test_bad_row_exits_2_and_names_the_row(units_db, db_path, make_sheet, capsys) -> None:  # noqa: ANN001, E501
    path = make_sheet([
        ["KẾ HOẠCH CCHC NĂM 2022"], [], HEADER,
        [1, "Tốt", None, None, "31/01/2022", None, "Văn phòng Sở"],
        [2, "Ngày sai", None, None, "32/01/2022", None, "Văn phòng Sở"],
        [3, "Tốt nữa", None, None, None, None, "Thanh tra Sở"],
        [4, "Không chủ trì"],
    ])
    before = snapshot(units_db)
    assert cli(db_path, "import", "tasks", str(path)) == 2
    err = capsys.readouterr().err
    assert "2 bad row(s)" in err and "nothing was imported" in err
    assert "row 5: Thời hạn: '32/01/2022' không phải là ngày hợp lệ" in err
    assert "row 7: Thiếu đơn vị chủ trì." in err
    assert "row 4" not in err and "row 6" not in err
    assert snapshot(units_db) == before


def test_import_dry_run_then_for_real(units_db, db_path, make_sheet, capsys) -> None:  # noqa: ANN001
    path = make_sheet([HEADER, [1, "Việc A", None, "Quý IV", None, None, "Van phong So"]])
    # A name the catalogue does not know is never created silently: exit 2, with a suggestion.
    assert cli(db_path, "import", "tasks", str(path), "--year", "2022", "--dry-run") == 2
    err = capsys.readouterr().err
    assert "not in the catalogue" in err and "--create-units" in err
    assert "'Van phong So' (dòng 2); gợi ý: Văn phòng Sở" in err
    assert cli(db_path, "import", "tasks", str(path), "--year", "2022",
               "--accept-suggestions") == 0
    out = capsys.readouterr().out
    assert "Đã thêm 1 nhiệm vụ" in out and "gộp vào 'Văn phòng Sở'" in out
    assert "Đơn vị mới" not in out
    assert cli(db_path, "tasks", "list", "--unit", "Văn phòng Sở") == 0
    assert "Việc A" in capsys.readouterr().out


def test_not_excel_exits_1_with_a_clear_message(db, db_path, tmp_path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "list.pdf"
    path.write_bytes(b"%PDF-1.4 not a workbook")
    assert cli(db_path, "import", "tasks", str(path)) == 1
    err = capsys.readouterr().err
    assert "không phải bảng tính Excel" in err and "Traceback" not in err
    path = tmp_path / "list.docx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert cli(db_path, "import", "tasks", str(path)) == 1
    err = capsys.readouterr().err
    assert "không phải là tài liệu Word" in err and "Traceback" not in err


def test_export_tasks_and_documents(demo_db, db_path, tmp_path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "ubnd.xlsx"
    assert cli(db_path, "export", "tasks", str(out), "--assigned-by", "UBND",
               "--as-of", "20/11/2024") == 0
    assert "tasks written" in capsys.readouterr().out and out.exists()
    assert cli(db_path, "import", "tasks", str(out), "--dry-run") == 0
    assert "không đổi" in capsys.readouterr().out
    docs = tmp_path / "docs.xlsx"
    assert cli(db_path, "export", "documents", str(docs)) == 0
    assert cli(db_path, "export", "tasks", str(tmp_path / "x.csv")) == 1


def test_export_group_is_shared() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    export_actions = next(
        a for a in sub.choices["export"]._actions if hasattr(a, "choices") and a.choices
    )
    assert {"tasks", "documents"} <= set(export_actions.choices)
    with pytest.raises(SystemExit):
        parser.parse_args(["import", "tasks"])  # the file is required
