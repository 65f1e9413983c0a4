"""The ``cchc`` command line, run in-process and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_desktop.cli.main import main

SUMMARY_KEYS = {"total", "done_on_time", "done_late", "done_no_deadline",
                "open_on_time", "open_overdue", "open_no_deadline"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "demo.sqlite3")
    assert run(capsys, "--db", path, "init")[0] == 0  # only init creates a database
    code, out, _ = run(capsys, "--db", path, "demo", "--tasks", "250", "--seed", "3",
                       "--today", "2024-11-20")
    assert code == 0 and "250 tasks" in out
    return path


def test_init_creates_database(tmp_path: Path, capsys) -> None:
    path = tmp_path / "new.sqlite3"
    code, out, _ = run(capsys, "--db", str(path), "init")
    assert code == 0 and path.exists() and "database ready" in out


def test_summary_json_has_exact_keys_and_adds_up(demo_file: str, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_file, "tasks", "summary", "--as-of", "2024-11-20", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == SUMMARY_KEYS
    assert data["total"] == 250 == sum(v for k, v in data.items() if k != "total")
    assert all(data[k] > 0 for k in SUMMARY_KEYS)


def test_summary_filters(demo_file: str, capsys) -> None:
    _, out, _ = run(capsys, "--db", demo_file, "tasks", "summary", "--as-of", "20/11/2024",
                    "--json", "--assigned-by", "UBND tỉnh")
    ubnd = json.loads(out)
    _, out, _ = run(capsys, "--db", demo_file, "tasks", "summary", "--as-of", "20/11/2024",
                    "--json", "--unit", "Văn phòng Sở")
    vp = json.loads(out)
    assert 0 < ubnd["total"] < 250 and 0 < vp["total"] < 250


def test_overdue_list_json(demo_file: str, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_file, "tasks", "list", "--overdue",
                       "--as-of", "2024-11-20", "--json")
    rows = json.loads(out)
    assert code == 0 and rows
    assert all(r["status"] == "open_overdue" and r["due_date"] < "2024-11-20" for r in rows)
    _, out, _ = run(capsys, "--db", demo_file, "tasks", "summary", "--as-of", "2024-11-20", "--json")
    assert len(rows) == json.loads(out)["open_overdue"]


def test_units_list_json(demo_file: str, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_file, "units", "list", "--json")
    units = json.loads(out)
    assert code == 0 and len(units) >= 20
    assert {"id", "name", "short_name", "kind"} <= set(units[0])
    assert units[0]["name"] == "Văn phòng Sở"


def test_profile_set_and_show(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "p.sqlite3")
    assert run(capsys, "--db", db, "init")[0] == 0
    code, _, _ = run(capsys, "--db", db, "profile", "set", "--parent", "UBND TỈNH SƠN LA",
                     "--agency", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "--abbr", "SGDĐT", "--signer", "Cầm Văn An",
                     "--recipients", "Sở Nội vụ (để báo cáo);Ban Giám đốc Sở")
    assert code == 0
    _, out, _ = run(capsys, "--db", db, "profile", "show", "--json")
    profile = json.loads(out)
    assert profile["signer"] == "Cầm Văn An"
    assert profile["recipients"] == ["Sở Nội vụ (để báo cáo)", "Ban Giám đốc Sở"]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["tasks", "summary", "--unit", "Phòng không có"], 1, "Không tìm thấy đơn vị"),
        (["demo", "--tasks", "0"], 2, "between 1 and 1000000"),
        (["plans", "copy", "999", "--year", "2030"], 1, "Không tìm thấy kế hoạch"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path: Path, capsys, argv, code, message) -> None:
    assert run(capsys, "--db", str(tmp_path / "e.sqlite3"), "init")[0] == 0
    got, _, err = run(capsys, "--db", str(tmp_path / "e.sqlite3"), *argv)
    assert got == code and message in err and "Traceback" not in err


def test_bad_date_argument_exits_non_zero(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--db", str(tmp_path / "d.sqlite3"), "tasks", "summary", "--as-of", "31/02/2022"])
    assert info.value.code == 2
    assert "31/02/2022" in capsys.readouterr().err


def test_not_a_database_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("hello")
    code, _, err = run(capsys, "--db", str(bad), "tasks", "summary")
    assert code == 1 and "không phải là cơ sở dữ liệu" in err


def test_real_subprocess_entry_point(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    result = subprocess.run([sys.executable, "-m", "cchc_desktop.cli.main", "--db", db, "init"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    version = subprocess.run([sys.executable, "-m", "cchc_desktop.cli.main", "--version"],
                             capture_output=True, text=True, timeout=60)
    from cchc_desktop import __version__
    assert version.stdout.strip() == f"cchc {__version__}"


def test_report_draft_and_text(tmp_path, capsys) -> None:  # noqa: ANN001
    """`cchc report draft` prints each section as exported; `report text --set` stores one."""
    import json

    from cchc_desktop.cli.main import main

    db = str(tmp_path / "r.sqlite3")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "demo", "--tasks", "200", "--seed", "3", "--today",
                 "2026-11-20"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "report", "draft", "--period", "2026-H1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["key"] for r in rows][:3] == ["intro", "area1", "area2"]
    area1 = next(r for r in rows if r["key"] == "area1")
    assert area1["source"] == "draft" and "tính đến ngày 14/6/2026" in area1["text"]
    text_file = tmp_path / "t.txt"
    text_file.write_text("Đoạn một.\nĐoạn hai.\n", encoding="utf-8")
    assert main(["--db", db, "report", "text", "--period", "2026-H1", "--section", "area2",
                 "--set", str(text_file)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "report", "text", "--period", "2026-H1", "--section",
                 "area2"]) == 0
    assert capsys.readouterr().out == "Đoạn một.\nĐoạn hai.\n"
    assert main(["--db", db, "report", "text", "--period", "2026-H1", "--kind", "propaganda",
                 "--section", "area2"]) == 2
    assert "Mục báo cáo không hợp lệ: area2" in capsys.readouterr().err
    assert main(["--db", db, "report", "text", "--period", "2026-H1", "--section", "area2",
                 "--set", str(tmp_path / "none.txt")]) == 1
    assert main(["--db", db, "export", "report", "--period", "2026-H1", "--number", "abc",
                 "--out", str(tmp_path / "x.docx")]) == 2
    assert "Số văn bản không hợp lệ" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()
