"""``gmm.GaussianMixture`` against scikit-learn's, call for call: results.

The same calls on both classes, from the same initial parameters, give the same numbers
(to 1e-9), the same fitted attributes, the same ``warm_start`` continuations, the same
``verbose`` output and the same warnings; and scikit-learn's own tools (``clone``,
``GridSearchCV``, ``Pipeline``) take our model. The errors are in ``test_api_errors.py``.
"""

from __future__ import annotations

import inspect
import itertools
import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from api_twins import assert_same_fit, blobs, explicit_start, quietly, twins
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.mixture import GaussianMixture as SklearnMixture
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import gmm

COVARIANCE_TYPES = gmm.COVARIANCE_TYPES


# ----------------------------------------------------------------- the constructor
def test_the_constructor_has_sklearns_parameters_defaults_and_keyword_rules():
    ours = inspect.signature(gmm.GaussianMixture.__init__).parameters
    theirs = inspect.signature(SklearnMixture.__init__).parameters
    assert list(ours) == list(theirs)
    for name, parameter in theirs.items():
        assert ours[name].default == parameter.default, name
        assert ours[name].kind == parameter.kind, name


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"n_components": 3, "random_state": 0},
        {"covariance_type": "diag", "tol": 1e-5, "warm_start": True, "verbose": 2},
        {
            "covariance_type": "diag",
            "max_iter": 200,
            "n_components": 5,
            "random_state": 0,
            "reg_covar": 0.001,
            "tol": 1e-05,
            "verbose": 1,
            "warm_start": True,
            "init_params": "k-means++",
        },
        {"n_components": 2, "means_init": np.zeros((2, 2)), "weights_init": [0.5, 0.5]},
        {"tol": float("nan")},
    ],
)
def test_get_params_and_repr_are_sklearns(kwargs):
    ours, theirs = twins(**kwargs)
    assert repr(ours) == repr(theirs)
    ours_params, theirs_params = ours.get_params(deep=True), theirs.get_params(deep=True)
    assert list(ours_params) == list(theirs_params)
    for name, value in theirs_params.items():
        assert repr(ours_params[name]) == repr(value), name


def test_set_params_sets_returns_self_and_checks_only_at_fit():
    ours, theirs = twins()
    for model in (ours, theirs):
        assert model.set_params() is model
        assert model.set_params(n_components=0, tol=-1.0) is model  # checked at fit
        assert model.n_components == 0 and model.tol == -1.0
    assert ours.get_params() == theirs.get_params()


def test_sklearn_clone_gridsearch_and_pipeline_take_our_model():
    X = blobs(n=200, seed=3, n_centres=2)
    copy = clone(gmm.GaussianMixture(3, covariance_type="tied", random_state=0))
    assert copy.get_params()["n_components"] == 3 and not hasattr(copy, "means_")
    grid = {"n_components": [1, 2], "covariance_type": ["full", "diag"]}  # one optimum each
    searches = [GridSearchCV(model, grid).fit(X) for model in twins(random_state=0, tol=1e-8)]
    assert searches[0].best_params_ == searches[1].best_params_
    np.testing.assert_allclose(
        searches[0].cv_results_["mean_test_score"],
        searches[1].cv_results_["mean_test_score"],
        rtol=1e-6,
    )
    pipeline = make_pipeline(StandardScaler(), gmm.GaussianMixture(2, random_state=0)).fit(X)
    assert pipeline.predict(X).shape == (len(X),)


# ------------------------------------------------------------------- the numbers
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("n_features", [1, 3])
def test_every_method_gives_sklearns_numbers_from_the_same_start(covariance_type, n_features):
    X = blobs(n_features=n_features, seed=n_features)
    test = blobs(n=50, n_features=n_features, seed=10 + n_features)
    ours, theirs = twins(**explicit_start(X, 3, covariance_type), tol=1e-6)
    labels = (quietly(ours.fit_predict, X), quietly(theirs.fit_predict, X))
    np.testing.assert_array_equal(*labels)
    assert_same_fit(ours, theirs)
    for method in ("predict", "predict_proba", "score_samples", "score", "bic", "aic"):
        for data in (X, test, test[:1]):
            if method in ("bic", "aic") and len(data) == 1:
                continue
            expected = getattr(theirs, method)(data)
            np.testing.assert_allclose(
                getattr(ours, method)(data), expected, rtol=1e-9, atol=1e-12, err_msg=method
            )
    np.testing.assert_array_equal(ours.predict(X), labels[0])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_features=st.integers(1, 3),
    n_components=st.integers(1, 4),
    covariance_type=st.sampled_from(COVARIANCE_TYPES),
    tol=st.sampled_from([0.0, 1e-6, 1e-3]),
    max_iter=st.integers(0, 12),
)
def test_any_explicit_start_follows_sklearn(
    seed, n_features, n_components, covariance_type, tol, max_iter
):
    X = blobs(n=30 * n_components, n_features=n_features, seed=seed)
    start = explicit_start(X, n_components, covariance_type, seed=seed)
    ours, theirs = twins(**start, tol=tol, max_iter=max_iter, reg_covar=1e-4)
    if max_iter == 0:  # scikit-learn fails here: precisions_init leaves no covariances_
        ours.fit(X)
        np.testing.assert_allclose(ours.means_, start["means_init"], rtol=0)
        assert (ours.n_iter_, ours.lower_bounds_, ours.converged_) == (0, [], False)
        assert ours.lower_bound_ == -np.inf
        return
    quietly(ours.fit, X)
    quietly(theirs.fit, X)
    assert_same_fit(ours, theirs, rtol=1e-8)


def test_max_iter_0_keeps_the_start_with_sklearns_attributes():
    X = blobs()
    start = explicit_start(X, 3, "full")
    del start["precisions_init"]  # scikit-learn needs the covariances from init_params
    ours, theirs = twins(**start, max_iter=0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning for max_iter=0
        ours.fit(X)
        theirs.fit(X)
    for model in (ours, theirs):
        np.testing.assert_array_equal(model.means_, start["means_init"])
        np.testing.assert_array_equal(model.weights_, start["weights_init"])
    for name in ("n_iter_", "converged_", "lower_bound_", "lower_bounds_"):
        assert getattr(ours, name) == getattr(theirs, name), name


@pytest.mark.parametrize("max_iter", [0, 20])
def test_n_init_keeps_the_best_start(max_iter):
    """n_init starts draw from one stream: the same as that many fits sharing a Generator.

    The first start with the highest lower bound is kept; with max_iter=0, the last start
    (as scikit-learn).
    """
    X = blobs(n=150, seed=4, n_centres=4)
    kwargs = {"n_components": 4, "init_params": "random", "max_iter": max_iter}
    best = quietly(
        gmm.GaussianMixture(**kwargs, n_init=4, random_state=np.random.default_rng(7)).fit, X
    )
    stream = np.random.default_rng(7)
    singles = [quietly(gmm.GaussianMixture(**kwargs, random_state=stream).fit, X) for _ in range(4)]
    bounds = [model.lower_bound_ for model in singles]
    kept = singles[-1] if max_iter == 0 else singles[int(np.argmax(bounds))]
    assert best.lower_bound_ == (-np.inf if max_iter == 0 else max(bounds))
    np.testing.assert_array_equal(best.means_, kept.means_)
    if max_iter:
        assert len(set(bounds)) > 1, "the starts should differ"


@pytest.mark.parametrize(
    "seed",
    [lambda: 5, lambda: np.int64(5), lambda: np.random.RandomState(5)],
    ids=["int", "NumPy int", "RandomState"],
)
def test_every_kind_of_sklearn_seed_repeats_the_fit(seed):
    X = blobs(n=150, seed=4, n_centres=4)
    fits = [
        quietly(gmm.GaussianMixture(4, init_params="random", random_state=seed()).fit, X)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(fits[0].means_, fits[1].means_)
    np.testing.assert_array_equal(fits[0].sample(5)[0], fits[1].sample(5)[0])


# -------------------------------------------------------------------- warm start
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_warm_start_continues_like_sklearn_and_the_history_goes_on(covariance_type):
    X, other = blobs(seed=5), blobs(seed=5) + 0.3 * blobs(seed=6)
    ours, theirs = twins(
        **explicit_start(X, 3, covariance_type), warm_start=True, max_iter=4, n_init=3, tol=1e-2
    )
    histories, ends = [], []
    for data in (X, X, X, other, other, other, other, other, other):
        quietly(ours.fit, data)
        quietly(theirs.fit, data)
        assert_same_fit(ours, theirs)
        histories.append(ours.history_)
        ends.append((theirs.converged_, theirs.n_iter_))
    assert (True, 1) in ends, "a warm fit should converge at its first iteration"
    for before, after in itertools.pairwise(histories):
        assert after[: len(before)] == before
        new = after[len(before) :]
        assert [s.index for s in new] == list(range(len(before), len(after)))
        assert new[0].iteration == before[-1].iteration + 1 and new[0].phase == "E"
    final = ours.history_
    e_values = [s.mean_log_likelihood for s in final if s.phase == "E"]
    np.testing.assert_allclose(e_values[-ours.n_iter_ :], ours.lower_bounds_, rtol=0)
    assert final[-1].converged == ours.converged_
    assert final[-1].params is ours.params_


def test_warm_start_after_changing_the_model_says_what_to_do():
    X = blobs()
    model = quietly(gmm.GaussianMixture(2, warm_start=True, random_state=0).fit, X)
    with pytest.raises(ValueError, match="warm_start=False"):
        model.set_params(n_components=3).fit(X)


def test_without_warm_start_each_fit_starts_afresh():
    X = blobs()
    ours, theirs = twins(**explicit_start(X, 3, "diag"), max_iter=3)
    for _ in range(2):
        quietly(ours.fit, X)
        quietly(theirs.fit, X)
        assert_same_fit(ours, theirs)
        assert ours.history_[0].phase == "init" and len(ours.history_) == 7


# ---------------------------------------------------------------- verbose output
def _masked(text: str) -> str:
    return re.sub(r"time lapse [0-9.]+s", "time lapse Ts", text)


@pytest.mark.parametrize("verbose, interval", [(1, 1), (1, 3), (2, 1), (2, 4), (True, 2)])
def test_verbose_prints_what_sklearn_prints(verbose, interval, capsys):
    X = blobs()
    outputs = []
    for warm in (False, True):
        for model in twins(
            **explicit_start(X, 3, "full"),
            n_init=2,
            max_iter=9,
            tol=1e-4,
            verbose=verbose,
            verbose_interval=interval,
            warm_start=warm,
        ):
            quietly(model.fit, X)
            if warm:
                quietly(model.fit, X)  # continues: one initialisation, no init message change
            outputs.append(_masked(capsys.readouterr().out))
    assert outputs[0] == outputs[1] and outputs[2] == outputs[3]
    assert "Initialization 1" in outputs[0] and "Initialization 0" in outputs[2]
    assert ("ll change" in outputs[0]) == (verbose == 2)


def test_quiet_by_default(capsys):
    quietly(gmm.GaussianMixture(2, random_state=0).fit, blobs())
    assert capsys.readouterr().out == ""


# ----------------------------------------------------------- warnings and errors
def test_the_convergence_warning_is_a_user_warning_as_sklearns():
    X = blobs()
    assert issubclass(gmm.ConvergenceWarning, UserWarning)
    for model in twins(**explicit_start(X, 3, "full"), max_iter=2):
        with pytest.warns(UserWarning, match="converge"):
            model.fit(X)
    with pytest.warns(gmm.ConvergenceWarning):
        gmm.GaussianMixture(3, max_iter=2, random_state=0).fit(X)


# --------------------------------------------------------------------- sampling
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_sample_has_sklearns_shapes_grouping_and_repeatability(covariance_type):
    X = blobs(n_features=3)
    ours, theirs = twins(**explicit_start(X, 3, covariance_type), random_state=3)
    quietly(ours.fit, X)
    quietly(theirs.fit, X)
    for n in (1, 7, 2000):
        (ours_X, ours_y), (theirs_X, theirs_y) = ours.sample(n), theirs.sample(n)
        assert ours_X.shape == theirs_X.shape == (n, 3)
        assert ours_y.shape == theirs_y.shape and ours_y.dtype == theirs_y.dtype
        assert np.all(np.diff(ours_y) >= 0)
    again = ours.sample(50)
    np.testing.assert_array_equal(again[0], ours.sample(50)[0])  # int seed: repeatable
    points, labels = ours.sample(20_000)
    for k in range(3):
        mean = points[labels == k].mean(axis=0)
        spread = np.sqrt(np.diag(ours.params_.full_covariances[k]) / np.sum(labels == k))
        assert np.all(np.abs(mean - ours.means_[k]) < 5 * spread)


# --------------------------------------------------------------- feature names
def test_dataframes_give_feature_names_and_the_same_fit():
    X = blobs()
    frame = pd.DataFrame(X, columns=["length", "width"])
    ours, theirs = twins(**explicit_start(X, 3, "full"))
    quietly(ours.fit, frame)
    quietly(theirs.fit, frame)
    assert_same_fit(ours, theirs)
    np.testing.assert_array_equal(ours.feature_names_in_, theirs.feature_names_in_)
    assert ours.feature_names_in_.dtype == object
    np.testing.assert_allclose(ours.score_samples(frame), theirs.score_samples(frame))
    quietly(ours.fit, X)
    quietly(theirs.fit, X)
    assert not hasattr(ours, "feature_names_in_") and not hasattr(theirs, "feature_names_in_")
    frame.columns = [0, 1]
    for model in (ours, theirs):
        quietly(model.fit, frame)
        assert not hasattr(model, "feature_names_in_")


@pytest.mark.parametrize("fit_with_names", [True, False])
def test_names_at_one_call_only_warn_as_sklearn(fit_with_names):
    X = blobs()
    frame = pd.DataFrame(X, columns=["a", "b"])
    messages = []
    for model in twins(n_components=2, random_state=0):
        quietly(model.fit, frame if fit_with_names else X)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.predict(X if fit_with_names else frame)
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == 1
    assert issubclass(messages[0][0][0], UserWarning)


@pytest.mark.parametrize(
    "columns", [["b", "a"], ["a", "c"], ["x", "y"], ["a", "b", "c", "d", "e", "f", "g"]]
)
def test_other_names_at_predict_are_refused_as_sklearn(columns):
    X = blobs()
    messages = []
    for model in twins(n_components=2, random_state=0):
        quietly(model.fit, pd.DataFrame(X, columns=["a", "b"]))
        data = np.resize(X, (len(X), len(columns)))
        with pytest.raises(ValueError) as caught:
            model.predict(pd.DataFrame(data, columns=columns))
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


# ---------------------------------------------------------------------- pickling
def test_a_fitted_model_survives_pickling():
    X = blobs()
    model = quietly(gmm.GaussianMixture(3, random_state=0).fit, X)
    copy = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(copy.predict_proba(X), model.predict_proba(X))
    assert len(copy.history_) == len(model.history_)
