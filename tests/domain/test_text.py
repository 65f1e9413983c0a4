"""Vietnamese text: search keys, sorting, dates, numbers, document numbers, roman numerals."""

from __future__ import annotations

import random
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.domain.text import (
    DOC_TYPES,
    DocNumber,
    doc_type_from_symbol,
    fold,
    format_date_doc,
    format_date_vn,
    format_doc_number,
    format_number_vi,
    from_roman,
    nfc,
    parse_date_vn,
    parse_doc_number,
    place_date_line,
    search_key,
    to_roman,
    vi_sort_key,
)

VI_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
vi_text = st.text(alphabet=VI_LETTERS + VI_LETTERS.upper() + " 0123456789,.-", max_size=30)

# --------------------------------------------------------------------------- nfc and fold


def test_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Đào tạo")
    assert nfc(None) == ""
    assert nfc(f"  {nfd}\n") == "Đào tạo"
    assert nfc(" dòng 1\ndòng 2 ") == "dòng 1\ndòng 2"  # inner newline kept


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hoà", "hòa"),  # tone on the second or the first vowel
        ("thuỷ", "thủy"),
        ("Khoẻ", "khỏe"),
        ("Đào tạo", "dao tao"),
        ("ĐÀO TẠO", "dao tao"),
        ("đ", "d"),
        ("Ðào", "dao"),  # the look-alike eth from converted TCVN3 text
        ("Nguyễn   Văn\tAn ", "nguyen van an"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("ươ ƯƠ", "uo uo"),
    ],
)
def test_fold_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_fold_values() -> None:
    assert fold("  Sở Giáo dục\u00a0và  Đào tạo ") == "so giao duc va dao tao"
    assert fold(unicodedata.normalize("NFD", "Hòa Bình")) == "hoa binh"
    assert fold(None) == ""
    assert fold("") == ""
    assert fold("ABC 123") == "abc 123"
    assert search_key is fold


@given(st.text(max_size=40))
def test_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(vi_text)
def test_fold_of_vietnamese_is_ascii_and_ignores_normal_form(s: str) -> None:
    key = fold(s)
    assert key.isascii()
    assert fold(unicodedata.normalize("NFD", s)) == key
    assert fold(s.upper()) == key


# --------------------------------------------------------------------------- sorting


def test_vi_sort_order_of_names() -> None:
    names = ["Đào", "Dũng", "Ân", "Anh", "Ăn", "Bình"]
    assert sorted(names, key=vi_sort_key) == ["Anh", "Ăn", "Ân", "Bình", "Dũng", "Đào"]


def test_vi_sort_alphabet() -> None:
    alphabet = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = alphabet[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=vi_sort_key) == alphabet
    assert sorted([s.upper() for s in shuffled], key=vi_sort_key) == [s.upper() for s in alphabet]


def test_vi_sort_tones_are_secondary() -> None:
    tones = ["a", "à", "ả", "ã", "á", "ạ"]  # unmarked < huyền < hỏi < ngã < sắc < nặng
    assert sorted(reversed(tones), key=vi_sort_key) == tones
    # the letter decides before the tone: "ác" < "ăn" although "a" has a tone
    assert sorted(["ăn", "ác"], key=vi_sort_key) == ["ác", "ăn"]
    assert sorted(["Ánh", "Anh", "Ảnh"], key=vi_sort_key) == ["Anh", "Ảnh", "Ánh"]


def test_vi_sort_ignores_case_and_tone_placement() -> None:
    assert vi_sort_key("hoà")[:2] == vi_sort_key("hòa")[:2]
    assert vi_sort_key("An")[:3] == vi_sort_key("an")[:3]
    assert sorted(["b", "A", "a", "B"], key=vi_sort_key) == ["A", "a", "B", "b"]


def test_vi_sort_digits_and_spaces() -> None:
    assert sorted(["Phòng b", "Phòng 10", "Phòng 2"], key=vi_sort_key) == [
        "Phòng 2",
        "Phòng 10",
        "Phòng b",
    ]
    assert sorted(["Anh", "An Bình"], key=vi_sort_key) == ["An Bình", "Anh"]
    assert sorted(["Anh", "1", "Ân"], key=vi_sort_key)[0] == "1"


def test_vi_sort_key_accepts_nfd() -> None:
    nfd = unicodedata.normalize("NFD", "Đặng Thị Ánh")
    assert vi_sort_key(nfd) == vi_sort_key("Đặng Thị Ánh")


@given(st.text(max_size=20))
def test_vi_sort_key_ignores_the_normal_form(s: str) -> None:
    assert vi_sort_key(unicodedata.normalize("NFD", s)) == vi_sort_key(s)


@given(vi_text)
def test_vi_sort_key_ignores_case_for_order(s: str) -> None:
    assert vi_sort_key(s.upper())[:2] == vi_sort_key(s.lower())[:2]


@given(vi_text, vi_text)
def test_vi_sort_key_puts_a_prefix_first(a: str, b: str) -> None:
    assert vi_sort_key(a) <= vi_sort_key(a + b)


@given(st.lists(vi_text, max_size=8))
def test_vi_sort_key_orders_distinct_texts_repeatably(items: list[str]) -> None:
    once = sorted(set(items), key=vi_sort_key)
    assert sorted(reversed(once), key=vi_sort_key) == once


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("d", "ui", "doc"),
    [
        (date(2021, 6, 7), "07/06/2021", "07/6/2021"),
        (date(2021, 1, 26), "26/01/2021", "26/01/2021"),
        (date(2022, 2, 5), "05/02/2022", "05/02/2022"),
        (date(2022, 11, 20), "20/11/2022", "20/11/2022"),
        (date(2022, 3, 1), "01/03/2022", "01/3/2022"),  # March: no zero in documents
        (date(2022, 12, 31), "31/12/2022", "31/12/2022"),
        (date(2022, 10, 9), "09/10/2022", "09/10/2022"),
    ],
)
def test_date_formats(d: date, ui: str, doc: str) -> None:
    assert format_date_vn(d) == ui
    assert format_date_doc(d) == doc


@pytest.mark.parametrize(
    ("d", "line"),
    [
        (date(2021, 6, 7), "Sơn La, ngày 07 tháng 6 năm 2021"),
        (date(2022, 2, 5), "Sơn La, ngày 05 tháng 02 năm 2022"),
        (date(2022, 1, 15), "Sơn La, ngày 15 tháng 01 năm 2022"),
        (date(2022, 11, 20), "Sơn La, ngày 20 tháng 11 năm 2022"),
        (date(2022, 3, 9), "Sơn La, ngày 09 tháng 3 năm 2022"),
    ],
)
def test_place_date_line(d: date, line: str) -> None:
    assert place_date_line("Sơn La", d) == line


def test_place_date_line_blank() -> None:
    line = place_date_line("Sơn La", None, 2026)
    assert line.startswith("Sơn La, ngày ")
    assert line.endswith(" năm 2026")
    assert " tháng " in line
    assert not any(ch.isdigit() for ch in line.removesuffix("2026"))
    # day and month blanks are wide enough to write in
    assert "ngày      " in line and "tháng      " in line
    no_year = place_date_line("Sơn La", None)
    assert no_year.rstrip().endswith("năm") and len(no_year) > len("Sơn La, ngày tháng năm") + 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07/06/2021", date(2021, 6, 7)),
        ("7/6/2021", date(2021, 6, 7)),
        ("07-06-2021", date(2021, 6, 7)),
        ("7.6.2021", date(2021, 6, 7)),
        (" 29/02/2024 ", date(2024, 2, 29)),
        ("2021-06-07", date(2021, 6, 7)),
        ("2021-6-7", date(2021, 6, 7)),
    ],
)
def test_parse_date_vn(text: str, expected: date) -> None:
    assert parse_date_vn(text) == expected


@pytest.mark.parametrize(
    "text",
    ["31/02/2022", "29/02/2023", "00/01/2022", "32/1/2022", "1/13/2022", "7/6/21", "7/6-2021", ""],
)
def test_parse_date_vn_errors(text: str) -> None:
    with pytest.raises(ValueError, match="Ngày không hợp lệ"):
        parse_date_vn(text)


def test_parse_date_vn_message_names_the_date() -> None:
    with pytest.raises(ValueError, match="Ngày không hợp lệ: 31/02/2022"):
        parse_date_vn("31/02/2022")


@given(st.dates())
def test_date_round_trip(d: date) -> None:
    assert parse_date_vn(format_date_vn(d)) == d
    assert parse_date_vn(format_date_doc(d)) == d
    assert parse_date_vn(d.isoformat()) == d


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (97.65, 2, "97,65"),
        (8188, 2, "8.188"),
        (0.25, 2, "0,25"),
        (10.0, 2, "10"),
        (1234567.891, 2, "1.234.567,89"),
        (97.655, 2, "97,66"),  # half up, not the float's binary neighbour
        (0.5, 0, "1"),
        (2.5, 0, "3"),
        (97.65, 1, "97,7"),
        (Decimal("14.50"), 2, "14,5"),
        (-1234.5, 2, "-1.234,5"),
        (-0.001, 2, "0"),  # no "-0"
        (0, 2, "0"),
        (100, 2, "100"),
        (1000, 2, "1.000"),
        (1e20, 2, "100.000.000.000.000.000.000"),
    ],
)
def test_format_number_vi(x: float | int | Decimal, decimals: int, expected: str) -> None:
    assert format_number_vi(x, decimals) == expected


@pytest.mark.parametrize("x", [float("nan"), float("inf"), Decimal("NaN")])
def test_format_number_vi_refuses_non_finite(x: float | Decimal) -> None:
    with pytest.raises(ValueError):
        format_number_vi(x)


def test_format_number_vi_refuses_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_number_vi(1.5, -1)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_format_number_vi_reads_back(x: Decimal) -> None:
    text = format_number_vi(x)
    assert Decimal(text.replace(".", "").replace(",", ".")) == x
    assert not text.endswith(",") and not (("," in text) and text.endswith("0"))


# --------------------------------------------------------------------------- document numbers


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((263, "BC", "SGDĐT"), "263/BC-SGDĐT"),
        ((5, "BC", "SGDĐT"), "05/BC-SGDĐT"),  # leading zero below 10
        (("5", "KH", "SGDĐT"), "05/KH-SGDĐT"),
        ((10, "KH", "SGDĐT"), "10/KH-SGDĐT"),
        ((123, None, "SGDĐT", "VP"), "123/SGDĐT-VP"),  # công văn: agency then division
        ((None, "KH", "SGDĐT"), "/KH-SGDĐT"),  # unnumbered draft
        (("", "KH", "SGDĐT"), "/KH-SGDĐT"),
        ((36, "KH", "UBND"), "36/KH-UBND"),
    ],
)
def test_format_doc_number(args: tuple[int | str | None, str | None, str], expected: str) -> None:
    assert format_doc_number(*args) == expected


def test_doc_number_str() -> None:
    assert str(DocNumber("7", "QĐ", "UBND")) == "07/QĐ-UBND"
    assert str(DocNumber("123", None, "SGDĐT", "VP")) == "123/SGDĐT-VP"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("263/BC-SGDĐT", DocNumber("263", "BC", "SGDĐT")),
        ("36/KH-UBND", DocNumber("36", "KH", "UBND")),
        ("123/SGDĐT-VP", DocNumber("123", None, "SGDĐT", "VP")),
        ("2094/QĐ-UBND", DocNumber("2094", "QĐ", "UBND")),
        ("01-NQ/TU", DocNumber("01", "NQ", "TU")),
        ("Số: 263/BC-SGDĐT", DocNumber("263", "BC", "SGDĐT")),
        (" 05 / Ttr - SNV ", DocNumber("05", "TTr", "SNV")),
        ("30/2020/NĐ-CP", DocNumber("30/2020", "NĐ", "CP")),
        ("/KH-SGDĐT", DocNumber("", "KH", "SGDĐT")),
        ("581/BNV-CCHC", DocNumber("581", None, "BNV", "CCHC")),
        ("2948/QĐ-BNV", DocNumber("2948", "QĐ", "BNV")),
        ("45/UBND", DocNumber("45", None, "UBND")),
    ],
)
def test_parse_doc_number(text: str, expected: DocNumber) -> None:
    assert parse_doc_number(text) == expected


@pytest.mark.parametrize("text", ["263", "BC-SGDĐT", ""])
def test_parse_doc_number_needs_a_slash(text: str) -> None:
    with pytest.raises(ValueError, match="/"):
        parse_doc_number(text)


@pytest.mark.parametrize(
    ("symbol", "name"),
    [
        ("263/BC-SGDĐT", "Báo cáo"),
        ("36/KH-UBND", "Kế hoạch"),
        ("2094/QĐ-UBND", "Quyết định"),
        ("TB-UBND", "Thông báo"),
        ("CT-UBND", "Chỉ thị"),
        ("HD-SGDĐT", "Hướng dẫn"),
        ("TTr-SGDĐT", "Tờ trình"),
        ("CTr-UBND", "Chương trình"),
        ("BB-SGDĐT", "Biên bản"),
        ("GM-SGDĐT", "Giấy mời"),
        ("01-NQ/TU", "Nghị quyết"),
        ("30/2020/NĐ-CP", "Nghị định"),
        ("TT-BNV", "Thông tư"),
        ("BC", "Báo cáo"),
        ("123/SGDĐT-VP", "Công văn"),
        ("SGDĐT-VP", "Công văn"),
        ("", None),
    ],
)
def test_doc_type_from_symbol(symbol: str, name: str | None) -> None:
    assert doc_type_from_symbol(symbol) == name


def test_doc_types_table() -> None:
    required = {
        "KH": "Kế hoạch",
        "BC": "Báo cáo",
        "QĐ": "Quyết định",
        "TB": "Thông báo",
        "CT": "Chỉ thị",
        "HD": "Hướng dẫn",
        "TTr": "Tờ trình",
        "CTr": "Chương trình",
        "BB": "Biên bản",
        "GM": "Giấy mời",
        "NQ": "Nghị quyết",
        "NĐ": "Nghị định",
        "TT": "Thông tư",
    }
    assert required.items() <= DOC_TYPES.items()
    assert len({abbr.upper() for abbr in DOC_TYPES}) == len(DOC_TYPES)  # case-blind lookup is safe


_ABBR = st.text(alphabet="ABCDĐGHKLMNPQSTUVX&", min_size=1, max_size=6)
_NOT_A_TYPE = _ABBR.filter(lambda s: s.upper() not in {t.upper() for t in DOC_TYPES})


@given(
    st.none() | st.integers(min_value=0, max_value=99999),
    st.none() | st.sampled_from(sorted(DOC_TYPES)),
    _NOT_A_TYPE,
    st.none() | _ABBR,
)
def test_doc_number_round_trip(
    number: int | None, type_abbr: str | None, agency: str, division: str | None
) -> None:
    text = format_doc_number(number, type_abbr, agency, division)
    parsed = parse_doc_number(text)
    assert str(parsed) == text
    assert (parsed.type_abbr, parsed.agency_abbr, parsed.division) == (type_abbr, agency, division)
    if number is not None:
        assert int(parsed.number) == number


# --------------------------------------------------------------------------- roman numerals


@pytest.mark.parametrize(
    ("n", "roman"),
    [(1, "I"), (4, "IV"), (6, "VI"), (9, "IX"), (14, "XIV"), (40, "XL"), (1994, "MCMXCIV")],
)
def test_roman(n: int, roman: str) -> None:
    assert to_roman(n) == roman
    assert from_roman(roman) == n


@pytest.mark.parametrize(("text", "n"), [("VI.", 6), (" II ", 2), ("iv", 4), ("VIII.", 8)])
def test_from_roman_lenient(text: str, n: int) -> None:
    assert from_roman(text) == n


@pytest.mark.parametrize("text", ["", ".", "IIII", "VX", "ABC", "1", "I V", "Một"])
def test_from_roman_not_a_numeral(text: str) -> None:
    assert from_roman(text) is None


@pytest.mark.parametrize("n", [0, -1, 4000])
def test_to_roman_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        to_roman(n)


@given(st.integers(min_value=1, max_value=3999))
def test_roman_round_trip(n: int) -> None:
    assert from_roman(to_roman(n)) == n
    assert from_roman(to_roman(n) + ".") == n


_ALL_ROMANS = frozenset(to_roman(n) for n in range(1, 4000))


@given(st.text(alphabet="IVXLCDMivxlcdm. ", max_size=8))
def test_from_roman_accepts_only_canonical_numerals(s: str) -> None:
    value = from_roman(s)
    canonical = nfc(s).removesuffix(".").strip().upper()
    if value is None:
        assert canonical not in _ALL_ROMANS
    else:
        assert to_roman(value) == canonical


_VI_TEXT = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạầấẩẫậèéẻẽẹ ĐĂÂ0123456789-,.“”",
                   max_size=12)


@given(_VI_TEXT, _VI_TEXT)
def test_vi_sort_text_orders_as_vi_sort_key(a: str, b: str) -> None:
    from cchc_desktop.domain.text import vi_sort_text

    key_a, key_b = vi_sort_key(a)[:2], vi_sort_key(b)[:2]
    if key_a < key_b:
        assert vi_sort_text(a) < vi_sort_text(b)
    elif key_a == key_b:
        assert vi_sort_text(a) == vi_sort_text(b)
    assert vi_sort_text(a).isascii()


def test_vi_sort_text_follows_the_vietnamese_alphabet() -> None:
    from cchc_desktop.domain.text import vi_sort_text

    words = ["Đồng", "Dung", "Âu", "Ăn", "An", "ba", "bà", "Phòng 10", "Phòng 2", "Ư", "U"]
    assert sorted(words, key=vi_sort_text) == [
        "An", "Ăn", "Âu", "ba", "bà", "Dung", "Đồng", "Phòng 2", "Phòng 10", "U", "Ư"]
