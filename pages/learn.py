"""Learn: guided lessons that ask the learner to predict before the app reveals.

The lessons are TOML files in ``assets/lessons/`` (:mod:`gmm.lessons`); the answers to
their questions come from the engine. The page lists them, then shows one step at a
time (:mod:`pages.shared.lesson_view`).
"""

from __future__ import annotations

import streamlit as st

from pages.shared.lesson_state import lesson_query, lessons, open_linked, progress, start
from pages.shared.lesson_view import step_view
from pages.shared.state import show_notices, state


def lesson_list() -> None:
    """Every lesson, with a Start button."""
    st.header("Learn EM, one question at a time", anchor=False)
    st.markdown(
        "Each lesson is a few short steps. Where a step asks a question, **answer before "
        "you press the button**: the app then takes the step and checks your answer "
        "against what EM actually did. Every lesson ends with **Continue in Explore**."
    )
    refused = st.session_state.pop("_learn_refused", None)
    if refused:
        st.error(refused)
    found, problems = lessons()
    for problem in problems:
        st.warning(f"A lesson file could not be read: {problem}")
    for number, lesson in enumerate(found, start=1):
        with st.container(border=True):
            text, button = st.columns([5, 1], vertical_alignment="center")
            text.markdown(
                f"**{number}. {lesson.title}** · {len(lesson.steps)} steps  \n{lesson.summary}"
            )
            button.button("Start", key=f"learn_start_{lesson.slug}", on_click=start, args=(lesson,))


def main() -> None:
    state()
    open_linked()
    show_notices()
    current = progress()
    if current is None:
        lesson_list()
    else:
        step_view(current)
    # The address bar opens this lesson step again (``?lesson=<name>&step=<i>``).
    wanted = lesson_query()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


main()
