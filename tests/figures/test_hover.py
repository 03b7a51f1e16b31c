"""Hover labels of every figure: large, dark on white, and the component named."""

import numpy as np
import pytest
from figure_helpers import (
    contrast_ratio,
    hover_labels,
    make_snapshot,
    make_snapshot_3d,
    traces_by_role,
)

from gmm import figures as fs
from gmm.figures.colors import PALETTE

K = len(PALETTE)  # every palette colour


def snapshot(d):
    X, gamma, means, covs, weights = make_snapshot_3d(n=300, k=3)
    rng = np.random.default_rng(2)
    gamma = rng.dirichlet(np.ones(K), size=len(X))
    means = rng.normal(size=(K, 3))
    covs = np.stack([covs[0]] * K)
    weights = np.full(K, 1 / K)
    return X[:, :d], gamma, means[:, :d], covs[:, :d, :d], weights


def curve():
    phases = ["init"] + ["E", "M"] * 3
    iterations = [0, 1, 1, 2, 2, 3, 3]
    values = np.array([-900.0, -900, -700, -700, -650, -650, -640])
    bound = np.array([np.nan, -900, -720, -700, -655, -650, -641])
    return fs.loglik_curve(values, phases, 4, iterations=iterations, lower_bound=bound)


FIGURES = {
    "1-D": lambda: fs.model_figure(*snapshot(1), highlight={1}),
    "2-D": lambda: fs.model_figure(*snapshot(2), highlight={1}),
    "3-D": lambda: fs.model_figure(*snapshot(3), highlight={1}),
    "curve": curve,
    "BIC": lambda: fs.criterion_plot(
        {"full": (np.arange(1, 4), np.array([3.0, 2, 1]))},
        ("full", 3, 1.0),
        degenerate={"full": [2]},
    ),
    "restarts": lambda: fs.final_loglik_plot({"kmeans": np.array([-3.0, -2])}, {"kmeans": [1, 2]}),
    "overlay": lambda: fs.loglik_overlay([np.array([-3.0, -2, -1])], ["kmeans"]),
    "thumbnail": lambda: fs.model_thumbnail(*make_snapshot()),
}


@pytest.mark.parametrize("name", FIGURES)
def test_hover_labels_are_large_and_dark_on_white(name):
    fig = FIGURES[name]()
    labels = hover_labels(fig)
    assert labels, "something to hover"
    for trace, bgcolor, color, size in labels:
        role = trace.meta and trace.meta.get("role")
        assert size >= 18, (name, role, size)
        assert bgcolor is not None, f"{name} {role}: the label takes the trace's colour"
        assert contrast_ratio(bgcolor, color) >= 7, (name, role, bgcolor, color)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_point_hover_names_every_component_as_the_legend_does(d):
    fig = fs.model_figure(*snapshot(d))
    (points,) = traces_by_role(fig, "points")
    for k in range(K):
        assert f"Component {k + 1}: γ" in points.hovertemplate
    legend = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert any(name.startswith("Component 2 · π") for name in legend)


def test_component_hovers_are_bordered_in_the_component_colour():
    fig = fs.model_figure(*snapshot(2))
    for trace in traces_by_role(fig, "mean"):
        k = trace.meta["component"]
        assert trace.hoverlabel.bordercolor not in (None, "white")
        assert f"Component {k + 1}" in trace.hovertemplate
