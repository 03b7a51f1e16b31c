"""The history played in the browser in 1-D: Plotly draws a frame's curves and brackets,
the canvas over the chart its rug (a WebGL rug of 10,000 points would cost Plotly about
300 ms a redraw in software WebGL), and the frame equals the server's figure.
"""

from __future__ import annotations

import pytest
from conftest import button, click, poll, wait_for_app_idle
from explore_actions import assert_no_errors, choose_radio, position, server_paused, type_number

#: What a 1-D frame draws from the history's numbers (assets/frame_figure.js).
CURVES = ("share", "density", "mixture", "interval", "mean", "ghost")
#: The marks of what one half-step changed: they differ from half-step to half-step.
OVERLAYS = ("changed", "ghost", "selected")

# What is on the 1-D chart now: Plotly's traces (role, and x, y of the curves), its rug
# placeholder, and under 40 of the frame's rug points the canvas's pixel with the
# colour the frame gives that point.
FRAME_SCRIPT = """
(curves) => {
  const gd = window.__gmmCharts.scatter.gd, frame = gd.__gmmFrame;
  const role = t => (t.meta && t.meta.role) || null;
  const plain = v => (v ? Array.from(v, a => (a === null || Number.isNaN(a) ? null : a)) : []);
  // _fullData: Plotly's decoded arrays (gd.data may hold the server's base64 ones)
  const plotly = gd._fullData.map(t => ({role: role(t), name: t.name,
    x: curves.includes(role(t)) ? plain(t.x) : null,
    y: curves.includes(role(t)) ? plain(t.y) : null}));
  const arrows = (gd.layout.annotations || []).filter(a => String(a.name).startsWith('moved '))
    .map(a => [a.name, a.x, a.y, a.ax, a.ay]);
  const rug = gd._fullData.find(t => role(t) === 'points');
  const canvas = gd.querySelector('canvas.gmm-frame-canvas');
  const out = {frame: Boolean(frame), plotly, arrows, rugLength: rug._length, rugShown: rug.visible,
               legend: [...gd.querySelectorAll('.legend .traces')].length,
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
    return [(t["role"], t["name"], t["x"], t["y"]) for t in seen["plotly"] if t["role"] in CURVES]


def assert_same_drawing(ours: dict, theirs: dict) -> None:
    """The curves (and ghosts) and arrows of two views of one half-step agree."""
    assert [c[:2] for c in curves(ours)] == [c[:2] for c in curves(theirs)]
    for a, b in zip(curves(ours), curves(theirs)):
        for axis in (2, 3):
            assert a[axis] == pytest.approx(b[axis], abs=1e-7, nan_ok=True), a[:2]
    assert [a[0] for a in ours["arrows"]] == [a[0] for a in theirs["arrows"]]
    for a, b in zip(ours["arrows"], theirs["arrows"]):
        assert a[1:] == pytest.approx(b[1:], abs=1e-7), a[0]


def test_a_1d_frame_has_every_curve_and_its_rug_on_the_canvas(page, app_server):
    choose_radio(page, "View", "1-D")
    type_number(page, "max_iter", 6)
    click(page, button(page, "Run to convergence"))
    served = on_1d_chart(page)
    roles = [t["role"] for t in served["plotly"] if t["role"] not in OVERLAYS]
    assert {"density", "share", "interval"} <= set(roles), roles
    with server_paused(app_server):
        last = position(page)
        button(page, "Back").click()
        poll(lambda: position(page) == last - 1)
        poll(lambda: on_1d_chart(page)["frame"])
        framed = on_1d_chart(page)
    # Plotly draws the frame's curves, the same traces as the server's figure has ...
    assert [t["role"] for t in framed["plotly"] if t["role"] not in OVERLAYS] == roles
    assert framed["legend"] == served["legend"], "the legend keeps every entry"
    # ... but not its rug: one point at NaN keeps the rug's legend entry
    assert framed["rugLength"] == 1 and framed["rugShown"] is True
    assert framed["canvasShown"]
    ticked = [t for t in framed["ticks"] if t["at"][3] > 0]
    assert len(ticked) >= 36, "a tick on the canvas under (nearly) every rug point"
    for tick in ticked:  # the frame's colour (ticks of like colours may overlap)
        assert all(abs(a - b) <= 40 for a, b in zip(tick["at"][:3], tick["color"])), tick
    wait_for_app_idle(page)
    poll(lambda: not on_1d_chart(page)["frame"], timeout=15)
    again = on_1d_chart(page)
    assert again["rugLength"] > 1 and not again["canvasShown"], "the server's rug is back"
    assert_same_drawing(framed, again)
    # an M-step before it: the previous curves, dotted, and the arrows, as the server's
    with server_paused(app_server):
        button(page, "Back").click()
        poll(lambda: position(page) == last - 2)
        poll(lambda: on_1d_chart(page)["frame"])
        after_m = on_1d_chart(page)
    assert [t for t in after_m["plotly"] if t["role"] == "ghost"], "the ghosts of an M-step"
    wait_for_app_idle(page)
    poll(lambda: not on_1d_chart(page)["frame"], timeout=15)
    assert_same_drawing(after_m, on_1d_chart(page))
    assert_no_errors(page)
