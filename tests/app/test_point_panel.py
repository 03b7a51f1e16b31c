"""The point panel and "Show what changed" on the Explore page, through AppTest.

A click on the chart is a browser event (``tests/browser/test_explain_browser.py``);
here the selection is set as the click's callback sets it (``selected_point``), and the
panel's numbers are checked against the engine's.
"""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import charts, click, container, generate, roles, run, show_half_step

from gmm.explain import breakdown_at, mean_contributions


def scatter(at) -> dict:
    return next(c for c in charts(at) if "points" in roles(c))


def news(at) -> str:
    (line,) = container(at, "news").markdown
    return line.value


def numbers(cells) -> list[float]:
    """The panel's numbers as floats ("−" is the minus sign it shows)."""
    return [float(str(c).replace("−", "-")) for c in cells]


def select(at, point: int):
    at.session_state.selected_point = point
    return run(at)


def panel_tables(at):
    return container(at, "point").table


def test_without_a_selection_the_panel_says_how_to_select(at):
    part = container(at, "point")
    assert not part.table
    assert "Click a point" in part.caption[0].value


@pytest.mark.parametrize("steps", [("Next: E-step",), ("Next: E-step", "Next: M-step")])
def test_the_panel_shows_the_engines_numbers(at, steps):
    for label in steps:
        click(at, label)
    select(at, 17)
    stepper, view = at.session_state.stepper, at.session_state.view
    expected = breakdown_at(stepper, view, 17)
    table = panel_tables(at)[0].value
    assert list(table.columns) == ["πₖ", "N(x | μₖ, Σₖ)", "πₖ · N", "γₖ"]
    for column, truth in [
        ("πₖ", expected.weights),
        ("N(x | μₖ, Σₖ)", expected.densities),
        ("πₖ · N", expected.products),
        ("γₖ", expected.responsibilities),
    ]:
        np.testing.assert_allclose(numbers(table[column]), truth, rtol=5e-4)
    np.testing.assert_allclose(
        expected.responsibilities, stepper.responsibilities(view)[17], atol=1e-12
    )
    part = container(at, "point")
    assert "**Point 17**" in part.markdown[0].value
    assert any(f"{expected.normaliser:.4g}" in m.value for m in part.markdown)
    (formula,) = part.latex
    assert r"\gamma_{17," in formula.value
    selected = [t for t in scatter(at)["data"] if t["meta"]["role"] == "selected"]
    assert selected and selected[0]["meta"]["point"] == 17, "the point is marked"
    if steps[-1] == "Next: M-step":  # what the point gave each new mean
        shares = panel_tables(at)[1].value["γᵢₖ / Nₖ"]
        wanted = mean_contributions(stepper.responsibilities(view), 17)
        np.testing.assert_allclose(numbers(shares), wanted, rtol=5e-4)
    else:
        assert len(panel_tables(at)) == 1


def test_the_selection_stays_as_the_user_steps_and_clears_with_new_data(at):
    select(at, 5)
    click(at, "Step (E+M)")
    show_half_step(at, 1)  # Back, in the browser
    assert at.session_state.selected_point == 5
    assert any(t["meta"]["role"] == "selected" for t in scatter(at)["data"])
    generate(at)
    assert at.session_state.selected_point is None
    assert not any(t["meta"]["role"] == "selected" for t in scatter(at)["data"])


def test_the_cross_unselects(at):
    select(at, 3)
    container(at, "point").button[0].click()
    run(at)
    assert at.session_state.selected_point is None and not panel_tables(at)


def test_show_what_changed_marks_each_half_step_and_switches_off(at):
    click(at, "Next: E-step")
    assert news(at) == "**E-step** done: new colours; the points take their first colours."
    click(at, "Next: M-step")
    assert news(at).startswith("**M-step** done: new ellipses; μ")
    assert "(dashed: before)" in news(at) and "π" in news(at)
    assert "ghost" in roles(scatter(at))
    click(at, "Next: E-step")
    assert "changed component" in news(at)
    assert "changed" in roles(scatter(at))

    at.toggle(key="explore_show_changes").set_value(False)
    run(at)
    assert at.session_state.show_changes is False
    assert news(at) == "**E-step** done: new colours (responsibilities), same ellipses."
    assert "changed" not in roles(scatter(at))
    click(at, "Next: M-step")
    assert "ghost" not in roles(scatter(at)) and "μ" not in news(at)


def test_in_3d_a_point_is_chosen_by_index_or_nearest_position(at):
    generate(at, n=400, k=3)
    at.selectbox(key="gen_dim").set_value(3)
    run(at)
    assert at.session_state.dataset.n_features == 3
    at.number_input(key="explore_point_index").set_value(12)
    run(at)
    assert at.session_state.selected_point == 12
    assert "**Point 12**" in container(at, "point").markdown[0].value
    X = at.session_state.dataset.X
    at.text_input(key="explore_point_position").input(", ".join(str(v) for v in X[40]))
    run(at)
    assert at.session_state.selected_point == 40
    at.text_input(key="explore_point_position").input("1, 2")
    run(at)
    assert "Type 3 numbers" in container(at, "point").warning[0].value
    assert at.session_state.selected_point == 40, "a refused position changes nothing"
