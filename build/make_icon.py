"""Draws the application icon once: resources/icons/app.png and app.ico (committed).

A blue rounded square with a white document and a green check mark: no font needed,
so it looks the same on every machine. Run again only to change the design:
``.venv/bin/python build/make_icon.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZE = 256
BLUE = (21, 94, 168, 255)
WHITE = (255, 255, 255, 255)
FOLD = (200, 214, 232, 255)
LINE = (150, 170, 198, 255)
GREEN = (46, 160, 67, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = SIZE) -> Image.Image:
    """The icon at ``size`` pixels (drawn at 4x and scaled down for smooth edges)."""
    big = size * 4
    s = big / 256
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([8 * s, 8 * s, 248 * s, 248 * s], radius=44 * s, fill=BLUE)
    # The document with a folded corner.
    left, top, right, bottom, fold = 62 * s, 40 * s, 182 * s, 214 * s, 34 * s
    d.polygon(
        [(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)],
        fill=WHITE,
    )
    d.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=FOLD)
    for i, width in enumerate((78, 90, 60, 84)):
        y = (92 + 24 * i) * s
        d.rounded_rectangle([82 * s, y, (82 + width) * s, y + 9 * s], radius=4 * s, fill=LINE)
    # The check mark in a green disc, lower right.
    cx, cy, r = 178 * s, 182 * s, 50 * s
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=GREEN, outline=WHITE, width=int(8 * s))
    d.line(
        [(cx - 24 * s, cy + 2 * s), (cx - 6 * s, cy + 20 * s), (cx + 26 * s, cy - 18 * s)],
        fill=WHITE,
        width=int(13 * s),
        joint="curve",
    )
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    icon = draw()
    icon.save(ICONS / "app.png", optimize=True)
    icon.save(ICONS / "app.ico", sizes=ICO_SIZES)
    for name in ("app.png", "app.ico"):
        print(f"{ICONS / name}: {(ICONS / name).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
