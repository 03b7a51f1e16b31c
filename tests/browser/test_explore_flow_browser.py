"""The Explore page in a real browser: the pages load, the main flow, bad uploads.

The tests act as a person does and check what the browser draws; how, and the actions
they share, are in ``explore_actions.py``.

Screenshots of the main states go to ``test-artifacts/screenshots/`` at 1400x900 and
1920x1080.
"""

from __future__ import annotations

import re

from conftest import (
    app_activity,
    button,
    charts,
    click,
    errors,
    exceptions,
    point_colors,
    poll,
    screenshot,
    status,
    traces,
    wait_for_app_idle,
)
from explore_actions import (
    NEUTRAL_GREY,
    SIDEBAR,
    assert_no_errors,
    assert_status,
    choose_radio,
    curve,
    data_traces,
    ellipses,
    main_heading,
    means,
    press_on_slider,
    scatter,
    slider_value,
)


def test_every_page_in_the_navigation_loads_without_errors(page):
    """Each page listed in the navigation opens, with its heading and no error."""
    assert_no_errors(page)
    assert main_heading(page) == "Explore EM"
    assert_status(page, 0, "initialisation", 0, last=0)
    assert len(charts(page)) == 2, "scatter and log-likelihood curve"
    screenshot(page, "00-start")

    links = page.locator('[data-testid="stSidebarNav"] a')  # none with a single page
    titles = [
        links.nth(i).inner_text().strip().splitlines()[-1].strip()  # not the icon
        for i in range(links.count())
    ]
    for title in titles:
        if title == "Explore EM":
            continue  # open already
        click(page, links.filter(has_text=title), min_charts=0)  # not every page has one
        assert_no_errors(page)
        assert main_heading(page), f"no heading on the page {title!r}"
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        screenshot(page, f"00-page-{slug}")
    if len(titles) > 1:
        click(page, links.filter(has_text="Explore EM"))
        assert main_heading(page) == "Explore EM"
        assert_no_errors(page)


def test_main_flow_generate_initialize_e_m_and_run(page):
    """Generate data, then watch each half-step change exactly what it should."""
    choose_radio(page, "Source", "Generate")
    caption = (
        page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Data:").inner_text()
    )
    assert "Well-separated blobs" in caption and "n=500" in caption, caption
    press_on_slider(page, "Components K", "ArrowRight")  # K 2 -> 3, the true K
    assert slider_value(page, "Components K") == "3"
    click(page, button(page, "Initialize"))
    assert_no_errors(page)

    start = scatter(page)
    assert data_traces(start)["n"] == 500
    assert set(point_colors(start)) == {NEUTRAL_GREY}, "before any E-step points are grey"
    assert len(ellipses(start)) == 3 * 2 and len(means(start)) == 3, "K=3, 50% and 90%"
    assert_status(page, 0, "initialisation", 0, last=0)
    assert button(page, "Next: E-step").is_enabled() and button(page, "Next: M-step").count() == 0
    screenshot(page, "01-initialised")

    click(page, button(page, "Next: E-step"))
    after_e = scatter(page)
    colors_e = point_colors(after_e)
    assert colors_e != point_colors(start), "an E-step recolours the points"
    assert len(set(colors_e)) >= 3, "each blob takes its component's colour"
    assert NEUTRAL_GREY not in colors_e
    assert ellipses(after_e) == ellipses(start), "an E-step leaves the ellipses alone"
    assert means(after_e) == means(start)
    assert_status(page, 1, "after the E-step", 1, last=1)
    assert button(page, "Next: M-step").is_enabled() and button(page, "Next: E-step").count() == 0
    screenshot(page, "02-after-e-step")

    click(page, button(page, "Next: M-step"))
    after_m = scatter(page)
    assert ellipses(after_m) != ellipses(after_e), "an M-step moves the ellipses"
    assert means(after_m) != means(after_e)
    assert point_colors(after_m) == colors_e, "an M-step must not change the colours"
    assert data_traces(after_m) == data_traces(start)
    assert_status(page, 1, "after the M-step", 2, last=2)
    screenshot(page, "03-after-m-step")

    click(page, button(page, "Run to convergence"))
    done = status(page)
    assert done["converged"] and done["index"] == done["last"] > 2, done["text"]
    assert done["phase"] == "after the M-step"
    assert (
        page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="EM converged").count()
        == 1
    )
    assert button(page, "Run to convergence").is_disabled()
    line = traces(curve(page), "loglik_line")[0]
    assert len(line["x"]) == done["last"] + 1, "one point per half-step on the curve"
    assert traces(curve(page), "current")[0]["x"] == [done["last"]]
    assert_no_errors(page)
    screenshot(page, "04-converged")


BAD_UPLOADS = [  # (file name, content, words the message must contain)
    ("empty.csv", b"", r"empty"),
    ("data.csv", b'{"a": [1, 2, 3], "b": [4, 5, 6]}', r"JSON"),
]


def test_a_bad_upload_shows_a_readable_error_and_keeps_the_chart(page, tmp_path):
    before = scatter(page)
    before_status = status(page)["text"]
    choose_radio(page, "Source", "Upload CSV")
    upload = page.locator(SIDEBAR + 'input[type="file"]')
    for name, content, words in BAD_UPLOADS:
        path = tmp_path / name
        path.write_bytes(content)
        before_runs = app_activity(page)
        upload.set_input_files(str(path))
        wait_for_app_idle(page, before_runs)

        shown = poll(lambda: errors(page, SIDEBAR), timeout=10)
        assert shown, f"no error in the sidebar for {name}"
        message = " ".join(shown)
        assert f"{name} could not be used" in message, message
        assert "Still showing: Old Faithful" in message, message
        assert re.search(words, message, re.IGNORECASE), message
        assert "Traceback" not in message and len(message) < 600, message
        main = " ".join(errors(page, '[data-testid="stMain"] '))
        assert "could not be used" in main and "unchanged" in main, (
            "the main area says so too, for a projector with the sidebar collapsed"
        )
        assert not exceptions(page)

        after = scatter(page)
        assert data_traces(after) == data_traces(before), "the earlier data stay on screen"
        assert ellipses(after) == ellipses(before) and means(after) == means(before)
        assert status(page)["text"] == before_status
        if name == "empty.csv":
            screenshot(page, "05-upload-error")
