"""Fitting and stepping on hostile numbers, and sampling against scoring.

Each hostile data set is fitted through the stepper and through the scikit-learn-style
facade, with ``reg_covar=1e-6`` and with ``reg_covar=0``:

* duplicated points, collinear points, a constant column, one outlier 1e6 away,
  K = n, and a single point (n = 1, K = 1): with regularisation every fit succeeds with
  finite, valid parameters; without it a fit either succeeds, or stops with a ``singular``
  diagnostic (stepper) or a ``ValueError`` that names ``reg_covar`` (facade) -- never
  NaN;
* scales of 1e-9 and 1e9: with ``reg_covar`` scaled with the data the fit is the unit-scale
  fit rescaled (scale equivariance); an unscaled ``reg_covar=1e-6`` on data of scale 1e-9
  is reported by the ``heavy_regularisation`` diagnostic;
* data 1e8 away from the origin: our fit on ``X + 1e8`` equals our fit on the same data
  shifted back (means differ by the offset; covariances and log-likelihood agree to 1e-6
  relative or better) for every covariance type, and the log-likelihood never falls.
  scikit-learn's diag, tied and spherical estimators, which use E[x^2] - mu^2, lose
  digits there; that drift is printed (run with ``-s``), not asserted.

Sampling against scoring: ``GaussianMixture.sample`` from a known model, refitted,
recovers its weights and means within statistical tolerance, and ``score_samples``
matches the mixture density computed naively with ``scipy.stats.multivariate_normal``
to 1e-10.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from scipy import stats
from threadpoolctl import threadpool_limits

from gmm import (
    COVARIANCE_TYPES,
    EMStepper,
    GaussianMixture,
    MixtureParams,
    SingularCovarianceError,
    initialize,
)

OFFSET = 1e8


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    """Tiny matrices: BLAS threads only add contention on a shared 2-core machine."""
    with threadpool_limits(limits=1):
        yield


def blobs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 6.0]])
    labels = rng.integers(0, 3, size=n)
    return centres[labels] + rng.normal(size=(n, 2)) * [1.0, 0.5]


def hostile(name):
    """(X, K) for a named hostile case."""
    rng = np.random.default_rng(11)
    base = rng.normal(size=(40, 2))
    t = rng.normal(size=40)
    return {
        "duplicates": (
            np.vstack([base[:20], np.repeat(base[:1], 10, 0), np.repeat(base[5:6], 10, 0)]),
            3,
        ),
        "collinear": (np.column_stack([t, 2.0 * t + 1.0]), 2),
        "constant_column": (np.column_stack([t, np.full(40, -3.5)]), 2),
        "outlier": (np.vstack([base, [[1e6, 1e6]]]), 2),
        "k_equals_n": (base[:5], 5),
        "single_point": (np.array([[0.3, 0.7]]), 1),
    }[name]


HOSTILE = ("duplicates", "collinear", "constant_column", "outlier", "k_equals_n", "single_point")


def assert_valid(params: MixtureParams):
    assert np.all(np.isfinite(params.weights)) and np.all(np.isfinite(params.means))
    assert np.all(np.isfinite(params.covariances))
    assert params.weights.sum() == pytest.approx(1.0, abs=1e-12)
    matrices = params.full_covariances
    np.testing.assert_array_equal(matrices, np.swapaxes(matrices, 1, 2))
    assert np.all(np.linalg.eigvalsh(matrices) > 0)


def fit_quietly(model, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X)


# --------------------------------------------------------------- hostile, regularised
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_data_fit_with_regularisation(name, covariance_type):
    X, k = hostile(name)
    stepper = EMStepper.start(X, k, covariance_type, random_state=0, reg_covar=1e-6)
    stepper.run()
    assert stepper.halted is None
    for s in stepper.snapshots:
        assert np.isfinite(s.log_likelihood)
        assert_valid(s.params)
    resp = stepper.responsibilities()
    if resp is not None:
        assert np.all(np.isfinite(resp))
        np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-12)

    model = GaussianMixture(k, covariance_type=covariance_type, random_state=0, reg_covar=1e-6)
    if len(X) == 1:  # as scikit-learn, the facade needs 2 samples; the stepper takes one
        with pytest.raises(ValueError, match="minimum of 2"):
            model.fit(X)
        return
    model = fit_quietly(model, X)
    assert_valid(model.params_)
    assert np.all(np.isfinite(model.score_samples(X)))
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0, atol=1e-12)
    assert model.predict(X).shape == (len(X),)


def test_single_point_with_regularisation_is_a_tiny_gaussian_on_it():
    X, _ = hostile("single_point")
    stepper = EMStepper.start(X, 1, reg_covar=1e-6)
    stepper.run()
    params = stepper.current.params
    np.testing.assert_array_equal(params.weights, [1.0])
    np.testing.assert_allclose(params.means, X, rtol=1e-14)
    np.testing.assert_allclose(params.covariances[0], 1e-6 * np.eye(2), rtol=1e-9, atol=1e-20)
    expected = stats.multivariate_normal(X[0], 1e-6 * np.eye(2)).logpdf(X[0])
    assert stepper.current.mean_log_likelihood == pytest.approx(expected, rel=1e-9)


def test_flat_data_are_reported_for_collinear_and_constant_columns():
    for name in ("collinear", "constant_column"):
        X, k = hostile(name)
        stepper = EMStepper.start(X, k, random_state=0, reg_covar=1e-6)
        assert "flat_data" in [d.kind for d in stepper.snapshots[0].diagnostics], name


def test_k_equals_n_puts_one_collapsed_component_on_each_point():
    X, k = hostile("k_equals_n")
    stepper = EMStepper.start(X, k, "full", random_state=0, reg_covar=1e-6)
    last = stepper.run()
    np.testing.assert_allclose(np.sort(last.params.means, axis=0), np.sort(X, axis=0), atol=1e-9)
    np.testing.assert_allclose(
        last.params.covariances, np.broadcast_to(1e-6 * np.eye(2), (k, 2, 2)), rtol=1e-6, atol=1e-20
    )
    kinds = {d.kind for s in stepper.snapshots for d in s.diagnostics}
    assert {"too_few_points", "collapse"} <= kinds


def test_outlier_does_not_poison_the_fit():
    X, _ = hostile("outlier")
    model = fit_quietly(GaussianMixture(2, random_state=0), X)
    assert_valid(model.params_)
    # one component takes the outlier alone, the other the 40 ordinary points
    labels = model.predict(X)
    assert len(set(labels[:-1])) == 1 and labels[-1] != labels[0]
    np.testing.assert_allclose(model.means_[labels[0]], X[:-1].mean(axis=0), rtol=1e-9)


def test_outlier_far_from_every_component_gets_finite_responsibilities():
    X, _ = hostile("outlier")
    start = MixtureParams([0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], [np.eye(2)] * 2)
    stepper = EMStepper(X, start, reg_covar=1e-6)
    stepper.e_step()
    resp = stepper.responsibilities()
    assert np.all(np.isfinite(resp))
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, atol=1e-12)
    assert np.isfinite(stepper.current.log_likelihood)  # log density ~ -1e12, not -inf
    assert stepper.m_step() is not None


# ----------------------------------------------------------- hostile, no regularisation
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_data_without_regularisation_fit_or_fail_cleanly(name, covariance_type):
    X, k = hostile(name)
    for init in ("kmeans", "k-means++", "random_from_data", "random"):
        try:
            stepper = EMStepper.start(
                X, k, covariance_type, init=init, random_state=0, reg_covar=0.0
            )
        except SingularCovarianceError as error:
            message = str(error)
            assert (
                "reg_covar" in message
                or "re-initialise" in message.lower()
                or "another seed" in message
            ), message
            continue
        stepper.run()
        for s in stepper.snapshots:
            assert not np.isnan(s.log_likelihood) and not np.isnan(s.mean_log_likelihood)
            assert np.all(np.isfinite(s.params.covariances))
        if stepper.halted is not None:
            assert stepper.halted.kind == "singular"
            assert stepper.halted.severity == "error"
            assert "reg_covar" in stepper.halted.message + stepper.halted.advice

    model = GaussianMixture(k, covariance_type=covariance_type, reg_covar=0.0, random_state=0)
    try:
        fit_quietly(model, X)
    except ValueError as error:  # one point: the facade asks for 2, as scikit-learn
        assert "reg_covar" in str(error) or (len(X) == 1 and "minimum of 2" in str(error))
    else:
        assert np.all(np.isfinite(model.covariances_))
        assert not np.any(np.isnan(model.score_samples(X)))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_k_equals_n_without_regularisation_is_refused_by_the_facade(covariance_type):
    X, k = hostile("k_equals_n")
    with pytest.raises(ValueError, match="reg_covar"):
        fit_quietly(
            GaussianMixture(k, covariance_type=covariance_type, reg_covar=0.0, random_state=0), X
        )


@pytest.mark.parametrize("init", ["k-means++", "random_from_data"])
def test_constant_column_without_regularisation_is_refused_with_advice(init):
    X, k = hostile("constant_column")
    with pytest.raises(SingularCovarianceError, match="constant column.*reg_covar"):
        EMStepper.start(X, k, "full", init=init, random_state=0, reg_covar=0.0)


@pytest.mark.parametrize("point", [[0.3, 0.7], [1.0, 2.0]])
def test_single_point_without_regularisation_is_refused(point):
    X = np.array([point])
    with pytest.raises(ValueError, match="reg_covar"):
        EMStepper.start(X, 1, reg_covar=0.0, random_state=0)


@pytest.mark.parametrize("covariance_type", ["tied", "diag"])
def test_constant_column_without_regularisation_is_refused_at_the_start(covariance_type):
    """A constant column has zero variance: with reg_covar=0 no start is valid.

    (Before the rounding-noise check, EM went on with a variance of ~1e-31 and the
    log-likelihood could fall.)
    """
    X, k = hostile("constant_column")
    with pytest.raises(SingularCovarianceError, match="constant column.*reg_covar"):
        EMStepper.start(X, k, covariance_type, random_state=0, reg_covar=0.0)


# -------------------------------------------------------------------------- scales
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("scale", [1e-9, 1e9])
def test_fit_is_scale_equivariant_when_reg_covar_scales_too(scale, covariance_type):
    X = blobs()
    unit = fit_quietly(
        GaussianMixture(3, covariance_type=covariance_type, random_state=0, reg_covar=1e-6), X
    )
    scaled = fit_quietly(
        GaussianMixture(
            3, covariance_type=covariance_type, random_state=0, reg_covar=1e-6 * scale**2
        ),
        X * scale,
    )
    assert scaled.n_iter_ == unit.n_iter_
    np.testing.assert_allclose(scaled.weights_, unit.weights_, rtol=1e-9)
    np.testing.assert_allclose(scaled.means_ / scale, unit.means_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scaled.covariances_ / scale**2, unit.covariances_, rtol=1e-9)
    # log densities shift by -d log(scale) per point
    assert scaled.score(X * scale) == pytest.approx(
        unit.score(X) - 2 * np.log(scale), rel=1e-9, abs=1e-9
    )
    stepper = EMStepper.start(
        X * scale, 3, covariance_type, random_state=0, reg_covar=1e-6 * scale**2
    )
    kinds = [d.kind for d in stepper.snapshots[0].diagnostics]
    assert "heavy_regularisation" not in kinds and "flat_data" not in kinds


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_unscaled_reg_covar_on_tiny_data_is_reported(covariance_type):
    X = blobs() * 1e-9
    stepper = EMStepper.start(X, 3, covariance_type, random_state=0, reg_covar=1e-6)
    found = [d for d in stepper.snapshots[0].diagnostics if d.kind == "heavy_regularisation"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "reg_covar" in found[0].message and found[0].advice
    last = stepper.run()
    assert stepper.halted is None and np.isfinite(last.log_likelihood)
    # the regularisation dominates: every variance is about reg_covar
    assert np.all(np.diagonal(last.params.full_covariances, axis1=1, axis2=2) >= 1e-6)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("scale", [1e-9, 1e9])
def test_extreme_scales_without_regularisation_keep_the_loglik_rising(scale, covariance_type):
    X = blobs(n=200, seed=4) * scale
    stepper = EMStepper.start(
        X, 3, covariance_type, random_state=0, reg_covar=0.0, tol=0.0, init="random_from_data"
    )
    stepper.run(30)
    assert stepper.halted is None
    e_values = [s.log_likelihood for s in stepper.snapshots if s.phase == "E"]
    assert all(b >= a - 1e-10 * abs(a) for a, b in itertools.pairwise(e_values))


# ---------------------------------------------------------------- far from origin
def _twin_fits(X, covariance_type, offset, reg_covar, fit_class=GaussianMixture):
    """Fits of ``X + offset`` and of the same numbers shifted back, from one start."""
    shifted = X + offset
    back = shifted - offset  # exact (Sterbenz): the very data of ``shifted``, moved
    start = initialize(back, 3, covariance_type, "random_from_data", 1)
    settings = dict(
        covariance_type=covariance_type,
        tol=0.0,
        max_iter=30,
        reg_covar=reg_covar,
        weights_init=start.weights,
        precisions_init=start.precisions,
    )
    far = fit_quietly(fit_class(3, means_init=start.means + offset, **settings), shifted)
    near = fit_quietly(fit_class(3, means_init=start.means, **settings), back)
    return far, near, shifted, back


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("reg_covar", [1e-6, 0.0])
def test_fit_far_from_the_origin_equals_fit_shifted_back(covariance_type, reg_covar):
    far, near, shifted, back = _twin_fits(blobs(), covariance_type, OFFSET, reg_covar)
    assert far.n_iter_ == near.n_iter_ == 30
    np.testing.assert_allclose(far.weights_, near.weights_, rtol=1e-6)
    np.testing.assert_allclose(far.means_ - OFFSET, near.means_, rtol=0, atol=1e-6)
    np.testing.assert_allclose(far.covariances_, near.covariances_, rtol=1e-6)
    np.testing.assert_allclose(far.lower_bounds_, near.lower_bounds_, rtol=1e-6)
    assert far.score(shifted) == pytest.approx(near.score(back), rel=1e-6)
    # the log-likelihood never falls, far from the origin as near it
    for model in (far, near):
        bounds = np.asarray(model.lower_bounds_)
        assert np.all(np.diff(bounds) >= -1e-10 * np.abs(bounds[:-1]))
    if reg_covar == 0:
        for s in far.history_:
            assert not any(d.kind == "loglik_decrease" for d in s.diagnostics)

    # scikit-learn, for comparison only: its diag/tied/spherical covariances are
    # E[x^2] - mu^2 forms that cancel catastrophically 1e8 from the origin. Printed,
    # not asserted (at 1e8 it usually refuses to fit; at 1e5 it drifts by ~1e-5).
    from sklearn.mixture import GaussianMixture as SklearnMixture

    for offset in (1e5, OFFSET):
        try:
            s_far, s_near, _, _ = _twin_fits(
                blobs(), covariance_type, offset, max(reg_covar, 1e-6), SklearnMixture
            )
            drift = np.max(np.abs(s_far.covariances_ / s_near.covariances_ - 1))
            fall = np.min(np.diff(s_far.lower_bounds_))
            print(
                f"\nscikit-learn {covariance_type} at offset {offset:g}: covariance "
                f"relative drift {drift:.2e}, largest loglik fall {-min(fall, 0):.2e}"
            )
        except ValueError as error:
            print(
                f"\nscikit-learn {covariance_type} at offset {offset:g} fails: {str(error)[:80]}..."
            )
    ours = np.max(np.abs(far.covariances_ / near.covariances_ - 1))
    print(f"ours {covariance_type} at offset {OFFSET:g}: covariance relative drift {ours:.2e}")


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_stepper_far_from_origin_never_lowers_the_loglik(covariance_type):
    X = blobs(seed=3) + OFFSET
    stepper = EMStepper.start(X, 3, covariance_type, random_state=2, reg_covar=0.0, tol=0.0)
    stepper.run(40)
    assert stepper.halted is None
    ll = stepper.trajectory("log_likelihood")
    e_values = ll[1::2]
    assert np.all(np.diff(e_values) >= -1e-10 * np.abs(e_values[:-1]))
    for s in stepper.snapshots[2::2]:  # the M-steps: bound between old and new loglik
        slack = 1e-10 * abs(s.log_likelihood)
        assert stepper.snapshots[s.index - 1].log_likelihood - slack <= s.lower_bound
        assert s.lower_bound <= s.log_likelihood + slack


# -------------------------------------------------------------- sampling vs scoring
def known_model(covariance_type):
    """A fixed, well separated 3-component mixture in 2-D, as a fitted facade."""
    weights = np.array([0.5, 0.3, 0.2])
    means = np.array([[0.0, 0.0], [8.0, 1.0], [2.0, 9.0]])
    covariances = {
        "full": np.array(
            [[[1.0, 0.4], [0.4, 0.8]], [[0.6, -0.2], [-0.2, 1.5]], [[2.0, 0.0], [0.0, 0.5]]]
        ),
        "tied": np.array([[1.0, 0.3], [0.3, 0.7]]),
        "diag": np.array([[1.0, 0.5], [0.3, 1.2], [2.0, 0.8]]),
        "spherical": np.array([1.0, 0.4, 1.5]),
    }[covariance_type]
    params = MixtureParams(weights, means, covariances, covariance_type)
    # max_iter=0: the facade keeps its initial parameters exactly as given
    model = GaussianMixture(
        3,
        covariance_type=covariance_type,
        max_iter=0,
        weights_init=weights,
        means_init=means,
        precisions_init=params.precisions,
        random_state=123,
    )
    model.fit(means)
    return model, params


def naive_log_density(X, params: MixtureParams):
    density = sum(
        w * stats.multivariate_normal(m, c).pdf(X)
        for w, m, c in zip(params.weights, params.means, params.full_covariances)
    )
    return np.log(density)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_facade_with_max_iter_zero_keeps_the_given_parameters(covariance_type):
    model, params = known_model(covariance_type)
    assert model.n_iter_ == 0
    np.testing.assert_array_equal(model.weights_, params.weights)
    np.testing.assert_array_equal(model.means_, params.means)
    np.testing.assert_allclose(model.covariances_, params.covariances, rtol=1e-12)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_score_samples_matches_the_naive_scipy_density(covariance_type):
    model, params = known_model(covariance_type)
    X = np.random.default_rng(5).uniform(-4, 12, size=(500, 2))
    np.testing.assert_allclose(model.score_samples(X), naive_log_density(X, params), rtol=1e-10)
    assert model.score(X) == pytest.approx(np.mean(naive_log_density(X, params)), rel=1e-10)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_sampling_then_fitting_recovers_the_model(covariance_type):
    model, params = known_model(covariance_type)
    n = 20_000
    X, y = model.sample(n)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert np.all(np.diff(y) >= 0)  # grouped by component
    # the sampled labels follow the weights (multinomial, 5 standard errors)
    counts = np.bincount(y, minlength=3) / n
    se = np.sqrt(params.weights * (1 - params.weights) / n)
    assert np.all(np.abs(counts - params.weights) < 5 * se)
    for k in range(3):
        points = X[y == k]
        se_mean = np.sqrt(np.diag(params.full_covariances[k]) / len(points))
        assert np.all(np.abs(points.mean(axis=0) - params.means[k]) < 5 * se_mean)
    refit = fit_quietly(GaussianMixture(3, covariance_type=covariance_type, random_state=0), X)
    order = [int(np.argmin(np.linalg.norm(refit.means_ - m, axis=1))) for m in params.means]
    assert sorted(order) == [0, 1, 2]
    np.testing.assert_allclose(refit.weights_[order], params.weights, atol=5 * se.max())
    se_means = np.sqrt(
        np.diagonal(params.full_covariances, axis1=1, axis2=2) / (n * params.weights[:, None])
    )
    assert np.all(np.abs(refit.means_[order] - params.means) < 5 * se_means)
    refit_full = refit.params_.full_covariances[order]
    np.testing.assert_allclose(refit_full, params.full_covariances, atol=0.1)


def test_sampling_is_reproducible_from_random_state():
    model, _ = known_model("full")
    a, la = model.sample(50)
    b, lb = model.sample(50)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(la, lb)
