"""A run's history as compact frames for the Explore page's player (issue 15).

The browser plays the history with no server round trip (`assets/history_player.js`):
it keeps the chart the server drew last as a template and draws each other half-step
from the numbers here, with the drawing of the standalone animation
(`gmm/figures/frames.js`). The history travels in **blocks** of `BLOCK` half-steps,
each one immutable once full, so that a new half-step sends only the last block (and
Streamlit's forward-message cache sends an unchanged block as a reference):

* per E-step, a **colour code** per drawn point (uint16): the blended colour's
  channels rounded to `gmm.figures.points.COLOR_STEP` (`color_codes`), the same
  rounding as the server's figure, on a fixed lattice, so that codes need no table;
* per set of parameters (the initialisation and each M-step), each component's mean
  and square-root factor (`gmm.figures.standalone_frames.geometry_frames` and its 1-D
  and 3-D kin) and the traces' small styles;
* per E-step that moved points to another component, their places among the drawn
  points (uint32), for the rings of "Show what changed";
* per half-step its phase, the banner, the status line (HTML) and the log-likelihood.

This module draws numbers it is given: it never runs EM.
"""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Sequence

import numpy as np

from .changes import GHOST_DASH, GHOST_OPACITY, MIN_ARROW_SHARE, ring_style
from .colors import NEUTRAL, blend, component_color, hex_to_rgb
from .packing import pack
from .points import COLOR_STEP
from .standalone import banner_text
from .standalone_1d import DRAWN_1D, curve_recipe, density_frames, template_1d
from .standalone_3d import DRAWN_3D, ellipsoid_frames, mesh_recipe
from .standalone_frames import geometry_frames, outline_recipe, style_changes
from .style import data_span

__all__ = [
    "BLOCK",
    "LEVELS",
    "block_payload",
    "color_codes",
    "drawn_range",
    "run_manifest",
    "status_html",
]

#: Half-steps per block of the history.
BLOCK = 8
#: Levels per colour channel on the lattice of `color_codes` (0, 8, ..., 248, 255).
LEVELS = 256 // COLOR_STEP + 1
#: The traces each set of parameters redraws, by role, per number of columns.
DRAWN_ROLES = {1: tuple(DRAWN_1D), 2: ("ellipse", "mean"), 3: tuple(DRAWN_3D)}


def color_codes(responsibilities: np.ndarray | None, n_points: int) -> np.ndarray:
    """Each drawn point's blended colour as one number on a fixed lattice.

    Parameters
    ----------
    responsibilities : ndarray, shape (m, K), or None
        Of the drawn points; None (before the first E-step) gives the neutral grey.
    n_points : int
        m, the number of drawn points.

    Returns
    -------
    ndarray of uint16, shape (m,)
        ``(r * LEVELS + g) * LEVELS + b`` with each channel's level
        ``rint(channel / COLOR_STEP)``: the colour ``min(255, level * COLOR_STEP)``
        per channel, exactly the server's `quantise_colors`.
    """
    grey = np.broadcast_to(hex_to_rgb(NEUTRAL), (n_points, 3)).astype(float)
    if responsibilities is None:
        rgb = grey
    else:
        rgb = blend(np.asarray(responsibilities))
        rgb = np.where(np.isfinite(rgb).all(axis=1, keepdims=True), rgb, grey)
    level = np.clip(np.rint(rgb / COLOR_STEP), 0, LEVELS - 1).astype(np.uint16)
    return (level[:, 0] * LEVELS + level[:, 1]) * LEVELS + level[:, 2]


def status_html(markdown: str) -> str:
    """The status line without its last part ("half-step i of n", which the browser
    writes, as n grows), Markdown bold as ``<strong>``, everything else escaped."""
    text = html.escape(markdown.rsplit(" · ", 1)[0])
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)


def drawn_range(roles: Sequence[str | None], dim: int) -> list[int]:
    """``[start, stop)``: the traces of a figure (their meta roles, in order) that each
    set of parameters redraws; ``[0, 0]`` when there are none."""
    at = [i for i, role in enumerate(roles) if role in DRAWN_ROLES[dim]]
    return [at[0], at[-1] + 1] if at else [0, 0]


def run_manifest(X: np.ndarray, masses: Sequence[float], n_components: int, palette=None) -> dict:
    """What every block of one run shares: the view's recipe, the marks' styles.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    masses : sequence of float
    n_components : int
    palette : sequence of str, optional

    Returns
    -------
    dict
        ``dim``, ``n_components``, ``block``, ``levels`` and ``color_step`` (of
        `color_codes`); the recipe (``outline`` 2-D, ``curve``
        1-D, ``mesh`` 3-D); ``ring`` (the style of the rings of changed points),
        ``ghost`` (2-D: the dashes of the previous outlines, their colours,
        opacity and the arrows' threshold as a share of the data's span; 1-D: the
        colours, opacity and the arrows' threshold as a share of the view).
    """
    dim = X.shape[1]
    manifest = {
        "dim": dim,
        "n_components": n_components,
        "block": BLOCK,
        "levels": LEVELS,
        "color_step": COLOR_STEP,
        "ring": ring_style(dim),
    }
    if dim == 1:
        manifest["curve"] = curve_recipe(X, masses, n_components)
        manifest["ghost"] = {
            "opacity": GHOST_OPACITY,
            "colors": [component_color(k, palette) for k in range(n_components)],
            "min_share": MIN_ARROW_SHARE,
        }
    elif dim == 2:
        manifest["outline"] = outline_recipe(masses)
        manifest["ghost"] = {
            "dashes": GHOST_DASH[0],
            "drawn": GHOST_DASH[1],
            "opacity": GHOST_OPACITY,
            "colors": [component_color(k, palette) for k in range(n_components)],
            "min_move": (MIN_ARROW_SHARE * data_span(X)).tolist(),
        }
    else:
        manifest["mesh"] = mesh_recipe(masses)
    return manifest


def _geometry(
    X: np.ndarray, snapshots: Sequence, masses: Sequence[float], type_scale: float
) -> tuple:
    """Per half-step its set; the sets' factors, labels (2-D), styles and axes (1-D)."""
    dim = X.shape[1]
    labels = axes = None
    if dim == 2:
        param_set, factors, labels, styles = geometry_frames(snapshots, X, masses, type_scale)
    elif dim == 1:
        _, _, drawn = template_1d(X, snapshots[0], masses, "x", 1, 0, None)
        param_set, factors, styles, axes = density_frames(snapshots, X, masses, drawn, type_scale)
    else:
        drawn = (1, 1 + len(snapshots[0].params.weights) * (len(masses) + 1))
        param_set, factors, styles = ellipsoid_frames(snapshots, masses, drawn, type_scale)
    return param_set, factors, labels, styles, axes


def block_payload(
    run: str,
    X: np.ndarray,
    masses: Sequence[float],
    start: int,
    snapshots: Sequence,
    colors: Sequence[np.ndarray | None],
    changed: Sequence[np.ndarray | None],
    statuses: Sequence[str],
    ahead_of: int | None = None,
    type_scale: float = 1.0,
) -> bytes:
    """One block of the history, gzip-compressed, for `assets/history_player.js`.

    Parameters
    ----------
    run : str
        The run's identity in the browser (blocks of one run are played together).
    X : ndarray, shape (n, d)
        The data (2-D: its ranges place the mass labels).
    masses : sequence of float
    start : int
        The first half-step's index in the history.
    snapshots : sequence of snapshots, length B
        Half-steps ``start`` to ``start + B - 1``.
    colors : sequence of (ndarray of uint16, shape (m,)) or None, length B
        `color_codes` at each E-step and at the initialisation; None elsewhere (an
        M-step keeps the colours of the E-step before it).
    changed : sequence of (ndarray of int) or None, length B
        At an E-step, the places among the drawn points of the points whose most
        likely component changed; None for no rings.
    statuses : sequence of str, length B
        `status_html` of each half-step.
    ahead_of : int, optional
        For the half-steps computed ahead of a click: the last half-step of the
        history they follow (``ahead`` and ``base`` in the manifest).
    type_scale : float, default 1
        The figure's (`gmm.figures.model_figure`): in 2-D the mass labels are placed
        for, and set in, type this many times larger, as on the server's figure.

    Returns
    -------
    bytes
        gzip of `gmm.figures.packing.pack` ("" for the script): the manifest
        (``start``, ``steps``: per half-step ``phase``, ``banner``, ``status``,
        ``color`` (row of ``colors``, or -1), ``param`` (set), ``changed``
        ([offset, count] into ``changed``, or None); the drawer's ``styles``,
        ``style_changes``, ``drawn``, ``n_components``, ``dim`` and 1-D ``axes``)
        and the arrays ``colors``, ``factors``, ``labels`` (2-D), ``changed`` and
        ``loglik``.
    """
    param_set, factors, labels, styles, axes = _geometry(X, snapshots, masses, type_scale)
    steps, rows, rings = [], [], []
    n_rings = 0
    for i, snapshot in enumerate(snapshots):
        step = {
            "phase": snapshot.phase,
            "banner": banner_text(snapshot.phase, snapshot.iteration),
            "status": statuses[i],
            "param": int(param_set[i]),
            "color": -1,
            "changed": None,
        }
        if colors[i] is not None:
            step["color"] = len(rows)
            rows.append(np.asarray(colors[i], dtype=np.uint16))
        if changed[i] is not None:
            step["changed"] = [n_rings, len(changed[i])]
            rings.append(np.asarray(changed[i], dtype=np.uint32))
            n_rings += len(changed[i])
        steps.append(step)
    manifest = {
        "run": run,
        "start": start,
        "steps": steps,
        "dim": X.shape[1],
        "n_components": factors.shape[1],
        "drawn": [0, len(styles[0])],
        "styles": styles[0],
        "style_changes": style_changes(styles),
    }
    if axes is not None:
        manifest["axes"] = axes
    if ahead_of is not None:
        manifest |= {"ahead": True, "base": ahead_of}
    arrays = {
        "colors": np.concatenate(rows) if rows else np.zeros(0, np.uint16),
        "factors": factors.astype(np.float64),
        "changed": np.concatenate(rings) if rings else np.zeros(0, np.uint32),
        "loglik": np.array([s.log_likelihood for s in snapshots], dtype=np.float64),
    }
    if labels is not None:
        arrays["labels"] = labels.astype(np.float64)
    return gzip.compress(pack("", manifest, arrays), compresslevel=6, mtime=0)
