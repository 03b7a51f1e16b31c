"""Start loading plotly.js at the top of the page's first run, before any chart needs it.

Without this, the browser asks for plotly.js only when the first chart's component has
been drawn, about 2.5 s after the page opened (``docs/browser-latency.md``, "The first
chart after opening the page"). ``app.py`` calls :func:`preload_plotly_js` before
anything else, so that its small script (``assets/plotly_loader.js``, then
``assets/preload_plotly.js``) starts downloading the partial bundle (the 1-D and 2-D
trace types) with the run's first message; the charts then wait on the same load
(``window.__gmmPlotly``) instead of starting their own. Which bundle a chart needs and
where it comes from is :mod:`pages.shared.plotly_js`'s business.

The element is hidden: it holds only a script and its own ``display: none`` rule. It
sits at the top of the sidebar, which the browser draws before the page: Streamlit loads
each kind of element's JavaScript when it first draws one, over the six connections a
browser opens to a server, so the ``st.html`` element's script, first in the sidebar, is
requested first instead of behind the sidebar's widgets (its download then started at
about 1.3-1.7 s after opening the page instead of 2-3.7 s; ``docs/browser-latency.md``).
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from pages.shared.plotly_js import LOADER_JS_PATH, PARTIAL_MATCHES, plotly_js_urls

JS_PATH = Path(__file__).resolve().parents[2] / "assets" / "preload_plotly.js"
_SCRIPT = LOADER_JS_PATH.read_text(encoding="utf-8") + JS_PATH.read_text(encoding="utf-8")
#: The hidden container's key (and CSS class ``st-key-…``).
KEY = "plotly_preload"


def preload_plotly_js() -> None:
    """Draw the hidden element whose script starts loading the partial plotly.js bundle
    (see the module)."""
    kind = "partial" if PARTIAL_MATCHES else "full"
    script = _SCRIPT.replace("__PLOTLY_KIND__", json.dumps(kind))
    script = script.replace("__PLOTLY_URL__", json.dumps(plotly_js_urls()[kind]))
    with st.sidebar, st.container(key=KEY):
        st.html(
            f"<style>.st-key-{KEY} {{ display: none; }}</style><script>{script}</script>",
            unsafe_allow_javascript=True,
        )
