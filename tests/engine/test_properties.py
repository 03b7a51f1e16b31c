"""Property-based tests of the EM engine (hypothesis).

Random data sets (n = 5..60 points in d = 1..4 dimensions, K = 1..4 components, every
covariance type, random seeds, values scaled by 10**uniform(-3, 3) and shifted away from
the origin) must satisfy, at every half-step:

* each row of the responsibilities sums to 1 (to 1e-12), the weights sum to 1;
* full and tied covariances are symmetric and positive definite, diag and spherical
  variances positive; everything finite;
* with ``reg_covar=0`` the log-likelihood never decreases over a full iteration (up to a
  relative 1e-10 of its size). Such a run may halt on a singular covariance, which is
  allowed: checking stops there, and nothing may be NaN;
* the same seed gives bitwise the same start and the same run, for every
  initialisation method.

The same checks run on hand-made hostile data sets as explicit cases: duplicated points,
collinear points, a constant column, scales of 1e-9 and 1e9, one huge outlier, and
K = n.

Without regularisation the engine must halt at a covariance that is singular to working
precision (:func:`numerically_singular`) even when rounding leaves it a tiny positive
pivot; two tests at the end check it never records one. Hypothesis
runs derandomized (fixed examples, no database) so the file is deterministic.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from gmm import COVARIANCE_TYPES, EMStepper, SingularCovarianceError, e_step, initialize
from gmm.checks import INIT_METHODS

RANDOM_INIT_METHODS = tuple(m for m in INIT_METHODS if m != "explicit")
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
N_ITER = 25


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    """Tiny matrices: BLAS threads only add contention on a shared 2-core machine."""
    with threadpool_limits(limits=1):
        yield


# ----------------------------------------------------------------------------- data
@st.composite
def data_sets(draw):
    """(X, K, covariance_type, seed, scale): a seeded random data set."""
    n = draw(st.integers(5, 60))
    d = draw(st.integers(1, 4))
    k = draw(st.integers(1, 4))
    covariance_type = draw(st.sampled_from(COVARIANCE_TYPES))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = 10.0 ** draw(st.floats(-3, 3))
    shift = draw(st.floats(-1e3, 1e3))
    clustered = draw(st.booleans())
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if clustered:
        X += 5.0 * rng.normal(size=(k, d))[rng.integers(0, k, size=n)]
    X = (X + shift) * scale
    return X, k, covariance_type, seed, scale


def hostile_data_sets():
    """Named hostile data sets with the K to fit them with."""
    rng = np.random.default_rng(2024)
    base = rng.normal(size=(30, 2))
    t = rng.normal(size=30)
    return {
        "duplicates": (
            np.vstack([base[:15], np.repeat(base[:1], 8, 0), np.repeat(base[3:4], 7, 0)]),
            3,
        ),
        "collinear": (np.column_stack([t, 2.0 * t - 1.0]), 2),
        "collinear_3d": (np.column_stack([t, 3.0 * t, -t + 0.5]), 2),
        "constant_column": (np.column_stack([t, np.full(30, 7.5)]), 2),
        "scale_1e-9": (base * 1e-9, 3),
        "scale_1e9": (base * 1e9, 3),
        "huge_outlier": (np.vstack([base, [[1e6, -1e6]]]), 3),
        "k_equals_n": (base[:6], 6),
    }


HOSTILE = hostile_data_sets()


def numerically_singular(params, X) -> bool:
    """Whether a covariance is singular to working precision, judged against the data.

    True when some eigenvalue of a component's covariance is below 1e-12 of the data's
    variance along that eigenvector (or of the data's mean variance where the data have
    no spread). Rounding alone leaves eigenvalues near 1e-16 of the scale, so such a
    covariance is a collapse that only rounding kept positive: with ``reg_covar=0`` EM
    should halt there as ``singular``, and its log-likelihood measures rounding noise.
    The engine does not always halt (see the xfail tests below), so the property
    checks stop at such a state as they do at a halt.
    """
    centred = X - X.mean(axis=0)
    data_cov = centred.T @ centred / len(X)
    scale = np.trace(data_cov) / X.shape[1]
    eigenvalues, vectors = np.linalg.eigh(params.full_covariances)
    along = np.einsum("kdi,de,kei->ki", vectors, data_cov, vectors)
    floor = np.where(along > 1e-12 * scale, along, scale)
    return bool(np.any(eigenvalues <= 1e-12 * floor)) or scale == 0


def relative_reg(X, reg_covar):
    """``reg_covar`` scaled by the data's variance, as a user standardising would."""
    return reg_covar * max(float(np.mean(np.var(X, axis=0))), np.finfo(float).tiny)


# ------------------------------------------------------------------------ invariants
def check_params(params):
    assert np.all(np.isfinite(params.weights))
    assert np.all(np.isfinite(params.means))
    assert np.all(np.isfinite(params.covariances))
    assert params.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(params.weights >= 0)
    covariances = params.covariances
    if params.covariance_type in ("full", "tied"):
        matrices = covariances if covariances.ndim == 3 else covariances[None]
        np.testing.assert_array_equal(matrices, np.swapaxes(matrices, 1, 2))
        assert np.all(np.linalg.eigvalsh(matrices) > 0)
    else:
        assert np.all(covariances > 0)


def check_invariants(X, k, covariance_type, seed, reg_covar, init="kmeans", half_steps=2 * N_ITER):
    """Run a few iterations and check responsibilities, weights and covariances."""
    try:
        stepper = EMStepper.start(
            X, k, covariance_type, init=init, random_state=seed, reg_covar=reg_covar, tol=0.0
        )
    except SingularCovarianceError:
        assert reg_covar == 0  # only a zero regularisation may give a singular start
        return None
    for _ in range(half_steps):
        stepper.e_step() if stepper.next_phase == "E" else stepper.m_step()
        if stepper.halted is not None:
            assert reg_covar == 0, stepper.halted.message  # only reg_covar=0 may halt
            assert stepper.halted.kind == "singular"
            break
        snapshot = stepper.current
        if reg_covar == 0 and numerically_singular(snapshot.params, X):
            break  # where the engine should have halted (see numerically_singular)
        check_params(snapshot.params)
        assert not np.isnan(snapshot.log_likelihood)
        resp = stepper.responsibilities()
        assert resp.shape == (len(X), k)
        assert np.all(np.isfinite(resp)) and np.all(resp >= 0)
        np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    return stepper


def check_monotone(X, k, covariance_type, seed, init="kmeans"):
    """With reg_covar=0 the log-likelihood of successive E-steps never falls."""
    try:
        stepper = EMStepper.start(
            X, k, covariance_type, init=init, random_state=seed, reg_covar=0.0, tol=0.0
        )
    except SingularCovarianceError:
        return None  # a singular start is refused with an explanation; nothing to run
    previous = stepper.current.log_likelihood
    assert not np.isnan(previous)
    if numerically_singular(stepper.current.params, X):
        return stepper
    for _ in range(N_ITER):
        snapshot = stepper.step()
        if snapshot is None:
            assert stepper.halted.kind == "singular"
            assert stepper.halted.severity == "error"
            break
        if numerically_singular(snapshot.params, X):
            break  # where the engine should have halted (see numerically_singular)
        assert not np.isnan(snapshot.log_likelihood)
        assert not np.isnan(snapshot.lower_bound)
        current = snapshot.log_likelihood
        assert current >= previous - 1e-10 * abs(previous), (previous, current)
        assert not any(d.kind == "loglik_decrease" for d in snapshot.diagnostics)
        previous = current
    for s in stepper.snapshots:
        assert not np.isnan(s.log_likelihood)
    return stepper


def check_same_seed_same_result(X, k, covariance_type, seed, method, reg_covar):
    try:
        first = initialize(X, k, covariance_type, method, seed, reg_covar)
    except SingularCovarianceError:
        with pytest.raises(SingularCovarianceError):
            initialize(X, k, covariance_type, method, seed, reg_covar)
        return
    second = initialize(X, k, covariance_type, method, np.random.default_rng(seed), reg_covar)
    for name in ("weights", "means", "covariances", "precisions_cholesky"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    runs = []
    for _ in range(2):
        stepper = EMStepper.start(
            X, k, covariance_type, init=method, random_state=seed, reg_covar=reg_covar, tol=0.0
        )
        stepper.run(5)
        runs.append(stepper)
    a, b = runs
    assert [s.label for s in a.snapshots] == [s.label for s in b.snapshots]
    for sa, sb in zip(a.snapshots, b.snapshots):
        np.testing.assert_array_equal(sa.params.means, sb.params.means)
        np.testing.assert_array_equal(sa.params.covariances, sb.params.covariances)
        np.testing.assert_array_equal(sa.params.weights, sb.params.weights)
        assert sa.log_likelihood == sb.log_likelihood or (
            np.isnan(sa.log_likelihood) and np.isnan(sb.log_likelihood)
        )


# -------------------------------------------------------------------- random data
@SETTINGS
@given(data_sets(), st.sampled_from(RANDOM_INIT_METHODS))
def test_invariants_hold_at_every_half_step_with_regularisation(case, init):
    X, k, covariance_type, seed, _ = case
    check_invariants(X, k, covariance_type, seed, relative_reg(X, 1e-6), init)


@SETTINGS
@given(data_sets())
def test_invariants_hold_until_a_halt_without_regularisation(case):
    X, k, covariance_type, seed, _ = case
    check_invariants(X, k, covariance_type, seed, 0.0, "random")


@SETTINGS
@given(data_sets(), st.sampled_from(RANDOM_INIT_METHODS))
def test_loglik_never_decreases_without_regularisation(case, init):
    X, k, covariance_type, seed, _ = case
    check_monotone(X, k, covariance_type, seed, init)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data_sets(), st.sampled_from(RANDOM_INIT_METHODS))
def test_same_seed_gives_bitwise_the_same_run(case, method):
    X, k, covariance_type, seed, _ = case
    check_same_seed_same_result(X, k, covariance_type, seed % 1000, method, relative_reg(X, 1e-6))


@SETTINGS
@given(data_sets())
def test_e_step_of_any_valid_params_normalises(case):
    X, k, covariance_type, seed, _scale = case
    params = initialize(X, k, covariance_type, "random", seed, relative_reg(X, 1e-6))
    result = e_step(X, params)
    np.testing.assert_allclose(result.responsibilities.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all(np.isfinite(result.log_density))
    # the log-likelihood is the sum of per-point log densities, its mean is score
    assert result.log_likelihood == pytest.approx(float(np.sum(result.log_density)))
    assert result.mean_log_likelihood == pytest.approx(result.log_likelihood / len(X))


# --------------------------------------------------------------------- hostile data
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("reg_covar", [1e-6, 0.0])
def test_invariants_hold_on_hostile_data(name, covariance_type, reg_covar):
    X, k = HOSTILE[name]
    for init in RANDOM_INIT_METHODS:
        check_invariants(X, k, covariance_type, 0, relative_reg(X, reg_covar), init, half_steps=16)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("name", sorted(set(HOSTILE) - {"constant_column"}))
def test_loglik_never_decreases_on_hostile_data(name, covariance_type):
    X, k = HOSTILE[name]
    for init in RANDOM_INIT_METHODS:
        for seed in range(2):
            check_monotone(X, k, covariance_type, seed, init)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_same_seed_gives_bitwise_the_same_run_on_hostile_data(name, covariance_type):
    X, k = HOSTILE[name]
    for method in RANDOM_INIT_METHODS:
        check_same_seed_same_result(X, k, covariance_type, 3, method, relative_reg(X, 1e-6))


# ------------------------------------------ singular covariances halt, never slip through
def test_rank_deficient_tied_covariance_halts_without_regularisation():
    # 5 points, 2 means: the tied scatter has rank 5 - 2 = 3 < d = 4
    X = np.random.default_rng(1).normal(size=(5, 4))
    stepper = EMStepper.start(X, 2, "tied", init="random", random_state=1, reg_covar=0.0, tol=0.0)
    stepper.run(10)
    for snapshot in stepper.snapshots:
        assert np.all(np.linalg.eigvalsh(snapshot.params.covariances) > 0)
        assert not numerically_singular(snapshot.params, X)


def test_engine_never_records_a_numerically_singular_covariance_on_hostile_data():
    for name, (X, k) in sorted(HOSTILE.items()):
        for covariance_type in COVARIANCE_TYPES:
            for init in RANDOM_INIT_METHODS:
                try:
                    stepper = EMStepper.start(
                        X, k, covariance_type, init=init, random_state=0, reg_covar=0.0, tol=0.0
                    )
                except SingularCovarianceError:
                    continue
                stepper.run(N_ITER)
                for snapshot in stepper.snapshots:
                    assert not numerically_singular(snapshot.params, X), (
                        name,
                        covariance_type,
                        init,
                        snapshot.label,
                    )
