"""How :class:`gmm.EMStepper` starts, and the input it refuses.

* explicit means start with uniform weights and the data covariance;
* every random method is reproducible from its seed and changes with it;
* K > n, NaN or infinite data and bad settings are refused with a ``ValueError``.
"""

from __future__ import annotations

import numpy as np
import pytest
from stepper_helpers import (
    same_params,
    three_blobs,
)

from gmm import COVARIANCE_TYPES, EMStepper, MixtureParams
from gmm.checks import INIT_METHODS

pytestmark = pytest.mark.usefixtures("single_blas_thread")

RANDOM_INIT_METHODS = tuple(m for m in INIT_METHODS if m != "explicit")


# --------------------------------------------------------------------------- start
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_explicit_init_uses_uniform_weights_and_the_data_covariance(X, covariance_type):
    means = np.array([[0.0, 0.0], [5.0, 5.0], [-1.0, 3.0], [2.0, 2.0]])
    reg_covar = 1e-3
    stepper = EMStepper.start(
        X, 4, covariance_type, init="explicit", means=means, reg_covar=reg_covar
    )
    params = stepper.current.params
    np.testing.assert_array_equal(params.weights, np.full(4, 0.25))
    np.testing.assert_array_equal(params.means, means)
    data_cov = np.cov(X.T, bias=True) + reg_covar * np.eye(2)
    expected = {
        "full": np.broadcast_to(data_cov, (4, 2, 2)),
        "tied": data_cov,
        "diag": np.tile(np.diag(data_cov), (4, 1)),
        "spherical": np.full(4, np.trace(data_cov) / 2),
    }[covariance_type]
    np.testing.assert_allclose(params.covariances, expected, rtol=1e-12)


def test_explicit_init_needs_means_of_the_right_shape(X):
    with pytest.raises(ValueError, match="means"):
        EMStepper.start(X, 2, init="explicit")
    with pytest.raises(ValueError, match="2 starting means"):
        EMStepper.start(X, 2, init="explicit", means=np.zeros((3, 2)))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("method", RANDOM_INIT_METHODS)
def test_init_is_deterministic_per_seed_and_changes_with_it(method, covariance_type):
    X = np.random.default_rng(7).uniform(size=(120, 2))  # no cluster structure to agree on

    def start(seed):
        stepper = EMStepper.start(X, 4, covariance_type, init=method, random_state=seed)
        stepper.run(3)
        return stepper.current.params

    assert same_params(start(11), start(11))
    assert same_params(start(np.random.default_rng(11)), start(11))
    assert not same_params(start(11), start(12))


def test_more_components_than_points_is_refused():
    X = three_blobs(n=4)
    with pytest.raises(ValueError, match=r"K = 5"):
        EMStepper.start(X, 5)
    start = MixtureParams(np.full(5, 0.2), np.zeros((5, 2)), np.ones(5), "spherical")
    with pytest.raises(ValueError, match=r"K = 5"):
        EMStepper(X, start)


def test_k_equal_to_n_is_allowed():
    X = three_blobs(n=4)
    stepper = EMStepper.start(X, 4, "spherical", random_state=0)
    assert stepper.current.params.n_components == 4


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_data_is_refused(bad):
    X = three_blobs(n=20)
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN or infinite"):
        EMStepper.start(X, 2)
    start = MixtureParams([0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], [np.eye(2)] * 2)
    with pytest.raises(ValueError, match="NaN"):
        EMStepper(X, start)


def test_bad_settings_are_refused(X):
    start = MixtureParams([1.0], [[0.0, 0.0]], [np.eye(2)])
    with pytest.raises(ValueError, match="reg_covar"):
        EMStepper(X, start, reg_covar=-1.0)
    with pytest.raises(ValueError, match="tol"):
        EMStepper(X, start, tol=-1.0)
    with pytest.raises(ValueError, match="max_iter"):
        EMStepper(X, start, max_iter=1.5)
    with pytest.raises(ValueError, match="features"):
        EMStepper(X[:, :1], start)
