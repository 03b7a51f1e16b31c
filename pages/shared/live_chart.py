"""A Plotly chart that stays the same graph across reruns: zoom, pan and camera survive.

``st.plotly_chart`` in Streamlit 1.67 derives a chart's element id from the whole
figure, and its browser side only reads a new figure when that id changes. So every EM
step built a new graph (``Plotly.newPlot``, new WebGL contexts): the student's zoom, pan
and 3-D camera were reset, and building the graph was the largest part of a step's time
in the browser (``docs/browser-latency.md``). Streamlit's fix is still open (pull
request 16052).

:func:`live_plotly_chart` draws the figure with a small ``st.components.v2`` component
(``assets/live_plotly_chart.js``) keyed by the caller: the browser keeps one graph div
and updates it with ``Plotly.react``, which keeps the user's view while
``layout.uirevision`` is unchanged. plotly.js is the installed ``plotly`` package's
version, in one of two bundles: a partial one with the 1-D and 2-D trace types, or the
package's full ``plotly.min.js`` for a figure that needs more (3-D); which one, and where
the browser gets it, is :mod:`pages.shared.plotly_js`'s business, and the partial one's
download starts at the top of the first run (:mod:`pages.shared.preload`). The browser's
loader of both (``assets/plotly_loader.js``) comes before the chart's own script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import streamlit as st

from gmm.figures.serialise import figure_data
from pages.shared.plotly_js import LOADER_JS_PATH, needs_full_bundle, plotly_js_urls

JS_PATH = Path(__file__).resolve().parents[2] / "assets" / "live_plotly_chart.js"

_component = st.components.v2.component(
    "gmm_explorer.live_plotly_chart",
    js=LOADER_JS_PATH.read_text(encoding="utf-8") + JS_PATH.read_text(encoding="utf-8"),
    isolate_styles=False,  # plotly.js styles its hover labels and mode bar in <head>
)

#: Mode bar buttons of the selection tools, shown only where selecting does something.
SELECTION_BUTTONS = ("select2d", "lasso2d")


def live_plotly_chart(
    figure,
    *,
    key: str,
    on_select: Callable[[], None] | None = None,
    selection_tools: Sequence[str] = SELECTION_BUTTONS,
    after_paint: bool = False,
    fit_window: tuple[int, int] | None = None,
    history: dict | None = None,
    plays_history: bool = False,
) -> None:
    """Draw ``figure`` into the chart called ``key``, updating it in place.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        The picture, with ``layout.height`` set (pixels): the chart takes that height.
        Its ``layout.uirevision`` says when the user's view may be kept: give a new
        value (e.g. for other data or columns) to reset zoom and camera.
    key : str
        The chart's identity across reruns. ``st.session_state[key].selection`` holds
        the last selection, as ``{"points": [{"x", "y", "z", "curve_number",
        "point_index"}, ...]}``, during the rerun it causes.
    on_select : callable, optional
        Called when the user clicks a point or finishes a box or lasso selection. When
        None, the selection tools are hidden and clicks do nothing.
    selection_tools : sequence of {"select2d", "lasso2d"}
        The mode bar's selection tools to offer when ``on_select`` is given; () for a
        chart where only clicks select.
    after_paint : bool
        Draw each new figure only after the browser has painted its next frame: for a
        secondary chart, so that the main chart's picture reaches the screen first.
    fit_window : (int, int), optional
        ``(min_px, max_px)``: in the browser, the chart reaches from where it is down
        to the bottom of the window, within these heights, and follows the window
        when it is resized; ``layout.height`` is then only the height outside a
        browser (an exported file, a test). By default the chart is
        ``layout.height`` high.

    history : dict, optional
        The main chart of the Explore page: ``run``, ``view``, ``token``, ``drawn``
        and ``hover`` (:func:`pages.shared.history_player.chart_history`). The figure
        is then the template from which the browser draws the other half-steps, and it
        is not drawn while the browser shows another half-step of the same history.
    plays_history : bool
        The log-likelihood curve: a click shows that half-step in the browser
        (``assets/history_player.js``), with no rerun; ``on_select`` is not called.

    Every chart follows the width of its column, also when the sidebar opens or
    closes (a resize observer in ``assets/live_plotly_chart.js``).
    """
    height = figure.layout.height
    if height is None:
        raise ValueError("live_plotly_chart needs the figure's layout.height")
    offered = set(selection_tools) if on_select is not None else set()
    config = {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": sorted(set(SELECTION_BUTTONS) - offered),
    }
    callbacks = {} if on_select is None else {"on_selection_change": on_select}
    sent = figure_data(figure)
    full_needed = needs_full_bundle(trace.get("type", "scatter") for trace in sent["data"])
    _component(
        key=key,
        height="content" if fit_window else height,
        data={
            "figure": sent,
            "config": config,
            "plotly": {**plotly_js_urls(), "full_needed": full_needed},
            "height": height,
            "selectable": on_select is not None,
            "after_paint": after_paint,
            "fit_window": list(fit_window) if fit_window else None,
            "name": key,
            "history": history,
            "plays_history": plays_history,
        },
        **callbacks,
    )


def selected_points(key: str) -> list[dict]:
    """The points of the selection that triggered this rerun in the chart ``key``."""
    selection = getattr(st.session_state.get(key), "selection", None)
    return list((selection or {}).get("points", []))
