"""What a lesson step looks like: its chart, narration, question, buttons and reveal.

Only layout: the numbers come from :mod:`gmm.lessons` (which asks the engine) and the
figures from :mod:`gmm.figures`.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from gmm.figures import (
    criterion_plot,
    final_loglik_plot,
    loglik_curve,
)
from gmm.figures.small_multiples import cycle_thumbnails, lesson_figure, marked_curve
from gmm.lessons import LessonProgress, Outcome
from gmm.stepper import EMStepper
from pages.shared.lesson_state import act, back_step, choice_key, leave, next_step, to_explore
from pages.shared.live_chart import live_plotly_chart
from pages.shared.point_panel import point_panel

PHASE_NAMES = {"init": "the start", "E": "after the E-step", "M": "after the M-step"}
CHART_HEIGHT = 520
MASSES = (0.5, 0.9)


def _banner(stepper: EMStepper) -> str:
    shown = stepper.current
    if shown.phase == "init":
        return "The start (no E-step yet)"
    return f"Iteration {shown.iteration} · {PHASE_NAMES[shown.phase]}"


def chart(current: LessonProgress) -> None:
    """The data and the run on screen, with the point at the arrow."""
    stepper = current.shown
    shown = stepper.current
    params = shown.params
    dataset = current.dataset
    figure = lesson_figure(
        dataset.X,
        stepper.responsibilities(),
        params.means,
        params.full_covariances,
        params.weights,
        list(MASSES),
        point=current.step.point,
        column_names=dataset.axis_labels,
        banner=_banner(stepper),
        height=CHART_HEIGHT,
        uirevision=f"lesson-{current.lesson.slug}-{dataset.key}",
    )
    live_plotly_chart(figure, key="lesson_chart")
    hidden = current.step.hide_data_name and current.verdict is None
    name = "hidden until you answer" if hidden else dataset.name
    st.caption(
        f"Data: **{name}** · {dataset.n_samples:,} points · K = {params.n_components} · "
        f"log-likelihood {shown.log_likelihood:,.3f}"
    )


def _curve(stepper: EMStepper) -> None:
    snapshots = stepper.snapshots
    if len(snapshots) < 2:
        return
    figure = loglik_curve(
        stepper.trajectory("log_likelihood"),
        [s.phase for s in snapshots],
        len(snapshots) - 1,
        iterations=[s.iteration for s in snapshots],
        lower_bound=stepper.trajectory("lower_bound"),
        legend="below",
        height=380,
    )
    live_plotly_chart(figure, key="lesson_curve", after_paint=True)


def _diagnostics(stepper: EMStepper) -> None:
    for diagnostic in stepper.current.diagnostics:
        if diagnostic.severity in ("warning", "error"):
            getattr(st, diagnostic.severity)(diagnostic.message)
    if stepper.halted is not None:
        st.error(f"{stepper.halted.message} **What to do:** {stepper.halted.advice}")


def _question(current: LessonProgress) -> None:
    question = current.step.question
    labels = current.options()
    st.radio(
        f"**{question.ask}**",
        labels,
        index=None,
        key=choice_key(current),
        disabled=current.done,
        help="Answer first: the app takes the step after you predict.",
    )
    if current.verdict is None:
        return
    right = labels[current.verdict.correct]
    if current.choice == current.verdict.correct:
        st.success(f"**Right: {right}.** {current.verdict.explanation}")
    else:
        st.error(f"**Not quite: the answer is {right}.** {current.verdict.explanation}")


def _many_runs(outcome: Outcome) -> None:
    if outcome.restarts is not None:
        result = outcome.restarts
        values = result.log_likelihoods
        method = result.methods[0]
        figure = final_loglik_plot(
            {method: values},
            {method: [r.index + 1 for r in result.restarts]},
            solutions=[s.log_likelihood for s in result.solutions],
            height=300,
        )
        live_plotly_chart(figure, key="lesson_restarts")
        st.caption("Where each restart ended; the faint lines are the distinct optima.")
    if outcome.sweep is not None:
        sweep = outcome.sweep
        ks = np.array(sweep.k_values)
        bics = np.array([sweep.row(k, "full").bic for k in ks])
        best = int(ks[np.nanargmin(bics)])
        figure = criterion_plot(
            {"full": (ks, bics)}, ("full", best, float(np.nanmin(bics))), height=320
        )
        live_plotly_chart(figure, key="lesson_bic")


def _small_multiples(current: LessonProgress) -> None:
    stepper, cycles = current.shown, current.step.small_multiples
    snapshots = stepper.snapshots
    fits = []
    for cycle in cycles:
        index = 2 * cycle
        if cycle == 0 or index >= len(snapshots):
            continue
        params = snapshots[index].params
        fits.append(
            (
                cycle,
                stepper.responsibilities(index),
                params.means,
                params.full_covariances,
                params.weights,
                snapshots[index].log_likelihood,
            )
        )
    pictures = cycle_thumbnails(current.dataset.X, fits, column_names=current.dataset.axis_labels)
    for slot, picture, fit in zip(st.columns(len(pictures)), pictures, fits):
        with slot:
            live_plotly_chart(picture, key=f"lesson_cycle_{fit[0]}", after_paint=True)
    per_cycle = np.array([snapshots[2 * L].log_likelihood for L in range(len(snapshots) // 2 + 1)])
    live_plotly_chart(marked_curve(per_cycle, cycles), key="lesson_cycles_curve", after_paint=True)


def _buttons(current: LessonProgress) -> None:
    step = current.step
    columns = st.columns([3, 3, 2])
    if not current.done:
        waiting = step.question is not None and st.session_state.get(choice_key(current)) is None
        columns[0].button(
            step.button,
            type="primary",
            on_click=act,
            disabled=waiting,
            help="Answer the question first." if waiting else None,
            key="lesson_act",
        )
    if current.done and not current.last:
        columns[1].button("Next step →", type="primary", on_click=next_step, key="lesson_next")
    columns[2].button("← Back", on_click=back_step, disabled=current.index == 0, key="lesson_back")


def step_view(current: LessonProgress) -> None:
    """One step: chart on the left; narration, question, buttons and reveal on the right."""
    lesson, step = current.lesson, current.step
    top = st.columns([6, 1])
    top[0].subheader(f"{lesson.title}", anchor=False)
    top[1].button("All lessons", on_click=leave, key="lesson_leave")
    st.progress(
        (current.index + 1) / len(lesson.steps),
        text=f"Step {current.index + 1} of {len(lesson.steps)}: **{step.title}**",
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        chart(current)
        if current.done:
            _many_runs(current.outcome)
    with right:
        st.markdown(step.narration)
        if step.question is not None:
            _question(current)
        if step.action not in ("none",) and not current.done:
            st.caption(f"**Your move:** press **{step.button}**.")
        _buttons(current)
        if current.done:
            _diagnostics(current.shown)
        outcome = current.outcome
        if step.point is not None and outcome is not None and outcome.point_opened:
            point_panel(
                current.shown,
                len(current.shown.snapshots) - 1,
                step.point,
                current.dataset.axis_labels,
            )
        if not (current.done and step.small_multiples):  # those have their own curve
            _curve(current.shown)
        if current.last and current.done:
            st.success("End of the lesson.")
            if st.button("Continue in Explore", type="primary", key="lesson_explore"):
                to_explore()
                st.switch_page("pages/explore.py")
        if lesson.sources:
            st.caption("Sources: " + " · ".join(lesson.sources))
    if current.done and step.small_multiples:  # the whole width: four panels and a curve
        _small_multiples(current)
