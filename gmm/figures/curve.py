"""The log-likelihood after every half-step, with the snapshot on screen ringed.

Like every builder in `gmm.figures`, `loglik_curve` takes plain arrays and returns a
finished ``plotly.graph_objects.Figure`` built from plain-dict traces with
``_validate=False`` (see `gmm.figures.view_2d`).  Traces carry ``meta={"role": ...}``:
a grey connecting line ("loglik_line"), the EM lower bound if given ("elbo"), one
marker trace per phase present ("phase"), and the ring at the current snapshot
("current").  Every marker's ``customdata`` is its snapshot index, so a click tells
the app which half-step to show.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .style import (
    PHASE_STYLE,
    axis_style,
    base_layout,
    layout_options,
    legend_above,
    legend_below,
)

__all__ = ["LEGEND_PLACES", "loglik_curve"]

#: Where the legend may go.
LEGEND_PLACES = ("above", "below")


def _half_step_labels(phases: Sequence[str], iterations: Sequence[int]) -> list[str]:
    """Tick labels "0 init", "1E", "1M", ... for each snapshot."""
    return [
        f"{it} init" if phase == "init" else f"{it}{phase}" for phase, it in zip(phases, iterations)
    ]


def _tick_positions(n: int, max_ticks: int = 16) -> np.ndarray:
    """Evenly strided tick positions so at most ``max_ticks`` labels show."""
    stride = max(1, int(np.ceil(n / max_ticks)))
    return np.arange(0, n, stride)


def _phase_trace(x: np.ndarray, values: np.ndarray, labels: np.ndarray, phase: str) -> dict:
    """Markers of the snapshots of one phase; clickable (customdata = index)."""
    name, color, symbol = PHASE_STYLE[phase]
    return dict(
        type="scatter",
        x=x,
        y=values,
        mode="markers",
        marker={
            "color": color,
            "symbol": symbol,
            "size": 11,
            "line": {"color": "white", "width": 1},
        },
        customdata=x,
        text=labels,
        hovertemplate="%{text}<br>log-likelihood %{y:.6g}<extra></extra>",
        name=name,
        meta={"role": "phase", "phase": phase},
    )


def _elbo_trace(x: np.ndarray, lower_bound: np.ndarray, labels: list[str]) -> dict:
    """The EM lower bound as a dashed line (gaps where it is undefined)."""
    return dict(
        type="scatter",
        x=x,
        y=lower_bound,
        mode="lines+markers",
        line={"color": "#009E73", "width": 2, "dash": "dash"},
        marker={"symbol": "triangle-up", "size": 8, "color": "#009E73"},
        connectgaps=False,
        customdata=x,
        text=labels,
        hovertemplate="%{text}<br>lower bound (ELBO) %{y:.6g}<extra></extra>",
        name="EM lower bound (ELBO)",
        meta={"role": "elbo"},
    )


def _current_trace(current: int, value: float, label: str) -> dict:
    """A large ring around the snapshot being shown."""
    return dict(
        type="scatter",
        x=[current],
        y=[value],
        mode="markers",
        marker={"symbol": "circle-open", "size": 26, "color": "black", "line": {"width": 3}},
        customdata=[current],
        hovertemplate=f"now: {label}<br>log-likelihood %{{y:.6g}}<extra></extra>",
        name="current step",
        meta={"role": "current", "index": current},
    )


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
) -> go.Figure:
    """Log-likelihood after every half-step, with the current one ringed.

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
        M-step, which is why EM can only climb.
    y_title : str
    uirevision : str
    legend : {"above", "below"}, default "above"
        Where the legend goes; "below" leaves the plot's full height to
        the curve (for a narrow column).
    height : int, optional
        Figure height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        x is the half-step index; every marker's ``customdata`` is its
        snapshot index, so a click (``on_select``) tells which to show.
        Traces: a grey connecting line (meta role "loglik_line"), the
        ELBO if given ("elbo"), one marker trace per phase present
        ("phase"), and the ring at ``current`` ("current").  The x range
        leaves room for the ring around the first and last points.
    """
    values = np.asarray(values, dtype=float)
    phase_arr = np.asarray(phases)
    _check_curve(values, phase_arr, iterations, current, legend)
    x = np.arange(len(values))
    labels = _half_step_labels(phase_arr.tolist(), iterations)
    traces = [_loglik_line(x, values)]
    if lower_bound is not None:
        traces.append(_elbo_trace(x, np.asarray(lower_bound, dtype=float), labels))
    label_arr = np.asarray(labels)
    traces += [
        _phase_trace(x[mask], values[mask], label_arr[mask], p)
        for p in PHASE_STYLE
        if np.any(mask := phase_arr == p)
    ]
    traces.append(_current_trace(current, values[current], labels[current]))
    layout = _loglik_layout(labels, y_title, uirevision, legend) | layout_options(height=height)
    return go.Figure(data=traces, layout=layout, _validate=False)


def _check_curve(
    values: np.ndarray,
    phases: np.ndarray,
    iterations: Sequence[int],
    current: int,
    legend: str,
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


def _loglik_line(x: np.ndarray, values: np.ndarray) -> dict:
    """Grey line joining the log-likelihood of consecutive half-steps."""
    return dict(
        type="scatter",
        x=x,
        y=values,
        mode="lines",
        line={"color": "#BBBBBB", "width": 2},
        hoverinfo="skip",
        showlegend=False,
        meta={"role": "loglik_line"},
    )


def _loglik_layout(labels: list[str], y_title: str, uirevision: str, legend: str) -> dict:
    """Layout of the log-likelihood curve: thinned half-step ticks, room for the ring."""
    ticks = _tick_positions(len(labels))
    pad = max(0.6, 0.08 * len(labels))  # room for the ring around the current point
    return {
        **base_layout(uirevision),
        "xaxis": {
            **axis_style("half-step"),
            "tickvals": ticks.tolist(),
            "ticktext": [labels[i] for i in ticks],
            "range": [-pad, len(labels) - 1 + pad],
        },
        "yaxis": axis_style(y_title),
        "clickmode": "event",  # a click jumps to that half-step; nothing stays selected
        "hovermode": "closest",
        **_legend_place(legend),
    }


def _legend_place(legend: str) -> dict:
    """The legend above or below the plot, and margins that leave room for it."""
    if legend == "below":
        return {"legend": legend_below(-0.42), "margin": {"l": 90, "r": 20, "t": 10, "b": 150}}
    return {"legend": legend_above(), "margin": {"l": 90, "r": 10, "t": 40, "b": 60}}
