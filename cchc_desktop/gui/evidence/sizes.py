"""File sizes as the evidence tab and its trash show them ("1,5 KB")."""

from __future__ import annotations


def format_size(size: int) -> str:
    """1536 -> "1,5 KB"; sizes with a decimal comma."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    text = f"{value:.0f}" if unit == "B" or value >= 100 else f"{value:.1f}"
    return f"{text.replace('.', ',')} {unit}"
