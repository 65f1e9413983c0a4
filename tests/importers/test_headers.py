"""Header detection: every alias, ignoring case, diacritics, spaces and line breaks."""

from __future__ import annotations

import pytest

from cchc_desktop.errors import UserError
from cchc_desktop.importers.headers import (
    DOCUMENT_COLUMNS,
    TASK_COLUMNS,
    find_header,
    header_key,
)

TASK_ALIASES = [(spec.key, name) for spec in TASK_COLUMNS for name in (spec.label, *spec.aliases)]
DOC_ALIASES = [(spec.key, name) for spec in DOCUMENT_COLUMNS
               for name in (spec.label, *spec.aliases)]


def test_header_key_ignores_case_diacritics_spacing_and_breaks() -> None:
    assert header_key("Nội dung") == "noi dung"
    assert header_key("  NỘI\nDUNG ") == "noi dung"
    assert header_key("Noi   dung") == "noi dung"
    assert header_key("Kết quả/\nSản phẩm") == "ket qua san pham"
    assert header_key(None) == "" and header_key(3.0) == ""


@pytest.mark.parametrize(("key", "alias"), TASK_ALIASES)
def test_every_task_alias(key: str, alias: str) -> None:
    # Upper case with a line break inside, under a title row and a blank row.
    mangled = alias.upper().replace(" ", "\n", 1)
    cells = ["STT", mangled] if key == "content" else ["Nội dung", mangled]
    rows = [(1, ["KẾ HOẠCH"]), (2, [None]), (3, cells)]
    header = find_header(rows, TASK_COLUMNS, "content")
    assert header.row_number == 3
    assert header.columns[key] == 1


@pytest.mark.parametrize(("key", "alias"), DOC_ALIASES)
def test_every_document_alias(key: str, alias: str) -> None:
    cells = ["Số ký hiệu", alias] if key != "symbol" else ["Ngày ban hành", alias]
    header = find_header([(5, cells)], DOCUMENT_COLUMNS, "symbol")
    assert header.columns[key] == 1


@pytest.mark.parametrize("specs", [TASK_COLUMNS, DOCUMENT_COLUMNS])
def test_no_alias_names_two_fields(specs) -> None:  # noqa: ANN001
    owner: dict[str, str] = {}
    for spec in specs:
        for name in (spec.label, *spec.aliases):
            assert owner.setdefault(header_key(name), spec.key) == spec.key, name


def test_first_matching_column_wins_and_unknown_are_listed() -> None:
    header = find_header(
        [(1, ["STT", "Nội dung", "Sản phẩm", "Kết quả", "Tình trạng"])], TASK_COLUMNS, "content"
    )
    assert header.columns == {"stt": 0, "content": 1, "output": 2}
    assert header.ignored == ("Kết quả", "Tình trạng")


def test_missing_required_header_names_it() -> None:
    with pytest.raises(UserError, match='"Số ký hiệu"'):
        find_header([(1, ["STT", "Trích yếu"])], DOCUMENT_COLUMNS, "symbol")


def test_a_title_equal_to_an_alias_is_not_the_header() -> None:
    rows = [(1, ["NHIỆM VỤ"]), (2, ["TT", "Nhiệm vụ", "Chủ trì"])]
    header = find_header(rows, TASK_COLUMNS, "content")
    assert header.row_number == 2 and header.columns == {"stt": 0, "content": 1, "lead": 2}
    assert find_header([(7, ["Nội dung"])], TASK_COLUMNS, "content").row_number == 7
