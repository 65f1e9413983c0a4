"""``cchc export report|plan|overdue`` and the PDF conversion."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from cchc_desktop.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_file(shared_demo: tuple[Path, Path], tmp_path: Path) -> str:
    copy = tmp_path / "demo.sqlite3"
    shutil.copy(shared_demo[0], copy)
    return str(copy)


def test_export_report(demo_file: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "bc.docx"
    code, stdout, _ = run(capsys, "--db", demo_file, "export", "report", "--period", "2024-H1",
                          "--number", "263", "--date", "2024-06-07", "--no-charts",
                          "--out", str(out))
    assert code == 0 and f"written: {out}" in stdout
    texts = [p.text for p in DocxDocument(str(out)).tables[0].rows[0].cells[0].paragraphs]
    assert "Số: 263/BC-SGDĐT" in texts


def test_export_plan_and_overdue(demo_file: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, _, _ = run(capsys, "--db", demo_file, "export", "plan", "1", "--out",
                     str(tmp_path / "kh.docx"))
    assert code == 0 and (tmp_path / "kh.docx").stat().st_size > 10_000
    code, stdout, _ = run(capsys, "--db", demo_file, "export", "overdue", "--as-of",
                          "20/11/2024", "--out", str(tmp_path / "qh.docx"))
    assert code == 0 and "qh.docx" in stdout
    text = "\n".join(p.text for p in DocxDocument(str(tmp_path / "qh.docx")).paragraphs)
    assert "tính đến ngày 20/11/2024" in text


def test_bad_period_is_a_clear_error(demo_file: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", demo_file, "export", "report", "--period", "2021-H3",
              "--out", str(tmp_path / "x.docx")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Invalid report period '2021-H3'" in err and "YYYY-H1" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.docx").exists()


def test_unknown_plan_and_missing_folder(demo_file: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, _, err = run(capsys, "--db", demo_file, "export", "plan", "999", "--out",
                       str(tmp_path / "x.docx"))
    assert code == 1 and "999" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", demo_file, "export", "overdue", "--as-of", "2024-11-20",
                       "--out", str(tmp_path / "no" / "x.docx"))
    assert code == 1 and "Thư mục không tồn tại" in err


def test_pdf_without_converter_says_so(demo_file: str, tmp_path: Path, capsys,  # noqa: ANN001
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from cchc_desktop.exporters import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf, "_word_available", lambda: False)
    code, stdout, err = run(capsys, "--db", demo_file, "export", "plan", "1", "--out",
                            str(tmp_path / "kh.docx"), "--pdf")
    assert code == 1 and "LibreOffice" in err and "Word" in err
    assert "kh.docx" in stdout  # the .docx itself was written


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_with_libreoffice(tmp_path: Path) -> None:
    from cchc_desktop.exporters.docx_base import DocWriter
    from cchc_desktop.exporters.pdf import convert_to_pdf

    w = DocWriter()
    w.paragraph("Báo cáo thử")
    w.save(tmp_path / "a.docx")
    pdf = convert_to_pdf(tmp_path / "a.docx")
    assert pdf == (tmp_path / "a.pdf").resolve()
    assert pdf.read_bytes().startswith(b"%PDF")


def _io_like_register(sub: argparse._SubParsersAction) -> None:
    """What io_commands does: an ``export`` group with its own Excel actions."""
    from cchc_desktop.cli.export_commands import export_actions

    actions = export_actions(sub)
    actions.add_parser("tasks").set_defaults(func="tasks")


@pytest.mark.parametrize("io_first", [True, False])
def test_export_group_shared_in_either_order(io_first: bool) -> None:
    from cchc_desktop.cli import export_commands

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    if io_first:
        _io_like_register(sub)
        export_commands.register(sub)
    else:
        export_commands.register(sub)
        _io_like_register(sub)
    assert parser.parse_args(["export", "tasks"]).func == "tasks"
    args = parser.parse_args(["export", "report", "--period", "2021", "--out", "a.docx"])
    assert args.func is export_commands.cmd_export_report and args.period.code == "2021"


def test_export_group_created_by_someone_else_plainly() -> None:
    from cchc_desktop.cli import export_commands

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    other = sub.add_parser("export").add_subparsers(dest="what")
    other.add_parser("documents").set_defaults(func="documents")
    export_commands.register(sub)
    assert parser.parse_args(["export", "documents"]).func == "documents"
    assert parser.parse_args(["export", "plan", "3", "--out", "p.docx"]).plan_id == 3


def test_exports_on_an_empty_database_from_the_cli(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db_file = str(tmp_path / "empty.sqlite3")
    assert run(capsys, "--db", db_file, "init")[0] == 0
    # No agency profile yet: refused, with where to set it; nothing written.
    code, _stdout, err = run(capsys, "--db", db_file, "export", "report", "--period", "2021-9M",
                             "--out", str(tmp_path / "none.docx"))
    assert code == 1 and "cchc profile set" in err and "Traceback" not in err
    assert not (tmp_path / "none.docx").exists()
    code, _stdout, err = run(capsys, "--db", db_file, "profile", "set", "--parent",
                             "UBND TỈNH SƠN LA", "--agency", "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                             "--abbr", "SGDĐT", "--place", "Sơn La")
    assert code == 0, err
    for argv in (["report", "--period", "2021-9M"], ["overdue", "--as-of", "2021-09-30"]):
        out = tmp_path / f"{argv[0]}.docx"
        code, stdout, err = run(capsys, "--db", db_file, "export", *argv, "--out", str(out))
        assert code == 0, err
        assert out.stat().st_size > 5_000
        if argv[0] == "report":  # warned before writing
            assert "warning: Mục “2. Cải cách thể chế” không có số liệu" in err
    text = "\n".join(p.text for p in DocxDocument(str(tmp_path / "report.docx")).paragraphs)
    assert "Trong kỳ báo cáo, không có nội dung phát sinh." in text


def test_export_report_window_override(demo_file: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "bc.docx"
    code, _, err = run(capsys, "--db", demo_file, "export", "report", "--period", "2024-H1",
                       "--from", "01/01/2024", "--to", "2024-06-30", "--no-charts",
                       "--out", str(out))
    assert code == 0, err
    text = "\n".join(p.text for p in DocxDocument(str(out)).paragraphs)
    assert "(số liệu tính từ ngày 01/01/2024 đến ngày 30/6/2024)" in text
    code, _, err = run(capsys, "--db", demo_file, "export", "report", "--period", "2024-H1",
                       "--from", "2024-07-01", "--to", "2024-06-30", "--out", str(out))
    assert code == 2 and "không hợp lệ" in err
