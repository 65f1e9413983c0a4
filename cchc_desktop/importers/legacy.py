"""Text typed in the pre-Unicode Vietnamese encodings TCVN3 (ABC) and VNI, back to Unicode.

Excel keeps such text as the Windows code page characters of its bytes, so a TCVN3 cell
written "Kế hoạch" in the font .VnTime reads "KÕ ho¹ch", and the same words in VNI-Times read
"Keá hoaïch". TCVN3 is a single-byte code: each byte is a whole letter (0xB9 "¹" = "ạ").
VNI writes a base letter followed by a mark byte ("e" + "á" = "ế").

A cell is converted when its font says so (``.VnTime``, ``VNI-Times`` ...) or, without a
legacy font, when its characters can only be legacy text (see :func:`detect_encoding`).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

__all__ = [
    "LegacyEncoding",
    "detect_encoding",
    "font_encoding",
    "tcvn3_to_unicode",
    "to_unicode",
    "vni_to_unicode",
]


class LegacyEncoding(StrEnum):
    """A legacy Vietnamese encoding; the value is the name shown in reports."""

    TCVN3 = "TCVN3"
    VNI = "VNI"


# --------------------------------------------------------------------------- TCVN3 (ABC, VN3)

# TCVN 5712:1993 VN3, the code of the ".Vn..." fonts: lower-case letters only, plus the
# seven capitals Ă Â Ê Ô Ơ Ư Đ. Capitals with tone marks are the same bytes shown by the
# upper-case fonts (.VnTimeH ...). Keyed by the byte, which Excel shows as its Latin-1 char.
_TCVN3_BYTES: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3_TABLE: dict[int, str] = dict(_TCVN3_BYTES)


def tcvn3_to_unicode(text: str, *, upper: bool = False) -> str:
    """Convert TCVN3 text to Unicode NFC; ``upper`` for the capitals-only fonts (.VnTimeH)."""
    out = text.translate(_TCVN3_TABLE)
    return out.upper() if upper else out


# --------------------------------------------------------------------------- VNI Windows

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
# Mark bytes and the vowels they may follow. Lower- and upper-case bytes mean the same mark.
_VNI_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRCUMFLEX = {
    "â": _CIRCUMFLEX, "á": _CIRCUMFLEX + _ACUTE, "à": _CIRCUMFLEX + _GRAVE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
}
_VNI_BREVE = {
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
# Whole letters: ơ ư đ and the i/y forms that VNI encodes in one byte.
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ó": "ĩ", "ò": "ị", "æ": "ỉ", "î": "ỵ"}


def _both_cases(table: dict[str, str]) -> dict[str, str]:
    return {**table, **{k.upper(): v for k, v in table.items()}}


_TONE_MARKS = _both_cases(_VNI_TONES)
_CIRCUMFLEX_MARKS = _both_cases(_VNI_CIRCUMFLEX)
_BREVE_MARKS = _both_cases(_VNI_BREVE)
_LETTERS = {**_VNI_LETTERS, **{k.upper(): v.upper() for k, v in _VNI_LETTERS.items()}}
_TONE_BASES = set("aeiouyAEIOUYơưƠƯ")
_CIRCUMFLEX_BASES = set("aeoAEO")
_BREVE_BASES = set("aA")


def vni_to_unicode(text: str) -> str:
    """Convert VNI Windows text ("Keá hoaïch") to Unicode NFC ("Kế hoạch")."""
    out: list[str] = []
    for ch in text:
        prev = out[-1] if out else ""
        if prev in _CIRCUMFLEX_BASES and ch in _CIRCUMFLEX_MARKS:
            out[-1] = prev + _CIRCUMFLEX_MARKS[ch]
        elif prev in _BREVE_BASES and ch in _BREVE_MARKS:
            out[-1] = prev + _BREVE_MARKS[ch]
        elif prev in _TONE_BASES and ch in _TONE_MARKS:
            out[-1] = prev + _TONE_MARKS[ch]
        else:
            out.append(_LETTERS.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


# --------------------------------------------------------------------------- detection

# Bytes only TCVN3 uses: none of them is a Vietnamese letter in Unicode, and VNI has no
# character in 0xA1..0xBE nor these capitals.
_TCVN3_ONLY = frozenset(
    chr(b) for b in _TCVN3_BYTES if 0xA1 <= b <= 0xBE or chr(b) in "ÇÐ×Þßç÷þ"
)
# Latin-1 letters that are also Vietnamese letters in Unicode: on their own they prove nothing.
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# TCVN3 bytes that are no Vietnamese letter in Unicode: weaker evidence of TCVN3.
_TCVN3_FOREIGN = frozenset(chr(b) for b in _TCVN3_BYTES) - _VIETNAMESE_LATIN1
# A vowel followed by a VNI mark byte that no Vietnamese word has in Unicode: "aï", "eä", "oø".
_VNI_PAIR = re.compile("[aeiouyôöAEIOUYÔÖ][øûïåäüëØÛÏÅÄÜË]")
# Letters that exist only in Unicode Vietnamese text (ă đ ĩ ũ ơ ư and the 1Exx block).
_UNICODE_VIETNAMESE = re.compile("[\u0102-\u01b0\u1ea0-\u1ef9]")


def detect_encoding(text: str) -> LegacyEncoding | None:
    """Guess whether ``text`` is TCVN3 or VNI from its characters alone; None for Unicode.

    Conservative: text holding any Unicode-only Vietnamese letter is Unicode. TCVN3 is
    recognised by its bytes 0xA1-0xBE ("¸" = á, "¹" = ạ, "­" = ư ...), VNI by a vowel followed
    by a mark byte that no Vietnamese word has in Unicode ("aï", "eä", "oø", "ôû").
    """
    if text.isascii() or _UNICODE_VIETNAMESE.search(text):
        return None
    if any(ch in _TCVN3_ONLY for ch in text):
        return LegacyEncoding.TCVN3
    if _VNI_PAIR.search(text):
        return LegacyEncoding.VNI
    if any(ch in _TCVN3_FOREIGN for ch in text):
        return LegacyEncoding.TCVN3
    return None


def font_encoding(font_name: str | None) -> tuple[LegacyEncoding, bool] | None:
    """The legacy encoding a font implies and whether it shows capitals only, or None.

    ".VnTime", ".VnArial", ".VnTimeH" (capitals) → TCVN3; "VNI-Times", "VNI-Helve" → VNI.
    """
    if not font_name:
        return None
    name = font_name.strip()
    if name.lower().startswith(".vn"):
        return LegacyEncoding.TCVN3, name.endswith("H")
    if name.upper().startswith("VNI-") or name.upper().startswith("VNI "):
        return LegacyEncoding.VNI, False
    return None


def to_unicode(text: str, encoding: LegacyEncoding, *, upper: bool = False) -> str:
    """Convert ``text`` from ``encoding`` to Unicode NFC."""
    if encoding is LegacyEncoding.TCVN3:
        return tcvn3_to_unicode(text, upper=upper)
    return vni_to_unicode(text)
