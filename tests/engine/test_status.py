"""An honest status: what :mod:`gmm.status` and the diagnostics say about a run.

Each case of issue 11's "honest status", on the data where it was seen:

* ``tol = 0`` turns the convergence test off, as in scikit-learn (``|change| < tol``):
  the run goes to ``max_iter`` even when the change is exactly 0, and says so (a
  ``ran_to_max_iter`` info whose advice is about tol, not max_iter);
* a change at rounding level (relative to the log-likelihood's size) reads "≈ 0" and
  is not flagged as a fall; the same change is a real one on a small log-likelihood;
* a real fall (``reg_covar`` pulling a covariance off the maximum) is still flagged,
  down to 1e-9;
* Old Faithful, K = 2, random responsibilities, seed 0: a symmetric start that EM
  leaves after 2 iterations with two identical components is named a saddle point, and
  following its advice (another initialisation, a smaller tol) gets past it;
* the settings' notices use the labels the user sees, not the engine's names.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from gmm import EMStepper, GaussianMixture, MixtureParams, load_faithful
from gmm import diagnostics as dx
from gmm.init import INIT_METHOD_LABELS
from gmm.params import COVARIANCE_LABELS
from gmm.run import RunSettings
from gmm.status import VERDICTS, describe


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def faithful() -> np.ndarray:
    return load_faithful().to_numpy(float)


def kinds(snapshot) -> list[str]:
    return [d.kind for d in snapshot.diagnostics]


def one(snapshot, kind):
    (found,) = [d for d in snapshot.diagnostics if d.kind == kind]
    return found


# ----------------------------------------------------------------------------- tol = 0
def test_tol_zero_runs_to_max_iter_and_says_so(faithful):
    stepper = RunSettings(n_components=2, tol=0.0, max_iter=30).start(faithful)
    assert describe(stepper, 0).verdict == "running to max_iter (tol = 0)"
    stepper.run()
    assert stepper.iterations_done == 30 and not stepper.converged
    last = stepper.current
    assert "not_converged" not in kinds(last)
    note = one(last, "ran_to_max_iter")
    assert note.severity == "info"
    assert "tol = 0" in note.message and "no convergence test" in note.message
    assert "tol above 0" in note.advice and "max_iter" not in note.advice
    status = describe(stepper)
    assert status.verdict_kind == "tol_zero_done"
    assert status.verdict == "ran to max_iter (tol = 0)"
    assert "not converged" not in status.markdown()
    # every half-step before the end is "running", none "not converged"
    for index in range(len(stepper.snapshots) - 1):
        assert describe(stepper, index).verdict == "running to max_iter (tol = 0)"


def test_tol_zero_with_an_exact_zero_change_still_runs_to_max_iter_like_scikit_learn(
    faithful,
):
    """K = 1: from iteration 3 on the E-steps measure exactly the same value (change 0),
    which ``0 < 0`` does not pass, in scikit-learn as here."""
    from sklearn.mixture import GaussianMixture as SklearnMixture

    stepper = EMStepper.start(faithful, 1, tol=0.0, max_iter=6)
    stepper.run()
    e_values = [s.mean_log_likelihood for s in stepper.snapshots if s.phase == "E"]
    assert e_values[-1] - e_values[-2] == 0.0
    assert stepper.iterations_done == 6 and not stepper.converged
    assert "≈ 0 (rounding)" in one(stepper.current, "ran_to_max_iter").message
    theirs = SklearnMixture(1, tol=0.0, max_iter=6).fit(faithful)
    with pytest.warns(Warning, match="tol = 0"):
        ours = GaussianMixture(1, tol=0.0, max_iter=6).fit(faithful)
    assert ours.converged_ is theirs.converged_ is False
    assert ours.n_iter_ == theirs.n_iter_ == 6


def test_a_positive_tol_converges_on_the_same_run(faithful):
    stepper = EMStepper.start(faithful, 1, tol=1e-12, max_iter=6)
    stepper.run()
    assert stepper.converged and stepper.iterations_done < 6
    assert describe(stepper).verdict == "converged ✓"
    assert "≈ 0 (rounding)" in one(stepper.current, "converged").message


def test_max_iter_reached_with_a_positive_tol_is_not_converged(faithful):
    stepper = RunSettings(n_components=3, tol=1e-12, max_iter=3).start(faithful)
    stepper.run()
    status = describe(stepper)
    assert status.verdict == "not converged: max_iter reached"
    note = one(stepper.current, "not_converged")
    assert "Increase max_iter" in note.advice
    assert describe(stepper, len(stepper.snapshots) - 2).verdict == "not converged yet"


def test_not_converged_on_a_rounding_change_advises_raising_tol_not_max_iter():
    note = dx.not_converged(100, 3e-16, 1e-300, -4.15)
    assert "rounding" in note.message
    assert note.advice.startswith("Raise tol above") and "cannot help" in note.advice
    real = dx.not_converged(100, 3e-4, 1e-6, -4.15)
    assert "Increase max_iter" in real.advice and "last change 0.0003 per point" in real.message


# ------------------------------------------------------------------------ rounding
def test_rounding_level_is_relative_to_the_log_likelihood():
    eps = np.finfo(float).eps
    assert dx.rounding_level(-1000.0, 272) == dx.ROUNDING_ULPS * eps * 1272
    change = -5e-11  # seen in the app on a large data set
    assert dx.is_rounding(change, -150_722.8, 30_000)
    assert not dx.is_rounding(change, -3.0, 10)
    assert dx.loglik_decrease(-150_722.8, -150_722.8 + change, 0.0, 30_000) is None
    assert dx.loglik_decrease(-3.0, -3.0 + change, 0.0, 10) is not None


def test_a_rounding_level_fall_reads_as_zero_and_is_not_flagged(faithful):
    """Old Faithful, K = 2, reg_covar = 0: near convergence an M-step 'lowers' the
    log-likelihood by ~4.5e-13, the last bits of -1130.26 (which half-step depends on
    the engine's order of operations: 34 with the old E-step, 28 with the blocked one)."""
    stepper = RunSettings(n_components=2, reg_covar=0.0, tol=0.0, max_iter=20).start(faithful)
    stepper.run()
    changes = np.diff(stepper.trajectory("log_likelihood"))
    index = int(np.flatnonzero(changes < 0)[0]) + 1
    shown = stepper.snapshots[index]
    change = shown.log_likelihood - stepper.snapshots[index - 1].log_likelihood
    assert shown.phase == "M" and -1e-12 < change < 0
    assert "loglik_decrease" not in kinds(shown)
    status = describe(stepper, index)
    assert status.change_kind == "rounding" and status.change == change
    assert status.change_text == "Δ ≈ 0, rounding only"
    assert "−" not in status.markdown() and "-4.5" not in status.markdown()
    assert "(Δ ≈ 0, rounding only)" in status.text()


def test_a_real_fall_is_still_flagged_and_shown(faithful):
    """One component started at the maximum: reg_covar = 1e-6 adds to its covariance,
    so the M-step lowers the log-likelihood by about 1e-9, 50 times rounding."""
    start = MixtureParams([1.0], [faithful.mean(axis=0)], [np.cov(faithful.T, bias=True)])
    stepper = EMStepper(faithful, start, reg_covar=1e-6, tol=0.0)
    stepper.step()
    fall = stepper.snapshots[1].log_likelihood - stepper.current.log_likelihood
    assert 1e-10 < fall < 1e-8
    assert fall > 10 * dx.rounding_level(stepper.current.log_likelihood, len(faithful))
    warning = one(stepper.current, "loglik_decrease")
    assert "reg_covar = 1e-06" in warning.message and "Lower reg_covar" in warning.advice
    status = describe(stepper)
    assert status.change_kind == "fall"
    assert re.fullmatch(r"Δ −1\.\d+e-09, a fall", status.change_text), status.change_text


def test_a_fall_without_regularisation_asks_for_a_report():
    found = dx.loglik_decrease(-100.0, -101.0, 0.0, 50)
    assert "bug" in found.message and "report" in found.advice
    assert "0.02" in found.message  # per point


def test_a_rise_shows_its_size(faithful):
    stepper = RunSettings(n_components=2).start(faithful)
    stepper.step()
    status = describe(stepper)
    assert status.change_kind == "rise" and status.change > 1
    assert status.change_text == f"Δ +{status.change:,.4g}"
    stepper.e_step()
    assert describe(stepper).change_text.startswith("unchanged: an E-step")


# -------------------------------------------------------------------- saddle point
def test_random_responsibilities_seed_0_on_old_faithful_stops_at_a_saddle_point(faithful):
    settings = RunSettings(n_components=2, init="random", seed=0)
    stepper = settings.start(faithful)
    start = one(stepper.snapshots[0], "saddle_point")
    assert start.message.startswith("A symmetric start: components 1 and 2 start as the same")
    assert start.components == (0, 1)
    stepper.run()
    last = stepper.current
    assert stepper.iterations_done == 2 and stepper.converged  # scikit-learn's test passed
    stop = one(last, "saddle_point")
    assert "converged" not in kinds(last)
    assert stop.severity == "warning" and stop.components == (0, 1)
    assert stop.message.startswith("A saddle point, not a maximum: components 1 and 2 are")
    assert "overlap 99.9" in stop.message
    assert "another seed" in stop.advice and "k-means" in stop.advice
    assert "lower tol" in stop.advice
    status = describe(stepper)
    assert status.verdict == "stopped at a saddle point"
    assert "converged ✓" not in status.markdown()


@pytest.mark.parametrize(
    "change",
    [{"init": "kmeans"}, {"init": "k-means++"}, {"tol": 1e-6}],
    ids=["k-means", "k-means++ seeds", "smaller tol"],
)
def test_the_saddle_point_advice_gets_past_it(faithful, change):
    settings = RunSettings(n_components=2, init="random", seed=0)
    stepper = RunSettings(**{**settings.__dict__, **change}).start(faithful)
    stepper.run()
    assert stepper.converged and "saddle_point" not in kinds(stepper.current)
    assert dx.identical_components(stepper.current.params) == []
    assert describe(stepper).verdict == "converged ✓"
    assert stepper.current.log_likelihood > -1140  # the two-cluster optimum, not -1289.8


def test_identical_components_groups_and_ignores_distinct_ones():
    same = np.eye(2)
    params = MixtureParams(
        [0.25, 0.25, 0.25, 0.25],
        [[0.0, 0.0], [10.0, 0.0], [0.001, 0.0], [10.0, 0.002]],
        [same, same, same, same],
    )
    assert dx.identical_components(params) == [(0, 2), (1, 3)]
    overlaps = dx.bhattacharyya_overlaps(params)
    np.testing.assert_allclose(np.diag(overlaps), 1.0)
    assert overlaps[0, 1] < 1e-5
    found = dx.saddle_point(params)
    assert "components 1 and 3 are the same Gaussian, and so are components 2 and 4" in (
        found.message
    )
    # same means, different spreads: overlapping but distinct components
    wide = MixtureParams([0.5, 0.5], [[0.0, 0.0], [0.0, 0.0]], [same, 4 * same])
    assert dx.identical_components(wide) == [] and dx.saddle_point(wide) is None


def test_the_overlap_does_not_depend_on_units():
    rng = np.random.default_rng(0)
    means = rng.normal(size=(3, 2))
    covariances = np.array([np.eye(2), [[2.0, 0.5], [0.5, 1.0]], [[1.0, -0.3], [-0.3, 0.5]]])
    scale = np.array([[1e3, 0.0], [2.0, 1e-2]])
    a = MixtureParams([0.2, 0.3, 0.5], means, covariances)
    b = MixtureParams(
        [0.2, 0.3, 0.5],
        means @ scale.T + 7.0,
        np.einsum("ij,kjl,ml->kim", scale, covariances, scale),
    )
    np.testing.assert_allclose(dx.bhattacharyya_overlaps(a), dx.bhattacharyya_overlaps(b))


def test_max_iter_at_a_saddle_point_says_so(faithful):
    stepper = RunSettings(n_components=2, init="random", seed=0, tol=0.0, max_iter=1).start(
        faithful
    )
    stepper.run()
    stop = one(stepper.current, "saddle_point")
    assert stop.message.startswith("Still at a saddle point after max_iter")
    assert "raise max_iter" in stop.advice and "lower tol" not in stop.advice
    assert "ran_to_max_iter" in kinds(stepper.current)


# ---------------------------------------------------------------- other advice
def test_singular_advice_names_the_fix_for_its_reg_covar():
    without = dx.singular((1,), 0.0)
    assert without.advice.startswith("Set reg_covar above 0")
    assert "collapses again" in without.advice  # going back alone does not help
    assert dx.singular((1,), 1e-6).advice.startswith("Increase reg_covar")


# ------------------------------------------------------------------------- notices
def test_changes_from_uses_the_labels_on_screen():
    before = RunSettings()
    after = RunSettings(
        n_components=3, covariance_type="diag", init="random_from_data", tol=0.0, reg_covar=1e-4
    )
    text = after.changes_from(before)
    assert text == (
        f"K 2 → 3, covariance {COVARIANCE_LABELS['full']} → {COVARIANCE_LABELS['diag']}, "
        f"initialisation {INIT_METHOD_LABELS['kmeans']} → "
        f"{INIT_METHOD_LABELS['random_from_data']}, reg_covar 1e-06 → 0.0001, tol 0.001 → 0"
    )
    assert "random_from_data" not in text and "kmeans" not in text


# -------------------------------------------------------------------------- Status
def test_status_fields_and_texts(faithful):
    stepper = RunSettings(n_components=2).start(faithful)
    status = describe(stepper)
    assert (status.index, status.last_index, status.iteration, status.phase) == (0, 0, 0, "init")
    assert status.phase_text == "initialisation" and status.change_text == ""
    assert np.isnan(status.change) and status.change_kind == "none"
    assert status.verdict == "not converged yet"
    assert status.heading == "Iteration 0 · initialisation"
    stepper.e_step()
    status = describe(stepper, -1)
    assert status.heading == "Iteration 1 · after the E-step"
    assert status.markdown() == (
        f"**Iteration 1**, after the E-step · log-likelihood **{status.log_likelihood:,.3f}** "
        "(unchanged: an E-step only recomputes the responsibilities) · not converged yet · "
        "half-step 1 of 1"
    )
    assert status.text() == status.markdown().replace("**", "")
    assert set(VERDICTS) >= {status.verdict_kind}


def test_a_halted_run_says_it_stopped():
    X = np.vstack([np.random.default_rng(3).normal(50.0, 1.0, size=(50, 2)), np.zeros((3, 2))])
    start = MixtureParams([0.5, 0.5], [[50.0, 50.0], [0.0, 0.0]], [np.eye(2), 1e-4 * np.eye(2)])
    stepper = EMStepper(X, start, reg_covar=0.0)
    assert stepper.step() is None and stepper.halted is not None
    assert describe(stepper).verdict == "stopped: a covariance collapsed"


def test_a_run_stopped_by_the_user_says_so_there_and_only_there(faithful):
    stepper = RunSettings(n_components=2, tol=0.0, max_iter=30).start(faithful)
    stepper.run(should_stop=lambda: stepper.iterations_done == 4)
    status = describe(stepper)
    assert status.verdict_kind == "stopped" and status.verdict in status.markdown()
    assert describe(stepper, -2).verdict_kind == "tol_zero_running"
    stepper.step()
    assert describe(stepper).verdict_kind == "tol_zero_running", "going on from the stop"


def test_a_run_of_many_that_stops_at_a_saddle_point_says_so(faithful):
    """Restarts and the Choose K table read Attempt.status: not 'converged' at a saddle."""
    from gmm.run import fit_once

    attempt = fit_once(faithful, RunSettings(n_components=2, init="random", seed=0))
    assert attempt.status == "saddle point"
    assert fit_once(faithful, RunSettings(n_components=2, init="kmeans")).status == "converged"
