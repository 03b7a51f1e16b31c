"""Start loading plotly.js at the top of the page's first run, before any chart needs it.

Without this, the browser asks for plotly.js (4.6 MB, 1.5 MB compressed) only when the
first chart's component has been drawn, about 2.5 s after the page opened, and the
first chart appeared some 4 s after opening (``docs/browser-latency.md``, "The first
chart after opening the page"). ``app.py`` calls :func:`preload_plotly_js` before
anything else, so that its small script (``assets/preload_plotly.js``) starts the
download with the run's first message; the chart then waits on the same promise
(``window.__gmmPlotlyLoading``) instead of starting its own. Where plotly.js comes from,
and why the browser can keep it, is :mod:`pages.shared.plotly_js`'s business.

The element is hidden: it holds only a script and its own ``display: none`` rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from pages.shared.live_chart import plotly_js_url

JS_PATH = Path(__file__).resolve().parents[2] / "assets" / "preload_plotly.js"
_SCRIPT = JS_PATH.read_text(encoding="utf-8")
#: The hidden container's key (and CSS class ``st-key-…``).
KEY = "plotly_preload"


def preload_plotly_js() -> None:
    """Draw the hidden element whose script starts loading plotly.js (see the module)."""
    script = _SCRIPT.replace("__PLOTLY_URL__", json.dumps(plotly_js_url()))
    with st.container(key=KEY):
        st.html(
            f"<style>.st-key-{KEY} {{ display: none; }}</style><script>{script}</script>",
            unsafe_allow_javascript=True,
        )
