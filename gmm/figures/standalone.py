"""A whole EM run as one self-contained HTML file that plays with no server and no network.

`standalone_animation` writes a page with the app's view of one to three columns (in 2-D
`scatter_2d`: points in their blended responsibility colours, the mass ellipses and means;
in 1-D `density_1d`: the rug in those colours, the histogram, the weighted densities and
the mixture curve, the intervals and means, see `gmm.figures.standalone_1d`; in 3-D
`scatter_3d`: the cloud and the ellipsoids, see `gmm.figures.standalone_3d`) and the
log-likelihood curve (`loglik_curve`), and the controls to play them in step:
Play/Pause, back and forward, a slider over the half-steps and a speed. The phase
caption ("Iteration 3 · after the E-step") is on the chart, as in the app, and under
the slider with the log-likelihood.

What the file holds
-------------------
plotly.js and the run travel together in one gzip stream, written as base-85 text
(`gmm.figures.packing`); the page unpacks it with the browser's
``DecompressionStream('gzip')`` (Chrome 80, Firefox 113, Safari 16.4 and later) and says
so plainly where that is missing. The frames are typed arrays, never strings of numbers
(`gmm.figures.standalone_frames` says how each is made small):

* the positions of the points drawn, once (float32 x and y, and z in 3-D; in 1-D y is
  the rug's jitter; byte-shuffled);
* a colour index per point for each E-step (one byte, into one table of blended colours);
* per set of parameters, each component's mean and covariance factor (float64), from
  which the page draws the app's dashed outlines or ellipsoids (in 1-D its mean,
  variance and weight, from which it evaluates the curves), and each trace's small style (legend name with π,
  mass label);
* the log-likelihood per half-step (float64), for the ring on the curve.

Hovering a point shows its coordinates only: the responsibilities themselves (n × K
numbers per E-step) would multiply the size of the file.

This module imports NumPy and Plotly only; it draws the arrays it is given and never
runs EM (the caller passes each E-step's responsibilities).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from functools import partial
from importlib.resources import files
from typing import NamedTuple

import numpy as np
import plotly.io as pio
from plotly.offline import get_plotlyjs

from .curve import loglik_curve, zoom_start
from .packing import pack, prefix_length, to_text
from .points import MAX_POINTS, display_subsample
from .standalone_1d import curve_recipe, density_frames, template_1d
from .standalone_3d import ellipsoid_frames, mesh_recipe, template_3d
from .standalone_frames import (
    bare_figure,
    color_frames,
    geometry_frames,
    hilbert_order,
    outline_recipe,
    style_changes,
)
from .view_2d import scatter_2d
from .view_3d import scatter_3d

__all__ = ["PHASE_WORDS", "SPEEDS", "banner_text", "standalone_animation"]

#: The phase after each half-step, in the app's words.
PHASE_WORDS = {"init": "initialisation", "E": "after the E-step", "M": "after the M-step"}
#: Seconds per half-step of each speed (the app's, and 8× for long runs); 1× first shown.
SPEEDS = {"0.5×": 2.0, "1×": 1.0, "2×": 0.5, "4×": 0.25, "8×": 0.125}
#: What the M-step moves in each view, in the hint under the page.
M_STEP_CHANGES = {
    1: "the curves, the intervals and the weights",
    2: "the ellipses and the weights",
    3: "the ellipsoids and the weights",
}
#: What the page computes of each outline and mean in 2-D.
_DRAWN = ("x", "y", "text")
#: Height of the curve, px (the chart takes the window's height less the controls: CSS).
CURVE_HEIGHT = 300


def banner_text(phase: str, iteration: int) -> str:
    """The caption on the chart, as in the app: "Iteration 3 · after the E-step"."""
    return f"Iteration {iteration} · {PHASE_WORDS[phase]}"


def _caption(index: int, last: int, phase: str, iteration: int, log_likelihood: float) -> str:
    """The line under the slider: "half-step 7 of 40 · Iteration 4 · after the E-step ·
    log-likelihood −1,130.264"."""
    value = f"{log_likelihood:,.3f}".replace("-", "−")
    return f"half-step {index} of {last} · {banner_text(phase, iteration)} · log-likelihood {value}"


def _app_figure(draw, X, first, masses, column_names, max_points, seed):
    """The app's figure of the first half-step (``draw``: `scatter_2d` or `scatter_3d`)."""
    params = first.params
    return draw(
        X,
        None,
        params.means,
        params.full_covariances,
        params.weights,
        masses,
        column_names=column_names,
        max_points=max_points,
        seed=seed,
        banner=banner_text(first.phase, first.iteration),
    )


def _curves(snapshots: Sequence) -> dict:
    """The log-likelihood curve before and after its zoom (`loglik_curve`'s "auto").

    Returns
    -------
    dict
        ``full`` (a figure spec), ``zoom`` (a spec, or None when the curve never
        zooms) and ``zoom_from`` (the first half-step shown zoomed, or None).
    """
    values = np.array([s.log_likelihood for s in snapshots], dtype=float)
    bound = np.array([s.lower_bound for s in snapshots], dtype=float)
    arguments = {
        "phases": [s.phase for s in snapshots],
        "iterations": [s.iteration for s in snapshots],
        "lower_bound": bound,
        "height": CURVE_HEIGHT,
    }
    last = len(values) - 1
    zoom = zoom_start(values, last, bound)
    specs = {"full": loglik_curve(values, current=0, view="full", **arguments), "zoom": None}
    if zoom is not None:
        specs["zoom"] = loglik_curve(values, current=last, view="auto", **arguments)
    out = {
        name: None if f is None else json.loads(pio.to_json(f, validate=False))
        for name, f in specs.items()
    }
    return out | {"zoom_from": None if zoom is None else zoom[0]}


class View(NamedTuple):
    """What one view (1-D, 2-D or 3-D) puts in the page, beside the colours and the curve."""

    #: Where the drawn points sit, shape (m, 2), in the order of `display_subsample`.
    positions: np.ndarray
    #: Per half-step, its set of parameters, shape (F,).
    param_set: np.ndarray
    #: Per set, the style of each trace the page redraws.
    styles: list[list[dict]]
    #: The figure, ``drawn`` (the traces redrawn per set) and what the view needs.
    manifest: dict
    #: ``factors`` (S, K, ·) and any other arrays of the view.
    arrays: dict


def _view_2d(X, snapshots, shown, masses, column_names, max_points, seed) -> View:
    """The 2-D view: points at (x, y), the outlines from the means and factors."""
    param_set, factors, labels, styles = geometry_frames(snapshots, X, masses)
    n_traces = factors.shape[1] * (len(masses) + 1)
    manifest = {
        "figure": bare_figure(
            _app_figure(
                partial(scatter_2d, as_image=False),  # the page animates its sample
                X,
                snapshots[0],
                masses,
                column_names,
                max_points,
                seed,
            ),
            column_names,
            {"ellipse": _DRAWN, "mean": _DRAWN},
        ),
        "drawn": [1, 1 + n_traces],
        "outline": outline_recipe(masses),
    }
    return View(X[shown], param_set, styles, manifest, {"factors": factors, "labels": labels})


def _view_1d(X, snapshots, shown, masses, column_names, max_points, seed) -> View:
    """The 1-D view: the rug at (x, jitter), the curves and brackets from μ, σ², π."""
    x = X[:, 0]
    first = snapshots[0]
    banner = banner_text(first.phase, first.iteration)
    figure, jitter, drawn = template_1d(X, first, masses, column_names[0], max_points, seed, banner)
    param_set, factors, styles, axes = density_frames(snapshots, X, masses, drawn)
    manifest = {
        "figure": figure,
        "drawn": list(drawn),
        "curve": curve_recipe(X, masses, factors.shape[1]),
        "axes": axes,
    }
    return View(
        np.column_stack([x[shown], jitter]), param_set, styles, manifest, {"factors": factors}
    )


def _view_3d(X, snapshots, shown, masses, column_names, max_points, seed) -> View:
    """The 3-D view: points at (x, y, z), the ellipsoids from the means and factors."""
    first = _app_figure(scatter_3d, X, snapshots[0], masses, column_names, max_points, seed)
    figure, drawn = template_3d(first, column_names, len(masses))
    param_set, factors, styles = ellipsoid_frames(snapshots, masses, drawn)
    manifest = {"figure": figure, "drawn": list(drawn), "mesh": mesh_recipe(masses)}
    return View(X[shown], param_set, styles, manifest, {"factors": factors})


#: The view of each number of columns.
DRAWERS = {1: _view_1d, 2: _view_2d, 3: _view_3d}


# ================================================================ the page
def _asset(name: str) -> str:
    """A file of the page (package data beside this module)."""
    return (files("gmm.figures") / name).read_text(encoding="utf-8")


def _script() -> str:
    """The player and the shared drawing (``frames.js``), without their comment lines (the file in the package keeps them)."""
    lines = (_asset("frames.js") + "\n" + _asset("standalone.js")).splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("//"))


def standalone_animation(
    X: np.ndarray,
    snapshots: Sequence,
    responsibilities: Callable[[int, np.ndarray], np.ndarray],
    *,
    column_names: Sequence[str] | None = None,
    title: str = "EM, one half-step at a time",
    subtitle: str = "",
    masses: Sequence[float] = (0.5, 0.9),
    max_points: int | None = MAX_POINTS,
    seed: int = 0,
) -> str:
    """One HTML page that plays a whole 1-D, 2-D or 3-D EM run, with plotly.js inside.

    Parameters
    ----------
    X : ndarray, shape (n, d), d = 1, 2 or 3
        The data EM ran on.
    snapshots : sequence of snapshots, length F >= 1
        The history, as `gmm.stepper.Snapshot` values (each with ``phase``,
        ``iteration``, ``log_likelihood``, ``lower_bound`` and ``params`` holding
        ``means`` (K, d), ``full_covariances`` (K, d, d) and ``weights`` (K,)).
    responsibilities : callable(index, rows) -> ndarray of shape (len(rows), K)
        The responsibilities at snapshot ``index`` of the points ``X[rows]`` (the
        points drawn); called for the E-steps only, e.g. with
        ``gmm.e_step(X[rows], snapshots[index].params).responsibilities``.
    column_names : sequence of d str
        Axis titles; default ``x1``, ``x2``, ... .
    title, subtitle : str
        Plain text over the chart (escaped here), e.g. the data and the settings.
    masses : sequence of float, default (0.5, 0.9)
        Probability mass of each outline level.
    max_points : int or None, default `MAX_POINTS`
        Draw at most this many points (the seeded subset of `display_subsample`).
    seed : int, default 0
        Seed of that subset.

    Returns
    -------
    str
        The HTML page, UTF-8, opening from ``file://`` with no network.
    """
    X = np.asarray(X, dtype=float)
    dim = X.shape[1] if X.ndim == 2 else 0
    if dim not in DRAWERS:
        raise ValueError(
            f"X must have shape (n, d), d = 1, 2 or 3: the animation draws one to three columns, "
            f"got {X.shape}"
        )
    if not len(snapshots):
        raise ValueError("There is no half-step to animate: start the run first.")
    if column_names is None:
        column_names = [f"x{j + 1}" for j in range(dim)]
    if len(column_names) != dim:
        raise ValueError(f"column_names needs {dim} name(s), got {list(column_names)!r}")
    shown = display_subsample(len(X), max_points, seed)
    view = DRAWERS[dim](X, snapshots, shown, masses, column_names, max_points, seed)
    order = hilbert_order(view.positions[:, :2])  # neighbours together: colours compress
    shown, positions = shown[order], view.positions[order]
    color_set, colors, table, color_step = color_frames(snapshots, responsibilities, shown)
    last = len(snapshots) - 1
    manifest = view.manifest | {
        "dim": dim,
        "curves": _curves(snapshots),
        "banners": [banner_text(s.phase, s.iteration) for s in snapshots],
        "captions": [
            _caption(i, last, s.phase, s.iteration, s.log_likelihood)
            for i, s in enumerate(snapshots)
        ],
        "color_set": color_set.tolist(),
        "param_set": view.param_set.tolist(),
        "n_color_sets": colors.shape[1],
        "color_step": color_step,
        "n_points": len(shown),
        "n_components": view.arrays["factors"].shape[1],
        "styles": view.styles[0],
        "style_changes": style_changes(view.styles),
    }
    arrays = view.arrays | {
        "x": positions[:, 0].astype(np.float32),
        "y": positions[:, 1].astype(np.float32),
        "colors": colors,  # point by point
        "table": table,
        "loglik": np.array([s.log_likelihood for s in snapshots], dtype=np.float64),
    }
    if dim == 3:
        arrays["z"] = positions[:, 2].astype(np.float32)
    block = pack(get_plotlyjs(), manifest, arrays, shuffled=("x", "y", "z", "colors"))
    text, n_bytes = to_text(block, shared=prefix_length(block))
    speeds = "".join(
        f'<option value="{seconds}"{" selected" if name == "1×" else ""}>{name}</option>'
        for name, seconds in SPEEDS.items()
    )
    page = _asset("standalone.html")
    fill = {
        "{{TITLE}}": html.escape(title),
        "{{SUBTITLE}}": html.escape(subtitle),
        "{{LAST}}": str(last),
        "{{SPEEDS}}": speeds,
        "{{SCRIPT}}": _script(),
        "{{N_BYTES}}": str(n_bytes),
        "{{M_STEP_CHANGES}}": M_STEP_CHANGES[dim],
        "{{DATA}}": text,
    }
    return re.sub(r"\{\{[A-Z_]+\}\}", lambda m: fill[m.group(0)], page)
