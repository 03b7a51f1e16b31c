"""SVG or WebGL: how the 1-D and 2-D views draw their scatter traces.

Plotly draws a ``scattergl`` trace with WebGL and a ``scatter`` trace as SVG. WebGL
keeps tens of thousands of points fluid, but its first drawing on a page builds a WebGL
context and compiles its shaders: in software WebGL (a projector's laptop without a
GPU driver, a browser in a virtual machine, headless Chromium) the Explore page's first
chart of Old Faithful (272 points) took about 650 ms to paint in WebGL and 180 ms as
SVG. Measured in one Chromium, each a new page, median of four (first draw and paint /
`Plotly.react` with new colours, ms):

==========  ============  ============
points      WebGL         SVG
==========  ============  ============
272         658 / 89      180 / 53
1,000       693 / 95      285 / 92
2,000       608 / 101     309 / 124
5,000       665 / 165     546 / 255
==========  ============  ============

So a view that draws at most `SVG_MAX_POINTS` markers draws every scatter trace as
SVG, and a larger one every scatter trace of its points, outlines, means and marks as
WebGL. One kind per figure, because Plotly draws all WebGL traces above all SVG ones:
a mix would hide SVG outlines under WebGL points. (Legend-only keys are SVG in both.)

An SVG trace filled "toself" hovers on its fill by default: the shaded inner ellipse
would take the hover and the clicks meant for the points inside it. Its SVG twin hovers
on its points, as the WebGL trace does.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["SVG_MAX_POINTS", "as_svg", "draws_svg", "matching"]

#: A view drawing at most this many point markers draws them, and all else, as SVG.
SVG_MAX_POINTS = 1_000
#: The scatter trace types of the two kinds.
WEBGL, SVG = "scattergl", "scatter"


def draws_svg(n_markers: int) -> bool:
    """Whether a view whose points trace has ``n_markers`` markers draws as SVG."""
    return n_markers <= SVG_MAX_POINTS


def as_svg(traces: Iterable[dict]) -> list[dict]:
    """``traces`` with every WebGL scatter trace turned into its SVG twin.

    Parameters
    ----------
    traces : iterable of dict
        Plain trace specs.

    Returns
    -------
    list of dict
        The same traces, in order; a ``scattergl`` one copied with type ``scatter``
        (the two take the same properties; a filled one hovers on its points), the
        others as they were.
    """
    return [_svg_twin(trace) if trace.get("type") == WEBGL else trace for trace in traces]


def _svg_twin(trace: dict) -> dict:
    filled = trace.get("fill", "none") != "none"
    return trace | {"type": SVG} | ({"hoveron": "points"} if filled else {})


def matching(traces: Iterable[dict], points_type: str) -> list[dict]:
    """``traces`` drawn as the figure's points are: as SVG if its points trace is
    ``scatter``, else as they are (WebGL, or 3-D)."""
    return as_svg(traces) if points_type == SVG else list(traces)
