"""The Explore page in a real browser: what a student sees and can do.

Each test opens the app in a fresh browser session (see ``conftest.py``), acts the way a
person does -- clicks, keys, a file chosen in the upload box, a box dragged on the chart
-- and checks what is on screen: the status line, error boxes, and the data of the
Plotly charts as the browser holds it (the graph divs' traces, so a check on colours or
ellipses is a check on what is drawn, not on what the server meant to send).

Screenshots of the main states go to ``test-artifacts/screenshots/`` at 1400x900 and
1920x1080.
"""

from __future__ import annotations

import contextlib
import math
import re
import time

import pytest
from conftest import (
    app_activity,
    button,
    chart_with_role,
    charts,
    click,
    errors,
    exceptions,
    figure_picture,
    point_colors,
    poll,
    screenshot,
    status,
    traces,
    wait_for_app_idle,
)

SIDEBAR = '[data-testid="stSidebar"] '
NEUTRAL_GREY = "rgb(152,152,152)"  # gmm.figures.colors.NEUTRAL as Plotly reports it


class KnownAppBug(AssertionError):
    """The one failure an xfail-marked test expects: any other failure still fails it."""


def known_bug(ok: bool, message: str) -> None:
    if not ok:
        raise KnownAppBug(message)


# ---------------------------------------------------------------------- actions
def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def choose_radio(page, label: str, option: str) -> None:
    group = sidebar(page).locator('[data-testid="stRadio"]').filter(has_text=label)
    click(page, group.get_by_text(option, exact=True))


def choose_option(page, label: str, option: str, attempts: int = 3) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (a react-aria combobox).

    A click may scroll the sidebar to the box, and react-aria closes its list on scroll;
    so the box is focused and opened with ArrowDown, as on a keyboard. A rerun that
    lands meanwhile can close the list again: then it is opened once more.
    """
    combobox = page.get_by_role("combobox", name=label, exact=True)
    choice = page.get_by_role("option", name=option, exact=True)
    for attempt in range(attempts):
        wait_for_app_idle(page, min_charts=0)
        combobox.scroll_into_view_if_needed()
        combobox.focus()
        page.keyboard.press("ArrowDown")
        try:
            choice.wait_for(state="visible", timeout=3_000)
            break
        except Exception:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
    click(page, choice)


def type_number(page, label: str, value) -> None:
    """Type into a number input and press Enter, as a person does."""
    field = page.get_by_role("spinbutton", name=label, exact=True)
    before = app_activity(page)
    field.fill(str(value))
    field.press("Enter")
    wait_for_app_idle(page, before)


def slider_thumb(page, label: str):
    box = page.locator('[data-testid="stSlider"]').filter(has_text=label)
    return box.get_by_role("slider")


def press_like_a_person(page, locator) -> None:
    """Click where the element is now, even if it is re-rendered meanwhile (while playing)."""

    def where():
        try:  # slow while the page is busy drawing a frame
            return locator.bounding_box(timeout=5_000)
        except Exception:
            return None

    box = poll(where, timeout=20, interval=0.05)
    assert box, f"{locator} never settled on screen"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def slider_value(page, label: str) -> str:
    """The value shown above a slider's thumb."""
    box = page.locator('[data-testid="stSlider"]').filter(has_text=label)
    return box.locator('[data-testid="stSliderThumbValue"]').inner_text().strip()


def main_heading(page) -> str:
    """The page title (Streamlit 1.67 renders ``st.title`` as a heading, not always h1)."""
    return page.locator('[data-testid="stMain"]').get_by_role("heading").first.inner_text().strip()


def press_on_slider(page, label: str, key: str) -> None:
    """Focus a slider's thumb and press a key (ArrowLeft, Home, ...)."""
    thumb = slider_thumb(page, label)
    thumb.focus()
    before = app_activity(page)
    page.keyboard.press(key)
    wait_for_app_idle(page, before)


def scatter(page) -> dict:
    return chart_with_role(page, "points")


def curve(page) -> dict:
    return chart_with_role(page, "loglik_line")


def xy(trace) -> tuple[list, list]:
    return trace["x"], trace["y"]


def ellipses(chart) -> list[tuple[list, list]]:
    return [xy(t) for t in traces(chart, "ellipse")]


def means(chart) -> list[tuple[float, float]]:
    found = sorted(traces(chart, "mean"), key=lambda t: t["meta"]["component"])
    return [(t["x"][0], t["y"][0]) for t in found]


def data_traces(chart) -> dict:
    """The data the scatter shows: positions of the points (not colours or model)."""
    (points,) = traces(chart, "points")
    return {"x": points["x"], "y": points["y"], "n": len(points["x"])}


def assert_no_errors(page, expected_errors: bool = False) -> None:
    assert not exceptions(page), f"exception shown: {exceptions(page)}"
    if not expected_errors:
        assert not errors(page), f"error shown: {errors(page)}"
    assert not page.page_errors, f"JavaScript errors: {page.page_errors}"


def assert_status(page, iteration: int, phase: str, index: int, last: int | None = None):
    shown = status(page)
    assert (shown["iteration"], shown["phase"], shown["index"]) == (iteration, phase, index), shown[
        "text"
    ]
    if last is not None:
        assert shown["last"] == last, shown["text"]
    return shown


# ------------------------------------------------------------------------ tests
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


def test_back_and_the_half_step_slider_restore_earlier_pictures(page):
    """Back and the slider show exactly the chart each earlier half-step showed."""
    pictures = [figure_picture(scatter(page))]
    for label in ("Next: E-step", "Next: M-step", "Next: E-step", "Next: M-step"):
        click(page, button(page, label))
        pictures.append(figure_picture(scatter(page)))
    assert_status(page, 2, "after the M-step", 4, last=4)
    assert len({str(p) for p in pictures}) == 5, "every half-step draws a new picture"

    click(page, button(page, "Back"))
    assert_status(page, 2, "after the E-step", 3, last=4)  # history is kept
    assert figure_picture(scatter(page)) == pictures[3]
    assert traces(curve(page), "current")[0]["x"] == [3]

    click(page, button(page, "Back"))
    assert_status(page, 1, "after the M-step", 2, last=4)
    assert figure_picture(scatter(page)) == pictures[2]

    press_on_slider(page, "Half-step", "ArrowLeft")
    assert_status(page, 1, "after the E-step", 1, last=4)
    assert figure_picture(scatter(page)) == pictures[1]

    press_on_slider(page, "Half-step", "Home")
    assert_status(page, 0, "initialisation", 0, last=4)
    assert figure_picture(scatter(page)) == pictures[0]
    assert button(page, "Back").is_disabled()

    press_on_slider(page, "Half-step", "End")
    assert_status(page, 2, "after the M-step", 4, last=4)
    assert figure_picture(scatter(page)) == pictures[4]

    click_curve_point(page, 2)
    assert_status(page, 1, "after the M-step", 2, last=4)
    assert figure_picture(scatter(page)) == pictures[2]
    assert traces(curve(page), "current")[0]["x"] == [2]
    assert_no_errors(page)


def click_curve_point(page, half_step: int) -> None:
    """Click the log-likelihood curve's marker of this half-step, as a student does
    (scrolling the curve into view first, as the slider may have scrolled the page)."""
    graph = page.locator(".js-plotly-plot").nth(curve(page)["index"])
    graph.scroll_into_view_if_needed()
    chart = curve(page)
    (line,) = traces(chart, "loglik_line")
    xa, ya, box = chart["full"]["xaxis"], chart["full"]["yaxis"], chart["box"]
    x, y = line["x"][half_step], line["y"][half_step]
    left = (
        box["x"]
        + xa["offset"]
        + (x - xa["range"][0]) / (xa["range"][1] - xa["range"][0]) * xa["length"]
    )
    top = (
        box["y"]
        + ya["offset"]
        + (ya["range"][1] - y) / (ya["range"][1] - ya["range"][0]) * ya["length"]
    )
    before = app_activity(page)
    page.mouse.click(left, top)
    wait_for_app_idle(page, before)


def test_zoom_survives_a_step(page):
    chart = scatter(page)
    assert chart["full"]["dragmode"] == "zoom"
    xa, ya, box = chart["full"]["xaxis"], chart["full"]["yaxis"], chart["box"]
    left = box["x"] + xa["offset"] + 0.3 * xa["length"]
    top = box["y"] + ya["offset"] + 0.3 * ya["length"]
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(left + 0.3 * xa["length"], top + 0.3 * ya["length"], steps=5)
    page.mouse.up()
    assert poll(lambda: scatter(page)["full"]["xaxis"]["range"] != xa["range"])
    zoomed = scatter(page)["full"]
    click(page, button(page, "Step (E+M)"))
    after = scatter(page)["full"]
    assert_status(page, 1, "after the M-step", 2)
    assert after["xaxis"]["range"] == pytest.approx(zoomed["xaxis"]["range"]) and after["yaxis"][
        "range"
    ] == pytest.approx(zoomed["yaxis"]["range"]), (
        f"zoom lost: x {zoomed['xaxis']['range']} -> {after['xaxis']['range']}"
    )
    assert ellipses(scatter(page)) != ellipses(chart), "the step itself was drawn"


PLAY, PAUSE = "Play", "Pause"
SPEED, INTERVAL = "1×", 1.0  # the default speed: seconds per half-step (pages/shared/stepping.py);
# slow enough that a person (and this test) can press Pause between two frames when one
# frame takes over a second to draw, as with software WebGL on a loaded CI machine


def test_play_animates_pause_stops_and_the_end_is_the_last_snapshot(page):
    type_number(page, "max_iter", 8)  # a short history: 16 half-steps
    click(page, button(page, "Run to convergence"))
    end = status(page)
    assert end["last"] == 16, end["text"]
    last_picture = figure_picture(scatter(page))
    assert SPEED == "1×"  # the default speed, so nothing to choose

    def watch(frames: list[int], enough: int):
        """Record each new half-step on screen; done after ``enough`` frames, or once
        playback has stayed stopped (▶ Play shown, no new frame) for 1.5 s."""
        stopped_since = []

        def look():
            index = status(page)["index"]
            if (frames or index != end["last"]) and (not frames or frames[-1] != index):
                frames.append(index)  # the frames shown since playback began
                stopped_since.clear()
            if frames and button(page, PLAY).count() == 1:
                stopped_since.append(time.monotonic())
            else:
                stopped_since.clear()
            return len(frames) >= enough or bool(
                stopped_since and time.monotonic() - stopped_since[0] > 1.5
            )

        return look

    button(page, PLAY).click()  # from the end, playback restarts at the beginning
    frames: list[int] = []
    poll(watch(frames, 3), timeout=15, interval=0.1)
    assert len(frames) >= 2, f"the half-step did not advance while playing: saw {frames}"
    known_bug(frames == sorted(frames), f"playback went backwards: frames {frames}")
    known_bug(
        button(page, PAUSE).count() == 1 or frames[-1] == end["last"],
        f"playback stopped by itself at half-step {status(page)['index']} of "
        f"{end['last']} (frames {frames})",
    )

    try:
        press_like_a_person(page, button(page, PAUSE))  # re-rendered on every frame
    except AssertionError:
        known_bug(
            button(page, PAUSE).count() == 1,
            f"playback stopped by itself at half-step {status(page)['index']} of "
            f"{end['last']} before Pause could be pressed",
        )
        raise
    button(page, PLAY).wait_for()
    wait_for_app_idle(page)
    paused = status(page)
    page.wait_for_timeout(int(max(3 * INTERVAL, 2.0) * 1000))  # > 2 intervals
    assert status(page)["index"] == paused["index"], "Pause must stop the playback"
    assert paused["index"] < end["last"], "paused before the end"

    button(page, PLAY).click()  # continues from the paused frame to the end
    more: list[int] = [paused["index"]]
    poll(watch(more, 99), timeout=60, interval=0.1)  # until it stops by itself
    wait_for_app_idle(page)
    known_bug(more == sorted(more), f"playback went backwards: frames {more}")
    known_bug(
        status(page)["index"] == end["last"],
        f"playback ended at half-step {status(page)['index']}, not at the last one "
        f"({end['last']}); frames {more}",
    )
    assert status(page)["text"] == end["text"]
    assert figure_picture(scatter(page)) == last_picture, "the last frame is the last snapshot"
    assert_no_errors(page)


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


# --------------------------------------------------------------- picking means
PIXELS_SCRIPT = """
() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => (g.data || []).some(t => t.meta && t.meta.role === 'points'));
  const full = gd._fullLayout, points = gd._fullData[0], box = gd.getBoundingClientRect();
  const xa = full.xaxis, ya = full.yaxis;
  const at = i => [box.x + xa._offset + xa.l2p(points.x[i]),
                   box.y + ya._offset + ya.l2p(points.y[i]), points.x[i], points.y[i]];
  return {points: Array.from({length: points.x.length}, (_, i) => at(i)),
          area: [box.x + xa._offset, box.y + ya._offset, xa._length, ya._length]};
}
"""
TO_PIXELS_SCRIPT = """
([x, y]) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => (g.data || []).some(t => t.meta && t.meta.role === 'points'));
  const full = gd._fullLayout, box = gd.getBoundingClientRect();
  return [box.x + full.xaxis._offset + full.xaxis.l2p(x),
          box.y + full.yaxis._offset + full.yaxis.l2p(y)];
}
"""
BOX = 6  # half-side in px of the box dragged around a point


def isolated_points(page, k: int) -> list[list[float]]:
    """``k`` far-apart points of the scatter, each alone within 2.5 boxes: [px, py, x, y].

    Pixel positions come from Plotly's own axes (``l2p`` plus the axis offset, relative
    to the graph div's bounding box), so they hold at any window size.
    """
    found = page.evaluate(PIXELS_SCRIPT)
    pixels, (left, top, width, height) = found["points"], found["area"]
    margin = 4 * BOX

    def alone(p):
        return all(math.dist(p[:2], q[:2]) > 2.5 * BOX for q in pixels if q is not p)

    inside = [
        p
        for p in pixels
        if left + margin < p[0] < left + width - margin
        and top + margin < p[1] < top + height - margin
    ]
    candidates = [p for p in inside if alone(p)]
    assert len(candidates) >= k, f"only {len(candidates)} isolated points on screen"
    chosen = [candidates[0]]
    while len(chosen) < k:  # farthest-first: well apart, as a student would pick
        chosen.append(max(candidates, key=lambda p: min(math.dist(p[:2], c[:2]) for c in chosen)))
    return chosen


def use_box_select(page) -> None:
    """Make dragging draw a selection box: the modebar's Box Select, unless it already does."""
    chart = scatter(page)
    if chart["full"]["dragmode"] == "select":
        return
    graph = page.locator(".js-plotly-plot").nth(chart["index"])
    graph.hover()  # the modebar shows on hover
    before = app_activity(page)
    graph.locator('.modebar-btn[data-val="select"]').click()
    assert poll(lambda: scatter(page)["full"]["dragmode"] == "select")
    try:  # Streamlit may clear the (empty) selection, which is a rerun
        wait_for_app_idle(page, before, timeout=2_000)
    except AssertionError:
        wait_for_app_idle(page)


def drag_box(page, x: float, y: float) -> None:
    """Drag a small selection box around the data point (x, y) and wait for the rerun.

    The point's pixel position is read just before dragging: switching to Box Select
    and the reruns before may have moved the chart.
    """
    use_box_select(page)
    wait_for_app_idle(page)
    px, py = page.evaluate(TO_PIXELS_SCRIPT, [x, y])
    before = app_activity(page)
    page.mouse.move(px - BOX, py - BOX)
    page.mouse.down()
    page.mouse.move(px, py, steps=3)
    page.mouse.move(px + BOX, py + BOX, steps=3)
    page.mouse.up()
    wait_for_app_idle(page, before)


def picked_count(page) -> int:
    return int(re.search(r"Picked (\d+) of", picking_help(page))[1])


def picking_help(page) -> str:
    return (
        page.locator('[data-testid="stAlertContentInfo"]')
        .filter(has_text="Choose the starting means")
        .inner_text()
    )


def start_picking(page) -> None:
    choose_radio(page, "Source", "Generate")  # three round blobs: points easy to tell
    choose_option(page, "Initialisation", "chosen means")
    assert picked_count(page) == 0 and "K = 2" in picking_help(page)


def test_boxes_around_k_points_start_a_run_from_those_points(page):
    start_picking(page)
    old_means = means(scatter(page))
    picks = isolated_points(page, 2)
    drag_box(page, *picks[0][2:])
    assert poll(lambda: picked_count(page) == 1), picking_help(page)
    stars = [t for t in scatter(page)["data"] if (t["meta"] or {}).get("role") == "picked"]
    assert stars and (stars[0]["x"], stars[0]["y"]) == ([picks[0][2]], [picks[0][3]])

    drag_box(page, *picks[1][2:])
    wanted = [(p[2], p[3]) for p in picks]

    def started():
        return means(scatter(page)) != old_means and status(page)["index"] == 0

    poll(started, timeout=5)
    got = means(scatter(page))
    known_bug(
        [v for m in got for v in m] == pytest.approx([v for m in wanted for v in m], abs=1e-9),
        f"the run's means {got} are not the picked points {wanted}",
    )
    assert_status(page, 0, "initialisation", 0, last=0)
    assert_no_errors(page)


def test_clicking_a_point_picks_it(page):
    start_picking(page)
    (pick,) = isolated_points(page, 1)
    page.mouse.move(pick[0] + 2, pick[1] + 2)
    page.mouse.move(pick[0], pick[1])
    page.wait_for_timeout(200)  # let Plotly find the point under the cursor (hover)
    before = app_activity(page)
    page.mouse.click(pick[0], pick[1])
    with contextlib.suppress(AssertionError):  # no rerun at all: nothing was selected
        wait_for_app_idle(page, before, timeout=3_000)
    known_bug(
        poll(lambda: picked_count(page) == 1, timeout=2),
        f"a click on a point picked nothing: {picking_help(page)!r}",
    )


def test_the_1d_view_draws_k_densities_and_a_step_moves_them(page):
    """One column: histogram, K weighted densities and the mixture; a step reshapes them."""
    choose_radio(page, "View", "1-D")
    chart = chart_with_role(page, "density")
    assert len(traces(chart, "density")) == 2 and len(traces(chart, "mixture")) == 1
    assert len(traces(chart, "histogram")) == 1
    before = [list(t["y"]) for t in traces(chart, "density")]
    click(page, button(page, "Step (E+M)"))
    assert_status(page, 1, "after the M-step", 2)
    after = chart_with_role(page, "density")
    assert [list(t["y"]) for t in traces(after, "density")] != before, (
        "an M-step moves the component densities"
    )
    assert_no_errors(page)
    screenshot(page, "06-view-1d")


def camera_eye(page) -> tuple[float, float, float]:
    eye = chart_with_role(page, "ellipsoid")["full"]["camera"]["eye"]
    return eye["x"], eye["y"], eye["z"]


def test_the_3d_view_draws_k_ellipsoids_and_keeps_the_camera_through_a_step(page):
    """Three columns: K translucent ellipsoids; a rotated view survives a step and Back."""
    choose_radio(page, "Source", "Generate")
    choose_option(page, "Dimensions", "3")
    chart = chart_with_role(page, "ellipsoid")
    assert chart["data"][0]["type"] == "scatter3d"
    ellipsoids = traces(chart, "ellipsoid")
    assert {t["type"] for t in ellipsoids} == {"mesh3d"}
    assert len({t["meta"]["component"] for t in ellipsoids}) == 2, "K = 2 by default"
    screenshot(page, "07-view-3d")

    start = camera_eye(page)
    box = chart["box"]
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(centre_x, centre_y)
    page.mouse.down()
    page.mouse.move(centre_x + 150, centre_y + 40, steps=8)  # turntable: a rotation
    page.mouse.up()
    assert poll(lambda: camera_eye(page) != pytest.approx(start, abs=1e-3)), (
        "dragging rotates the camera"
    )
    rotated = camera_eye(page)

    click(page, button(page, "Step (E+M)"))
    assert_status(page, 1, "after the M-step", 2)
    after = chart_with_role(page, "ellipsoid")
    assert [t["x"] for t in traces(after, "ellipsoid")] != [t["x"] for t in ellipsoids], (
        "the M-step moved the ellipsoids"
    )
    assert camera_eye(page) == pytest.approx(rotated, abs=1e-6), "the step kept the view"
    click(page, button(page, "Back"))
    assert_status(page, 1, "after the E-step", 1)
    assert camera_eye(page) == pytest.approx(rotated, abs=1e-6), "Back kept the view"
    press_on_slider(page, "Half-step", "Home")
    assert_status(page, 0, "initialisation", 0)
    assert camera_eye(page) == pytest.approx(rotated, abs=1e-6), "scrubbing kept the view"
    press_like_a_person(page, button(page, PLAY))
    assert poll(
        lambda: button(page, PLAY).count() == 1 and status(page)["index"] == 2, timeout=30
    ), "playback ran to the last half-step and stopped"
    wait_for_app_idle(page)
    assert camera_eye(page) == pytest.approx(rotated, abs=1e-6), "playback kept the view"
    assert_no_errors(page)
    screenshot(page, "08-view-3d-rotated")
