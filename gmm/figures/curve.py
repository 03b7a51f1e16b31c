"""The log-likelihood after every half-step, with the snapshot on screen ringed.

Like every builder in `gmm.figures`, `loglik_curve` takes plain arrays and returns a
finished ``plotly.graph_objects.Figure`` built from plain-dict traces with
``_validate=False`` (see `gmm.figures.view_2d`).  x is always the half-step index, so
a click anywhere on the chart tells the app which half-step to show.

Three views (``view=``)
-----------------------
"full"
    The log-likelihood of every half-step on a linear axis.
"auto" (the default)
    As "full", but when one early jump holds most of the climb (at least
    1 - `ZOOM_SHARE` of it, within the first `ZOOM_WITHIN` half-steps), the y axis starts just below the log-likelihood after
    the jump, so that the rest of the climb and the convergence fill the chart
    instead of a flat line along the top.  The axis title then says "(zoomed)", and
    down-pointing markers on the bottom edge stand for the half-steps left below the
    axis (their hover gives their values).  The snapshot on screen is never left out: while it is one of those before
    the jump, the view is "full".
"gain"
    What each iteration gained, ℓ(after its M-step) − ℓ(after the previous M-step),
    on a log axis: EM's linear convergence is a straight descent, and the tail that
    every linear axis flattens stays readable.  Gains within rounding
    (|gain| ≤ `ROUNDING` × |ℓ|) cannot go on a log axis; they are drawn as "≈ 0"
    markers along the bottom edge, and a real fall as an alert-coloured marker there.

Traces carry ``meta={"role": ...}``.  "full"/"auto": a grey connecting line
("loglik_line"), one marker trace per phase present ("phase", ``customdata`` = the
snapshot index), the EM lower bound if given ("elbo"), a legend-only key per phase
("phase_key", so that the legend keeps full-size symbols), when zoomed the markers of
the half-steps below the axis ("below"), the ring at the current snapshot ("current",
last).  "gain": the gains ("gain"), the rounding level once the
gains come near it (a dotted line, "rounding"), then if any "no_gain" and "fall", then the current half-step as a
vertical line ("current", last).
``layout.meta["view"]`` says which view was drawn ("full", "zoom" or "gain").

Hovering anywhere shows one box for the half-step under the mouse (``x unified``, the
hover carried by the connecting line): the phase, the log-likelihood, and the lower
bound on its own labelled line.  Long runs
thin out: markers shrink and lose their white outline past `FULL_MARKERS` half-steps,
and past `HALF_STEP_TICKS` the ticks mark round EM iterations (at most
`ITERATION_TICKS` of them) instead of every half-step.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

from .curve_gain import ROUNDING, gain_traces, iteration_gains, log_ticks
from .style import (
    FONT_SIZE,
    NOTE_COLOR,
    PHASE_STYLE,
    axis_style,
    base_layout,
    layout_options,
    legend_above,
    legend_at_bottom,
)

__all__ = [
    "CURVE_VIEWS",
    "FULL_MARKERS",
    "HALF_STEP_TICKS",
    "ITERATION_TICKS",
    "LEGEND_PLACES",
    "ROUNDING",
    "ZOOM_SHARE",
    "ZOOM_WITHIN",
    "iteration_gains",
    "loglik_curve",
    "zoom_start",
]

#: Where the legend may go.
LEGEND_PLACES = ("above", "below")
#: What the y axis may show.
CURVE_VIEWS = ("auto", "full", "gain")
#: Up to this many snapshots every half-step has its tick ("0 init", "1E", "1M", ...).
HALF_STEP_TICKS = 11
#: Beyond, at most this many ticks, at round iterations.
ITERATION_TICKS = 8
#: Up to this many snapshots the markers are full size with a white outline.
FULL_MARKERS = 24
#: "auto" zooms when the climb left after the first jump is at most this share of all.
ZOOM_SHARE = 0.25
#: ... and that jump ends within this many half-steps (at most this many left below).
ZOOM_WITHIN = 4
#: The phase words of the hover ("after the E-step").
_PHASE_WORDS = {"init": "initialisation", "E": "after the E-step", "M": "after the M-step"}
#: A hidden second y axis spanning the plot's height, for markers on its bottom edge.
_EDGE_AXIS = MappingProxyType(
    {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}
)
#: Colour of the lower bound's dashed line.
ELBO_COLOR = "#009E73"


# ====================================================================== the numbers
def zoom_start(
    values: np.ndarray, current: int, lower_bound: np.ndarray | None = None
) -> tuple[int, list[float]] | None:
    """Where "auto" starts its zoomed axis, and the axis range; None to show all.

    Parameters
    ----------
    values : ndarray, shape (m,)
        Log-likelihood per snapshot.
    current : int
        The snapshot on screen: never left below the axis.
    lower_bound : ndarray, shape (m,), optional
        Kept in range after the jump (NaN where undefined).

    Returns
    -------
    (start, [low, high]) or None
        ``start`` is the first snapshot within `ZOOM_SHARE` of the top, if the
        half-step that led to it made at least 1 - `ZOOM_SHARE` of the whole climb,
        it comes within `ZOOM_WITHIN` half-steps, at least three more follow,
        ``current`` is not before it and the climb after it is more than rounding.  The range covers
        the log-likelihood from ``start`` on (and the lower bound after it), padded.
    """
    finite = np.isfinite(values)
    if finite.sum() < 2 or not finite.all():
        return None
    top, span = float(values.max()), float(np.ptp(values))
    if span <= 0:
        return None
    start = int(np.flatnonzero(top - values <= ZOOM_SHARE * span)[0])
    if not 1 <= start <= ZOOM_WITHIN or current < start or len(values) - start < 4:
        return None
    if values[start] - values[start - 1] < (1 - ZOOM_SHARE) * span:
        return None  # a steady climb, not one jump that flattens the rest
    rest = values[start:]
    if lower_bound is not None:
        bound = np.asarray(lower_bound, dtype=float)[start + 1 :]
        rest = np.concatenate([rest, bound[np.isfinite(bound)]])
    low, high = float(rest.min()), float(rest.max())
    if high - low <= 1e6 * ROUNDING * max(1.0, abs(top)):
        return None  # flat after the jump: a zoom would only magnify rounding
    pad = 0.08 * (high - low)
    return start, [low - pad, high + pad]


# ========================================================================== ticks
def _half_step_labels(phases: Sequence[str], iterations: Sequence[int]) -> list[str]:
    """Tick labels "0 init", "1E", "1M", ... for each snapshot."""
    return [
        f"{it} init" if phase == "init" else f"{it}{phase}" for phase, it in zip(phases, iterations)
    ]


def _nice_step(span: int, max_ticks: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... giving at most ``max_ticks`` ticks."""
    step, factors = 1, (2, 2.5, 2)
    i = 0
    while span // step + 1 > max_ticks:
        step = int(step * factors[i % 3])
        i += 1
    return step


def _ticks(labels: list[str], iterations: Sequence[int]) -> tuple[list[int], list[str], str]:
    """Tick positions, their labels and the x axis title.

    Up to `HALF_STEP_TICKS` snapshots, every half-step is labelled ("0 init", "1E",
    "1M"); beyond, round iterations are, at the last snapshot of each (its M-step),
    at most `ITERATION_TICKS` of them, and the axis is titled "EM iteration".
    """
    if len(labels) <= HALF_STEP_TICKS:
        return list(range(len(labels))), labels, "half-step"
    last_of: dict[int, int] = {}
    for i, it in enumerate(iterations):
        last_of[int(it)] = i
    first, last = min(last_of), max(last_of)
    step = _nice_step(last - first, ITERATION_TICKS)
    chosen = [it for it in sorted(last_of) if it % step == 0]
    return [last_of[it] for it in chosen], [str(it) for it in chosen], "EM iteration"


# ========================================================================= traces
def _marker_style(n: int, color: str, symbol: str) -> dict:
    """Phase markers: full size with a white outline on short runs, thinner on long."""
    if n <= FULL_MARKERS:
        return {
            "color": color,
            "symbol": symbol,
            "size": 11,
            "line": {"color": "white", "width": 1},
        }
    size = max(3.0, 11.0 * np.sqrt(FULL_MARKERS / n))
    return {"color": color, "symbol": symbol, "size": round(size, 1), "line": {"width": 0}}


def _phase_trace(x: np.ndarray, values: np.ndarray, phase: str, n: int) -> dict:
    """Markers of the snapshots of one phase (customdata = index).

    The connecting line carries the hover: one trace whose points are every
    half-step, so that the box shows that half-step alone, also where markers of
    neighbouring half-steps crowd within the hover distance.
    """
    name, color, symbol = PHASE_STYLE[phase]
    return dict(
        type="scatter",
        x=x,
        y=values,
        mode="markers",
        marker=_marker_style(n, color, symbol),
        customdata=x,
        hoverinfo="skip",
        name=name,
        showlegend=False,  # its key (`_phase_key`) keeps one symbol size in the legend
        legendgroup=f"phase-{phase}",
        meta={"role": "phase", "phase": phase},
    )


def _phase_key(phase: str, rank: int) -> dict:
    """Legend-only entry of one phase, at full size however small the markers are."""
    name, color, symbol = PHASE_STYLE[phase]
    return dict(
        type="scatter",
        x=[None],
        y=[None],
        mode="markers",
        marker=_marker_style(0, color, symbol),
        hoverinfo="skip",
        name=name,
        legendgroup=f"phase-{phase}",
        legendrank=rank,
        meta={"role": "phase_key", "phase": phase},
    )


def _elbo_trace(x: np.ndarray, lower_bound: np.ndarray) -> dict:
    """The EM lower bound as a dashed line (gaps where it is undefined)."""
    return dict(
        type="scatter",
        x=x,
        y=lower_bound,
        mode="lines",
        line={"color": ELBO_COLOR, "width": 2.5, "dash": "dash"},
        connectgaps=False,
        hovertemplate="lower bound (ELBO) %{y:.8g}<extra></extra>",
        name="EM lower bound (ELBO)",
        legendrank=10,
        meta={"role": "elbo"},
    )


def _current_ring(current: int, value: float) -> dict:
    """A large ring around the snapshot being shown."""
    return dict(
        type="scatter",
        x=[current],
        y=[value],
        mode="markers",
        marker={"symbol": "circle-open", "size": 26, "color": "black", "line": {"width": 3}},
        customdata=[current],
        hoverinfo="skip",
        name="current step",
        legendrank=20,
        meta={"role": "current", "index": current},
    )


def _loglik_line(
    x: np.ndarray, values: np.ndarray, phases: np.ndarray, iterations: np.ndarray
) -> dict:
    """Grey line joining the log-likelihood of consecutive half-steps; it carries the hover.

    On long runs it is darker: the markers are small and the line draws the curve.
    """
    heads = [
        _PHASE_WORDS["init"] if p == "init" else f"iteration {it} · {_PHASE_WORDS[p]}"
        for p, it in zip(phases.tolist(), iterations.tolist())
    ]
    return dict(
        type="scatter",
        x=x,
        y=values,
        mode="lines",
        line={"color": "#BBBBBB" if len(x) <= FULL_MARKERS else "#888888", "width": 2},
        text=heads,
        hovertemplate="%{text}<br>log-likelihood %{y:.8g}<extra></extra>",
        name="log-likelihood",
        showlegend=False,
        legendrank=5,  # first in the hover box, before the lower bound
        meta={"role": "loglik_line"},
    )


def _loglik_traces(
    values: np.ndarray,
    phases: np.ndarray,
    iterations: np.ndarray,
    current: int,
    lower_bound: np.ndarray | None,
) -> list[dict]:
    """The traces of the "full" and "zoom" views, in the documented order."""
    n = len(values)
    x = np.arange(n)
    present = [p for p in PHASE_STYLE if np.any(phases == p)]
    traces = [_loglik_line(x, values, phases, iterations)]
    traces += [_phase_trace(x[phases == p], values[phases == p], p, n) for p in present]
    if lower_bound is not None:
        traces.append(_elbo_trace(x, lower_bound))
    traces += [_phase_key(p, rank) for rank, p in enumerate(present, start=1)]
    traces.append(_current_ring(current, values[current]))
    return traces


# ========================================================================= layout
def _note(text: str, name: str) -> dict:
    """A small grey note in the bottom-right corner of the plot (under a climbing curve)."""
    return {
        "name": name,
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0.99,
        "y": 0.01,
        "xanchor": "right",
        "yanchor": "bottom",
        "showarrow": False,
        "bgcolor": "rgba(255,255,255,0.85)",
        "font": {"size": FONT_SIZE - 2, "color": NOTE_COLOR},
    }


def _below_trace(labels: list[str], values: np.ndarray, start: int) -> dict:
    """Down-pointing markers on the bottom edge where the zoomed axis leaves points out."""
    x = np.arange(start)
    texts = [f"{labels[i]} lies below the zoomed axis" for i in x]  # the line gives its value
    return dict(
        type="scatter",
        x=x,
        y=np.full(start, 0.03),
        yaxis="y2",
        mode="markers",
        marker={"color": NOTE_COLOR, "symbol": "triangle-down", "size": 12, "line": {"width": 0}},
        customdata=x,
        text=texts,
        hovertemplate="%{text}<extra></extra>",
        name="below the zoomed axis",
        showlegend=False,  # the axis title says "zoomed"; the hover says the rest
        meta={"role": "below", "below": float(values[:start].min())},
    )


def _loglik_layout(
    labels: list[str],
    iterations: Sequence[int],
    y_title: str,
    uirevision: str,
    legend: str,
    view: str,
) -> dict:
    """Layout of the curve: thinned ticks, room for the ring, one hover per half-step."""
    ticks, ticktext, x_title = _ticks(labels, iterations)
    pad = max(0.6, 0.08 * len(labels))  # room for the ring around the current point
    xaxis = {
        **axis_style(x_title),
        "tickvals": ticks,
        "ticktext": ticktext,
        "range": [-pad, len(labels) - 1 + pad],
        "unifiedhovertitle": {"text": "half-step %{x}"},
    }
    if x_title != "half-step":
        xaxis["tickangle"] = 0  # a few short numbers: never rotated over the plot
    return {
        **base_layout(uirevision),
        "xaxis": xaxis,
        "yaxis": axis_style(y_title),
        "clickmode": "event",  # a click jumps to that half-step; nothing stays selected
        "hovermode": "x unified",  # one box per half-step: log-likelihood, lower bound
        "meta": {"view": view},
        **_legend_place(legend),
    }


def _legend_place(legend: str) -> dict:
    """The legend above or below the plot, and margins that leave room for it."""
    if legend == "below":
        # At the figure's bottom edge: Plotly adds the legend's height to the margin, so
        # it stays under the axis title at any height (a paper-unit y let it ride up).
        return {"legend": legend_at_bottom(), "margin": {"l": 90, "r": 20, "t": 10, "b": 60}}
    return {"legend": legend_above(), "margin": {"l": 90, "r": 10, "t": 40, "b": 60}}


# ======================================================================= builder
def loglik_curve(
    values: np.ndarray,
    phases: Sequence[str],
    current: int,
    *,
    iterations: Sequence[int],
    lower_bound: np.ndarray | None = None,
    y_title: str = "log-likelihood",
    uirevision: str = "gmm-loglik",
    legend: str = "above",
    height: int | None = None,
    view: str = "auto",
) -> go.Figure:
    """Log-likelihood after every half-step, with the current one marked.

    Parameters
    ----------
    values : ndarray, shape (m,)
        Log-likelihood of each snapshot.
    phases : sequence of str, length m
        "init", "E" or "M": which half-step produced the snapshot.
    current : int
        Index of the snapshot being displayed.
    iterations : sequence of int, length m
        EM iteration of each snapshot (for tick labels "0 init", "1E", ...).
    lower_bound : ndarray, shape (m,), optional
        EM lower bound (ELBO) L(q, theta), NaN where undefined.  It equals
        the log-likelihood after an E-step and lies below it after an
        M-step, which is why EM can only climb.  Not drawn in the "gain"
        view.
    y_title : str
        Title of the y axis ("(zoomed)" is added when zoomed).
    uirevision : str
    legend : {"above", "below"}, default "above"
        Where the legend goes; "below" leaves the plot's full height to
        the curve (for a narrow column).
    height : int, optional
        Figure height in pixels.
    view : {"auto", "full", "gain"}, default "auto"
        "full": every half-step on one linear axis.  "auto": the same, but
        zoomed past a first jump that would flatten the rest (the axis
        title says "(zoomed)", on a second line so that a short plot
        does not cut it off; markers on the bottom edge stand for the
        half-steps below, their hover gives their values).  "gain": what
        each iteration gained, on a log axis (see the module docstring).

    Returns
    -------
    plotly.graph_objects.Figure
        x is the half-step index; a click (``on_select``) on any point tells
        which snapshot to show.  Traces and ``layout.meta["view"]`` as in
        the module docstring.  The x range leaves room for the ring around
        the first and last points.
    """
    values = np.asarray(values, dtype=float)
    phase_arr = np.asarray(phases)
    _check_curve(values, phase_arr, iterations, current, legend, view)
    iteration_arr = np.asarray(iterations, dtype=int)
    bound = None if lower_bound is None else np.asarray(lower_bound, dtype=float)
    labels = _half_step_labels(phase_arr.tolist(), iterations)
    if view == "gain":
        traces = gain_traces(
            values,
            phase_arr,
            iteration_arr,
            current,
            _marker_style(len(values), PHASE_STYLE["M"][1], "square"),
        )
        layout = _loglik_layout(labels, iterations, y_title, uirevision, legend, "gain")
        layout["yaxis"] = axis_style(
            "gain (log scale)",
            type="log",
            tickmode="array",
            tickvals=(ticks := log_ticks(traces))[0],
            ticktext=ticks[1],
        )
        layout["yaxis2"] = dict(_EDGE_AXIS)
        if not len(traces[0]["x"]):
            layout["annotations"] = [_note("The gain shows from the first M-step on.", "gain_note")]
        return go.Figure(
            data=traces, layout=layout | layout_options(height=height), _validate=False
        )
    zoom = zoom_start(values, current, bound) if view == "auto" else None
    traces = _loglik_traces(values, phase_arr, iteration_arr, current, bound)
    shown = "full" if zoom is None else "zoom"
    layout = _loglik_layout(labels, iterations, y_title, uirevision, legend, shown)
    if zoom is not None:
        start, y_range = zoom
        traces.insert(-1, _below_trace(labels, values, start))
        layout["yaxis"] = axis_style(f"{y_title}<br>(zoomed)", range=y_range)  # 2 short lines
        layout["yaxis2"] = dict(_EDGE_AXIS)
        layout["meta"]["zoom_from"] = start
    return go.Figure(data=traces, layout=layout | layout_options(height=height), _validate=False)


def _check_curve(
    values: np.ndarray,
    phases: np.ndarray,
    iterations: Sequence[int],
    current: int,
    legend: str,
    view: str,
) -> None:
    """Raise ValueError on inconsistent log-likelihood curve inputs."""
    if phases.shape != values.shape or len(iterations) != len(values):
        raise ValueError("values, phases and iterations must have the same length")
    if not set(phases.tolist()) <= set(PHASE_STYLE):
        raise ValueError(f"phases must be among {sorted(PHASE_STYLE)}")
    if not 0 <= current < len(values):
        raise ValueError(f"current={current} outside 0..{len(values) - 1}")
    if legend not in LEGEND_PLACES:
        raise ValueError(f"legend must be one of {LEGEND_PLACES}, got {legend!r}")
    if view not in CURVE_VIEWS:
        raise ValueError(f"view must be one of {CURVE_VIEWS}, got {view!r}")
