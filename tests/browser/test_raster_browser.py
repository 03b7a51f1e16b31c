"""All the points at n = 200,000: the image mode of the 2-D chart, in a real browser.

Above the point-drawing limit the scatter draws every point as an image; its first
trace holds one transparent marker per non-empty pixel with the pixel's count and mean
responsibilities (`gmm.figures.raster_traces`). The test reads what the browser's graph
holds: the counts add up to every point, hovering a pixel shows its count, and a click
on a pixel opens the point panel for a real data point of that pixel.
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
    open_app,
    poll,
    screenshot,
    traces,
    wait_for_app_idle,
)
from explore_actions import (
    PIXELS_SCRIPT,
    choose_option,
    drag_box,
    picked_count,
    position,
    server_paused,
)
from scipy.spatial import cKDTree

N = 200_000
LINK = f"?data=generate&gen_n={N}&gen_k=3&gen_seed=5"

PIXELS = """
() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => (g.data || []).some(t => t.meta && t.meta.role === 'points'));
  const pixels = gd._fullData[0], image = gd._fullData.find(t => t.type === 'image');
  return {counts: Array.from(pixels.customdata, row => row[0]),
          gammas: Array.from(pixels.customdata, row => Array.from(row).slice(1)),
          x: Array.from(pixels.x), y: Array.from(pixels.y),
          image: image ? {x0: image.x0, dx: image.dx, y0: image.y0, dy: image.dy,
                          source: image.source.slice(0, 21)} : null};
}
"""


def isolated_pixel(page, alone_px: float = 10.0) -> tuple[float, float, int]:
    """A non-empty pixel with no other within ``alone_px`` screen pixels, well inside the
    plot: its screen position and its index in the first trace."""
    found = page.evaluate(PIXELS_SCRIPT)
    screen = np.array(found["points"])[:, :2]
    left, top, width, height = found["area"]
    distance, _ = cKDTree(screen).query(screen, k=2)
    inside = (
        (screen[:, 0] > left + 30)
        & (screen[:, 0] < left + width - 30)
        & (screen[:, 1] > top + 30)
        & (screen[:, 1] < top + height - 30)
    )
    candidates = np.flatnonzero(inside & (distance[:, 1] > alone_px))
    assert len(candidates), "no isolated pixel on screen"
    index = int(candidates[0])
    return float(screen[index, 0]), float(screen[index, 1]), index


def hover_text(page) -> str:
    """The text of the hover label on screen (an SVG group: its text content)."""
    label = page.locator(".hoverlayer .hovertext").first
    label.wait_for(state="attached", timeout=5_000)
    return label.text_content()


def test_the_image_mode_shows_every_points_count_and_clicks_select_real_points(browser, app_server):
    page = open_app(browser, app_server.url + LINK)
    try:
        click(page, button(page, "Step (E+M)"))
        chart = chart_with_role(page, "points")
        (pixels,) = traces(chart, "points")
        assert pixels["meta"]["mode"] == "image" and pixels["meta"]["n_total"] == N
        assert traces(chart, "image"), "the picture itself"
        notes = [a.get("text", "") for a in chart["layout"].get("annotations", [])]
        assert any(note.startswith(f"all {N:,} points as an image") for note in notes), notes
        held = page.evaluate(PIXELS)
        assert sum(held["counts"]) == N, "every point is counted in some pixel"
        assert held["image"]["source"] == "data:image/png;base64"
        for gamma in held["gammas"][:200]:
            assert abs(sum(gamma) - 1) < 1e-5, "mean responsibilities sum to 1"

        # Hover an isolated pixel: the label gives its count and mean responsibilities.
        px, py, index = isolated_pixel(page)
        page.mouse.move(px + 3, py + 3)
        page.mouse.move(px, py, steps=2)
        text = hover_text(page)
        count = int(re.search(r"Points in this pixel: ([\d,]+)", text)[1].replace(",", ""))
        assert count == held["counts"][index], text
        assert "Component 1: γ₁" in text and "mean responsibilities" in text
        screenshot(page, "raster-hover")

        # A click on it selects a real data point of that pixel.
        before = app_activity(page)
        page.mouse.click(px, py)
        wait_for_app_idle(page, before)
        heading = page.locator(".st-key-point").get_by_text(re.compile(r"^Point \d+")).first
        point = int(re.match(r"Point (\d+)", heading.inner_text())[1])
        assert 0 <= point < N
        (ring,) = traces(chart_with_role(page, "points"), "selected")
        assert ring["meta"]["point"] == point
        dx, dy = held["image"]["dx"], held["image"]["dy"]
        assert abs(ring["x"][0] - held["x"][index]) <= dx / 2 * 1.001
        assert abs(ring["y"][0] - held["y"][index]) <= abs(dy) / 2 * 1.001
        assert page.locator(".st-key-point .katex").count() == 1, "its E-step, with numbers"
        screenshot(page, "raster-point-selected")
        assert not exceptions(page), exceptions(page)
    finally:
        page.context.close()


PICTURE = """
async () => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => (g.data || []).some(t => t.meta && t.meta.role === 'image'));
  // A half-step the history player painted on its canvas: the picture it drew.
  const trace = (gd.__gmmFrame || gd).data.find(t => t.meta && t.meta.role === 'image');
  const [rows, cols] = trace.meta.shape;
  let picture = trace.picture;
  if (!picture) {
    picture = new Image();
    picture.src = trace.source;
    await picture.decode();
  }
  const canvas = document.createElement('canvas');
  canvas.width = cols; canvas.height = rows;
  const context = canvas.getContext('2d');
  context.drawImage(picture, 0, 0);
  return {shape: [rows, cols], rgba: Array.from(context.getImageData(0, 0, cols, rows).data)};
}
"""


def picture(page) -> np.ndarray:
    """The image trace's picture as the browser holds it: (rows, cols, 4) uint8."""
    held = page.evaluate(PICTURE)
    return np.array(held["rgba"], dtype=np.int16).reshape(*held["shape"], 4)


def test_the_history_played_in_the_browser_repaints_the_image_as_the_server_would(
    browser, app_server
):
    """Back with the server paused: the browser repaints every pixel from the frames
    (one colour code per non-empty pixel); the server, resumed, draws the same picture."""
    page = open_app(browser, app_server.url + f"?data=generate&gen_n={30_000}&gen_k=3&gen_seed=2")
    try:
        click(page, button(page, "Step (E+M)"))
        click(page, button(page, "Step (E+M)"))
        wait_for_app_idle(page)
        last = picture(page)
        with server_paused(app_server):
            button(page, "Back").click()
            button(page, "Back").click()
            poll(lambda: position(page) == 2)
            poll(lambda: page.evaluate("window.__gmmCharts.scatter.gd.dataset.frame") == "2")
            painted = picture(page)
        wait_for_app_idle(page)  # the server learns the view, and draws it itself
        poll(lambda: page.evaluate("!window.__gmmCharts.scatter.framed"), timeout=15)
        served = picture(page)
        occupied = served[..., 3] > 0
        assert np.array_equal(painted[..., 3] > 0, occupied), "the same pixels hold points"
        assert np.abs(painted - served)[occupied].max() <= 3, "the same colours and opacity"
        assert np.abs(last - served)[occupied].max() > 3, "iteration 1's colours, not 2's"
        assert not exceptions(page), exceptions(page)
    finally:
        page.context.close()


def test_a_box_around_pixels_picks_a_starting_mean(browser, app_server):
    page = open_app(browser, app_server.url + LINK)
    try:
        choose_option(page, "Initialisation", "chosen means")
        (pixels,) = traces(chart_with_role(page, "points"), "points")
        assert pixels["meta"]["mode"] == "image", "picking on the image of all points"
        drag_box(page, -4.0, -2.0)
        assert picked_count(page) == 1
        (star,) = traces(chart_with_role(page, "points"), "picked")
        assert abs(star["x"][0] + 4.0) < 0.5 and abs(star["y"][0] + 2.0) < 0.5
        assert not exceptions(page), exceptions(page)
    finally:
        page.context.close()
