"""Tests of gmm.data.generators: seeded synthetic data sets for teaching EM."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import pdist
from sklearn.mixture import GaussianMixture

from gmm.data import (
    GENERATOR_KINDS,
    MIN_COMPONENTS,
    SyntheticData,
    generate,
)
from gmm.errors import DataError

KINDS = list(GENERATOR_KINDS)
GAUSSIAN_KINDS = ["separated", "overlapping", "elongated", "unequal"]


def cases(n_components: int = 3):
    """(kind, dim, K) for every kind in 1, 2 and 3 dimensions."""
    return [
        (kind, dim, max(n_components, MIN_COMPONENTS[kind])) for kind in KINDS for dim in (1, 2, 3)
    ]


@pytest.mark.parametrize("kind, dim, k", cases())
def test_shapes_types_and_truth(kind, dim, k):
    data = generate(kind, 500, k, dim, seed=0)
    assert isinstance(data, SyntheticData)
    assert data.X.shape == (500, dim) and data.X.dtype == np.float64
    assert data.labels.shape == (500,) and data.labels.dtype.kind == "i"
    assert set(np.unique(data.labels)) == set(range(k))
    assert data.true_weights.shape == (k,)
    assert data.true_weights.sum() == pytest.approx(1.0)
    assert np.all(data.true_weights > 0)
    assert data.true_means.shape == (k, dim)
    assert np.isfinite(data.X).all() and np.isfinite(data.true_means).all()
    assert data.kind == kind and data.name == GENERATOR_KINDS[kind]
    assert data.description.endswith(".") and data.description.count(". ") == 0
    assert data.description.startswith(str(k if kind != "collapse" else k - 1))


@pytest.mark.parametrize("kind, dim, k", cases())
def test_group_sizes_follow_the_weights_and_sum_to_n(kind, dim, k):
    n = 1001
    data = generate(kind, n, k, dim, seed=1)
    sizes = np.bincount(data.labels, minlength=k)
    assert sizes.sum() == n
    assert np.all(np.abs(sizes - n * data.true_weights) < 1)


@pytest.mark.parametrize("kind, dim, k", cases())
def test_same_seed_same_data_other_seed_other_data(kind, dim, k):
    first = generate(kind, 300, k, dim, seed=5)
    again = generate(kind, 300, k, dim, seed=5)
    other = generate(kind, 300, k, dim, seed=6)
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.labels, again.labels)
    np.testing.assert_array_equal(first.true_means, again.true_means)
    assert not np.array_equal(first.X, other.X)


def test_generator_as_seed_and_no_global_random_state():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = generate("separated", 100, 2, 2, np.random.default_rng(9))
    b = generate("separated", 100, 2, 2, 9)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize("kind, dim, k", [c for c in cases() if c[0] in GAUSSIAN_KINDS])
def test_gaussian_kinds_have_symmetric_positive_definite_covariances(kind, dim, k):
    data = generate(kind, 200, k, dim, seed=2)
    covariances = data.true_covariances
    assert covariances.shape == (k, dim, dim)
    np.testing.assert_allclose(covariances, covariances.transpose(0, 2, 1), atol=1e-12)
    assert np.all(np.linalg.eigvalsh(covariances) > 0)


@pytest.mark.parametrize("kind, dim, k", [c for c in cases() if c[0] in GAUSSIAN_KINDS])
def test_gaussian_kinds_match_their_truth(kind, dim, k):
    data = generate(kind, 60_000, k, dim, seed=3)
    for j in range(k):
        points = data.X[data.labels == j]
        np.testing.assert_allclose(points.mean(axis=0), data.true_means[j], atol=0.1)
        covariance = np.cov(points, rowvar=False).reshape(dim, dim)
        np.testing.assert_allclose(covariance, data.true_covariances[j], atol=0.15, rtol=0.1)


@pytest.mark.parametrize("kind, dim, k", [c for c in cases() if c[0] not in GAUSSIAN_KINDS])
def test_non_gaussian_kinds_have_no_covariances_but_part_centres(kind, dim, k):
    data = generate(kind, 60_000, k, dim, seed=4)
    assert data.true_covariances is None
    for j in range(k):
        centre = data.X[data.labels == j].mean(axis=0)
        np.testing.assert_allclose(centre, data.true_means[j], atol=0.05)


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_separation_of_the_centres(dim):
    separated = generate("separated", 10, 6, dim, seed=0).true_means
    overlapping = generate("overlapping", 10, 6, dim, seed=0).true_means
    assert pdist(separated).min() == pytest.approx(8.0)
    assert pdist(overlapping).min() == pytest.approx(2.5)


def test_elongated_blobs_are_elongated():
    data = generate("elongated", 10, 4, 2, seed=0)
    eigenvalues = np.linalg.eigvalsh(data.true_covariances)
    np.testing.assert_allclose(eigenvalues, [[0.4**2, 2.5**2]] * 4)
    widths = np.sqrt(generate("elongated", 10, 3, 1, seed=0).true_covariances.ravel())
    np.testing.assert_allclose(widths, [0.4, 1.0, 2.5])


def test_unequal_weights_and_spreads():
    data = generate("unequal", 10, 3, 2, seed=0)
    weights, spreads = data.true_weights, data.true_covariances[:, 0, 0]
    assert np.all(np.diff(weights) < 0) and weights[0] > 5 * weights[-1]
    assert np.all(np.diff(spreads) < 0) and spreads[0] == pytest.approx(16 * spreads[-1])


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_rings_lie_at_their_radius(dim):
    data = generate("rings", 3000, 3, dim, seed=0)
    radius = np.linalg.norm(data.X, axis=1)
    expected = 1.0 + 1.5 * data.labels
    assert np.abs(radius - expected).mean() < 0.15


def test_two_moons_look_like_make_moons():
    data = generate("moons", 2000, 2, 2, seed=0)
    upper, lower = data.X[data.labels == 0], data.X[data.labels == 1]
    assert np.abs(np.linalg.norm(upper, axis=1) - 1).mean() < 0.15
    assert np.abs(np.linalg.norm(lower - [1.25, 0.5], axis=1) - 1).mean() < 0.15
    assert upper[:, 1].mean() > lower[:, 1].mean()


def test_moons_in_3d_are_flat_with_noise_in_height():
    data = generate("moons", 2000, 2, 3, seed=0)
    assert data.X[:, 2].std() == pytest.approx(0.1, rel=0.1)


def test_moons_in_1d_are_skewed():
    data = generate("moons", 5000, 2, 1, seed=0)
    first = data.X[data.labels == 0, 0]
    assert np.mean(first) > np.median(first) + 0.2  # long right tail
    assert first.min() >= 0


def test_collapse_has_exact_copies_of_one_point():
    data = generate("collapse", 500, 2, 2, seed=0)
    copies = data.X[data.labels == 1]
    assert len(copies) == 50
    assert np.all(copies == data.true_means[1])
    assert np.linalg.norm(data.true_means[1] - data.true_means[0]) == pytest.approx(8.0)
    assert "50 copies" in data.description


@pytest.mark.parametrize("dim", [1, 2, 3])
@pytest.mark.parametrize("seed", range(5))
def test_collapse_makes_em_collapse_a_component_without_regularisation(dim, seed):
    X = generate("collapse", 300, 2, dim, seed).X
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fitted = GaussianMixture(2, reg_covar=0.0, random_state=0).fit(X)
        except ValueError as error:  # scikit-learn gives up on a singular covariance
            assert "ill-defined empirical covariance" in str(error)
        else:
            assert np.linalg.det(fitted.covariances_).min() < 1e-20


def test_collapse_component_sits_on_the_copies_with_tiny_regularisation():
    data = generate("collapse", 300, 2, 2, seed=0)
    fitted = GaussianMixture(2, reg_covar=1e-9, random_state=0).fit(data.X)
    collapsed = np.argmin(np.linalg.det(fitted.covariances_))
    assert np.linalg.det(fitted.covariances_[collapsed]) < 1e-16
    np.testing.assert_allclose(fitted.means_[collapsed], data.true_means[1], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    n=st.integers(1, 3000),
    k=st.integers(1, 10),
    dim=st.sampled_from([1, 2, 3]),
    seed=st.integers(0, 2**32),
)
def test_any_valid_arguments_give_n_finite_points(kind, n, k, dim, seed):
    k = max(k, MIN_COMPONENTS[kind])
    data = generate(kind, n, k, dim, seed)
    assert data.X.shape == (n, dim)
    assert np.isfinite(data.X).all()
    assert np.bincount(data.labels, minlength=k).sum() == n
    assert data.labels.min() >= 0 and data.labels.max() < k


def test_200k_points_in_three_dimensions():
    # Speed is the benchmarks' business (no test asserts a time); this checks the size.
    for kind in KINDS:
        X = generate(kind, 200_000, 4, 3, seed=0).X
        assert X.shape == (200_000, 3)
        assert np.isfinite(X).all()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("blobs", 100, 2, 2), "no kind of data set called 'blobs'; choose one of"),
        (("separated", 0, 2, 2), "number of points must be between 1 and 1,000,000; got 0"),
        (("separated", 1_000_001, 2, 2), "between 1 and 1,000,000; got 1,000,001"),
        (("separated", 10.5, 2, 2), "number of points must be a whole number; got 10.5"),
        (("separated", 100, 2, 4), "dimension must be between 1 and 3; got 4"),
        (("separated", 100, 0, 2), "number of components .* between 1 and 10; got 0"),
        (("separated", 100, 11, 2), "between 1 and 10; got 11"),
        (("collapse", 100, 1, 2), "components for 'Duplicated points .* between 2 and 10"),
    ],
)
def test_bad_arguments_say_what_is_allowed(arguments, message):
    with pytest.raises(DataError, match=message):
        generate(*arguments, seed=0)


def test_bad_seeds():
    with pytest.raises(TypeError, match="seed must be an int or a numpy.random.Generator"):
        generate("separated", 10, 2, 2, seed=None)
    with pytest.raises(DataError, match="seed must be 0 or a positive whole number"):
        generate("separated", 10, 2, 2, seed=-1)


def test_kinds_for_a_drop_down():
    assert KINDS == [
        "separated",
        "overlapping",
        "elongated",
        "unequal",
        "rings",
        "moons",
        "collapse",
    ]
    assert all(isinstance(label, str) and label for label in GENERATOR_KINDS.values())
