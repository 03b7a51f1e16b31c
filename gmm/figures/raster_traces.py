"""The traces of the image mode: every point of a large 2-D data set drawn as pixels.

Above the point-drawing limit (`gmm.figures.points.MAX_POINTS`) `gmm.figures.scatter_2d`
draws, instead of a sample of the points, two traces built here from the pixel grid of
`gmm.figures.raster`:

* **the pixels** (trace 0, meta role "points", ``mode="image"``): one transparent WebGL
  marker at the centre of each non-empty pixel, carrying the pixel's count and mean
  responsibilities in ``customdata`` (float32, ``[count, γ₁, …, γ_K]``). It gives the
  hover ("Points in this pixel: 1,234", then "Component 1: γ₁ 0.97", …) and takes clicks
  and box or lasso selections, in place of the points: `clicked_row` turns a clicked
  pixel into a real data point, the one nearest the pixel's centre;
* **the image** (last trace, meta role "image"): a Plotly ``image`` trace whose
  ``source`` is a PNG data URI (`gmm.figures.raster.png_data_uri`), laid exactly over
  the grid, colour the blend of each pixel's mean responsibilities, opacity growing
  with its count. It takes no hover (the pixels above it do) and is drawn above the
  density's contours (``zorder``), under every WebGL trace (outlines, means, rings).

Built per snapshot from a grid that is computed once per data set
(`gmm.figures.raster.cached_grid`): a Step at n = 10⁶ costs a few ``bincount``\\ s
(``docs/browser-latency.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .points import display_subsample, note_above, responsibility_lines
from .raster import (
    cached_grid,
    nearest_in_pixel,
    pixel_alpha,
    pixel_colors,
    pixel_means,
    png_data_uri,
    rgba_image,
)
from .style import FONT_SIZE

__all__ = ["clicked_row", "draws_image", "raster_traces"]


def draws_image(n: int, d: int, max_points: int | None) -> bool:
    """Whether a view of ``n`` points in ``d`` columns draws them as an image.

    A 2-D view does above ``max_points`` points; 1-D and 3-D views draw a sample.
    """
    return d == 2 and max_points is not None and n > max_points


def clicked_row(X: np.ndarray, index: int, max_points: int | None, seed: int = 0) -> int:
    """The data row that a click on point ``index`` of a view's trace 0 stands for.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        The data the view was drawn from.
    index : int
        ``point_index`` of the click: a pixel in the image mode, else a drawn point.
    max_points, seed : as given to the view
        They decide what trace 0 holds.

    Returns
    -------
    int
        A row of ``X``: in the image mode the pixel's point nearest its centre, else the
        drawn point (`gmm.figures.points.display_subsample`).
    """
    if draws_image(len(X), X.shape[1], max_points):
        return nearest_in_pixel(cached_grid(X), X, index)
    return int(display_subsample(len(X), max_points, seed)[index])


def _hovertemplate(column_names: Sequence[str], n_components: int | None) -> str:
    """A pixel's count, its centre, and the mean responsibilities of its points."""
    lines = [
        "Points in this pixel: <b>%{customdata[0]:,.0f}</b>",
        f"{column_names[0]} ≈ %{{x:.4g}}, {column_names[1]} ≈ %{{y:.4g}}",
    ]
    if n_components is None:
        lines.append("(no responsibilities yet)")
    else:
        lines.append("their mean responsibilities:")
        lines += responsibility_lines(n_components, first=1)
    return "<br>".join(lines) + "<extra></extra>"


def raster_traces(
    X: np.ndarray,
    responsibilities: np.ndarray | None,
    *,
    column_names: Sequence[str],
    palette: Sequence[str] | None = None,
    font_size: int = FONT_SIZE - 2,
) -> tuple[dict, dict, dict]:
    """Every point of ``X`` as an image: the pixels' trace, the image trace, the note.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        All the data (finite).
    responsibilities : ndarray, shape (n, K), or None
        None before the first E-step: every pixel neutral grey.
    column_names : sequence of str, length 2
        Names in the hover.
    palette : sequence of str, optional
        Component colours (default `gmm.figures.colors.PALETTE`).
    font_size : int
        Size of the note above the plot.

    Returns
    -------
    pixels : dict
        Trace 0 of the view (see the module docstring); its ``meta`` holds ``n_shown``
        and ``n_total`` (both n), ``n_pixels`` and the grid's ``shape`` (rows, cols).
    image : dict
        The ``image`` trace, meta role "image".
    note : dict
        "all 200,000 points as an image, 400 × 300 pixels; hover for counts", named
        "subsample_note" like the note of a sample.
    """
    grid = cached_grid(X)
    rows, cols = grid.shape
    color_index, table = pixel_colors(grid, responsibilities, palette)
    alpha = pixel_alpha(grid.counts)
    picture = rgba_image(grid, table[color_index], alpha)
    dx, dy = grid.pixel_size
    columns = [grid.counts[:, None]]
    if responsibilities is not None:
        columns.append(pixel_means(grid, responsibilities))
    centres = grid.centres().astype(np.float32)  # to a thousandth of a pixel
    n = len(X)
    pixels = {
        "type": "scattergl",
        "x": centres[:, 0],
        "y": centres[:, 1],
        "mode": "markers",
        "marker": {"color": "rgba(0,0,0,0)", "size": 5},
        "customdata": np.hstack(columns).astype(np.float32),
        "hovertemplate": _hovertemplate(
            column_names, None if responsibilities is None else np.shape(responsibilities)[1]
        ),
        "name": "data",
        "showlegend": False,
        "meta": {
            "role": "points",
            "mode": "image",
            "n_shown": n,
            "n_total": n,
            "n_pixels": len(grid.occupied),
            "shape": [rows, cols],
        },
    }
    image = {
        "type": "image",
        "source": png_data_uri(picture),
        "x0": grid.x_range[0] + dx / 2,
        "dx": dx,
        "y0": grid.y_range[0] + dy / 2,  # row 0, the lowest y
        "dy": dy,
        "hoverinfo": "skip",
        "zorder": 1,  # above the density's contours
        "name": "all points",
        "meta": {"role": "image", "shape": [rows, cols]},
    }
    text = f"all {n:,} points as an image, {cols} × {rows} pixels; hover for counts"
    return pixels, image, note_above(text, font_size)
