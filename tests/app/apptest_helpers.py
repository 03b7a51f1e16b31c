"""Shared helpers for driving the app with Streamlit's AppTest.

Every run goes through :func:`run`, which fails the test when the app shows an
exception, so no app test can pass on an app that shows a traceback.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import numpy as np
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LIVE_CHART = "gmm_explorer.live_plotly_chart"
HISTORY = "gmm_explorer.history"


class RouterPagesManager(PagesManager):
    """Pages manager that keeps ``app.py`` as the router on every AppTest run.

    AppTest re-detects the old ``pages/`` folder convention before every run; with a
    page requested by ``switch_page`` it would then run that page's file alone, without
    ``app.py``'s router and sidebar. ``streamlit run`` drops the convention for good as
    soon as ``app.py`` calls ``st.navigation``; this does the same.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


def run(at: AppTest) -> AppTest:
    """Rerun the app from ``app.py`` and fail on any exception element.

    An empty page hash runs ``app.py``, whose ``st.navigation`` picks the page, as
    ``streamlit run`` does (asking for the page the last run finished on would run that
    page's file alone, see :class:`RouterPagesManager`).
    """
    at._finished_page_script_hash = ""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    """The button with this label."""
    return next(b for b in at.button if b.label == label)


def click(at: AppTest, label: str) -> AppTest:
    """Click an enabled button and rerun."""
    target = button(at, label)
    assert not target.disabled, f"{label} is disabled"
    target.click()
    return run(at)


def container(at: AppTest, key: str):
    """The container made with ``st.container(key=key)``; its elements as ``.markdown``,
    ``.button``, ..."""
    from streamlit.testing.v1.element_tree import Block

    def find(node):
        if isinstance(node, Block):
            if getattr(node.proto, "id", "").endswith(f"-{key}"):
                return node
            for child in node.children.values():
                found = find(child)
                if found is not None:
                    return found
        return None

    found = find(at.main)
    assert found is not None, f"no container with key {key!r}"
    return found


def decode(value) -> np.ndarray:
    """Plotly's JSON arrays, plain or typed (``{"dtype", "bdata", "shape"}``)."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        if shape:
            array = array.reshape([int(s) for s in str(shape).split(",")])
        return array
    return np.asarray(value)


def charts(at: AppTest) -> list[dict]:
    """Every Plotly figure on the page, as the JSON sent to the browser: the live charts
    (``pages/shared/live_chart.py``) first, then those drawn with ``st.plotly_chart``."""
    live = [
        json.loads(el.proto.json)["figure"]
        for el in at.get("bidi_component")
        if el.proto.component_name == LIVE_CHART
    ]
    return live + [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def roles(chart: dict) -> list[str]:
    """The ``meta.role`` of each trace of a figure."""
    return [(t.get("meta") or {}).get("role") for t in chart["data"]]


def generate(at: AppTest, kind="separated", n=300, k=3, seed=0) -> AppTest:
    """Choose generated data in the sidebar: kind, n points, true K and seed."""
    at.radio(key="source_kind").set_value("Generate")
    run(at)
    at.selectbox(key="gen_kind").set_value(kind)
    at.number_input(key="gen_n").set_value(n)
    at.number_input(key="gen_k").set_value(k)
    at.number_input(key="gen_seed").set_value(seed)
    return run(at)


def history_parts(at: AppTest, role: str) -> list[dict]:
    """The data of each history player element of ``role`` ("sync", "back", "timeline",
    "status"; ``pages/shared/history_player.py``)."""
    parts = []
    for el in at.get("bidi_component"):
        if el.proto.component_name == HISTORY and el.proto.WhichOneof("data") == "json":
            data = json.loads(el.proto.json)
            if data.get("role") == role:
                parts.append(data)
    return parts


def status_line(at: AppTest) -> str:
    """The status line as Markdown ("**Iteration 3**, after the M-step · ..."), read from
    the history player's status element, which the browser keeps current."""
    (part,) = history_parts(at, "status")
    text = re.sub(r"</?strong>", "**", part["html"])
    return html.unescape(text)


def show_half_step(at: AppTest, index: int) -> AppTest:
    """What the browser does when the user stops at half-step ``index`` (Back, the
    slider, the curve, Pause): it reports the view, and the server shows it."""
    at.session_state.view = index
    return run(at)
