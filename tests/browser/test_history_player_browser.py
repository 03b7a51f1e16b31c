"""The history played in the browser (issue 15): Back, the slider, the curve and Play
answer with the server paused, the browser's drawing equals the server's, and a step
paints the half-step computed ahead of the click.

The server is paused with SIGSTOP (and resumed with SIGCONT): whatever changes on the
page meanwhile was done by the browser alone.
"""

from __future__ import annotations

import math

import pytest
from conftest import button, click, point_colors, poll, status, traces, wait_for_app_idle
from explore_actions import (
    PAUSE,
    PLAY,
    assert_no_errors,
    assert_status,
    click_curve_point,
    curve,
    position,
    scatter,
    server_paused,
    type_number,
)

#: What the browser draws per half-step: compared with the server's figure.
DRAWN = ("ellipse", "mean", "changed", "ghost")


def banner(page) -> str:
    (note,) = [
        a for a in scatter(page)["layout"].get("annotations", []) if a.get("name") == "banner"
    ]
    return note["text"]


def drawn(page) -> dict:
    """Per role of `DRAWN`, each trace's x and y (NaN as None), rounded to 1e-9."""
    out = {}
    for role in DRAWN:
        out[role] = [
            [
                [
                    None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v, 9)
                    for v in t[axis] or []
                ]
                for axis in ("x", "y")
            ]
            for t in traces(scatter(page), role)
        ]
    return out


def arrows(page) -> list[tuple]:
    found = [
        a
        for a in scatter(page)["layout"].get("annotations", [])
        if str(a.get("name", "")).startswith("moved ")
    ]
    return sorted(
        (a["name"], round(a["x"], 9), round(a["y"], 9), round(a["ax"], 9), round(a["ay"], 9))
        for a in found
    )


def short_run(page, max_iter: int = 6) -> dict:
    type_number(page, "max_iter", max_iter)
    click(page, button(page, "Run to convergence"))
    return status(page)


def test_back_slider_curve_and_play_work_with_the_server_paused(page, app_server):
    end = short_run(page)
    last = end["last"]
    assert last >= 8, end["text"]
    with server_paused(app_server):
        button(page, "Back").click()
        poll(lambda: position(page) == last - 1)
        assert_status(page, last // 2, "after the E-step", last - 1, last=last)
        assert banner(page) == f"Iteration {last // 2} · after the E-step"

        slider = page.get_by_role("slider", name="Half-step")
        slider.focus()
        page.keyboard.press("Home")
        poll(lambda: position(page) == 0)
        assert_status(page, 0, "initialisation", 0, last=last)
        assert banner(page) == "Iteration 0 · initialisation"
        page.keyboard.press("ArrowRight")
        poll(lambda: position(page) == 1)
        assert_status(page, 1, "after the E-step", 1, last=last)

        button(page, "Forward").click()
        poll(lambda: position(page) == 2)
        # the curve's mark follows, drawn just after the chart's frame
        poll(lambda: traces(curve(page), "current")[0]["x"] == [2])

        page.evaluate("document.activeElement.blur()")  # keys go to the page
        page.keyboard.press("PageUp")
        poll(lambda: position(page) == 1)

        page.get_by_role("combobox", name="Speed").select_option(label="16×")
        button(page, PLAY).click()
        seen = []
        poll(
            lambda: seen.append(position(page)) or position(page) == last, timeout=20, interval=0.02
        )
        assert button(page, PLAY).count() == 1, "playback stops at the last half-step"
        assert seen == sorted(seen), f"playback went back: {seen}"
        assert_status(page, end["iteration"], end["phase"], last, last=last)

        page.get_by_role("combobox", name="Speed").select_option(label="2×")  # time to pause
        button(page, PLAY).click()  # from the end, playback starts again at the beginning
        poll(lambda: 0 < position(page) < last, timeout=10, interval=0.02)
        button(page, PAUSE).click()
        paused = position(page)
        page.wait_for_timeout(600)
        assert position(page) == paused, "Pause stops playback"
    # The server learns where the browser stopped: the side panel catches up.
    wait_for_app_idle(page)
    poll(lambda: status(page)["index"] == paused)
    phase = status(page)["phase"]
    expected = "Next: M-step" if phase == "after the E-step" else "Next: E-step"
    poll(lambda: button(page, expected).count() == 1, timeout=15)
    assert_no_errors(page)


def test_the_curve_click_and_a_rerun_never_take_the_browser_back(page, app_server):
    end = short_run(page)
    click_curve_point(page, 2)
    assert_status(page, 1, "after the M-step", 2, last=end["last"])
    with server_paused(app_server):
        page.get_by_role("slider", name="Half-step").focus()
        page.keyboard.press("End")
        poll(lambda: position(page) == end["last"])
    # The rerun that the report causes shows the same half-step, not the older one.
    wait_for_app_idle(page)
    page.wait_for_timeout(800)
    assert position(page) == end["last"]
    assert status(page)["index"] == end["last"]
    assert_no_errors(page)


def test_the_browsers_outlines_rings_and_ghosts_equal_pythons(page, app_server):
    """Each half-step drawn by the browser alone (server paused) equals the figure the
    server draws for the same snapshot once it is back."""
    end = short_run(page)
    for target in (end["last"] - 1, end["last"] - 2, 2):  # an E-step, an M-step, the first M-step
        with server_paused(app_server):
            page.get_by_role("slider", name="Half-step").focus()
            for _ in range(abs(position(page) - target)):
                page.keyboard.press("ArrowLeft" if position(page) > target else "ArrowRight")
            poll(lambda target=target: position(page) == target)
            browser = drawn(page)
            browser_arrows = arrows(page)
            frame = page.evaluate("window.__gmmCharts.scatter.gd.dataset.frame")
        assert frame == str(target), "the browser drew this half-step itself"
        wait_for_app_idle(page)
        poll(lambda: page.evaluate("!window.__gmmCharts.scatter.framed"), timeout=15)
        server = drawn(page)
        for role in DRAWN:
            assert len(browser[role]) == len(server[role]), (target, role)
            for ours, theirs in zip(browser[role], server[role]):
                for a, b in zip(ours, theirs):
                    assert a == pytest.approx(b, abs=1e-7, nan_ok=True), (target, role)
        server_arrows = arrows(page)
        assert [a[0] for a in browser_arrows] == [a[0] for a in server_arrows], target
        for ours, theirs in zip(browser_arrows, server_arrows):
            assert ours[1:] == pytest.approx(theirs[1:], abs=1e-7), target
        if status(page)["phase"] == "after the E-step" and target > 1:
            assert browser["changed"], "the rings of the points that changed component"
        if status(page)["phase"] == "after the M-step" and target > 2:
            assert browser["ghost"], "the ghosts of the previous outlines"
    assert_no_errors(page)


def test_a_step_paints_the_half_step_computed_ahead_with_the_numbers_the_server_keeps(
    page, app_server
):
    click(page, button(page, "Step (E+M)"))
    wait_for_app_idle(page)
    page.wait_for_timeout(500)  # the blocks of the new history, and the step ahead
    with server_paused(app_server):
        button(page, "Next: E-step").click()
        poll(lambda: position(page) == 3)
        assert banner(page) == "Iteration 2 · after the E-step"
        painted = drawn(page)
    wait_for_app_idle(page)
    assert_status(page, 2, "after the E-step", 3, last=3)
    poll(lambda: page.evaluate("!window.__gmmCharts.scatter.framed"), timeout=15)
    kept = drawn(page)
    for role in ("ellipse", "mean", "changed"):
        assert len(painted[role]) == len(kept[role]), role
        for ours, theirs in zip(painted[role], kept[role]):
            for a, b in zip(ours, theirs):
                assert a == pytest.approx(b, abs=1e-7, nan_ok=True), role
    with server_paused(app_server):
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("ArrowRight")  # → at the last half-step takes the next one
        poll(lambda: position(page) == 4)
        assert banner(page) == "Iteration 2 · after the M-step"
    wait_for_app_idle(page)
    poll(lambda: status(page)["index"] == 4 and status(page)["last"] == 4, timeout=15)
    assert_no_errors(page)


# The overlay canvas's pixel under each mean of the frame, and under each of the first
# drawn points, with the colours the frame gives them; whether Plotly's traces are hidden.
OVERLAY_SCRIPT = """
() => {
  const gd = window.__gmmCharts.scatter.gd, frame = gd.__gmmFrame;
  const canvas = gd.querySelector('canvas.gmm-frame-canvas');
  // WebGL's canvases and the SVG traces (Old Faithful's 272 points are SVG)
  const layers = [gd.querySelector('.gl-container'), gd.querySelector('.cartesianlayer .scatterlayer')];
  const hidden = layers.every(e => e && getComputedStyle(e).visibility === 'hidden');
  if (!frame) return {frame: false, hidden, shown: canvas && canvas.style.visibility !== 'hidden'};
  const full = gd._fullLayout, dpr = window.devicePixelRatio || 1;
  const context = canvas.getContext('2d');
  const pixel = (x, y) => {
    const px = Math.floor((full.xaxis._offset + full.xaxis.l2p(x)) * dpr);
    const py = Math.floor((full.yaxis._offset + full.yaxis.l2p(y)) * dpr);
    return Array.from(context.getImageData(px, py, 1, 1).data);
  };
  const means = frame.data.filter(t => t.meta && t.meta.role === 'mean')
    .map(t => ({color: t.marker.color, at: pixel(t.x[0], t.y[0])}));
  const points = frame.data.find(t => t.meta && t.meta.role === 'points');
  const sample = Array.from({length: 40}, (_, i) => i * Math.floor(points.x.length / 40));
  return {frame: true, hidden, shown: canvas.style.visibility !== 'hidden', means,
          points: sample.map(i => ({color: gd.__gmmFrameOptions.colorOf(points.codes[i], true),
                                    at: pixel(points.x[i], points.y[i])}))};
}
"""


def hex_rgb(color: str) -> list[int]:
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


def test_the_canvas_paints_the_frame_over_plotlys_hidden_traces_and_follows_a_zoom(
    page, app_server
):
    """A half-step the browser draws alone goes on the canvas over the chart: Plotly's
    traces hidden, each mean and point painted in its own colour where the axes put it
    (also after a zoom); the server's figure of the same half-step gives every point the
    same colour, and once it is drawn the canvas is hidden and Plotly's traces are back."""
    end = short_run(page)
    with server_paused(app_server):
        button(page, "Back").click()
        poll(lambda: position(page) == end["last"] - 1)
        poll(lambda: page.evaluate(OVERLAY_SCRIPT)["frame"])
        painted = page.evaluate(OVERLAY_SCRIPT)
        colors = point_colors(scatter(page))
        page.evaluate(
            "() => { const gd = window.__gmmCharts.scatter.gd, r = gd._fullLayout.xaxis.range;"
            " return Plotly.relayout(gd, {'xaxis.range': [r[0] - 2, r[1] + 3]}); }"
        )
        zoomed = page.evaluate(OVERLAY_SCRIPT)
    for seen in (painted, zoomed):
        assert seen["hidden"] and seen["shown"], "Plotly's traces hidden, the canvas shown"
        for mean in seen["means"]:  # the middle of the x marker: its fill colour, opaque
            assert mean["at"][3] == 255 and mean["at"][:3] == hex_rgb(mean["color"]), mean
        drawn = [p for p in seen["points"] if p["at"][3] > 0]
        assert len(drawn) >= 30, "most points lie inside the plot area"
        for point in drawn:  # over no other point: its colour (a neighbour may overlap)
            if point["at"][3] == round(0.85 * 255):
                assert all(abs(a - b) <= 1 for a, b in zip(point["at"], point["color"]))
    wait_for_app_idle(page)
    poll(lambda: page.evaluate("!window.__gmmCharts.scatter.framed"), timeout=15)
    assert point_colors(scatter(page)) == colors, "the server's colours, point by point"
    back = page.evaluate(OVERLAY_SCRIPT)
    assert not back["frame"] and not back["hidden"] and not back["shown"]
    assert_no_errors(page)
