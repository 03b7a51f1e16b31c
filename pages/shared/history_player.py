"""The Explore page's history, played in the browser (issue 15).

Back, Forward, the half-step slider, a click on the curve and Play/Pause move the view
in the browser with no rerun (``assets/history_player.js``): it draws each half-step
from the history's frames (:mod:`gmm.figures.history_frames`), sent here in blocks, and
from the last figure the server drew. The server learns the view when the user stops
(the "sync" element's state, :func:`_reported`), and the side panel follows.

``view_token`` changes only when the server moves the view itself (a new history or a
longer one: Step, Run, Initialize, a link...). The browser takes the server's view only
with a new token, and the server takes the browser's only with the current one, so
neither takes the other back to an older position.

Ahead of a click, the next half-steps are computed on a copy of the run
(:func:`ahead`): the browser paints them at once, and :func:`take_ahead` makes the
same snapshots the run's, so that the numbers on screen are the ones the server keeps.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import streamlit as st

from gmm.figures.changes import ringed_subset
from gmm.figures.history_frames import (
    BLOCK,
    block_payload,
    color_codes,
    drawn_range,
    run_manifest,
    status_html,
)
from gmm.figures.points import MAX_POINTS, display_subsample
from gmm.figures.raster import pixel_means
from gmm.figures.raster_traces import pixel_hovertemplate, view_grid
from gmm.status import describe
from gmm.stepper import EMStepper
from pages.shared.presentation import chart_type, control_shown
from pages.shared.static_files import serving, static_text, static_url
from pages.shared.what_changed import changes_shown

ASSETS = Path(__file__).resolve().parents[2] / "assets"
FRAMES_JS = Path(__file__).resolve().parents[2] / "gmm" / "figures" / "frames.js"

#: The player's scripts, in order: one module (each file says what it takes from those
#: before it).
PLAYER_SCRIPTS = (
    FRAMES_JS,
    ASSETS / "frame_canvas.js",
    ASSETS / "frame_canvas_3d.js",
    ASSETS / "frame_figure.js",
    ASSETS / "history_player.js",
)


@functools.cache
def _player():
    """The player's component: its script served as a file of the app's static folder
    where it can be (`pages.shared.static_files`), which the browser keeps, with a small
    loader inline (``assets/history_player_loader.js``); else the script itself inline,
    inside each of the player's elements."""
    script = "\n".join(path.read_text(encoding="utf-8") for path in PLAYER_SCRIPTS)
    name = static_text(script, "history-player", ".js") if serving() else None
    if name is not None:
        loader = (ASSETS / "history_player_loader.js").read_text(encoding="utf-8")
        script = loader.replace("__PLAYER_URL__", json.dumps(static_url(name)))
    return st.components.v2.component(
        "gmm_explorer.history",
        js=script,
        css=(ASSETS / "history_player.css").read_text(encoding="utf-8"),
        isolate_styles=False,
    )


#: Half-steps per second of each playback speed; 1× first shown.
SPEEDS = {"0.5×": 0.5, "1×": 1.0, "2×": 2.0, "4×": 4.0, "8×": 8.0, "16×": 16.0, "32×": 32.0}
SYNC_KEY = "history_sync"
#: Blocks of past runs kept, bytes, at most.
KEPT_BLOCKS = 64


# ------------------------------------------------------------------ the server's view
def _mark(stepper: EMStepper | None) -> tuple | None:
    """What identifies a history: the run, its length and its last snapshot (a history
    cut back and stepped again has the same length, not the same last snapshot)."""
    if stepper is None:
        return None
    return (id(stepper), len(stepper.snapshots), id(stepper.snapshots[-1]))


def view_token() -> int:
    """The token of the view the server shows: a new one whenever the history on screen
    is another or has another length (the server moved the view)."""
    ss = st.session_state
    mark = _mark(ss.stepper)
    if ss.get("history_mark") != mark:
        ss.history_mark = mark
        ss.view_token = ss.get("view_token", 0) + 1
    return ss.view_token


def _reported() -> None:
    """The browser stopped at a half-step: show it (if the server has not moved since)."""
    ss = st.session_state
    reported = getattr(ss.get(SYNC_KEY), "view", None) or {}
    stepper = ss.stepper
    if stepper is None or reported.get("token") != ss.get("view_token"):
        return
    if ss.get("history_mark") != _mark(stepper):
        return  # the server moved since it issued the token (a step's callback ran first)
    view = reported.get("view")
    if isinstance(view, int) and 0 <= view < len(stepper.snapshots):
        ss.view, ss.playing = view, False


def sync_view() -> None:
    """Before a step: take the view the browser shows, if it has not told us yet."""
    _reported()


# ------------------------------------------------------------------ the frames
def _run_id(ss, stepper: EMStepper, masses) -> str:
    """The run in the browser: its blocks are drawn with these masses and this type."""
    scale = chart_type().get("type_scale", 1.0)
    return f"{id(stepper.snapshots[0])}-{id(ss.dataset.X)}-{'-'.join(map(str, masses))}-{scale}"


def _shown_rows(n: int) -> np.ndarray:
    """The points the chart draws (the views' default subsample)."""
    return display_subsample(n, MAX_POINTS, 0)


def _frame(stepper: EMStepper, index: int, X: np.ndarray, shown: np.ndarray) -> tuple:
    """Half-step ``index``'s colour codes (or None), rings (or None) and status.

    The codes and the rings are per drawn point, or, in the image mode, per non-empty
    pixel of the view's grid (`view_grid`): each pixel's code is that of its points'
    mean responsibilities, the colour the server's image gives it, and the rings go
    round the pixels of the drawn points that changed component.
    """
    snapshot = stepper.snapshots[index]
    grid = view_grid(X, MAX_POINTS)
    drawn = len(shown) if grid is None else len(grid.occupied)
    colors = changed = None
    if snapshot.phase == "init":
        colors = color_codes(None, drawn)
    elif snapshot.phase == "E":
        gamma = stepper.responsibilities(index)
        if grid is None:
            colors = color_codes(gamma[shown], drawn)
        else:
            colors = color_codes(pixel_means(grid, gamma), drawn)
        changes = changes_shown(stepper, index, X)
        if changes is not None and not changes.first_colours:
            rows = np.asarray(changes.changed_points, dtype=int)
            place = np.clip(np.searchsorted(shown, rows), 0, len(shown) - 1)
            drawn_rows = rows[shown[place] == rows]  # as the server's view rings them
            changed = np.searchsorted(shown, ringed_subset(X, drawn_rows))
            if grid is not None:  # the pixels of the drawn points that changed
                changed = np.unique(grid.slot[shown[changed]])
    return colors, changed, status_html(describe(stepper, index).markdown())


def _block(ss, run: str, stepper: EMStepper, start: int, masses, ahead_of=None) -> bytes:
    """The block of half-steps ``start`` ... (at most `BLOCK`), cached while full."""
    snapshots = stepper.snapshots[start : start + BLOCK]
    key = (run, start, tuple(id(s) for s in snapshots), ahead_of)
    cache = ss.setdefault("history_cache", {})
    if key in cache:
        return cache[key][1]
    X = ss.dataset.X
    shown = _shown_rows(len(X))
    frames = [_frame(stepper, start + i, X, shown) for i in range(len(snapshots))]
    payload = block_payload(
        run,
        X,
        masses,
        start,
        snapshots,
        [f[0] for f in frames],
        [f[1] for f in frames],
        [f[2] for f in frames],
        ahead_of=ahead_of,
        **chart_type(),
    )
    if len(snapshots) == BLOCK and ahead_of is None and stepper.halted is None:
        cache[key] = (snapshots, payload)  # the snapshots keep their ids unique
        while len(cache) > KEPT_BLOCKS:
            cache.pop(next(iter(cache)))
    return payload


def ahead(stepper: EMStepper, busy: bool = False) -> EMStepper | None:
    """The run carried one step (E and M) further on a copy, computed once per history;
    None when it cannot step (or ``busy``: a run to convergence is under way)."""
    ss = st.session_state
    mark = _mark(stepper)
    held = ss.get("ahead")
    if held is not None and held[0] == mark:
        return held[1]
    further = None
    if stepper.can_step and stepper.halted is None and not busy:
        further = stepper.copy()
        if further.step() is None:
            further = None
    ss.ahead = (mark, further)
    return further


def take_ahead(stepper: EMStepper, action: str) -> EMStepper | None:
    """The run after ``action`` ("e_step", "m_step" or "step") from its last half-step,
    made of the snapshots computed ahead (the ones the browser painted); None when there
    are none for this run."""
    held = st.session_state.get("ahead")
    if held is None or held[0] != _mark(stepper) or held[1] is None:
        return None
    further: EMStepper = held[1]
    last = len(stepper.snapshots) - 1
    new = further.snapshots[last + 1 :]
    wanted = {"e_step": "E", "m_step": "M"}.get(action)
    if wanted is not None and (not new or new[0].phase != wanted):
        return None
    st.session_state.ahead = None
    if wanted is not None and len(new) > 1:  # the E-step alone; its M-step stays ahead
        committed = further.copy()
        committed.go_to(last + 1)
        st.session_state.ahead = (_mark(committed), further)
        return committed
    return further


# ------------------------------------------------------------------ on the page
def history_blocks(ss, stepper: EMStepper, masses, busy: bool = False) -> None:
    """The history's blocks (invisible), and the half-steps computed ahead (none while
    ``busy``)."""
    run = _run_id(ss, stepper, masses)
    with st.container(key="history_blocks"):
        for start in range(0, len(stepper.snapshots), BLOCK):
            _player()(data=_block(ss, run, stepper, start, masses), key=f"history_{start}")
        further = ahead(stepper, busy)
        if further is not None:
            last = len(stepper.snapshots) - 1
            payload = _block(ss, run, further, last + 1, masses, ahead_of=last)
            _player()(data=payload, key="history_ahead")


def history_sync(ss, stepper: EMStepper, masses) -> None:
    """The run's manifest, the server's view and token; the browser's view comes back."""
    X = ss.dataset.X
    _player()(
        key=SYNC_KEY,
        data={
            "role": "sync",
            "run": _run_id(ss, stepper, masses),
            "view": int(ss.view),
            "token": view_token(),
            "last": len(stepper.snapshots) - 1,
            "manifest": run_manifest(X, masses, len(stepper.snapshots[0].params.weights)),
            "show_changes": bool(ss.show_changes),
            "allowed": {
                "back": control_shown("back"),
                "next": control_shown("next"),
                "play": control_shown("play"),
            },
        },
        default={"view": None},
        on_view_change=_reported,
    )


def chart_history(ss, stepper: EMStepper | None, masses, figure) -> dict | None:
    """What the main chart's JavaScript needs to serve as the player's template."""
    if stepper is None:
        return None
    roles = [(trace.meta or {}).get("role") if trace.meta else None for trace in figure.data]
    names = ss.dataset.axis_labels
    hover = "<br>".join(f"{name} = %{{{axis}:.4g}}" for name, axis in zip(names, "xyz"))
    if view_grid(ss.dataset.X, MAX_POINTS) is not None:  # a pixel's count, kept in frames
        hover = pixel_hovertemplate(names, None, later=True).removesuffix("<extra></extra>")
    return {
        "run": _run_id(ss, stepper, masses),
        "view": int(ss.view),
        "token": view_token(),
        "drawn": drawn_range(roles, ss.dataset.n_features),
        "hover": hover + "<extra></extra>",
    }


def back_button() -> None:
    """Back, among the step buttons: the previous half-step, in the browser."""
    _player()(key="history_back", data={"role": "back"}, width="content")


def timeline(stepper: EMStepper) -> None:
    """The slider over the half-steps, Forward, Play/Pause and the speed."""
    if len(stepper.snapshots) == 1:
        st.caption("Take a step to build a history you can scrub and play back.")
        return
    _player()(
        key="history_timeline",
        data={
            "role": "timeline",
            "labels": [s.label for s in stepper.snapshots],
            "speeds": [[name, rate] for name, rate in SPEEDS.items()],
            "slider": control_shown("slider"),
            "play": control_shown("play"),
        },
    )


def status_line(ss, stepper: EMStepper) -> None:
    """The status line of the half-step on screen, which the browser keeps current."""
    html = status_html(describe(stepper, ss.view).markdown())
    _player()(
        key="history_status",
        data={
            "role": "status",
            "html": f"{html} · half-step {ss.view} of {len(stepper.snapshots) - 1}",
            "view": int(ss.view),
            "token": view_token(),
        },
    )
