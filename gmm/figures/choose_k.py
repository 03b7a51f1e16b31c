"""Plotly figures for choosing K: an information criterion against K, and thumbnails.

Like every builder in `gmm.figures`, these take plain NumPy arrays and strings (no
engine classes) and return a finished ``plotly.graph_objects.Figure``; the figures of
restarts are in `gmm.figures.optima`. Traces carry ``meta={"role": ...}`` so that the
app's tests can find them:

=====================  ==================================================================
figure                 trace roles
=====================  ==================================================================
criterion_plot         "criterion" (one line per covariance type), "degenerate"
                       (crosses where every fit collapsed), "best" (the ring)
model_thumbnail        those of :func:`gmm.figures.view_2d.scatter_2d`
data_thumbnail         those of :func:`gmm.figures.view_2d.scatter_2d` (points only)
=====================  ==================================================================

Covariance types are told apart by colour **and** marker symbol (`COVARIANCE_STYLE`),
so that no figure relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .style import COVARIANCE_STYLE, FALLBACK_STYLE, FONT_SIZE, INK, panel_axis, panel_layout
from .view_2d import scatter_2d

__all__ = ["criterion_plot", "data_thumbnail", "model_thumbnail"]


# ----------------------------------------------------------------- BIC / AIC against K
def criterion_plot(
    curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
    best: tuple[str, int, float] | None = None,
    *,
    criterion: str = "BIC",
    lower_is_better: bool = True,
    degenerate: Mapping[str, Sequence[int]] | None = None,
    type_labels: Mapping[str, str] | None = None,
    title: str | None = None,
    zoom: bool = False,
    height: int = 420,
) -> go.Figure:
    """An information criterion against K, one line per covariance type (mclust style).

    Parameters
    ----------
    curves : mapping covariance type -> (ks, values)
        ``values`` NaN where a fit is missing or degenerate (the line breaks there).
    best : (covariance type, K, value), optional
        Ringed and annotated.
    criterion : str
        Axis and hover name, e.g. "BIC" or "AIC".
    lower_is_better : bool
        Only for the axis title.
    degenerate : mapping covariance type -> K values, optional
        Fits in which every restart collapsed: drawn as crosses along the top edge.
    type_labels : mapping, optional
        Legend names of the covariance types (default: the type itself).
    title : str, optional
    zoom : bool, default False
        Show only the better half of the values (from the best to the median, padded):
        near the best model the curves often differ by a few units while the worst
        models lie thousands above (or below) and would flatten everything else.
    height : int

    Returns
    -------
    plotly.graph_objects.Figure
    """
    labels = dict(type_labels or {})
    finite = np.concatenate(
        [np.asarray(v, dtype=float) for _, v in curves.values()] or [np.empty(0)]
    )
    finite = finite[np.isfinite(finite)]
    traces = []
    all_ks: list[int] = []
    for covariance_type, (ks, values) in curves.items():
        color, symbol = COVARIANCE_STYLE.get(covariance_type, (FALLBACK_STYLE[0], "circle"))
        ks = np.asarray(ks, dtype=int)
        all_ks += ks.tolist()
        traces.append(
            dict(
                type="scatter",
                x=ks,
                y=np.asarray(values, dtype=float),
                mode="lines+markers",
                name=labels.get(covariance_type, covariance_type),
                connectgaps=False,
                line={"color": color, "width": 2.5},
                marker={
                    "color": color,
                    "symbol": symbol,
                    "size": 10,
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate=(
                    f"{covariance_type}, K = %{{x}}<br>{criterion} %{{y:,.1f}}<extra></extra>"
                ),
                meta={"role": "criterion", "covariance_type": covariance_type},
            )
        )
    bad = [(t, int(k)) for t, ks in (degenerate or {}).items() for k in ks]
    if bad:
        traces.append(
            dict(
                type="scatter",
                x=[k for _, k in bad],
                y=[1.0] * len(bad),
                yaxis="y2",
                mode="markers",
                name="no fit (every restart collapsed)",
                marker={
                    "symbol": "x-thin-open",
                    "size": 14,
                    "color": INK,
                    "line": {"width": 2, "color": INK},
                },
                text=[t for t, _ in bad],
                hovertemplate="%{text}, K = %{x}: no fit<extra></extra>",
                meta={"role": "degenerate"},
            )
        )
    annotations = []
    if best is not None:
        covariance_type, k, value = best
        traces.append(
            dict(
                type="scatter",
                x=[k],
                y=[value],
                mode="markers",
                name="best",
                marker={
                    "symbol": "circle-open",
                    "size": 26,
                    "color": "black",
                    "line": {"width": 3},
                },
                hovertemplate=(
                    f"best: {covariance_type}, K = {k}<br>{criterion} {value:,.1f}<extra></extra>"
                ),
                showlegend=False,
                meta={"role": "best", "covariance_type": covariance_type, "k": int(k)},
            )
        )
        ks_all = sorted(set(all_ks)) or [k]
        right_half = k > (ks_all[0] + ks_all[-1]) / 2  # point the label into the plot
        annotations.append(
            {
                "x": k,
                "y": value,
                "text": f"best: {covariance_type}, K = {k}",
                "showarrow": True,
                "arrowhead": 2,
                "ax": -80 if right_half else 80,
                "ay": 22,
                "xanchor": "right" if right_half else "left",
                "font": {"size": FONT_SIZE - 2},
                "bgcolor": "white",
                "bordercolor": INK,
                "borderpad": 3,
            }
        )
    better = "lower is better" if lower_is_better else "higher is better"
    ks_sorted = sorted(set(all_ks)) or [1]
    layout = panel_layout(
        height,
        xaxis=panel_axis(
            "number of components K",
            tickmode="array",
            tickvals=ks_sorted,
            range=[ks_sorted[0] - 0.4, ks_sorted[-1] + 0.4],
        ),
        yaxis=panel_axis(f"{criterion} ({better})"),
        annotations=annotations,
        hovermode="closest",
    )
    if zoom and finite.size:
        layout["yaxis"]["range"] = _better_half(finite, lower_is_better)
    if title is not None:
        layout["title"] = {
            "text": title,
            "x": 0.0,
            "xanchor": "left",
            "y": 0.98,
            "font": {"size": FONT_SIZE},
        }
        layout["margin"]["t"] = 90
        layout["legend"]["y"] = 1.0
    if bad:
        # The crosses sit on the top edge whatever the data range: a hidden second axis.
        layout["yaxis2"] = {
            "overlaying": "y",
            "range": [0, 1.04],
            "visible": False,
            "fixedrange": True,
        }
    return go.Figure(data=traces, layout=layout, _validate=False)


def _better_half(values: np.ndarray, lower_is_better: bool) -> list[float]:
    """Axis range from the best value to the median (padded), in the axis' direction."""
    best = values.min() if lower_is_better else values.max()
    middle = float(np.median(values))
    if abs(middle - best) < 1e-9 * max(1.0, abs(best)):
        middle = values.max() if lower_is_better else values.min()
    span = max(abs(middle - best), 1.0)
    low, high = sorted((float(best), middle))
    return [low - 0.2 * span, high + 0.06 * span]


# ---------------------------------------------------------------------- thumbnails
def model_thumbnail(
    X: np.ndarray,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    *,
    column_names: Sequence[str] = ("x1", "x2"),
    title: str | None = None,
    height: int = 280,
    max_points: int = 3000,
) -> go.Figure:
    """A small :func:`gmm.figures.view_2d.scatter_2d` of one fitted model: no legend, small type.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    responsibilities : ndarray, shape (n, K), or None
    means, covariances, weights :
        The model (covariances as full matrices, shape (K, 2, 2)).
    column_names : sequence of str
    title : str, optional
    height : int
    max_points : int
        Points drawn (a seeded subset of larger data).
    """
    return scatter_2d(
        X,
        responsibilities,
        means,
        covariances,
        weights,
        (0.5, 0.9),
        column_names=column_names,
        max_points=max_points,
        title=title,
        uirevision="thumbnail",
        height=height,
        compact=True,
    )


def data_thumbnail(
    X: np.ndarray,
    *,
    column_names: Sequence[str] = ("x1", "x2"),
    title: str | None = None,
    height: int = 280,
    max_points: int = 3000,
) -> go.Figure:
    """The data alone, small: grey points, no model (to count the groups by eye)."""
    return model_thumbnail(
        X,
        None,
        np.empty((0, 2)),
        np.empty((0, 2, 2)),
        np.empty(0),
        column_names=column_names,
        title=title,
        height=height,
        max_points=max_points,
    )
