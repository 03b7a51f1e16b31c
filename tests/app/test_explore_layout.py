"""The Explore page's controls and texts, through AppTest: what the layout says and allows.

Where things sit on screen is checked in Chromium (``tests/browser/test_layout_browser.py``);
these check the words, the states of the buttons, and the settings behind them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from apptest_helpers import (
    button,
    charts,
    click,
    container,
    generate,
    history_parts,
    roles,
    run,
    show_half_step,
)

ROOT = Path(__file__).resolve().parents[2]
STEPPING = ("Step (E+M)", "Run to convergence")
STARTING = ("Initialize", "Another start", "Reset")
DEFAULT_MASSES = [0.5, 0.9]  # pages/explore.py (a page script cannot be imported)


def banner(at) -> str | None:
    """The phase on the chart itself ("Iteration 1 · after the E-step"), or None."""
    scatter = next(c for c in charts(at) if "points" in roles(c))
    notes = scatter["layout"].get("annotations", [])
    found = [a["text"] for a in notes if a.get("name") == "banner"]
    return found[0] if found else None


def news(at) -> str:
    """The line above the chart: what the half-step changed, or what to do."""
    (line,) = container(at, "news").markdown
    return line.value


def formula_card(at) -> str:
    """The title of the formula card beside the chart."""
    return container(at, "formula").markdown[0].value


def next_button(at):
    (found,) = [b for b in at.button if b.label.startswith("Next: ")]
    return found


def scatter_roles(at) -> list[str]:
    return roles(next(c for c in charts(at) if "points" in roles(c)))


def test_the_highlighted_button_names_the_next_half_step_and_the_chart_the_current(at):
    assert banner(at) == "Iteration 0 · initialisation"
    assert "k-means++ seeds, seed 0" in news(at), "which start this is"
    assert formula_card(at) == "**E-step: responsibilities** — next"
    nxt = next_button(at)
    assert nxt.label == "Next: E-step" and nxt.proto.type == "primary"
    assert all(b.proto.type != "primary" for b in at.button if b is not nxt)

    click(at, "Next: E-step")
    assert banner(at) == "Iteration 1 · after the E-step"
    assert "new colours" in news(at), "the line above says what the E-step changed"
    assert next_button(at).label == "Next: M-step"
    assert formula_card(at).startswith("**E-step") and "just taken" in formula_card(at)

    click(at, "Next: M-step")
    assert banner(at) == "Iteration 1 · after the M-step"
    assert "new ellipses" in news(at)
    assert next_button(at).label == "Next: E-step"
    assert formula_card(at).startswith("**M-step") and "just taken" in formula_card(at)
    assert r"\varepsilon I" in "".join(e.value for e in at.latex), "the M-step keeps its + εI"


def test_another_start_takes_the_next_seed_and_the_sidebar_shows_it(at):
    seed = at.session_state.settings.seed
    click(at, "Step (E+M)")
    old = at.session_state.stepper
    click(at, "Another start")
    settings = at.session_state.settings
    assert settings.seed == seed + 1
    assert at.number_input(key="seed").value == seed + 1, "the sidebar shows the new seed"
    assert at.session_state.stepper is not old
    assert len(at.session_state.stepper.snapshots) == 1, "a new run, at its start"
    assert any(f"seed {seed + 1}" in s.value for s in at.success)
    assert f"seed {seed + 1}" in news(at), "the line above the chart names the new start"
    assert f"{seed + 1} → {seed + 2}" in button(at, "Another start").help

    run(at)  # the sidebar now shows the settings: it starts nothing more
    assert at.session_state.settings == settings
    assert len(at.session_state.stepper.snapshots) == 1


def test_another_start_is_off_for_chosen_means(at):
    at.selectbox(key="init").set_value("explicit")
    run(at)
    assert button(at, "Another start").disabled


def test_emptying_the_outline_selector_keeps_the_last_outlines(at):
    k = at.session_state.settings.n_components
    masses = at.multiselect(key="masses")
    assert masses.value == DEFAULT_MASSES
    masses.set_value([0.9])
    run(at)
    assert scatter_roles(at).count("ellipse") == k
    at.multiselect(key="masses").set_value([])
    run(at)
    assert at.multiselect(key="masses").value == [0.9], "the last share stays"
    assert scatter_roles(at).count("ellipse") == k, "and the chart draws it"
    assert any("At least one" in c.value for c in at.caption)
    run(at)
    assert not any("At least one" in c.value for c in at.caption), "said once"


def test_picking_means_hides_the_old_model_and_stops_stepping(at):
    click(at, "Step (E+M)")
    at.selectbox(key="init").set_value("explicit")
    run(at)
    assert "ellipse" not in scatter_roles(at) and "mean" not in scatter_roles(at)
    assert len(charts(at)) == 1, "no log-likelihood curve of the old run"
    assert news(at).startswith("**Pick starting means: 0 of 2**")
    assert banner(at) is None
    assert next_button(at).disabled
    for label in STEPPING + STARTING:
        assert button(at, label).disabled, label
    assert not history_parts(at, "status"), "no old status"
    assert not history_parts(at, "back") and not history_parts(at, "sync"), "no history"

    at.session_state.picked_means = [(2.0, 55.0), (4.5, 80.0)]
    run(at)
    assert "ellipse" in scatter_roles(at)
    assert banner(at) == "Iteration 0 · initialisation"
    assert not next_button(at).disabled


def test_back_sits_with_the_step_buttons_and_the_timeline_under_the_chart(at):
    """Back, the slider and Play are the browser's (pages/shared/history_player.py):
    Back among the step buttons, the timeline under the chart, once there is history."""
    assert history_parts(at, "back") and not history_parts(at, "timeline")
    assert any("Take a step to build a history" in c.value for c in at.caption)
    click(at, "Step (E+M)")
    click(at, "Step (E+M)")
    assert history_parts(at, "back") and history_parts(at, "timeline")
    show_half_step(at, 3)
    (sync,) = history_parts(at, "sync")
    assert (sync["view"], sync["last"]) == (3, 4), "the browser plays from the half-step shown"


def test_usage_statistics_are_off_and_the_page_icon_is_a_local_file():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert (ROOT / "assets" / "icon.svg").is_file()
    assert "page_icon=str(ICON)" in (ROOT / "app.py").read_text()


def test_the_line_above_the_chart_points_to_a_collapse_explained_by_the_curve(at):
    generate(at, kind="collapse", n=200, k=2, seed=0)
    at.select_slider(key="reg_covar").set_value(0.0)
    run(at)
    click(at, "Run to convergence")
    assert at.session_state.stepper.halted is not None
    assert "EM stopped here" in news(at)
    assert any("collapsed" in e.value for e in at.error), "the message itself"
    show_half_step(at, at.session_state.view - 1)  # Back, in the browser
    assert "EM stopped here" not in news(at), "only on the half-step where it stopped"
