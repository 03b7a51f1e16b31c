"""What every page shares: session state, and the data and model panels in the sidebar.

Session state holds a few named keys with the engine's own objects:

``dataset``   the :class:`gmm.dataset.Dataset` on screen (replaced only by a good one)
``settings``  the :class:`gmm.run.RunSettings` of the current run
``stepper``   the :class:`gmm.stepper.EMStepper` of the current run, or None (no model)
``view``      index of the snapshot on screen (scrubbing does not discard history)
``notices``   messages to show once on the next page run (new run started, ...)

The page modules stay thin: everything with numbers in it lives in ``gmm``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from gmm.data import BUILTIN_DATASETS, builtin_dataset, load_csv
from gmm.dataset import Dataset
from gmm.errors import DataError
from gmm.generators import GENERATOR_KINDS, MIN_COMPONENTS, generate
from gmm.init import INIT_METHOD_LABELS
from gmm.params import COVARIANCE_TYPES, MixtureParams
from gmm.run import RunSettings

MAX_GENERATED = 200_000
REG_COVAR_CHOICES = (0.0, 1e-9, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1)
TOL_CHOICES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 0.0)
COVARIANCE_LABELS = {
    "full": "full (any ellipse)",
    "tied": "tied (one shared ellipse)",
    "diag": "diag (axis-aligned)",
    "spherical": "spherical (circles)",
}
DEFAULT_SETTINGS = RunSettings(n_components=2, init="k-means++")


# ------------------------------------------------------------------------------ state
def mark_routed() -> None:
    """Called by ``app.py`` on every run, before the page runs."""
    st.session_state["_routed_run"] = True


def state():
    """Streamlit's session state, with defaults filled in on first use.

    If a page runs without the router (Streamlit takes ``pages/`` for an old-style
    pages folder when the very first request to a fresh server is a page's own URL),
    hand over to ``app.py`` so the sidebar and navigation are there.
    """
    ss = st.session_state
    if not ss.get("_routed_run"):
        st.switch_page("app.py")
    if "dataset" not in ss:
        ss.data_source = ("builtin", "Old Faithful")
        ss.notices, ss.failures, ss.picked_means = [], {}, []
        ss.stepper, ss.view, ss.playing = None, 0, False
        adopt(builtin("Old Faithful"), DEFAULT_SETTINGS, "", "first run")
    return ss


def notify(message: str, kind: str = "info") -> None:
    """Queue a message for the next page run (``info``, ``success``, ``warning``)."""
    st.session_state.notices.append((kind, message))


def adopt(dataset: Dataset, settings: RunSettings, reason: str, attempt) -> bool:
    """Start a run on ``dataset`` with ``settings`` and make both current.

    On failure nothing changes: the previous data and run stay on screen, and the
    engine's message is remembered under ``attempt`` (a hashable description of what
    was tried) so that :func:`failure` can show it without trying again.

    Returns
    -------
    bool
        Whether the new run started.
    """
    ss = st.session_state
    if attempt in ss.failures:
        return False
    try:
        stepper = settings.start(dataset.X)
    except ValueError as error:
        ss.failures[attempt] = str(error)
        return False
    ss.dataset, ss.settings, ss.stepper = dataset, settings, stepper
    ss.view, ss.playing = 0, False
    if reason:
        notify(f"{reason} Started a new run at its initialisation.")
    return True


def failure(attempt) -> str | None:
    """The message of a failed :func:`adopt` attempt, or None."""
    return st.session_state.failures.get(attempt)


def restart() -> bool:
    """A new run with the current data and settings (the Initialize button)."""
    ss = st.session_state
    return adopt(ss.dataset, ss.settings, "", ("restart", id(ss.dataset), ss.settings))


def show_notices() -> None:
    """Show and clear queued notices."""
    ss = state()
    for kind, message in ss.notices:
        getattr(st, kind)(message)
    ss.notices = []


# ------------------------------------------------------------------------------ data
@st.cache_data(show_spinner=False, max_entries=4)
def builtin(name: str) -> Dataset:
    """A built-in data set, default view of its first two numeric columns."""
    frame = builtin_dataset(name)
    labels = frame["species"].to_numpy() if "species" in frame else None
    return Dataset.from_frame(name, frame, labels=labels)


@st.cache_data(show_spinner="Generating data…", max_entries=8)
def generated(kind: str, n: int, n_components: int, dim: int, seed: int) -> Dataset:
    """Synthetic data with the generating components kept as ``truth``."""
    data = generate(kind, n, n_components, dim, seed)
    columns = [f"x{j + 1}" for j in range(dim)]
    truth = None
    if data.true_covariances is not None:
        truth = MixtureParams(data.true_weights, data.true_means, data.true_covariances)
    frame = pd.DataFrame(np.asarray(data.X), columns=columns)
    return Dataset.from_frame(
        f"{GENERATOR_KINDS[kind]} ({dim}-D, n={n:,}, K={n_components}, seed {seed})",
        frame,
        notes=(data.description,),
        n_view=dim,
        truth=truth,
        labels=data.labels,
    )


def uploaded(file) -> Dataset:
    """Parse an upload; raises DataError with the engine's message."""
    frame, notes = load_csv(file)
    return Dataset.from_frame(f"upload: {file.name}", frame, notes=notes)


def data_panel() -> None:
    """Sidebar: where the data come from, which columns, standardisation."""
    state()
    st.sidebar.header("Data")
    source = st.sidebar.radio(
        "Source",
        ["Built-in", "Generate", "Upload CSV"],
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
        ss.failures[key] = str(error)
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
    if file is not None:
        key = ("upload", file.file_id, file.name)
        _use_source(key, lambda: uploaded(file))
        _show_failure(key, f"**{file.name}**")


AXES = ("x", "y", "z")


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
def model_panel() -> None:
    """Sidebar: K, covariance type, initialisation, seed, reg_covar, tol, max_iter."""
    ss = state()
    st.sidebar.header("Model")
    current: RunSettings = ss.settings
    k = st.sidebar.slider(
        "Components K", 1, 10, current.n_components, key="k", persist_state="session"
    )
    covariance_type = st.sidebar.selectbox(
        "Covariance type",
        COVARIANCE_TYPES,
        index=COVARIANCE_TYPES.index(current.covariance_type),
        format_func=COVARIANCE_LABELS.get,
        key="cov_type",
        persist_state="session",
    )
    methods = list(INIT_METHOD_LABELS)
    init = st.sidebar.selectbox(
        "Initialisation",
        methods,
        index=methods.index(current.init),
        format_func=INIT_METHOD_LABELS.get,
        key="init",
        persist_state="session",
        help="'chosen means' lets you pick the starting means by clicking points on the chart.",
    )
    left, right = st.sidebar.columns(2)
    seed = left.number_input(
        "Seed", 0, 2**31 - 1, current.seed, key="seed", persist_state="session"
    )
    max_iter = right.number_input(
        "max_iter", 1, 10_000, current.max_iter, key="max_iter", persist_state="session"
    )
    reg_covar = st.sidebar.select_slider(
        "reg_covar",
        REG_COVAR_CHOICES,
        value=current.reg_covar,
        key="reg_covar",
        persist_state="session",
        format_func=lambda v: "0" if v == 0 else f"{v:g}",
        help="Added to each covariance's diagonal. 0 lets a component collapse onto a "
        "point, which EM then reports.",
    )
    tol = st.sidebar.select_slider(
        "tol",
        TOL_CHOICES,
        value=current.tol,
        key="tol",
        persist_state="session",
        format_func=lambda v: "0" if v == 0 else f"{v:g}",
        help="Converged when the log-likelihood per point changes by less than this.",
    )
    means = None
    if init == "explicit":
        picked = ss.picked_means
        means = tuple(tuple(m) for m in picked) if len(picked) == k else None
    wanted = RunSettings(
        int(k), covariance_type, init, int(seed), float(reg_covar), float(tol), int(max_iter), means
    )
    if wanted == current:
        return
    if init == "explicit" and means is None:
        return  # the page asks for the missing points; the old run stays meanwhile
    key = ("settings", id(ss.dataset), wanted)
    adopt(ss.dataset, wanted, f"Settings changed ({wanted.changes_from(current)}).", key)
    message = failure(key)
    if message:
        st.sidebar.error(
            f"These settings cannot start a run: {message}\n\nThe previous run stays on screen."
        )


def sidebar() -> None:
    """The data and model panels."""
    data_panel()
    model_panel()
