"""Two sessions at once: one runs a Choose K sweep while the other steps EM.

The sweep's EM runs go to the worker processes every session shares
(``pages/shared/workers.py``); the other session's Steps go on meanwhile, and both end
with what they would show alone. (How long a Step takes meanwhile is measured by
``benchmarks/bench_two_sessions.py``, not tested.)
"""

from __future__ import annotations

from conftest import app_activity, button, click, exceptions, open_app, status, wait_for_app_idle

N_POINTS = 10_000  # enough for the sweep to last while the other session steps


def type_number(page, label: str, value, **wait) -> None:
    field = page.get_by_role("spinbutton", name=label, exact=True)
    before = app_activity(page)
    field.fill(str(value))
    field.press("Enter")
    wait_for_app_idle(page, before, **wait)


def generate(page, n: int) -> None:
    source = page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').filter(
        has_text="Source"
    )
    click(page, source.get_by_text("Generate", exact=True))
    type_number(page, "Points n", n)


def stop_button(page):
    return page.get_by_role("button", name="Stop", exact=True)


def test_a_sweep_and_steps_in_two_sessions_both_finish(browser, app_server):
    stepper = open_app(browser, app_server.url)
    sweeper = open_app(browser, app_server.url)
    try:
        generate(sweeper, N_POINTS)
        links = sweeper.locator('[data-testid="stSidebarNav"] a')
        click(sweeper, links.filter(has_text="Choose K"), min_charts=0)
        type_number(sweeper, "Largest K", 4, min_charts=0)
        type_number(sweeper, "Restarts per fit", 1, min_charts=0)
        sweeper.get_by_role("button", name="Run sweep").click()
        stop_button(sweeper).wait_for()

        first = status(stepper)["index"]
        step = button(stepper, "Step (E+M)")
        assert stop_button(sweeper).count(), "the sweep ended before the other session stepped"
        for _ in range(3):
            click(stepper, step)
        assert status(stepper)["index"] == first + 6  # three steps, two half-steps each

        stop_button(sweeper).wait_for(state="detached", timeout=300_000)
        picks = sweeper.get_by_text("BIC picks")
        picks.wait_for()
        assert "K = " in picks.inner_text()
        assert sweeper.get_by_text("The sweep was stopped").count() == 0
        assert sweeper.get_by_text("could not run").count() == 0
        assert exceptions(stepper) == [] and exceptions(sweeper) == []
    finally:
        stepper.context.close()
        sweeper.context.close()
