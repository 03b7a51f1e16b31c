"""The mixture density log p(x) as filled contours under the points of a 2-D view.

The engine evaluates log p on a grid (:func:`gmm.density.density_grid`); this module
only draws it. Bands are one nat apart (each band is e ≈ 2.7 times denser than the one
outside it), from the peak down :data:`DENSITY_SPAN` nats; everything fainter is left
white. The colours are pale greys and blues, so that the points, coloured by their
responsibilities, and the ellipses stay readable on top: Plotly draws the contour in
the SVG layer, under every WebGL trace (points, outlines, means) whatever its index.

In 1-D the view already draws the mixture density as its black curve
(`gmm.figures.view_1d`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["DENSITY_COLORSCALE", "DENSITY_SPAN", "density_trace"]

#: How many nats below the peak the bands reach.
DENSITY_SPAN = 10
#: White (faint) to slate blue (dense), pale enough for the points to stand out.
DENSITY_COLORSCALE = (
    (0.0, "rgba(255,255,255,0)"),
    (0.35, "#EEF1F6"),
    (0.7, "#C9D3E3"),
    (1.0, "#93A5C4"),
)


def density_trace(xs: np.ndarray, ys: np.ndarray, log_density: np.ndarray) -> dict:
    """Filled contours of log p(x) on a grid, one band per nat.

    Parameters
    ----------
    xs : ndarray, shape (nx,)
    ys : ndarray, shape (ny,)
    log_density : ndarray, shape (ny, nx)
        log p at ``(xs[j], ys[i])`` in row i, column j (as
        :func:`gmm.density.density_grid` returns it). ``-inf`` (a point no
        component reaches) is drawn white.

    Returns
    -------
    dict
        A ``contour`` trace with ``meta={"role": "density", "peak": ...}``.

    Raises
    ------
    ValueError
        If the shapes disagree or no value is finite.
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    z = np.asarray(log_density, dtype=float)
    if z.shape != (len(ys), len(xs)):
        raise ValueError(
            f"log_density must have shape (len(ys), len(xs)) = ({len(ys)}, {len(xs)}); "
            f"got {z.shape}."
        )
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        raise ValueError("log_density has no finite value to draw.")
    peak = float(np.ceil(finite.max()))
    floor = peak - DENSITY_SPAN
    z = np.clip(np.nan_to_num(z, nan=floor, neginf=floor, posinf=peak), floor, peak)
    return dict(
        type="contour",
        x=xs,
        y=ys,
        z=z,
        zmin=floor,
        zmax=peak,
        autocontour=False,
        contours={"start": floor + 1, "end": peak, "size": 1, "coloring": "fill"},
        colorscale=[list(stop) for stop in DENSITY_COLORSCALE],
        line={"width": 0.5, "color": "rgba(90,110,150,0.35)"},
        showscale=False,
        showlegend=False,
        name="mixture density",
        hovertemplate="log p(x) ≈ %{z:.1f}<extra>mixture density</extra>",
        meta={"role": "density", "peak": peak},
    )
