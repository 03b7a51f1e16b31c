"""The components of the 3-D view: ellipsoids at each mass, means, the truth's rings.

Each ellipsoid is a translucent ``Mesh3d`` whose vertices lie on the surface holding
the stated mass (`gmm.figures.geometry.ellipsoid_mesh`); `gmm.figures.view_3d`
documents the order of the traces.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from .colors import ALERT, component_color, darken
from .geometry import ellipsoid_mesh, mahalanobis_radius
from .style import (
    FONT_SIZE,
    TRUTH_COLOR,
    component_name,
    hover_label,
    percent,
    sorted_masses,
)

__all__ = ["component_traces_3d", "truth_trace_3d"]

#: Opacity of the innermost and outermost ellipsoid (a single level gets 0.2).
ELLIPSOID_OPACITY = (0.25, 0.15)
#: Opacity of a highlighted (e.g. collapsed) ellipsoid.
HIGHLIGHT_OPACITY = 0.3
#: Longitudes and latitudes of each ellipsoid mesh.
MESH_RESOLUTION = (32, 20)
#: Points per principal-plane ellipse of the truth overlay.
RING_POINTS = 60


def _level_opacity(level: int, n_levels: int) -> float:
    """Ellipsoid opacity: innermost most opaque, outermost faintest."""
    inner, outer = ELLIPSOID_OPACITY
    if n_levels == 1:
        return 0.5 * (inner + outer)
    return inner + (outer - inner) * level / (n_levels - 1)


def _ellipsoid_trace(
    mean: np.ndarray,
    covariance: np.ndarray,
    weight: float,
    k: int,
    mass: float,
    level: int,
    n_levels: int,
    color: str,
    highlight_label: str | None,
) -> dict:
    """Translucent ``Mesh3d`` of the region holding ``mass`` of component ``k``.

    Highlighted components are drawn in the alert colour, more opaque and
    flat-shaded (faceted), and say so in the legend.
    """
    mesh = ellipsoid_mesh(mean, covariance, mass, *MESH_RESOLUTION)
    highlighted = highlight_label is not None
    name = f"{component_name(k, weight, highlight_label)} · {percent(mass)}"
    hover = (
        f"{component_name(k, weight, highlight_label)}<br>"
        f"{percent(mass)} of this component's mass lies inside<extra></extra>"
    )
    return dict(
        type="mesh3d",
        **mesh._asdict(),
        color=ALERT if highlighted else color,
        opacity=HIGHLIGHT_OPACITY if highlighted else _level_opacity(level, n_levels),
        flatshading=highlighted,
        lighting={"ambient": 0.75, "diffuse": 0.5, "specular": 0.05, "roughness": 0.9},
        hovertemplate=hover,
        hoverlabel=hover_label(bordercolor=ALERT if highlighted else darken(color)),
        name=name,
        showlegend=True,
        legendgroup=f"component{k}",
        legendrank=100 + k,
        meta={
            "role": "ellipsoid",
            "component": k,
            "mass": mass,
            "highlighted": highlighted,
        },
    )


def _mean_trace_3d(
    mean: np.ndarray,
    label_at: np.ndarray,
    weight: float,
    k: int,
    color: str,
    highlight_label: str | None,
) -> dict:
    """Diamond with black outline at component ``k``'s mean, and its label.

    The trace has two points: the mean, then an invisible marker at
    ``label_at`` (the top of the outermost ellipsoid) carrying the text
    "k=1", outside the translucent surfaces where it stays readable.
    """
    highlighted = highlight_label is not None
    name = component_name(k, weight, highlight_label)
    size = 12 if highlighted else 10
    return dict(
        type="scatter3d",
        x=[float(mean[0]), float(label_at[0])],
        y=[float(mean[1]), float(label_at[1])],
        z=[float(mean[2]), float(label_at[2])],
        mode="markers+text",
        text=["", f"k={k + 1}" + (f" ({highlight_label})" if highlighted else "")],
        textposition="top center",
        textfont={"size": FONT_SIZE + 2, "color": ALERT if highlighted else darken(color, 0.4)},
        marker={
            "symbol": "x" if highlighted else "diamond",
            "size": [size, 0],
            "color": ALERT if highlighted else color,
            "line": {"color": "black", "width": 2},
        },
        hovertemplate=(
            f"{name}<br>μ = ({mean[0]:.3g}, {mean[1]:.3g}, {mean[2]:.3g})<extra></extra>"
        ),
        hoverlabel=hover_label(bordercolor=ALERT if highlighted else darken(color)),
        name=f"{name} · mean",
        showlegend=False,
        legendgroup=f"component{k}",
        meta={"role": "mean", "component": k, "weight": float(weight), "highlighted": highlighted},
    )


def component_traces_3d(
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float],
    highlight: Collection[int],
    highlight_label: str,
    palette: Sequence[str] | None,
) -> list[dict]:
    """For each component: M ellipsoids (innermost first), then its mean."""
    levels = sorted_masses(masses)
    flagged = set(highlight)
    traces = []
    for k in range(len(means)):
        color = component_color(k, palette)
        label = highlight_label if k in flagged else None
        traces += [
            _ellipsoid_trace(
                means[k], covariances[k], weights[k], k, m, j, len(levels), color, label
            )
            for j, m in enumerate(levels)
        ]
        top = traces[-1]  # outermost ellipsoid
        label_at = np.array([top[axis][int(np.argmax(top["z"]))] for axis in "xyz"])
        traces.append(_mean_trace_3d(means[k], label_at, weights[k], k, color, label))
    return traces


def _principal_rings(mean: np.ndarray, covariance: np.ndarray, radius: float) -> np.ndarray:
    """The three principal-plane ellipses of an ellipsoid, NaN-separated.

    Returns
    -------
    ndarray, shape (3 * (RING_POINTS + 1), 3)
    """
    cov = 0.5 * (covariance + covariance.T)
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    axes = eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))  # columns
    t = np.linspace(0.0, 2.0 * np.pi, RING_POINTS)
    rings = []
    for a, b in ((0, 1), (0, 2), (1, 2)):
        ring = mean + radius * (np.outer(np.cos(t), axes[:, a]) + np.outer(np.sin(t), axes[:, b]))
        rings += [ring, np.full((1, 3), np.nan)]
    return np.concatenate(rings)


def truth_trace_3d(true_components: tuple, mass: float) -> dict:
    """Dotted grey principal ellipses of every generating component at ``mass``."""
    means, covariances = (np.asarray(a, dtype=float) for a in true_components[:2])
    radius = mahalanobis_radius(mass, 3)
    pieces = [_principal_rings(m, c, radius) for m, c in zip(means, covariances)]
    path = np.concatenate(pieces) if pieces else np.empty((0, 3))
    return dict(
        type="scatter3d",
        x=path[:, 0],
        y=path[:, 1],
        z=path[:, 2],
        mode="lines",
        connectgaps=False,
        line={"color": TRUTH_COLOR, "width": 3, "dash": "dot"},
        name=f"generating components ({percent(mass)}, dotted)",
        legendrank=2000,
        hoverinfo="skip",
        meta={"role": "truth", "mass": mass},
    )
