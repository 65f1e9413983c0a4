"""The self-scoring report: the criteria tree, scores, evidence per criterion, totals."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT

from cchc_desktop.cli.main import main
from tests.exporters.conftest import all_text, table_rows


@pytest.fixture
def scored(profile_db, tmp_path: Path):  # noqa: ANN001, ANN201
    from cchc_desktop.services.evidence import EvidenceStore, criterion_target
    from cchc_desktop.services.scoring import load_template, scoring_view, set_score

    with profile_db.session() as session:
        load_template(session, 2024)
    with profile_db.session() as session:
        leaves = [r for r in scoring_view(session, 2024).walk() if r.is_leaf]
        first, second = leaves[0], leaves[1]
        set_score(session, 2024, first.code, score=first.max_points, note="Đúng hạn")
        set_score(session, 2024, second.code, score=second.max_points / 2)
        proof = tmp_path / "kh.pdf"
        proof.write_bytes(b"%PDF-1.4 minh chung")
        EvidenceStore(session).add_file(proof, target=criterion_target(session, 2024, first.code),
                                        name="QĐ 12 ban hành kế hoạch.pdf")
    return profile_db, first, second


def test_scoring_report_tree_scores_evidence_totals(scored, tmp_path: Path) -> None:  # noqa: ANN001
    from cchc_desktop.exporters.scoring_docx import export_scoring
    from cchc_desktop.services.scoring import scoring_view

    db, first, second = scored
    out = tmp_path / "scoring.docx"
    with db.session() as session:
        export_scoring(session, 2024, out)
        view = scoring_view(session, 2024)
    doc = DocxDocument(str(out))
    assert doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    rows = table_rows(doc.tables[-1])
    assert rows[0] == ["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa",
                       "Điểm tự chấm", "Tài liệu kiểm chứng", "Ghi chú"]
    assert len(rows) == 1 + len(view.walk()) + 1
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[first.code][4] == "QĐ 12 ban hành kế hoạch.pdf"
    assert by_code[first.code][5] == "Đúng hạn"
    assert by_code[second.code][4] == ""
    expected_total = first.max_points + second.max_points / 2
    from cchc_desktop.domain.text import format_number_vi

    assert rows[-1][1:4] == ["Tổng điểm", "100", format_number_vi(expected_total, 2)]
    # Parents carry their sub-total in bold; leaves are plain.
    trs = doc.tables[-1]._tbl.tr_lst
    root_tr = next(tr for tr, r in zip(trs, rows, strict=True) if r[0] == view.roots[0].code)
    assert "CCHCCellGroup" in root_tr.xml
    leaf_tr = next(tr for tr, r in zip(trs, rows, strict=True) if r[0] == first.code)
    assert "CCHCCellGroup" not in leaf_tr.xml
    text = all_text(doc)
    assert f"Tổng điểm tự đánh giá: {format_number_vi(expected_total, 2)}/100 điểm" in text
    assert "- Lưu: VT, VP." in text


def test_scoring_without_framework_is_a_clear_error(db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db_file = str(db.url).removeprefix("sqlite:///")
    code = main(["--db", db_file, "export", "scoring", "--year", "2030",
                 "--out", str(tmp_path / "x.docx")])
    err = capsys.readouterr().err
    assert code == 1 and "Chưa có bộ tiêu chí năm 2030" in err
    assert not (tmp_path / "x.docx").exists()


def test_scoring_cli(scored, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = scored[0]
    db_file = str(db.url).removeprefix("sqlite:///")
    out = tmp_path / "s.docx"
    assert main(["--db", db_file, "export", "scoring", "--year", "2024", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "written" in captured.out and out.stat().st_size > 10_000
    # The second scored sub-criterion has points but no evidence file.
    assert "1 sub-criteria have a self score but no evidence" in captured.err
    assert scored[2].code in captured.err
