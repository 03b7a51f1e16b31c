"""The Explore page driven by Streamlit's AppTest.

Every interaction goes through ``apptest_helpers.run``, which fails the test when the
app shows an exception. Figures are read back from the Plotly JSON the app sends to the
browser and compared with the engine.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from apptest_helpers import (
    button,
    charts,
    click,
    decode,
    generate,
    history_parts,
    run,
    show_half_step,
    status_line,
)
from streamlit.testing.v1 import AppTest


def button_disabled(at: AppTest, label: str) -> bool:
    return button(at, label).disabled


def traces(at: AppTest, role: str) -> list[dict]:
    """Traces of the scatter figure with ``meta.role == role``."""
    scatter = next(
        c
        for c in charts(at)
        if any((t.get("meta") or {}).get("role") == "points" for t in c["data"])
    )
    return [t for t in scatter["data"] if (t.get("meta") or {}).get("role") == role]


def status(at: AppTest) -> str:
    return status_line(at)


def test_app_starts_on_old_faithful_at_initialisation(at):
    assert at.session_state.dataset.name == "Old Faithful"
    assert "Iteration 0" in status(at)
    assert len(at.session_state.stepper.snapshots) == 1
    assert not at.error


def test_main_flow_generate_initialize_step_run_back_scrub(at):
    generate(at)
    assert "blobs" in at.session_state.dataset.name
    at.slider(key="k").set_value(3)
    run(at)
    click(at, "Initialize")
    stepper = at.session_state.stepper
    masses = len(at.multiselect(key="masses").value)
    assert len(traces(at, "ellipse")) == 3 * masses
    assert not button_disabled(at, "Next: E-step"), "the next half-step is an E-step"
    assert not any(b.label == "Next: M-step" for b in at.button)

    click(at, "Next: E-step")
    stepper = at.session_state.stepper
    assert stepper.current.phase == "E" and "after the E-step" in status(at)
    shown = decode(traces(at, "points")[0]["customdata"]).astype(float)
    np.testing.assert_allclose(shown, stepper.responsibilities(), atol=1e-6)
    np.testing.assert_allclose(shown.sum(axis=1), 1.0, atol=1e-5)
    assert not button_disabled(at, "Next: M-step"), "the button now offers the M-step"
    assert not any(b.label == "Next: E-step" for b in at.button)

    before = traces(at, "ellipse")
    click(at, "Next: M-step")
    after = traces(at, "ellipse")
    stepper = at.session_state.stepper  # the run one step ahead, computed before the click
    assert stepper.current.phase == "M" and "Iteration 1" in status(at)
    assert len(after) == 3 * masses
    assert not np.allclose(decode(before[0]["x"]), decode(after[0]["x"]))
    np.testing.assert_allclose(
        decode(traces(at, "points")[0]["customdata"]),
        shown,
        atol=1e-6,
        err_msg="an M-step must not change the colours",
    )

    click(at, "Run to convergence")
    ran = at.session_state.stepper
    assert ran is not stepper, "the run goes on in a copy, which then becomes current"
    assert ran.snapshots[:3] == stepper.snapshots, "the copy continues the same history"
    stepper = ran
    assert stepper.converged and "converged ✓" in status(at)
    assert any("EM converged" in i.value for i in at.info)
    last = len(stepper.snapshots) - 1
    assert at.session_state.view == last

    show_half_step(at, last - 1)  # Back, in the browser
    assert at.session_state.view == last - 1
    assert len(stepper.snapshots) == last + 1, "Back only moves the view"

    show_half_step(at, 2)  # the slider, in the browser
    assert at.session_state.view == 2
    assert "Iteration 1" in status(at) and "after the M-step" in status(at)

    click(at, "Step (E+M)")
    assert len(stepper.snapshots) == 5, "stepping from an earlier view discards the rest"
    assert any("discarded" in i.value for i in at.info)


def test_changing_k_starts_a_new_run_and_says_so(at):
    click(at, "Step (E+M)")
    click(at, "Step (E+M)")
    assert len(at.session_state.stepper.snapshots) == 5
    at.slider(key="k").set_value(3)
    run(at)
    stepper = at.session_state.stepper
    assert len(stepper.snapshots) == 1
    assert stepper.current.params.n_components == 3
    assert any("K 2 → 3" in i.value for i in at.info)


GOOD_CSV = b"height;weight;label\n1,5;60,2;a\n1,7;72,0;b\n1,6;65,1;a\n1,8;80,3;b\n1,55;58;a\n"


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.radio(key="source_kind").set_value("Upload CSV")
    run(at)
    at.file_uploader(key="upload").set_value((name, content, "text/csv"))
    return run(at)


def test_good_upload_is_used_and_its_notes_shown(at):
    upload(at, "people.csv", GOOD_CSV)
    dataset = at.session_state.dataset
    assert dataset.name == "upload: people.csv"
    assert dataset.columns == ("height", "weight")
    np.testing.assert_allclose(dataset.X[:, 0], [1.5, 1.7, 1.6, 1.8, 1.55])
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "label" in captions, "the dropped text column is mentioned"


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "empty"),
        (b'{"a": [1, 2, 3]}', "JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary|CSV"),
        (b"name,city\nann,paris\nbob,rome\n", "numeric|number"),
    ],
)
def test_bad_upload_shows_error_and_keeps_previous_data_and_run(at, content, words):
    upload(at, "people.csv", GOOD_CSV)
    click(at, "Step (E+M)")
    stepper = at.session_state.stepper
    upload(at, "bad.csv", content)
    errors = " ".join(e.value for e in at.sidebar.error)
    assert "bad.csv" in errors and "Still showing: upload: people.csv" in errors
    assert re.search(words, errors, re.IGNORECASE), errors
    assert at.session_state.dataset.name == "upload: people.csv"
    assert at.session_state.stepper is stepper and len(stepper.snapshots) == 3


def test_upload_with_fewer_rows_than_k_is_refused_with_advice(at):
    upload(at, "one.csv", b"x,y\n1,2\n")
    errors = " ".join(e.value for e in at.sidebar.error)
    assert "Lower K" in errors
    assert at.session_state.dataset.name == "Old Faithful"


def test_collapse_with_reg_covar_zero_is_explained_not_crashed(at):
    generate(at, kind="collapse", n=200, k=2, seed=0)
    at.select_slider(key="reg_covar").set_value(0.0)
    run(at)
    click(at, "Run to convergence")
    stepper = at.session_state.stepper
    assert stepper.halted is not None
    assert any("collapsed" in e.value for e in at.error)
    assert button_disabled(at, "Step (E+M)")
    assert len(traces(at, "ellipse")) == 2 * len(at.multiselect(key="masses").value)


def test_singular_start_is_refused_and_previous_run_kept(at):
    generate(at, kind="collapse", n=200, k=2, seed=0)
    stepper = at.session_state.stepper
    at.select_slider(key="reg_covar").set_value(0.0)
    at.selectbox(key="init").set_value("kmeans")
    run(at)
    errors = " ".join(e.value for e in at.sidebar.error)
    assert "singular" in errors and "reg_covar" in errors
    assert at.session_state.stepper is stepper


def test_reset_removes_the_model_and_initialize_brings_it_back(at):
    click(at, "Reset")
    assert at.session_state.stepper is None
    assert not traces(at, "ellipse")
    assert button_disabled(at, "Next: E-step")
    click(at, "Initialize")
    assert len(at.session_state.stepper.snapshots) == 1


def test_chosen_means_start_a_run_from_the_picked_points(at):
    at.selectbox(key="init").set_value("explicit")
    run(at)
    assert any("Choose the starting means" in i.value for i in at.info)
    at.session_state.picked_means = [(2.0, 55.0), (4.5, 80.0)]
    run(at)
    params = at.session_state.stepper.current.params
    np.testing.assert_allclose(params.means, [[2.0, 55.0], [4.5, 80.0]])
    np.testing.assert_allclose(params.weights, [0.5, 0.5])


def view(at: AppTest, columns) -> AppTest:
    """Choose 1, 2 or 3 columns in the sidebar."""
    source = at.session_state.data_source
    at.radio(key=f"dims::{source}").set_value(len(columns))
    run(at)
    for axis, column in zip("xyz", columns):
        at.selectbox(key=f"{axis}_col::{source}::{len(columns)}").set_value(column)
    return run(at)


def test_iris_3d_view_draws_k_ellipsoids_and_steps(at):
    at.selectbox(key="builtin_name").set_value("Iris")
    run(at)
    view(at, ["sepal_length", "petal_length", "petal_width"])
    dataset = at.session_state.dataset
    assert dataset.columns == ("sepal_length", "petal_length", "petal_width")
    assert at.session_state.stepper.X.shape == (150, 3)
    masses = len(at.multiselect(key="masses").value)
    assert len(traces(at, "ellipsoid")) == 2 * masses
    assert any("3 chosen column(s)" in c.value for c in at.sidebar.caption)
    click(at, "Next: E-step")
    shown = decode(traces(at, "points")[0]["customdata"]).astype(float)
    np.testing.assert_allclose(shown.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(shown, at.session_state.stepper.responsibilities(), atol=1e-6)
    before = traces(at, "ellipsoid")[0]["x"]
    click(at, "Next: M-step")
    assert not np.allclose(decode(before), decode(traces(at, "ellipsoid")[0]["x"]))


def test_faithful_1d_view_draws_k_densities_and_a_mixture(at):
    view(at, ["waiting"])
    assert at.session_state.stepper.X.shape == (272, 1)
    assert len(traces(at, "density")) == 2
    assert len(traces(at, "mixture")) == 1
    click(at, "Run to convergence")
    stepper = at.session_state.stepper
    assert stepper.converged
    means = np.sort(stepper.current.params.means.ravel())
    assert 50 < means[0] < 60 and 75 < means[1] < 85, "the two eruption regimes"
    shown = decode(traces(at, "points")[0]["customdata"]).astype(float)
    np.testing.assert_allclose(shown.sum(axis=1), 1.0, atol=1e-5)


def test_generated_3d_data_default_to_a_3d_view(at):
    generate(at, n=400, k=3)
    at.selectbox(key="gen_dim").set_value(3)
    run(at)
    assert at.session_state.dataset.n_features == 3
    assert at.session_state.stepper.X.shape == (400, 3)


def test_3d_projections_show_marginal_ellipses(at):
    at.selectbox(key="builtin_name").set_value("Iris")
    run(at)
    view(at, ["sepal_length", "petal_length", "petal_width"])
    at.toggle(key="projections").set_value(True)
    run(at)
    assert len(charts(at)) == 5, "3-D view, three projections, log-likelihood curve"
    params = at.session_state.stepper.current.params
    assert params.n_features == 3


def test_the_browser_gets_the_timeline_and_a_token_that_changes_only_when_the_server_moves(at):
    """Play, Back and the slider are the browser's (pages/shared/history_player.py): the
    page sends the labels and speeds, and a token the browser obeys only when it changes."""
    click(at, "Run to convergence")
    last = len(at.session_state.stepper.snapshots) - 1
    (timeline,) = history_parts(at, "timeline")
    assert timeline["labels"] == [s.label for s in at.session_state.stepper.snapshots]
    assert max(rate for _, rate in timeline["speeds"]) >= 20, "up to 20 half-steps a second"
    (sync,) = history_parts(at, "sync")
    assert (sync["view"], sync["last"]) == (last, last)
    show_half_step(at, 3)  # the browser stopped at half-step 3: the server follows
    (after,) = history_parts(at, "sync")
    assert after["view"] == 3 and after["token"] == sync["token"], "the browser moved, not us"
    click(
        at, "Next: M-step" if at.session_state.stepper.snapshots[3].phase == "E" else "Next: E-step"
    )
    (stepped,) = history_parts(at, "sync")
    assert stepped["token"] != sync["token"] and stepped["view"] == 4 == stepped["last"]


def test_a_step_keeps_the_half_steps_computed_ahead_of_the_click(at):
    """The browser paints the half-steps computed before the click; the server then
    commits those very snapshots, so the numbers on screen are the ones it keeps."""
    click(at, "Step (E+M)")
    stepper = at.session_state.stepper
    last = len(stepper.snapshots) - 1
    mark, ahead = at.session_state.ahead
    assert mark[:2] == (id(stepper), last + 1) and len(ahead.snapshots) == last + 3
    assert any(
        el.proto.component_name == "gmm_explorer.history" and el.proto.WhichOneof("data") == "bytes"
        for el in at.get("bidi_component")
    ), "the history's blocks travel as bytes"
    fresh = stepper.copy()
    fresh.step()  # what the step computes without the speculation: the same numbers
    click(at, "Next: E-step")
    after_e = at.session_state.stepper.snapshots
    assert after_e[-1] is ahead.snapshots[last + 1], "the E-step painted is the one kept"
    click(at, "Next: M-step")
    kept = at.session_state.stepper.snapshots[-1]
    assert kept is ahead.snapshots[last + 2]
    np.testing.assert_array_equal(kept.params.means, fresh.snapshots[-1].params.means)
    assert kept.log_likelihood == fresh.snapshots[-1].log_likelihood
