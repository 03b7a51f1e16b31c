"""The 1-D view of a standalone animation (`gmm.figures.standalone`), as compact frames.

The page draws the app's 1-D view (`gmm.figures.view_1d.density_1d`): the rug of points
under the axis coloured by responsibility, the histogram, the stacked shares, each
π_k N(x | μ_k, σ_k²) and the mixture curve, and the brackets of the central intervals
with the means. What changes from one set of parameters to the next travels as numbers:

* per set and component its mean, variance and weight (float64, three numbers), from
  which the page evaluates the curves on the grid of `density_grid` and places the
  brackets and means exactly as `density_1d` does (a browser test compares the two);
* per set the y axis (its range and ticks: the view steps up when the mixture's peak
  outgrows it) and each trace's small style (legend name with π, hover texts).

The rug's positions (x and its jitter) travel once, as the 2-D points do; the colours
are the same one byte per point per E-step.

This module depends on NumPy, Plotly's JSON encoder and the figures' own modules only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import plotly.io as pio

from .components_1d import GRID_POINTS, LOCAL_GRID_POINTS, LOCAL_GRID_SIGMAS, variance_floor
from .geometry import mahalanobis_radius
from .standalone_frames import bare_figure, strip_drawn
from .style import data_extremes, padded_range, sorted_masses
from .view_1d import density_1d, tallest_bar

__all__ = ["DRAWN_1D", "curve_recipe", "density_frames", "template_1d"]

#: Per role of a trace, the keys the page computes for every set of parameters.
DRAWN_1D = {
    "share": ("x", "y", "customdata"),
    "density": ("x", "y"),
    "mixture": ("x", "y"),
    "interval": ("x", "y"),
    "mean": ("x", "y"),
}


def _figure(X: np.ndarray, params, masses: Sequence[float], **options):
    """`density_1d` of ``params`` over the data ``X`` (n, 1), with a grey rug."""
    return density_1d(
        X,
        None,
        params.means,
        params.full_covariances,
        params.weights,
        masses,
        as_image=False,  # the page animates its own sample of the rug
        **options,
    )


def _drawn_range(figure) -> tuple[int, int]:
    """First and one-past-last index of the traces each set of parameters redraws."""
    roles = [trace.meta.get("role") if trace.meta else None for trace in figure.data]
    dynamic = [i for i, role in enumerate(roles) if role in DRAWN_1D]
    return (dynamic[0], dynamic[-1] + 1) if dynamic else (len(roles), len(roles))


def template_1d(
    X: np.ndarray,
    first,
    masses: Sequence[float],
    column_name: str,
    max_points: int | None,
    seed: int,
    banner: str,
) -> tuple[dict, np.ndarray, tuple[int, int]]:
    """The app's 1-D figure of the first half-step, without the arrays the frames carry.

    Parameters
    ----------
    X : ndarray, shape (n, 1)
        The data (what the figure measures on it is computed once per array).
    first : Snapshot
    masses, column_name, max_points, seed, banner
        As in `density_1d`.

    Returns
    -------
    spec : dict
        The figure; its rug (trace 0) without positions or colours.
    jitter : ndarray, shape (m,)
        The rug's heights, in the order of `display_subsample`.
    drawn : (start, stop)
        The traces each set of parameters redraws, ``spec["data"][start:stop]``.
    """
    figure = _figure(
        X,
        first.params,
        masses,
        column_name=column_name,
        max_points=max_points,
        seed=seed,
        banner=banner,
    )
    jitter = np.asarray(figure.data[0].y, dtype=float)
    return bare_figure(figure, [column_name], DRAWN_1D), jitter, _drawn_range(figure)


def curve_recipe(X: np.ndarray, masses: Sequence[float], n_components: int) -> dict:
    """What the page needs, beyond the parameters, to draw as `density_1d` does, for the
    data ``X`` (n, 1).

    Returns
    -------
    dict
        ``floor`` (the variance floor, `variance_floor`),
        ``grid`` (lo, hi and points of the even part of `density_grid`), ``local``
        (half-width in σ and points of each component's part), ``z`` (per mass level,
        innermost first, the half-width of its interval in σ), ``rows`` (the height of
        each component's bracket row), ``tick`` (half the height of a bracket's ends),
        ``view`` (the x range labels are kept in).
    """
    extremes = data_extremes(X)[0]
    lo, hi = padded_range(extremes, 0.1)
    tallest = tallest_bar(X)
    return {
        "floor": variance_floor(X),
        "grid": [lo, hi, GRID_POINTS],
        "local": [LOCAL_GRID_SIGMAS, LOCAL_GRID_POINTS],
        "z": [mahalanobis_radius(m, 1) for m in sorted_masses(masses)],
        "rows": (-0.25 * tallest - 0.11 * tallest * np.arange(n_components)).tolist(),
        "tick": 0.03 * tallest,
        "view": list(padded_range(extremes)),
    }


def density_frames(
    snapshots: Sequence,
    X: np.ndarray,
    masses: Sequence[float],
    drawn: tuple[int, int],
    type_scale: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, list[list[dict]], list[dict]]:
    """The components of every set of parameters: numbers for the page, and styles.

    An E-step keeps the parameters before it; every other half-step has its own set.

    Parameters
    ----------
    snapshots : sequence of snapshots, length F
    X : ndarray, shape (n, 1)
    masses : sequence of float
    drawn : (start, stop)
        The traces redrawn (`template_1d`).
    type_scale : float, default 1
        The figure's (`gmm.figures.view_1d.density_1d`): the brackets' labels are set in
        type this many times larger, as on the server's figure (presentation mode).

    Returns
    -------
    param_set : ndarray of int, shape (F,)
    factors : ndarray of float64, shape (S, K, 3)
        Per set and component: mean, variance, weight.
    styles : list of list of dict
        Per set, the redrawn traces without what the page computes.
    axes : list of dict
        Per set, the y axis's ``range`` and ``tickvals``.
    """
    param_set = np.zeros(len(snapshots), dtype=int)
    factors, styles, axes = [], [], []
    for i, snapshot in enumerate(snapshots):
        if snapshot.phase != "E" or not styles:
            params = snapshot.params
            figure = _figure(X, params, masses, max_points=1, type_scale=type_scale)
            spec = json.loads(pio.to_json(figure, validate=False))
            variances = params.full_covariances.reshape(-1)
            factors.append(np.column_stack([params.means[:, 0], variances, params.weights]))
            styles.append([strip_drawn(t, DRAWN_1D) for t in spec["data"][slice(*drawn)]])
            yaxis = spec["layout"]["yaxis"]
            axes.append({"range": yaxis["range"], "tickvals": yaxis["tickvals"]})
        param_set[i] = len(styles) - 1
    return param_set, np.asarray(factors, dtype=float), styles, axes
