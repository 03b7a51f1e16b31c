"""Helpers for the API parity tests: the same call on our model and on scikit-learn's.

``twins(**kwargs)`` builds ``(gmm.GaussianMixture(**kwargs), sklearn's(**kwargs))``;
``raised(call)`` returns the exception a call raises (or None); ``kinds(error)`` is the
set of standard exception classes it belongs to, which parity compares.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.mixture import GaussianMixture as SklearnMixture

import gmm

#: The exception classes user code catches; a pair of errors "is of the same kind" when
#: ours belongs to every one that scikit-learn's belongs to.
KINDS = (ValueError, TypeError, AttributeError, IndexError, KeyError)
RTOL = 1e-9


def blobs(n=240, n_features=2, seed=0, n_centres=3):
    """Well separated Gaussian blobs, shape (n, n_features)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=5.0, size=(n_centres, n_features))
    labels = rng.integers(0, n_centres, size=n)
    return centres[labels] + rng.uniform(0.5, 1.5, n_features) * rng.normal(size=(n, n_features))


def explicit_start(X, n_components, covariance_type, seed=1) -> dict:
    """``weights_init``, ``means_init`` and ``precisions_init`` for both models."""
    start = gmm.initialize(X, n_components, covariance_type, "random_from_data", seed)
    return {
        "n_components": n_components,
        "covariance_type": covariance_type,
        "weights_init": start.weights,
        "means_init": start.means,
        "precisions_init": start.precisions,
    }


def twins(**kwargs):
    """Our model and scikit-learn's, built with the same arguments."""
    return gmm.GaussianMixture(**kwargs), SklearnMixture(**kwargs)


def quietly(call, *args, **kwargs):
    """``call(*args, **kwargs)`` with warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


def raised(call) -> BaseException | None:
    """The exception ``call()`` raises, or None; warnings are silenced."""
    try:
        quietly(call)
    except Exception as error:
        return error
    return None


def kinds(error: BaseException) -> set[type]:
    return {kind for kind in KINDS if isinstance(error, kind)}


def assert_same_kind_of_error(ours_call, theirs_call) -> BaseException:
    """Both calls raise, and ours is of every standard kind scikit-learn's is; returns ours."""
    theirs, ours = raised(theirs_call), raised(ours_call)
    assert theirs is not None, "scikit-learn accepted it"
    assert ours is not None, f"we accepted what scikit-learn refuses with {theirs!r}"
    assert kinds(theirs) <= kinds(ours), f"ours {ours!r}, scikit-learn's {theirs!r}"
    return ours


def assert_same_outcome(ours_call, theirs_call) -> None:
    """Both succeed, or both raise errors of the same kind."""
    theirs, ours = raised(theirs_call), raised(ours_call)
    assert (ours is None) == (theirs is None), f"ours {ours!r}, scikit-learn's {theirs!r}"
    if theirs is not None:
        assert kinds(theirs) <= kinds(ours), f"ours {ours!r}, scikit-learn's {theirs!r}"


FITTED = ("weights_", "means_", "covariances_", "precisions_", "precisions_cholesky_")


def assert_same_fit(ours, theirs, rtol=RTOL) -> None:
    """The same fitted attributes, to ``rtol``."""
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.converged_ == theirs.converged_
    assert ours.n_features_in_ == theirs.n_features_in_
    assert type(ours.converged_) is bool and isinstance(ours.n_iter_, int)
    np.testing.assert_allclose(ours.lower_bounds_, theirs.lower_bounds_, rtol=rtol)
    np.testing.assert_allclose(ours.lower_bound_, theirs.lower_bound_, rtol=rtol)
    for name in FITTED:
        expected = getattr(theirs, name)
        np.testing.assert_allclose(
            getattr(ours, name),
            expected,
            rtol=rtol,
            atol=1e-12 * np.abs(expected).max(),
            err_msg=name,
        )
