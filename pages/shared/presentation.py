"""Presentation mode, for a projector: the chart, the stepping controls, the status line.

A toggle beside the title, or ``?present=1`` in a link, turns it on
(:mod:`pages.shared.link`). Then the sidebar is collapsed, the chart takes the page's
width, the type is large (``assets/present.css`` for the page, :func:`chart_type` for the
chart), and only the stepping controls and
the status line stay above the chart. A link can also hide chosen stepping controls
for students (``hide=run,back``: names from :data:`pages.shared.url_state.HIDEABLE`);
a hidden control's keyboard shortcut goes with it.

The keyboard shortcuts themselves are the step buttons' own
(:mod:`pages.shared.stepping`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from gmm.figures import PRESENT_TYPE_SCALE
from pages.shared.link import copy_link
from pages.shared.url_state import HIDEABLE

STYLE = Path(__file__).resolve().parents[2] / "assets" / "present.css"
#: The keys of a presenter's clicker, and what they do (also on the buttons' help).
CLICKER_KEYS = "PageDown or → for the next half-step, PageUp or ← for the previous one"


def presenting() -> bool:
    """Whether presentation mode is on."""
    return bool(st.session_state.get("present"))


def chart_type() -> dict:
    """The main chart's options for the type: larger in presentation mode, else none.

    Passed to :func:`gmm.figures.model_figure`, whose ``type_scale`` scales every text of
    the chart (ticks, axis titles, legend, mass labels, hover labels) and its margins.
    """
    return {"type_scale": PRESENT_TYPE_SCALE} if presenting() else {}


def control_shown(control: str) -> bool:
    """Whether the stepping control ``control`` (a :data:`HIDEABLE` name) is drawn."""
    if control not in HIDEABLE:
        raise ValueError(f"no control called {control!r}; these can be hidden: {list(HIDEABLE)}")
    return control not in st.session_state.get("hidden_controls", ())


def _toggled() -> None:
    st.session_state.present = st.session_state.present_toggle


def present_toggle() -> None:
    """The "Present" toggle; it stays on screen in presentation mode, to leave it."""
    st.session_state.present_toggle = presenting()
    st.toggle(
        "Present",
        key="present_toggle",
        on_change=_toggled,
        help="For a projector: the sidebar closes, the chart takes the width, the type "
        f"is large; only the stepping controls and the status stay. Keys: {CLICKER_KEYS}; "
        "E and M for the half-steps, S for a step, P for Play/Pause.",
    )


def present_style() -> None:
    """In presentation mode: close the sidebar and send the large-type style."""
    if presenting():
        st.html(STYLE)


def share_and_present() -> None:
    """Beside the title: the link to this view, to copy, and the Present toggle."""
    with st.container(horizontal=True, key="share", gap="small", width="content"):
        with st.popover("Share", icon=":material/link:"):
            copy_link()
        present_toggle()
