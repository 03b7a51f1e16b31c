"""The link to what is on screen: opened at session start, kept in the URL, copied.

:func:`restore_link` (called by ``app.py`` once per session, before the sidebar is
drawn) applies the link the session was opened with: it loads the data, starts the run
with the link's settings and replays EM up to the half-step in the link, which, EM
being deterministic, is the same snapshot the link was made on. :func:`sync_link`
(called at the end of the Explore page's fragment) writes the link of what is on
screen into the URL, and :func:`copy_link` offers it to copy. The parameters
themselves are :mod:`pages.shared.url_state`'s.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from gmm.errors import DataError
from gmm.stepper import EMStepper
from pages.shared.sidebar import show_data
from pages.shared.sources import builtin, generated
from pages.shared.state import DEFAULT_SETTINGS, adopt, failure, notify, state
from pages.shared.url_state import PARAMETERS, Link, decode, encode, quoted, without_means

JS_PATH = Path(__file__).resolve().parents[2] / "assets" / "copy_link.js"
_RESTORED = "_link_restored"

_copy_component = st.components.v2.component(
    "gmm_explorer.copy_link", js=JS_PATH.read_text(encoding="utf-8")
)


def _query() -> dict[str, list[str]]:
    """The URL's query parameters, each with all its values."""
    return {name: st.query_params.get_all(name) for name in st.query_params}


# ------------------------------------------------------------------------- opening
def restore_link() -> None:
    """Apply the link this session was opened with, once; say what could not be."""
    ss = state()
    if ss.get(_RESTORED):
        return
    ss[_RESTORED] = True
    query = _query()
    if not any(name in PARAMETERS for name in query):
        return
    ss.welcome_seen = True  # a link shows a prepared state: no first-visit welcome over it
    link, problems = decode(query)
    problems += _apply(ss, link)
    if problems:
        notify(
            "Some of the link's settings could not be used; the others were restored. "
            + " ".join(problems),
            "warning",
        )


def _dataset(source: tuple):
    """The data of a built-in or generated ``source``."""
    if source[0] == "builtin":
        return builtin(source[1])
    return generated(*source[1:])


def _columns(link: Link, dataset, problems: list[str]):
    """The link's columns and standardisation applied to ``dataset``, where they fit."""
    columns = link.columns or dataset.columns
    available = list(dataset.frame.columns)
    unknown = [c for c in columns if c not in available]
    if unknown or len(set(columns)) < len(columns):
        problems.append(
            f"**cols** = {quoted(', '.join(columns))} are not distinct columns of these "
            f"data ({', '.join(quoted(c) for c in available)}): using the default columns."
        )
        columns = dataset.columns
    return dataset.with_columns(list(columns)).with_standardisation(link.standardise)


def _apply(ss, link: Link) -> list[str]:
    """Make ``link`` what is on screen; return a message for each part that failed."""
    problems: list[str] = []
    source, dataset = ss.data_source, ss.dataset
    if link.source[0] == "upload":
        columns = f" (columns {', '.join(link.columns)})" if link.columns else ""
        notify(
            f"This link was made on uploaded data, which cannot travel in a link: the "
            f"settings were restored; upload the file {quoted(link.source[1])}{columns} "
            "to see the same data.",
            "info",
        )
    else:
        try:
            source, dataset = link.source, _columns(link, _dataset(link.source), problems)
        except (DataError, ValueError) as error:
            problems.append(f"**data**: these data could not be made ({error}).")
    if link.settings.means and len(link.settings.means[0]) != dataset.n_features:
        problems.append(
            f"**means** have {len(link.settings.means[0])} coordinate(s), but the data "
            f"{dataset.n_features}: using the default start ({DEFAULT_SETTINGS.init})."
        )
        link = without_means(link)
    settings = link.settings
    attempt = ("link", source, dataset.columns, dataset.standardised, settings)
    if not adopt(dataset, settings, "", attempt):
        problems.append(
            f"These settings could not start a run ({failure(attempt)}): using the defaults."
        )
        settings = DEFAULT_SETTINGS
        adopt(dataset, settings, "", (*attempt, "defaults"))
    ss.data_source = source
    ss.picked_means = [tuple(m) for m in settings.means] if settings.means else []
    if link.source[0] != "upload":
        ss.view = _replay(ss.stepper, link.half_step, problems)
    show_data(link.source if link.source[0] == "upload" else source, dataset.standardised)
    ss.density, ss.sample, ss.sample_seed = link.density, link.sample, link.sample_seed
    ss.present, ss.hidden_controls, ss.link_lesson = link.present, link.hidden, link.lesson
    return problems


def _replay(stepper: EMStepper, half_step: int, problems: list[str]) -> int:
    """Take half-steps until ``half_step`` is in the history; return the index shown."""
    while len(stepper.snapshots) <= half_step and stepper.halted is None:
        (stepper.e_step if stepper.next_phase == "E" else stepper.m_step)()
    last = len(stepper.snapshots) - 1
    if last < half_step:
        problems.append(
            f"**halfstep** = {half_step}: this run stops at half-step {last} (a covariance "
            "became singular); showing that one."
        )
    return min(half_step, last)


# ----------------------------------------------------------------------- the link
def current_link() -> Link:
    """The link of what is on screen."""
    ss = state()
    source = ss.data_source
    if source[0] == "upload":  # ("upload", file_id, name): the name travels, not the file
        source = ("upload", source[2])
    return Link(
        source=tuple(source),
        columns=tuple(ss.dataset.columns),
        standardise=bool(ss.dataset.standardised),
        settings=ss.settings,
        half_step=int(ss.view) if ss.stepper is not None else 0,
        density=bool(ss.density),
        sample=int(ss.sample),
        sample_seed=int(ss.sample_seed),
        present=bool(ss.present),
        hidden=frozenset(ss.hidden_controls),
        lesson=ss.link_lesson,
    )


def _as_lists(params: dict) -> dict[str, list[str]]:
    return {name: value if isinstance(value, list) else [value] for name, value in params.items()}


def sync_link() -> None:
    """Write the link of what is on screen into the URL, if it changed."""
    wanted = encode(current_link())
    if _query() != _as_lists(wanted):
        st.query_params.from_dict(wanted)


def query_string() -> str:
    """``?data=...``: the link's query, URL-encoded."""
    return "?" + urlencode(encode(current_link()), doseq=True)


def copy_link() -> None:
    """A "Copy link" button beside the link itself, for a student or a slide."""
    _copy_component(key="copy_link", data={"query": query_string(), "label": "Copy link"})
    uploaded = st.session_state.data_source[0] == "upload"
    st.caption(
        "Opens this half-step with these data and settings, on any computer that runs "
        "the app."
        + (" Uploaded data do not travel: whoever opens it uploads the file." if uploaded else "")
    )
