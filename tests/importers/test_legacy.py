"""TCVN3 and VNI text back to Unicode: tables, detection, and whole sheets."""

from __future__ import annotations

import unicodedata

import pytest

from cchc_desktop.importers.legacy import (
    LegacyEncoding,
    detect_encoding,
    font_encoding,
    tcvn3_to_unicode,
    vni_to_unicode,
)

# Pairs written by hand from the TCVN 5712 VN3 and VNI Windows code charts.
TCVN3_CASES = [
    ("KÕ ho¹ch", "Kế hoạch"),
    ("B¸o c¸o", "Báo cáo"),
    ("V¨n phßng Së", "Văn phòng Sở"),
    ("Phßng Tæ chøc c¸n bé", "Phòng Tổ chức cán bộ"),
    ("C¶i c¸ch hµnh chÝnh", "Cải cách hành chính"),
    ("Thñ tôc hµnh chÝnh", "Thủ tục hành chính"),
    ("Së Gi¸o dôc vµ §µo t¹o", "Sở Giáo dục và Đào tạo"),
    ("Quý IV n¨m 2022", "Quý IV năm 2022"),
    ("ñy ban nh©n d©n tØnh", "ủy ban nhân dân tỉnh"),
    ("C«ng t¸c chØ ®¹o, ®iÒu hµnh", "Công tác chỉ đạo, điều hành"),
    ("¡ ¢ £ ¤ ¥ ¦ §", "Ă Â Ê Ô Ơ Ư Đ"),
    ("x©y dùng chÝnh quyÒn sè", "xây dựng chính quyền số"),
]
VNI_CASES = [
    ("Keá hoaïch", "Kế hoạch"),
    ("Baùo caùo", "Báo cáo"),
    ("Vaên phoøng Sôû", "Văn phòng Sở"),
    ("Sôû Giaùo duïc vaø Ñaøo taïo", "Sở Giáo dục và Đào tạo"),
    ("Caûi caùch haønh chính", "Cải cách hành chính"),
    ("Thuû tuïc haønh chính", "Thủ tục hành chính"),
    ("Phoøng Toå chöùc caùn boä", "Phòng Tổ chức cán bộ"),
    ("Vieät Nam", "Việt Nam"),
    ("ñaëc bieät, naêm, löïc, möôøi", "đặc biệt, năm, lực, mười"),
    ("Uûy ban nhaân daân tænh", "Ủy ban nhân dân tỉnh"),
    ("ÑAÛNG COÄNG SAÛN", "ĐẢNG CỘNG SẢN"),
]


@pytest.mark.parametrize(("legacy", "expected"), TCVN3_CASES)
def test_tcvn3_to_unicode(legacy: str, expected: str) -> None:
    assert tcvn3_to_unicode(legacy) == expected
    assert detect_encoding(legacy) in (LegacyEncoding.TCVN3, None)


@pytest.mark.parametrize(("legacy", "expected"), VNI_CASES)
def test_vni_to_unicode(legacy: str, expected: str) -> None:
    out = vni_to_unicode(legacy)
    assert out == expected
    assert unicodedata.is_normalized("NFC", out)


def test_capitals_font_upper_cases() -> None:
    assert tcvn3_to_unicode("c¶i c¸ch hµnh chÝnh", upper=True) == "CẢI CÁCH HÀNH CHÍNH"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KÕ ho¹ch", LegacyEncoding.TCVN3),
        ("V¨n phßng Së", LegacyEncoding.TCVN3),
        ("Thñ tôc", LegacyEncoding.TCVN3),
        ("Keá hoaïch", LegacyEncoding.VNI),
        ("Vieät Nam", LegacyEncoding.VNI),
        ("Sôû Giaùo duïc vaø Ñaøo taïo", LegacyEncoding.VNI),
        # Unicode text is left alone, including the old tone placement "hoá".
        ("Kế hoạch", None),
        ("hoá đơn", None),
        ("Báo cáo", None),
        ("Thường xuyên", None),
        ("Plain ASCII 36/KH-UBND", None),
    ],
)
def test_detect_encoding(text: str, expected: LegacyEncoding | None) -> None:
    assert detect_encoding(text) == expected


def test_font_encoding() -> None:
    assert font_encoding(".VnTime") == (LegacyEncoding.TCVN3, False)
    assert font_encoding(".VnArial") == (LegacyEncoding.TCVN3, False)
    assert font_encoding(".VnTimeH") == (LegacyEncoding.TCVN3, True)
    assert font_encoding("VNI-Times") == (LegacyEncoding.VNI, False)
    assert font_encoding("Times New Roman") is None
    assert font_encoding(None) is None


def test_every_tcvn3_byte_gives_one_vietnamese_letter() -> None:
    from cchc_desktop.importers.legacy import _TCVN3_BYTES

    # 7 capitals, 7 lower-case ă â ê ô ơ ư đ, and 12 vowels x 5 tones
    assert len(_TCVN3_BYTES) == 7 + 7 + 60
    assert len(set(_TCVN3_BYTES.values())) == 74
    for letter in _TCVN3_BYTES.values():
        assert len(letter) == 1 and unicodedata.name(letter).startswith("LATIN")


def test_tcvn3_sheet_by_font(make_sheet) -> None:  # noqa: ANN001
    from cchc_desktop.importers.sheet import read_sheet

    path = make_sheet(
        [["STT", "Néi dung", "C¬ quan chñ tr×"], [1, "Baùo caùo", "V¨n phßng"]],
        fonts={(1, 2): ".VnTime", (1, 3): ".VnTime", (2, 2): "VNI-Times", (2, 3): ".VnArial"},
    )
    data = read_sheet(path)
    assert data.rows[0][1] == ["STT", "Nội dung", "Cơ quan chủ trì"]
    # "Baùo caùo" has no byte that proves VNI on its own: the font does.
    assert data.rows[1][1] == [1.0, "Báo cáo", "Văn phòng"]
    assert data.conversions[LegacyEncoding.TCVN3] == 3
    assert data.conversions[LegacyEncoding.VNI] == 1


def test_legacy_font_on_the_second_sheet_when_the_first_is_empty(tmp_path) -> None:  # noqa: ANN001
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from cchc_desktop.importers.sheet import read_sheet

    wb = Workbook()
    wb.active.title = "Trống"
    ws = wb.create_sheet("Dữ liệu")
    ws["B3"] = "Néi dung"
    ws["B3"].font = Font(name=".VnTimeH")
    wb.save(tmp_path / "two.xlsx")
    data = read_sheet(tmp_path / "two.xlsx")
    assert data.sheet_name == "Dữ liệu"
    assert data.rows[2] == (3, [None, "NỘI DUNG"])
