"""The stepping API of :class:`gmm.EMStepper`.

These tests check, on small seeded data sets:

* the phase order ``init, E, M, E, M, ...`` and what each half-step does to the
  parameters (an E-step keeps them, an M-step replaces them);
* ``responsibilities(index)``: None at the initialisation, the E-step's own at an E-step,
  and the previous E-step's at an M-step;
* misuse (an M-step without an E-step, two E-steps in a row) raises ``RuntimeError``;
* the history: ``go_to`` truncates it, stepping on from there reproduces an uninterrupted
  run bit for bit, ``back`` undoes one half-step;
* ``run`` stops with a ``converged`` or a ``not_converged`` diagnostic (``ran_to_max_iter``
  when ``tol = 0`` turns the convergence test off; see ``test_status.py``); it reports
  ``progress`` after each iteration, and ``should_stop`` ends it between iterations
  with the history kept and a ``stopped`` diagnostic;
* EM's lower bound (ELBO) equals the log-likelihood after every E-step, lies below the
  new log-likelihood after every M-step and above the previous E-step's value;
* snapshots hold no array whose size grows with the number of points n;
* a component collapsing with ``reg_covar=0`` halts the stepper cleanly (``singular``
  error, history kept, no NaN) and ``go_to`` clears the halt;
* the ``empty``, ``too_few_points``, ``collapse`` and ``flat_data`` diagnostics appear
  when they should, in plain text naming the component 1-based;
* initialisation: explicit means start with uniform weights and the data covariance;
  every random method is reproducible from its seed and changes with it; K > n and NaN
  in the data are refused with a ``ValueError``.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from gmm import COVARIANCE_TYPES, EMStepper, MixtureParams, e_step, lower_bound
from gmm.checks import INIT_METHODS

RANDOM_INIT_METHODS = tuple(m for m in INIT_METHODS if m != "explicit")


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    """Tiny matrices: BLAS threads only add contention on a shared 2-core machine."""
    with threadpool_limits(limits=1):
        yield


def three_blobs(n=150, seed=0, n_features=2):
    """Three well separated Gaussian blobs (labels drawn at random)."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [6.0, 1.0, -2.0], [1.0, 7.0, 3.0]])[:, :n_features]
    labels = rng.integers(0, 3, size=n)
    return centres[labels] + rng.normal(scale=[1.0, 0.7, 1.2][:n_features], size=(n, n_features))


def blob_plus_duplicates_at_origin():
    """A blob around (50, 50) plus three copies of the origin, and a start that gives the
    copies a component of their own: with reg_covar=0 its covariance becomes exactly 0."""
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(50.0, 1.0, size=(50, 2)), np.zeros((3, 2))])
    return X


def collapsing_start(covariance_type):
    covariances = {
        "full": [np.eye(2), 1e-4 * np.eye(2)],
        "diag": [[1.0, 1.0], [1e-4, 1e-4]],
        "spherical": [1.0, 1e-4],
    }[covariance_type]
    return MixtureParams([0.5, 0.5], [[50.0, 50.0], [0.0, 0.0]], covariances, covariance_type)


def assert_plain_text(text):
    assert isinstance(text, str) and text.strip()
    assert text.isprintable()
    assert not re.search(r"[<>`\\]|\*\*|\bnan\b", text), text


def same_params(a: MixtureParams, b: MixtureParams) -> bool:
    """Bitwise equality of two parameter sets."""
    return (
        a.covariance_type == b.covariance_type
        and np.array_equal(a.weights, b.weights)
        and np.array_equal(a.means, b.means)
        and np.array_equal(a.covariances, b.covariances)
    )


@pytest.fixture
def X():
    return three_blobs()


@pytest.fixture
def stepper(X):
    return EMStepper.start(X, 3, "full", random_state=0, init="random_from_data")


# --------------------------------------------------------------------------- phases
def test_phases_alternate_init_e_m(stepper):
    for _ in range(3):
        stepper.step()
    assert [s.phase for s in stepper.snapshots] == ["init", "E", "M", "E", "M", "E", "M"]
    assert [s.iteration for s in stepper.snapshots] == [0, 1, 1, 2, 2, 3, 3]
    assert [s.index for s in stepper.snapshots] == list(range(7))
    assert [s.label for s in stepper.snapshots] == ["init", "1E", "1M", "2E", "2M", "3E", "3M"]


def test_next_phase_and_iterations_done_follow_half_steps(stepper):
    assert stepper.next_phase == "E" and stepper.iterations_done == 0
    stepper.e_step()
    assert stepper.next_phase == "M" and stepper.iterations_done == 0
    stepper.m_step()
    assert stepper.next_phase == "E" and stepper.iterations_done == 1


def test_e_step_keeps_params_and_m_step_changes_them(stepper):
    before = stepper.current.params
    e = stepper.e_step()
    assert e.params is before
    m = stepper.m_step()
    assert not same_params(m.params, before)
    assert not np.allclose(m.params.means, before.means)


def test_step_finishes_a_pending_m_step_only(stepper):
    stepper.e_step()
    snapshot = stepper.step()
    assert snapshot.phase == "M" and len(stepper.snapshots) == 3


# -------------------------------------------------------------------- responsibilities
def test_responsibilities_are_none_at_init(stepper):
    assert stepper.responsibilities(0) is None
    assert stepper.responsibilities() is None


def test_responsibilities_at_e_step_are_those_of_its_params(X, stepper):
    stepper.run(3)
    for snapshot in stepper.snapshots:
        if snapshot.phase == "E":
            expected = e_step(X, snapshot.params).responsibilities
            np.testing.assert_array_equal(stepper.responsibilities(snapshot.index), expected)


def test_responsibilities_at_m_step_are_those_of_the_e_step_before(X, stepper):
    stepper.run(3)
    for snapshot in stepper.snapshots:
        if snapshot.phase == "M":
            before = stepper.snapshots[snapshot.index - 1]
            assert before.phase == "E"
            expected = e_step(X, before.params).responsibilities
            np.testing.assert_array_equal(stepper.responsibilities(snapshot.index), expected)
            assert not np.allclose(expected, e_step(X, snapshot.params).responsibilities)


def test_responsibilities_default_and_negative_index_mean_latest(stepper):
    stepper.run(2)
    np.testing.assert_array_equal(stepper.responsibilities(), stepper.responsibilities(-1))
    np.testing.assert_array_equal(
        stepper.responsibilities(-1), stepper.responsibilities(len(stepper.snapshots) - 1)
    )


def test_responsibility_rows_sum_to_one(stepper):
    stepper.run(4)
    for index in range(1, len(stepper.snapshots)):
        np.testing.assert_allclose(
            stepper.responsibilities(index).sum(axis=1), 1.0, rtol=0, atol=1e-12
        )


# ----------------------------------------------------------------------------- misuse
def test_m_step_before_e_step_raises(stepper):
    with pytest.raises(RuntimeError, match="E-step"):
        stepper.m_step()
    stepper.step()
    with pytest.raises(RuntimeError, match="E-step"):
        stepper.m_step()
    assert len(stepper.snapshots) == 3


def test_two_e_steps_in_a_row_raise(stepper):
    stepper.e_step()
    with pytest.raises(RuntimeError, match="M-step"):
        stepper.e_step()
    assert len(stepper.snapshots) == 2


# ---------------------------------------------------------------------------- history
def test_go_to_truncates_the_history(stepper):
    stepper.run(4)
    assert len(stepper.snapshots) == 9
    target = stepper.snapshots[3]
    returned = stepper.go_to(3)
    assert returned is target
    assert stepper.current is target
    assert len(stepper.snapshots) == 4


def test_go_to_accepts_negative_indices(stepper):
    stepper.run(3)
    stepper.go_to(-3)
    assert len(stepper.snapshots) == 5


@pytest.mark.parametrize("index", [0, 1, 2, 3, 6])
def test_resuming_after_go_to_reproduces_an_uninterrupted_run(X, index):
    def fresh():
        return EMStepper.start(X, 3, "full", random_state=4, tol=0.0, init="kmeans")

    straight = fresh()
    straight.run(8)
    interrupted = fresh()
    interrupted.run(5)
    interrupted.go_to(index)
    interrupted.run(8)
    assert len(interrupted.snapshots) == len(straight.snapshots)
    for a, b in zip(interrupted.snapshots, straight.snapshots):
        assert (a.phase, a.iteration, a.index) == (b.phase, b.iteration, b.index)
        assert same_params(a.params, b.params)
        assert a.log_likelihood == b.log_likelihood
        assert a.lower_bound == b.lower_bound or (
            np.isnan(a.lower_bound) and np.isnan(b.lower_bound)
        )
    np.testing.assert_array_equal(interrupted.responsibilities(), straight.responsibilities())


def test_back_undoes_one_half_step(stepper):
    stepper.step()
    m = stepper.current
    stepper.back()
    assert stepper.current.phase == "E" and len(stepper.snapshots) == 2
    again = stepper.m_step()
    assert same_params(again.params, m.params)
    stepper.back()
    stepper.back()
    assert stepper.current.phase == "init"
    stepper.back()  # a no-op at the initialisation
    assert len(stepper.snapshots) == 1


def test_snapshots_property_is_a_read_only_copy(stepper):
    stepper.step()
    history = stepper.snapshots
    assert isinstance(history, tuple)
    stepper.step()
    assert len(history) == 3 and len(stepper.snapshots) == 5


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


# ---------------------------------------------------------------- snapshot footprint
def _arrays(obj, path="snapshot", seen=None):
    """Every ndarray reachable from ``obj`` through attributes, containers and caches."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        yield path, obj
        return
    if isinstance(obj, (str, bytes, int, float, bool, type(None), np.generic)):
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _arrays(value, f"{path}[{key!r}]", seen)
        return
    if isinstance(obj, (list, tuple, set, frozenset)):
        for i, value in enumerate(obj):
            yield from _arrays(value, f"{path}[{i}]", seen)
        return
    if hasattr(obj, "__dict__"):
        for name, value in vars(obj).items():
            yield from _arrays(value, f"{path}.{name}", seen)
    if hasattr(obj, "__slots__"):
        for name in obj.__slots__:
            if hasattr(obj, name):
                yield from _arrays(getattr(obj, name), f"{path}.{name}", seen)


def _footprint(n, covariance_type):
    X = three_blobs(n=n, seed=1)
    stepper = EMStepper.start(
        X, 3, covariance_type, random_state=0, tol=0.0, init="random_from_data"
    )
    stepper.run(4)
    footprint = []
    for snapshot in stepper.snapshots:
        params = snapshot.params
        # fill the cached properties so that they are counted too
        _ = params.full_covariances, params.precisions, params.log_det_precision_cholesky
        footprint.append(sorted((path, a.size, a.nbytes) for path, a in _arrays(snapshot)))
    return footprint


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_snapshots_hold_no_arrays_growing_with_n(covariance_type):
    small, large = _footprint(100, covariance_type), _footprint(10_000, covariance_type)
    assert len(small) == len(large) == 9
    assert small == large
    largest = max(size for snapshot in large for _, size, _ in snapshot)
    assert largest <= 3 * 2 * 2  # K d^2: nothing of size n = 10_000
    assert any(path.endswith(".params.means") for path, _, _ in large[0])


def test_snapshot_fields_are_the_documented_ones():
    names = {f.name for f in dataclasses.fields(EMStepper.start(three_blobs(), 2).current)}
    assert names == {
        "index",
        "iteration",
        "phase",
        "params",
        "log_likelihood",
        "mean_log_likelihood",
        "lower_bound",
        "converged",
        "diagnostics",
    }


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
