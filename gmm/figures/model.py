"""One entry point for the picture of a model: the view that fits the number of columns.

`model_figure` draws the data and one snapshot's components with `density_1d` (one
column), `scatter_2d` (two) or `scatter_3d` (three), each picked from `VIEWS` by the
number of columns of ``X``. Options a view does not have are an error, not ignored:
starting means are picked on a 1-D or 2-D view only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .changes import add_change_overlays
from .points import MAX_POINTS
from .view_1d import density_1d
from .view_2d import scatter_2d
from .view_3d import scatter_3d

__all__ = ["VIEWS", "model_figure"]

#: The view of each number of columns.
VIEWS = {1: density_1d, 2: scatter_2d, 3: scatter_3d}


def model_figure(
    X: np.ndarray,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float] | None = None,
    *,
    column_names: Sequence[str] | None = None,
    dragmode: str | None = None,
    picked_means: Sequence[Sequence[float]] | None = None,
    banner: str | None = None,
    changed_points: Sequence[int] | None = None,
    previous: tuple | None = None,
    selected_point: int | None = None,
    type_scale: float = 1.0,
    **options,
) -> go.Figure:
    """The data with one snapshot's components, in the view that fits d = 1, 2 or 3.

    Parameters
    ----------
    X : ndarray, shape (n, d), d in {1, 2, 3}
    responsibilities : ndarray, shape (n, K), or None
        None before the first E-step (the points are drawn grey).
    means : ndarray, shape (K, d)
    covariances : ndarray, shape (K, d, d)
        Full covariance matrices.
    weights : ndarray, shape (K,)
    masses : sequence of float, optional
        Probability mass of each outline (interval, ellipse, ellipsoid);
        default: the view's own.
    column_names : sequence of str, length d, optional
        Axis titles and hover labels (default "x1", "x2", ...).
    dragmode : str, optional
        E.g. "select" to pick points with the mouse (1-D and 2-D only).
    picked_means : sequence of d-tuples, optional
        Starting means picked by hand, drawn as stars (1-D and 2-D only).
    banner : str, optional
        A large bold caption above the plot, such as "Iteration 3 · after
        the E-step": the phase on the chart itself, readable from the back
        of a room, in the top margin so that it covers no data.
    changed_points, previous, selected_point : optional
        What the half-step changed, and the point whose arithmetic is open
        (`gmm.figures.changes.add_change_overlays`).
    type_scale : float, default 1
        Every text of the figure (ticks, axis titles, legend, mass labels,
        notes, the banner, hover labels) this many times larger, and the
        margins with it: `gmm.figures.style.PRESENT_TYPE_SCALE` for a
        projector (`gmm.figures.style.scaled_type`).  1 leaves the figure as is.
    **options
        Passed on to the view: ``highlight``, ``true_components``,
        ``uirevision``, ``height``, ``title``, ``max_points``, ``density``
        (2-D only: the mixture's log-density on a grid, under the points), ...

    Returns
    -------
    plotly.graph_objects.Figure
        As returned by `density_1d`, `scatter_2d` or `scatter_3d`.
    """
    X = np.asarray(X, dtype=float)
    d = X.shape[1] if X.ndim == 2 else 0
    if d not in VIEWS:
        raise ValueError(
            f"X must have 1, 2 or 3 columns to be drawn, got shape {X.shape}; "
            "choose at most three columns."
        )
    names = list(column_names) if column_names is not None else [f"x{i + 1}" for i in range(d)]
    if len(names) != d:
        raise ValueError(f"column_names needs {d} names, got {len(names)}: {names!r}")
    if d == 3 and (dragmode is not None or picked_means is not None):
        raise ValueError("starting means are picked on a 1-D or 2-D view, not in 3-D")
    if d < 3:
        options |= {"dragmode": dragmode, "picked_means": picked_means}
    options["banner"] = banner
    options["type_scale"] = type_scale
    if masses is not None:
        options["masses"] = masses
    if d == 1:
        options["column_name"] = names[0]
    else:
        options["column_names"] = names
    figure = VIEWS[d](X, responsibilities, means, covariances, weights, **options)
    if changed_points is None and previous is None and selected_point is None:
        return figure
    return add_change_overlays(
        figure,
        X,
        means,
        covariances,
        weights,
        changed_points=changed_points,
        previous=previous,
        selected_point=selected_point,
        masses=masses if masses is not None else (0.9,),
        palette=options.get("palette"),
        max_points=options.get("max_points", MAX_POINTS),
        seed=options.get("seed", 0),
        type_scale=type_scale,
    )
