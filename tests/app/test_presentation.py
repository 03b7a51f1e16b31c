"""Presentation mode and the stepping shortcuts (AppTest): what stays on screen, what a
link hides, and the keys each button answers to."""

from __future__ import annotations

from apptest_helpers import APP, charts, click, history_parts, roles, run, status_line
from streamlit.testing.v1 import AppTest

from gmm.figures import PRESENT_TYPE_SCALE

STEPPING = {"Step (E+M)", "Run to convergence"}


def opened(query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return run(at)


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def shortcut(at: AppTest, label: str) -> str:
    return next(b for b in at.button if b.label == label).proto.shortcut


def test_presentation_mode_keeps_the_stepping_controls_status_and_chart_only():
    at = opened({"present": "1", "halfstep": "3"})
    assert labels(at) >= STEPPING and "Next: M-step" in labels(at)
    assert history_parts(at, "back") and history_parts(at, "timeline")[0]["play"]
    assert not {"Initialize", "Another start", "Reset"} & labels(at)
    assert not at.multiselect and not at.expander  # no outlines, no parameter table
    assert not at.get("download_button")
    line = status_line(at)
    assert line.startswith("**Iteration 2**") and "half-step 3 of 3" in line
    assert at.toggle(key="present_toggle").value
    assert any("Presentation mode" in h.proto.body for h in at.get("html")), "present.css"


def test_out_of_presentation_mode_its_style_is_not_sent(at):
    assert not any("Presentation mode" in h.proto.body for h in at.get("html"))
    assert {"Initialize", "Reset"} <= labels(at) and at.multiselect(key="masses")


def test_the_present_toggle_switches_and_the_url_says_so(at):
    assert "Reset" in labels(at)
    at.toggle(key="present_toggle").set_value(True)
    run(at)
    assert "Reset" not in labels(at) and at.query_params["present"] == "1"
    at.toggle(key="present_toggle").set_value(False)
    run(at)
    assert "Reset" in labels(at) and "present" not in at.query_params


def test_a_link_hides_chosen_controls_and_their_keys():
    at = opened({"present": "1", "halfstep": "2", "hide": "run,back,slider"})
    assert "Run to convergence" not in labels(at) and not history_parts(at, "back")
    (timeline,) = history_parts(at, "timeline")
    assert not timeline["slider"] and timeline["play"], "the slider is hidden, Play is not"
    (sync,) = history_parts(at, "sync")
    assert sync["allowed"] == {"back": False, "next": True, "play": True}, "← and PageUp go too"
    assert {"Step (E+M)", "Next: E-step"} <= labels(at)
    assert at.query_params["hide"] == "back,run,slider"


def test_each_stepping_button_shows_its_shortcut(at):
    click(at, "Step (E+M)")
    assert shortcut(at, "Next: E-step") == "e"
    assert shortcut(at, "Step (E+M)") == "s"
    # ←/PageUp, →/PageDown and P are the browser's (assets/history_player.js), which
    # takes the next half-step with → at the last one: tests/browser.
    click(at, "Next: E-step")
    assert shortcut(at, "Next: M-step") == "m"


def main_chart(at: AppTest) -> dict:
    """The figure of the main chart (its first trace the points)."""
    return next(chart for chart in charts(at) if roles(chart)[:1] == ["points"])


def test_the_presented_chart_has_large_type(at):
    normal = main_chart(at)["layout"]
    presented = main_chart(opened({"present": "1"}))["layout"]
    for part in (("font",), ("xaxis", "tickfont"), ("yaxis", "title", "font"), ("legend", "font")):
        normal_size, presented_size = normal, presented
        for key in part:
            normal_size, presented_size = normal_size[key], presented_size[key]
        assert presented_size["size"] == round(normal_size["size"] * PRESENT_TYPE_SCALE), part
    assert presented["hoverlabel"]["font"]["size"] > normal["hoverlabel"]["font"]["size"]
    assert presented["margin"]["t"] > normal["margin"]["t"], "room for the larger banner"
