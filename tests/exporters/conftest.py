"""Fixtures and readers for the exporter tests: documents are opened and inspected."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(path: Path, name: str) -> etree._Element:
    """Parse one XML part of a .docx (e.g. "word/document.xml")."""
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def parts(path: Path, prefix: str) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.startswith(prefix) and n.endswith(".xml")}


def table_rows(table) -> list[list[str]]:  # noqa: ANN001 - docx Table
    """Cell texts of every row, read from the XML (a row with a span has fewer cells)."""
    rows = []
    for tr in table._tbl.tr_lst:
        rows.append(["".join(t.text or "" for t in tc.iter(q("t"))) for tc in tr.tc_lst])
    return rows


def all_text(doc) -> str:  # noqa: ANN001 - docx Document
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts.extend(cell for row in table_rows(table) for cell in row)
    return "\n".join(texts)


@pytest.fixture
def profile_db(db):  # noqa: ANN001, ANN201
    """An empty database with the agency profile of sample 000."""
    from cchc_desktop.services.profile import AgencyProfile, save_profile

    with db.session() as session:
        save_profile(session, AgencyProfile(
            signer="Cầm Văn An",
            recipients=["Sở Nội vụ (để báo cáo)", "Sở Thông tin và Truyền thông (để báo cáo)",
                        "Ban Giám đốc Sở (để báo cáo)"],
        ))
    return db


@pytest.fixture
def demo_profile_db(demo_db):  # noqa: ANN001, ANN201
    from cchc_desktop.services.profile import AgencyProfile, save_profile

    with demo_db.session() as session:
        save_profile(session, AgencyProfile(signer="Cầm Văn An"))
    return demo_db


@pytest.fixture(scope="session")
def shared_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(database, report): the demo database (300 tasks, 20/11/2024) and its H1 2024 report,
    numbered 263 and dated 07/6/2024, without charts; built once, only read by the tests."""
    from cchc_desktop.domain.periods import parse_period
    from cchc_desktop.exporters.report_docx import ReportOptions, export_report
    from cchc_desktop.services.demo import build_demo
    from cchc_desktop.services.profile import AgencyProfile, save_profile
    from cchc_desktop.store.db import open_database

    folder = tmp_path_factory.mktemp("shared_demo")
    db_file, out = folder / "demo.sqlite3", folder / "report.docx"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_DATA_DIR", str(folder / "data"))
        mp.delenv("CCHC_DB", raising=False)
        database = open_database(str(db_file))
        try:
            with database.session() as session:
                build_demo(session, 300, seed=7, today=date(2024, 11, 20))
                save_profile(session, AgencyProfile(signer="Cầm Văn An"))
            with database.session() as session:
                export_report(session, ReportOptions(parse_period("2024-H1"), "263",
                                                     date(2024, 6, 7), charts=False,
                                                     tasks_appendix="all"), out)
        finally:
            database.close()
    return db_file, out


@pytest.fixture
def demo_report(shared_demo: tuple[Path, Path]) -> Path:
    return shared_demo[1]


@pytest.fixture
def shared_demo_db(shared_demo: tuple[Path, Path]):  # noqa: ANN201
    """The shared demo database, opened read-mostly for one test."""
    from cchc_desktop.store.db import open_database

    database = open_database(str(shared_demo[0]))
    yield database
    database.close()
