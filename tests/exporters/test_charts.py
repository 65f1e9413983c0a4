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


def test_axis_numbers_use_a_decimal_comma() -> None:
    from matplotlib.figure import Figure

    from cchc_desktop.exporters.charts import _vi_numbers

    fig = Figure()
    ax = fig.add_subplot()
    _vi_numbers(ax.xaxis)
    formatter = ax.xaxis.get_major_formatter()
    assert formatter(2.5, 0) == "2,5" and formatter(12.0, 0) == "12"
