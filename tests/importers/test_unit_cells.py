"""Unit cells as offices write them (issue 14): several units, shared prefixes, collectives."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.importers.unit_cells import is_collective, read_unit_cell
from cchc_desktop.services.unit_matching import match_key

KNOWN = {match_key(n) for n in (
    "Văn phòng Sở", "Phòng TCCB", "Phòng KHTC", "Phòng QLCLGD&CNTT", "Thanh tra Sở",
    "Trung tâm Thông tin và UDKHCN")}


def known(name: str) -> bool:
    return match_key(name) in KNOWN


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Phòng TCCB, QLCLGD&CNTT, KHTC", ["Phòng TCCB", "Phòng QLCLGD&CNTT", "Phòng KHTC"]),
        ("Phòng TCCB, KHTC", ["Phòng TCCB", "Phòng KHTC"]),
        ("Văn phòng Sở; Trung tâm Thông tin và UDKHCN",
         ["Văn phòng Sở", "Trung tâm Thông tin và UDKHCN"]),
        ("Văn phòng Sở\nThanh tra Sở", ["Văn phòng Sở", "Thanh tra Sở"]),
        ("Văn phòng Sở, Thanh tra Sở", ["Văn phòng Sở", "Thanh tra Sở"]),
        # collective names are one entry
        ("Các phòng, đơn vị thuộc Sở", ["Các phòng, đơn vị thuộc Sở"]),
        ("Các cơ quan, đơn vị có liên quan", ["Các cơ quan, đơn vị có liên quan"]),
        ("Các phòng, Thanh tra Sở", ["Các phòng, Thanh tra Sở"]),
        # a comma inside one unknown name: not split
        ("Tổ chức, cá nhân", ["Tổ chức, cá nhân"]),
        ("Phòng Khảo thí, QLCLGD và CNTT", ["Phòng Khảo thí, QLCLGD và CNTT"]),
        # texts keep their final full stop; list bullets and final ";" go
        ("- Các phòng chuyên môn, đơn vị trực thuộc Sở.",
         ["Các phòng chuyên môn, đơn vị trực thuộc Sở."]),
        ("Văn phòng Sở;", ["Văn phòng Sở"]),
        ("", []),
    ],
)
def test_read_unit_cell(cell: str, names: list[str]) -> None:
    assert read_unit_cell(cell, known) == names


def test_collective() -> None:
    assert is_collective("Các đơn vị trực thuộc")
    assert is_collective("Các cơ quan, đơn vị có liên quan")
    assert not is_collective("Văn phòng Sở")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Phòng Kế hoạch - Tài chính", "phòng kế hoạch -  tài chính"),
        ("Văn phòng Sở", unicodedata.normalize("NFD", "VĂN PHÒNG SỞ")),
        ("Phòng Giáo dục Hoà Bình", "Phòng Giáo dục Hòa Bình"),  # both tone placements
        ("Thanh tra Sở.", "Thanh tra Sở"),
    ],
)
def test_match_key_ignores_case_form_tone_placement_spacing(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


def test_match_key_keeps_diacritics() -> None:
    assert match_key("Văn phòng Sở") != match_key("Van phong So")


_names = st.sampled_from(["Văn phòng Sở", "Phòng TCCB", "Phòng KHTC", "Thanh tra Sở",
                          "Trung tâm Thông tin và UDKHCN", "Phòng QLCLGD&CNTT"])


@given(st.lists(_names, min_size=1, max_size=6, unique=True),
       st.sampled_from(["; ", "\n", ";\n", " ; "]))
def test_known_units_keep_the_order_written(names: list[str], separator: str) -> None:
    assert read_unit_cell(separator.join(names), known) == names


@given(st.lists(st.sampled_from(["TCCB", "KHTC", "QLCLGD&CNTT"]), min_size=1, max_size=3,
                unique=True))
def test_a_shared_prefix_is_distributed_over_known_parts(parts: list[str]) -> None:
    cell = "Phòng " + ", ".join(parts)
    assert read_unit_cell(cell, known) == [f"Phòng {p}" for p in parts]
