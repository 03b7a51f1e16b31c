"""One point's E-step, with its numbers: the panel beside the Explore chart.

The numbers come from :mod:`gmm.explain`, which computes them with the engine's own
functions; this module only lays them out: a table of pi_k, N(x | mu_k, Sigma_k), their
product and gamma_k, the sum that normalises them, the formula with this point's numbers
put in, and after an M-step what the point gave each new mean (gamma_ik / N_k).

The selected point is the session key ``selected_point`` (a row of the data, or None).
On a 1-D or 2-D chart a click selects it (:func:`point_clicked`); in 3-D,
:func:`point_chooser` takes an index or the nearest point to a typed position.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from gmm.explain import (
    PointBreakdown,
    breakdown_at,
    mean_contributions,
    parameters_index,
    subscript,
)
from gmm.figures import MAX_POINTS, clicked_row
from gmm.stepper import EMStepper
from pages.shared.live_chart import selected_points

#: Significant digits of every number the panel shows.
DIGITS = 4
#: Above this many components the formula's denominator is written as its value only.
MAX_TERMS = 4


# ---------------------------------------------------------------------- numbers


def number(value: float, log_value: float | None = None) -> str:
    """``value`` to :data:`DIGITS` significant digits; where it underflows to 0 while its
    log is finite, ``"0 (log −1234.5)"``."""
    if value == 0 and log_value is not None and math.isfinite(log_value):
        return f"0 (log {log_value:.{DIGITS}g})".replace("-", "−")
    return f"{value:.{DIGITS}g}".replace("-", "−")


def _tex(value: float, log_value: float | None = None) -> str:
    """A number for LaTeX: ``4.496\\times10^{-5}``, or ``e^{-1234}`` where it underflows."""
    if value == 0 and log_value is not None and math.isfinite(log_value):
        return rf"e^{{{log_value:.{DIGITS}g}}}"
    mantissa, _, exponent = f"{value:.{DIGITS}g}".partition("e")
    return rf"{mantissa}\times10^{{{int(exponent)}}}" if exponent else mantissa


def breakdown_table(breakdown: PointBreakdown) -> pd.DataFrame:
    """The panel's table, one row per component (numbered from 1), as text."""
    rows = {
        "πₖ": [number(w) for w in breakdown.weights],
        "N(x | μₖ, Σₖ)": [
            number(v, lv) for v, lv in zip(breakdown.densities, breakdown.log_densities)
        ],
        "πₖ · N": [number(v, lv) for v, lv in zip(breakdown.products, breakdown.log_products)],
        "γₖ": [number(g) for g in breakdown.responsibilities],
    }
    index = [f"component {k + 1}" for k in range(breakdown.n_components)]
    return pd.DataFrame(rows, index=pd.Index(index, name="k"))


def formula_tex(breakdown: PointBreakdown, point_index: int, k: int) -> str:
    """gamma_ik = pi_k N / sum_j pi_j N_j with this point's numbers, for component k,
    on three lines (the formula, its numbers, the result) to fit a narrow panel."""
    i, c = point_index, k + 1
    top = _tex(breakdown.products[k], breakdown.log_products[k])
    total = _tex(breakdown.normaliser, breakdown.log_normaliser)
    numbers = rf"\frac{{{top}}}{{{total}}}"
    if breakdown.n_components <= MAX_TERMS:
        terms = " + ".join(_tex(p, lp) for p, lp in zip(breakdown.products, breakdown.log_products))
        numbers = rf"\frac{{{top}}}{{{terms}}} = " + numbers
    return (
        r"\begin{aligned}"
        rf"\gamma_{{{i},{c}}} &= \frac{{\pi_{c}\,\mathcal N(x_{{{i}}}\mid\mu_{c},\Sigma_{c})}}"
        rf"{{\sum_j \pi_j\,\mathcal N(x_{{{i}}}\mid\mu_j,\Sigma_j)}}\\"
        rf"&= {numbers}\\"
        rf"&= {_tex(breakdown.responsibilities[k])}"
        r"\end{aligned}"
    )


def contributions_table(responsibilities: np.ndarray, point_index: int) -> pd.DataFrame:
    """What the point gave each new mean: gamma_ik, N_k and gamma_ik / N_k, as text."""
    shares = mean_contributions(responsibilities, point_index)
    gamma = responsibilities[point_index]
    index = [f"μ{subscript(k + 1)}" for k in range(len(shares))]
    return pd.DataFrame(
        {
            "γᵢₖ": [number(g) for g in gamma],
            "Nₖ": [number(g / s) if s > 0 else "—" for g, s in zip(gamma, shares)],
            "γᵢₖ / Nₖ": [number(s) for s in shares],
        },
        index=pd.Index(index, name="new mean"),
    )


# ---------------------------------------------------------------------- choosing


def point_clicked() -> None:
    """A click on the Explore chart (not picking means) selects that data point."""
    ss = st.session_state
    points = [p for p in selected_points("scatter") if p.get("curve_number") == 0]
    if not points or "point_index" not in points[0]:
        return
    # A drawn point, or in the image mode a pixel: its point nearest the pixel's centre.
    ss.selected_point = clicked_row(ss.dataset.X, int(points[0]["point_index"]), MAX_POINTS)


def _clear() -> None:
    st.session_state.selected_point = None


def _index_typed() -> None:
    ss = st.session_state
    ss.selected_point = int(ss.explore_point_index)


def _position_typed() -> None:
    ss = st.session_state
    text = ss.explore_point_position.replace(";", ",")
    try:
        position = np.array([float(v) for v in text.split(",")])
    except ValueError:
        position = None
    X = ss.dataset.X
    if position is None or position.shape != (X.shape[1],) or not np.all(np.isfinite(position)):
        ss.explore_point_refused = (
            f"Type {X.shape[1]} numbers separated by commas, e.g. "
            f"{', '.join('0' for _ in range(X.shape[1]))}."
        )
        return
    ss.selected_point = int(np.argmin(np.sum((X - position) ** 2, axis=1)))


def point_chooser(n_samples: int, column_names) -> None:
    """For the 3-D chart, where a click on a point rotates the scene: a point by its
    index, or the nearest to a typed position."""
    ss = st.session_state
    left, right = st.columns(2)
    left.number_input(
        "Show the arithmetic of point number",
        min_value=0,
        max_value=n_samples - 1,
        value=None,
        step=1,
        key="explore_point_index",
        on_change=_index_typed,
        placeholder=f"0 to {n_samples - 1}",
    )
    right.text_input(
        "…or the point nearest to",
        key="explore_point_position",
        on_change=_position_typed,
        placeholder=", ".join(column_names),
        help="Its coordinates, separated by commas, in the chart's units.",
    )
    refused = ss.pop("explore_point_refused", None)
    if refused:
        st.warning(refused)


# ---------------------------------------------------------------------- the panel


def _heading(stepper: EMStepper, index: int, point_index: int, column_names) -> None:
    x = stepper.X[point_index]
    where = ", ".join(f"{name} {value:.{DIGITS}g}" for name, value in zip(column_names, x))
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(f"**Point {point_index}** · ({where})")
    right.button("✕", key="point_panel_clear", on_click=_clear, help="Unselect this point")
    snapshot = stepper.snapshots[index]
    source = stepper.snapshots[parameters_index(snapshot)]
    if snapshot.phase == "init":
        st.caption("What the first E-step will compute, with the starting parameters:")
    elif snapshot.phase == "M":
        st.caption(
            f"Its colour comes from the E-step of iteration {source.iteration}, "
            "before this M-step moved the ellipses:"
        )
    else:
        st.caption(f"The E-step of iteration {snapshot.iteration} (the colours on screen):")


def point_panel(stepper: EMStepper, index: int, point_index: int, column_names) -> None:
    """The E-step of one point at snapshot ``index``, with its numbers.

    Parameters
    ----------
    stepper : EMStepper
    index : int
        The snapshot on screen.
    point_index : int
        A row of ``stepper.X``.
    column_names : sequence of str, length n_features
    """
    if not 0 <= point_index < stepper.n_samples:
        st.warning(f"Point {point_index} is not in these data (0 to {stepper.n_samples - 1}).")
        return
    breakdown = breakdown_at(stepper, index, point_index)
    _heading(stepper, index, point_index, column_names)
    st.table(breakdown_table(breakdown))
    st.markdown(
        "Sum that normalises them: Σⱼ πⱼ N = "
        f"**{number(breakdown.normaliser, breakdown.log_normaliser)}** "
        f"(log {number(breakdown.log_normaliser)}, this point's term of the log-likelihood)"
    )
    st.latex(formula_tex(breakdown, point_index, breakdown.most_likely))
    if stepper.snapshots[index].phase == "M":
        st.markdown(
            "**What it gave each new mean:** μₖ = Σᵢ (γᵢₖ / Nₖ) xᵢ, so this point pulls "
            f"μₖ with weight γᵢₖ / Nₖ (the n weights of each mean sum to 1; on average "
            f"1/n = {number(1 / stepper.n_samples)})."
        )
        st.table(contributions_table(stepper.responsibilities(index), point_index))


def point_section(ss, stepper: EMStepper, shown) -> None:
    """The side panel's point part: in 3-D the chooser; then the selected point's
    panel, or how to select one."""
    names = ss.dataset.axis_labels
    if ss.dataset.n_features == 3:
        point_chooser(stepper.n_samples, names)
    point = ss.selected_point
    if point is None or point >= stepper.n_samples:
        if ss.dataset.n_features < 3:
            st.caption("Click a point on the chart to see its E-step with the numbers.")
        return
    point_panel(stepper, shown.index, point, names)
