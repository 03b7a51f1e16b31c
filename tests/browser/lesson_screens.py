"""Screenshots of every lesson's steps, for ``docs/lessons/`` (read them without the app).

    python tests/browser/lesson_screens.py               # writes docs/lessons/*.png
    python tests/browser/lesson_screens.py --out /tmp/l  # somewhere else

Starts ``streamlit run app.py`` (``server.py``), opens it in Debian's Chromium at
1400×1400, saves the first-visit welcome, then takes every lesson from its first step to
Continue in Explore. A question is answered rightly on even steps and wrongly on odd
ones (the right option asked of the engine, as the app does), so that both kinds of
reveal are on show; each step is saved before the answer and after the reveal.
``take_lesson`` is also the browser test's walk (``test_learn_browser.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import server as streamlit_server  # noqa: E402
from conftest import button, click, launch_chromium, open_app  # noqa: E402
from screens import save  # noqa: E402

from gmm.lessons import Lesson, LessonProgress, load_lessons  # noqa: E402

LESSONS = HERE.parents[1] / "assets" / "lessons"
#: Tall enough that a step, its reveal and its extra charts fit in one picture.
WINDOW = {"width": 1400, "height": 1400}
OUT = HERE.parents[1] / "docs" / "lessons"


def open_learn(page) -> None:
    """The Learn page, through the sidebar's navigation."""
    click(
        page, page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Learn"), min_charts=0
    )


def take_lesson(page, lesson: Lesson, shot=None) -> LessonProgress:
    """Start ``lesson`` from the list and take it to its end; ``shot(name)`` after each
    move. Returns the engine's own walk of the same lesson (what the page must show)."""
    click(page, page.locator(".st-key-learn_start_" + lesson.slug).get_by_role("button"))
    engine = LessonProgress.begin(lesson)
    for index, step in enumerate(lesson.steps):
        name = f"{lesson.slug}-step{index + 1}"
        choice = None
        if step.question is not None:
            labels = engine.options()
            shot and shot(f"{name}a-question")
            probe = LessonProgress.begin(lesson)  # the right answer, from the engine
            _replay(probe, engine.index)
            probe.act(0)
            right = probe.verdict.correct
            choice = right if index % 2 == 0 else (right + 1) % len(labels)
            radio = page.locator('[data-testid="stRadio"]')
            click(page, radio.get_by_text(labels[choice], exact=True))
        if not engine.done:
            click(page, button(page, step.button))
            engine.act(choice)
        shot and shot(f"{name}{'b-reveal' if step.question else ''}")
        if not engine.last:
            click(page, button(page, "Next step →"))
            engine.next()
    return engine


def _replay(progress: LessonProgress, index: int) -> None:
    """Take a fresh walk to step ``index`` with the same moves (answers do not matter)."""
    while progress.index < index:
        if not progress.done:
            progress.act(0 if progress.step.question else None)
        progress.next()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    lessons, problems = load_lessons(LESSONS)
    assert not problems, problems
    log_dir = Path("test-artifacts") / "lesson-screens-server"
    with streamlit_server.streamlit_server(log_dir) as server, sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            page = open_app(chromium, server.url, viewport=WINDOW, welcome=True)
            save(page, out / "00-welcome.png")
            click(page, button(page, "Explore on my own"))
            open_learn(page)
            save(page, out / "00-lessons.png")
            for lesson in lessons:
                take_lesson(page, lesson, lambda name: save(page, out / f"{name}.png"))
                click(page, button(page, "All lessons"), min_charts=0)
            page.context.close()
        finally:
            chromium.close()
    print("\n".join(sorted(p.name for p in out.glob("*.png"))))


if __name__ == "__main__":
    main()
