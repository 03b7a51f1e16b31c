"""Links, presentation mode and the density view in Chromium.

A link made on one server opens on a freshly started one at the same half-step with the
same parameters; "Copy link" puts that link on the clipboard; presentation mode hides
the sidebar and the controls a link names, and the keyboard steps; the density toggle
draws log p(x) under the points and follows the steps. The presentation screenshots in
``docs/screens/`` come from :func:`test_presentation_mode_hides_controls_and_keys_step`.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlparse

import numpy as np
import server as streamlit_server
from conftest import (
    LARGE_VIEWPORT,
    REPO_ROOT,
    SCREENSHOTS,
    SIZES,
    app_activity,
    button,
    chart_with_role,
    click,
    open_app,
    status_line,
    traces,
    wait_for_app_idle,
)

PROJECTOR = SIZES[0]  # 1024×768
#: A link to generated data, K = 3, tied covariances: something other than the defaults.
LINK = (
    "?data=generate&gen_kind=overlapping&gen_n=400&gen_k=3&gen_seed=5"
    "&k=3&cov=tied&init=kmeans&seed=2"
)


def means_on_chart(page) -> np.ndarray:
    """The component means drawn on the main chart, shape (K, 2)."""
    chart = chart_with_role(page, "points")
    return np.array([[t["x"][0], t["y"][0]] for t in traces(chart, "mean")], dtype=float)


def query(url: str) -> dict:
    return parse_qs(urlparse(url).query)


def press(page, key: str) -> None:
    """Press a key on the page (not in a field) and wait for the rerun it causes."""
    before = app_activity(page)
    page.keyboard.press(key)
    wait_for_app_idle(page, before)


def half_step(page) -> str:
    return re.search(r"half-step (\d+ of \d+)", status_line(page)).group(1)


def test_a_link_opened_on_a_fresh_server_shows_the_same_half_step(browser, app_server, tmp_path):
    page = open_app(browser, app_server.url + LINK)
    try:
        for label in ("Step (E+M)", "Step (E+M)", "Next: E-step"):
            click(page, button(page, label))
        link = page.url
        assert query(link)["halfstep"] == ["5"] and query(link)["cov"] == ["tied"]
        made_status, made_means = status_line(page), means_on_chart(page)
        # "Copy link" puts the same link on the clipboard
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.get_by_test_id("stPopoverButton").filter(has_text="Share").click()
        page.get_by_role("button", name="Copy link").click()
        page.get_by_text("Copied.").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == link
    finally:
        page.context.close()

    with streamlit_server.streamlit_server(tmp_path) as fresh:
        path_and_query = link[link.index("/", len("http://")) :]
        opened = open_app(browser, fresh.url.rstrip("/") + path_and_query)
        try:
            assert status_line(opened) == made_status
            assert "half-step 5 of 5" in made_status and "after the E-step" in made_status
            np.testing.assert_allclose(means_on_chart(opened), made_means, rtol=1e-12)
            assert query(opened.url) == query(link)
            assert not opened.get_by_role("alert").filter(has_text="could not").count()
        finally:
            opened.context.close()


def test_bad_parameters_are_named_and_never_rendered_as_html(browser, app_server):
    page = open_app(browser, app_server.url + "?k=%3Cimg%20src=x%20onerror=alert(1)%3E&tol=2")
    try:
        warning = page.get_by_text("could not be used").first.inner_text()
        assert "k = “<img src=x onerror=alert(1)>” is not a whole number" in warning
        assert "tol" in warning
        assert page.locator("img[src='x']").count() == 0
        assert query(page.url)["k"] == ["2"], "the URL holds what is on screen"
    finally:
        page.context.close()


def test_presentation_mode_hides_controls_and_keys_step(browser, app_server):
    page = open_app(browser, app_server.url + "?present=1&hide=run", viewport=PROJECTOR)
    try:
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        for hidden in ("Run to convergence", "Initialize", "Reset"):
            assert button(page, hidden).count() == 0, hidden
        assert button(page, "Step (E+M)").is_visible() and button(page, "Back").is_visible()
        main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
        chart = chart_with_role(page, "points")["box"]
        assert chart["width"] > 0.9 * (main["width"] - 48), "the chart takes the width"
        assert chart["y"] + chart["height"] <= PROJECTOR["height"], "the chart is whole"

        press(page, "PageDown")
        assert half_step(page) == "1 of 1"
        press(page, "s")  # Step finishes the iteration: the M-step
        assert half_step(page) == "2 of 2"
        press(page, "s")
        assert half_step(page) == "4 of 4"
        press(page, "PageUp")
        assert half_step(page) == "3 of 4"
        press(page, "ArrowLeft")
        assert half_step(page) == "2 of 4"
        press(page, "ArrowRight")  # forward through the history, in the browser
        assert half_step(page) == "3 of 4"
        press(page, "m")  # continues from there: the later half-step goes
        assert half_step(page) == "4 of 4" and "after the M-step" in status_line(page)
        press(page, "ArrowRight")  # at the last half-step, → takes the next one
        assert half_step(page) == "5 of 5" and "after the E-step" in status_line(page)
        press(page, "ArrowLeft")
        press(page, "e")
        assert half_step(page) == "5 of 5" and "after the E-step" in status_line(page)
        for size in (PROJECTOR, LARGE_VIEWPORT):
            page.set_viewport_size(size)
            page.wait_for_timeout(400)
            wait_for_app_idle(page)
            page.mouse.move(size["width"] - 2, size["height"] - 2)
            name = f"present-{size['width']}x{size['height']}.png"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / name))
            shutil.copy(SCREENSHOTS / name, REPO_ROOT / "docs" / "screens" / name)
    finally:
        page.context.close()


def test_the_density_toggle_draws_and_follows_the_steps(page):
    assert not traces(chart_with_role(page, "points"), "density")
    click(page, page.get_by_text("Show the mixture density"))
    assert query(page.url)["density"] == ["1"]
    (before,) = traces(chart_with_role(page, "points"), "density")
    click(page, button(page, "Step (E+M)"))
    (after,) = traces(chart_with_role(page, "points"), "density")
    assert np.asarray(after["z"]).shape == np.asarray(before["z"]).shape == (140, 140)
    assert not np.allclose(np.asarray(after["z"]), np.asarray(before["z"]))
    # the points are drawn over it: Plotly's scatter layer (SVG, as Old Faithful's 272
    # points are, or WebGL) lies above its contour layer
    chart = chart_with_role(page, "points")
    assert chart["data"][0]["type"] == "scatter" and after["type"] == "contour"
