"""The parameter table and the downloads under the Explore chart."""

from __future__ import annotations

import functools

import streamlit as st

from gmm.animation import ANIMATED_DIMENSIONS, run_animation
from gmm.export import parameter_frame, responsibilities_csv, run_to_json
from gmm.stepper import EMStepper, Snapshot


def parameter_table(shown: Snapshot, columns) -> None:
    frame = parameter_frame(shown.params, columns)
    st.dataframe(
        frame,
        width="stretch",
        column_config={c: st.column_config.NumberColumn(format="%.4g") for c in frame.columns},
    )


def downloads(ss, stepper: EMStepper, shown: Snapshot, figure) -> None:
    dataset = ss.dataset
    # One row that wraps: each button as wide as its label, so that none is cut at 1024 px.
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "Run (JSON)",
        functools.partial(run_to_json, stepper, ss.settings.to_dict(), dataset.describe()),
        file_name="gmm-run.json",
        mime="application/json",
        on_click="ignore",
        help="Settings, data source and the parameters at every half-step.",
    )
    row.download_button(
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
    row.download_button(
        "Figure (HTML)",
        functools.partial(figure.to_html, include_plotlyjs=True),
        file_name=f"gmm-{shown.label}.html",
        mime="text/html",
        on_click="ignore",
        help="The chart as a standalone, interactive HTML file.",
    )
    drawn = dataset.n_features in ANIMATED_DIMENSIONS
    row.download_button(
        "Animation (HTML)",
        functools.partial(run_animation, stepper, dataset, ss.settings),
        file_name="gmm-run-animation.html",
        mime="text/html",
        on_click="ignore",
        disabled=not drawn,
        help="The whole run as one HTML file that plays with no server and no network: "
        "Play, a slider and a speed, the colours, the ellipses (curves in 1-D, "
        "ellipsoids in 3-D) and the "
        "log-likelihood in step."
        if drawn
        else f"The animation draws one to three columns, not {dataset.n_features}: "
        "choose at most three to download it.",
    )
