"""Plotly figures of restarts: where each run ended, and how each run climbed.

Same conventions as `gmm.figures.choose_k` (the smaller panel look of `gmm.figures.style`,
plain-dict traces with ``meta={"role": ...}``):

=====================  ==================================================================
figure                 trace roles
=====================  ==================================================================
final_loglik_plot      "final_loglik" (one box with all its points per method)
loglik_overlay         "restart_curve" (one thin line per restart)
=====================  ==================================================================

Initialisation methods are told apart by colour and line dash (`METHOD_STYLE`), so that
no figure relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .style import FALLBACK_STYLE, FONT_SIZE, METHOD_STYLE, NOTE_COLOR, panel_axis, panel_layout

__all__ = ["MIN_LOGLIK_SPAN", "final_loglik_plot", "loglik_overlay"]

#: Smallest log-likelihood range shown by :func:`final_loglik_plot`.
MIN_LOGLIK_SPAN = 2.0


def final_loglik_plot(
    values: Mapping[str, np.ndarray],
    restart_numbers: Mapping[str, Sequence[int]],
    *,
    method_labels: Mapping[str, str] | None = None,
    solutions: Sequence[float] = (),
    height: int = 380,
) -> go.Figure:
    """Final log-likelihood of every restart, one box with all its points per method.

    Parameters
    ----------
    values : mapping method -> ndarray
        Final total log-likelihoods (NaN ones are left out).
    restart_numbers : mapping method -> sequence of int
        1-based restart numbers, for the hover text.
    method_labels : mapping, optional
    solutions : sequence of float
        Log-likelihoods of the distinct solutions, best first: drawn as faint
        horizontal lines labelled "S1", "S2", ...

    Notes
    -----
    The y axis spans at least ``MIN_LOGLIK_SPAN``: runs that reached the same optimum
    differ only by rounding, which must not look like a spread.
    """
    labels = dict(method_labels or {})
    traces = []
    for method, finals in values.items():
        finals = np.asarray(finals, dtype=float)
        numbers = np.asarray(restart_numbers[method])
        keep = np.isfinite(finals)
        color, _ = METHOD_STYLE.get(method, FALLBACK_STYLE)
        name = labels.get(method, method)
        traces.append(
            dict(
                type="box",
                y=finals[keep],
                x=[name] * int(keep.sum()),
                name=name,
                boxpoints="all",
                jitter=0.5,
                pointpos=0,
                customdata=numbers[keep],
                marker={
                    "color": color,
                    "size": 9,
                    "opacity": 0.8,
                    "line": {"color": "white", "width": 1},
                },
                line={"color": color},
                fillcolor="rgba(0,0,0,0)",
                hovertemplate="restart %{customdata}<br>log-likelihood %{y:,.2f}<extra></extra>",
                meta={"role": "final_loglik", "method": method},
            )
        )
    shapes, annotations = [], []
    for i, value in enumerate(solutions[:6]):
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": value,
                "y1": value,
                "line": {"color": "#999999", "width": 1, "dash": "dot"},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "paper",
                "x": 1.0,
                "y": value,
                "xanchor": "left",
                "text": f"S{i + 1}",
                "showarrow": False,
                "font": {"size": FONT_SIZE - 4, "color": NOTE_COLOR},
            }
        )
    yaxis = panel_axis("final log-likelihood (higher is better)", tickformat=",.6~g")
    finite = np.concatenate([np.asarray(v, dtype=float) for v in values.values()] or [np.empty(0)])
    finite = finite[np.isfinite(finite)]
    if finite.size:
        # Runs that end at one optimum differ by rounding only: keep at least
        # MIN_LOGLIK_SPAN on the axis, or that noise would look like a spread.
        low, high = float(finite.min()), float(finite.max())
        middle, span = (low + high) / 2, max(high - low, MIN_LOGLIK_SPAN)
        yaxis["range"] = [middle - 0.55 * span, middle + 0.55 * span]
    layout = panel_layout(
        height,
        xaxis=panel_axis("initialisation"),
        yaxis=yaxis,
        showlegend=False,
        shapes=shapes,
        annotations=annotations,
        margin={"l": 70, "r": 40, "t": 20, "b": 55},
    )
    return go.Figure(data=traces, layout=layout, _validate=False)


def loglik_overlay(
    curves: Sequence[np.ndarray],
    methods: Sequence[str],
    *,
    restart_numbers: Sequence[int] | None = None,
    method_labels: Mapping[str, str] | None = None,
    x_title: str = "EM iteration",
    height: int = 380,
) -> go.Figure:
    """The log-likelihood curve of every restart, thin lines coloured by method.

    Parameters
    ----------
    curves : sequence of ndarray
        One log-likelihood trajectory per restart (entry t at iteration or half-step t).
    methods : sequence of str
        The initialisation method of each restart.
    restart_numbers : sequence of int, optional
        1-based numbers for the hover text (default 1, 2, ...).
    method_labels : mapping, optional
    x_title : str

    Notes
    -----
    The y axis starts a little below the lowest value reached after the first iteration:
    starting values can be far lower and would squash the interesting part.
    """
    labels = dict(method_labels or {})
    numbers = (
        list(restart_numbers) if restart_numbers is not None else list(range(1, len(curves) + 1))
    )
    traces, seen = [], set()
    for curve, method, number in zip(curves, methods, numbers):
        curve = np.asarray(curve, dtype=float)
        if curve.size == 0:
            continue
        color, dash = METHOD_STYLE.get(method, FALLBACK_STYLE)
        traces.append(
            dict(
                type="scatter",
                x=np.arange(len(curve)),
                y=curve,
                mode="lines",
                line={"color": color, "width": 1.3, "dash": dash},
                opacity=0.7,
                name=labels.get(method, method),
                legendgroup=method,
                showlegend=method not in seen,
                hovertemplate=(
                    f"restart {number} ({labels.get(method, method)})<br>"
                    "iteration %{x}<br>log-likelihood %{y:,.2f}<extra></extra>"
                ),
                meta={"role": "restart_curve", "method": method, "restart": int(number)},
            )
        )
        seen.add(method)
    yaxis = panel_axis("log-likelihood")
    after_first = [c[1:] for c in map(np.asarray, curves) if len(c) > 1]
    finite = (
        np.concatenate(after_first)[np.isfinite(np.concatenate(after_first))]
        if after_first
        else np.empty(0)
    )
    if finite.size:
        low, high = float(finite.min()), float(finite.max())
        pad = 0.05 * max(high - low, 1.0)
        yaxis["range"] = [low - pad, high + pad]
    layout = panel_layout(height, xaxis=panel_axis(x_title), yaxis=yaxis, hovermode="closest")
    return go.Figure(data=traces, layout=layout, _validate=False)
