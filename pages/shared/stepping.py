"""Stepping through a run on the Explore page: the buttons, Run to convergence as a
background job, and their callbacks. Back, the timeline and Play are the browser's
(:mod:`pages.shared.history_player`).

Every callback reads and writes the run through the session keys of
:mod:`pages.shared.state` (``stepper``, ``view``, ``playing``); none draws anything.
"""

from __future__ import annotations

import streamlit as st

from gmm.checks import SEEDED_INIT_METHODS
from gmm.stepper import EMStepper, Snapshot
from pages.shared import jobs
from pages.shared.history_player import back_button, sync_view, take_ahead
from pages.shared.picking import picking
from pages.shared.presentation import control_shown
from pages.shared.state import another_start, carry_on, notify, restart

#: The background job of Run to convergence (pages.shared.jobs).
RUN_JOB = "run"


def _continue_from_view() -> EMStepper:
    """Make the snapshot on screen the latest, discarding later ones (with a notice)."""
    ss = st.session_state
    stepper: EMStepper = ss.stepper
    dropped = len(stepper.snapshots) - 1 - ss.view
    if dropped > 0:
        label = stepper.snapshots[ss.view].label
        stepper.go_to(ss.view)
        notify(
            f"Continued from half-step {label}: the {dropped} later half-step(s) of the "
            "old history were discarded."
        )
    return stepper


def advance(action: str) -> None:
    """Take ``action`` ("e_step", "m_step", "step" or "run") from the half-step on
    screen (the browser's, if it has not told us yet). From the last half-step, a
    half-step computed ahead of the click is taken as it is: the browser painted it."""
    ss = st.session_state
    sync_view()
    stepper = _continue_from_view()
    ss.playing = False
    if action == "run":
        _start_run(stepper)
        return
    if action in ("e_step", "m_step"):  # the half-step due after the one on screen
        action = "m_step" if stepper.snapshots[-1].phase == "E" else "e_step"
    further = take_ahead(stepper, action)
    if further is not None:
        carry_on(further)
        return
    getattr(stepper, action)()
    ss.view = len(stepper.snapshots) - 1


def _run_to_convergence(stepper: EMStepper, progress, should_stop) -> EMStepper:
    """The job's engine call (in its thread): run ``stepper``, a copy, and return it."""
    stepper.run(progress=progress, should_stop=should_stop)
    return stepper


def _start_run(stepper: EMStepper) -> None:
    """Run a copy of the run on screen in the background.

    A run that ends within ``jobs.FOREGROUND_SECONDS`` is shown at once, as a step is;
    a longer one goes on in the background, with its progress and a Stop button.

    The stepper on screen is never changed while the page may read it: the job runs on
    ``stepper.copy()``, which replaces it when the job ends (finished or stopped). The job's
    key holds the stepper it started from, so a job whose run was replaced meanwhile (new
    settings, Initialize, Reset) is dropped.
    """
    jobs.discard(RUN_JOB)  # a second click before the button was disabled
    job = jobs.start(
        RUN_JOB,
        (stepper,),
        _run_to_convergence,
        {"stepper": stepper.copy()},
        keep=False,
        foreground=True,
    )
    if not job.running:
        collect_run()


def run_busy() -> bool:
    """Whether Run to convergence is computing for the run on screen."""
    job = jobs.current(RUN_JOB)
    return job is not None and job.key[0] is st.session_state.stepper


def collect_run() -> None:
    """When the background run has ended, show its history at its last half-step."""
    ss = st.session_state
    job = jobs.current(RUN_JOB)
    if job is None:
        return
    if job.key[0] is not ss.stepper:  # the run it continued is no longer on screen
        jobs.discard(RUN_JOB)
        return
    job = jobs.finished(RUN_JOB)
    if job is None:
        return
    if job.error is not None:
        notify(f"Run to convergence failed: {job.error}", "error")
        return
    carry_on(job.result)


def run_progress() -> None:
    """While Run to convergence computes: iterations done, log-likelihood, Stop."""
    if run_busy():
        jobs.show_progress(
            RUN_JOB,
            "Run to convergence",
            unit="iterations",
            step="iteration",
            kept="the half-steps computed so far",
        )


def _reset() -> None:
    ss = st.session_state
    ss.stepper, ss.view, ss.playing = None, 0, False
    notify("Reset: no model. Press Initialize to start a run.")


def _initialize() -> None:
    if not restart():
        notify("Could not initialise with these settings; see the sidebar.", "error")


def _another_start() -> None:
    settings = another_start()
    if settings is None:
        notify("Could not start again with the next seed; see the sidebar.", "error")
    else:
        notify(f"Another start: seed {settings.seed}, the same settings otherwise.", "success")


def controls(stepper: EMStepper | None, shown: Snapshot | None) -> None:
    """The stepping buttons, from Back to Run to convergence, in one row.

    The one highlighted button is the next half-step, and says so.
    """
    ss = st.session_state
    halted_here = (
        stepper is not None and stepper.halted is not None and ss.view == len(stepper.snapshots) - 1
    )
    no_run = shown is None or halted_here or run_busy()
    next_phase = "M" if shown is not None and shown.phase == "E" else "E"
    half_step = "e_step" if next_phase == "E" else "m_step"
    with st.container(horizontal=True, key="controls", gap="small"):
        if control_shown("back") and shown is not None:
            back_button()
        if control_shown("next"):
            st.button(
                f"Next: {next_phase}-step",
                icon=":material/arrow_forward:",
                icon_position="right",
                key="next_half_step",
                on_click=advance,
                args=(half_step,),
                disabled=no_run,
                type="primary",
                shortcut=next_phase,
                help=f"Take the next half-step ({next_phase}, → or PageDown). "
                + (
                    "The E-step recomputes the responsibilities (the colours); the parameters stay."
                    if next_phase == "E"
                    else "The M-step re-estimates weights, means and covariances (the "
                    "ellipses) from the responsibilities."
                ),
            )
        if control_shown("step"):
            st.button(
                "Step (E+M)",
                icon=":material/skip_next:",
                on_click=advance,
                args=("step",),
                key="step_em",
                disabled=no_run,
                shortcut="S",
                help="Finish the next full iteration (S).",
            )
        if control_shown("run"):
            st.button(
                "Run to convergence",
                icon=":material/fast_forward:",
                on_click=advance,
                args=("run",),
                disabled=no_run or shown.converged,
                help="Iterate until the log-likelihood stops changing (tol) or max_iter.",
            )


def run_buttons(ss) -> None:
    """Starting a run: beside the title, outside the fragment, so that a click reruns
    the whole app and the sidebar shows a new seed at once."""
    choosing = picking(ss)
    seeded = ss.settings.init in SEEDED_INIT_METHODS
    with st.container(horizontal=True, key="run_buttons", gap="small", width="content"):
        st.button(
            "Initialize",
            icon=":material/restart_alt:",
            on_click=_initialize,
            disabled=choosing,
            help="Start the run again from the settings in the sidebar.",
        )
        st.button(
            "Another start",
            icon=":material/casino:",
            on_click=_another_start,
            disabled=choosing or not seeded,
            help=f"A new run with the next seed ({ss.settings.seed} → "
            f"{ss.settings.seed + 1}): another starting point, the same settings otherwise."
            if seeded
            else "Chosen means start from the picked points: there is no seed to change.",
        )
        st.button(
            "Reset",
            icon=":material/close:",
            on_click=_reset,
            disabled=ss.stepper is None or choosing,
            help="Remove the model and show the data alone.",
        )
