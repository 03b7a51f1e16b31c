"""The history played in the browser in 1-D. A frame whose density axis is the chart's
goes wholly on the canvas over the chart (Plotly keeps its bars and axes; its scatter
traces are hidden); a frame with a new axis is drawn by Plotly but for its rug, which
the canvas paints (a WebGL rug of 10,000 points would cost Plotly about 300 ms a redraw
in software WebGL). Either way the frame equals the server's figure of that half-step.
"""

from __future__ import annotations

import pytest
from conftest import button, click, poll, wait_for_app_idle
from explore_actions import assert_no_errors, choose_radio, position, server_paused, type_number

#: What a 1-D frame draws from the history's numbers (assets/frame_figure.js).
CURVES = ("share", "density", "mixture", "interval", "mean", "ghost")
#: The marks of what one half-step changed: they differ from half-step to half-step.
OVERLAYS = ("changed", "ghost", "selected")

# What is on the 1-D chart now: the traces drawn (the frame's if a frame is up, else
# Plotly's: role, name, and x, y of the curves), the arrows, what Plotly shows (its y
# range, its rug, whether its scatter layer and bars are visible, its legend texts),
# and under 40 of the frame's rug points the canvas's pixel with the frame's colour.
FRAME_SCRIPT = """
(curves) => {
  const gd = window.__gmmCharts.scatter.gd, frame = gd.__gmmFrame;
  const role = t => (t.meta && t.meta.role) || null;
  const plain = v => (v ? Array.from(v, a => (a === null || Number.isNaN(a) ? null : a)) : []);
  // _fullData: Plotly's decoded arrays (gd.data may hold the server's base64 ones)
  const shown = frame ? frame.data : gd._fullData;
  const drawn = shown.map(t => ({role: role(t), name: t.name,
    x: curves.includes(role(t)) ? plain(t.x) : null,
    y: curves.includes(role(t)) ? plain(t.y) : null}));
  const notes = (frame ? frame.layout : gd.layout).annotations || [];
  const arrows = notes.filter(a => String(a.name).startsWith('moved '))
    .map(a => [a.name, a.x, a.y, a.ax, a.ay]);
  const rug = gd._fullData.find(t => role(t) === 'points');
  const canvas = gd.querySelector('canvas.gmm-frame-canvas');
  const visible = selector => getComputedStyle(gd.querySelector(selector)).visibility !== 'hidden';
  const out = {frame: Boolean(frame), drawn, arrows, rugLength: rug._length,
               plotlyRange: Array.from(gd._fullLayout.yaxis.range),
               frameRange: frame ? Array.from(frame.layout.yaxis.range) : null,
               scatterShown: visible('.scatterlayer'), barsShown: visible('.barlayer'),
               legend: [...gd.querySelectorAll('.legend .legendtext')].map(t => t.textContent),
               canvasShown: Boolean(canvas) && canvas.style.visibility !== 'hidden'};
  if (!frame) return out;
  const points = frame.data.find(t => role(t) === 'points');
  const full = gd._fullLayout, dpr = window.devicePixelRatio || 1;
  const context = canvas.getContext('2d');
  const step = Math.floor(points.x.length / 40);
  out.ticks = Array.from({length: 40}, (_, s) => {
    const i = s * step;
    const px = Math.round((full.xaxis._offset + full.xaxis.l2p(points.x[i])) * dpr);
    const py = Math.round((full.yaxis._offset + full.yaxis.l2p(points.y[i])) * dpr);
    return {color: gd.__gmmFrameOptions.colorOf(points.codes[i], true),
            at: Array.from(context.getImageData(px, py, 1, 1).data)};
  });
  return out;
}
"""


def on_1d_chart(page) -> dict:
    return page.evaluate(FRAME_SCRIPT, list(CURVES))


def curves(seen: dict) -> list[tuple]:
    return [(t["role"], t["name"], t["x"], t["y"]) for t in seen["drawn"] if t["role"] in CURVES]


def roles(seen: dict) -> list[str]:
    return [t["role"] for t in seen["drawn"] if t["role"] not in OVERLAYS]


def assert_same_drawing(ours: dict, theirs: dict) -> None:
    """The curves (and ghosts) and arrows of two views of one half-step agree."""
    assert [c[:2] for c in curves(ours)] == [c[:2] for c in curves(theirs)]
    for a, b in zip(curves(ours), curves(theirs)):
        for axis in (2, 3):
            assert a[axis] == pytest.approx(b[axis], abs=1e-7, nan_ok=True), a[:2]
    assert [a[0] for a in ours["arrows"]] == [a[0] for a in theirs["arrows"]]
    for a, b in zip(ours["arrows"], theirs["arrows"]):
        assert a[1:] == pytest.approx(b[1:], abs=1e-7), a[0]


def assert_rug_on_canvas(framed: dict) -> None:
    assert framed["canvasShown"]
    ticked = [t for t in framed["ticks"] if t["at"][3] > 0]
    assert len(ticked) >= 36, "a tick on the canvas under (nearly) every rug point"
    for tick in ticked:  # the frame's colour (ticks of like colours may overlap)
        assert all(abs(a - b) <= 40 for a, b in zip(tick["at"][:3], tick["color"])), tick


def frame_then_server(page, app_server, key: str, target: int) -> tuple[dict, dict]:
    """With the server paused, ``key`` on the slider until the browser shows half-step
    ``target``; then the server's figure of it. Both as `on_1d_chart` reads them."""
    with server_paused(app_server):
        page.get_by_role("slider", name="Half-step").focus()
        while position(page) != target:
            page.keyboard.press(key)
            poll(lambda: on_1d_chart(page)["frame"])
        framed = on_1d_chart(page)
    wait_for_app_idle(page)
    poll(lambda: not on_1d_chart(page)["frame"], timeout=15)
    return framed, on_1d_chart(page)


def test_1d_frames_on_the_canvas_and_through_plotly_equal_the_servers(page, app_server):
    choose_radio(page, "View", "1-D")
    type_number(page, "max_iter", 6)
    click(page, button(page, "Run to convergence"))
    served = on_1d_chart(page)
    assert {"density", "share", "interval"} <= set(roles(served)), roles(served)
    last = position(page)

    # One back, the same density axis: the whole frame on the canvas, Plotly's bars kept
    framed, again = frame_then_server(page, app_server, "ArrowLeft", last - 1)
    assert framed["frameRange"] == pytest.approx(framed["plotlyRange"])
    assert roles(framed) == roles(served), "no curve left out of the frame"
    assert not framed["scatterShown"] and framed["barsShown"]
    assert framed["rugLength"] > 1, "no Plotly draw: the server's rug stays, hidden"
    components = [t["name"] for t in framed["drawn"] if t["role"] == "density"]
    assert set(components) <= set(framed["legend"]), "the legend names the frame's π_k"
    assert_rug_on_canvas(framed)
    assert again["scatterShown"] and not again["canvasShown"], "the server's figure is back"
    assert_same_drawing(framed, again)

    # An M-step: the previous curves, dotted, and the arrows, as the server's
    after_m, again = frame_then_server(page, app_server, "ArrowLeft", last - 2)
    assert [t for t in after_m["drawn"] if t["role"] == "ghost"], "the ghosts of an M-step"
    assert_same_drawing(after_m, again)

    # The start: a lower density axis, so Plotly draws the frame (its rug one point at
    # NaN, which keeps the legend entry) and the canvas the rug
    axis_before = again["plotlyRange"]
    first, again = frame_then_server(page, app_server, "Home", 0)
    assert first["frameRange"] != pytest.approx(axis_before), "a lower axis at the start"
    assert first["rugLength"] == 1 and first["scatterShown"]
    assert first["plotlyRange"] == pytest.approx(first["frameRange"])
    assert first["legend"] == again["legend"], "the legend keeps every entry"
    assert_rug_on_canvas(first)
    assert_same_drawing(first, again)
    assert_no_errors(page)
