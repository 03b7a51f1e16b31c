"""The Explore page's layout in Chromium: what a class reads on a projector.

From 1024×768, the commonest projector, to 1920×1080: no button label is cut off, the
main chart fills most of the window without scrolling, every formula fits its panel, the
chart's top edge stays where it is from one half-step to the next and when a notice
comes or goes, the charts follow the sidebar when it opens or closes, and the browser
fetches nothing from another host. ``tests/browser/screens.py`` takes the pictures of
the same sizes for ``docs/screens/``.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import (
    INIT_SCRIPT,
    SIZES,
    TIMEOUT_MS,
    app_activity,
    button,
    chart_with_role,
    click,
    cut_formulas,
    set_sidebar,
    truncated_buttons,
    wait_for_app_idle,
)

PROJECTOR = SIZES[0]  # 1024×768
SIZE_IDS = [f"{s['width']}x{s['height']}" for s in SIZES]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def resize(page, size: dict) -> None:
    """Resize the window and wait for the charts to be redrawn at the new size."""
    page.set_viewport_size(size)
    page.wait_for_timeout(300)
    wait_for_app_idle(page)


def next_half_step(page) -> None:
    """Press the one "Next: E-step" or "Next: M-step" button."""
    nxt = page.get_by_role("button", name="Next: ", exact=False)
    assert nxt.count() == 1, "one button offers the next half-step"
    click(page, nxt)


def chart_box(page) -> dict:
    """The main chart's bounding box, rounded to a tenth of a pixel."""
    return {k: round(v, 1) for k, v in chart_with_role(page, "points")["box"].items()}


def main_width(page) -> float:
    return page.locator('[data-testid="stMainBlockContainer"]').evaluate(
        "el => el.clientWidth - parseFloat(getComputedStyle(el).paddingLeft)"
        " - parseFloat(getComputedStyle(el).paddingRight)"
    )


def test_no_button_label_is_cut_at_1024x768(page):
    """At the projector's size, with the sidebar open or closed, every label is whole."""
    resize(page, PROJECTOR)
    assert truncated_buttons(page) == [], "at the start"
    next_half_step(page)
    assert truncated_buttons(page) == [], "after an E-step, with the slider and Play"
    next_half_step(page)
    click(page, button(page, "Run to convergence"))
    assert truncated_buttons(page) == [], "after a run"
    set_sidebar(page, False)
    assert truncated_buttons(page) == [], "with the sidebar closed"


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_chart_fills_the_window_and_every_formula_fits(page, size):
    resize(page, size)
    next_half_step(page)  # the E-step's formula is the highlighted one
    chart = chart_box(page)
    assert chart["y"] + chart["height"] <= size["height"], f"the chart is cut off: {chart}"
    assert chart["height"] >= 0.55 * size["height"], f"the chart is short: {chart}"
    assert chart["width"] >= 0.55 * main_width(page), f"the chart is narrow: {chart}"
    assert cut_formulas(page) == []
    assert truncated_buttons(page) == []
    page.get_by_text("The other half-step: M-step").click()  # the folded formula
    page.wait_for_timeout(300)
    assert cut_formulas(page) == []
    assert len(page.locator('[data-testid="stMain"] .katex-display').all()) == 2


@pytest.mark.parametrize("size", [PROJECTOR, SIZES[2]], ids=[SIZE_IDS[0], SIZE_IDS[2]])
def test_the_chart_stays_put_across_half_steps_and_notices(page, size):
    """Ten half-steps, a notice that comes and goes, Reset and Initialize: the chart's
    top edge and size never change (status, slider and notices have slots of their own)."""
    resize(page, size)
    first = chart_box(page)
    boxes = []
    for _ in range(10):
        next_half_step(page)
        boxes.append(("half-step", chart_box(page)))
    click(page, button(page, "Back"))
    boxes.append(("back", chart_box(page)))
    next_half_step(page)  # discards the last half-step, with a notice
    notice = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="discarded")
    assert notice.count() == 1
    boxes.append(("notice", chart_box(page)))
    next_half_step(page)  # the notice is gone
    assert notice.count() == 0
    boxes.append(("notice gone", chart_box(page)))
    click(page, button(page, "Reset"))
    boxes.append(("reset", chart_box(page)))
    click(page, button(page, "Initialize"))
    boxes.append(("initialize", chart_box(page)))
    moved = [(what, box) for what, box in boxes if box != first]
    assert moved == [], f"the chart moved from {first}"


def test_the_charts_follow_the_sidebar(page):
    """Closing the sidebar widens both charts at once, without a rerun; opening it
    narrows them again. Plotly redraws them at the new width (not only the div)."""

    def widths():
        found = {role: chart_with_role(page, role) for role in ("points", "loglik_line")}
        return {role: (c["box"]["width"], c["full"]["width"]) for role, c in found.items()}

    before = widths()
    runs = app_activity(page)["finished"]
    set_sidebar(page, False)
    wider = widths()
    for role, (box, drawn) in wider.items():
        assert box > before[role][0] + 80, f"the {role} chart did not widen: {before} {wider}"
        assert drawn == pytest.approx(box, abs=2), f"the {role} chart was not redrawn"
    set_sidebar(page, True)
    again = widths()
    for role, (box, drawn) in again.items():
        assert box == pytest.approx(before[role][0], abs=2)
        assert drawn == pytest.approx(box, abs=2)
    assert app_activity(page)["finished"] == runs, "no rerun was needed"


def test_nothing_is_fetched_from_another_host(browser, app_server):
    """Fonts, icons, scripts, the page icon, telemetry: everything comes from the server
    (``.streamlit/config.toml`` turns Streamlit's usage statistics off)."""
    context = browser.new_context(viewport=PROJECTOR)
    context.add_init_script(INIT_SCRIPT)
    context.set_default_timeout(TIMEOUT_MS)
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda socket: urls.append(socket.url))
    try:
        page.goto(app_server.url)
        wait_for_app_idle(page, {"finished": 0, "messages": 0}, timeout=60_000)
        next_half_step(page)
        set_sidebar(page, False)
        set_sidebar(page, True)
        links = page.locator('[data-testid="stSidebarNav"] a')
        click(page, links.filter(has_text="Choose K"), min_charts=0)
        page.wait_for_timeout(1_000)  # anything fetched late, e.g. telemetry
    finally:
        context.close()
    remote = [
        url
        for url in urls
        if urlparse(url).scheme in ("http", "https", "ws", "wss")
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]
    assert urls and remote == []
