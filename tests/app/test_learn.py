"""The Learn page driven by AppTest: every lesson walked to its end, every answer the
app accepts checked against the engine, and Continue in Explore."""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import APP, button, click, run
from streamlit.testing.v1 import AppTest

from gmm.lessons import LessonProgress, judge, load_lessons, perform
from pages.shared.lesson_state import LESSON_FOLDER, choice_key

PAGE = "pages/learn.py"
LESSONS, PROBLEMS = load_lessons(LESSON_FOLDER)


@pytest.fixture
def learn() -> AppTest:
    at = run(AppTest.from_file(APP, default_timeout=120))
    at.switch_page(PAGE)
    return run(at)


def _engine_answer(progress: LessonProgress) -> int:
    """The right option, asked of the engine directly: the action on a copy of the run."""
    outcome = perform(progress.step, progress.stepper.copy(), progress.setting)
    return judge(progress.context(), outcome).correct


def test_the_page_lists_every_lesson_and_the_files_are_all_good(learn):
    assert PROBLEMS == []
    assert len(LESSONS) >= 8
    labels = [b.label for b in learn.button]
    assert labels.count("Start") == len(LESSONS)
    text = " ".join(m.value for m in learn.markdown)
    assert all(lesson.title in text for lesson in LESSONS)


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_every_lesson_walks_to_its_end_with_engine_answers(learn, lesson):
    """At each question, answer wrongly on odd steps and rightly on even ones: the app's
    verdict must be the engine's answer, and a wrong answer must be explained."""
    number = LESSONS.index(lesson)
    learn.button(key=f"learn_start_{lesson.slug}").click()
    run(learn)
    for index, step in enumerate(lesson.steps):
        progress = learn.session_state["lesson"]
        assert progress.index == index
        if step.question is not None:
            right = _engine_answer(progress)
            options = progress.options()
            assert button(learn, step.button).disabled, "the action waits for an answer"
            pick = right if index % 2 == 0 else (right + 1) % len(options)
            learn.radio(key=choice_key(progress)).set_value(options[pick])
            run(learn)
            click(learn, step.button)
            progress = learn.session_state["lesson"]
            assert progress.verdict.correct == right
            verdict = (learn.success if pick == right else learn.error)[0].value
            assert options[right] in verdict
            assert progress.verdict.explanation.split(".")[0] in verdict
            if pick != right:
                assert verdict.startswith("**Not quite")
        elif step.action != "none":
            click(learn, step.button)
        assert learn.session_state["lesson"].done
        if index < len(lesson.steps) - 1:
            click(learn, "Next step →")
    assert button(learn, "Continue in Explore")
    assert number >= 0


def test_continue_in_explore_opens_the_same_data_run_and_half_step(learn):
    lesson = next(lesson for lesson in LESSONS if lesson.slug == "03_bishop_9_8")
    learn.button(key=f"learn_start_{lesson.slug}").click()
    run(learn)
    for step in lesson.steps:
        progress = learn.session_state["lesson"]
        if step.question is not None:
            learn.radio(key=choice_key(progress)).set_value(progress.options()[0])
            run(learn)
        if step.action != "none":
            click(learn, step.button)
        if not progress.last:
            click(learn, "Next step →")
    shown = learn.session_state["lesson"].shown
    button(learn, "Continue in Explore").click()
    run(learn)
    ss = learn.session_state
    assert ss["stepper"].current.log_likelihood == shown.current.log_likelihood
    assert len(ss["stepper"].snapshots) == len(shown.snapshots) == 41
    assert ss["view"] == 40
    assert ss["data_source"] == ("builtin", "Old Faithful") and ss["dataset"].standardised
    assert np.array_equal(ss["dataset"].X, learn.session_state["lesson"].dataset.X)
    assert ss["settings"].init == "explicit" and ss["settings"].n_components == 2
    # Explore shows the run (not "pick starting means"), and the sidebar shows the data.
    assert any("Iteration 20" in m.value or "20M" in m.value for m in learn.markdown) or (
        learn.checkbox(key="standardise").value
    )
    assert learn.checkbox(key="standardise").value is True
    assert learn.radio(key="source_kind").value == "Built-in"


def _linked(query: dict) -> AppTest:
    """A fresh session opened on the Learn page with ``query`` as the URL's parameters."""
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(PAGE)
    return run(at)


def test_a_link_opens_a_lesson_at_its_step_and_the_page_writes_its_own():
    lesson = LESSONS[2]  # Bishop's figure 9.8: its later steps carry the run on
    at = _linked({"lesson": lesson.slug, "step": "4"})
    progress = at.session_state.lesson
    assert progress.lesson.slug == lesson.slug and progress.index == 3
    walked = LessonProgress.begin(lesson)
    for _ in range(3):
        if not walked.done:
            walked.outcome = perform(walked.step, walked.stepper, walked.setting)
        walked.next()
    np.testing.assert_array_equal(
        progress.stepper.current.params.means, walked.stepper.current.params.means
    )
    assert at.query_params["lesson"] == lesson.slug and at.query_params["step"] == "4"
    click(at, "All lessons")
    assert "lesson" not in at.query_params


@pytest.mark.parametrize(
    "query, message",
    [
        ({"lesson": "no_such_lesson"}, "there is none: choose one from the list"),
        ({"lesson": LESSONS[0].slug, "step": "99"}, "so its last step is shown"),
    ],
)
def test_a_link_to_a_missing_lesson_or_step_says_so(query, message):
    at = _linked(query)
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    assert not at.exception
