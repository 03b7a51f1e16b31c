"""The live charts (pages/shared/live_chart.py) as the app sends them: figure, plotly.js, tools.

Drawing, zoom and camera survival and selections are checked in a real browser
(``tests/browser``); these check what the server sends, through AppTest.
"""

from __future__ import annotations

import json

from apptest_helpers import LIVE_CHART, run
from streamlit.testing.v1 import AppTest

from gmm.figures.serialise import PLOTLY_JS_DIR
from pages.shared.live_chart import JS_PATH, SELECTION_BUTTONS
from pages.shared.plotly_js import PLOTLY_VERSION, partial_js_name


def live_charts(at: AppTest) -> dict[str, dict]:
    """Each live chart's data, by the role of its first trace (points, loglik_line)."""
    found = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name == LIVE_CHART:
            data = json.loads(element.proto.json)
            found[data["figure"]["data"][0]["meta"]["role"]] = data
    return found


def removed_tools(data: dict) -> set[str]:
    return set(data["config"]["modeBarButtonsToRemove"])


def test_the_browser_side_and_plotly_js_are_there_to_serve():
    assert (PLOTLY_JS_DIR / "plotly.min.js").stat().st_size > 1_000_000
    assert "export default function" in JS_PATH.read_text(encoding="utf-8")


def test_scatter_and_curve_are_live_charts_with_their_figures(at):
    charts = live_charts(at)
    assert set(charts) == {"points", "loglik_line"}
    for data in charts.values():
        # The app's static folder (config.toml serves it): files the browser keeps.
        assert data["plotly"]["full"] == f"/app/static/plotly-{PLOTLY_VERSION}.min.js"
        assert data["plotly"]["partial"] == f"/app/static/{partial_js_name()}"
        assert data["plotly"]["full_needed"] is False, "2-D: the partial bundle draws it"
        assert data["config"]["displaylogo"] is False
        assert data["figure"]["layout"]["height"] == data["height"]
    assert not charts["points"]["after_paint"], "the main chart draws first"
    assert charts["loglik_line"]["after_paint"]
    low, high = charts["points"]["fit_window"]
    assert 300 <= low < high, "the main chart reaches down to the window's bottom"
    assert charts["loglik_line"]["fit_window"] is None, "the curve keeps its height"


def test_selection_tools_only_where_selecting_does_something(at):
    charts = live_charts(at)
    assert charts["points"]["selectable"], "a click on a point opens its arithmetic"
    assert removed_tools(charts["points"]) >= set(SELECTION_BUTTONS), "only clicks"
    assert charts["loglik_line"]["plays_history"], "a click on the curve: that step, in the browser"
    assert removed_tools(charts["loglik_line"]) >= set(SELECTION_BUTTONS)

    at.selectbox(key="init").set_value("explicit")
    picking = live_charts(run(at))["points"]
    assert picking["selectable"]
    assert not removed_tools(picking) & set(SELECTION_BUTTONS), "box and lasso to pick means"
    assert picking["figure"]["layout"]["dragmode"] == "select"
