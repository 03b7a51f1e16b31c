"""Model selection: free-parameter counts, BIC and AIC against scikit-learn.

* ``gmm.n_parameters`` equals scikit-learn's ``GaussianMixture._n_parameters()`` for every
  covariance type and several K and d;
* our ``GaussianMixture.bic``/``aic`` equal scikit-learn's for the same parameters: the
  sklearn model is fitted, then ours is built from its fitted weights, means and
  precisions with ``max_iter=0`` (which keeps the initial parameters exactly), and the
  functions in :mod:`gmm.selection` give the same numbers from the log-likelihood;
* the formulas and sign conventions: BIC = -2 log L + p log n, AIC = -2 log L + 2 p,
  lower is better, and ``mclust_bic`` (R's convention) is ``-bic``;
* on well separated blobs, BIC picks the true K, as scikit-learn's does.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SklearnMixture
from threadpoolctl import threadpool_limits

from gmm import COVARIANCE_TYPES, GaussianMixture, aic, bic, mclust_bic, n_parameters

RTOL = 1e-10


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    """Tiny matrices: BLAS threads only add contention on a shared 2-core machine."""
    with threadpool_limits(limits=1):
        yield


def blobs(n_features, n=240, n_blobs=3, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=6.0, size=(n_blobs, n_features))
    labels = rng.integers(0, n_blobs, size=n)
    return centres[labels] + rng.normal(size=(n, n_features))


def fitted_sklearn(X, k, covariance_type, max_iter=100):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SklearnMixture(
            k, covariance_type=covariance_type, random_state=0, max_iter=max_iter
        ).fit(X)


def ours_from(theirs, X):
    """Our facade holding exactly scikit-learn's fitted parameters."""
    return GaussianMixture(
        theirs.n_components,
        covariance_type=theirs.covariance_type,
        max_iter=0,
        weights_init=theirs.weights_,
        means_init=theirs.means_,
        precisions_init=theirs.precisions_,
    ).fit(X)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("n_features", [1, 2, 3, 5])
@pytest.mark.parametrize("k", [1, 2, 4])
def test_n_parameters_matches_sklearn(k, n_features, covariance_type):
    theirs = fitted_sklearn(blobs(n_features, n=60), k, covariance_type, max_iter=2)
    assert n_parameters(k, n_features, covariance_type) == theirs._n_parameters()


def test_n_parameters_formulas():
    k, d = 3, 4
    means_and_weights = k * d + k - 1
    assert n_parameters(k, d, "full") == means_and_weights + k * d * (d + 1) // 2
    assert n_parameters(k, d, "tied") == means_and_weights + d * (d + 1) // 2
    assert n_parameters(k, d, "diag") == means_and_weights + k * d
    assert n_parameters(k, d, "spherical") == means_and_weights + k
    assert n_parameters(1, 1, "full") == 2  # a single Gaussian in 1-D: mean and variance


def test_n_parameters_rejects_unknown_covariance_type():
    with pytest.raises(ValueError, match="covariance_type"):
        n_parameters(2, 2, "banana")


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("n_features", [1, 2, 3])
@pytest.mark.parametrize("k", [1, 3])
def test_bic_and_aic_match_sklearn_for_the_same_parameters(k, n_features, covariance_type):
    X = blobs(n_features, seed=n_features)
    theirs = fitted_sklearn(X, k, covariance_type)
    ours = ours_from(theirs, X)
    assert ours.n_iter_ == 0
    np.testing.assert_allclose(ours.means_, theirs.means_, rtol=1e-13)
    assert ours.score(X) == pytest.approx(theirs.score(X), rel=RTOL)
    assert ours.bic(X) == pytest.approx(theirs.bic(X), rel=RTOL)
    assert ours.aic(X) == pytest.approx(theirs.aic(X), rel=RTOL)
    # ... and from the log-likelihood alone, with gmm.selection
    log_likelihood = theirs.score(X) * len(X)
    p = n_parameters(k, n_features, covariance_type)
    assert bic(log_likelihood, p, len(X)) == pytest.approx(theirs.bic(X), rel=RTOL)
    assert aic(log_likelihood, p) == pytest.approx(theirs.aic(X), rel=RTOL)


def test_bic_and_aic_on_held_out_data_match_sklearn():
    X = blobs(2, seed=7)
    theirs = fitted_sklearn(X[:160], 3, "full")
    ours = ours_from(theirs, X[:160])
    held_out = X[160:]
    assert ours.bic(held_out) == pytest.approx(theirs.bic(held_out), rel=RTOL)
    assert ours.aic(held_out) == pytest.approx(theirs.aic(held_out), rel=RTOL)


def test_criteria_formulas_and_signs():
    log_likelihood, p, n = -1234.5, 17, 300
    assert bic(log_likelihood, p, n) == pytest.approx(2469.0 + 17 * np.log(300), rel=1e-15)
    assert aic(log_likelihood, p) == pytest.approx(2469.0 + 34.0, rel=1e-15)
    # a better fit (higher likelihood) with the same p has a lower criterion
    assert bic(-1000.0, p, n) < bic(-1100.0, p, n)
    assert aic(-1000.0, p) < aic(-1100.0, p)
    # BIC penalises parameters more than AIC once log n > 2
    assert bic(log_likelihood, p + 1, n) - bic(log_likelihood, p, n) > aic(
        log_likelihood, p + 1
    ) - aic(log_likelihood, p)


@pytest.mark.parametrize("log_likelihood, p, n", [(-1234.5, 17, 300), (52.25, 3, 10), (0.0, 1, 1)])
def test_mclust_bic_is_minus_bic(log_likelihood, p, n):
    assert mclust_bic(log_likelihood, p, n) == -bic(log_likelihood, p, n)


def test_mclust_bic_on_a_fitted_model_is_minus_sklearn_bic():
    X = blobs(2, seed=3)
    theirs = fitted_sklearn(X, 3, "diag")
    value = mclust_bic(theirs.score(X) * len(X), n_parameters(3, 2, "diag"), len(X))
    assert value == pytest.approx(-theirs.bic(X), rel=RTOL)


@pytest.mark.parametrize("covariance_type", ["full", "diag"])
def test_bic_picks_the_true_number_of_blobs_like_sklearn(covariance_type):
    X = blobs(2, n=400, n_blobs=3, seed=11)
    ours, theirs = [], []
    for k in range(1, 6):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = GaussianMixture(
                k, covariance_type=covariance_type, random_state=0, n_init=2
            ).fit(X)
        ours.append(model.bic(X))
        theirs.append(fitted_sklearn(X, k, covariance_type).bic(X))
    assert int(np.argmin(ours)) + 1 == 3
    assert int(np.argmin(theirs)) + 1 == 3
