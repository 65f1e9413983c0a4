"""The eight areas of CCHC work."""

from __future__ import annotations

import pytest

from cchc_desktop.domain.areas import REFORM_AREAS, ReformArea, area_from_text, area_name


def test_eight_areas_in_official_order() -> None:
    assert [a.code for a in REFORM_AREAS] == list(range(1, 9))
    assert [a.short for a in REFORM_AREAS] == [
        "Chỉ đạo, điều hành",
        "Thể chế",
        "TTHC",
        "Tổ chức bộ máy",
        "Công vụ",
        "Tài chính công",
        "Chính quyền số",
        "Tác động",
    ]
    assert REFORM_AREAS[2] == ReformArea(3, "Cải cách thủ tục hành chính", "TTHC")


def test_every_official_name_is_recognised_as_its_own_area() -> None:
    for area in REFORM_AREAS:
        assert area_from_text(area.name) == area.code


@pytest.mark.parametrize(
    ("code", "name"),
    [
        (1, "Công tác chỉ đạo, điều hành CCHC"),
        (7, "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
        (None, "Chưa phân loại"),
        (0, "Chưa phân loại"),
        (9, "Chưa phân loại"),
    ],
)
def test_area_name(code: int | None, name: str) -> None:
    assert area_name(code) == name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Công tác chỉ đạo, điều hành về CCHC", 1),
        ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 1),
        ("Cải cách thể chế", 2),
        ("II. CẢI CÁCH THỂ CHẾ", 2),
        ("Cải cách TTHC", 3),
        ("Cải cách thủ tục hành chính", 3),
        ("cai cach thu tuc hanh chinh", 3),
        ("Cải cách tổ chức bộ máy hành chính nhà nước", 4),
        ("Cải cách chế độ công vụ", 5),
        ("Cải cách chế độ công vụ, công chức", 5),
        ("Cải cách tài chính công", 6),
        ("Xây dựng và phát triển chính quyền điện tử, chính quyền số", 7),
        ("Hiện đại hóa hành chính", 7),
        ("Hiện đại hoá hành chính", 7),
        ("Xây dựng chính phủ điện tử", 7),
        ("Tác động của CCHC", 8),
        ("Tác động của cải cách hành chính đến người dân", 8),
    ],
)
def test_area_from_text(text: str, code: int) -> None:
    assert area_from_text(text) == code


@pytest.mark.parametrize(
    "text", ["", "Kế hoạch CCHC năm 2022", "Cải cách hành chính", "Tuyên truyền", "Thể thao"]
)
def test_area_from_text_unrecognised(text: str) -> None:
    assert area_from_text(text) is None


@pytest.mark.parametrize(
    ("title", "code"),
    [
        # sample 002's group titles, as written
        ("Công tác chỉ đạo, điều hành về CCHC", 1),
        ("Cải cách thể chế", 2),
        ("Cải cách TTHC", 3),
        ("Cải cách tổ chức bộ máy hành chính nhà nước", 4),
        ("Cải cách chế độ công vụ", 5),
        ("Cải cách tài chính công", 6),
        ("Xây dựng và phát triển chính quyền điện tử, chính quyền số", 7),
        ("Chỉ số hiệu quả quản trị và hành chính công", 8),
        ("Chỉ số hài lòng", 8),
        ("Hiện đại hóa nền hành chính", 7),
        # a propaganda plan's groups are no area, whatever their number
        ("Nội dung tuyên truyền", None),
        ("Hình thức tuyên truyền", None),
        ("Nội dung, thời gian, hình thức tuyên truyền", None),
    ],
)
def test_suggest_area_from_the_title_only(title: str, code: int | None) -> None:
    from cchc_desktop.domain.areas import suggest_area

    assert suggest_area(title) == code


def test_area_label() -> None:
    from cchc_desktop.domain.areas import area_label

    assert area_label(3) == "3. Cải cách thủ tục hành chính"
    assert area_label(None) == "Không thuộc lĩnh vực nào"
