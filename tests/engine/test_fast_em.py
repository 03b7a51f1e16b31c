"""The fast code paths of the engine against the exact forms they replace.

* the M-step from precomputed moments (:mod:`gmm.moments`) equals the two-pass M-step,
  and its guard sends a tight component far from the centre to the two-pass form
  (with the guard off, the fast form visibly loses digits there);
* the lower bound from the M-step's statistics equals the bound summed over the points;
* the blocked E-step equals a naive scipy computation, whatever the block size, and
  handles points that underflow for every component.
"""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

import gmm.em as em
from gmm import COVARIANCE_TYPES, MixtureParams, initialize
from gmm.em import (
    e_step,
    estimate,
    lower_bound,
    lower_bound_from_statistics,
    m_step,
    normalise_in_place,
)
from gmm.moments import DataMoments


def blobs(n=600, d=2, seed=0, offset=0.0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(3, d))
    labels = rng.integers(0, 3, size=n)
    return (
        centres[labels]
        + rng.uniform(0.5, 1.5, size=(3, d))[labels] * rng.normal(size=(n, d))
        + offset
    )


def random_responsibilities(n, k, seed=0):
    resp = np.random.default_rng(seed).dirichlet(np.ones(k) * 0.5, size=n)
    return resp


# --------------------------------------------------------------------------- M-step
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("d", [1, 2, 3, 5])
def test_fast_m_step_equals_the_two_pass_m_step(covariance_type, d):
    X = blobs(d=d, seed=d)
    resp = random_responsibilities(len(X), 3, seed=d)
    exact = m_step(X, resp, covariance_type, 1e-6)
    fast, stats = estimate(X, resp.T, covariance_type, 1e-6, DataMoments.of(X))
    assert fast.allclose(exact, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(stats.counts, resp.sum(axis=0), rtol=1e-12)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_without_room_for_cross_products_full_and_tied_use_the_exact_form(covariance_type):
    X = blobs(d=3)
    resp = random_responsibilities(len(X), 3)
    moments = DataMoments.of(X, budget=0)
    assert not moments.has_cross and moments.matrix.shape == (7, len(X))
    assert moments.fast_covariance(covariance_type) == (covariance_type in ("diag", "spherical"))
    fast, _ = estimate(X, resp.T, covariance_type, 1e-6, moments)
    assert fast.allclose(m_step(X, resp, covariance_type, 1e-6), rtol=1e-11, atol=1e-13)


def tight_far_component(covariance_type, offset=1e3, spread=1e-4):
    """A wide cluster at the origin and a tight one (std ``spread``) ``offset`` away, with
    hard responsibilities: the tight component's E[x^2] - mu^2 cancels 14 digits."""
    rng = np.random.default_rng(3)
    wide = rng.normal(size=(500, 2))
    tight = offset + spread * rng.normal(size=(100, 2)) * [1.0, 0.5]
    X = np.vstack([wide, tight])
    resp = np.zeros((len(X), 2))
    resp[:500, 0] = resp[500:, 1] = 1.0
    return X, resp


@pytest.mark.parametrize("covariance_type", ["full", "diag", "spherical"])
def test_the_guard_keeps_a_tight_component_far_from_the_centre_exact(covariance_type):
    X, resp = tight_far_component(covariance_type)
    moments = DataMoments.of(X)
    exact = m_step(X, resp, covariance_type, 0.0)
    guarded, _ = estimate(X, resp.T, covariance_type, 0.0, moments)
    np.testing.assert_allclose(guarded.covariances, exact.covariances, rtol=1e-9)
    # ... because the guard sent the tight component to the two-pass form:
    stats = em.fast_statistics(moments, resp.T, covariance_type)
    means = stats.first / stats.counts[:, None]
    _, sent = em.fast_scatter(stats, means, stats.counts, covariance_type)
    assert sent.tolist() == [False, True]


@pytest.mark.parametrize("covariance_type", ["full", "diag", "spherical"])
def test_with_the_guard_off_the_fast_form_loses_the_tight_component(covariance_type):
    X, resp = tight_far_component(covariance_type)
    exact = m_step(X, resp, covariance_type, 0.0)
    unguarded, _ = estimate(X, resp.T, covariance_type, 0.0, DataMoments.of(X), np.inf)
    error = np.max(np.abs(unguarded.covariances / exact.covariances - 1))
    assert error > 1e-6  # digits lost: this is what the guard is for


def test_tied_guard_falls_back_when_the_pooled_covariance_is_tiny_next_to_the_spread():
    tight = tight_far_component("tied", offset=1e3, spread=1e-4)[0][500:]
    X = np.vstack([tight, tight + 2e3])  # two tight groups far apart
    resp = np.zeros((len(X), 2))
    resp[:100, 0] = resp[100:, 1] = 1.0
    moments = DataMoments.of(X)
    exact = m_step(X, resp, "tied", 0.0)
    guarded, _ = estimate(X, resp.T, "tied", 0.0, moments)
    np.testing.assert_allclose(guarded.covariances, exact.covariances, rtol=1e-9)
    stats = em.fast_statistics(moments, resp.T, "tied")
    _, sent = em.fast_scatter(stats, stats.first / stats.counts[:, None], stats.counts, "tied")
    assert sent.all()


def test_a_guard_of_zero_sends_every_component_to_the_two_pass_form():
    X = blobs()
    resp = random_responsibilities(len(X), 3)
    moments = DataMoments.of(X)
    stats = em.fast_statistics(moments, resp.T, "full")
    _, sent = em.fast_scatter(stats, stats.first / stats.counts[:, None], stats.counts, "full", 0)
    assert sent.all()
    zero, _ = estimate(X, resp.T, "full", 1e-6, moments, guard=0)
    assert zero.allclose(m_step(X, resp, "full", 1e-6), rtol=1e-12, atol=1e-14)


def test_moments_are_centred_on_the_median_and_read_only():
    X = np.vstack([blobs(), [[1e6, -1e6]]])  # one outlier does not move the centre
    moments = DataMoments.of(X)
    np.testing.assert_allclose(moments.centre, np.median(X, axis=0))
    np.testing.assert_allclose(moments.centred, (X - moments.centre).T)
    np.testing.assert_allclose(moments.matrix[3:5], moments.centred**2)
    np.testing.assert_allclose(moments.matrix[5], moments.centred[0] * moments.centred[1])
    with pytest.raises(ValueError):
        moments.matrix[0, 0] = 2.0


# ---------------------------------------------------------------------- lower bound
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("offset", [0.0, 1e6])
def test_lower_bound_from_statistics_equals_the_sum_over_points(covariance_type, offset):
    X = blobs(d=3, seed=5, offset=offset)
    old = initialize(X, 3, covariance_type, "random_from_data", random_state=2)
    before = e_step(X, old)
    new, stats = estimate(X, before.responsibilities_t, covariance_type, 1e-6, DataMoments.of(X))
    closed = lower_bound_from_statistics(stats, old, new, before.log_likelihood)
    direct = lower_bound(before.responsibilities, e_step(X, new).weighted_log_density)
    assert closed == pytest.approx(direct, rel=1e-11)
    assert before.log_likelihood <= closed <= e_step(X, new).log_likelihood


def test_lower_bound_from_statistics_needs_a_finite_old_log_likelihood():
    X = blobs()
    old = initialize(X, 2, "full", "kmeans", random_state=0)
    new, stats = estimate(X, e_step(X, old).responsibilities_t, "full", 1e-6)
    assert np.isnan(lower_bound_from_statistics(stats, old, new, -np.inf))


# --------------------------------------------------------------------------- E-step
def naive_log_density(X, params):
    """log pi_k + log N(x | mu_k, Sigma_k) with scipy.stats, shape (n, K)."""
    return np.column_stack(
        [
            np.log(w) + multivariate_normal(mean, cov).logpdf(X)
            for w, mean, cov in zip(params.weights, params.means, params.full_covariances)
        ]
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("block", [1, 7, 600, 4096])
def test_blocked_e_step_equals_scipy_for_any_block_size(covariance_type, block, monkeypatch):
    monkeypatch.setattr(em, "BLOCK_VALUES", 3 * 2 * block)  # K = 3, d = 2: block points
    X = blobs(n=600, d=2, seed=1)
    params = initialize(X, 3, covariance_type, "random_from_data", random_state=4)
    result = e_step(X, params)
    weighted = naive_log_density(X, params)
    np.testing.assert_allclose(result.log_density, logsumexp(weighted, axis=1), rtol=1e-12)
    expected = np.exp(weighted - logsumexp(weighted, axis=1)[:, None])
    np.testing.assert_allclose(result.responsibilities, expected, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(result.weighted_log_density, weighted, rtol=1e-12)
    np.testing.assert_allclose(result.responsibilities.sum(axis=1), 1.0, rtol=1e-14)


def test_normalise_gives_lost_points_equal_shares_and_minus_infinity():
    weighted = np.array([[0.0, -np.inf, -1000.0], [np.log(3.0), -np.inf, -1001.0]])
    log_density = normalise_in_place(weighted)
    np.testing.assert_allclose(weighted[:, 0], [0.25, 0.75])
    np.testing.assert_array_equal(weighted[:, 1], [0.5, 0.5])
    assert log_density[0] == pytest.approx(np.log(4.0))
    assert log_density[1] == -np.inf
    assert log_density[2] == pytest.approx(logsumexp([-1000.0, -1001.0]), rel=1e-15)


def test_a_component_of_weight_zero_gets_no_responsibility():
    X = blobs()
    params = MixtureParams([0.5, 0.5, 0.0], X[:3], np.ones(3), "spherical")
    result = e_step(X, params)
    assert np.all(result.responsibilities[:, 2] == 0)
    assert np.all(np.isfinite(result.log_density))
    assert np.all(result.weighted_log_density[:, 2] == -np.inf)


# ------------------------------------------------------------------- shared data
def test_steppers_sharing_the_data_take_the_same_steps():
    from gmm.stepper import EMStepper, SharedData

    X = blobs()
    shared = SharedData.of(X)
    start = initialize(X, 3, "full", "kmeans", random_state=0)
    alone = EMStepper(X, start, tol=0.0, max_iter=8)
    together = EMStepper(shared.X, start, tol=0.0, max_iter=8, shared=shared)
    alone.run()
    together.run()
    assert together.moments is shared.moments and together.geometry is shared.geometry
    np.testing.assert_array_equal(alone.trajectory(), together.trajectory())
    together.release_cache()
    assert together.moments is shared.moments  # shared moments are kept, not rebuilt
    with pytest.raises(ValueError, match="another X"):
        EMStepper(X + 1.0, start, shared=shared)
