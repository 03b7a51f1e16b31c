"""The mixture as a whole on the Explore page: its density under the points, and data
sampled from it beside the data.

Both follow the snapshot on screen, so they change as the user steps, scrubs and
plays. The state is ``density``, ``sample`` and ``sample_seed``
(:data:`pages.shared.state.SHARED_KEYS`), which a link carries; the widgets here only
change them, so that the choice survives presentation mode, where they are not drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from gmm.density import density_grid, sample_mixture
from gmm.figures.samples import sampled_figure
from gmm.stepper import Snapshot
from pages.shared.live_chart import live_plotly_chart
from pages.shared.url_state import MAX_SAMPLE

#: Points drawn when "Sample from this model" is switched on.
DEFAULT_SAMPLE = 500
#: How far the density's grid reaches beyond the data, as a share of their span on each
#: side: the chart's equal-aspect axes may show more than the data's own ranges.
GRID_REACH = 0.5


def density_option(dataset, shown: Snapshot | None) -> dict:
    """The 2-D view's ``density`` option for the snapshot on screen, if it is asked for.

    Returns
    -------
    dict
        ``{"density": (xs, ys, log_density)}`` (see :func:`gmm.density.density_grid`),
        or ``{}`` when the density is off, there is no model, or the view is not 2-D.
    """
    if not st.session_state.density or shown is None or dataset.n_features != 2:
        return {}
    X = dataset.X
    low, high = X.min(axis=0), X.max(axis=0)
    reach = GRID_REACH * np.where(high > low, high - low, 1.0)
    ranges = [(low[j] - reach[j], high[j] + reach[j]) for j in range(2)]
    return {"density": density_grid(shown.params, *ranges)}


def _copy(widget: str, key: str) -> None:
    st.session_state[key] = st.session_state[widget]


def _sample_switched() -> None:
    ss = st.session_state
    ss.sample = DEFAULT_SAMPLE if ss.sample_toggle else 0


def view_toggles(d: int) -> None:
    """The density toggle, and "Sample from this model" with its size and seed."""
    ss = st.session_state
    ss.density_toggle, ss.sample_toggle = bool(ss.density), bool(ss.sample)
    left, right = st.columns(2)
    with left:
        st.toggle(
            "Show the mixture density",
            key="density_toggle",
            on_change=_copy,
            args=("density_toggle", "density"),
            disabled=d != 2,
            help="Pale bands of log p(x) under the points, one band per nat (each "
            "band e ≈ 2.7 times denser than the one outside it)."
            if d == 2
            else "In 1-D the black curve is the mixture density."
            if d == 1
            else "The density is drawn in 1-D (the black curve) and 2-D.",
        )
    with right:
        st.toggle(
            "Sample from this model",
            key="sample_toggle",
            on_change=_sample_switched,
            help="Draw points from the mixture on screen, beside the data: could this "
            "model have produced them?",
        )
    if ss.sample:
        ss.sample_input, ss.sample_seed_input = ss.sample, ss.sample_seed
        with st.container(horizontal=True, key="sample_settings"):
            st.number_input(
                "Points",
                1,
                MAX_SAMPLE,
                key="sample_input",
                step=100,
                on_change=_copy,
                args=("sample_input", "sample"),
            )
            st.number_input(
                "Sample seed",
                0,
                2**31 - 1,
                key="sample_seed_input",
                on_change=_copy,
                args=("sample_seed_input", "sample_seed"),
            )


def sampled_chart(dataset, shown: Snapshot | None, masses: Sequence[float]) -> None:
    """Points drawn from the snapshot on screen, in a small chart on the data's axes."""
    ss = st.session_state
    if not ss.sample or shown is None:
        return
    params = shown.params
    points, labels = sample_mixture(params, int(ss.sample), int(ss.sample_seed))
    figure = sampled_figure(
        points,
        labels,
        params.means,
        params.full_covariances,
        params.weights,
        masses,
        data=dataset.X,
        column_names=dataset.axis_labels,
        seed=int(ss.sample_seed),
    )
    live_plotly_chart(figure, key="sampled", after_paint=True)
    st.caption(
        "Each point drawn from one component, chosen by its weight: coloured by that "
        "component. Set it beside the data: could this model have produced them?"
    )
