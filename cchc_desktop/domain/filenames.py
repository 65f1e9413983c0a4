"""User file names: shown as given, never trusted as paths.

The evidence store keeps files under their SHA-256, so a name never decides where a
file lands. Two helpers remain: :func:`display_name` (the name as the user gave it,
minus what would garble a table cell) and :func:`safe_component` (a harmless file
name for the copies we write ourselves: a temporary copy to open, an entry of a zip).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["RESERVED_WINDOWS_NAMES", "display_name", "is_hostile", "safe_component"]

RESERVED_WINDOWS_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in range(10)]
    + [f"LPT{i}" for i in range(10)]
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
MAX_COMPONENT = 120


def display_name(name: str | None) -> str:
    """The name for display: NFC, control and bidi-override characters removed."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", name or ""))
    return text.strip() or "(không tên)"


def _base(name: str) -> str:
    # Only the last path part counts: "../../etc/passwd" -> "passwd", "C:\\a\\b.pdf" -> "b.pdf".
    return re.split(r"[\\/]", name)[-1]


def is_hostile(name: str | None) -> bool:
    """True when the name, used as a path, would escape a folder or misbehave on Windows."""
    name = name or ""
    if _CONTROL.search(name) or "/" in name or "\\" in name or name in ("", ".", ".."):
        return True
    stem = name.split(".")[0].strip().upper()
    return stem in RESERVED_WINDOWS_NAMES or name != name.rstrip(". ")


def safe_component(name: str | None, fallback: str = "tep") -> str:
    """A single, harmless file-name component derived from a user's name.

    No separators, no "..", no control characters, no Windows-reserved device names
    (CON.txt -> _CON.txt), no trailing dots or spaces, at most 120 characters with the
    extension kept. Vietnamese letters are kept (NFC).
    """
    text = display_name(_base(unicodedata.normalize("NFC", name or "")))
    text = _FORBIDDEN.sub("_", text).strip().rstrip(". ")
    text = text.lstrip(".").strip()
    if not text or text == "(không tên)":
        text = fallback
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if stem.split(".")[0].strip().upper() in RESERVED_WINDOWS_NAMES:
        stem = "_" + stem
    ext = ext[:20]
    stem = stem[: MAX_COMPONENT - len(ext) - 1].rstrip(". ") or fallback
    return f"{stem}.{ext}" if ext else stem
