"""The first-visit welcome: two ways in and three things to try, once per session."""

from __future__ import annotations

import streamlit as st

from pages.shared.lesson_state import start_first


def _seen() -> None:
    st.session_state.welcome_seen = True


def _first_lesson() -> None:
    _seen()
    start_first()
    st.session_state.welcome_go_learn = True


def welcome() -> None:
    """On the first page run of a session, a short welcome above the page; its buttons
    (or ✕) dismiss it for the rest of the session."""
    ss = st.session_state
    if ss.pop("welcome_go_learn", False):
        st.switch_page("pages/learn.py")
    if ss.get("welcome_seen"):
        return
    with st.container(border=True, key="welcome"):
        # The ✕'s column wide enough for its button on a 1024-px screen (1/21 of the
        # page left it an empty box there), the button at its right edge.
        text, close = st.columns([9, 1])
        text.markdown(
            "#### Welcome to GMM Explorer\n"
            "Watch EM fit a mixture of Gaussians, one half-step at a time. Three things to "
            "try first:\n"
            "1. Press **Next: E-step**, then **Next: M-step**: the colours change, then the "
            "ellipses move.\n"
            "2. Click a point on the chart to see its E-step with the numbers.\n"
            "3. Press **Another start** and see EM end somewhere else."
        )
        with close.container(horizontal_alignment="right"):
            st.button("✕", key="welcome_close", on_click=_seen, help="Close the welcome")
        left, right, _ = st.columns([2, 2, 3])
        left.button("Start the first lesson", on_click=_first_lesson)
        right.button("Explore on my own", on_click=_seen)
