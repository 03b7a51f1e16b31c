"""What a student does on the Explore page, as functions the browser tests share.

Actions (choosing in the sidebar, typing, pressing a slider's keys, clicking the curve)
and readers (the scatter and curve charts' traces, the status line), plus picking
starting means by dragging boxes around points on the scatter.

The ``test_explore_*_browser.py`` tests each open the app in a fresh browser session (see
``conftest.py``), act the way a person does -- clicks, keys, a file chosen in the upload
box, a box dragged on the chart -- and check what is on screen: the status line, error
boxes, and the data of the Plotly charts as the browser holds it (the graph divs' traces,
so a check on colours or ellipses is a check on what is drawn, not on what the server
meant to send).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal

from conftest import (
    app_activity,
    chart_with_role,
    click,
    errors,
    exceptions,
    poll,
    status,
    traces,
    wait_for_app_idle,
)

SIDEBAR = '[data-testid="stSidebar"] '
PLAY, PAUSE = "Play", "Pause"
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
    """A sidebar slider's thumb; "Half-step" is the history player's own range input
    (``assets/history_player.js``)."""
    if label == "Half-step":
        return page.get_by_role("slider", name=label)
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


@contextlib.contextmanager
def server_paused(app_server):
    """The Streamlit process stopped (it answers nothing), then resumed."""
    os.kill(app_server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(app_server.process.pid, signal.SIGCONT)


def position(page) -> int:
    """The half-step the browser's player has drawn (assets/history_player.js)."""
    return int(page.evaluate("document.documentElement.dataset.gmmPosition ?? '-1'"))
