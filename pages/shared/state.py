"""The session state every page shares: its declared keys, and the few ways to change them.

Session state holds a few named keys with the engine's own objects. Every key that more
than one module reads or writes is declared in :data:`SHARED_KEYS`, with what it holds;
a test checks that no page or shared module uses an undeclared one. Keys a single page
keeps for itself (its own widgets) start with that page's prefix (``ck_`` on Choose K),
and the sidebar's widget keys belong to :mod:`pages.shared.sidebar` alone.

The settings of the run have one home, ``settings``: other pages change them (with
:func:`open_run`, say) and the sidebar shows them.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Hashable

import streamlit as st

from gmm.data import Dataset
from gmm.run import RunSettings
from gmm.stepper import EMStepper, SharedData
from pages.shared import memory
from pages.shared.sources import builtin

#: Every key shared between modules, and what it holds.
SHARED_KEYS = {
    "dataset": "the gmm.data.Dataset on screen (replaced only by a good one)",
    "data_source": "what the data came from: ('builtin', name), ('generate', ...), ('upload', ...)",
    "settings": "the gmm.run.RunSettings of the current run: their one home",
    "stepper": "the gmm.stepper.EMStepper of the current run, or None (no model)",
    "view": "index of the snapshot on screen (scrubbing does not discard history)",
    "playing": "whether the history is being played back (in the browser: always False here)",
    "view_token": "changes when the server moves the view (pages.shared.history_player)",
    "history_mark": "(stepper, length, last snapshot) ids the view token was issued for",
    "history_cache": "the history's full blocks already packed for the browser, by run",
    "ahead": "(the history's mark, the run one step further on a copy, or None)",
    "picking": "K while the user picks starting means on the chart, else None",
    "picked_means": "the starting means picked so far, as tuples of floats",
    "selected_point": "the data row whose E-step arithmetic is shown (point panel), or None",
    "lesson": "the lesson in progress on the Learn page (gmm.lessons.LessonProgress) or None",
    "welcome_seen": "the first-visit welcome was shown in this session (never again)",
    "show_changes": "Explore's toggle: mark what each half-step changed (outlines, ghosts)",
    "notices": "messages to show once on the next page run, as (kind, text)",
    "failures": "what failed (data, settings) -> the engine's message; bounded",
    "jobs": "background jobs running now, by kind (pages.shared.jobs)",
    "job_results": "finished background results, by (kind, key), newest last",
    "job_errors": "the message of the last failed background job, by kind",
    "density": "whether the mixture density is drawn under the points",
    "sample": "how many points to draw from the model on screen (0: none)",
    "sample_seed": "the seed of the points drawn from the model",
    "present": "presentation mode: the chart, the stepping controls and the status only",
    "hidden_controls": "stepping controls a link hid (names from url_state.HIDEABLE)",
    "link_lesson": "(lesson, step from 1) a link asked the Learn page to open, until it does; or None",
}
#: How many failures are remembered (the oldest is forgotten first).
KEPT_FAILURES = 32
#: First-run defaults of the run's settings.
DEFAULT_SETTINGS = RunSettings(n_components=2, init="k-means++")
DEFAULT_DATA = "Old Faithful"
#: Seeds run from 0 to this (the sidebar's seed box has the same range).
MAX_SEED = 2**31 - 1

_ROUTED = "_routed_run"


def mark_routed() -> None:
    """Called by ``app.py`` on every run, before the page runs."""
    st.session_state[_ROUTED] = True


def state():
    """Streamlit's session state, with every shared key filled in on first use.

    If a page runs without the router, hand over to ``app.py`` so that the sidebar and
    the navigation are there. This happens when the very first request to a fresh
    server is a page's own URL: Streamlit then treats ``pages/`` as an old-style pages
    folder and runs the page's file alone.
    """
    ss = st.session_state
    if not ss.get(_ROUTED):  # keeping the link's parameters (pages.shared.link)
        params = st.query_params
        st.switch_page("app.py", query_params=[(k, v) for k in params for v in params.get_all(k)])
    if "dataset" not in ss:
        ss.data_source = ("builtin", DEFAULT_DATA)
        ss.notices, ss.failures, ss.picked_means, ss.picking = [], OrderedDict(), [], None
        ss.stepper, ss.view, ss.playing = None, 0, False
        ss.selected_point, ss.show_changes = None, True
        ss.jobs, ss.job_results, ss.job_errors = {}, OrderedDict(), {}
        ss.density, ss.sample, ss.sample_seed = False, 0, 0
        ss.present, ss.hidden_controls, ss.link_lesson = False, frozenset(), None
        adopt(builtin(DEFAULT_DATA), DEFAULT_SETTINGS, "", ("first run",))
    memory.touch(ss.stepper)  # in use: keep its cached E-steps (pages.shared.memory)
    return ss


def notify(message: str, kind: str = "info") -> None:
    """Queue a message for the next page run (``info``, ``success``, ``warning``, ``error``)."""
    st.session_state.notices.append((kind, message))


def show_notices() -> None:
    """Show and clear queued notices."""
    ss = state()
    for kind, message in ss.notices:
        getattr(st, kind)(message)
    ss.notices = []


def remember_failure(attempt: Hashable, message: str) -> None:
    """Remember why ``attempt`` failed, forgetting the oldest beyond :data:`KEPT_FAILURES`."""
    failures: OrderedDict = st.session_state.failures
    failures[attempt] = message
    failures.move_to_end(attempt)
    while len(failures) > KEPT_FAILURES:
        failures.popitem(last=False)


def failure(attempt: Hashable) -> str | None:
    """The message of a failed attempt, or None."""
    return st.session_state.failures.get(attempt)


def data_identity() -> tuple:
    """What the data on screen are: their source, columns and standardisation.

    Failures are keyed by this, so that a setting that failed on some data is tried
    again on other data, and never mistaken for one on a new object at the same address.
    """
    ss = st.session_state
    return (ss.data_source, ss.dataset.columns, ss.dataset.standardised)


def adopt(dataset: Dataset, settings: RunSettings, reason: str, attempt: Hashable) -> bool:
    """Start a run on ``dataset`` with ``settings`` and make both current.

    On failure nothing changes: the previous data and run stay on screen, and the
    engine's message is remembered under ``attempt`` (what was tried, e.g.
    ``("settings", data_identity(), settings)``) so that :func:`failure` can show it
    without trying again.

    Returns
    -------
    bool
        Whether the new run started.
    """
    ss = st.session_state
    if attempt in ss.failures:
        return False
    try:  # every run on these data, in any session, shares their array and moments
        stepper = settings.start(dataset.X, shared=SharedData.of(dataset.X))
    except ValueError as error:
        remember_failure(attempt, str(error))
        return False
    if dataset is not ss.get("dataset"):
        ss.selected_point = None  # a row of the old data means nothing in the new
    ss.dataset, ss.settings, ss.stepper = dataset, settings, stepper
    ss.view, ss.playing = 0, False
    memory.touch(stepper)
    if reason:
        notify(f"{reason} Started a new run at its initialisation.")
    return True


def restart() -> bool:
    """A new run with the current data and settings (the Initialize button)."""
    ss = st.session_state
    return adopt(ss.dataset, ss.settings, "", ("restart", data_identity(), ss.settings))


def carry_on(stepper: EMStepper) -> None:
    """Make ``stepper``, the current run carried further elsewhere (a background Run to
    convergence on a copy), the current one, shown at its last half-step.

    The settings and data stay: it is the same run with a longer history.
    """
    ss = st.session_state
    ss.stepper = stepper
    ss.view, ss.playing = len(stepper.snapshots) - 1, False
    memory.touch(stepper)


def another_start() -> RunSettings | None:
    """A new run from the same settings with the next seed (Explore's "Another start").

    The settings change, so the sidebar shows the new seed on its next run (settings
    have one home). A seed past :data:`MAX_SEED` wraps round to 0.

    Returns
    -------
    RunSettings or None
        The settings of the new run, or None if it could not start (then nothing
        changes).
    """
    ss = st.session_state
    settings = dataclasses.replace(ss.settings, seed=(ss.settings.seed + 1) % (MAX_SEED + 1))
    attempt = ("settings", data_identity(), settings)  # as the sidebar's model panel
    return settings if adopt(ss.dataset, settings, "", attempt) else None


def open_run(settings: RunSettings, stepper: EMStepper, message: str) -> None:
    """Make a run computed elsewhere (a restart on Choose K) the current one.

    The data stay; the sidebar shows ``settings`` on its next run. The history is shown
    at its last half-step.
    """
    ss = st.session_state
    ss.settings, ss.stepper = settings, stepper
    ss.view, ss.playing, ss.picked_means = len(stepper.snapshots) - 1, False, []
    memory.touch(stepper)
    notify(message, "success")
