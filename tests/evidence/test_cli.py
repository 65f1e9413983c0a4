"""``cchc evidence`` end to end: add, list --json, verify exit codes, bundle, limit."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from cchc_desktop.cli.main import main
from cchc_desktop.store.evidence_home import evidence_dir


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_evidence_cli_round_trip(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "e.sqlite3")
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "scoring", "template", "--year", "2024")[0] == 0
    plan = tmp_path / "KH CCHC.pdf"
    plan.write_bytes(b"plan")
    report = tmp_path / "BC.docx"
    report.write_bytes(b"report")
    code, out, _ = run(capsys, "--db", db, "evidence", "add", str(plan), "--criterion", "1.1.1",
                       "--year", "2024")
    assert code == 0 and "stored" in out
    code, out, _ = run(capsys, "--db", db, "evidence", "add", str(plan), "--criterion", "1.2",
                       "--year", "2024")
    assert code == 0 and "already stored" in out
    assert run(capsys, "--db", db, "evidence", "add", str(report), "--criterion", "1.2",
               "--year", "2024")[0] == 0
    code, out, err = run(capsys, "--db", db, "evidence", "add", str(report), "--criterion", "1.9",
                         "--year", "2024")
    assert code == 1 and "1.9" in err
    code, out, _ = run(capsys, "--db", db, "evidence", "list", "--criterion", "1.2", "--year",
                       "2024", "--json")
    items = json.loads(out)
    assert sorted(i["name"] for i in items) == ["BC.docx", "KH CCHC.pdf"]
    assert run(capsys, "--db", db, "evidence", "verify")[0] == 0

    sha = next(i["sha256"] for i in items if i["name"] == "BC.docx")
    (evidence_dir(Path(db)) / sha[:2] / sha[2:]).write_bytes(b"tampered")
    other = next(i["sha256"] for i in items if i["name"] == "KH CCHC.pdf")
    (evidence_dir(Path(db)) / other[:2] / other[2:]).unlink()
    code, _, err = run(capsys, "--db", db, "evidence", "verify")
    assert code == 1 and "BC.docx" in err and "KH CCHC.pdf" in err
    assert "thay đổi" in err and "thiếu" in err

    out_zip = tmp_path / "goi.zip"
    plan.write_bytes(b"plan")
    assert run(capsys, "--db", db, "evidence", "add", str(plan), "--criterion", "1.1.1",
               "--year", "2024")[0] == 0  # re-adding the same bytes repairs the store
    assert run(capsys, "--db", db, "evidence", "bundle", "--year", "2024", "--out",
               str(out_zip))[0] == 0
    with zipfile.ZipFile(out_zip) as archive:
        assert {"1.1.1/KH CCHC.pdf", "1.2/KH CCHC.pdf", "1.2/BC.docx"} <= set(archive.namelist())

    code, out, _ = run(capsys, "--db", db, "evidence", "limit", "--mb", "0.000001")
    assert code == 0 and "1e-06 MB" in out
    code, _, err = run(capsys, "--db", db, "evidence", "add", str(report), "--criterion", "1.3.1",
                       "--year", "2024")
    assert code == 2 and "vượt giới hạn" in err
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "--db", db, "evidence", "add", str(empty), "--task", "1")
    assert code == 2 and "rỗng" in err


def test_scoring_export_reimports(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "s.sqlite3")
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "scoring", "template", "--year", "2024")[0] == 0
    out = tmp_path / "k.json"
    assert run(capsys, "--db", db, "scoring", "export", "--year", "2024", "--out", str(out))[0] == 0
    code, text, _ = run(capsys, "--db", db, "scoring", "import", str(out), "--year", "2025")
    assert code == 0 and "82 criteria" in text
    code, _, err = run(capsys, "--db", db, "scoring", "copy", "--from", "2024", "--to", "2025")
    assert code == 1 and "2025" in err


def test_scoring_export_xlsx_round_trip(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "x.sqlite3")
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "scoring", "template", "--year", "2024")[0] == 0
    out = tmp_path / "khung.xlsx"
    assert run(capsys, "--db", db, "scoring", "export", "--year", "2024", "--out", str(out))[0] == 0
    code, text, err = run(capsys, "--db", db, "scoring", "import", str(out), "--year", "2026")
    assert code == 0, err
    code, text, _ = run(capsys, "--db", db, "scoring", "show", "--year", "2026", "--json")
    data = json.loads(text)
    assert data["max_total"] == 100
    first = data["criteria"][0]["children"][0]["children"][1]
    assert first["code"] == "1.1.2" and first["suggested_basis"]


def test_evidence_delete_goes_to_the_trash_and_restore_brings_it_back(
    tmp_path: Path, capsys
) -> None:
    db = str(tmp_path / "t.sqlite3")
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "scoring", "template", "--year", "2024")[0] == 0
    plan = tmp_path / "KH CCHC.pdf"
    plan.write_bytes(b"plan")
    assert run(capsys, "--db", db, "evidence", "add", str(plan), "--criterion", "1.1.1",
               "--year", "2024")[0] == 0
    [item] = json.loads(run(capsys, "--db", db, "evidence", "list", "--json")[1])
    code, _, err = run(capsys, "--db", db, "evidence", "delete", str(item["id"]))
    assert code == 1 and "--yes" in err
    code, out, _ = run(capsys, "--db", db, "evidence", "delete", str(item["id"]), "--yes")
    assert code == 0 and "trash" in out
    assert json.loads(run(capsys, "--db", db, "evidence", "list", "--json")[1]) == []
    [trashed] = json.loads(run(capsys, "--db", db, "evidence", "trash", "--json")[1])
    assert trashed["evidence_id"] == item["id"] and trashed["name"] == "KH CCHC.pdf"
    assert [link["kind"] for link in trashed["links"]] == ["criterion"]
    code, out, _ = run(capsys, "--db", db, "evidence", "restore", str(trashed["id"]))
    assert code == 0 and f"restored as evidence {item['id']}" in out
    [back] = json.loads(run(capsys, "--db", db, "evidence", "list", "--json")[1])
    assert back["id"] == item["id"] and [link["label"] for link in back["links"]] == [
        link["label"] for link in item["links"]]

    assert run(capsys, "--db", db, "evidence", "delete", str(item["id"]), "--yes")[0] == 0
    [trashed] = json.loads(run(capsys, "--db", db, "evidence", "trash", "--json")[1])
    code, _, err = run(capsys, "--db", db, "evidence", "trash", "--purge", str(trashed["id"]))
    assert code == 1 and "--yes" in err
    sha = item["sha256"]
    assert (evidence_dir(Path(db)) / sha[:2] / sha[2:]).exists()
    assert run(capsys, "--db", db, "evidence", "trash", "--purge", str(trashed["id"]),
               "--yes")[0] == 0
    assert not (evidence_dir(Path(db)) / sha[:2] / sha[2:]).exists()
    code, out, _ = run(capsys, "--db", db, "evidence", "trash")
    assert code == 0 and "(0 tệp trong thùng rác)" in out
    code, _, err = run(capsys, "--db", db, "evidence", "restore", str(trashed["id"]))
    assert code == 1 and "thùng rác" in err
