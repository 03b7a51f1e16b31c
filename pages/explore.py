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

from pathlib import Path

import numpy as np
import streamlit as st

from gmm.checks import SEEDED_INIT_METHODS
from gmm.figures import loglik_curve, model_figure, projections_3d
from gmm.init import describe_init
from gmm.stepper import EMStepper, Snapshot
from pages.shared.downloads import downloads, parameter_table
from pages.shared.formulas import formula, other_formula
from pages.shared.history_player import (
    chart_history,
    history_blocks,
    history_sync,
    status_line,
    timeline,
)
from pages.shared.link import sync_link
from pages.shared.live_chart import SELECTION_BUTTONS, live_plotly_chart
from pages.shared.model_views import density_option, sampled_chart, view_toggles
from pages.shared.picking import picking, picking_help, points_selected
from pages.shared.point_panel import point_clicked, point_section
from pages.shared.presentation import chart_type, present_style, presenting, share_and_present
from pages.shared.sidebar import truth_shown
from pages.shared.state import show_notices, state
from pages.shared.stepping import collect_run, controls, run_busy, run_buttons, run_progress
from pages.shared.what_changed import change_marks, change_news, show_changes_toggle

#: The main chart's figure height in px; in the browser the chart reaches down to the
#: bottom of the window instead, within CHART_HEIGHTS.
CHART_HEIGHT = 580
CHART_HEIGHTS = (380, 1000)
CURVE_HEIGHT = 340
MASS_CHOICES = (0.25, 0.5, 0.68, 0.9, 0.95, 0.99)
DEFAULT_MASSES = [0.5, 0.9]
PHASE_NAMES = {"init": "initialisation", "E": "after the E-step", "M": "after the M-step"}
#: What each half-step changed, said above the chart.
PHASE_CHANGES = {
    "init": "Next, the E-step colours the points.",
    "E": "**E-step** done: new colours (responsibilities), same ellipses.",
    "M": "**M-step** done: new ellipses and weights, same colours.",
}
FLAGGED_KINDS = ("collapse", "empty", "too_few_points")
STYLE = Path(__file__).resolve().parents[1] / "assets" / "explore.css"


# ---------------------------------------------------------------------- callbacks
def _masses_changed() -> None:
    """The outline selector refuses to be emptied: the chart needs one share to draw."""
    ss = st.session_state
    if not ss.masses:
        ss.masses = list(ss.get("masses_drawn") or DEFAULT_MASSES)
        ss.masses_refused = True


# ------------------------------------------------------------------------- pieces


def _banner(shown: Snapshot | None) -> str | None:
    """The phase, drawn large on the chart itself: "Iteration 3 · after the E-step"."""
    if shown is None:
        return None
    return f"Iteration {shown.iteration} · {PHASE_NAMES[shown.phase]}"


def _news(shown: Snapshot | None, ss) -> str:
    """One line above the chart: what the half-step on screen changed, which start it
    is, a pointer to a warning (its message sits by the curve, perhaps below the fold),
    or what to do when there is no model to show."""
    if picking(ss):
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
    changed = change_news(stepper, shown, ss.dataset.X) if ss.show_changes else None
    return changed or PHASE_CHANGES[shown.phase]


def _show_news(text: str) -> None:
    """The line above the chart, which never wraps (its height is fixed); while Run to
    convergence computes, its progress and Stop in the same place."""
    with st.container(key="news"):
        if run_busy():
            run_progress()
        else:
            st.markdown(text, wrap=False)


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


def _chart(ss, stepper: EMStepper | None, shown: Snapshot | None, arrays, options):
    """The main chart: the view's ``options`` with what the half-step changed, the
    density, the type size of presentation mode and the phase on the chart; the
    template from which the browser draws the other half-steps."""
    picking = ss.picking is not None and ss.dataset.n_features < 3
    overlays = change_marks(ss, stepper, shown) | density_option(ss.dataset, shown) | chart_type()
    figure = model_figure(
        *arrays,
        column_names=ss.dataset.axis_labels,
        height=CHART_HEIGHT,
        dragmode="select" if picking else None,  # a click or a box picks a mean
        picked_means=ss.picked_means if picking else None,
        banner=_banner(shown),
        **(options | overlays),
    )
    live_plotly_chart(
        figure,
        key="scatter",
        on_select=points_selected if picking else point_clicked,  # else a click selects
        selection_tools=SELECTION_BUTTONS if picking else (),
        fit_window=CHART_HEIGHTS,
        history=None if shown is None else chart_history(ss, stepper, arrays[-1], figure),
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
    live_plotly_chart(figure, key="curve", selection_tools=(), after_paint=True, plays_history=True)
    st.caption(
        "Click a point to show that half-step.",
        help="The dashed line is EM's lower bound: the E-step lifts it to the "
        "log-likelihood, the M-step pushes both up.",
    )


# --------------------------------------------------------------------------- page
def _presented(ss, stepper: EMStepper | None, shown: Snapshot | None) -> None:
    """Presentation mode: the timeline, the status line and what the half-step changed
    above the chart, which takes the width; notices below it. Nothing else."""
    with st.container(key="timeline"):
        if shown is not None:
            timeline(stepper)
    with st.container(key="present_status"):
        if shown is not None:
            status_line(ss, stepper)
        st.markdown(_news(shown, ss))
    masses = sorted(ss.get("masses_drawn") or DEFAULT_MASSES)
    arrays, options = _figure_inputs(ss, stepper, shown, masses)
    _chart(ss, stepper, shown, arrays, options)
    show_notices()
    _history(ss, stepper, shown, masses)


def _side_panel(ss, stepper: EMStepper | None, shown: Snapshot | None) -> None:
    """Beside the chart on a wide page, below it on a narrow one: status, notices,
    diagnostics, the formula just taken, the curve, the other formula. Each part that
    comes and goes sits in a container that is always there (see :func:`_explorer`)."""
    with st.container(key="status"):
        if shown is not None:
            status_line(ss, stepper)
        elif not picking(ss):
            st.markdown("**No model.** The points are shown alone; press **Initialize**.")
        if ss.picking is not None:
            picking_help(ss)
    with st.container(key="point"):
        if shown is not None:
            point_section(ss, stepper, shown)
    with st.container():
        show_notices()
    with st.container():
        if shown is not None:
            _diagnostics(stepper, shown)
    formula(shown)
    with st.container():
        if shown is not None:
            _curve(stepper, shown)
    other_formula(shown)


def _history(ss, stepper: EMStepper | None, shown: Snapshot | None, masses) -> None:
    """The history for the browser's player (invisible): its blocks and the sync."""
    if shown is None:
        return
    with st.container(key="history"):
        history_sync(ss, stepper, masses)
        history_blocks(ss, stepper, masses, busy=run_busy())


def _explorer() -> None:
    """Everything below the title."""
    ss = state()
    collect_run()
    stepper: EMStepper | None = ss.stepper
    if stepper is not None:
        ss.view = min(ss.view, len(stepper.snapshots) - 1)
    # While the user picks starting means, the old run is neither drawn nor stepped.
    shown = stepper.snapshots[ss.view] if stepper is not None and not picking(ss) else None
    d = ss.dataset.n_features
    # Parts that come and go sit in containers that are always there: the browser
    # matches elements by position, so a notice that vanishes must not shift the charts
    # below it, or they are rebuilt and the user's zoom and camera are lost.
    with st.container(key="explore"):
        controls(stepper, shown)
        if presenting():
            _presented(ss, stepper, shown)
            sync_link()
            return
        _show_news(_news(shown, ss))
        with st.container(key="panels"):
            chart_column, side_column = st.columns([3, 2], gap="medium")
        with chart_column:
            masses = sorted(ss.get("masses") or ss.get("masses_drawn") or DEFAULT_MASSES)
            arrays, options = _figure_inputs(ss, stepper, shown, masses)
            figure = _chart(ss, stepper, shown, arrays, options)
            with st.container(key="timeline"):
                if shown is not None:
                    timeline(stepper)
            _outlines(d)
            show_changes_toggle()
            view_toggles(d)
            sampled_chart(ss.dataset, shown, masses)
            if d == 3:
                _projections(ss, arrays, options)
        with side_column:
            _side_panel(ss, stepper, shown)
        with st.container():
            if shown is not None:
                # Drawn only while open: a table brings Streamlit's data grid (about 1 MB
                # of JavaScript) into the page's first load, ahead of the first chart.
                parameters = st.expander(
                    "Parameters at this half-step", key="parameters_open", on_change="rerun"
                )
                with parameters:
                    if parameters.open:
                        parameter_table(shown, ss.dataset.axis_labels)
                downloads(ss, stepper, shown, figure)
        _history(ss, stepper, shown, masses)
    sync_link()  # the URL reproduces what is on screen


def main() -> None:
    """Render the page; the history plays in the browser (no rerun per frame)."""
    state()
    st.html(STYLE)
    present_style()
    share_and_present()  # in the header bar, at the top right (assets/explore.css)
    ss = st.session_state
    if not presenting():
        _title(ss)
    st.fragment(_explorer)()


def _title(ss) -> None:
    """The title and the data; the buttons that start a run."""
    with st.container(
        key="title", horizontal=True, vertical_alignment="bottom", horizontal_alignment="distribute"
    ):
        with st.container(gap=None):
            st.header("Explore EM", anchor=False)
            st.caption(
                f"Data: **{ss.dataset.name}** · {ss.dataset.n_samples:,} points · "
                "EM runs on all of them."
            )
        run_buttons(ss)


main()
