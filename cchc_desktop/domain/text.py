"""Vietnamese text: normalisation, search keys, sorting, dates, numbers, document numbers.

Everything here is pure and fast enough to run on every row of a large table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from itertools import chain

__all__ = [
    "DOC_TYPES",
    "DocNumber",
    "doc_type_from_symbol",
    "fold",
    "format_date_doc",
    "format_date_vn",
    "format_doc_number",
    "format_number_vi",
    "from_roman",
    "nfc",
    "parse_date_vn",
    "parse_doc_number",
    "place_date_line",
    "search_key",
    "to_roman",
    "vi_sort_key",
    "vi_sort_text",
]

# --------------------------------------------------------------------------- normalising


def nfc(s: str | None) -> str:
    """Return ``s`` in NFC with outer whitespace stripped (inner newlines kept); None gives ""."""
    if s is None:
        return ""
    return unicodedata.normalize("NFC", s).strip()


# Translation tables are lists indexed by code point: faster than dicts, and str.translate
# leaves characters beyond the end (an IndexError) unchanged. Each is built on first use
# (tens of ms together): importing this module costs the program's first paint nothing.
_TABLE_SIZE = 0x1F00  # up to the end of Latin Extended Additional (Vietnamese letters)
_COMBINING = range(0x0300, 0x0370)


@cache
def _fold_table() -> list[int | None]:
    table: list[int | None] = list(range(_TABLE_SIZE))
    # Deleting every combining mark makes NFD input fold like NFC input, and
    # makes "hoà" and "hòa" equal whichever vowel carries the tone.
    for cp in _COMBINING:
        table[cp] = None
    for cp in chain(range(0x00C0, 0x0250), range(0x1E00, _TABLE_SIZE)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii() and base.isalpha():
            table[cp] = ord(base.lower())
    # đ does not decompose. Text converted from TCVN3 sometimes carries the
    # look-alike Icelandic eth (Ð, ð) instead of Đ, so fold it the same way.
    for ch in "đĐðÐ":
        table[ord(ch)] = ord("d")
    return table


def fold(s: str | None) -> str:
    """Return a search key: lower case, no diacritics or tone marks, đ as d, single spaces.

    "Đào  tạo" and "dao tao" fold alike, and so do "hoà"/"hòa" and NFD input.
    """
    if not s:
        return ""
    if s.isascii():
        return " ".join(s.lower().split())
    # lower() first: a few capitals lower-case to accented letters the table folds.
    return " ".join(s.lower().translate(_fold_table()).split())


search_key = fold


# --------------------------------------------------------------------------- sorting

# The Vietnamese alphabet, with the Latin letters it lacks (f, j, w, z) at their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tones in dictionary (and CLDR "vi") order: ngang < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_MODIFIED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# The primary key is a string of weights, so that comparing keys runs in C: a space sorts
# first, other characters by code point, then numbers, then the letters of the alphabet.
_SPACE_WEIGHT = 0x01
_NUMBER_BASE = 0xF0000  # + the number's length in digits
_LETTER_BASE = 0x100000  # + the letter's place in _ALPHABET
_DIGIT_RUN = re.compile(r"\d+", re.ASCII)  # other scripts' digits sort as characters
_WORD_BREAK = 0x01


def _letter_and_tone(ch: str) -> tuple[str, int] | None:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    letter = decomposed[0]
    if letter == "đ":
        return letter, 0
    if not ("a" <= letter <= "z"):
        return None
    tone = 0
    for mark in decomposed[1:]:
        if (letter, mark) in _MODIFIED:
            letter = _MODIFIED[letter, mark]
        elif mark in _TONES:
            tone = _TONES[mark]
    return letter, tone


@cache
def _sort_tables() -> tuple[list[int | None], list[int | None]]:
    """The primary weights and the tone digits of every character in the table."""
    primary: list[int | None] = list(range(_TABLE_SIZE))
    # The tone key keeps one digit per marked letter and a separator for anything else;
    # unmarked letters vanish, so an unmarked word sorts before a marked one.
    tones: list[int | None] = [_WORD_BREAK] * _TABLE_SIZE
    for cp in _COMBINING:
        primary[cp] = tones[cp] = None
    primary[ord(" ")] = _SPACE_WEIGHT
    for cp in range(_TABLE_SIZE):
        found = _letter_and_tone(chr(cp))
        if found is not None:
            letter, tone = found
            primary[cp] = _LETTER_BASE + _ALPHABET.index(letter)
            tones[cp] = ord("0") + tone if tone else None
    return primary, tones


def _number_weights(m: re.Match[str]) -> str:
    value = m[0].lstrip("0")
    # The length first gives natural order ("2" < "10") without int() and its size limit.
    return chr(_NUMBER_BASE + min(len(value), 0xFFFF)) + value


def vi_sort_key(s: str | None) -> tuple[str, str, str, str]:
    """Return a key that sorts strings by the Vietnamese alphabet.

    Primary: letters in the order a ă â b c d đ e ê ... ư v x y (f, j, w, z at their Latin
    places), ignoring case and tone; a space sorts first, then other characters by code point,
    then numbers, then letters; a run of digits compares as a number ("2" < "10").
    Secondary: the tone of each word in dictionary order, unmarked < huyền < hỏi < ngã < sắc
    < nặng, wherever the mark sits ("hoà" = "hòa"). Last, the text itself, so that the order is
    total and repeatable.
    """
    original = unicodedata.normalize("NFC", s or "")
    text = " ".join(original.lower().split())
    primary_table, tone_table = _sort_tables()
    primary = _DIGIT_RUN.sub(_number_weights, text).translate(primary_table)
    return (primary, text.translate(tone_table), text, original)


# The same order as one short ASCII string, for a database column compared byte by byte
# (SQLite's BINARY collation, PostgreSQL's "C"): each primary weight of vi_sort_key becomes
# a code whose bytes compare as the weights do. One str.translate does it (a million keys
# are written when the demo builds a million tasks).
_SORT_TEXT_LIMIT = 120  # characters of the text that take part; later ones rarely decide
_KEY_SEPARATOR = " "  # below every code, so that a key that is a prefix sorts first
_KEY_TONE_BREAK = "/"  # below the tone digits "0".."5", as the word break is in the key
_NUMBER_MARK = 0xE000  # + the length of a digit run (stands for it while translating)
_KEY_TABLE_SIZE = _NUMBER_MARK + 0x100


@cache
def _key_table() -> list[str | None]:
    # "!" space < "#xxxxx" other characters by code point < "$llll" + digits, a number
    # < "A".."a" the letters of _ALPHABET. Characters past the table keep their own bytes.
    table: list[str | None] = [f"#{cp:05x}" for cp in range(_KEY_TABLE_SIZE)]
    primary_table = _sort_tables()[0]
    for cp in range(_TABLE_SIZE):
        weight = primary_table[cp]
        if weight is None:
            table[cp] = None
        elif weight >= _LETTER_BASE:
            table[cp] = chr(0x41 + weight - _LETTER_BASE)
    table[ord(" ")] = "!"
    for digit in "0123456789":
        table[ord(digit)] = digit  # only ever inside a number: every digit run is marked
    for length in range(0x100):
        table[_NUMBER_MARK + length] = f"${length:04x}"
    return table


_BEYOND_TABLE = re.compile("[^\x00-\x7f]")


def _number_code(m: re.Match[str]) -> str:
    value = m[0].lstrip("0")
    return chr(_NUMBER_MARK + min(len(value), 0xFF)) + value


def vi_sort_text(s: str | None) -> str:
    """Return :func:`vi_sort_key` as one ASCII string for a database sort column.

    Compared byte by byte, the strings order texts as the primary and tone parts of
    :func:`vi_sort_key` do ("D" < "Đ", "A" < "Ă" < "Â", "2" < "10", unmarked < marked),
    over the first 120 characters (a list breaks remaining ties by id). Characters beyond
    U+E0FF (emoji, rare scripts) sort after the letters instead of before them.
    """
    text = " ".join(nfc(s).lower().split())[:_SORT_TEXT_LIMIT]
    primary = _DIGIT_RUN.sub(_number_code, text).translate(_key_table())
    if not primary.isascii():  # past the table (emoji, rare scripts): after the letters
        primary = _BEYOND_TABLE.sub(lambda m: f"~{ord(m[0]):06x}", primary)
    tones = text.translate(_sort_tables()[1]).replace(chr(_WORD_BREAK), _KEY_TONE_BREAK)
    if not tones.isascii():  # characters past the tone table: "?" also sorts after the tones
        tones = tones.encode("ascii", "replace").decode("ascii")
    return primary + _KEY_SEPARATOR + tones


# --------------------------------------------------------------------------- dates


def format_date_vn(d: date) -> str:
    """Return ``d`` as dd/mm/yyyy, always zero-padded (the interface format)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _doc_day_month(d: date) -> tuple[str, str]:
    # Nghị định 30/2020: a day below 10 and a month below 3 take a leading zero.
    return f"{d.day:02d}", (f"{d.month:02d}" if d.month < 3 else str(d.month))


def format_date_doc(d: date) -> str:
    """Return ``d`` in a document's short form: 07/6/2021, 26/01/2021, 20/11/2022."""
    day, month = _doc_day_month(d)
    return f"{day}/{month}/{d.year:04d}"


_BLANK = " " * 5


def place_date_line(place: str, d: date | None, year: int | None = None) -> str:
    """Return the place-and-date line: "Sơn La, ngày 07 tháng 6 năm 2021".

    With no date, day and month are left blank to fill in by hand, and so is the year
    unless ``year`` is given: "Sơn La, ngày      tháng      năm 2026".
    """
    if d is None:
        year_text = _BLANK if year is None else str(year)
        return f"{place}, ngày {_BLANK} tháng {_BLANK} năm {year_text}"
    day, month = _doc_day_month(d)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)


def parse_date_vn(s: str) -> date:
    """Parse "dd/mm/yyyy" or "d/m/yyyy" (also with "-" or "." between) or ISO "yyyy-mm-dd".

    Raises ValueError with a Vietnamese message for text that is not a possible date.
    """
    text = nfc(s)
    if m := _DMY.fullmatch(text):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    elif m := _ISO.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        raise ValueError(f"Ngày không hợp lệ: “{text}” (cần dạng dd/mm/yyyy)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"Ngày không hợp lệ: {text}") from None


# --------------------------------------------------------------------------- numbers


def format_number_vi(x: float | int | Decimal, decimals: int = 2) -> str:
    """Format a number the Vietnamese way: 8.188 and 97,65; trailing zeros trimmed.

    Rounds half up to ``decimals`` places (97,655 → 97,66), as people round by hand.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    # str() first so that the float 97.65 stays 97.65 instead of its binary neighbour.
    value = x if isinstance(x, Decimal) else Decimal(str(x))
    if not value.is_finite():
        raise ValueError(f"Cannot format {x!r} as a number")
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + decimals + 2)
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format(rounded, ",f").translate(str.maketrans(",.", ".,"))
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text.lstrip("-") if rounded.is_zero() else text


# --------------------------------------------------------------------------- document numbers

DOC_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "KL": "Kết luận",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GUQ": "Giấy ủy quyền",
}
_LETTER_TYPE = "Công văn"
_TYPES_BY_UPPER = {abbr.upper(): abbr for abbr in DOC_TYPES}


def _canonical_type(abbr: str) -> str | None:
    return _TYPES_BY_UPPER.get(nfc(abbr).upper())


@dataclass(frozen=True)
class DocNumber:
    """A document's number and symbol (số, ký hiệu), e.g. 263/BC-SGDĐT or 123/SGDĐT-VP.

    ``number`` is kept as written ("" for an unnumbered draft); ``type_abbr`` is None for an
    official letter (công văn), whose symbol is the agency then the drafting division.
    """

    number: str
    type_abbr: str | None
    agency_abbr: str
    division: str | None = None

    def __str__(self) -> str:
        number = self.number.strip()
        if len(number) == 1 and number.isascii() and number.isdigit():
            number = "0" + number
        parts = [p for p in (self.type_abbr, self.agency_abbr, self.division) if p]
        return f"{number}/{'-'.join(parts)}"


def format_doc_number(
    number: int | str | None,
    type_abbr: str | None,
    agency_abbr: str,
    division: str | None = None,
) -> str:
    """Return "263/BC-SGDĐT", "05/KH-SGDĐT", "123/SGDĐT-VP" or, without a number, "/KH-SGDĐT"."""
    if isinstance(number, int) and number < 0:
        raise ValueError(f"A document number cannot be negative: {number}")
    text = "" if number is None else str(number)
    return str(DocNumber(text, type_abbr or None, agency_abbr, division or None))


_REPORT_NUMBER = re.compile(r"\d{1,6}", re.ASCII)


def clean_report_number(text: str | None) -> str | None:
    """A document number as the user typed it: digits get a leading zero below 10 ("5" → "05"),
    blank means None (left for the văn thư to fill); anything else raises ValueError."""
    value = nfc(text or "").strip()
    if not value:
        return None
    if not _REPORT_NUMBER.fullmatch(value) or int(value) == 0:
        raise ValueError(
            f"Số văn bản không hợp lệ: “{value}”. Chỉ nhập chữ số (ví dụ 263), "
            "hoặc để trống để văn thư điền khi ban hành.")
    return f"{int(value):02d}"


_SO_PREFIX = re.compile(r"^s[ốo](?:\s*:\s*|\s+)", re.IGNORECASE)


def parse_doc_number(s: str) -> DocNumber:
    """Parse "263/BC-SGDĐT", "123/SGDĐT-VP", "30/2020/NĐ-CP" or the Party's "01-NQ/TU".

    Lenient: a leading "Số:" and stray spaces are ignored, and a type abbreviation is recognised
    in any case ("Ttr" → "TTr"). The number is everything before the last "/". A first symbol
    part that is not in DOC_TYPES is taken as the agency of an official letter (công văn).
    Raises ValueError when there is no "/".
    """
    text = _SO_PREFIX.sub("", nfc(s), count=1)
    if "/" not in text:
        raise ValueError(f"Not a document number (no '/'): {s!r}")
    left, _, right = text.rpartition("/")
    number = left.strip()
    parts = [p.strip() for p in right.split("-") if p.strip()]
    type_abbr: str | None = None
    if "-" in number:  # Party documents put the type before the slash: 01-NQ/TU
        number, _, party_type = number.partition("-")
        number, party_type = number.strip(), party_type.strip()
        type_abbr = _canonical_type(party_type) or party_type or None
    elif len(parts) >= 2 and (known := _canonical_type(parts[0])):
        type_abbr = known
        parts = parts[1:]
    agency = parts[0] if parts else ""
    division = "-".join(parts[1:]) or None
    return DocNumber(number, type_abbr, agency, division)


def doc_type_from_symbol(symbol: str) -> str | None:
    """Return the Vietnamese document type of a number or symbol, e.g. "BC-SGDĐT" → "Báo cáo".

    Accepts a whole number ("263/BC-SGDĐT"), a symbol ("BC-SGDĐT") or a bare abbreviation ("BC").
    A symbol without a type abbreviation ("SGDĐT-VP") is an official letter: "Công văn".
    Returns None for empty text and for an unknown Party type.
    """
    text = nfc(symbol)
    if not text:
        return None
    if "/" in text:
        type_abbr = parse_doc_number(text).type_abbr
        return _LETTER_TYPE if type_abbr is None else DOC_TYPES.get(type_abbr)
    known = _canonical_type(text.split("-", 1)[0])
    return _LETTER_TYPE if known is None else DOC_TYPES[known]


# --------------------------------------------------------------------------- roman numerals

_ROMAN_VALUES = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def to_roman(n: int) -> str:
    """Return ``n`` (1..3999) in roman numerals, as section and appendix numbers use them."""
    if not 1 <= n <= 3999:
        raise ValueError(f"Roman numerals cover 1..3999, got {n}")
    out = []
    for value, letters in _ROMAN_VALUES:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def from_roman(s: str) -> int | None:
    """Return the value of a roman numeral such as "IV" or "VI." (any case), else None."""
    text = nfc(s).removesuffix(".").strip().upper()
    if not text or not _ROMAN.fullmatch(text):
        return None
    total = 0
    for value, letters in _ROMAN_VALUES:
        while text.startswith(letters):
            total += value
            text = text[len(letters) :]
    return total
