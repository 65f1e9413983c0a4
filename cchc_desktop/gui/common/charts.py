"""Charts drawn in the window with matplotlib (imported on first use: start-up stays fast)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cchc_desktop.domain.areas import REFORM_AREAS

DONE_COLOUR = "#2e7d32"
OVERDUE_COLOUR = "#c62828"
OPEN_COLOUR = "#90a4ae"
_AREA_SHORT = {a.code: a.short for a in REFORM_AREAS}


class ChartWidget(QWidget):
    """A matplotlib figure in a widget; the canvas is created on the first ``plot_*`` call.

    Attributes:
        canvas: the FigureCanvasQTAgg, or None before the first drawing.
        drawn: how many times a chart was drawn (tests and benchmarks read it).

    A subclass draws its own kind of chart between :meth:`_axes` and :meth:`_finish`; the
    class attributes size the figure and say what an empty chart reads.
    """

    FIGSIZE = (5.0, 3.0)
    TITLE_SIZE = 10
    PAD = 0.6
    EMPTY_TEXT = "Chưa có nhiệm vụ"

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.canvas: Any = None  # matplotlib is imported on first draw (start-up time)
        self.figure: Any = None
        self.drawn = 0
        self._title: Any = None  # the figure's title (matplotlib Text), wrapped to its width
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._placeholder = QLabel("Đang vẽ biểu đồ...")
        self._layout.addWidget(self._placeholder)

    def _axes(self):
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            # Laid out again at every draw, resizes included: titles and axis labels are
            # never cut when the window is small (a 1366×768 screen).
            self.figure = Figure(figsize=self.FIGSIZE, dpi=96, facecolor="#ffffff",
                                 layout="constrained")
            self.figure.get_layout_engine().set(w_pad=self.PAD / 12, h_pad=self.PAD / 12)
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setMinimumHeight(150)
            self.canvas.mpl_connect("resize_event", lambda _event: self._wrap_title())
            self._layout.removeWidget(self._placeholder)
            self._placeholder.hide()  # at once: deleted only when the event loop gets to it
            self._placeholder.deleteLater()
            self._layout.addWidget(self.canvas)
        self.figure.clear()
        axes = self.figure.add_subplot(111)
        # The figure's title, from its left edge (an axes title starts after the long unit
        # names and ran off the right edge); wrapped when the chart is narrow.
        self._title = self.figure.suptitle(self.title, x=0.01, ha="left",
                                           fontsize=self.TITLE_SIZE, color="#263238",
                                           fontweight="bold")
        self._wrap_title()
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(labelsize=8, colors="#37474f")
        return axes

    def title_artists(self) -> list[Any]:
        """The title as drawn (matplotlib Text), for checks that it is whole."""
        return [] if self._title is None else [self._title]

    def _wrap_title(self) -> None:
        """Break the title into lines that fit the figure's width (bold: ~0.6 em a letter)."""
        if self._title is None:
            return
        import textwrap

        width_points = self.figure.get_figwidth() * 72
        letters = max(12, int(width_points / (self.TITLE_SIZE * 0.6)))
        self._title.set_text("\n".join(textwrap.wrap(self.title, letters)))

    def _finish(self, axes, empty: bool) -> None:
        if empty:
            axes.text(0.5, 0.5, self.EMPTY_TEXT, ha="center", va="center",
                      transform=axes.transAxes, color="#78909c")
            axes.set_xticks([])
            axes.set_yticks([])
        self.canvas.draw_idle()
        self.drawn += 1

    def plot_units(self, rows: list[tuple[str, int, int, int]], limit: int = 10) -> None:
        """Stacked bars per lead unit: done, open and overdue, open on time (largest first)."""
        axes = self._axes()
        rows = sorted(rows, key=lambda r: (-r[1], r[0]))[:limit][::-1]
        names = [_shorten(r[0]) for r in rows]
        done = [r[2] for r in rows]
        overdue = [r[3] for r in rows]
        other = [r[1] - r[2] - r[3] for r in rows]
        axes.barh(names, done, color=DONE_COLOUR, label="Đã hoàn thành")
        axes.barh(names, overdue, left=done, color=OVERDUE_COLOUR, label="Quá hạn")
        axes.barh(names, other, left=[d + o for d, o in zip(done, overdue, strict=True)],
                  color=OPEN_COLOUR, label="Đang thực hiện")
        if rows:
            self.figure.legend(fontsize=7, frameon=False, loc="outside lower center", ncol=3)
        self._finish(axes, not rows)

    def plot_areas(self, rows: list[tuple[int | None, int, int]]) -> None:
        """Bars of the share done per CCHC area, labelled "done/total"."""
        axes = self._axes()
        rows = [r for r in rows if r[1]][::-1]
        names = [_AREA_SHORT.get(r[0], "Chưa phân loại") if r[0] else "Chưa phân loại"
                 for r in rows]
        shares = [100 * r[2] / r[1] for r in rows]
        bars = axes.barh(names, shares, color="#1565c0")
        for bar, (_, total, done) in zip(bars, rows, strict=True):
            axes.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2,
                      f"{done}/{total}", va="center", fontsize=7, color="#37474f")
        axes.set_xlim(0, 115)
        axes.set_xlabel("Tỷ lệ hoàn thành (%)", fontsize=8)
        self._finish(axes, not rows)


def _shorten(name: str, limit: int = 30) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
