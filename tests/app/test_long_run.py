"""Run to convergence as a background job on the Explore page, driven by AppTest.

The run computes on a copy of the stepper on screen; a run that ends within
``jobs.FOREGROUND_SECONDS`` is shown in the click itself, a longer one goes on in a thread
with progress and Stop. The tests set that budget instead of relying on timing: 0 sends
every run to the background, a large value keeps a short one in the click. They rerun the
app until the job has ended, as the progress fragment's timer does in a browser.
"""

from __future__ import annotations

import time

import pytest
from apptest_helpers import button, click, generate, run, status_line
from streamlit.testing.v1 import AppTest
from threadpoolctl import threadpool_limits

STEP_BUTTONS = ("Next: E-step", "Step (E+M)", "Run to convergence")


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def background(monkeypatch):
    """Every Run to convergence goes to the background at once."""
    monkeypatch.setattr("pages.shared.jobs.FOREGROUND_SECONDS", 0.0)


@pytest.fixture
def at(at):
    yield at
    for job in at.session_state["jobs"].values():  # never leave a thread computing
        job.stop()
        job.wait(10)


def wait_for_jobs(at: AppTest, timeout: float = 60.0) -> AppTest:
    deadline = time.monotonic() + timeout
    while at.session_state["jobs"]:
        assert time.monotonic() < deadline, "the background run did not end"
        time.sleep(0.1)
        run(at)
    return at


def long_run_settings(at: AppTest, n=20_000, max_iter=60) -> AppTest:
    """10 components on 20,000 points, tol = 0: every iteration up to max_iter is done."""
    generate(at, n=n, k=3)
    at.slider(key="k").set_value(10)
    at.select_slider(key="tol").set_value(0.0)
    at.number_input(key="max_iter").set_value(max_iter)
    return run(at)


def status(at: AppTest) -> str:
    return status_line(at)


def progress_text(at: AppTest) -> str:
    return " ".join(p.proto.text for p in at.get("progress"))


def test_a_short_run_ends_inside_the_click(at, monkeypatch):
    monkeypatch.setattr("pages.shared.jobs.FOREGROUND_SECONDS", 60.0)
    click(at, "Run to convergence")
    stepper = at.session_state.stepper
    assert not at.session_state.jobs and not at.get("progress")
    assert stepper.converged and at.session_state.view == len(stepper.snapshots) - 1


def test_a_long_run_shows_progress_then_ends_on_its_last_snapshot(at, background):
    long_run_settings(at)
    on_screen = at.session_state.stepper
    history = on_screen.snapshots
    click(at, "Run to convergence")
    assert at.session_state.jobs, "the run goes on in the background"
    assert "Run to convergence:" in progress_text(at) and "of 60 iterations done" in (
        progress_text(at)
    )
    assert all(button(at, label).disabled for label in STEP_BUTTONS)
    assert not button(at, "Stop").disabled
    assert at.session_state.stepper is on_screen and on_screen.snapshots == history, (
        "the stepper on screen is not touched while the job runs"
    )
    wait_for_jobs(at)
    stepper = at.session_state.stepper
    assert stepper is not on_screen and stepper.snapshots[: len(history)] == history
    assert stepper.iterations_done == 60 and not stepper.stopped
    assert at.session_state.view == len(stepper.snapshots) - 1 == 120
    assert "ran_to_max_iter" in [d.kind for d in stepper.current.diagnostics]
    assert "ran to max_iter (tol = 0)" in status(at)
    assert not at.get("progress") and not any(b.label == "Stop" for b in at.button)
    assert not button(at, "Step (E+M)").disabled


def test_stop_keeps_the_history_computed_so_far(at, background):
    long_run_settings(at, max_iter=10_000)
    click(at, "Run to convergence")
    click(at, "Stop")
    wait_for_jobs(at)
    stepper = at.session_state.stepper
    assert stepper.stopped and not stepper.converged
    assert 0 < stepper.iterations_done < 10_000 and stepper.current.phase == "M"
    assert at.session_state.view == len(stepper.snapshots) - 1
    assert any("Run stopped after" in i.value for i in at.info)
    assert "stopped by you before converging" in status(at)
    assert not button(at, "Run to convergence").disabled, "Run goes on from where it stopped"
    done = stepper.iterations_done
    click(at, "Step (E+M)")
    assert at.session_state.stepper.iterations_done == done + 1


def test_a_run_replaced_while_computing_is_dropped(at, background):
    long_run_settings(at, max_iter=10_000)
    click(at, "Run to convergence")
    job = at.session_state.jobs["run"]
    at.slider(key="k").set_value(9)  # new settings: a new run at its initialisation
    run(at)
    assert not at.session_state.jobs and job.stopping
    assert job.wait(30), "the dropped job stops computing"
    run(at)
    stepper = at.session_state.stepper
    assert stepper.current.params.n_components == 9 and len(stepper.snapshots) == 1
    assert not button(at, "Run to convergence").disabled
