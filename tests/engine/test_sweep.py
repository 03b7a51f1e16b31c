"""Model selection sweeps, restarts and the grouping of restarts into distinct optima.

* On well separated synthetic blobs the sweep's best model by BIC has the true K.
* Every row's BIC and AIC equal scikit-learn's ``GaussianMixture.bic/aic`` for the same
  parameters: a scikit-learn model is given our fitted weights, means, covariances and
  precision Cholesky factors as its fitted attributes (no refit), so scikit-learn computes
  the log-likelihood and the parameter count itself.
* R's mclust on Old Faithful (``Mclust(faithful)``): EEE (= our "tied") with 3 components
  is the best model, BIC 2 log L - p log n = -2314.316 (log-likelihood -1126.326, df 11),
  and VVV (= "full") K = 2 has -2322.192; the whole published BIC table is below. Our sweep
  agrees when EM is run to convergence. With scikit-learn's default ``tol=1e-3`` (per
  point) EM stops tied K = 3 early on a plateau near log L = -1140 (7 iterations) and full
  K = 2 wins; with ``tol <= 1e-5`` and 3 k-means restarts tied K = 3 reaches -1126.32.
* Grouping: permuted components group together; different optima, different K or types
  do not; the tolerances behave as documented.
* A degenerate setting (duplicated points, ``reg_covar=0``) gives degenerate rows, not an
  exception; ``should_stop`` gives partial results flagged incomplete; bad arguments give
  ``ValueError`` messages that say what to do.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SklearnMixture
from threadpoolctl import threadpool_limits

import gmm
from gmm import COVARIANCE_TYPES, MixtureParams, n_parameters
from gmm.restarts import run_restarts
from gmm.run import RunSettings, derive_seed
from gmm.solutions import group_solutions, match_components, mixture_covariance, solution_distance
from gmm.sweep import fit_sweep

# mclust 5.x, mclustBIC(faithful): rows K = 1..6 of the EEE and VVV columns.
MCLUST_FAITHFUL_EEE = (-2607.623, -2325.220, -2314.316, -2331.223, -2360.659, -2347.352)
MCLUST_FAITHFUL_VVV = (-2607.623, -2322.192, -2349.696, -2351.493, -2379.388, -2387.016)


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    """Tiny matrices: BLAS threads only add contention on a shared 2-core machine."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def faithful():
    return gmm.load_faithful().to_numpy()


@pytest.fixture(scope="module")
def faithful_sweep(faithful):
    """tied and full, K = 1..6, run to convergence (about 4 s on one core)."""
    return fit_sweep(faithful, range(1, 7), ("tied", "full"), n_restarts=3, tol=1e-5, max_iter=1000)


def blobs():
    return gmm.generate("separated", n=600, n_components=3, dim=2, seed=0).X


# ------------------------------------------------------------------------ the sweep
def test_bic_picks_the_true_k_on_separated_blobs():
    result = fit_sweep(blobs(), range(1, 7), COVARIANCE_TYPES, n_restarts=2)
    assert result.complete and result.n_fits == 6 * 4
    best = result.best("bic")
    assert best.n_components == 3
    for covariance_type in COVARIANCE_TYPES:  # and every type alone agrees
        ks, values = result.curve(covariance_type, "bic")
        assert ks[np.nanargmin(values)] == 3
    assert result.best("mclust_bic") is best


def sklearn_holding(params: MixtureParams, X) -> SklearnMixture:
    """A scikit-learn mixture whose fitted attributes are exactly ``params``."""
    model = SklearnMixture(params.n_components, covariance_type=params.covariance_type)
    model.weights_ = np.array(params.weights)
    model.means_ = np.array(params.means)
    model.covariances_ = np.array(params.covariances)
    model.precisions_cholesky_ = np.array(params.precisions_cholesky)
    model.precisions_ = np.array(params.precisions)
    model.converged_, model.n_iter_, model.lower_bound_ = True, 1, 0.0
    model.n_features_in_ = X.shape[1]
    return model


@pytest.mark.parametrize("data", ["blobs", "faithful"])
def test_bic_and_aic_equal_sklearn_for_the_same_parameters(data, faithful):
    X = blobs() if data == "blobs" else faithful
    result = fit_sweep(X, [1, 2, 3], COVARIANCE_TYPES, n_restarts=1)
    assert len(result.rows) == 12
    for row in result.rows:
        theirs = sklearn_holding(row.params, X)
        assert theirs._n_parameters() == row.n_parameters
        assert row.bic == pytest.approx(theirs.bic(X), rel=1e-10)
        assert row.aic == pytest.approx(theirs.aic(X), rel=1e-10)
        assert row.log_likelihood == pytest.approx(theirs.score(X) * len(X), rel=1e-10)
        assert row.mclust_bic == -row.bic


def test_to_frame_has_one_line_per_fit_in_the_documented_columns():
    result = fit_sweep(blobs(), [1, 2], ("full", "spherical"), n_restarts=1)
    frame = result.to_frame()
    assert list(frame.columns) == [
        "K",
        "covariance type",
        "log-likelihood",
        "parameters",
        "BIC",
        "AIC",
        "converged",
        "note",
    ]
    assert frame[["K", "covariance type"]].values.tolist() == [
        [1, "full"],
        [1, "spherical"],
        [2, "full"],
        [2, "spherical"],
    ]
    assert frame["parameters"].tolist() == [
        n_parameters(k, 2, t)
        for k, t in [(1, "full"), (1, "spherical"), (2, "full"), (2, "spherical")]
    ]


def test_seeds_are_reproducible_and_independent_of_the_other_fits():
    X = blobs()
    once = fit_sweep(X, [2, 3], ("diag",), n_restarts=2, init="random_from_data", seed=7)
    again = fit_sweep(X, [3], ("full", "diag"), n_restarts=2, init="random_from_data", seed=7)
    a, b = once.row(3, "diag"), again.row(3, "diag")
    assert a.seed == b.seed and a.params.allclose(b.params)
    assert a.seed == derive_seed(7, 3, COVARIANCE_TYPES.index("diag"), 0) or a.seed == derive_seed(
        7, 3, COVARIANCE_TYPES.index("diag"), 1
    )
    assert 0 <= a.seed < 2**31
    other = fit_sweep(X, [3], ("diag",), n_restarts=2, init="random_from_data", seed=8)
    assert other.row(3, "diag").seed != a.seed


def test_the_kept_run_is_repeated_exactly_by_its_run_settings():
    X = blobs()
    row = fit_sweep(X, [3], ("tied",), n_restarts=3, init="k-means++").row(3, "tied")
    stepper = RunSettings(3, "tied", "k-means++", row.seed, 1e-6, 1e-3, 200).start(X)
    stepper.run()
    assert stepper.current.params.allclose(row.params, rtol=1e-12)
    assert stepper.current.log_likelihood == row.log_likelihood


# ---------------------------------------------------------------------- mclust
def test_tied_is_mclusts_eee_with_eleven_parameters_for_three_components():
    assert n_parameters(3, 2, "tied") == 3 * 2 + 2 + 3 == 11
    assert n_parameters(2, 2, "full") == 11  # VVV, K = 2: 2*2 + 1 + 2*3


def test_old_faithful_agrees_with_mclust(faithful_sweep):
    result = faithful_sweep
    tied3, full2 = result.row(3, "tied"), result.row(2, "full")
    assert tied3.mclust_bic == pytest.approx(-2314.316, abs=0.5)
    assert tied3.log_likelihood == pytest.approx(-1126.326, abs=0.25)
    assert full2.mclust_bic == pytest.approx(-2322.192, abs=0.5)
    best = result.best("bic")
    assert (best.covariance_type, best.n_components) == ("tied", 3)
    # K = 1 and 2 have one optimum that every start finds: the published values.
    for k in (1, 2):
        assert result.row(k, "tied").mclust_bic == pytest.approx(
            MCLUST_FAITHFUL_EEE[k - 1], abs=0.01
        )
        assert result.row(k, "full").mclust_bic == pytest.approx(
            MCLUST_FAITHFUL_VVV[k - 1], abs=0.01
        )
    # mclust's best three are EEE,3 > VVE,2 > VEE,3; among our two families the
    # runner-up is VVV,2, as in its table.
    assert [(r.covariance_type, r.n_components) for r in result.ranked("bic")[:2]] == [
        ("tied", 3),
        ("full", 2),
    ]


# -------------------------------------------------------------------- degenerate
def test_collapse_with_reg_covar_zero_gives_degenerate_rows_not_an_exception():
    X = gmm.generate("collapse", n=200, n_components=2, dim=2, seed=0).X
    result = fit_sweep(X, [1, 2, 3], ("full", "spherical"), n_restarts=2, reg_covar=0.0)
    assert result.complete and len(result.rows) == 6
    for row in result.rows:
        if row.n_components == 1:
            assert not row.degenerate and np.isfinite(row.bic)
        else:
            assert row.degenerate and math.isnan(row.bic) and row.params is None
            assert "No fit" in row.note and "reg_covar" in row.note
    assert result.degenerate_k_values() == (2, 3)
    assert result.best().n_components == 1
    frame = result.to_frame()
    assert frame["BIC"].isna().sum() == 4 and not frame["converged"][frame["K"] > 1].any()


def test_runs_that_collapse_midway_are_reported_as_collapsed():
    X = gmm.generate("collapse", n=200, n_components=2, dim=2, seed=0).X
    result = run_restarts(X, 3, "full", methods=("random_from_data",), n_restarts=6, reg_covar=0.0)
    statuses = {r.status for r in result.restarts}
    assert "collapsed" in statuses, statuses
    collapsed = next(r for r in result.restarts if r.status == "collapsed")
    assert collapsed.stepper.halted is not None and "collapsed" in collapsed.failure
    assert all(collapsed.index not in s.members for s in result.solutions)
    sweep = fit_sweep(X, [3], ("full",), n_restarts=6, init="random_from_data", reg_covar=0.0)
    row = sweep.row(3, "full")
    assert row.n_failed >= 1
    assert row.degenerate or "collapsed or could not start" in row.note


def test_no_usable_fit_at_all_gives_no_best():
    X = np.vstack([np.zeros((5, 2)), np.ones((5, 2))])
    result = fit_sweep(X, [3], ("full",), n_restarts=2, reg_covar=0.0)
    assert result.rows[0].degenerate and result.best() is None and result.ranked() == ()


# ------------------------------------------------------------------- cancelling
def test_should_stop_returns_partial_results_flagged_incomplete():
    X = blobs()
    calls, seen = [], []

    def stop_after_five():
        calls.append(1)
        return len(calls) > 5

    result = fit_sweep(
        X,
        [1, 2, 3],
        ("full", "tied"),
        n_restarts=2,
        progress=lambda *a: seen.append(a),
        should_stop=stop_after_five,
    )
    assert not result.complete
    assert [(r.n_components, r.covariance_type) for r in result.rows] == [
        (1, "full"),
        (1, "tied"),
        (2, "full"),
    ]
    assert result.rows[-1].n_restarts == 1 and "Stopped after 1 of 2" in result.rows[-1].note
    assert seen[0] == (0, 12, "starting") and [s[0] for s in seen] == list(range(6))
    assert all(total == 12 for _, total, _ in seen)

    restarts = run_restarts(
        X, 3, "full", methods=("kmeans", "random"), n_restarts=5, should_stop=lambda: True
    )
    assert not restarts.complete and restarts.restarts == () and restarts.solutions == ()


def test_progress_reaches_the_total_when_not_stopped():
    seen = []
    fit_sweep(blobs(), [1, 2], ("diag",), n_restarts=3, progress=lambda *a: seen.append(a))
    assert seen[-1][:2] == (6, 6) and seen[-1][2] == "K = 2, diag: restart 3 of 3"


# ------------------------------------------------------------------- arguments
@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(k_values=[]), "range of K is empty"),
        (dict(k_values=range(1, 20)), "only 12. Lower the largest K to 12"),
        (dict(k_values=[0, 2]), "whole number"),
        (dict(k_values=[2.5]), "whole number"),
        (dict(covariance_types=["ful"]), "Unknown covariance type 'ful'"),
        (dict(covariance_types=[]), "at least one covariance type"),
        (dict(init="explicit"), "needs chosen means"),
        (dict(init="magic"), "Unknown initialisation"),
        (dict(n_restarts=0), "restarts"),
        (dict(reg_covar=-1.0), "reg_covar"),
        (dict(max_iter=0), "max_iter"),
        (dict(seed=-3), "seed"),
    ],
)
def test_bad_arguments_are_refused_with_actionable_messages(kwargs, words):
    X = blobs()[:12]
    arguments = dict(k_values=[1, 2], covariance_types=["full"]) | kwargs
    with pytest.raises(ValueError, match=words):
        fit_sweep(X, **arguments)


def test_restarts_refuse_k_larger_than_n_and_no_methods():
    X = blobs()[:5]
    with pytest.raises(ValueError, match="only 5. Lower K to 5"):
        run_restarts(X, 6, "full")
    with pytest.raises(ValueError, match="at least one initialisation"):
        run_restarts(X, 2, "full", methods=())
    with pytest.raises(ValueError, match="covariance_type"):
        run_restarts(X, 2, "round")


# --------------------------------------------------------------------- grouping
def fitted(X, k=3, covariance_type="full", seed=0):
    stepper = gmm.EMStepper.start(X, k, covariance_type, random_state=seed)
    stepper.run()
    return stepper.current.params, stepper.current.log_likelihood


def permuted(params: MixtureParams, order) -> MixtureParams:
    order = np.asarray(order)
    covariances = (
        params.covariances if params.covariance_type == "tied" else params.covariances[order]
    )
    return MixtureParams(
        params.weights[order], params.means[order], covariances, params.covariance_type
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_the_same_solution_with_permuted_components_groups_together(covariance_type):
    params, loglik = fitted(blobs(), covariance_type=covariance_type)
    other = permuted(params, [2, 0, 1])
    assert solution_distance(params, other) == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_array_equal(match_components(params, other), [1, 2, 0])
    solutions = group_solutions([params, other, None], [loglik, loglik, math.nan])
    assert len(solutions) == 1 and solutions[0].count == 2
    assert set(solutions[0].members) == {0, 1}


def shifted(params: MixtureParams, component: int, data_sds: float) -> MixtureParams:
    """``params`` with one mean moved by ``data_sds`` data standard deviations along the
    first whitened direction."""
    chol = np.linalg.cholesky(mixture_covariance(params))
    means = np.array(params.means)
    means[component] += data_sds * chol[:, 0]
    return MixtureParams(params.weights, means, params.covariances, params.covariance_type)


def test_tolerance_is_on_the_data_scale_and_separates_different_optima():
    X = blobs()
    params, loglik = fitted(X)
    scaled = MixtureParams(params.weights, 1000 * params.means, 1e6 * params.covariances)
    for base in (params, scaled):  # the same answers whatever the units
        near, far = shifted(base, 1, 0.05), shifted(base, 1, 0.3)
        reference = mixture_covariance(base)
        assert solution_distance(base, near, reference) == pytest.approx(0.05, rel=1e-9)
        assert solution_distance(base, near) == pytest.approx(0.05, rel=0.05)
        groups = group_solutions(
            [base, permuted(near, [1, 2, 0]), far], [loglik, loglik - 0.1, loglik - 0.5], tol=0.1
        )
        assert [g.members for g in groups] == [(0, 1), (2,)]
        assert len(group_solutions([base, near], [loglik, loglik], tol=0.01)) == 2
    # identical parameters but log-likelihoods further apart than loglik_tol: separate
    assert len(group_solutions([params, params], [loglik, loglik - 2.0], loglik_tol=1.0)) == 2
    assert len(group_solutions([params, params], [loglik, loglik - 2.0], loglik_tol=3.0)) == 1


def test_different_k_or_type_are_never_the_same_solution():
    X = blobs()
    full3, ll = fitted(X, 3, "full")
    diag3, _ = fitted(X, 3, "diag")
    full2, _ = fitted(X, 2, "full")
    assert solution_distance(full3, full2) == math.inf
    assert solution_distance(full3, diag3) == math.inf
    assert len(group_solutions([full3, diag3, full2], [ll, ll, ll], tol=10.0)) == 3


def test_solutions_are_best_first_with_the_best_member_as_representative():
    params, loglik = fitted(blobs())
    lists = [shifted(params, 0, 0.02), params, shifted(params, 0, 2.0)]
    solutions = group_solutions(lists, [loglik - 0.3, loglik, loglik - 50])
    assert [s.members for s in solutions] == [(1, 0), (2,)]
    assert solutions[0].params is params and solutions[0].log_likelihood == loglik
    assert solutions[0].representative == 1
    with pytest.raises(ValueError, match="same length"):
        group_solutions([params], [])


def test_faithful_restarts_find_distinct_optima(faithful):
    """tied K = 3 from random data points: the mclust optimum (log L -1126.32), and runs
    that stall far below it."""
    result = run_restarts(
        faithful,
        3,
        "tied",
        methods=("kmeans", "random_from_data"),
        n_restarts=6,
        tol=1e-5,
        max_iter=1000,
    )
    assert len(result.restarts) == 12 and result.complete
    best = result.solutions[0]
    assert best.log_likelihood == pytest.approx(-1126.316, abs=0.05)
    assert best.count >= 6 and len(result.solutions) >= 2
    members = [i for s in result.solutions for i in s.members]
    assert sorted(members) == [r.index for r in result.restarts if r.ok]


# --------------------------------------------------------------------- restarts
def test_restarts_keep_full_histories_that_open_as_independent_copies():
    X = blobs()
    result = run_restarts(
        X, 3, "diag", methods=("kmeans", "random"), n_restarts=3, seed=5, max_iter=50
    )
    assert [r.method for r in result.restarts] == ["kmeans", "random"] * 3
    assert [r.index for r in result.restarts] == list(range(6))
    restart = result.restarts[3]
    curve = restart.curve("iteration")
    assert len(curve) == restart.n_iter + 1
    assert len(restart.curve("half-step")) == len(restart.stepper.snapshots)
    assert np.all(np.diff(curve) >= -1e-9 * np.abs(curve[:-1]).max())
    opened = result.stepper(3)
    n = len(restart.stepper.snapshots)
    assert len(opened.snapshots) == n and opened.snapshots[-1] is restart.stepper.current
    opened.go_to(1)
    opened.step()
    assert len(restart.stepper.snapshots) == n, "the stored history is untouched"
    # the settings repeat the run exactly, as the Explore page will
    settings = result.run_settings(3)
    assert (settings.init, settings.seed, settings.n_components) == ("random", restart.seed, 3)
    again = settings.start(X)
    again.run()
    assert again.current.params.allclose(restart.params, rtol=1e-12)
    frame = result.to_frame()
    assert frame["restart"].tolist() == [1, 2, 3, 4, 5, 6]
    assert set(frame["status"]) <= {"converged", "saddle point", "max_iter reached"}


def test_copy_stepper_copies_the_history_list_only():
    stepper = gmm.EMStepper.start(blobs(), 2, random_state=0)
    stepper.step()
    clone = stepper.copy()
    clone.step()
    assert len(stepper.snapshots) == 3 and len(clone.snapshots) == 5
    assert clone.X is stepper.X
