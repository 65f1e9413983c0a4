"""Charts for the reports, drawn with matplotlib (Agg, no window) as PNG at print resolution.

matplotlib is imported inside the functions: it costs half a second, which the application's
start-up and the CLI's other commands should not pay.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from io import BytesIO

from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_number_vi

DPI = 200  # print resolution: 15 cm wide is about 1,200 pixels
# Preferred families, best first; the first whose font file has every Vietnamese letter wins.
_CANDIDATES = ("Times New Roman", "Liberation Serif", "Tinos", "Noto Serif", "DejaVu Serif",
               "Arial", "Liberation Sans", "Noto Sans", "DejaVu Sans")
# Every base vowel with every tone and hat, and đ: a font missing one prints a box for it.
VIETNAMESE_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
    "AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬEÈẺẼÉẸÊỀỂỄẾỆIÌỈĨÍỊOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢUÙỦŨÚỤƯỪỬỮỨỰYỲỶỸÝỴĐ"
)
LABEL_WIDTH = 30  # characters per line of a bar's label; longer names wrap, never cut
_STATUS_COLOURS = {
    StatusClass.DONE_ON_TIME: "#2e7d32",
    StatusClass.DONE_LATE: "#f9a825",
    StatusClass.DONE_NO_DEADLINE: "#66bb6a",
    StatusClass.OPEN_ON_TIME: "#1e88e5",
    StatusClass.OPEN_OVERDUE: "#c62828",
    StatusClass.OPEN_NO_DEADLINE: "#90a4ae",
}


def has_vietnamese_glyphs(path: str) -> bool:
    """True when the font file at ``path`` maps every Vietnamese letter to a glyph."""
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(ch) in charmap for ch in VIETNAMESE_LETTERS)


@cache
def _font_family() -> str:
    """The chart font: the first candidate installed whose glyphs cover Vietnamese, as
    matplotlib's font manager finds its file (a family is never trusted by its name alone)."""
    from matplotlib import font_manager

    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)
    for name in _CANDIDATES:
        if any(has_vietnamese_glyphs(path) for path in by_name.get(name, [])):
            return name
    # Any installed font that has the letters, rather than boxes.
    for name, paths in sorted(by_name.items()):
        if any(has_vietnamese_glyphs(path) for path in paths):
            return name
    return "DejaVu Sans"


def wrap_label(name: str, width: int = LABEL_WIDTH) -> str:
    """A bar's label on as many lines as it needs, every word kept."""
    import textwrap

    return "\n".join(textwrap.wrap(name, width)) or name


def _figure(width_cm: float, height_cm: float):  # noqa: ANN202
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:  # noqa: ANN001
    """The figure drawn once on its canvas, written as an opaque RGB PNG.

    ``savefig`` would draw the figure again and write all four channels of a chart that
    has no transparency: 15 % of a report's three charts (#18 budget). zlib level 1: a
    third less time than the default 6 for 13 % more bytes.
    """
    from PIL import Image

    fig.canvas.draw()
    pixels = fig.canvas.buffer_rgba()
    height, width = pixels.shape[:2]
    image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1)
    buffer = BytesIO()
    image.convert("RGB").save(buffer, format="png", dpi=(DPI, DPI), compress_level=1)
    return buffer.getvalue()


def _style(ax) -> None:  # noqa: ANN001
    family = _font_family()
    for item in [ax.title, ax.xaxis.label, ax.yaxis.label,
                 *ax.get_xticklabels(), *ax.get_yticklabels()]:
        item.set_fontfamily(family)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)


def _vi_numbers(axis) -> None:  # noqa: ANN001
    """Tick labels with a decimal comma (2,5 not 2.5), as every number in our documents."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda x, _pos: format_number_vi(x, 2)))


def completion_by_unit_chart(rows: Sequence[tuple[str, int, int]]) -> bytes:
    """Horizontal bars: per cent of tasks done per lead unit (name, total, done)."""
    from matplotlib.ticker import FuncFormatter

    rows = [r for r in rows if r[1]] or [("(không có nhiệm vụ)", 0, 0)]
    names = [wrap_label(r[0]) for r in rows][::-1]
    lines = sum(n.count("\n") + 1 for n in names)
    fig = _figure(16, max(5.0, 0.45 * lines + 0.3 * len(rows) + 2))
    ax = fig.add_subplot()
    rates = [100.0 * r[2] / r[1] if r[1] else 0.0 for r in rows][::-1]
    bars = ax.barh(range(len(names)), rates, color="#1e88e5")
    ax.set_yticks(range(len(names)), names)
    for bar, rate in zip(bars, rates, strict=True):
        # Two decimals, as the table beside the chart prints the same rates.
        ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2,
                f"{format_number_vi(rate, 2)}%", va="center", fontsize=10,
                fontfamily=_font_family())
    ax.set_xlim(0, 115)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{format_number_vi(x, 0)}%"))
    ax.set_title("Tỷ lệ hoàn thành nhiệm vụ theo đơn vị chủ trì", fontsize=12)
    ax.tick_params(labelsize=10)
    _style(ax)
    return _png(fig)


def status_chart(summary: dict[str, int]) -> bytes:
    """Horizontal bars of the six status classes (official order, top down), with counts."""
    fig = _figure(16, 6)
    ax = fig.add_subplot()
    classes = list(StatusClass)[::-1]
    counts = [summary.get(c.value, 0) for c in classes]
    bars = ax.barh([STATUS_LABELS[c] for c in classes], counts,
                   color=[_STATUS_COLOURS[c] for c in classes])
    top = max(counts + [1])
    for bar, count in zip(bars, counts, strict=True):
        ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2,
                format_number_vi(count), va="center", fontsize=10, fontfamily=_font_family())
    ax.set_xlabel("Số nhiệm vụ", fontsize=10)
    ax.set_title(f"Tình hình thực hiện nhiệm vụ (tổng số {format_number_vi(sum(counts))})",
                 fontsize=12)
    ax.tick_params(labelsize=10)
    ax.set_xlim(0, top * 1.12)
    _vi_numbers(ax.xaxis)
    _style(ax)
    return _png(fig)


def index_chart(results: Sequence[tuple[str, int, float | None]]) -> bytes:
    """Lines of index scores by year, one line per index (name, year, score)."""
    fig = _figure(16, 7)
    ax = fig.add_subplot()
    by_name: dict[str, list[tuple[int, float]]] = {}
    for name, year, score in results:
        if score is not None:
            by_name.setdefault(name, []).append((year, score))
    for name, points in sorted(by_name.items()):
        points.sort()
        years = [p[0] for p in points]
        scores = [p[1] for p in points]
        ax.plot(years, scores, marker="o", label=name)
        for x, y in points:
            ax.annotate(format_number_vi(y), (x, y), textcoords="offset points", xytext=(0, 5),
                        ha="center", fontsize=9, fontfamily=_font_family())
    years = sorted({year for points in by_name.values() for year, _ in points})
    if years:
        ax.set_xticks(years)
        # Below the plot, never over a line or a label.
        fig.legend(loc="outside lower center", ncols=min(4, len(by_name)),
                   prop={"family": _font_family(), "size": 10}, frameon=False)
    else:
        ax.text(0.5, 0.5, "Chưa có kết quả chỉ số", ha="center", va="center",
                transform=ax.transAxes, fontfamily=_font_family())
    ax.set_title("Kết quả các chỉ số qua các năm", fontsize=12)
    _vi_numbers(ax.yaxis)
    ax.set_ylabel("Điểm", fontsize=12)
    ax.tick_params(labelsize=10)
    _style(ax)
    return _png(fig)


def scores_by_area_chart(rows: Sequence[tuple[str, float, float | None]]) -> bytes:
    """Paired bars per area: maximum points and the self score (name, max, score)."""
    names = [wrap_label(r[0]) for r in rows][::-1]
    lines = sum(n.count("\n") + 1 for n in names)
    fig = _figure(16, max(6.0, 0.45 * lines + 0.5 * len(rows) + 2.5))
    ax = fig.add_subplot()
    positions = list(range(len(rows)))
    maxima = [r[1] for r in rows][::-1]
    scores = [r[2] or 0.0 for r in rows][::-1]
    ax.barh([p + 0.2 for p in positions], maxima, height=0.4, color="#b0bec5", label="Điểm tối đa")
    ax.barh([p - 0.2 for p in positions], scores, height=0.4, color="#1e88e5", label="Tự chấm")
    ax.set_yticks(positions, names)
    fig.legend(loc="outside lower center", ncols=2, frameon=False,
               prop={"family": _font_family(), "size": 10})
    ax.set_title("Điểm tự chấm theo lĩnh vực", fontsize=12)
    ax.tick_params(labelsize=10)
    _vi_numbers(ax.xaxis)
    _style(ax)
    return _png(fig)
