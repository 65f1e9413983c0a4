"""Damaged and hostile workbooks (.ods, .xls) give a clear message (or read normally), never
a traceback, a memory blow-up or minutes of parsing.

The files in data/hostile/ were made by a review: random byte flips of data/tasks_tcvn3.ods
(fz_*); from data/tasks.ods: a row span given as "1.0" (bad_span2), an unsupported compression method
(badmethod), a merged cell far beyond the data (far_span: an empty cell repeated 200 million
times, then a cell spanning rows) and a 40 MB comment inside content.xml (bomb40).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_desktop.errors import UserError
from cchc_desktop.importers.sheet import read_sheet

HOSTILE = Path(__file__).parent / "data" / "hostile"
GOOD = read_sheet(Path(__file__).parent / "data" / "tasks.ods")


@pytest.mark.parametrize("name", ["fz_EOFError.ods", "fz_NotImplementedError.ods",
                                  "fz_UnicodeDecodeError.ods", "fz_error.ods", "badmethod.ods"])
def test_a_damaged_file_is_a_clear_message(name):
    try:
        data = read_sheet(HOSTILE / name)
    except UserError as exc:
        assert name in exc.message and "hỏng" in exc.message
    else:  # the damage missed what the reader needs: the rows are still read
        assert data.rows


@pytest.mark.parametrize("name", ["bad_span2.ods", "far_span.ods", "bomb40.ods"])
def test_odd_layouts_read_the_values_and_stay_bounded(name):
    data = read_sheet(HOSTILE / name)
    assert len(data.rows) == len(GOOD.rows)
    assert max(len(values) for _n, values in data.rows) <= max(
        len(values) for _n, values in GOOD.rows) + 8


def test_the_xls_font_reader_ends_on_a_looping_sector_chain():
    from cchc_desktop.importers.xls_fonts import xls_legacy_fonts

    # difat_loop.xls: a header announcing 2**32-1 DIFAT sectors and one pointing to itself.
    assert xls_legacy_fonts((HOSTILE / "difat_loop.xls").read_bytes(), "Sheet1") == {}


def test_file_contents_are_logged_by_size_in_the_audit():
    from cchc_desktop.store.audit import _text

    assert _text(b"\x00" * 5000) == "<5.000 byte>"
