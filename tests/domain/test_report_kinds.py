"""Report kinds and their outlines; the report number as typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st


def test_each_kind_has_its_outline() -> None:
    from cchc_desktop.domain.report_kinds import ReportKind, section_keys

    assert section_keys(ReportKind.GENERAL) == (
        "intro", "area1", "area2", "area3", "area4", "area5", "area6", "area7", "area8",
        "assigned", "assessment", "next")
    assert section_keys(ReportKind.PROPAGANDA) == (
        "intro", "deploy", "staff", "public", "assessment", "next")
    assert section_keys(ReportKind.INDEX)[:3] == ("intro", "indexes", "area1")
    assert "papi" in section_keys(ReportKind.INDEX) and "sipas" in section_keys(ReportKind.INDEX)


def test_texts_are_stored_per_kind_and_general_keeps_the_old_key() -> None:
    from cchc_desktop.domain.report_kinds import ReportKind, narrative_key

    assert narrative_key("2021-H1", ReportKind.GENERAL) == "2021-H1"
    assert narrative_key("2021-9M", ReportKind.PROPAGANDA) == "2021-9M:propaganda"
    assert len(narrative_key("2021-9M", ReportKind.PROPAGANDA)) <= 20  # the column's width


def test_parse_report_kind() -> None:
    from cchc_desktop.domain.report_kinds import ReportKind, parse_report_kind

    assert parse_report_kind(" Propaganda ") is ReportKind.PROPAGANDA
    with pytest.raises(ValueError, match="Loại báo cáo không hợp lệ"):
        parse_report_kind("annual")


@pytest.mark.parametrize(("typed", "clean"), [
    ("263", "263"), ("5", "05"), ("05", "05"), (" 9 ", "09"), ("10", "10"), ("", None),
    (None, None), ("   ", None), ("007", "07"),
])
def test_report_number_digits_or_blank(typed: str | None, clean: str | None) -> None:
    from cchc_desktop.domain.text import clean_report_number

    assert clean_report_number(typed) == clean


@given(st.text(max_size=12))
def test_report_number_is_digits_or_refused(text: str) -> None:
    from cchc_desktop.domain.text import clean_report_number

    try:
        clean = clean_report_number(text)
    except ValueError as exc:
        assert "Số văn bản không hợp lệ" in str(exc)
        return
    assert clean is None or (clean.isascii() and clean.isdigit() and len(clean) >= 2)
