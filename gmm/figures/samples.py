"""Data sampled from a snapshot's mixture, drawn to be set beside the real data.

"Could this model have produced these data?" A student answers it by looking at points
drawn from the mixture (:func:`gmm.density.sample_mixture`) next to the data. The
sampled points are coloured by the component each was drawn from (a sure
responsibility of 1), with the snapshot's outlines, in the view that fits the number of
columns (`gmm.figures.model.model_figure`). In 2-D the axes span the real data's
ranges, so that the two charts compare at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .model import model_figure
from .style import padded_range

__all__ = ["SAMPLE_HEIGHT", "sampled_figure"]

#: Height of the small chart, px.
SAMPLE_HEIGHT = 340


def sampled_figure(
    sampled: np.ndarray,
    labels: np.ndarray,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float],
    *,
    data: np.ndarray,
    column_names: Sequence[str],
    seed: int,
    height: int = SAMPLE_HEIGHT,
) -> go.Figure:
    """A small chart of points drawn from the mixture, with its outlines.

    Parameters
    ----------
    sampled : ndarray, shape (m, d), d in {1, 2, 3}
        Points drawn from the mixture.
    labels : ndarray of int, shape (m,)
        The component each point was drawn from, 0-based.
    means : ndarray, shape (K, d)
    covariances : ndarray, shape (K, d, d)
    weights : ndarray, shape (K,)
    masses : sequence of float
        Outline masses, as on the main chart.
    data : ndarray, shape (n, d)
        The real data: in 2-D the axes span their ranges.
    column_names : sequence of str, length d
    seed : int
        The seed the points were drawn with, named in the title.
    height : int, default SAMPLE_HEIGHT

    Returns
    -------
    plotly.graph_objects.Figure
        As `model_figure` returns it, titled "Sampled from the model".
    """
    sampled = np.asarray(sampled, dtype=float)
    labels = np.asarray(labels)
    n_components = len(weights)
    if labels.shape != (len(sampled),) or (labels.size and labels.min() < 0):
        raise ValueError("labels must give a component (0-based) for each sampled point.")
    if labels.size and labels.max() >= n_components:
        raise ValueError(f"labels name component {labels.max() + 1}; the model has {n_components}.")
    sure = np.zeros((len(sampled), n_components))
    sure[np.arange(len(sampled)), labels] = 1.0
    title = f"Sampled from the model: {len(sampled):,} points, seed {seed}"
    options = {"title": title, "height": height, "uirevision": "sampled"}
    data = np.asarray(data, dtype=float)
    if sampled.shape[1] == 2:
        options |= {
            "compact": True,
            "layout": {
                "xaxis": {"range": padded_range(data[:, 0])},
                "yaxis": {"range": padded_range(data[:, 1])},
            },
        }
    return model_figure(
        sampled,
        sure,
        means,
        covariances,
        weights,
        masses,
        column_names=column_names,
        **options,
    )
