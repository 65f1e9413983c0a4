"""User file names are shown as given and never become paths."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.domain.filenames import (
    RESERVED_WINDOWS_NAMES,
    display_name,
    is_hostile,
    safe_component,
)


def test_hostile_names_become_harmless_components() -> None:
    assert safe_component("../../etc/passwd") == "passwd"
    assert safe_component("..\\..\\Windows\\system.ini") == "system.ini"
    assert safe_component("CON.txt") == "_CON.txt"
    assert safe_component("lpt1") == "_lpt1"
    assert safe_component("báo\x00cáo\x1b.pdf") == "báocáo.pdf"
    assert safe_component("..") == "tep"
    assert safe_component("tên. ") == "tên"
    assert safe_component('a<b>c:"d|e?f*.docx') == "a_b_c__d_e_f_.docx"


def test_display_keeps_the_name_but_drops_control_characters() -> None:
    assert display_name("Kế hoạch 36/KH-UBND.pdf") == "Kế hoạch 36/KH-UBND.pdf"
    assert display_name("evil\u202eexe.pdf") == "evilexe.pdf"
    assert display_name("") == "(không tên)"


def test_is_hostile() -> None:
    assert is_hostile("../x") and is_hostile("CON.txt") and is_hostile("a\x07b")
    assert not is_hostile("Báo cáo quý I.docx")


@given(st.text(max_size=300))
def test_any_name_gives_a_safe_component(name: str) -> None:
    out = safe_component(name)
    assert out and len(out) <= 120
    assert "/" not in out and "\\" not in out and out not in (".", "..")
    assert not any(ord(c) < 32 for c in out)
    assert out.split(".")[0].upper() not in RESERVED_WINDOWS_NAMES
    assert not out.endswith((".", " "))
    assert not is_hostile(out)
