"""The sidebar every page shows: where the data come from, and the model to fit.

This module alone touches the sidebar's widget keys. The run's settings live in
``st.session_state.settings`` (:mod:`pages.shared.state`); the model widgets show them,
and when the user changes a widget, the sidebar starts a run with the new settings. When
another page changes the settings (Choose K's "Open in Explore"), the widgets are set
from them on the sidebar's next run, so the sidebar shows them and starts nothing.
"""

from __future__ import annotations

import streamlit as st

from gmm.data import (
    BUILTIN_DATASETS,
    GENERATOR_KINDS,
    MAX_FILE_MB,
    MAX_ROWS,
    MIN_COMPONENTS,
    Dataset,
)
from gmm.errors import DataError
from gmm.init import INIT_METHOD_LABELS
from gmm.params import COVARIANCE_TYPES
from gmm.run import RunSettings
from pages.shared.choices import (
    COVARIANCE_LABELS,
    MAX_GENERATED,
    REG_COVAR_CHOICES,
    TOL_CHOICES,
    number_label,
)
from pages.shared.sources import builtin, generated, uploaded
from pages.shared.state import adopt, data_identity, failure, notify, remember_failure, state

AXES = ("x", "y", "z")
#: The settings the model widgets were last set from (see :func:`_show_settings`).
_SHOWN = "_sidebar_shows"
#: The data the source widgets were last set from (see :func:`_show_data`).
_SHOWN_DATA = "_sidebar_shows_data"


def sidebar() -> None:
    """The data and model panels."""
    data_panel()
    model_panel()


def truth_shown() -> bool:
    """Whether the user asked to see the components generated data were drawn from."""
    return bool(st.session_state.get("show_truth"))


# ------------------------------------------------------------------------------ data
#: The data panel's source choices, by the first element of a data source.
SOURCE_KINDS = {"builtin": "Built-in", "generate": "Generate", "upload": "Upload CSV"}


def show_data(source: tuple, standardised: bool) -> None:
    """Set the data panel's widgets to show ``source`` and its standardisation, before
    they are drawn: for a link opened at session start, or data another page chose.

    ``source`` is a data source (``("builtin", name)``, ``("generate", kind, n, true_k,
    dim, seed)``), or anything else (``("upload", name)`` for a link made on uploaded
    data, a lesson's own file): the panel then shows the upload box with no file, which
    keeps the data on screen. The column widgets need nothing: they start from the
    columns of the data on screen.
    """
    ss = st.session_state
    ss.source_kind = SOURCE_KINDS.get(source[0], SOURCE_KINDS["upload"])
    if source[0] == "builtin":
        ss.builtin_name = source[1]
    elif source[0] == "generate":
        ss.gen_kind, ss.gen_n, ss.gen_k, ss.gen_dim, ss.gen_seed = source[1:]
    ss.standardise = bool(standardised)


def _show_data() -> None:
    """Set the data widgets from the data on screen when another page chose them (a
    lesson's "Continue in Explore"), as :func:`_show_settings` does for the model."""
    ss = st.session_state
    if ss.get(_SHOWN_DATA, _shown_data()) != _shown_data():
        show_data(ss.data_source, ss.dataset.standardised)


def _shown_data() -> tuple:
    ss = st.session_state
    return (ss.data_source, ss.dataset.standardised)


def data_panel() -> None:
    """Sidebar: where the data come from, which columns, standardisation."""
    state()
    _show_data()
    _data_widgets()
    st.session_state[_SHOWN_DATA] = _shown_data()  # what the widgets now stand for


def _data_widgets() -> None:
    st.sidebar.header("Data")
    source = st.sidebar.radio(
        "Source",
        list(SOURCE_KINDS.values()),
        horizontal=True,
        key="source_kind",
        persist_state="session",
    )
    if source == "Built-in":
        name = st.sidebar.selectbox(
            "Data set", list(BUILTIN_DATASETS), key="builtin_name", persist_state="session"
        )
        _use_source(("builtin", name), lambda: builtin(name))
        _show_failure(("builtin", name), name)
    elif source == "Generate":
        _generate_controls()
    else:
        _upload_controls()
    _column_controls()


def _use_source(key: tuple, build) -> None:
    """Switch to the data from ``build()`` if ``key`` is new; keep the old data on error."""
    ss = st.session_state
    if key == ss.data_source or key in ss.failures:
        return
    try:
        dataset = build()
    except (DataError, ValueError) as error:
        remember_failure(key, str(error))
        notify(
            f"Those data could not be used: {error} The data and run on screen are unchanged.",
            "error",
        )
        return
    if adopt(dataset, ss.settings, f"New data: {dataset.name}.", key):
        ss.data_source = key
        ss.picked_means = []


def _show_failure(key, what: str) -> None:
    message = failure(key)
    if message:
        st.sidebar.error(
            f"{what} could not be used: {message}\n\n"
            f"Still showing: {st.session_state.dataset.name}."
        )


def _generate_controls() -> None:
    kinds = list(GENERATOR_KINDS)
    kind = st.sidebar.selectbox(
        "Kind", kinds, format_func=GENERATOR_KINDS.get, key="gen_kind", persist_state="session"
    )
    left, right = st.sidebar.columns(2)
    n = left.number_input(
        "Points n", 10, MAX_GENERATED, 500, step=100, key="gen_n", persist_state="session"
    )
    true_k = right.number_input(
        "True K", MIN_COMPONENTS[kind], 10, 3, key="gen_k", persist_state="session"
    )
    seed = left.number_input("Data seed", 0, 2**31 - 1, 0, key="gen_seed", persist_state="session")
    dim = right.selectbox("Dimensions", [1, 2, 3], index=1, key="gen_dim", persist_state="session")
    key = ("generate", kind, int(n), int(true_k), int(dim), int(seed))
    _use_source(key, lambda: generated(kind, int(n), int(true_k), int(dim), int(seed)))
    _show_failure(key, "The generated data")
    st.sidebar.checkbox(
        "Show the true components",
        key="show_truth",
        persist_state="session",
        help="Overlay the ellipses of the mixture the data were drawn from.",
    )


def _upload_controls() -> None:
    file = st.sidebar.file_uploader(
        "CSV file",
        type=["csv", "txt", "tsv", "dat"],
        key="upload",
        help="Comma, semicolon or tab separated; a header row is optional. Text columns "
        "are ignored and rows with missing values dropped.",
    )
    st.sidebar.caption(
        f"Up to {MAX_FILE_MB} MB; EM uses at most {MAX_ROWS:,} rows. A larger file: save "
        "only the columns you need, or a sample of its rows, and upload that."
    )
    if file is not None:
        key = ("upload", file.file_id, file.name)
        _use_source(key, lambda: uploaded(file))
        _show_failure(key, f"**{file.name}**")


def _column_controls() -> None:
    """How many columns to view (1-D, 2-D, 3-D) and which; EM runs on exactly those."""
    ss = st.session_state
    dataset: Dataset = ss.dataset
    available = list(dataset.frame.columns)
    views = list(range(1, min(3, len(available)) + 1))
    n_view = st.sidebar.radio(
        "View",
        views,
        index=views.index(min(dataset.n_features, views[-1])),
        format_func=lambda d: f"{d}-D",
        horizontal=True,
        key=f"dims::{ss.data_source}",
        help="How many columns EM uses and the chart shows.",
    )
    defaults = list(dataset.columns[:n_view])
    defaults += [c for c in available if c not in defaults][: n_view - len(defaults)]
    chosen = [
        slot.selectbox(
            f"{AXES[j]} column",
            available,
            index=available.index(defaults[j]),
            key=f"{AXES[j]}_col::{ss.data_source}::{n_view}",
            persist_state="session",
        )
        for j, slot in enumerate(
            st.sidebar.columns(n_view) if n_view < 3 else [st.sidebar] * n_view
        )
    ]
    standardise = st.sidebar.checkbox(
        "Standardise columns",
        key="standardise",
        persist_state="session",
        help="Centre each column and scale it to unit variance, as Bishop does for Old "
        "Faithful (PRML §9.2). Useful when the columns have very different scales.",
    )
    if len(set(chosen)) < len(chosen):
        st.sidebar.warning("Choose different columns for each axis.")
        return
    if tuple(chosen) != dataset.columns or standardise != dataset.standardised:
        key = ("view", ss.data_source, tuple(chosen), standardise, ss.settings)
        candidate = dataset.with_columns(chosen).with_standardisation(standardise)
        if adopt(
            candidate,
            ss.settings,
            f"Columns {' × '.join(chosen)}{', standardised' if standardise else ''}.",
            key,
        ):
            ss.picked_means = []
        _show_failure(key, "These columns")
    if len(available) > n_view:
        st.sidebar.caption(
            f"EM runs on the {n_view} chosen column(s) only "
            f"({', '.join(ss.dataset.columns)}) of the {len(available)} "
            "numeric ones."
        )
    for note in ss.dataset.notes:
        st.sidebar.caption(f"ℹ️ {note}")


# ----------------------------------------------------------------------------- model
def _show_settings() -> None:
    """Set the model widgets from the run's settings when these changed elsewhere.

    Widget values may only be set before the widgets are drawn in a run, so this runs
    first. While the user picks starting means (chosen means, not yet all picked), the
    run's settings are the previous ones and the widgets keep the user's choice.
    """
    ss = st.session_state
    settings: RunSettings = ss.settings
    if ss.get(_SHOWN) == settings:
        return
    ss[_SHOWN] = settings
    ss.k, ss.cov_type, ss.init = settings.n_components, settings.covariance_type, settings.init
    ss.seed, ss.max_iter = settings.seed, settings.max_iter
    ss.reg_covar, ss.tol = settings.reg_covar, settings.tol


def model_panel() -> None:
    """Sidebar: K, covariance type, initialisation, seed, reg_covar, tol, max_iter."""
    ss = state()
    _show_settings()
    st.sidebar.header("Model")
    k = st.sidebar.slider("Components K", 1, 10, key="k", persist_state="session")
    covariance_type = st.sidebar.selectbox(
        "Covariance type",
        COVARIANCE_TYPES,
        format_func=COVARIANCE_LABELS.get,
        key="cov_type",
        persist_state="session",
    )
    init = st.sidebar.selectbox(
        "Initialisation",
        list(INIT_METHOD_LABELS),
        format_func=INIT_METHOD_LABELS.get,
        key="init",
        persist_state="session",
        help="'chosen means' lets you pick the starting means by clicking points on the chart.",
    )
    left, right = st.sidebar.columns(2)
    seed = left.number_input("Seed", 0, 2**31 - 1, key="seed", persist_state="session")
    max_iter = right.number_input("max_iter", 1, 10_000, key="max_iter", persist_state="session")
    reg_covar = st.sidebar.select_slider(
        "reg_covar",
        REG_COVAR_CHOICES,
        key="reg_covar",
        persist_state="session",
        format_func=number_label,
        help="Added to each covariance's diagonal. 0 lets a component collapse onto a "
        "point, which EM then reports.",
    )
    tol = st.sidebar.select_slider(
        "tol",
        TOL_CHOICES,
        key="tol",
        persist_state="session",
        format_func=number_label,
        help="Converged when the log-likelihood per point changes by less than this. "
        "0 turns the test off (as in scikit-learn): EM runs all max_iter iterations.",
    )
    ss.picking = int(k) if init == "explicit" else None
    means = None
    if init == "explicit" and len(ss.picked_means) == k:
        means = tuple(tuple(m) for m in ss.picked_means)
    wanted = RunSettings(
        int(k),
        covariance_type,
        init,
        int(seed),
        float(reg_covar),
        float(tol),
        int(max_iter),
        means,
    )
    current: RunSettings = ss.settings
    if wanted == current:
        return
    if init == "explicit" and means is None:
        return  # the page asks for the missing points; the old run stays meanwhile
    key = ("settings", data_identity(), wanted)
    if adopt(ss.dataset, wanted, f"Settings changed ({wanted.changes_from(current)}).", key):
        ss[_SHOWN] = wanted
    message = failure(key)
    if message:
        st.sidebar.error(
            f"These settings cannot start a run: {message}\n\nThe previous run stays on screen."
        )
