"""Charts: PNG at print resolution, Vietnamese numbers on the axes."""

from __future__ import annotations

import io

import pytest
from PIL import Image


@pytest.mark.parametrize(
    "make",
    [
        lambda c: c.completion_by_unit_chart([("Văn phòng Sở", 10, 7), ("Thanh tra Sở", 4, 1)]),
        lambda c: c.completion_by_unit_chart([]),
        lambda c: c.status_chart({"done_on_time": 5, "open_overdue": 2}),
        lambda c: c.index_chart([("PAR INDEX", 2022, 91.5), ("PAR INDEX", 2023, 93.25),
                                 ("SIPAS", 2023, None)]),
        lambda c: c.index_chart([]),
        lambda c: c.scores_by_area_chart([("Cải cách thể chế", 10, 7.5), ("Tác động", 15.5, None)]),
    ],
)
def test_charts_are_print_resolution_png(make) -> None:  # noqa: ANN001
    from cchc_desktop.exporters import charts

    png = make(charts)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.info["dpi"][0] >= 199
    assert image.width >= 1000  # 16 cm at 200 dpi is about 1,260 pixels
    assert image.mode == "RGB"  # opaque: drawn on the figure's white
    corner = image.getpixel((0, 0))
    assert corner == (255, 255, 255)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 10  # bars and antialiased text drawn


def test_axis_numbers_use_a_decimal_comma() -> None:
    from matplotlib.figure import Figure

    from cchc_desktop.exporters.charts import _vi_numbers

    fig = Figure()
    ax = fig.add_subplot()
    _vi_numbers(ax.xaxis)
    formatter = ax.xaxis.get_major_formatter()
    assert formatter(2.5, 0) == "2,5" and formatter(12.0, 0) == "12"


def test_chart_font_is_chosen_by_its_vietnamese_glyphs(monkeypatch) -> None:  # noqa: ANN001
    """A font called "Times New Roman" whose file lacks Vietnamese letters is passed over."""
    from pathlib import Path

    import matplotlib
    from matplotlib import font_manager

    from cchc_desktop.exporters import charts

    lacking = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "cmr10.ttf")
    assert not charts.has_vietnamese_glyphs(lacking)
    assert not charts.has_vietnamese_glyphs("/no/such/font.ttf")
    chosen = charts._font_family()
    files = [f.fname for f in font_manager.fontManager.ttflist if f.name == chosen]
    assert any(charts.has_vietnamese_glyphs(f) for f in files)

    impostor = font_manager.FontEntry(fname=lacking, name="Times New Roman")
    good = [f for f in font_manager.fontManager.ttflist if f.name == chosen]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [impostor, *good])
    charts._font_family.cache_clear()
    try:
        assert charts._font_family() == chosen != "Times New Roman"
    finally:
        charts._font_family.cache_clear()


def test_bar_labels_are_wrapped_never_cut() -> None:
    from cchc_desktop.exporters.charts import wrap_label

    name = "Phòng Quản lý chất lượng giáo dục và Công nghệ thông tin"
    wrapped = wrap_label(name)
    assert "…" not in wrapped and wrapped.replace("\n", " ") == name
    assert all(len(line) <= 30 for line in wrapped.split("\n"))


def test_unit_chart_rates_have_the_tables_two_decimals(monkeypatch) -> None:  # noqa: ANN001
    from matplotlib.axes import Axes

    from cchc_desktop.exporters import charts

    texts: list[str] = []
    original = Axes.text
    monkeypatch.setattr(Axes, "text", lambda self, x, y, s, *a, **k:
                        texts.append(s) or original(self, x, y, s, *a, **k))
    charts.completion_by_unit_chart([("Văn phòng Sở", 3, 2)])
    assert texts == ["66,67%"]  # the units table prints format_number_vi(rate, 2) too


def test_legends_are_outside_the_plot(monkeypatch) -> None:  # noqa: ANN001
    from matplotlib.figure import Figure

    from cchc_desktop.exporters import charts

    placed: list[str] = []
    original = Figure.legend
    monkeypatch.setattr(Figure, "legend", lambda self, *a, **k:
                        placed.append(k.get("loc", "")) or original(self, *a, **k))
    charts.index_chart([("PAR INDEX", 2022, 91.5), ("SIPAS", 2022, 80.0)])
    charts.scores_by_area_chart([("Cải cách thể chế", 10, 7.5)])
    assert placed == ["outside lower center", "outside lower center"]
