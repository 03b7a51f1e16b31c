"""The Learn page in Chromium: the welcome's first lesson taken from start to end, its
answers checked against the engine, then Continue in Explore."""

from __future__ import annotations

import pytest
from conftest import button, click, open_app
from lesson_screens import take_lesson

from gmm.lessons import lesson_dataset, load_lesson, start_run
from pages.shared.lesson_state import LESSON_FOLDER

pytestmark = pytest.mark.browser


def test_the_first_lesson_from_the_welcome_to_explore(browser, app_server):
    page = open_app(browser, app_server.url, welcome=True)
    try:
        assert page.get_by_text("Welcome to GMM Explorer").is_visible()
        click(page, button(page, "Start the first lesson"))
        # The switch to Learn can finish its run a moment before the step's line is
        # drawn (it was, in about one run in three): wait for it to be visible.
        page.get_by_text("Step 1 of 4").wait_for(state="visible")
        click(page, button(page, "All lessons"), min_charts=0)  # start it from the list
        lesson = load_lesson(LESSON_FOLDER / "01_responsibility.toml")
        first = lesson.steps[0].setting
        run = start_run(first, lesson_dataset(first.data).X)
        run.e_step()
        gamma = run.responsibilities()[lesson.steps[2].point]
        seen = {}

        def look(name: str) -> None:
            if name.endswith("step3"):  # the point panel, opened by the step's button
                seen["panel"] = page.locator('[data-testid="stTable"]').first.inner_text()

        engine = take_lesson(page, lesson, look)
        # The question of step 2 was answered rightly (even step): the app agreed.
        assert page.get_by_text("Step 4 of 4").is_visible()
        assert engine.last and engine.done
        # The point panel opened at step 3 showed the engine's responsibilities.
        assert f"{gamma[0]:.4g}" in seen["panel"] and f"{gamma[1]:.4g}" in seen["panel"]
        click(page, button(page, "Continue in Explore"))
        assert page.get_by_role("heading", name="Explore EM").is_visible()
        assert page.get_by_text("From the lesson").is_visible()
        assert not page.get_by_text("Welcome to GMM Explorer").is_visible(), "once only"
        assert page.get_by_text("Iteration 1 · after the E-step").count() > 0
        assert page.locator(".st-key-standardise input").is_checked()
        assert page.page_errors == []
    finally:
        page.context.close()
