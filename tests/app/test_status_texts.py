"""What the Explore page says about a run: the status line and the notices (AppTest).

The page prints :func:`gmm.status.describe` and the engine's diagnostics; these tests
drive the sidebar into each case of issue 11's "honest status" and read the texts back:
``tol = 0``, a change at rounding level, the saddle point of random responsibilities on
Old Faithful, and settings named as the widgets name them.
"""

from __future__ import annotations

import numpy as np
from apptest_helpers import click, run, show_half_step, status_line
from streamlit.testing.v1 import AppTest


def status(at: AppTest) -> str:
    """The status line (Markdown), e.g. "**Iteration 3**, after the M-step · ..."."""
    return status_line(at)


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


def test_tol_zero_runs_to_max_iter_and_the_page_says_so(at):
    at.select_slider(key="tol").set_value(0.0)
    run(at)
    assert "Settings changed (tol 0.001 → 0)." in texts(at.info)
    assert "running to max_iter (tol = 0)" in status(at)
    click(at, "Run to convergence")
    stepper = at.session_state.stepper
    assert stepper.iterations_done == stepper.max_iter == 100
    line = status(at)
    assert "ran to max_iter (tol = 0)" in line and "not converged" not in line
    assert "as tol = 0 asks" in texts(at.info)
    assert "set tol above 0" in texts(at.info)
    assert "Increase max_iter" not in texts(at.warning) + texts(at.info)


def test_a_rounding_level_change_reads_as_zero_not_as_a_fall(at):
    """Old Faithful, K = 2, k-means++ seeds, reg_covar = 0: near convergence an M-step
    changes the log-likelihood by ~-4.5e-13, rounding of -1130.26 (which half-step
    depends on the engine's order of operations)."""
    at.select_slider(key="reg_covar").set_value(0.0)
    run(at)
    at.select_slider(key="tol").set_value(0.0)
    run(at)
    at.number_input(key="max_iter").set_value(40)
    run(at)
    click(at, "Run to convergence")
    stepper = at.session_state.stepper
    changes = np.diff(stepper.trajectory("log_likelihood"))
    index = int(np.flatnonzero(changes < 0)[0]) + 1
    assert stepper.snapshots[index].phase == "M" and -1e-12 < changes[index - 1] < 0
    show_half_step(at, index)
    line = status(at)
    assert f"**Iteration {index // 2}**, after the M-step" in line
    assert "(Δ ≈ 0, rounding only)" in line
    assert "−" not in line and "e-13" not in line
    assert "fell" not in texts(at.warning)


def test_random_responsibilities_on_old_faithful_stop_at_a_named_saddle_point(at):
    at.selectbox(key="init").set_value("random")
    run(at)
    assert at.session_state.settings.seed == 0
    assert "(initialisation k-means++ seeds → random responsibilities)" in texts(at.info)
    assert "A symmetric start: components 1 and 2 start as the same Gaussian" in texts(at.warning)
    click(at, "Run to convergence")
    assert at.session_state.stepper.iterations_done == 2
    line = status(at)
    assert "stopped at a saddle point" in line and "converged ✓" not in line
    warnings = texts(at.warning)
    assert "A saddle point, not a maximum: components 1 and 2 are the same Gaussian" in warnings
    assert "**What to do:** Start again from another seed" in warnings
    assert "EM converged" not in texts(at.info)

    # the advice helps: k-means++ seeds start the components apart
    at.selectbox(key="init").set_value("k-means++")
    run(at)
    click(at, "Run to convergence")
    assert "converged ✓" in status(at)
    assert "saddle point" not in texts(at.warning)


def test_a_covariance_change_is_named_as_the_widget_names_it(at):
    at.selectbox(key="cov_type").set_value("diag")
    run(at)
    assert "Settings changed (covariance full (any ellipse) → diag (axis-aligned))." in texts(
        at.info
    )
