"""The Learn page's state: which lesson, which step, and the learner's buttons.

The lesson in progress is a :class:`gmm.lessons.LessonProgress` in the session key
``lesson``; it holds its own data and run, so a lesson never disturbs the run on the
Explore page until the learner asks for it ("Continue in Explore", :func:`to_explore`).
The learner's choice is the page's own radio (:func:`choice_key`), read when the action
button is pressed: the answer is given before the app takes the step.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from gmm.lessons import Lesson, LessonProgress, load_lessons, run_settings
from pages.shared.state import notify, open_run

#: Where the lesson files live: a teacher adds a TOML file here.
LESSON_FOLDER = Path(__file__).resolve().parents[2] / "assets" / "lessons"
#: The radio holding the learner's answer (this page's own widget key), one per step so
#: that a new step's radio never shows the answer given to the step before.
CHOICE = "learn_choice"


def choice_key(current: LessonProgress) -> str:
    """The widget key of the answer to the step on screen."""
    return f"{CHOICE}_{current.lesson.slug}_{current.index}"


def lessons() -> tuple[list[Lesson], list[str]]:
    """Every lesson file, in order, and the messages of the files that could not be used."""
    return load_lessons(LESSON_FOLDER)


def progress() -> LessonProgress | None:
    """The lesson in progress, or None (the list of lessons is shown)."""
    return st.session_state.get("lesson")


def start(lesson: Lesson) -> None:
    """Open ``lesson`` at its first step (a callback)."""
    ss = st.session_state
    for key in [k for k in ss if str(k).startswith(f"{CHOICE}_{lesson.slug}_")]:
        del ss[key]  # a lesson taken again asks every question afresh
    try:
        ss.lesson = LessonProgress.begin(lesson)
    except ValueError as error:  # data or a start the engine refuses: say which lesson
        ss.lesson = None
        ss._learn_refused = f"The lesson “{lesson.title}” cannot start: {error}"


def open_linked() -> None:
    """Open the lesson step a link asked for (``?lesson=<name>&step=<s>``, steps counted
    from 1 as the page shows them), once."""
    ss = st.session_state
    if ss.get("link_lesson") is None:
        return
    name, step = ss.link_lesson
    index = max(step - 1, 0)
    ss.link_lesson = None  # once; the Learn page writes its own lesson and step
    found, _ = lessons()
    lesson = next((lesson for lesson in found if lesson.slug == name), None)
    if lesson is None:
        notify(
            f"The link asks for a lesson called “{name}”, and there is none: "
            "choose one from the list.",
            "warning",
        )
        return
    start(lesson)
    if ss.lesson is not None and index:
        if index >= len(lesson.steps):
            notify(
                f"The lesson “{lesson.title}” has {len(lesson.steps)} steps: the link's step "
                f"{index + 1} does not exist, so its last step is shown.",
                "warning",
            )
        with st.spinner("Opening the lesson at the link's step…"):
            ss.lesson.skip_to(index)


def lesson_query() -> dict[str, str]:
    """The Learn page's link: the lesson and step on screen (none on the list)."""
    current = progress()
    if current is None:
        return {}
    return {"lesson": current.lesson.slug, "step": str(current.index + 1)}


def start_first() -> None:
    """The welcome's "Start the first lesson"."""
    found, _ = lessons()
    if found:
        start(found[0])


def leave() -> None:
    """Back to the list of lessons."""
    st.session_state.lesson = None


def act() -> None:
    """The step's action button: keep the learner's answer, then let the engine move."""
    ss = st.session_state
    current: LessonProgress = ss.lesson
    labels = current.options()
    choice = ss.get(choice_key(current))
    index = labels.index(choice) if choice in labels else None
    with st.spinner("Computing…"):
        current.act(index)


def next_step() -> None:
    st.session_state.lesson.next()


def back_step() -> None:
    current: LessonProgress = st.session_state.lesson
    current.back()
    st.session_state.pop(choice_key(current), None)  # the step is asked afresh


def to_explore() -> None:
    """Open the lesson's data, settings and run, at the half-step on screen, in Explore.

    The sidebar shows the data and the settings on its next run; with chosen means they
    are the picked means, so Explore does not ask for them again.
    """
    ss = st.session_state
    current: LessonProgress = ss.lesson
    run = current.shown.copy()
    settings = run_settings(current.setting)
    ss.dataset, ss.data_source = current.dataset, current.setting.data.source_key
    open_run(
        settings, run, f"From the lesson “{current.lesson.title}”: the same data, settings and run."
    )
    if settings.means is not None:
        ss.picked_means = [tuple(m) for m in settings.means]
    ss.selected_point = current.step.point
