"""The mixture density under the points, and data sampled from the model: the engine's
numbers (gmm/density.py) against scipy, and the figures that draw them."""

from __future__ import annotations

import numpy as np
import pytest
from figure_helpers import make_snapshot, make_snapshot_1d, rebuilt, traces_by_role
from scipy.stats import multivariate_normal

from gmm.density import density_grid, log_mixture_density, sample_mixture
from gmm.em import e_step
from gmm.figures import model_figure
from gmm.figures.density import DENSITY_SPAN, density_trace
from gmm.figures.samples import sampled_figure
from gmm.params import MixtureParams


def params_of(snapshot) -> MixtureParams:
    _, _, means, covs, weights = snapshot
    return MixtureParams(weights, means, covs)


# --------------------------------------------------------------------- the engine
def test_the_log_density_is_the_e_steps_and_scipys():
    X, *_ = snapshot = make_snapshot()
    params = params_of(snapshot)
    naive = np.log(
        sum(
            w * multivariate_normal(m, c).pdf(X)
            for w, m, c in zip(params.weights, params.means, params.full_covariances)
        )
    )
    np.testing.assert_allclose(log_mixture_density(X, params), naive, rtol=1e-12)
    np.testing.assert_array_equal(log_mixture_density(X, params), e_step(X, params).log_density)


def test_the_grid_holds_the_density_at_its_points():
    params = params_of(make_snapshot())
    xs, ys, grid = density_grid(params, (-4.0, 5.0), (-2.0, 3.0), size=31)
    assert xs.shape == ys.shape == (31,) and grid.shape == (31, 31)
    i, j = 7, 22  # row i is y, column j is x
    expected = log_mixture_density(np.array([[xs[j], ys[i]]]), params)[0]
    assert grid[i, j] == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize(
    "ranges, size, match",
    [
        (((0, 1), (1, 0)), 10, "y_range"),
        (((0, np.inf), (0, 1)), 10, "x_range"),
        (((0, 1),) * 2, 1, "size"),
    ],
)
def test_a_bad_grid_is_refused_with_a_message(ranges, size, match):
    with pytest.raises(ValueError, match=match):
        density_grid(params_of(make_snapshot()), *ranges, size=size)


def test_samples_are_seeded_and_follow_the_weights_and_moments():
    params = MixtureParams(
        np.array([0.7, 0.3]), np.array([[0.0, 0.0], [10.0, 5.0]]), np.stack([np.eye(2)] * 2)
    )
    points, labels = sample_mixture(params, 20_000, 3)
    again, same_labels = sample_mixture(params, 20_000, 3)
    np.testing.assert_array_equal(points, again)
    np.testing.assert_array_equal(labels, same_labels)
    assert np.mean(labels == 0) == pytest.approx(0.7, abs=0.02)
    np.testing.assert_allclose(points[labels == 1].mean(axis=0), [10.0, 5.0], atol=0.05)
    np.testing.assert_allclose(np.cov(points[labels == 0].T), np.eye(2), atol=0.05)
    assert not np.array_equal(sample_mixture(params, 50, 4)[0], points[:50])
    with pytest.raises(ValueError, match="at least 1"):
        sample_mixture(params, 0, 0)


# -------------------------------------------------------------------- the figures
def test_the_density_is_drawn_under_the_points_in_bands_of_one_nat():
    X, gamma, means, covs, weights = snapshot = make_snapshot()
    xs, ys, grid = density_grid(params_of(snapshot), (-9.0, 9.0), (-4.0, 4.0), size=40)
    plain = model_figure(X, gamma, means, covs, weights, [0.5, 0.9])
    built = model_figure(X, gamma, means, covs, weights, [0.5, 0.9], density=(xs, ys, grid))
    figure = rebuilt(built)  # valid Plotly
    (density,) = traces_by_role(figure, "density")
    assert density.type == "contour" and figure.data[-1] is density
    # the other traces keep their places; the points stay on top (Plotly's scatter
    # layer, SVG or WebGL, lies above its contour layer)
    assert [t.meta for t in figure.data[:-1]] == [t["meta"] for t in plain.to_dict()["data"]]
    assert figure.data[0].type in ("scatter", "scattergl")
    peak = np.ceil(grid.max())
    assert density.zmax == peak and density.zmin == peak - DENSITY_SPAN
    assert density.contours.size == 1
    assert np.min(built.data[-1].z) == peak - DENSITY_SPAN  # the faint outside, white


def test_density_trace_clips_what_no_component_reaches_and_refuses_bad_shapes():
    z = np.array([[0.0, -np.inf], [-50.0, 2.5]])
    trace = density_trace(np.arange(2.0), np.arange(2.0), z)
    assert trace["zmax"] == 3.0 and trace["z"].min() == 3.0 - DENSITY_SPAN
    with pytest.raises(ValueError, match="shape"):
        density_trace(np.arange(3.0), np.arange(2.0), z)
    with pytest.raises(ValueError, match="finite"):
        density_trace(np.arange(2.0), np.arange(2.0), np.full((2, 2), -np.inf))


def test_a_sample_is_drawn_on_the_datas_axes_coloured_by_its_component():
    X, _, means, covs, weights = snapshot = make_snapshot()
    points, labels = sample_mixture(params_of(snapshot), 200, 1)
    figure = rebuilt(
        sampled_figure(
            points, labels, means, covs, weights, [0.9], data=X, column_names=["a", "b"], seed=1
        )
    )
    assert "200 points, seed 1" in figure.layout.title.text
    low, high = X[:, 0].min(), X[:, 0].max()
    assert figure.layout.xaxis.range[0] < low and figure.layout.xaxis.range[1] > high
    assert len(traces_by_role(figure, "ellipse")) == len(weights)
    with pytest.raises(ValueError, match="component 4"):
        sampled_figure(
            points, labels + 1, means, covs, weights, [0.9], data=X, column_names=["a", "b"], seed=1
        )


def test_a_1d_sample_is_a_histogram_with_the_mixture_curve():
    x, _, means, variances, weights = make_snapshot_1d()
    params = MixtureParams(weights, means[:, None], variances[:, None, None])
    points, labels = sample_mixture(params, 300, 2)
    figure = sampled_figure(
        points,
        labels,
        means[:, None],
        variances[:, None, None],
        weights,
        [0.9],
        data=x[:, None],
        column_names=["x"],
        seed=2,
    )
    assert traces_by_role(figure, "histogram") and traces_by_role(figure, "mixture")
