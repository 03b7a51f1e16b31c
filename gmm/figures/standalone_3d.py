"""The 3-D view of a standalone animation (`gmm.figures.standalone`), as compact frames.

The page draws the app's 3-D view (`gmm.figures.view_3d.scatter_3d`): the rotatable
cloud coloured by responsibility, each component's translucent ellipsoid at every mass
and its mean with the "k=1" label on top of the outermost one. Per set of parameters,
each component travels as its mean and a square-root factor ``A`` of its covariance
(``A Aᵀ = Σ``, the one `gmm.figures.geometry.ellipsoid` maps the unit sphere with),
twelve numbers; the page maps the unit-sphere grid of `MESH_RESOLUTION` to
``mean + r A u`` and triangulates it as `gmm.figures.geometry.grid_triangles` does (a
browser test compares the vertices with Python's). Each trace's small style (legend name
with π, the mean in the hover) travels per set, as in 2-D.

This module depends on NumPy, Plotly's JSON encoder and the figures' own modules only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import plotly.io as pio

from .components_3d import MESH_RESOLUTION
from .geometry import ellipsoid, mahalanobis_radius
from .standalone_frames import bare_figure, strip_drawn
from .style import sorted_masses
from .view_3d import scatter_3d

__all__ = ["DRAWN_3D", "ellipsoid_frames", "mesh_recipe", "sphere_factors", "template_3d"]

#: Per role of a trace, the keys the page computes for every set of parameters.
DRAWN_3D = {"ellipsoid": ("x", "y", "z", "i", "j", "k"), "mean": ("x", "y", "z")}


def template_3d(figure, column_names: Sequence[str], n_masses: int) -> tuple[dict, tuple[int, int]]:
    """The app's 3-D figure of the first half-step, without the arrays the frames carry.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        `scatter_3d` of the first half-step.
    column_names : sequence of 3 str
    n_masses : int
        Mass levels: each component has that many ellipsoids, then its mean.

    Returns
    -------
    spec : dict
        The figure; its points (trace 0) without positions or colours.
    drawn : (start, stop)
        The traces each set of parameters redraws, ``spec["data"][start:stop]``.
    """
    n_components = sum(trace.meta.get("role") == "mean" for trace in figure.data if trace.meta)
    stop = 1 + n_components * (n_masses + 1)
    return bare_figure(figure, column_names, DRAWN_3D), (1, stop)


def sphere_factors(means: np.ndarray, covariances: np.ndarray) -> np.ndarray:
    """The factors ``A`` (``A Aᵀ = Σ``) with which `ellipsoid` draws each component.

    `ellipsoid` maps the unit sphere to ``mean + r A u``: its points at the north pole
    (0, 0, 1) and on the equator at longitudes 0 and π/2 give the columns of ``A``
    (to a few units in the last place: cos(π/2) is not quite 0).

    Parameters
    ----------
    means : ndarray, shape (K, 3)
    covariances : ndarray, shape (K, 3, 3)

    Returns
    -------
    ndarray, shape (K, 3, 3)
    """
    radius = mahalanobis_radius(0.5, 3)
    roots = []
    for mean, covariance in zip(np.asarray(means, dtype=float), covariances):
        grid = np.stack(ellipsoid(mean, covariance, 0.5, n_u=5, n_v=3), axis=-1)  # (3, 5, 3)
        columns = (grid[1, 0] - mean, grid[1, 1] - mean, grid[0, 0] - mean)
        roots.append(np.stack(columns, axis=-1) / radius)
    return np.asarray(roots, dtype=float).reshape(-1, 3, 3)


def mesh_recipe(masses: Sequence[float]) -> dict:
    """How the page builds each ellipsoid: the sphere's grid and a radius per mass.

    Returns
    -------
    dict
        ``n_u`` and ``n_v`` (`MESH_RESOLUTION`), ``radius`` (per mass, innermost first,
        the Mahalanobis radius holding it in 3-D).
    """
    n_u, n_v = MESH_RESOLUTION
    radius = [mahalanobis_radius(m, 3) for m in sorted_masses(masses)]
    return {"n_u": n_u, "n_v": n_v, "radius": radius}


def ellipsoid_frames(
    snapshots: Sequence, masses: Sequence[float], drawn: tuple[int, int], type_scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray, list[list[dict]]]:
    """The components of every set of parameters: numbers for the page, and styles.

    ``type_scale`` is `scatter_3d`'s: the labels set in the server's figure's type.

    Returns
    -------
    param_set : ndarray of int, shape (F,)
    factors : ndarray of float64, shape (S, K, 12)
        Per set and component: the mean, then ``A`` row by row.
    styles : list of list of dict
        Per set, the redrawn traces without what the page computes.
    """
    param_set = np.zeros(len(snapshots), dtype=int)
    factors, styles = [], []
    X = np.zeros((1, 3))  # the components' traces do not depend on the points
    for i, snapshot in enumerate(snapshots):
        if snapshot.phase != "E" or not styles:
            params = snapshot.params
            figure = scatter_3d(
                X,
                None,
                params.means,
                params.full_covariances,
                params.weights,
                masses,
                type_scale=type_scale,
            )
            spec = json.loads(pio.to_json(figure, validate=False))
            root = sphere_factors(params.means, params.full_covariances)
            factors.append(np.concatenate([params.means, root.reshape(-1, 9)], axis=1))
            styles.append([strip_drawn(t, DRAWN_3D) for t in spec["data"][slice(*drawn)]])
        param_set[i] = len(styles) - 1
    return param_set, np.asarray(factors, dtype=float), styles
