"""What the figure tests share: snapshots to draw, and ways to read the figures back."""

import json

import numpy as np
import plotly.graph_objects as go

from gmm.figures.colors import hex_to_rgb
from gmm.figures.points import COLOR_STEP

K = 3


def make_snapshot(n=300, k=3, seed=0):
    """Data and a plausible EM snapshot: (X, gamma, means, covs, weights)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * [3.0, 1.0]
    gamma = rng.dirichlet(np.ones(k), size=n)
    means = rng.normal(size=(k, 2))
    covs = np.stack([np.array([[1.0, 0.3], [0.3, 0.5]]) * (i + 1) for i in range(k)])
    weights = np.full(k, 1.0 / k)
    return X, gamma, means, covs, weights


def make_snapshot_3d(n=400, k=K, seed=0):
    """3-D data and a plausible snapshot: (X, gamma, means, covs, weights)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)) * [2.0, 1.5, 1.0]
    gamma = rng.dirichlet(np.ones(k), size=n)
    means = rng.normal(size=(k, 3))
    base = np.array([[1.0, 0.3, 0.1], [0.3, 0.8, -0.2], [0.1, -0.2, 0.5]])
    covs = np.stack([base * (i + 1) for i in range(k)])
    weights = np.array([0.5, 0.3, 0.2])[:k] / np.array([0.5, 0.3, 0.2])[:k].sum()
    return X, gamma, means, covs, weights


def make_snapshot_1d(n=500, seed=0):
    """1-D data and a snapshot: (x, gamma, means (K,), variances (K,), weights)."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(-2, 1, n // 2), rng.normal(2, 0.7, n - n // 2)])
    means = np.array([-2.0, 0.5, 2.0])
    variances = np.array([1.0, 0.5, 0.49])
    weights = np.array([0.45, 0.1, 0.45])
    gamma = rng.dirichlet(np.ones(K), size=n)
    return x, gamma, means, variances, weights


def traces_by_role(fig, role):
    return [t for t in fig.data if t.meta and t.meta["role"] == role]


def points_trace(fig):
    (trace,) = traces_by_role(fig, "points")
    return trace


def colorscale_rgb(colorscale) -> np.ndarray:
    """RGB table of a colorscale made of "rgb(r,g,b)" stops."""
    return np.array([[float(v) for v in c[4:-1].split(",")] for _, c in colorscale])


def decoded_point_colors(trace) -> np.ndarray:
    """Colour of each point of the points trace as RGB, shape (n, 3)."""
    table = colorscale_rgb(trace.marker.colorscale)
    assert trace.marker.cmin == 0 and trace.marker.cmax == len(table) - 1
    return table[np.asarray(trace.marker.color).astype(int)]


def assert_colors_close(actual, expected):
    """Point colours equal up to the colour quantisation."""
    expected = np.broadcast_to(expected, np.shape(actual))
    np.testing.assert_allclose(actual, expected, atol=COLOR_STEP / 2)


def rebuilt(fig):
    """The figure rebuilt from its JSON with full Plotly validation."""
    return go.Figure(json.loads(fig.to_json()))


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of a "#RRGGBB" or "white"/"black" colour."""
    named = {"white": "#FFFFFF", "black": "#000000"}
    rgb = hex_to_rgb(named.get(color, color)) / 255.0
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 .. 21."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hover_labels(fig):
    """(trace, bgcolor, font colour, font size) of the hover label of every hoverable trace.

    A trace's own ``hoverlabel`` wins over the layout's, as in Plotly; a missing
    background means Plotly's default, the trace's own colour (reported as None).
    """
    layout = fig.layout.hoverlabel
    found = []
    for trace in fig.data:
        if trace.hoverinfo == "skip":
            continue
        own = trace.hoverlabel
        bgcolor = own.bgcolor or layout.bgcolor
        color = (own.font.color if own.font else None) or layout.font.color
        size = (own.font.size if own.font else None) or layout.font.size
        found.append((trace, bgcolor, color, size))
    return found
