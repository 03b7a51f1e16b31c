"""Explore EM: step through the fit one half-step at a time, in 2-D.

The page only arranges widgets and calls into ``gmm``; state lives in the few session keys
declared in :mod:`pages.shared.state`. Everything below the title is one fragment, so a click
on a step button reruns it alone, not the whole app.

Layout (``assets/explore.css``, ``docs/screens/``): a row of buttons, one line of news
(what the half-step changed; a run's progress and Stop), then the chart, with the phase
drawn on it ("Iteration 3 · after the E-step"), beside a side panel (status, notices,
the formula of the half-step just taken, the log-likelihood curve) when the page is wide
enough, or above it when not. Everything above the chart keeps its height from one
half-step to the next, so the chart never moves; what comes and goes (status, notices,
diagnostics, the slider) sits below it or beside it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import streamlit as st

from gmm.checks import SEEDED_INIT_METHODS
from gmm.export import parameter_frame, responsibilities_csv, run_to_json
from gmm.figures import loglik_curve, model_figure, projections_3d
from gmm.init import describe_init
from gmm.status import describe
from gmm.stepper import EMStepper, Snapshot
from pages.shared import jobs
from pages.shared.live_chart import live_plotly_chart, selected_points
from pages.shared.sidebar import truth_shown
from pages.shared.state import another_start, carry_on, notify, restart, show_notices, state

#: The main chart's figure height in px; in the browser the chart reaches down to the
#: bottom of the window instead, within CHART_HEIGHTS.
CHART_HEIGHT = 580
CHART_HEIGHTS = (380, 1000)
CURVE_HEIGHT = 340
MASS_CHOICES = (0.25, 0.5, 0.68, 0.9, 0.95, 0.99)
DEFAULT_MASSES = [0.5, 0.9]
SPEEDS = {"0.5×": 2.0, "1×": 1.0, "2×": 0.5, "4×": 0.25}  # seconds per half-step
PHASE_NAMES = {"init": "initialisation", "E": "after the E-step", "M": "after the M-step"}
#: What each half-step changed, said above the chart.
PHASE_CHANGES = {
    "init": "Next, the E-step colours the points.",
    "E": "**E-step** done: new colours (responsibilities), same ellipses.",
    "M": "**M-step** done: new ellipses and weights, same colours.",
}
FLAGGED_KINDS = ("collapse", "empty", "too_few_points")
#: The background job of Run to convergence (pages.shared.jobs).
RUN_JOB = "run"
STYLE = Path(__file__).resolve().parents[1] / "assets" / "explore.css"

E_STEP_TEX = (
    r"\gamma_{ik} = \frac{\pi_k\,\mathcal N(x_i\mid\mu_k,\Sigma_k)}"
    r"{\sum_{j=1}^{K}\pi_j\,\mathcal N(x_i\mid\mu_j,\Sigma_j)}"
)
# One short line each, so that a narrow panel never cuts off the "+ εI".
M_STEP_TEX = (
    r"\begin{aligned}N_k&=\textstyle\sum_i\gamma_{ik},\qquad \pi_k=\frac{N_k}{n}\\"
    r"\mu_k&=\frac{1}{N_k}\textstyle\sum_i\gamma_{ik}\,x_i\\"
    r"\Sigma_k&=\frac{1}{N_k}\textstyle\sum_i\gamma_{ik}(x_i-\mu_k)(x_i-\mu_k)^{\top}\\"
    r"&\quad+\varepsilon I\qquad(\varepsilon=\texttt{reg\_covar})\end{aligned}"
)


# ---------------------------------------------------------------------- callbacks
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


def _advance(action: str) -> None:
    ss = st.session_state
    stepper = _continue_from_view()
    ss.playing = False
    if action == "run":
        _start_run(stepper)
        return
    getattr(stepper, action)()
    ss.view = len(stepper.snapshots) - 1


# ---------------------------------------------------------- Run to convergence, as a job
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
        _collect_run()


def _run_busy() -> bool:
    """Whether Run to convergence is computing for the run on screen."""
    job = jobs.current(RUN_JOB)
    return job is not None and job.key[0] is st.session_state.stepper


def _collect_run() -> None:
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


def _run_progress() -> None:
    """While Run to convergence computes: iterations done, log-likelihood, Stop."""
    if _run_busy():
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


def _curve_clicked() -> None:
    ss = st.session_state
    points = selected_points("curve")
    if points:
        ss.view = round(points[0]["x"])
        ss.playing = False


def _points_selected() -> None:
    """In picking mode each selection adds one starting mean: the centre of the points."""
    ss = st.session_state
    points = [p for p in selected_points("scatter") if p.get("curve_number") == 0]
    if not points:
        return
    axes = ("x", "y")[: st.session_state.dataset.n_features]
    centre = tuple(float(np.mean([p[axis] for p in points])) for axis in axes)
    if len(ss.picked_means) >= ss.picking:
        ss.picked_means = []
    ss.picked_means = [*ss.picked_means, centre]


def _clear_picks() -> None:
    st.session_state.picked_means = []


def _toggle_play() -> None:
    ss = st.session_state
    last = len(ss.stepper.snapshots) - 1
    if not ss.playing and ss.view >= last:
        ss.view = 0
    ss.playing = not ss.playing
    ss.play_fresh = ss.playing  # the first tick shows the starting half-step as it is


def _masses_changed() -> None:
    """The outline selector refuses to be emptied: the chart needs one share to draw."""
    ss = st.session_state
    if not ss.masses:
        ss.masses = list(ss.get("masses_drawn") or DEFAULT_MASSES)
        ss.masses_refused = True


# ------------------------------------------------------------------------- pieces
def _picking(ss) -> bool:
    """Whether the user is picking starting means that no run has started from yet.

    Meanwhile the run on screen is the previous one, from other settings: it is neither
    drawn nor stepped.
    """
    if ss.picking is None:
        return False
    picked = tuple(tuple(m) for m in ss.picked_means)
    return ss.settings.init != "explicit" or ss.settings.means != picked


def _controls(stepper: EMStepper | None, shown: Snapshot | None) -> None:
    """The stepping buttons, from Back to Run to convergence, in one row.

    The one highlighted button is the next half-step, and says so.
    """
    ss = st.session_state
    halted_here = (
        stepper is not None and stepper.halted is not None and ss.view == len(stepper.snapshots) - 1
    )
    no_run = shown is None or halted_here or _run_busy()
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
            on_click=_advance,
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
            on_click=_advance,
            args=("step",),
            disabled=no_run,
            help="Finish the next full iteration.",
        )
        st.button(
            "Run to convergence",
            icon=":material/fast_forward:",
            on_click=_advance,
            args=("run",),
            disabled=no_run or shown.converged,
            help="Iterate until the log-likelihood stops changing (tol) or max_iter.",
        )


def _run_buttons(ss) -> None:
    """Starting a run: beside the title, outside the fragment, so that a click reruns
    the whole app and the sidebar shows a new seed at once."""
    picking = _picking(ss)
    seeded = ss.settings.init in SEEDED_INIT_METHODS
    with st.container(horizontal=True, key="run_buttons", gap="small", width="content"):
        st.button(
            "Initialize",
            icon=":material/restart_alt:",
            on_click=_initialize,
            disabled=picking,
            help="Start the run again from the settings in the sidebar.",
        )
        st.button(
            "Another start",
            icon=":material/casino:",
            on_click=_another_start,
            disabled=picking or not seeded,
            help=f"A new run with the next seed ({ss.settings.seed} → "
            f"{ss.settings.seed + 1}): another starting point, the same settings otherwise."
            if seeded
            else "Chosen means start from the picked points: there is no seed to change.",
        )
        st.button(
            "Reset",
            icon=":material/close:",
            on_click=_reset,
            disabled=ss.stepper is None or picking,
            help="Remove the model and show the data alone.",
        )


def _banner(shown: Snapshot | None) -> str | None:
    """The phase, drawn large on the chart itself: "Iteration 3 · after the E-step"."""
    if shown is None:
        return None
    return f"Iteration {shown.iteration} · {PHASE_NAMES[shown.phase]}"


def _news(shown: Snapshot | None, ss) -> str:
    """One line above the chart: what the half-step on screen changed, which start it
    is, a pointer to a warning (its message sits by the curve, perhaps below the fold),
    or what to do when there is no model to show."""
    if _picking(ss):
        if ss.dataset.n_features == 3:
            return "**Pick starting means** on a 1-D or 2-D chart: choose fewer columns."
        return (
            f"**Pick starting means: {len(ss.picked_means)} of {ss.picking}** — click a "
            "point on the chart for each component."
        )
    if shown is None:
        return "**No model:** the data alone. Press **Initialize** to start a run."
    stepper: EMStepper = ss.stepper
    if stepper.halted is not None and shown.index == len(stepper.snapshots) - 1:
        return ":red[**⚠ EM stopped here:** why, and what to do, by the curve.]"
    if any(d.severity not in ("info", "success") for d in shown.diagnostics):
        return ":orange[**⚠ A warning** about this half-step: read it by the curve.]"
    if shown.phase == "init":  # which start this is: "Another start" changes the seed
        settings = ss.settings
        seed = f", seed {settings.seed}" if settings.init in SEEDED_INIT_METHODS else ""
        return f"**Start:** {describe_init(settings.init)}{seed}. " + PHASE_CHANGES["init"]
    return PHASE_CHANGES[shown.phase]


def _show_news(text: str) -> None:
    """The line above the chart, which never wraps (its height is fixed); while Run to
    convergence computes, its progress and Stop in the same place."""
    with st.container(key="news"):
        if _run_busy():
            _run_progress()
        else:
            st.markdown(text, wrap=False)


def _timeline(stepper: EMStepper) -> None:
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


def _status(stepper: EMStepper, shown: Snapshot) -> str:
    return describe(stepper, shown.index).markdown()


def _diagnostics(stepper: EMStepper, shown: Snapshot) -> None:
    for diagnostic in shown.diagnostics:
        show = {"info": st.info, "warning": st.warning, "error": st.error}[diagnostic.severity]
        show(
            f"{diagnostic.message} **What to do:** {diagnostic.advice}"
            if diagnostic.advice
            else diagnostic.message
        )
    if stepper.halted is not None and shown.index == len(stepper.snapshots) - 1:
        st.error(f"{stepper.halted.message} **What to do:** {stepper.halted.advice}")


def _flagged_components(stepper: EMStepper, shown: Snapshot) -> set[int]:
    flagged = {k for d in shown.diagnostics if d.kind in FLAGGED_KINDS for k in d.components}
    if stepper.halted is not None and shown.index == len(stepper.snapshots) - 1:
        flagged |= set(stepper.halted.components)
    return flagged


def _figure_inputs(ss, stepper: EMStepper | None, shown: Snapshot | None, masses):
    """Positional arrays and keyword options shared by every view's figure builder."""
    dataset = ss.dataset
    d = dataset.n_features
    truth = dataset.shown_truth if truth_shown() else None
    params = shown.params if shown is not None else None
    arrays = (
        dataset.X,
        None if shown is None else stepper.responsibilities(shown.index),
        params.means if params else np.empty((0, d)),
        params.full_covariances if params else np.empty((0, d, d)),
        params.weights if params else np.empty(0),
        masses,
    )
    options = {
        "highlight": set() if shown is None else _flagged_components(stepper, shown),
        "true_components": None if truth is None else (truth.means, truth.full_covariances),
        "uirevision": f"{ss.data_source}-{dataset.columns}-{dataset.standardised}",
    }
    return arrays, options


def _projections(ss, arrays, options) -> None:
    """The 3-D fit seen along each pair of columns, with the marginal ellipses."""
    if not st.toggle(
        "Show 2-D projections (xy, xz, yz)",
        key="projections",
        help="A marginal of a Gaussian is a Gaussian: each ellipse uses the "
        "2 × 2 block of Σ for that pair of columns.",
    ):
        return
    pictures = projections_3d(*arrays, column_names=ss.dataset.axis_labels, height=320, **options)
    for slot, picture, name in zip(st.columns(3), pictures, ("xy", "xz", "yz")):
        with slot:
            live_plotly_chart(picture, key=f"projection_{name}", after_paint=True)


def _chart(ss, arrays, options, banner: str | None):
    picking = ss.picking is not None and ss.dataset.n_features < 3
    figure = model_figure(
        *arrays,
        column_names=ss.dataset.axis_labels,
        height=CHART_HEIGHT,
        dragmode="select" if picking else None,  # a click or a box picks a mean
        picked_means=ss.picked_means if picking else None,
        banner=banner,
        **options,
    )
    live_plotly_chart(
        figure,
        key="scatter",
        on_select=_points_selected if picking else None,
        fit_window=CHART_HEIGHTS,
    )
    return figure


def _outlines(d: int) -> list[float]:
    """The outline selector; returns the masses to draw, never none."""
    ss = st.session_state
    shape = {1: "Intervals", 2: "Ellipses", 3: "Ellipsoids"}[d]
    masses = st.multiselect(
        f"{shape} enclose this share of each component's probability",
        MASS_CHOICES,
        default=DEFAULT_MASSES,
        key="masses",
        on_change=_masses_changed,
        format_func=lambda m: f"{m:.0%}",
        help=f"Each outline holds this share of its Gaussian's mass "
        f"(chi-square quantile with {d} degree(s) of freedom). At least one is drawn.",
    )
    if ss.pop("masses_refused", False):
        st.caption("At least one share is drawn: the last one stays until you choose another.")
    ss.masses_drawn = sorted(masses or DEFAULT_MASSES)
    return ss.masses_drawn


def _picking_help(ss) -> None:
    if ss.dataset.n_features == 3:
        st.info(
            "Starting means are picked on a 1-D or 2-D chart: choose one or two "
            "columns in the sidebar to pick them, or another initialisation."
        )
        return
    k, picked = ss.picking, len(ss.picked_means)
    wanted = tuple(tuple(m) for m in ss.picked_means)
    if picked == k and ss.get("picks_submitted") != wanted:
        ss.picks_submitted = wanted  # once: a failed start must not loop
        st.rerun(scope="app")  # the sidebar's model panel starts the run from the picks
    st.info(
        f"**Choose the starting means on the chart**: click a point (or use the box or "
        f"lasso select tool on a group: its centre is used) for each of the K = {k} "
        f"components. "
        f"Picked {picked} of {k}." + (" The run starts when all are picked." if picked < k else "")
    )
    st.button("Clear picked means", on_click=_clear_picks, disabled=picked == 0)


def _curve(stepper: EMStepper, shown: Snapshot) -> None:
    snapshots = stepper.snapshots
    figure = loglik_curve(
        stepper.trajectory("log_likelihood"),
        [s.phase for s in snapshots],
        shown.index,
        iterations=[s.iteration for s in snapshots],
        lower_bound=stepper.trajectory("lower_bound"),
        legend="below",
        height=CURVE_HEIGHT,
    )
    live_plotly_chart(
        figure, key="curve", on_select=_curve_clicked, selection_tools=(), after_paint=True
    )
    st.caption(
        "Click a point to show that half-step.",
        help="The dashed line is EM's lower bound: the E-step lifts it to the "
        "log-likelihood, the M-step pushes both up.",
    )


FORMULAS = {
    "E": (
        "E-step: responsibilities",
        E_STEP_TEX,
        "γᵢₖ is the share of point i that component k explains: the colours on the "
        "chart. Each point's shares sum to 1.",
    ),
    "M": (
        "M-step: parameters",
        M_STEP_TEX,
        "Each component is refitted to all the points, each weighted by its γᵢₖ: "
        "the ellipses and weights move.",
    ),
}


def _formula(shown: Snapshot | None) -> None:
    """The formula of the half-step just taken, in orange (at the start: the next one).

    The card keeps one height for both formulas (``assets/explore.css``), so that
    nothing below it moves from one half-step to the next.
    """
    just = shown.phase if shown is not None and shown.phase in FORMULAS else None
    title, tex, words = FORMULAS[just or "E"]
    with st.container(border=True, key="formula"):
        if just:
            st.markdown(f"**{title}** — :orange[**just taken**]")
            st.latex(rf"\color{{#D55E00}}{{{tex}}}")
        else:
            st.markdown(f"**{title}** — next")
            st.latex(tex)
        st.caption(words)


def _other_formula(shown: Snapshot | None) -> None:
    """The formula that is not in the card, folded away."""
    other = "M" if shown is None or shown.phase != "M" else "E"
    title, tex, words = FORMULAS[other]
    with st.expander(f"The other half-step: {title}"):
        st.latex(tex)
        st.caption(words)


def _parameter_table(shown: Snapshot, columns) -> None:
    frame = parameter_frame(shown.params, columns)
    st.dataframe(
        frame,
        width="stretch",
        column_config={c: st.column_config.NumberColumn(format="%.4g") for c in frame.columns},
    )


def _downloads(ss, stepper: EMStepper, shown: Snapshot, figure) -> None:
    dataset = ss.dataset
    cols = st.columns(3)
    cols[0].download_button(
        "Run (JSON)",
        functools.partial(run_to_json, stepper, ss.settings.to_dict(), dataset.describe()),
        file_name="gmm-run.json",
        mime="application/json",
        on_click="ignore",
        help="Settings, data source and the parameters at every half-step.",
    )
    cols[1].download_button(
        "Responsibilities (CSV)",
        functools.partial(
            responsibilities_csv,
            dataset.X,
            dataset.axis_labels,
            stepper.responsibilities(shown.index),
        ),
        file_name=f"responsibilities-{shown.label}.csv",
        mime="text/csv",
        on_click="ignore",
        help="Each point with γ for every component at the half-step on screen.",
    )
    cols[2].download_button(
        "Figure (HTML)",
        functools.partial(figure.to_html, include_plotlyjs=True),
        file_name=f"gmm-{shown.label}.html",
        mime="text/html",
        on_click="ignore",
        help="The chart as a standalone, interactive HTML file.",
    )


# --------------------------------------------------------------------------- page
def _play_interval() -> float | None:
    """Seconds between playback ticks, or None when not playing."""
    ss = st.session_state
    return SPEEDS[ss.get("speed", "1×")] if ss.get("playing") else None


def _side_panel(ss, stepper: EMStepper | None, shown: Snapshot | None) -> None:
    """Beside the chart on a wide page, below it on a narrow one: status, notices,
    diagnostics, the formula just taken, the curve, the other formula. Each part that
    comes and goes sits in a container that is always there (see :func:`_explorer`)."""
    with st.container(key="status"):
        if shown is not None:
            st.markdown(_status(stepper, shown))
        elif not _picking(ss):
            st.markdown("**No model.** The points are shown alone; press **Initialize**.")
        if ss.picking is not None:
            _picking_help(ss)
    with st.container():
        show_notices()
    with st.container():
        if shown is not None:
            _diagnostics(stepper, shown)
    _formula(shown)
    with st.container():
        if shown is not None:
            _curve(stepper, shown)
    _other_formula(shown)


def _explorer(timer: float | None) -> None:
    """Everything below the title; ``timer`` is the interval this fragment reruns at.

    A fragment's timer is fixed when the whole page runs, so when Play, Pause, the end
    of the history or a new speed needs another timer, the whole page is rerun.
    """
    ss = state()
    if timer != _play_interval():
        st.rerun(scope="app")
    _collect_run()
    stepper: EMStepper | None = ss.stepper
    if ss.playing and stepper is not None:
        last = len(stepper.snapshots) - 1
        if not ss.pop("play_fresh", False):
            ss.view = min(ss.view + 1, last)
        if ss.view == last:
            ss.playing = False
    if stepper is not None:
        ss.view = min(ss.view, len(stepper.snapshots) - 1)
    # While the user picks starting means, the old run is neither drawn nor stepped.
    shown = stepper.snapshots[ss.view] if stepper is not None and not _picking(ss) else None
    d = ss.dataset.n_features
    # Parts that come and go sit in containers that are always there: the browser
    # matches elements by position, so a notice that vanishes must not shift the charts
    # below it, or they are rebuilt and the user's zoom and camera are lost.
    with st.container(key="explore"):
        _controls(stepper, shown)
        _show_news(_news(shown, ss))
        with st.container(key="panels"):
            chart_column, side_column = st.columns([3, 2], gap="medium")
        with chart_column:
            masses = sorted(ss.get("masses") or ss.get("masses_drawn") or DEFAULT_MASSES)
            arrays, options = _figure_inputs(ss, stepper, shown, masses)
            figure = _chart(ss, arrays, options, _banner(shown))
            with st.container(key="timeline"):
                if shown is not None:
                    _timeline(stepper)
            _outlines(d)
            if d == 3:
                _projections(ss, arrays, options)
        with side_column:
            _side_panel(ss, stepper, shown)
        with st.container():
            if shown is not None:
                with st.expander("Parameters at this half-step", expanded=False):
                    _parameter_table(shown, ss.dataset.axis_labels)
                _downloads(ss, stepper, shown, figure)


def main() -> None:
    """Render the page; while playing, the fragment reruns itself on a timer."""
    state()
    st.html(STYLE)
    ss = st.session_state
    with st.container(
        key="title", horizontal=True, vertical_alignment="bottom", horizontal_alignment="distribute"
    ):
        with st.container(gap=None):
            st.header("Explore EM", anchor=False)
            st.caption(
                f"Data: **{ss.dataset.name}** · {ss.dataset.n_samples:,} points · "
                "EM runs on all of them."
            )
        _run_buttons(ss)
    interval = _play_interval()
    # One fragment function whether playing or not: its id (function and place) stays the
    # same, so Play and Pause do not rebuild the charts and the user's view is kept.
    st.fragment(run_every=interval)(_explorer)(interval)


main()
