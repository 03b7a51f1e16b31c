"""scikit-learn's ``GaussianMixture`` as an oracle for the engine.

With the same data and the same initial parameters (weights, means and precisions passed
to scikit-learn as ``*_init``) and ``tol=0``, our facade must follow scikit-learn's
trajectory: the same ``lower_bounds_`` at every iteration and the same final parameters,
to 1e-9 relative, for every covariance type in 1, 2, 3 and 5 dimensions. The stepper's
half-steps must give the same numbers as the facade.
"""

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SklearnMixture

import gmm

RTOL = 1e-9


def blobs(n_features, seed=0, n=300, offset=0.0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(3, n_features))
    scales = rng.uniform(0.5, 1.5, size=(3, n_features))
    labels = rng.integers(0, 3, size=n)
    return centres[labels] + scales[labels] * rng.normal(size=(n, n_features)) + offset


def sklearn_twin(params, n_iter, reg_covar=1e-6):
    """A scikit-learn model started from exactly ``params``."""
    return SklearnMixture(
        params.n_components,
        covariance_type=params.covariance_type,
        tol=0.0,
        max_iter=n_iter,
        reg_covar=reg_covar,
        weights_init=params.weights,
        means_init=params.means,
        precisions_init=params.precisions,
    )


def assert_same_fit(ours, theirs):
    np.testing.assert_allclose(ours.lower_bounds_, theirs.lower_bounds_, rtol=RTOL)
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.converged_ == theirs.converged_
    for name in ("weights_", "means_", "covariances_", "precisions_", "precisions_cholesky_"):
        np.testing.assert_allclose(
            getattr(ours, name),
            getattr(theirs, name),
            rtol=RTOL,
            atol=1e-12 * np.abs(getattr(theirs, name)).max(),
            err_msg=name,
        )


@pytest.mark.parametrize("covariance_type", gmm.COVARIANCE_TYPES)
@pytest.mark.parametrize("n_features", [1, 2, 3, 5])
def test_trajectory_matches_sklearn(covariance_type, n_features):
    X = blobs(n_features, seed=n_features)
    initial = gmm.initialize(X, 3, covariance_type, "random_from_data", random_state=1)
    ours = gmm.GaussianMixture(
        3,
        covariance_type=covariance_type,
        tol=0.0,
        max_iter=25,
        weights_init=initial.weights,
        means_init=initial.means,
        precisions_init=initial.precisions,
    ).fit(X)
    theirs = sklearn_twin(initial, 25).fit(X)
    assert_same_fit(ours, theirs)
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-7, atol=1e-12
    )
    np.testing.assert_allclose(ours.score_samples(X), theirs.score_samples(X), rtol=RTOL)
    assert ours.bic(X) == pytest.approx(theirs.bic(X), rel=RTOL)
    assert ours.aic(X) == pytest.approx(theirs.aic(X), rel=RTOL)


@pytest.mark.parametrize("covariance_type", gmm.COVARIANCE_TYPES)
def test_convergence_stops_where_sklearn_stops(covariance_type):
    X = blobs(2, seed=7)
    initial = gmm.initialize(X, 3, covariance_type, "kmeans", random_state=3)
    ours = gmm.GaussianMixture(
        3,
        covariance_type=covariance_type,
        tol=1e-4,
        max_iter=200,
        weights_init=initial.weights,
        means_init=initial.means,
        precisions_init=initial.precisions,
    ).fit(X)
    theirs = sklearn_twin(initial, 200)
    theirs.set_params(tol=1e-4)
    theirs.fit(X)
    assert theirs.converged_
    assert_same_fit(ours, theirs)


@pytest.mark.parametrize("covariance_type", gmm.COVARIANCE_TYPES)
def test_stepper_half_steps_match_sklearn_iterations(covariance_type):
    """Each E-step's log-likelihood is scikit-learn's lower bound at that iteration."""
    X = blobs(3, seed=11)
    initial = gmm.initialize(X, 3, covariance_type, "random", random_state=5)
    stepper = gmm.EMStepper(X, initial, tol=0.0, max_iter=15)
    for _ in range(15):
        stepper.e_step()
        stepper.m_step()
    theirs = sklearn_twin(initial, 15).fit(X)
    e_values = [s.mean_log_likelihood for s in stepper.snapshots if s.phase == "E"]
    np.testing.assert_allclose(e_values, theirs.lower_bounds_, rtol=RTOL)
    np.testing.assert_allclose(stepper.current.params.covariances, theirs.covariances_, rtol=RTOL)


def test_means_only_init_follows_sklearn_meaning():
    """Given means_init only, the other parameters come from the init method's M-step."""
    X = blobs(2, seed=2)
    means = X[:3]
    ours = gmm.GaussianMixture(3, means_init=means, max_iter=0).fit(X)
    np.testing.assert_array_equal(ours.means_, means)
    assert ours.weights_.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("covariance_type", ["diag", "tied", "spherical"])
def test_far_from_origin_we_stay_exact(covariance_type):
    """Shifting the data by 1e8 shifts the means and changes nothing else.

    scikit-learn's diag/tied/spherical covariances use E[x^2] - mu^2 and lose most of
    their digits at this offset (its issue 30382); ours are two-pass and stay exact.
    """
    X = blobs(2, seed=4, n=400)
    offset = 1e8
    initial = gmm.initialize(X, 3, covariance_type, "kmeans", random_state=0)
    shifted = gmm.MixtureParams(
        initial.weights, initial.means + offset, initial.covariances, covariance_type
    )
    near = gmm.GaussianMixture(
        3,
        covariance_type=covariance_type,
        tol=0,
        max_iter=30,
        weights_init=initial.weights,
        means_init=initial.means,
        precisions_init=initial.precisions,
    ).fit(X)
    far = gmm.GaussianMixture(
        3,
        covariance_type=covariance_type,
        tol=0,
        max_iter=30,
        weights_init=shifted.weights,
        means_init=shifted.means,
        precisions_init=shifted.precisions,
    ).fit(X + offset)
    # The inputs themselves are rounded to 1e8 * eps ~ 1.5e-8 at this offset.
    np.testing.assert_allclose(far.covariances_, near.covariances_, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(far.means_ - offset, near.means_, atol=1e-6)
    np.testing.assert_allclose(far.lower_bounds_, near.lower_bounds_, rtol=1e-8)
    assert np.all(np.diff(far.lower_bounds_) >= -1e-9 * np.abs(far.lower_bounds_[1:]))
