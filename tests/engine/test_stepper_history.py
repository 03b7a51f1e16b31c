"""The stepping API of :class:`gmm.EMStepper`: half-steps and their history.

These tests check, on small seeded data sets:

* the phase order ``init, E, M, E, M, ...`` and what each half-step does to the
  parameters (an E-step keeps them, an M-step replaces them);
* ``responsibilities(index)``: None at the initialisation, the E-step's own at an E-step,
  and the previous E-step's at an M-step;
* misuse (an M-step without an E-step, two E-steps in a row) raises ``RuntimeError``;
* the history: ``go_to`` truncates it, stepping on from there reproduces an uninterrupted
  run bit for bit, ``back`` undoes one half-step;
* snapshots hold no array whose size grows with the number of points n.

Running to convergence and the diagnostics are in ``test_stepper_convergence.py``; the
start in ``test_stepper_start.py``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from stepper_helpers import (
    same_params,
    three_blobs,
)

from gmm import COVARIANCE_TYPES, EMStepper, e_step

pytestmark = pytest.mark.usefixtures("single_blas_thread")


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
