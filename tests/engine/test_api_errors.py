"""``gmm.GaussianMixture`` against scikit-learn's, call for call: errors.

For every bad argument, bad data set and bad call we know of, both classes raise, and our
exception is of every standard kind (``ValueError``, ``TypeError``, ``AttributeError``, ...)
that scikit-learn's is, so that ``except`` clauses written for scikit-learn catch ours.
Our messages name the bad parameter (and for the constructor, what it accepts).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from api_twins import (
    assert_same_kind_of_error,
    assert_same_outcome,
    blobs,
    explicit_start,
    quietly,
    twins,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError as SklearnNotFittedError

import gmm
from gmm.mixture_checks import CONSTRAINTS, InvalidParameterError

X_SMALL = blobs(n=60, seed=2)

BAD_CONSTRUCTOR = [
    ("n_components", 0),
    ("n_components", -1),
    ("n_components", 2.5),
    ("n_components", 2.0),
    ("n_components", "2"),
    ("n_components", None),
    ("n_components", np.nan),
    ("covariance_type", "ful"),
    ("covariance_type", "FULL"),
    ("covariance_type", None),
    ("covariance_type", 1),
    ("tol", -1),
    ("tol", -1e-12),
    ("tol", "0.1"),
    ("tol", None),
    ("tol", np.nan),
    ("tol", np.inf),
    ("reg_covar", -1e-6),
    ("reg_covar", "small"),
    ("reg_covar", np.nan),
    ("reg_covar", np.inf),
    ("max_iter", -1),
    ("max_iter", 1.5),
    ("max_iter", "10"),
    ("max_iter", None),
    ("n_init", 0),
    ("n_init", 1.0),
    ("n_init", None),
    ("init_params", "explicit"),
    ("init_params", "kmeans++"),
    ("init_params", None),
    ("init_params", 3),
    ("weights_init", 0.5),
    ("weights_init", "weights"),
    ("means_init", 1.0),
    ("precisions_init", 2.0),
    ("random_state", -1),
    ("random_state", 2**32),
    ("random_state", 1.5),
    ("random_state", "seed"),
    ("warm_start", 1),
    ("warm_start", "yes"),
    ("warm_start", None),
    ("verbose", -1),
    ("verbose", 1.5),
    ("verbose", "1"),
    ("verbose", None),
    ("verbose_interval", 0),
    ("verbose_interval", 2.5),
    ("verbose_interval", None),
]


@pytest.mark.parametrize("name, value", BAD_CONSTRUCTOR)
def test_bad_constructor_arguments_are_refused_at_fit_naming_the_parameter(name, value):
    ours, theirs = twins(**{"n_components": 2, name: value})  # the constructor checks nothing
    error = assert_same_kind_of_error(lambda: ours.fit(X_SMALL), lambda: theirs.fit(X_SMALL))
    assert isinstance(error, InvalidParameterError)
    assert isinstance(error, ValueError) and isinstance(error, TypeError)
    assert f"'{name}' parameter" in str(error) and "Got" in str(error)


def test_every_constructor_parameter_is_checked():
    assert set(CONSTRAINTS) == set(gmm.GaussianMixture().get_params())
    assert {name for name, _ in BAD_CONSTRUCTOR} == set(CONSTRAINTS)


@pytest.mark.parametrize(
    "name, value",
    [("tol", True), ("max_iter", False), ("n_init", True), ("verbose", True), ("reg_covar", 0)],
)
def test_what_sklearn_accepts_we_accept(name, value, capsys):
    assert_same_outcome(
        lambda: gmm.GaussianMixture(**{"n_components": 2, "random_state": 0, name: value}).fit(
            X_SMALL
        ),
        lambda: twins(**{"n_components": 2, "random_state": 0, name: value})[1].fit(X_SMALL),
    )


_ANY_VALUE = st.one_of(
    st.none(),
    st.integers(-3, 5),
    st.floats(-2, 6, allow_nan=False) | st.sampled_from([np.nan, np.inf, -np.inf, 0.0]),
    st.text(max_size=4),
    st.sampled_from(["full", "tied", "diag", "spherical", "kmeans", "random", "k-means++"]),
    st.sampled_from(["random_from_data", True, False, np.int64(2), np.float64(0.5)]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(set(CONSTRAINTS) - {"n_components"})), value=_ANY_VALUE)
def test_any_constructor_argument_gets_sklearns_verdict(name, value):
    """Both fit, or both refuse with the same kind of error.

    (``n_components`` is left out: scikit-learn takes ``True`` for 1 and then fails in
    its k-means with a bare ``TypeError``; the bad values above cover it.)
    """
    if name in ("weights_init", "means_init", "precisions_init") and value is not None:
        value = [value]  # an array-like of the wrong shape
    ours, theirs = twins(**{"n_components": 2, "random_state": 0, name: value})
    assert_same_outcome(lambda: ours.fit(X_SMALL), lambda: theirs.fit(X_SMALL))


# -------------------------------------------------------------------------- the data
BAD_FIT_DATA = {
    "1-D": np.arange(10.0),
    "3-D": np.zeros((4, 2, 2)),
    "scalar": 3.0,
    "no samples": np.zeros((0, 2)),
    "no features": np.zeros((5, 0)),
    "one sample": [[1.0, 2.0]],
    "NaN": [[0.0, 1.0], [np.nan, 2.0], [3.0, 4.0]],
    "infinity": [[0.0, 1.0], [np.inf, 2.0], [3.0, 4.0]],
    "strings": [["a", "b"], ["c", "d"], ["e", "f"]],
    "ragged": [[1.0, 2.0], [3.0]],
    "complex": np.array([[1 + 1j, 2], [3, 4], [5, 6]]),
    "sparse": scipy.sparse.csr_matrix(np.eye(4)),
    "None": None,
    "fewer samples than components": np.arange(6.0).reshape(3, 2),
}


@pytest.mark.parametrize("case", list(BAD_FIT_DATA))
def test_bad_data_at_fit_is_refused_as_sklearn(case):
    ours, theirs = twins(n_components=4, random_state=0)
    X = BAD_FIT_DATA[case]
    assert_same_kind_of_error(lambda: ours.fit(X), lambda: theirs.fit(X))
    assert_same_kind_of_error(lambda: ours.fit_predict(X), lambda: theirs.fit_predict(X))


def test_one_dimensional_x_says_how_to_reshape():
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        gmm.GaussianMixture().fit(np.arange(10.0))


BAD_PREDICT_DATA = {
    "1-D": np.arange(2.0),
    "3 features": np.zeros((4, 3)),
    "1 feature": np.zeros((4, 1)),
    "no samples": np.zeros((0, 2)),
    "NaN": [[np.nan, 1.0]],
    "strings": [["a", "b"]],
    "complex": np.array([[1 + 1j, 2]]),
    "sparse": scipy.sparse.csr_matrix(np.ones((3, 2))),
    "None": None,
    "scalar": 1.0,
}
METHODS = ("predict", "predict_proba", "score", "score_samples", "bic", "aic")


@pytest.mark.parametrize("case", list(BAD_PREDICT_DATA))
@pytest.mark.parametrize("method", METHODS)
def test_bad_data_after_fit_is_refused_as_sklearn(case, method):
    ours, theirs = twins(n_components=2, random_state=0)
    quietly(ours.fit, X_SMALL)
    quietly(theirs.fit, X_SMALL)
    X = BAD_PREDICT_DATA[case]
    assert_same_kind_of_error(lambda: getattr(ours, method)(X), lambda: getattr(theirs, method)(X))


def test_one_sample_is_enough_after_fit():
    ours, theirs = twins(**explicit_start(X_SMALL, 2, "tied"))
    quietly(ours.fit, X_SMALL)
    quietly(theirs.fit, X_SMALL)
    for method in ("predict", "predict_proba", "score_samples", "score"):
        np.testing.assert_allclose(
            getattr(ours, method)(X_SMALL[:1]), getattr(theirs, method)(X_SMALL[:1]), rtol=1e-9
        )


# ---------------------------------------------------------------- not fitted yet
@pytest.mark.parametrize("method", [*METHODS, "sample"])
def test_before_fit_every_method_raises_not_fitted_as_sklearn(method):
    ours, theirs = twins(n_components=2)
    args = () if method == "sample" else (X_SMALL,)
    error = assert_same_kind_of_error(
        lambda: getattr(ours, method)(*args), lambda: getattr(theirs, method)(*args)
    )
    assert isinstance(error, gmm.NotFittedError)
    assert isinstance(error, ValueError) and isinstance(error, AttributeError)
    assert issubclass(SklearnNotFittedError, ValueError)
    assert "not fitted yet" in str(error)


# ------------------------------------------------------------------------ sample()
@pytest.mark.parametrize("n_samples", [0, -1, -5, "a", None, 1.5])
def test_bad_sample_sizes_are_refused(n_samples):
    ours, theirs = twins(n_components=2, random_state=0)
    quietly(ours.fit, X_SMALL)
    quietly(theirs.fit, X_SMALL)
    if n_samples == 1.5:  # scikit-learn draws 1 point; we refuse a fractional count
        with pytest.raises(ValueError, match="whole number"):
            ours.sample(n_samples)
        return
    error = assert_same_kind_of_error(
        lambda: ours.sample(n_samples), lambda: theirs.sample(n_samples)
    )
    assert "n_samples" in str(error)


@pytest.mark.parametrize("n_samples", [1, True, np.int64(3), 4.0])
def test_sample_takes_whole_numbers_of_any_type(n_samples):
    model = quietly(gmm.GaussianMixture(2, random_state=0).fit, X_SMALL)
    points, labels = model.sample(n_samples)
    assert points.shape == (int(n_samples), 2) and labels.shape == (int(n_samples),)


# ----------------------------------------------------------- initial parameters
def _bad_starts(covariance_type: str) -> list[tuple[str, object]]:
    """(parameter, bad value) pairs for ``covariance_type``, with K = 2 and d = 2."""
    precisions = np.asarray(explicit_start(X_SMALL, 2, covariance_type)["precisions_init"])
    bad = [
        ("weights_init", [0.2, 0.3, 0.5]),
        ("weights_init", [[0.5, 0.5]]),
        ("weights_init", [-0.5, 1.5]),
        ("weights_init", [0.3, 0.3]),
        ("weights_init", [np.nan, 0.5]),
        ("means_init", np.zeros((2, 3))),
        ("means_init", np.zeros((3, 2))),
        ("means_init", np.zeros(2)),
        ("means_init", [[0.0, np.nan], [1.0, 1.0]]),
        ("precisions_init", np.ones((3, 3, 3))),
        ("precisions_init", np.full(precisions.shape, np.nan)),
        ("precisions_init", np.zeros(precisions.shape)),
        ("precisions_init", -precisions),
    ]
    if covariance_type in ("full", "tied"):
        skewed, indefinite = precisions.copy(), precisions.copy()
        skewed[..., 0, 1] += 0.5
        indefinite[..., 0, 1] = indefinite[..., 1, 0] = 10.0
        bad += [("precisions_init", skewed), ("precisions_init", indefinite)]
    return bad


@pytest.mark.parametrize("covariance_type", gmm.COVARIANCE_TYPES)
def test_bad_initial_parameters_are_refused_as_sklearn_naming_them(covariance_type):
    good = explicit_start(X_SMALL, 2, covariance_type)
    for name, value in _bad_starts(covariance_type):
        ours, theirs = twins(**{**good, name: value})
        error = assert_same_kind_of_error(
            lambda ours=ours: ours.fit(X_SMALL), lambda theirs=theirs: theirs.fit(X_SMALL)
        )
        assert name in str(error), (name, value, str(error))


# ----------------------------------------------------------------- set_params()
def test_set_params_with_an_unknown_name_is_refused_as_sklearn():
    ours, theirs = twins()
    error = assert_same_kind_of_error(
        lambda: ours.set_params(n_component=2), lambda: theirs.set_params(n_component=2)
    )
    assert "'n_component'" in str(error) and "n_components" in str(error)
    assert_same_kind_of_error(
        lambda: ours.set_params(tol__x=2), lambda: theirs.set_params(tol__x=2)
    )


def test_a_feature_name_of_mixed_types_is_refused_as_sklearn():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X_SMALL, columns=["a", 1])
    ours, theirs = twins(n_components=2)
    error = assert_same_kind_of_error(lambda: ours.fit(frame), lambda: theirs.fit(frame))
    assert isinstance(error, TypeError) and "astype(str)" in str(error)
