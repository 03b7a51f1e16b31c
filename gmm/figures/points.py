"""The data points of every view: input checks, subsampling, colours and the points trace.

Point colours
-------------
A point's colour is its responsibility-weighted blend of component colours
(`gmm.figures.colors.blend`).  Plotly cannot take an (n, 3) RGB array, so each
blended colour is rounded to a multiple of `COLOR_STEP` (= 8, at most
4/255 off per channel: invisible), the distinct colours are numbered (a
few hundred for K = 3, a few thousand for K = 6) and the trace sends one
small unsigned integer per point -- a binary typed array in the JSON --
plus a colorscale with one stop per distinct colour placed exactly at that
colour's index.  Responsibilities go to ``customdata`` as float32.

The encodings measured against this one are in ``docs/benchmarks.md``
(section "Figures").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from .colors import NEUTRAL, blend, hex_to_rgb, to_rgb_strings
from .style import FONT_SIZE, NOTE_COLOR, above_plot, gamma_symbol

__all__ = [
    "COLOR_STEP",
    "MAX_POINTS",
    "check_points",
    "check_snapshot",
    "display_subsample",
    "note_above",
    "picked_means_traces",
    "points_trace",
    "quantise_colors",
    "responsibility_lines",
    "sample_trace",
    "shown_points",
    "subsample_annotations",
]

#: Blended colours are rounded to multiples of this (0..255 scale).
COLOR_STEP = 8
#: Default cap on the number of points drawn (a seeded random subset).
MAX_POINTS = 20_000


# ================================================================ input checks
def check_points(X: np.ndarray, dim: int = 2) -> np.ndarray:
    """Return ``X`` as a float (n, dim) array or raise ValueError."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != dim:
        raise ValueError(f"X must have shape (n, {dim}), got {X.shape}")
    return X


def check_snapshot(
    n: int,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    dim: int = 2,
) -> None:
    """Raise ValueError unless the snapshot arrays have consistent shapes."""
    k = np.shape(means)[0]
    expected = {
        "means": (np.shape(means), (k, dim)),
        "covariances": (np.shape(covariances), (k, dim, dim)),
        "weights": (np.shape(weights), (k,)),
    }
    if responsibilities is not None:
        expected["responsibilities"] = (np.shape(responsibilities), (n, k))
    for name, (got, want) in expected.items():
        if got != want:
            raise ValueError(f"{name} must have shape {want}, got {got}")


# ================================================================ subsampling
def display_subsample(n: int, max_points: int | None, seed: int = 0) -> np.ndarray:
    """Indices of the points to draw: all of them, or a seeded random subset.

    Parameters
    ----------
    n : int
        Number of data points.
    max_points : int or None
        Cap on the number drawn; None draws everything.
    seed : int, default 0
        Seed of the generator, so the same subset is drawn on every rerun
        and point indices in selection events map back through this array.

    Returns
    -------
    ndarray of int, shape (min(n, max_points),)
        Sorted indices into the data. A subset is read-only and drawn once for the
        same arguments (every figure and every block of the history player asks for it).
    """
    if max_points is None or n <= max_points:
        return np.arange(n)
    return _seeded_subset(int(n), int(max_points), int(seed))


@functools.lru_cache(maxsize=16)
def _seeded_subset(n: int, max_points: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shown = np.sort(rng.choice(n, size=max_points, replace=False))
    shown.setflags(write=False)
    return shown


def shown_points(
    n: int, responsibilities: np.ndarray | None, max_points: int | None, seed: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """The indices drawn (`display_subsample`) and their responsibilities (or None)."""
    shown = display_subsample(n, max_points, seed)
    gamma = None if responsibilities is None else np.asarray(responsibilities)[shown]
    return shown, gamma


def sample_trace(
    X: np.ndarray,
    responsibilities: np.ndarray | None,
    max_points: int | None,
    seed: int,
    **options,
) -> tuple[dict, np.ndarray]:
    """`points_trace` of the drawn points (`shown_points`), and their indices.

    ``options`` go to `points_trace` (``column_names``, ``palette``, ``marker``, ...).
    """
    shown, gamma_shown = shown_points(len(X), responsibilities, max_points, seed)
    return points_trace(X[shown], gamma_shown, n_total=len(X), **options), shown


def subsample_annotations(
    n_shown: int, n_total: int, font_size: int = FONT_SIZE - 2, why: str = ""
) -> list[dict]:
    """A "showing 20,000 of 200,000 points" note just above the plot, or nothing.

    ``why`` is added to the note, e.g. " (a sample: ...)".
    """
    if n_shown >= n_total:
        return []
    return [note_above(f"showing {n_shown:,} of {n_total:,} points{why}", font_size)]


def note_above(text: str, font_size: int = FONT_SIZE - 2, name: str = "subsample_note") -> dict:
    """A small grey note on its own row just above the plot, named ``name``.

    The row is above the plot (see `gmm.figures.style.stack_above_plot`), so a banner or
    a title goes over it, never on it.
    """
    return above_plot(name, text, {"size": font_size, "color": NOTE_COLOR})


# ================================================================ point colour
def _point_rgb(responsibilities: np.ndarray | None, n: int, palette) -> np.ndarray:
    """Display RGB of each point: responsibility blend, or neutral grey.

    Parameters
    ----------
    responsibilities : ndarray, shape (n, K), or None
        None (before the first E-step) colours every point `NEUTRAL`; rows
        with non-finite entries are also drawn neutral.
    n : int
        Number of points.
    palette : sequence of str or None
        Component colours (default `gmm.figures.colors.PALETTE`).

    Returns
    -------
    ndarray, shape (n, 3)
        RGB floats in 0..255.
    """
    grey = np.broadcast_to(hex_to_rgb(NEUTRAL), (n, 3))
    if responsibilities is None:
        return grey.copy()
    rgb = blend(responsibilities, palette)
    return np.where(np.isfinite(rgb).all(axis=1, keepdims=True), rgb, grey)


def quantise_colors(rgb: np.ndarray, step: int = COLOR_STEP) -> tuple[np.ndarray, np.ndarray]:
    """Round colours to ``step`` (`COLOR_STEP`) and number the distinct ones.

    Parameters
    ----------
    rgb : ndarray, shape (..., 3)
        RGB floats in 0..255 (any leading shape).
    step : int, default `COLOR_STEP`
        Channels are rounded to multiples of it (at most ``step / 2`` off).

    Returns
    -------
    index : ndarray of uint8, uint16 or uint32, shape (...)
        Row of ``table`` holding each colour.
    table : ndarray of int, shape (m, 3)
        Distinct rounded colours, m >= 2 (a single colour is repeated so a
        colorscale can be built from it).
    """
    rounded = np.clip(np.rint(rgb / step) * step, 0, 255).astype(np.int64)
    code = (rounded[..., 0] * 256 + rounded[..., 1]) * 256 + rounded[..., 2]
    unique, inverse = np.unique(code, return_inverse=True)
    table = np.stack([unique // 65536, unique // 256 % 256, unique % 256], axis=1)
    if len(table) == 1:
        table = np.repeat(table, 2, axis=0)
    return inverse.reshape(code.shape).astype(_smallest_uint(len(table))), table


def _smallest_uint(n_values: int) -> type:
    """Smallest unsigned integer type holding 0 .. n_values - 1."""
    for dtype in (np.uint8, np.uint16):
        if n_values <= np.iinfo(dtype).max + 1:
            return dtype
    return np.uint32


def _colorscale(table: np.ndarray) -> list[list]:
    """Plotly colorscale with colour ``table[i]`` exactly at value ``i``.

    Parameters
    ----------
    table : ndarray, shape (m, 3), m >= 2

    Returns
    -------
    list of [float, str]
        Stops at ``i / (m - 1)``; use with ``cmin=0, cmax=m - 1``.
    """
    positions = np.linspace(0.0, 1.0, len(table)).tolist()
    return [list(stop) for stop in zip(positions, to_rgb_strings(table).tolist())]


# ================================================================ point trace
#: Hover lines of responsibilities: one component per line up to this K, then two.
ONE_PER_LINE = 4


def _hovertemplate(column_names: Sequence[str], responsibilities: np.ndarray | None) -> str:
    """Hover text: the point's coordinates, then each responsibility with its component.

    Components are named as in the legend: "Component 2: γ₂ 0.97", one per line up to
    `ONE_PER_LINE` components, two per line beyond.
    """
    lines = [f"{name} = %{{{axis}:.4g}}" for axis, name in zip("xyz", column_names)]
    if responsibilities is None:
        lines.append("(no responsibilities yet)")
    else:
        lines += responsibility_lines(responsibilities.shape[1])
    return "<br>".join(lines) + "<extra></extra>"


def responsibility_lines(n_components: int, first: int = 0) -> list[str]:
    """Hover lines "Component 1: γ₁ 0.97", ... with γ_k in ``customdata[first + k]``:
    one component per line up to `ONE_PER_LINE` components, two per line beyond."""
    terms = [
        f"Component {k + 1}: {gamma_symbol(k)} %{{customdata[{first + k}]:.2f}}"
        for k in range(n_components)
    ]
    per_line = 1 if n_components <= ONE_PER_LINE else 2
    return [" · ".join(terms[i : i + per_line]) for i in range(0, n_components, per_line)]


def _marker_size(n_points: int) -> float:
    """Point size in px: large for a few points, small for a dense cloud."""
    return float(np.clip(13.0 - 2.0 * np.log10(max(n_points, 1)), 3.0, 9.0))


def points_trace(
    positions: np.ndarray,
    responsibilities: np.ndarray | None,
    *,
    column_names: Sequence[str],
    n_total: int,
    palette: Sequence[str] | None = None,
    trace_type: str = "scattergl",
    marker: dict | None = None,
    **patch,
) -> dict:
    """The single trace of all displayed points, coloured by responsibility.

    Parameters
    ----------
    positions : ndarray, shape (n, 2) or (n, 3)
        x, y (and z) of each displayed point.
    responsibilities : ndarray, shape (n, K), or None
        Responsibilities of the displayed points; None ("before the first
        E-step") draws them neutral grey and says so in the hover.
    column_names : sequence of str
        Names of the data columns, shown in the hover with the x (, y, z)
        coordinates; one name for 1-D data (the hover then shows x only).
    n_total : int
        Number of points in the full data set (recorded in ``meta``).
    palette : sequence of str, optional
        Component colours (default `gmm.figures.colors.PALETTE`).
    trace_type : str, default "scattergl"
        "scatter3d" for 3-D.
    marker : dict, optional
        Marker properties laid over the default ones (size, opacity, ...).
    **patch
        Trace properties laid over the default ones (name, showlegend, ...).

    Returns
    -------
    dict
        Plain trace spec with meta role "points".
    """
    color_index, table = quantise_colors(_point_rgb(responsibilities, len(positions), palette))
    trace = {
        "type": trace_type,
        "x": positions[:, 0],
        "y": positions[:, 1],
        "mode": "markers",
        "marker": {
            "color": color_index,
            "colorscale": _colorscale(table),
            "cmin": 0,
            "cmax": len(table) - 1,
            "showscale": False,
            "size": _marker_size(len(positions)),
            "opacity": 0.85,
            **(marker or {}),
        },
        "hovertemplate": _hovertemplate(column_names, responsibilities),
        "name": "data",
        "showlegend": False,
        "meta": {"role": "points", "n_shown": len(positions), "n_total": n_total},
        **patch,
    }
    if positions.shape[1] == 3:
        trace["z"] = positions[:, 2]
    if responsibilities is not None:
        trace["customdata"] = np.asarray(responsibilities, dtype=np.float32)
    return trace


def picked_means_traces(picked: Sequence[Sequence[float]] | None) -> list[dict]:
    """Black stars at starting means picked by hand, labelled "start 1", "start 2", ...

    Parameters
    ----------
    picked : sequence of (x,) or (x, y), or None
        The picked means; 1-D ones are drawn on the axis (y = 0).

    Returns
    -------
    list of dict
        Nothing if nothing is picked, else one plain ``scattergl`` trace
        (WebGL, so drawn above the points) with meta role "picked".
    """
    if picked is None or len(picked) == 0:
        return []
    picked = np.asarray(picked, dtype=float)
    trace = {
        "type": "scattergl",
        "x": picked[:, 0],
        "y": picked[:, 1] if picked.shape[1] > 1 else np.zeros(len(picked)),
        "mode": "markers+text",
        "text": [f"start {i + 1}" for i in range(len(picked))],
        "textposition": "top center",
        "name": "chosen starting means",
        "marker": {"symbol": "star", "size": 18, "color": "black"},
        "meta": {"role": "picked"},
    }
    return [trace]
