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
from types import MappingProxyType

import numpy as np

from .array_cache import derived
from .points import display_subsample, note_above, responsibility_lines
from .raster import (
    PixelGrid,
    cached_grid,
    nearest_in_pixel,
    pixel_alpha,
    pixel_colors,
    pixel_grid,
    pixel_means,
    png_data_uri,
    rgba_image,
)
from .style import FONT_SIZE, padded_range

__all__ = [
    "FREE_AXIS",
    "RUG_BINS",
    "clicked_row",
    "draws_image",
    "pixel_hovertemplate",
    "raster_traces",
    "rug_grid",
    "rug_traces",
    "view_grid",
]

#: Set on both axes of a view that may hold an image trace: Plotly would otherwise
#: constrain the axes' domain and tie their scales (its defaults for pictures).
FREE_AXIS = MappingProxyType({"constrain": "range", "scaleanchor": False})
#: Bins of the 1-D view's rug in the image mode: about a pixel each at the app's width.
RUG_BINS = 400


def draws_image(n: int, d: int, max_points: int | None) -> bool:
    """Whether a view of ``n`` points in ``d`` columns draws them as an image.

    A 2-D view (and the rug of a 1-D view) does above ``max_points`` points; a 3-D
    view draws a sample.
    """
    return d in (1, 2) and max_points is not None and n > max_points


def rug_grid(x: np.ndarray, view: Sequence[float], bins: int = RUG_BINS) -> PixelGrid:
    """The 1-D view's rug as a grid of one row: ``bins`` equal bins over ``view``."""
    flat = np.column_stack([np.asarray(x, dtype=float).reshape(-1), np.zeros(np.size(x))])
    return pixel_grid(flat, x_range=view, y_range=(-1.0, 1.0), size=(bins, 1))


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
    grid = view_grid(X, max_points)
    if grid is None:
        return int(display_subsample(len(X), max_points, seed)[index])
    if X.shape[1] == 2:
        return nearest_in_pixel(grid, X, index)
    return nearest_in_pixel(grid, np.column_stack([X[:, 0], np.zeros(len(X))]), index)


def view_grid(X: np.ndarray, max_points: int | None) -> PixelGrid | None:
    """The pixels the view of ``X`` draws every point on, or None when it draws points.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        The data the view is drawn from (kept while the array lives:
        `gmm.figures.array_cache.derived`).
    max_points : int or None
        As given to the view.

    Returns
    -------
    PixelGrid or None
        In the image mode (`draws_image`) the 2-D view's grid (`cached_grid`) or the
        1-D rug's strip (`rug_grid` over the view's range); trace 0 of the view holds
        one marker per non-empty pixel, in the order of ``occupied``.
    """
    if not draws_image(len(X), X.shape[1], max_points):
        return None
    if X.shape[1] == 2:
        return cached_grid(X)
    return derived(X, "rug_grid", lambda X: rug_grid(X[:, 0], padded_range(X[:, 0])))


def pixel_hovertemplate(
    column_names: Sequence[str], n_components: int | None, later: bool = False
) -> str:
    """A pixel's (or a rug bin's) count, its centre, and its points' mean responsibilities.

    Parameters
    ----------
    column_names : sequence of str, length 1 or 2
    n_components : int or None
        Columns 1 ... K of the trace's ``customdata`` hold the mean responsibilities;
        None before the first E-step.
    later : bool, default False
        For a picture a browser drew from frames, whose ``customdata`` holds only the
        count: the means are said to come when the picture stops.
    """
    if len(column_names) == 1:
        lines = [
            "Points in this bin: <b>%{customdata[0]:,.0f}</b>",
            f"{column_names[0]} ≈ %{{x:.4g}}",
        ]
    else:
        lines = [
            "Points in this pixel: <b>%{customdata[0]:,.0f}</b>",
            f"{column_names[0]} ≈ %{{x:.4g}}, {column_names[1]} ≈ %{{y:.4g}}",
        ]
    if later:
        lines.append("(mean responsibilities: when the picture stops)")
    elif n_components is None:
        lines.append("(no responsibilities yet)")
    else:
        lines.append("their mean responsibilities:")
        lines += responsibility_lines(n_components, first=1)
    return "<br>".join(lines) + "<extra></extra>"


def _pixel_traces(
    grid: PixelGrid,
    responsibilities: np.ndarray | None,
    column_names: Sequence[str],
    palette: Sequence[str] | None,
    band: tuple[float, float] | None = None,
) -> tuple[dict, dict]:
    """The pixels' trace (transparent markers with the hover) and the image of ``grid``;
    a grid of one row is drawn over the y ``band`` instead of its own range."""
    rows, cols = grid.shape
    color_index, table = pixel_colors(grid, responsibilities, palette)
    picture = rgba_image(grid, table[color_index], pixel_alpha(grid.counts))
    dx, dy = grid.pixel_size
    y_low = grid.y_range[0] if band is None else band[0]
    if band is not None:
        dy = band[1] - band[0]
    centres = grid.centres()
    centres[:, 1] = y_low + (centres[:, 1] - grid.y_range[0]) * (dy / grid.pixel_size[1])
    centres = centres.astype(np.float32)  # to a thousandth of a pixel
    columns = [grid.counts[:, None]]
    if responsibilities is not None:
        columns.append(pixel_means(grid, responsibilities))
    n = int(grid.counts.sum())
    n_components = None if responsibilities is None else np.shape(responsibilities)[1]
    pixels = {
        "type": "scattergl",
        "x": centres[:, 0],
        "y": centres[:, 1],
        "mode": "markers",
        "marker": {"color": "rgba(0,0,0,0)", "size": 5},
        "customdata": np.hstack(columns).astype(np.float32),
        "hovertemplate": pixel_hovertemplate(column_names, n_components),
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
        "y0": y_low + dy / 2,  # row 0, the lowest y
        "dy": dy,
        "hoverinfo": "skip",
        "zorder": 1,  # above the density's contours
        "name": "all points",
        "meta": {"role": "image", "shape": [rows, cols]},
    }
    return pixels, image


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
    pixels, image = _pixel_traces(grid, responsibilities, column_names, palette)
    rows, cols = grid.shape
    text = f"all {len(X):,} points as an image, {cols} × {rows} pixels; hover for counts"
    return pixels, image, note_above(text, font_size)


def rug_traces(
    x: np.ndarray,
    responsibilities: np.ndarray | None,
    *,
    grid: PixelGrid,
    band: tuple[float, float],
    column_name: str,
    palette: Sequence[str] | None = None,
) -> tuple[dict, dict, dict]:
    """The 1-D view's rug with every point: a strip of `RUG_BINS` bins over ``band``.

    ``grid`` is the strip of ``x`` over the view's range (`view_grid` of the data, which
    keeps it per data set rather than binning up to 10⁶ points on every rerun).

    Each bin is coloured by the blend of its points' mean responsibilities, its opacity
    growing with their count, like a pixel of `raster_traces`; hovering a bin gives
    both. Returns the bins' trace (trace 0 of the view), the image and the note
    ("rug: all 200,000 points in 400 bins; histogram uses all").
    """
    pixels, image = _pixel_traces(grid, responsibilities, [column_name], palette, band)
    text = (
        f"rug: all {len(x):,} points in {grid.shape[1]} bins, hover for counts; histogram uses all"
    )
    return pixels, image, note_above(text)
