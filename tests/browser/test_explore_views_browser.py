"""The Explore page in a real browser: picking starting means on the chart, and the
1-D and 3-D views.

See ``explore_actions.py`` for the actions shared with the other Explore tests.
"""

from __future__ import annotations

import contextlib

import pytest
from conftest import (
    app_activity,
    button,
    chart_with_role,
    click,
    poll,
    screenshot,
    status,
    traces,
    wait_for_app_idle,
)
from explore_actions import (
    PLAY,
    assert_no_errors,
    assert_status,
    choose_option,
    choose_radio,
    drag_box,
    isolated_points,
    known_bug,
    means,
    picked_count,
    picking_help,
    press_like_a_person,
    press_on_slider,
    scatter,
    start_picking,
)


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
