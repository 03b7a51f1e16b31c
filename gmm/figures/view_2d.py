"""The 2-D view of one EM snapshot: points coloured by responsibility, component ellipses.

Every builder takes plain NumPy arrays (no engine classes) and returns a
finished ``plotly.graph_objects.Figure``, so it works the same in the
Streamlit app and in a notebook.

Trace layout of the 2-D figures
-------------------------------
Traces come in a fixed, documented order so that the app and the tests
can address them by index or by ``meta``:

====================  =========================================  ==========
index                 trace                                      meta role
====================  =========================================  ==========
0                     all displayed points (one ``Scattergl``)   "points"
1 + k*(M+1) + j       outline of component k at mass j           "ellipse"
1 + k*(M+1) + M       mean of component k (its legend entry)     "mean"
1 + K*(M+1) + j       legend-only key: line style of mass j      "mass_key"
                      (left out when K = 0)
then (optional)       generating ("true") components, dotted     "truth"
last (optional)       starting means picked by hand, stars       "picked"
after all (optional)  the mixture density log p(x), filled        "density"
                      contours (drawn under every WebGL trace)
last (image mode)     every point as an image (``image``)        "image"
====================  =========================================  ==========

Above ``max_points`` points (and not ``compact``), the view draws every point as an
image instead of a sample (`gmm.figures.raster_traces`): trace 0 is then one
transparent marker per non-empty pixel, carrying its count and mean responsibilities
(meta ``mode="image"``), and the image itself comes last.

with K components and M mass levels (sorted ascending, so j = 0 is the
innermost, shaded one).  ``meta`` also carries ``component`` (0-based) and
``mass``; components are numbered from 1 in everything the audience sees.
Exactly one outline trace exists per (component, mass).

Points, outlines, means and the truth overlay are all WebGL (``scattergl``)
traces: Plotly draws WebGL traces above SVG ones, so SVG outlines would
disappear under a dense point cloud.  A view of at most
`gmm.figures.svg_or_webgl.SVG_MAX_POINTS` drawn points makes all of them SVG
(``scatter``) instead, which paints several times sooner on a new page.

Point colours are encoded as described in `gmm.figures.points`.

Plain dicts, not validated
--------------------------
Plotly's validation is slow: validating the colorscale, applying a named
template (~20 ms) and re-validating every trace object when it is put
into a figure.  So every trace here is a plain dict and figures are built
with ``go.Figure(..., _validate=False)``; the tests instead rebuild each
figure from its JSON with full validation, which fails on any invalid
property.  Every builder in `gmm.figures` does the same.  What a page
needs (height, drag mode, picked means, a thumbnail's look) is a
parameter: the figure comes out finished.

The encodings measured, and build times and JSON sizes, are in
``docs/benchmarks.md`` (section "Figures"; ``benchmarks/bench_figures.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .components_2d import component_traces, mass_key_traces, truth_trace
from .density import density_trace
from .points import (
    MAX_POINTS,
    check_points,
    check_snapshot,
    picked_means_traces,
    sample_trace,
    subsample_annotations,
)
from .raster_traces import FREE_AXIS, draws_image, raster_traces
from .style import (
    FONT_SIZE,
    axis_style,
    base_layout,
    layout_options,
    merged,
    row_height,
    scaled_type,
    snapshot_legend,
    sorted_masses,
    stack_above_plot,
    title_above,
    view_extent,
)
from .svg_or_webgl import as_svg, draws_svg

__all__ = ["scatter_2d"]

#: Font size of thumbnails (``compact=True``).
COMPACT_FONT_SIZE = FONT_SIZE - 3
#: Font size of a thumbnail's title.
COMPACT_TITLE_SIZE = FONT_SIZE - 2
#: Font size of a title over a full-size view (Plotly's default: 1.4 x the base font).
TITLE_SIZE = round(1.4 * FONT_SIZE)


# ===================================================================== layout


def _layout_2d(
    X: np.ndarray,
    column_names: Sequence[str],
    annotations: list[dict],
    above: int,
    uirevision: str,
) -> dict:
    """Layout of the 2-D scatter: fixed padded ranges, equal aspect when sensible, legend.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        All data (the ranges cover every point, not only those shown).
    column_names : sequence of str, length 2
    annotations : list of dict
        The notes and banner above the plot (`gmm.figures.style.stack_above_plot`).
    above : int
        The pixels they take: the top margin leaves room for them.
    uirevision : str
    """
    x_range, y_range, equal = view_extent(X)
    yaxis = {**axis_style(column_names[1]), "range": y_range, **FREE_AXIS}
    if equal:
        yaxis.update(scaleanchor="x", scaleratio=1)
    return {
        **base_layout(uirevision),
        "xaxis": {**axis_style(column_names[0]), "range": x_range, **FREE_AXIS},
        "yaxis": yaxis,
        "legend": snapshot_legend(),  # under the x-axis title at any size
        "margin": {"l": 70, "r": 10, "t": max(30, above + 6), "b": 40},
        "annotations": annotations,
    }


def _title_patch(title: str | None, above: int, compact: bool) -> dict:
    """A title on its own row at the top, over the notes and banner, and its margin."""
    if not title:
        return {"margin": {"t": above + 8}} if compact else {}
    if compact:
        return {
            "title": title_above(title, COMPACT_TITLE_SIZE),
            "margin": {"t": row_height(COMPACT_TITLE_SIZE) + above + 6},
        }
    return {
        "title": {**title_above(title, TITLE_SIZE), "x": 0.5, "xanchor": "center"},
        "margin": {"t": row_height(TITLE_SIZE) + max(24, above + 6)},
    }


def _compact_layout() -> dict:
    """What a thumbnail changes in the layout: small type, no legend, narrow margins."""
    small = {"font": {"size": COMPACT_FONT_SIZE}}
    return {
        "showlegend": False,
        **small,
        "margin": {"l": 45, "r": 8, "b": 36},
        "xaxis": {"title": small, "tickfont": {"size": COMPACT_FONT_SIZE}},
        "yaxis": {"title": small, "tickfont": {"size": COMPACT_FONT_SIZE}},
    }


# ============================================================== 2-D snapshot


def scatter_2d(
    X: np.ndarray,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float] = (0.5, 0.9),
    *,
    column_names: Sequence[str] = ("x1", "x2"),
    highlight: Collection[int] = (),
    highlight_label: str = "collapsed",
    max_points: int | None = MAX_POINTS,
    seed: int = 0,
    as_image: bool = True,
    true_components: tuple[np.ndarray, np.ndarray] | None = None,
    palette: Sequence[str] | None = None,
    title: str | None = None,
    uirevision: str = "gmm",
    dragmode: str | None = None,
    height: int | None = None,
    picked_means: Sequence[Sequence[float]] | None = None,
    compact: bool = False,
    layout: Mapping | None = None,
    banner: str | None = None,
    density: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    type_scale: float = 1.0,
) -> go.Figure:
    """Scatter of 2-D data coloured by responsibility, with component ellipses.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        Data.
    responsibilities : ndarray, shape (n, K), or None
        gamma_ik of the current snapshot; None (before the first E-step)
        draws every point neutral grey.
    means : ndarray, shape (K, 2)
    covariances : ndarray, shape (K, 2, 2)
        Full covariance matrices.
    weights : ndarray, shape (K,)
    masses : sequence of float, default (0.5, 0.9)
        Probability mass enclosed by each outline level.
    column_names : sequence of str, length 2
        Axis titles and hover labels.
    highlight : collection of int
        0-based components to draw distinctly (e.g. collapsed ones).
    highlight_label : str, default "collapsed"
        Legend suffix of highlighted components.
    max_points : int or None, default 20 000
        Draw at most this many points as markers; above it, every point as an image
        (`gmm.figures.raster_traces`) or a seeded random subset (`display_subsample`).
        None draws every point as a marker.
    seed : int, default 0
        Seed of the display subsample.
    as_image : bool, default True
        Above ``max_points``, draw every point as an image; False (and always in a
        thumbnail, ``compact``) draws the subset.
    true_components : (means (K0, 2), covariances (K0, 2, 2)), optional
        Generating components, outlined thin, dotted and grey at the
        largest mass.
    palette : sequence of str, optional
        Component colours (default `gmm.figures.colors.PALETTE`).
    title : str, optional
    uirevision : str, default "gmm"
        Keep zoom/pan/legend state across reruns with the same value.
    dragmode : str, optional
        E.g. "select" or "lasso" to pick points with the mouse.
    height : int, optional
        Figure height in pixels.
    picked_means : sequence of (x, y), optional
        Starting means picked by hand, drawn as labelled black stars on top.
    compact : bool, default False
        A thumbnail: small type, points and means, no legend, no mass labels
        on the outlines, the title on the left.
    layout : mapping, optional
        Layout properties laid over the built layout (nested dicts are
        merged, as by ``update_layout``), e.g. ``{"margin": {"l": 60}}``.
    banner : str, optional
        A large bold caption above the plot, e.g. "Iteration 3 · after the
        E-step": the phase, readable from the back of a room.  It sits in
        the top margin (over the "showing ... points" note, under a title),
        so it covers no data; its annotation is named "banner".
    density : (xs (nx,), ys (ny,), log_density (ny, nx)), optional
        The mixture's log-density on a grid (`gmm.density.density_grid`),
        drawn as pale filled contours under the points
        (`gmm.figures.density.density_trace`).
    type_scale : float, default 1
        Every text this many times larger, the margins with it, e.g.
        `gmm.figures.style.PRESENT_TYPE_SCALE` on a projector (`scaled_type`).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given in the module docstring.
    """
    X = check_points(X)
    check_snapshot(len(X), responsibilities, means, covariances, weights)
    note_size = COMPACT_FONT_SIZE if compact else FONT_SIZE - 2
    if as_image and not compact and draws_image(len(X), 2, max_points):  # all, as pixels
        points, image, note = raster_traces(
            X, responsibilities, column_names=column_names, palette=palette, font_size=note_size
        )
        images, notes = [image], [note]
    else:
        marker = {"size": 4} if compact else None
        points, shown = sample_trace(
            X,
            responsibilities,
            max_points,
            seed,
            column_names=column_names,
            palette=palette,
            marker=marker,
        )
        images, notes = [], subsample_annotations(len(shown), len(X), note_size)
    components = component_traces(
        means,
        covariances,
        weights,
        masses,
        highlight,
        highlight_label=highlight_label,
        palette=palette,
        compact=compact,
        label_area=view_extent(X)[:2],
        equal_aspect=view_extent(X)[2],
        type_scale=type_scale,
    )
    levels = sorted_masses(masses)
    keys = mass_key_traces(levels) if len(means) > 0 else []  # nothing to explain
    truth = [] if true_components is None else [truth_trace(true_components, levels[-1])]
    annotations, above = stack_above_plot(notes, banner)
    figure_layout = _layout_2d(X, column_names, annotations, above, uirevision)
    figure_layout |= layout_options(title, height, dragmode)
    if compact:
        figure_layout = merged(figure_layout, _compact_layout())
    figure_layout = merged(figure_layout, _title_patch(title, above, compact))
    figure_layout = merged(figure_layout, layout)
    traces = [points, *components, *keys, *truth, *picked_means_traces(picked_means)]
    if not images and draws_svg(len(shown)):
        traces = as_svg(traces)
    if density is not None:
        traces.append(density_trace(*density))
    traces += images
    figure_layout, traces = scaled_type(figure_layout, traces, type_scale)
    return go.Figure(data=traces, layout=figure_layout, _validate=False)
