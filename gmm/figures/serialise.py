"""A figure on its way to the browser: Plotly's JSON, and where plotly.js lies.

The app's live chart (`pages/shared/live_chart.py`) sends figures to its own JavaScript
and serves plotly.js from the installed ``plotly`` package, so that nothing is downloaded
and the JavaScript matches the Python package that built the figure. Both Plotly-specific
pieces live here, so that only `gmm.figures` imports Plotly.
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs_version

__all__ = ["PLOTLY_JS_DIR", "PLOTLY_JS_VERSION", "figure_data"]

#: The installed package's folder holding ``plotly.min.js``.
PLOTLY_JS_DIR = Path(plotly.__file__).resolve().parent / "package_data"
#: The version of the plotly.js bundled with the installed plotly package.
PLOTLY_JS_VERSION: str = get_plotlyjs_version()


def figure_data(figure: go.Figure) -> dict:
    """The figure as Plotly's JSON (numeric arrays as base64 typed arrays).

    Parameters
    ----------
    figure : plotly.graph_objects.Figure

    Returns
    -------
    dict
        ``{"data": [...], "layout": {...}}``, ready for ``Plotly.react``.
    """
    return json.loads(pio.to_json(figure, validate=False))
