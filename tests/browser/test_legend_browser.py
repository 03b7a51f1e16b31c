"""The data views' legend, and the log-likelihood curve's, never cover the x-axis title,
however short the chart.

The Explore chart fits the window (``fit_window``: 380 to 1000 px high), so at 1024×768
with the sidebar open, or in presentation mode, it is short. A legend placed in paper
units (a fraction of the plot's height under it) then rode up over the axis title
("eruptions"). These tests measure, in Chromium, the drawn bounding boxes of the legend
(``.legend``) and of the x-axis title (``.xtitle``) in the 2-D and 1-D charts at the
sizes a class meets, and check that the legend sits wholly under the title and inside
the chart.
"""

from __future__ import annotations

import pytest
from conftest import LARGE_VIEWPORT, SIZES, open_app, set_sidebar, wait_for_app_idle
from explore_actions import choose_radio

PROJECTOR = SIZES[0]  # 1024×768
#: Window sizes from the projector's up to full HD, and a narrow, short one.
WINDOWS = (PROJECTOR, {"width": 1366, "height": 640}, {"width": 900, "height": 700}, LARGE_VIEWPORT)

BOXES_SCRIPT = """
(role) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => (g.data || []).some(t => t.meta && t.meta.role === role));
  if (!gd) return null;
  const box = e => {
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  return {legend: box(gd.querySelector('.legend')), xtitle: box(gd.querySelector('.xtitle')),
          chart: box(gd)};
}
"""


def legend_and_title(page, role: str) -> dict:
    """Bounding boxes (left, top, right, bottom in px) of the legend, the x-axis title
    and the whole chart, for the chart with a trace of this ``meta.role``."""
    boxes = page.evaluate(BOXES_SCRIPT, role)
    assert boxes and boxes["legend"] and boxes["xtitle"], f"no legend or x title: {boxes}"
    return boxes


def intersect(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def assert_legend_clear_of_title(page, role: str, where: str) -> None:
    boxes = legend_and_title(page, role)
    legend, title, chart = boxes["legend"], boxes["xtitle"], boxes["chart"]
    assert not intersect(legend, title), f"{where}: legend {legend} covers x title {title}"
    assert legend["top"] >= title["bottom"], f"{where}: legend {legend} above title {title}"
    assert legend["bottom"] <= chart["bottom"] + 1, f"{where}: legend {legend} cut off {chart}"


def resize(page, size: dict) -> None:
    page.set_viewport_size(size)
    page.wait_for_timeout(400)  # the chart refits to the window, then redraws
    wait_for_app_idle(page)


def chart_height(page, role: str) -> float:
    """The chart's drawn height in px (the test checks that it met a short chart)."""
    boxes = legend_and_title(page, role)
    return boxes["chart"]["bottom"] - boxes["chart"]["top"]


@pytest.mark.parametrize("view, role", [("2-D", "points"), ("1-D", "density")])
def test_legend_stays_under_the_axis_title_with_the_sidebar_open(browser, app_server, view, role):
    page = open_app(browser, app_server.url, viewport=PROJECTOR)
    try:
        set_sidebar(page, True)
        if view == "1-D":
            choose_radio(page, "View", "1-D")
        heights = []
        for size in WINDOWS:
            resize(page, size)
            assert_legend_clear_of_title(page, role, f"{view} at {size}")
            assert_legend_clear_of_title(page, "current", f"the curve beside {view} at {size}")
            heights.append(chart_height(page, role))
        assert min(heights) < 520, f"no short chart met: heights {heights}"
    finally:
        page.context.close()


def test_legend_stays_under_the_axis_title_in_presentation_mode(browser, app_server):
    page = open_app(browser, app_server.url + "?present=1", viewport=PROJECTOR)
    try:
        for size in (PROJECTOR, LARGE_VIEWPORT):
            resize(page, size)
            assert_legend_clear_of_title(page, "points", f"presentation at {size}")
    finally:
        page.context.close()
