"""One point's arithmetic and what each half-step changed, in a real browser.

A click on a point opens its panel, whose numbers are checked against the engine's run
of the same settings; after an E-step the points that changed component are ringed, and
after an M-step the previous ellipses stay as ghosts with arrows, as the browser's graph
holds them. Screenshots go to ``test-artifacts/screenshots/`` (explain-*.png).
"""

from __future__ import annotations

import re

import numpy as np
from conftest import (
    app_activity,
    button,
    chart_with_role,
    click,
    exceptions,
    screenshot,
    traces,
    wait_for_app_idle,
)
from explore_actions import isolated_points

from gmm.explain import breakdown_at
from pages.shared.sources import builtin
from pages.shared.state import DEFAULT_DATA, DEFAULT_SETTINGS

PANEL_TABLE = """
() => [...document.querySelectorAll('.st-key-point [data-testid="stTable"] table')]
  .map(t => [...t.querySelectorAll('tbody tr')]
    .map(r => [...r.querySelectorAll('td')].map(c => c.innerText.trim())))
"""


def engine_run(half_steps: int):
    """The app's first run (default data and settings), stepped as the test steps it."""
    stepper = DEFAULT_SETTINGS.start(builtin(DEFAULT_DATA).X)
    for _ in range(half_steps):
        stepper.m_step() if stepper.next_phase == "M" else stepper.e_step()
    return stepper


def click_a_point(page) -> int:
    """Click an isolated point of the scatter; return the point number the panel names."""
    x, y = isolated_points(page, 1)[0][:2]
    page.mouse.move(x + 2, y + 2)
    page.mouse.move(x, y, steps=2)
    page.wait_for_timeout(200)  # Plotly finds the point under the cursor
    before = app_activity(page)
    page.mouse.click(x, y)
    wait_for_app_idle(page, before)
    heading = page.locator(".st-key-point").get_by_text(re.compile(r"^Point \d+")).first
    return int(re.match(r"Point (\d+)", heading.inner_text())[1])


def shown_numbers(page) -> list[list[list[float]]]:
    tables = page.evaluate(PANEL_TABLE)
    return [[[float(c.replace("−", "-")) for c in row] for row in t] for t in tables]


def test_a_click_opens_the_points_arithmetic_with_the_engines_numbers(page):
    click(page, button(page, "Next: E-step"))
    point = click_a_point(page)
    stepper = engine_run(1)
    expected = breakdown_at(stepper, 1, point)
    (table,) = shown_numbers(page)
    columns = np.array(table).T  # pi, N, pi N, gamma
    np.testing.assert_allclose(columns[0], expected.weights, rtol=5e-4)
    np.testing.assert_allclose(columns[1], expected.densities, rtol=5e-4)
    np.testing.assert_allclose(columns[2], expected.products, rtol=5e-4)
    np.testing.assert_allclose(columns[3], expected.responsibilities, rtol=5e-4)
    assert page.locator(".st-key-point .katex").count() == 1, "the formula with its numbers"
    (ring,) = traces(chart_with_role(page, "points"), "selected")
    assert ring["meta"]["point"] == point
    screenshot(page, "explain-point-after-E")

    click(page, button(page, "Next: M-step"))
    tables = shown_numbers(page)
    assert len(tables) == 2, "after the M-step: what the point gave each new mean"
    gamma = engine_run(2).responsibilities(2)
    wanted = gamma[point] / gamma.sum(axis=0)
    np.testing.assert_allclose(np.array(tables[1]).T[2], wanted, rtol=5e-4)
    (ring,) = traces(chart_with_role(page, "points"), "selected")
    assert ring["meta"]["point"] == point, "the point stays marked as the user steps"
    assert not exceptions(page)


def test_changed_points_are_ringed_after_e_and_ghosts_stay_after_m(page):
    click(page, button(page, "Next: E-step"))
    click(page, button(page, "Next: M-step"))
    chart = chart_with_role(page, "points")
    assert len(traces(chart, "ghost")) == 2, "the previous ellipses, one ghost each"
    arrows = [a for a in chart["layout"].get("annotations", []) if "moved" in (a.get("name") or "")]
    assert arrows, "an arrow from an old mean to its new one"
    news = page.locator(".st-key-news").inner_text()
    assert "moved" in news and "→" in news
    screenshot(page, "explain-ghosts-after-M")

    click(page, button(page, "Next: E-step"))
    stepper = engine_run(3)
    changed = np.flatnonzero(
        stepper.responsibilities(2).argmax(axis=1) != stepper.responsibilities(3).argmax(axis=1)
    )
    chart = chart_with_role(page, "points")
    (ring,) = traces(chart, "changed")
    assert len(ring["x"]) == len(changed) > 0
    assert not traces(chart, "ghost"), "the ghosts go with the M-step"
    assert f"{len(changed)} points changed component" in page.locator(".st-key-news").inner_text()
    screenshot(page, "explain-changed-after-E")

    toggle = page.get_by_text("Show what changed", exact=True)
    click(page, toggle)
    chart = chart_with_role(page, "points")
    assert not traces(chart, "changed") and not traces(chart, "ghost")
    assert "changed component" not in page.locator(".st-key-news").inner_text()
