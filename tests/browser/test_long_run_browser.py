"""A long Run to convergence in a real browser: the page stays usable, Stop keeps the history.

The run computes in a background thread (``pages/shared/jobs.py``): a progress bar polled
twice a second says how far it is, the step buttons wait, Back and the chart still answer,
and Stop ends it with every half-step computed so far on screen.
"""

from __future__ import annotations

import re

from conftest import (
    app_activity,
    button,
    chart_with_role,
    click,
    exceptions,
    poll,
    status,
    wait_for_app_idle,
)
from explore_actions import type_number

SIDEBAR = '[data-testid="stSidebar"] '
PROGRESS = re.compile(
    r"Run to convergence: (\d+) of 10000 iterations done \(log-likelihood -?[\d,]+\.\d{3}\)"
)
STEP_BUTTONS = ("Next: E-step", "Step (E+M)", "Run to convergence")


def press_on_slider(page, label: str, key: str) -> None:
    box = page.locator('[data-testid="stSlider"]').filter(has_text=label)
    box.get_by_role("slider").focus()
    before = app_activity(page)
    page.keyboard.press(key)
    wait_for_app_idle(page, before)


def progress_text(page) -> str | None:
    bar = page.locator('[data-testid="stProgress"]')
    try:
        return bar.inner_text(timeout=1_000).strip() if bar.count() else None
    except Exception:  # re-rendered by the poll between count() and inner_text()
        return None


def iterations_done(page) -> int:
    """Iterations done, as the progress bar says (-1 if it is not there)."""
    match = PROGRESS.search(progress_text(page) or "")
    return int(match[1]) if match else -1


def test_a_long_run_shows_progress_keeps_the_page_usable_and_stops(page):
    group = page.locator(f'{SIDEBAR}[data-testid="stRadio"]').filter(has_text="Source")
    click(page, group.get_by_text("Generate", exact=True))
    type_number(page, "Points n", 20_000)
    for _ in range(8):
        press_on_slider(page, "Components K", "ArrowRight")  # K = 10
    press_on_slider(page, "tol", "End")  # tol = 0: only max_iter ends the run
    type_number(page, "max_iter", 10_000)  # minutes of work: it must be stopped
    click(page, button(page, "Step (E+M)"))
    assert status(page)["index"] == 2

    chart_top = chart_with_role(page, "points")["box"]["y"]
    button(page, "Run to convergence").click()
    first = poll(lambda: iterations_done(page) >= 0, timeout=30)
    assert first, f"no progress bar: {progress_text(page)!r}"
    assert chart_with_role(page, "points")["box"]["y"] == chart_top, "the progress moved the chart"
    start = iterations_done(page)
    assert poll(lambda: iterations_done(page) > start, timeout=30), "the progress moves on"
    for label in STEP_BUTTONS:
        assert button(page, label).is_disabled(), f"{label} waits for the run"
    assert status(page)["last"] == 2, "the history on screen is unchanged meanwhile"

    # The page still answers: Back shows the E-step of the history on screen.
    button(page, "Back").click()
    assert poll(lambda: status(page)["index"] == 1, timeout=30), status(page)["text"]
    assert iterations_done(page) >= 0, "still running"

    stop_at = iterations_done(page)
    button(page, "Stop").click()
    assert poll(lambda: progress_text(page) is None, timeout=30), "the progress bar goes"
    wait_for_app_idle(page)
    end = status(page)
    assert end["index"] == end["last"] and end["phase"] == "after the M-step", end["text"]
    assert end["iteration"] >= max(stop_at, 2), end["text"]
    assert end["iteration"] < 10_000 and not end["converged"], end["text"]
    assert end["verdict"] == "stopped by you before converging", end["text"]
    info = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="Run stopped after")
    assert info.count() == 1
    assert button(page, "Run to convergence").is_enabled(), "Run goes on from here"
    assert button(page, "Back").is_enabled()
    assert chart_with_role(page, "points")["box"]["y"] == chart_top, "the chart stayed put"
    assert not exceptions(page) and not page.page_errors
