"""Stepping through a run on the Explore page: the buttons, Run to convergence as a
background job, the timeline (slider, Play/Pause, speed) and their callbacks.

Every callback reads and writes the run through the session keys of
:mod:`pages.shared.state` (``stepper``, ``view``, ``playing``); none draws anything.
"""

from __future__ import annotations

import streamlit as st

from gmm.checks import SEEDED_INIT_METHODS
from gmm.stepper import EMStepper, Snapshot
from pages.shared import jobs
from pages.shared.picking import picking
from pages.shared.state import another_start, carry_on, notify, restart

SPEEDS = {"0.5×": 2.0, "1×": 1.0, "2×": 0.5, "4×": 0.25}  # seconds per half-step

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
    ss = st.session_state
    stepper = _continue_from_view()
    ss.playing = False
    if action == "run":
        _start_run(stepper)
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


def _back() -> None:
    ss = st.session_state
    ss.view = max(ss.view - 1, 0)
    ss.playing = False


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


def _scrub() -> None:
    st.session_state.view = st.session_state.scrubber
    st.session_state.playing = False


def _toggle_play() -> None:
    ss = st.session_state
    last = len(ss.stepper.snapshots) - 1
    if not ss.playing and ss.view >= last:
        ss.view = 0
    ss.playing = not ss.playing
    ss.play_fresh = ss.playing  # the first tick shows the starting half-step as it is


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
    with st.container(horizontal=True, key="controls", gap="small"):
        st.button(
            "Back",
            icon=":material/arrow_back:",
            on_click=_back,
            disabled=shown is None or ss.view == 0,
            help="Show the previous half-step. Stepping from there discards the later ones.",
        )
        st.button(
            f"Next: {next_phase}-step",
            icon=":material/arrow_forward:",
            icon_position="right",
            key="next_half_step",
            on_click=advance,
            args=("e_step" if next_phase == "E" else "m_step",),
            disabled=no_run,
            type="primary",
            help="Take the next half-step. "
            + (
                "The E-step recomputes the responsibilities (the colours); the parameters stay."
                if next_phase == "E"
                else "The M-step re-estimates weights, means and covariances (the "
                "ellipses) from the responsibilities."
            ),
        )
        st.button(
            "Step (E+M)",
            icon=":material/skip_next:",
            on_click=advance,
            args=("step",),
            disabled=no_run,
            help="Finish the next full iteration.",
        )
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


def timeline(stepper: EMStepper) -> None:
    ss = st.session_state
    last = len(stepper.snapshots) - 1
    if last == 0:
        st.caption("Take a step to build a history you can scrub and play back.")
        return
    labels = [s.label for s in stepper.snapshots]
    with st.container(horizontal=True, vertical_alignment="bottom", key="timeline_row"):
        if ss.playing:
            # While playing, the slider only shows where playback is: a keyed slider
            # would send its previous value back at every tick, as if the user had
            # moved it.
            st.select_slider(
                "Half-step",
                options=list(range(last + 1)),
                value=ss.view,
                format_func=lambda i: labels[i],
                disabled=True,
            )
        else:
            ss.scrubber = ss.view
            st.select_slider(
                "Half-step",
                options=list(range(last + 1)),
                key="scrubber",
                format_func=lambda i: labels[i],
                on_change=_scrub,
                help="Scrub through the history; the picture follows.",
            )
        st.button(
            "Pause" if ss.playing else "Play",
            icon=":material/pause:" if ss.playing else ":material/play_arrow:",
            on_click=_toggle_play,
            width=110,  # the same for Play and Pause: the slider keeps its length
            help="Stop playback at the half-step on screen."
            if ss.playing
            else "Play the history from the half-step on screen to the last one "
            "(from the start if the last one is on screen).",
        )
        st.selectbox(
            "Speed", list(SPEEDS), index=1, key="speed", label_visibility="collapsed", width=90
        )


def play_interval() -> float | None:
    """Seconds between playback ticks, or None when not playing."""
    ss = st.session_state
    return SPEEDS[ss.get("speed", "1×")] if ss.get("playing") else None
