"""The Explore page in a real browser: going back, scrubbing, zoom and playback.

The tests act as a person does and check what the browser draws; how, and the actions
they share, are in ``explore_actions.py``.
"""

from __future__ import annotations

import time

import pytest
from conftest import (
    button,
    click,
    figure_picture,
    poll,
    status,
    traces,
    wait_for_app_idle,
)
from explore_actions import (
    PAUSE,
    PLAY,
    assert_no_errors,
    assert_status,
    click_curve_point,
    curve,
    ellipses,
    known_bug,
    press_like_a_person,
    press_on_slider,
    scatter,
    type_number,
)


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
    poll(lambda: traces(curve(page), "current")[0]["x"] == [3])  # drawn after the chart

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
    poll(lambda: traces(curve(page), "current")[0]["x"] == [2])  # drawn after the chart
    assert_no_errors(page)


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
