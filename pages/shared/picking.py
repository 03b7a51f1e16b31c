"""Picking the starting means on the Explore chart: a click (or a box) per component.

While the user picks, the run on screen is the previous one, from other settings: it is
neither drawn nor stepped (:func:`picking`).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from pages.shared.live_chart import selected_points


def picking(ss) -> bool:
    """Whether the user is picking starting means that no run has started from yet.

    Meanwhile the run on screen is the previous one, from other settings: it is neither
    drawn nor stepped.
    """
    if ss.picking is None:
        return False
    picked = tuple(tuple(m) for m in ss.picked_means)
    return ss.settings.init != "explicit" or ss.settings.means != picked


def points_selected() -> None:
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


def picking_help(ss) -> None:
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
