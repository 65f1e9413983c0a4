"""Property tests: any Vietnamese text written in TCVN3 or VNI converts back exactly.

The encoders below are written independently of the decoder tables, from the code charts:
TCVN3 maps each lower-case letter to one byte; VNI writes a base letter and a mark byte.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.importers.legacy import (
    LegacyEncoding,
    detect_encoding,
    tcvn3_to_unicode,
    vni_to_unicode,
)

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # huyền hỏi ngã sắc nặng
LOWER = sorted(
    {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} | set("bcdđghklmnpqrstvx")
)
ASCII_EXTRA = list(" ,.-/0123456789")

# TCVN3, from the chart: the byte of each lower-case letter (tones in the order à ả ã á ạ).
_TCVN3_ROWS = {
    "a": "a\xb5\xb6\xb7\xb8\xb9", "ă": "\xa8\xbb\xbc\xbd\xbe\xc6", "â": "\xa9\xc7\xc8\xc9\xca\xcb",
    "e": "e\xcc\xce\xcf\xd0\xd1", "ê": "\xaa\xd2\xd3\xd4\xd5\xd6", "i": "i\xd7\xd8\xdc\xdd\xde",
    "o": "o\xdf\xe1\xe2\xe3\xe4", "ô": "\xab\xe5\xe6\xe7\xe8\xe9", "ơ": "\xac\xea\xeb\xec\xed\xee",
    "u": "u\xef\xf1\xf2\xf3\xf4", "ư": "\xad\xf5\xf6\xf7\xf8\xf9", "y": "y\xfa\xfb\xfc\xfd\xfe",
}
_ORDER = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]


def tcvn3_encode(text: str) -> str:
    out = []
    for ch in text:
        if ch == "đ":
            out.append("\xae")
            continue
        base, tone = _split(ch)
        out.append(_TCVN3_ROWS[base][_ORDER.index(tone)] if base in _TCVN3_ROWS else ch)
    return "".join(out)


def _split(ch: str) -> tuple[str, str]:
    """"ế" → ("ê", acute): the letter with its vowel mark, and the tone mark."""
    marks = unicodedata.normalize("NFD", ch)
    tone = next((m for m in marks[1:] if m in _ORDER[1:]), "")
    base = unicodedata.normalize("NFC", "".join(m for m in marks if m != tone))
    return base, tone


# VNI, from the chart: mark bytes, in the tone order "", huyền, hỏi, ngã, sắc, nặng.
_VNI_TONE = ["", "ø", "û", "õ", "ù", "ï"]
_VNI_CIRCUMFLEX = ["â", "à", "å", "ã", "á", "ä"]
_VNI_BREVE = ["ê", "è", "ú", "ü", "é", "ë"]
_VNI_I = ["i", "ì", "æ", "ó", "í", "ò"]


def vni_encode(text: str) -> str:
    out = []
    for ch in text:
        upper = ch.isupper()
        low = ch.lower()
        if low == "đ":
            out.append("Ñ" if upper else "ñ")
            continue
        base, tone = _split(low)
        k = _ORDER.index(tone)
        if base == "i":
            piece = _VNI_I[k]
        elif base == "y" and k == 5:
            piece = "î"
        elif base in ("â", "ê", "ô"):
            piece = {"â": "a", "ê": "e", "ô": "o"}[base] + _VNI_CIRCUMFLEX[k]
        elif base == "ă":
            piece = "a" + _VNI_BREVE[k]
        elif base in ("ơ", "ư"):
            piece = {"ơ": "ô", "ư": "ö"}[base] + _VNI_TONE[k]
        elif base in "aeouy":
            piece = base + _VNI_TONE[k]
        else:
            piece = low
        out.append(piece.upper() if upper else piece)
    return "".join(out)


lower_text = st.text(alphabet=st.sampled_from(LOWER + ASCII_EXTRA), max_size=60)
any_case_text = st.text(
    alphabet=st.sampled_from(LOWER + [c.upper() for c in LOWER] + ASCII_EXTRA), max_size=60
)


@given(lower_text)
def test_tcvn3_round_trip(text: str) -> None:
    assert tcvn3_to_unicode(tcvn3_encode(text)) == text


@given(any_case_text)
def test_vni_round_trip(text: str) -> None:
    assert vni_to_unicode(vni_encode(text)) == text


@given(any_case_text)
def test_unicode_with_a_vietnamese_only_letter_is_never_taken_for_legacy(text: str) -> None:
    text = text + " đường"  # "ư", "ờ", "đ" exist only in Unicode Vietnamese
    assert detect_encoding(text) is None


def test_sample_sentences_are_detected_and_converted() -> None:
    sentence = "ủy ban nhân dân tỉnh giao nhiệm vụ cải cách hành chính năm 2022"
    legacy = tcvn3_encode(sentence)
    assert detect_encoding(legacy) is LegacyEncoding.TCVN3
    assert tcvn3_to_unicode(legacy) == sentence
    legacy = vni_encode(sentence)
    assert detect_encoding(legacy) is LegacyEncoding.VNI
    assert vni_to_unicode(legacy) == sentence
