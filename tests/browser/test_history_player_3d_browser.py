"""The history played in the browser in 3-D (assets/frame_canvas_3d.js). A frame goes on
the canvas over Plotly's scene, whose trace objects skip their draws (its axes stay):
projected with Plotly's own camera, it puts each mean where Plotly puts a point of the
same coordinates, casts each ellipsoid where its mesh lies, follows a rotation, and gives way to Plotly's drawing when the server's
figure of the half-step arrives, or when the user rests on the server's own half-step.
"""

from __future__ import annotations

import pytest
from conftest import button, click, poll, wait_for_app_idle
from explore_actions import (
    assert_no_errors,
    choose_option,
    choose_radio,
    position,
    server_paused,
    type_number,
)

# What is on the 3-D chart now: whether a frame is up, how many of Plotly's scene objects
# are silent, the legend's texts; with a frame, per mean the canvas's pixel at its
# projection and the average colour of the translucent pixels around it (the ellipsoids'
# surfaces alone), and where Plotly itself puts a scene annotation at the first mean.
SCENE_SCRIPT = """
() => {
  const gd = window.__gmmCharts.scatter.gd, frame = gd.__gmmFrame;
  const objects = gd._fullLayout.scene._scene.glplot.objects;
  const canvas = gd.querySelector('canvas.gmm-frame-canvas');
  const out = {frame: Boolean(frame), objects: objects.length,
               silent: objects.filter(o => o.__gmmDraws).length,
               shown: Boolean(canvas) && canvas.style.visibility !== 'hidden',
               legend: [...gd.querySelectorAll('.legend .legendtext')].map(t => t.textContent)};
  if (!frame) return out;
  const dpr = window.devicePixelRatio || 1, context = canvas.getContext('2d');
  const pixel = (x, y) => Array.from(context.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data);
  out.names = frame.data.filter(t => t.type === 'mesh3d').map(t => t.name);
  out.means = frame.data.filter(t => t.meta && t.meta.role === 'mean').map(t => {
    const [x, y] = window.GmmCanvas3d.project(gd, t.x[0], t.y[0], t.z[0]);
    const around = [];
    for (let a = 0; a < 72; a++) {
      const radius = 12 + (a % 4) * 3, angle = (a * Math.PI) / 36;
      const p = pixel(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
      if (p[3] > 0 && p[3] < 200) around.push(p);
    }
    const mean = [0, 1, 2].map(c => around.reduce((s, p) => s + p[c], 0) / Math.max(around.length, 1));
    return {color: t.marker.color, xy: [x, y], at: pixel(x, y), around: around.length, tint: mean,
            where: [t.x[0], t.y[0], t.z[0]]};
  });
  const probe = gd.querySelector('.annotation-scene[data-index="0"] rect.bg');
  if (probe) {
    const box = probe.getBoundingClientRect(), home = gd.getBoundingClientRect();
    out.probe = [box.left + box.width / 2 - home.left, box.top + box.height / 2 - home.top];
  }
  return out;
}
"""

# The ray-cast ellipsoids against their meshes (built apart, by frames.js, from the same
# numbers): each ellipsoid wholly inside the axis box painted alone, and at the extremes
# (left, right, top, bottom) of its mesh's vertices the canvas's alpha 4 px inside and
# 4 px outside. The mesh is inscribed: it reaches the silhouette to about a pixel.
SILHOUETTE_SCRIPT = """
() => {
  const gd = window.__gmmCharts.scatter.gd, frame = gd.__gmmFrame, options = gd.__gmmFrameOptions;
  const canvas = gd.querySelector('canvas.gmm-frame-canvas'), context = canvas.getContext('2d');
  const dpr = window.devicePixelRatio || 1;
  const alpha = (x, y) => context.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data[3];
  const scene = gd._fullLayout.scene, ranges = ['xaxis', 'yaxis', 'zaxis'].map(a => scene[a].range);
  const inBox = (v) => v.every((c, k) => c >= Math.min(...ranges[k]) && c <= Math.max(...ranges[k]));
  const out = [];
  for (const t of frame.data.filter(t => t.type === 'mesh3d')) {
    const vertices = Array.from(t.x, (x, v) => [x, t.y[v], t.z[v]]);
    if (!vertices.every(inBox)) continue;
    window.GmmCanvas3d.paint(gd, Object.assign({}, frame, {data: [t]}), options);
    const seen = vertices.map(v => window.GmmCanvas3d.project(gd, ...v));
    const most = (f) => seen.reduce((a, b) => (f(b) > f(a) ? b : a));
    const sides = {right: [most(p => p[0]), 1, 0], left: [most(p => -p[0]), -1, 0],
                   bottom: [most(p => p[1]), 0, 1], top: [most(p => -p[1]), 0, -1]};
    for (const [side, [p, dx, dy]] of Object.entries(sides)) {
      out.push([t.name, side, alpha(p[0] - 4 * dx, p[1] - 4 * dy), alpha(p[0] + 4 * dx, p[1] + 4 * dy)]);
    }
  }
  window.GmmCanvas3d.paint(gd, frame, options);
  return out;
}
"""


def assert_cast_where_the_meshes_lie(page) -> None:
    checked = page.evaluate(SILHOUETTE_SCRIPT)
    assert len(checked) >= 4, "an ellipsoid wholly inside the axis box"
    for name, side, inside, outside in checked:
        assert inside > 0 and outside == 0, (name, side, inside, outside)


PROBE_SCRIPT = """
([x, y, z]) => Plotly.relayout(window.__gmmCharts.scatter.gd, {'scene.annotations': [
  {x, y, z, text: '+', showarrow: false, xanchor: 'center', yanchor: 'middle'}]})
"""

TURN_SCRIPT = """
() => Plotly.relayout(window.__gmmCharts.scatter.gd, {'scene.camera.eye': {x: -1.8, y: 1.2, z: 0.6}})
"""


def on_scene(page) -> dict:
    return page.evaluate(SCENE_SCRIPT)


def hex_rgb(color: str) -> list[int]:
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


def assert_means_painted(seen: dict) -> None:
    """Each mean's diamond in its colour at its projection, and the translucent pixels
    around it nearer its component's colour than any other's."""
    colors = [hex_rgb(m["color"]) for m in seen["means"]]
    for k, mean in enumerate(seen["means"]):
        assert mean["at"][3] == 255, mean
        assert all(abs(a - b) <= 2 for a, b in zip(mean["at"][:3], colors[k])), mean
        assert mean["around"] >= 10, "the ellipsoids' surfaces around the mean"
        distance = [sum((a - b) ** 2 for a, b in zip(mean["tint"], c)) for c in colors]
        assert distance.index(min(distance)) == k, mean


def test_3d_frames_are_painted_with_plotlys_camera_and_give_way_to_plotly(page, app_server):
    choose_radio(page, "Source", "Generate")
    choose_option(page, "Dimensions", "3")
    type_number(page, "max_iter", 6)
    click(page, button(page, "Run to convergence"))
    served = on_scene(page)
    assert not served["frame"] and served["objects"] > 0 and served["silent"] == 0
    last = position(page)

    with server_paused(app_server):
        page.get_by_role("slider", name="Half-step").focus()
        page.keyboard.press("ArrowLeft")
        poll(lambda: on_scene(page)["frame"])
        assert position(page) == last - 1
        framed = on_scene(page)
        assert framed["shown"] and framed["silent"] == framed["objects"], "Plotly draws no trace"
        assert framed["names"] and set(framed["names"]) <= set(framed["legend"]), (
            "the legend gives the frame's π_k, mass by mass"
        )
        assert_means_painted(framed)
        assert_cast_where_the_meshes_lie(page)

        # Plotly's own projection: an annotation at the first mean lands on the canvas's
        page.evaluate(PROBE_SCRIPT, framed["means"][0]["where"])
        probed = poll(lambda: on_scene(page).get("probe"))
        assert probed
        seen = on_scene(page)
        assert seen["probe"] == pytest.approx(seen["means"][0]["xy"], abs=1.5)

        # A rotation: Plotly redraws its scene, and the canvas follows in the same draw
        page.evaluate(TURN_SCRIPT)
        poll(
            lambda: (
                on_scene(page)["means"][0]["xy"] != pytest.approx(framed["means"][0]["xy"], abs=20)
            )
        )
        turned = on_scene(page)
        assert turned["frame"] and turned["silent"] == turned["objects"]
        assert_means_painted(turned)
        assert_cast_where_the_meshes_lie(page)
        assert turned["probe"] == pytest.approx(turned["means"][0]["xy"], abs=1.5)

        # Forward to the server's own half-step: painted as a frame at once, and Plotly's
        # drawing comes back when the user rests (Plotly redraws a scene in ~300 ms)
        page.get_by_role("slider", name="Half-step").focus()
        page.keyboard.press("ArrowRight")
        poll(lambda: position(page) == last)
        frame = "window.__gmmCharts.scatter.gd.dataset.frame"
        assert poll(lambda: page.evaluate(frame) == str(last)), "painted as a frame first"
        rested = poll(lambda: not on_scene(page)["frame"], timeout=5)
        assert rested, "Plotly draws the server's figure again"
        assert on_scene(page)["silent"] == 0
        page.keyboard.press("ArrowLeft")
        poll(lambda: on_scene(page)["frame"])

    wait_for_app_idle(page)
    poll(lambda: not on_scene(page)["frame"], timeout=15)
    back = on_scene(page)
    assert not back["shown"] and back["silent"] == 0, "the server's figure, drawn by Plotly"
    assert position(page) == last - 1
    assert_no_errors(page)


def test_reset_during_a_3d_frame_gives_the_chart_back_to_plotly(page, app_server):
    """Reset while a frame is up: Plotly draws a figure of no run, which takes the frame
    down and gives Plotly's objects their draws back (the frame stayed painted over the
    new chart, its points silent, before the 3-D painter took part in the 2-D one's
    following of Plotly's redraws)."""
    choose_radio(page, "Source", "Generate")
    choose_option(page, "Dimensions", "3")
    click(page, button(page, "Step (E+M)"))
    with server_paused(app_server):
        button(page, "Back").click()
        assert poll(lambda: on_scene(page)["frame"])
        button(page, "Reset").click()
    wait_for_app_idle(page)
    gone = poll(lambda: not on_scene(page)["frame"], timeout=15)
    assert gone, "the frame is taken down"
    after = on_scene(page)
    assert not after["shown"] and after["silent"] == 0 and after["objects"] > 0
    assert_no_errors(page)
