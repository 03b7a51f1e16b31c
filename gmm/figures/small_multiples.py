"""Bishop's figure 9.8 as small multiples: the fit after L cycles, linked to the curve.

:func:`lesson_figure` is the lesson chart: `model_figure` with an arrow to the point the
narration talks about. :func:`cycle_thumbnails` draws the fit after each chosen number
of complete EM cycles L (one small scatter each, titled with L and its log-likelihood),
and :func:`marked_curve` the log-likelihood per cycle with the same L marked and
labelled, so that the eye goes from a panel to its place on the curve.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .choose_k import model_thumbnail
from .colors import PALETTE
from .model import model_figure
from .style import FONT_SIZE, INK, axis_style, base_layout

__all__ = ["cycle_thumbnails", "lesson_figure", "marked_curve"]


def lesson_figure(X: np.ndarray, *arrays, point: int | None = None, **options) -> go.Figure:
    """`model_figure` with ``point`` ringed and, in 1-D and 2-D, an arrow pointing at it.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    *arrays
        ``responsibilities, means, covariances, weights, masses`` as for `model_figure`.
    point : int, optional
        A row of ``X``: the point at the arrow.
    **options
        Passed to `model_figure`.
    """
    figure = model_figure(X, *arrays, selected_point=point, **options)
    if point is not None and X.shape[1] == 2:
        figure.add_annotation(
            x=float(X[point, 0]),
            y=float(X[point, 1]),
            ax=-70,
            ay=-60,
            showarrow=True,
            arrowhead=2,
            arrowsize=1.6,
            arrowwidth=3,
            arrowcolor=INK,
            standoff=9,
            text="",  # the ring already names the point
        )
    return figure


def cycle_thumbnails(
    X: np.ndarray,
    fits: Sequence[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]],
    *,
    column_names: Sequence[str] = ("x1", "x2"),
    height: int = 260,
) -> list[go.Figure]:
    """One small 2-D figure per number of cycles L.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    fits : sequence of (L, responsibilities (n, K), means (K, 2), covariances (K, 2, 2),
        weights (K,), log_likelihood)
        The fit after L complete E + M cycles; the colours are those of the last
        E-step (the responsibilities the M-step used).
    """
    return [
        model_thumbnail(
            X,
            resp,
            means,
            covs,
            weights,
            column_names=column_names,
            title=f"L = {cycles} · log-lik {loglik:,.1f}".replace("-", "−"),
            height=height,
        )
        for cycles, resp, means, covs, weights, loglik in fits
    ]


def marked_curve(
    log_likelihoods: np.ndarray, marked: Sequence[int], *, height: int = 260
) -> go.Figure:
    """The log-likelihood after each complete cycle, with the cycles ``marked`` labelled.

    Parameters
    ----------
    log_likelihoods : ndarray, shape (m,)
        Entry L is the log-likelihood after L cycles (entry 0: the start).
    marked : sequence of int
        The L of the small multiples.
    """
    values = np.asarray(log_likelihoods, dtype=float)
    cycles = np.arange(len(values))
    shown = [L for L in marked if 0 <= L < len(values)]
    figure = go.Figure(
        [
            go.Scatter(
                x=cycles[1:],
                y=values[1:],
                mode="lines+markers",
                line={"color": INK, "width": 2},
                marker={"size": 5, "color": INK},
                name="log-likelihood",
                hovertemplate="L = %{x}<br>log-likelihood %{y:,.3f}<extra></extra>",
            ),
            go.Scatter(
                x=shown,
                y=values[shown],
                mode="markers+text",
                marker={"size": 14, "color": PALETTE[0], "line": {"width": 2, "color": INK}},
                text=[f"L = {L}" for L in shown],
                textposition=["bottom right"] * (len(shown) - 1) + ["bottom left"],
                textfont={"size": FONT_SIZE},
                name="the panels above",
                hoverinfo="skip",
            ),
        ]
    )
    layout = base_layout("lesson-cycles") | {"margin": {"l": 70, "r": 20, "t": 20, "b": 60}}
    figure.update_layout(
        **layout,
        height=height,
        showlegend=False,
        xaxis=axis_style(
            "complete EM cycles L (the start, L = 0, is far below)",
            range=[0, len(values) - 0.5],
        ),
        yaxis=axis_style("log-likelihood", range=_room_below_labels(values[1:])),
    )
    return figure


def _room_below_labels(values: np.ndarray, share: float = 0.15) -> list[float] | None:
    """A y range with ``share`` of the span left free below the lowest value, where the
    lowest marked cycle's label sits (it would be clipped by the axis otherwise)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    low, high = float(finite.min()), float(finite.max())
    span = high - low if high > low else max(abs(high), 1.0)
    return [low - share * span, high + 0.05 * span]
