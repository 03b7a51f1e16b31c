"""What the half-step on screen changed, for the Explore page: the chart's marks (rings
round the points that changed component, the ghosts of the previous ellipses, the
selected point) and the words for the line above the chart.

The numbers come from :func:`gmm.explain.changes_at`; the marks are options of
:func:`gmm.figures.model_figure`. The toggle "Show what changed" (session key
``show_changes``, on by default) switches the rings, ghosts and captions off for a clean
picture; the selected point stays marked while its panel is open.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import numpy as np
import streamlit as st

from gmm.explain import HalfStepChanges, changes_at
from gmm.figures.array_cache import derived
from gmm.figures.changes import ringed_subset
from gmm.stepper import EMStepper, Snapshot

#: What the marks are, said after the caption.
MARK_WORDS = {"E": " (ringed)", "M": " (dashed: before)"}
#: After an E-step whose changed points crowd (`gmm.figures.changes.ringed_subset`).
CROWDED_RINGS = " (ringed, one ring per crowded spot)"
#: What each half-step changed, with its numbers; the caption follows.
HALF_STEP_WORDS = {"E": "**E-step** done: new colours; ", "M": "**M-step** done: new ellipses; "}


def _toggled() -> None:
    ss = st.session_state
    ss.show_changes = ss.explore_show_changes


def show_changes_toggle() -> None:
    """The page's toggle; its value lives in ``show_changes``, which outlives the
    widget when the user visits another page."""
    ss = st.session_state
    ss.explore_show_changes = ss.show_changes
    st.toggle(
        "Show what changed",
        key="explore_show_changes",
        on_change=_toggled,
        help="After an E-step, ring the points whose most likely component changed; "
        "after an M-step, keep the previous ellipses as dashed ghosts with an arrow "
        "from each old mean to the new one. Off: a clean picture.",
    )


#: The last `changes_shown` results, by (before, after, X). A rerun asks for the same
#: half-steps again (the caption, the chart's rings, the history's last block), and each
#: answer takes the most likely component of every point twice (0.1 s at n = 10⁶).
_RECENT_CHANGES: OrderedDict[tuple[int, int, int], tuple] = OrderedDict()
_RECENT_LOCK = threading.Lock()  # sessions run their scripts in threads of one process
RECENT_CHANGES_KEPT = 32


def changes_shown(stepper: EMStepper, index: int, X: np.ndarray) -> HalfStepChanges | None:
    """What half-step ``index`` changed (`gmm.explain.changes_at`), moves measured in the
    data's standard deviations (computed once per data set); kept for the last
    `RECENT_CHANGES_KEPT` half-steps asked for (a snapshot never changes once made)."""
    if index == 0:
        return None
    before, after = stepper.snapshots[index - 1], stepper.snapshots[index]
    key = (id(before), id(after), id(X))
    with _RECENT_LOCK:
        kept = _RECENT_CHANGES.get(key)
        if kept is not None and kept[0] is before and kept[1] is after and kept[2]() is X:
            _RECENT_CHANGES.move_to_end(key)
            return kept[3]
    scale = derived(X, "std", lambda X: np.std(X, axis=0))
    changes = changes_at(stepper, index, scale=scale)
    with _RECENT_LOCK:  # the snapshots are kept alive, so their ids stay theirs; X is not
        _RECENT_CHANGES[key] = (before, after, weakref.ref(X), changes)
        while len(_RECENT_CHANGES) > RECENT_CHANGES_KEPT:
            _RECENT_CHANGES.popitem(last=False)
    return changes


def change_marks(ss, stepper: EMStepper | None, shown: Snapshot | None) -> dict:
    """The options of ``model_figure`` that mark what changed and the selected point."""
    marks: dict = {}
    if ss.selected_point is not None and ss.selected_point < ss.dataset.n_samples:
        marks["selected_point"] = ss.selected_point
    if shown is None or not ss.show_changes or shown.index == 0:
        return marks
    if shown.phase == "E":
        changes = changes_shown(stepper, shown.index, ss.dataset.X)
        if changes is not None and not changes.first_colours:
            marks["changed_points"] = changes.changed_points
    elif shown.phase == "M":
        before = stepper.snapshots[shown.index - 1].params
        marks["previous"] = (before.means, before.full_covariances, before.weights)
    return marks


def change_news(stepper: EMStepper, shown: Snapshot, X: np.ndarray) -> str | None:
    """The line above the chart after a half-step, e.g. "**E-step** done: new colours;
    12 points changed component (ringed)"; None at the initialisation."""
    changes = changes_shown(stepper, shown.index, X)
    if changes is None or shown.phase not in HALF_STEP_WORDS:
        return None
    if changes.first_colours:
        marks = ""
    elif shown.phase == "E" and len(ringed_subset(X, changes.changed_points)) < changes.n_changed:
        marks = CROWDED_RINGS
    else:
        marks = MARK_WORDS[shown.phase]
    return HALF_STEP_WORDS[shown.phase] + changes.caption + marks + "."
