"""Choose K's EM runs in worker processes (``pages/shared/workers.py``).

The pool must give exactly the engine's in-process result, stop when asked with the
runs finished so far, fall back to the server's thread, and leave no process behind.
"""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pandas as pd
import pytest

from gmm.restarts import run_restarts
from gmm.stepper import SharedData
from gmm.sweep import fit_sweep, plan_sweep
from pages.shared import workers

SWEEP = dict(k_values=(1, 2, 3), covariance_types=("full", "diag"), n_restarts=2, tol=1e-6)
RESTARTS = dict(n_components=3, covariance_type="full", methods=("kmeans", "random"))


@pytest.fixture(scope="module")
def X() -> np.ndarray:
    rng = np.random.default_rng(7)
    centres = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]])
    return np.vstack([rng.normal(c, 0.8, size=(150, 2)) for c in centres])


@pytest.fixture(scope="module", autouse=True)
def _pool_for_these_tests():
    """The module's tests share one pool, shut down at the end."""
    assert workers.pool() is not None, "the worker pool could not start"
    yield
    workers.shutdown()


def assert_same_sweep(expected, got) -> None:
    pd.testing.assert_frame_equal(expected.to_frame(), got.to_frame(), check_exact=True)
    for a, b in zip(expected.rows, got.rows, strict=True):
        assert a.seed == b.seed
        assert np.array_equal(a.params.means, b.params.means)
        assert np.array_equal(a.params.covariances, b.params.covariances)
        assert np.array_equal(a.params.weights, b.params.weights)


def test_a_sweep_in_the_pool_equals_the_sweep_in_process(X):
    assert_same_sweep(fit_sweep(X, **SWEEP), workers.fit_sweep(X=X, **SWEEP))


def test_restarts_in_the_pool_equal_restarts_in_process_and_share_the_data(X):
    expected = run_restarts(X, n_restarts=4, **RESTARTS)
    got = workers.run_restarts(X=X, n_restarts=4, **RESTARTS)
    pd.testing.assert_frame_equal(expected.to_frame(), got.to_frame(), check_exact=True)
    for a, b in zip(expected.restarts, got.restarts, strict=True):
        assert np.array_equal(a.curve("half-step"), b.curve("half-step"))
    steppers = [r.stepper for r in got.restarts if r.stepper is not None]
    assert all(s.X is steppers[0].X for s in steppers)  # one copy of the data, not one each
    # A run that came back can be stepped on and its responsibilities recomputed (Explore).
    opened, reference = steppers[0].copy(), expected.restarts[0].stepper.copy()
    opened.go_to(2), reference.go_to(2)
    opened.step(), reference.step()
    assert opened.current.log_likelihood == reference.current.log_likelihood
    assert np.array_equal(opened.responsibilities(-1), reference.responsibilities(-1))


def test_progress_counts_finished_runs_up_to_the_total(X):
    reports = []
    workers.fit_sweep(X=X, **SWEEP, progress=lambda *report: reports.append(report))
    total = 3 * 2 * 2
    assert reports[0] == (0, total, "starting")
    assert [done for done, _, _ in reports] == list(range(total + 1))
    assert all(t == total for _, t, _ in reports)
    assert reports[-1][2].startswith("K = ")


def test_stop_cancels_the_rest_and_keeps_the_runs_done_in_order(X):
    reports = []
    result = workers.fit_sweep(
        X=X,
        **SWEEP,
        progress=lambda *report: reports.append(report),
        should_stop=lambda: len(reports) > 2,  # after two runs have finished
    )
    assert not result.complete
    n_run = sum(row.n_restarts for row in result.rows)
    assert 0 < n_run < 12
    expected = fit_sweep(X, **SWEEP, should_stop=iter([False] * n_run + [True]).__next__)
    assert_same_sweep(expected, result)


def test_without_workers_the_job_runs_in_this_process(X, monkeypatch):
    monkeypatch.setenv("GMM_WORKERS", "0")
    monkeypatch.setattr(workers, "_pool", None)
    assert workers.pool() is None
    assert_same_sweep(fit_sweep(X, **SWEEP), workers.fit_sweep(X=X, **SWEEP))


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux's SCHED_IDLE policy")
def test_workers_only_get_a_core_nobody_else_wants():
    assert workers.priority_wanted() == "idle"
    assert workers.pool().submit(os.sched_getscheduler, 0).result() == os.SCHED_IDLE
    assert os.sched_getscheduler(0) != os.SCHED_IDLE  # the server itself is untouched


def test_one_worker_where_the_server_would_otherwise_lack_a_core(monkeypatch):
    for cores, expected in ((1, 1), (2, 1), (3, 2), (8, 2)):
        monkeypatch.setattr(workers, "usable_cores", lambda cores=cores: cores)
        assert workers.worker_count() == expected
    monkeypatch.setenv("GMM_WORKERS", "2")
    assert workers.workers_wanted() == 2  # asked for explicitly, up to the cores


def test_bad_arguments_raise_the_engines_message(X):
    with pytest.raises(ValueError, match="covariance"):
        workers.fit_sweep(X=X, k_values=(1, 2), covariance_types=("round",))


def test_a_detached_stepper_pickles_without_the_data(X):
    import pickle

    plan = plan_sweep(X, (3,), ("full",), n_restarts=1)
    attempt = plan.run(0, SharedData.of(plan.X))
    size_with_data = len(pickle.dumps(attempt))
    attempt.stepper.detach_data()
    assert attempt.stepper.X is None
    assert len(pickle.dumps(attempt)) < size_with_data - X.nbytes


def test_shutdown_leaves_no_worker_process(X):
    workers.fit_sweep(X=X, **SWEEP)
    assert multiprocessing.active_children()  # the pool's workers
    workers.shutdown()
    assert multiprocessing.active_children() == []
    assert workers.pool() is not None  # the next job starts a new pool
