"""Running :class:`gmm.EMStepper` to the end: convergence, the bound, diagnostics.

These tests check, on small seeded data sets:

* ``run`` stops with a ``converged`` or a ``not_converged`` diagnostic (``ran_to_max_iter``
  when ``tol = 0`` turns the convergence test off; see ``test_status.py``); it reports
  ``progress`` after each iteration, and ``should_stop`` ends it between iterations
  with the history kept and a ``stopped`` diagnostic;
* EM's lower bound (ELBO) equals the log-likelihood after every E-step, lies below the
  new log-likelihood after every M-step and above the previous E-step's value;
* a component collapsing with ``reg_covar=0`` halts the stepper cleanly (``singular``
  error, history kept, no NaN) and ``go_to`` clears the halt;
* the ``empty``, ``too_few_points``, ``collapse`` and ``flat_data`` diagnostics appear
  when they should, in plain text naming the component 1-based.
"""

from __future__ import annotations

import numpy as np
import pytest
from stepper_helpers import (
    assert_plain_text,
    blob_plus_duplicates_at_origin,
    collapsing_start,
    three_blobs,
)

from gmm import COVARIANCE_TYPES, EMStepper, MixtureParams, e_step, lower_bound

pytestmark = pytest.mark.usefixtures("single_blas_thread")


# -------------------------------------------------------------------------------- run
def test_run_stops_at_convergence_with_a_converged_diagnostic(stepper):
    last = stepper.run()
    assert last is stepper.current
    assert last.phase == "M" and last.converged and stepper.converged
    kinds = [d.kind for d in last.diagnostics]
    assert "converged" in kinds and "not_converged" not in kinds
    diagnostic = next(d for d in last.diagnostics if d.kind == "converged")
    assert diagnostic.severity == "info"
    assert_plain_text(diagnostic.message)
    assert stepper.iterations_done < stepper.max_iter
    # exactly one snapshot announces convergence, and it is the last one
    announcing = [
        s.index for s in stepper.snapshots if any(d.kind == "converged" for d in s.diagnostics)
    ]
    assert announcing == [last.index]
    assert not any(s.converged for s in stepper.snapshots[:-1])


def test_run_is_a_no_op_once_converged(stepper):
    stepper.run()
    n = len(stepper.snapshots)
    stepper.run()
    assert len(stepper.snapshots) == n


def test_run_with_max_iter_gives_a_not_converged_diagnostic(X):
    stepper = EMStepper.start(X, 3, "full", random_state=0, tol=1e-12)
    last = stepper.run(3)
    assert stepper.iterations_done == 3 and not stepper.converged
    assert len(stepper.snapshots) == 7
    kinds = [d.kind for d in last.diagnostics]
    assert kinds.count("not_converged") == 1
    diagnostic = next(d for d in last.diagnostics if d.kind == "not_converged")
    assert diagnostic.severity == "warning"
    assert_plain_text(diagnostic.message)
    assert_plain_text(diagnostic.advice)
    stepper.run(3)  # asking again adds neither snapshots nor a second diagnostic
    assert len(stepper.snapshots) == 7
    assert [d.kind for d in stepper.current.diagnostics].count("not_converged") == 1


def test_run_uses_the_stepper_max_iter_by_default(X):
    stepper = EMStepper.start(X, 3, "diag", random_state=0, tol=0.0, max_iter=4)
    stepper.run()
    assert stepper.iterations_done == 4
    assert any(d.kind == "ran_to_max_iter" for d in stepper.current.diagnostics)


def test_run_reports_progress_before_and_after_every_iteration(X):
    stepper = EMStepper.start(X, 3, "full", random_state=0, tol=0.0, max_iter=5)
    reports = []
    stepper.run(progress=lambda done, total, label: reports.append((done, total, label)))
    assert [(done, total) for done, total, _ in reports] == [(i, 5) for i in range(6)]
    assert reports[-1][2] == f"log-likelihood {stepper.current.log_likelihood:,.3f}"


def test_stopping_keeps_the_history_computed_so_far_and_says_so(X):
    straight = EMStepper.start(X, 3, "full", random_state=0, tol=0.0, max_iter=10)
    straight.run()
    stepper = EMStepper.start(X, 3, "full", random_state=0, tol=0.0, max_iter=10)
    asked = []

    def should_stop():
        asked.append(stepper.iterations_done)
        return stepper.iterations_done >= 4

    last = stepper.run(should_stop=should_stop)
    assert asked == [0, 1, 2, 3, 4], "asked between iterations, before each one"
    assert stepper.iterations_done == 4 and last is stepper.current
    assert last.phase == "M" and len(stepper.snapshots) == 9, "ends on a completed half-step"
    for kept, reference in zip(stepper.snapshots, straight.snapshots):
        assert kept.log_likelihood == reference.log_likelihood
    assert stepper.stopped and not stepper.converged and stepper.halted is None
    (note,) = [d for d in last.diagnostics if d.kind == "stopped"]
    assert note.severity == "info" and "4 of max_iter = 10" in note.message
    assert_plain_text(note.message)
    assert_plain_text(note.advice)
    assert not any(d.kind == "not_converged" for d in last.diagnostics)


def test_a_stopped_run_goes_on_to_the_same_result_as_an_uninterrupted_one(X):
    straight = EMStepper.start(X, 3, "tied", random_state=1, tol=0.0, max_iter=8)
    straight.run()
    stepper = EMStepper.start(X, 3, "tied", random_state=1, tol=0.0, max_iter=8)
    stepper.run(should_stop=lambda: stepper.iterations_done == 3)
    stepper.run()
    assert not stepper.stopped
    assert np.array_equal(
        stepper.trajectory("log_likelihood"), straight.trajectory("log_likelihood")
    )


def test_stopping_after_an_e_step_finishes_that_iteration_first(X):
    stepper = EMStepper.start(X, 3, "full", random_state=0, tol=0.0)
    stepper.e_step()
    stepper.run(should_stop=lambda: stepper.current.phase == "M")
    assert stepper.iterations_done == 1 and stepper.current.phase == "M" and stepper.stopped


def test_a_run_on_a_copy_leaves_the_original_as_it_was(X):
    stepper = EMStepper.start(X, 3, "full", random_state=0, tol=0.0, max_iter=6)
    stepper.step()
    before = stepper.snapshots
    clone = stepper.copy()
    clone.run(should_stop=lambda: clone.iterations_done == 4)
    assert stepper.snapshots == before and not stepper.stopped
    assert clone.snapshots[: len(before)] == before and clone.iterations_done == 4


# ---------------------------------------------------------------------- lower bound
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_lower_bound_equals_loglik_after_e_and_sits_between_after_m(X, covariance_type):
    stepper = EMStepper.start(
        X, 3, covariance_type, random_state=2, reg_covar=0.0, tol=0.0, init="random"
    )
    stepper.run(15)
    assert stepper.halted is None
    snapshots = stepper.snapshots
    assert np.isnan(snapshots[0].lower_bound)
    for s in snapshots[1:]:
        slack = 1e-10 * abs(s.log_likelihood)
        if s.phase == "E":
            assert s.lower_bound == s.log_likelihood
            # ... and so does the bound computed from scratch with q = its own gamma
            result = e_step(X, s.params)
            recomputed = lower_bound(result.responsibilities, result.weighted_log_density)
            assert recomputed == pytest.approx(s.log_likelihood, rel=1e-12)
        else:
            previous_e = snapshots[s.index - 1]
            assert s.lower_bound <= s.log_likelihood + slack
            assert s.lower_bound >= previous_e.log_likelihood - slack
            # the M snapshot's bound uses the E-step's responsibilities with new params
            result = e_step(X, s.params)
            recomputed = lower_bound(stepper.responsibilities(s.index), result.weighted_log_density)
            assert recomputed == pytest.approx(s.lower_bound, rel=1e-12)


def test_mean_log_likelihood_is_total_over_n(stepper):
    stepper.run(3)
    n = stepper.n_samples
    for s in stepper.snapshots:
        assert s.mean_log_likelihood == pytest.approx(s.log_likelihood / n, rel=1e-14)
    np.testing.assert_array_equal(
        stepper.trajectory("log_likelihood"), [s.log_likelihood for s in stepper.snapshots]
    )


# ----------------------------------------------------------------------- collapse
@pytest.mark.parametrize("covariance_type", ["full", "diag", "spherical"])
def test_collapse_with_zero_reg_covar_halts_cleanly(covariance_type):
    X = blob_plus_duplicates_at_origin()
    stepper = EMStepper(X, collapsing_start(covariance_type), reg_covar=0.0)
    assert stepper.e_step() is not None
    history = stepper.snapshots
    assert stepper.m_step() is None  # the component on the copies has covariance 0
    halted = stepper.halted
    assert halted is not None and not stepper.can_step
    assert halted.kind == "singular" and halted.severity == "error"
    assert halted.components == (1,)
    assert "Component 2" in halted.message
    assert_plain_text(halted.message)
    assert_plain_text(halted.advice)
    assert stepper.snapshots == history  # nothing recorded by the failed M-step
    # further steps are refused without changing anything
    assert stepper.m_step() is None
    assert stepper.e_step() is None
    assert stepper.step() is None
    assert stepper.run() is history[-1]
    assert stepper.snapshots == history and stepper.halted is halted
    for s in stepper.snapshots:
        assert np.isfinite(s.log_likelihood)
        assert np.all(np.isfinite(s.params.covariances))
    assert np.all(np.isfinite(stepper.responsibilities()))


def test_go_to_clears_the_halt_and_stepping_halts_again():
    X = blob_plus_duplicates_at_origin()
    stepper = EMStepper(X, collapsing_start("full"), reg_covar=0.0)
    stepper.run()
    assert stepper.halted is not None and len(stepper.snapshots) == 2
    stepper.go_to(0)
    assert stepper.halted is None and stepper.can_step
    assert len(stepper.snapshots) == 1
    assert stepper.step() is None  # the same data and start collapse the same way
    assert stepper.halted.kind == "singular"
    stepper.back()
    assert stepper.halted is None


def test_collapse_with_reg_covar_does_not_halt_but_warns():
    X = blob_plus_duplicates_at_origin()
    stepper = EMStepper(X, collapsing_start("full"), reg_covar=1e-6)
    snapshot = stepper.step()
    assert snapshot is not None and stepper.halted is None
    np.testing.assert_allclose(snapshot.params.covariances[1], 1e-6 * np.eye(2), rtol=1e-9)
    kinds = {d.kind: d for d in snapshot.diagnostics}
    assert "collapse" in kinds and kinds["collapse"].components == (1,)
    assert "point" in kinds["collapse"].message


# ---------------------------------------------------------------------- diagnostics
def _check_component_diagnostic(diagnostic, component):
    assert diagnostic.severity == "warning"
    assert tuple(diagnostic.components) == (component,)
    assert_plain_text(diagnostic.message)
    assert_plain_text(diagnostic.advice)
    assert f"Component {component + 1}" in diagnostic.message
    assert str(diagnostic) == f"{diagnostic.message} {diagnostic.advice}"


def test_empty_component_is_reported():
    X = three_blobs(n=60, seed=5)
    start = MixtureParams([0.5, 0.5], [X.mean(axis=0), [-1e3, -1e3]], [np.eye(2)] * 2)
    stepper = EMStepper(X, start)
    snapshot = stepper.step()
    assert snapshot.params.weights[1] * len(X) < 0.01
    found = [d for d in snapshot.diagnostics if d.kind == "empty"]
    assert len(found) == 1
    _check_component_diagnostic(found[0], 1)
    assert "emptied" in found[0].message
    # an emptied component is not also reported as collapsed
    assert not any(d.kind == "collapse" and 1 in d.components for d in snapshot.diagnostics)


def test_too_few_points_and_collapse_onto_a_line_are_reported():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(50.0, 1.0, size=(50, 2)), [[0.0, 0.0], [1.0, 1.0]]])
    start = MixtureParams([0.5, 0.5], [[50.0, 50.0], [0.5, 0.5]], [np.eye(2)] * 2)
    snapshot = EMStepper(X, start).step()
    kinds = {d.kind: d for d in snapshot.diagnostics}
    assert {"too_few_points", "collapse"} <= set(kinds)
    _check_component_diagnostic(kinds["too_few_points"], 1)
    _check_component_diagnostic(kinds["collapse"], 1)
    assert "d + 1 = 3" in kinds["too_few_points"].message
    assert "a line" in kinds["collapse"].message  # two points span a line in 2-D


def test_healthy_fit_has_no_component_warnings(stepper):
    stepper.run()
    bad = {
        "empty",
        "too_few_points",
        "collapse",
        "singular",
        "loglik_decrease",
        "lost_points",
        "flat_data",
    }
    for s in stepper.snapshots:
        assert not bad & {d.kind for d in s.diagnostics}, s.label


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_constant_column_gives_flat_data_with_positive_reg_covar(covariance_type):
    X = three_blobs(n=80, seed=2)
    X[:, 1] = 4.25
    stepper = EMStepper.start(X, 2, covariance_type, random_state=0, reg_covar=1e-6)
    found = [d for d in stepper.snapshots[0].diagnostics if d.kind == "flat_data"]
    assert len(found) == 1
    assert found[0].severity == "warning"
    assert_plain_text(found[0].message)
    assert_plain_text(found[0].advice)
    stepper.run()
    assert stepper.halted is None
    assert all(np.isfinite(s.log_likelihood) for s in stepper.snapshots)


def test_exactly_proportional_columns_give_flat_data():
    t = np.random.default_rng(1).normal(size=50)
    X = np.column_stack([t, 2.0 * t])
    stepper = EMStepper.start(X, 2, random_state=0)
    assert "flat_data" in [d.kind for d in stepper.snapshots[0].diagnostics]


def test_no_flat_data_for_spread_data(stepper):
    assert "flat_data" not in [d.kind for d in stepper.snapshots[0].diagnostics]
