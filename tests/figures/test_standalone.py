"""The standalone animation: what the page carries is the run, in compact typed arrays."""

from __future__ import annotations

import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from gmm import EMStepper, load_faithful
from gmm.figures.colors import NEUTRAL, blend, hex_to_rgb
from gmm.figures.components_2d import component_traces
from gmm.figures.packing import ALPHABET, from_text, pack, to_text, unpack
from gmm.figures.points import COLOR_STEP
from gmm.figures.standalone import standalone_animation
from gmm.figures.style import comparable_scales, padded_range

DATA = re.compile(r'<script id="gmm-data" type="application/octet-stream" data-bytes="(\d+)">')


def page_contents(page: str):
    """The script, manifest and arrays a page carries."""
    found = DATA.search(page)
    end = page.index("</script>", found.end())
    return unpack(from_text(page[found.end() : end], int(found.group(1))))


@pytest.fixture(scope="module")
def run():
    X = load_faithful().to_numpy()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    stepper = EMStepper.start(X, 2, random_state=3, init="random_from_data", tol=0, max_iter=6)
    stepper.run()
    return X, stepper


@pytest.fixture(scope="module")
def built(run):
    X, stepper = run
    page = standalone_animation(
        X,
        stepper.snapshots,
        stepper.responsibilities,
        column_names=("eruptions", "waiting"),
        title="Old <Faithful> & friends",
        subtitle="K = 2",
    )
    return page, page_contents(page)


# ------------------------------------------------------------------- packing
def test_packing_round_trips_script_manifest_and_typed_arrays():
    arrays = {
        "a": np.arange(7, dtype=np.uint8),
        "b": np.linspace(-1, 1, 5).astype(np.float32),
        "c": np.array([1.5, np.pi]),
        "d": np.array([3, 70000], dtype=np.uint32),
    }
    script, manifest, out = unpack(pack("let x = 'é';", {"k": [1, 2]}, arrays))
    assert script == "let x = 'é';"
    assert manifest["k"] == [1, 2]
    for name, array in arrays.items():
        np.testing.assert_array_equal(out[name], array)
        assert manifest["arrays"][name]["offset"] % 8 == 0


def test_packing_refuses_a_dtype_a_page_cannot_read():
    with pytest.raises(ValueError, match="int64"):
        pack("", {}, {"bad": np.arange(3, dtype=np.int64)})


@pytest.mark.parametrize("size", [0, 1, 3, 4, 5, 1001])
def test_text_round_trips_and_never_holds_a_tag(size):
    block = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    text, n_bytes = to_text(block)
    assert from_text(text, n_bytes) == block
    assert len(text) % 5 == 0
    assert set(text) <= set(ALPHABET)
    assert "<" not in ALPHABET and len(set(ALPHABET)) == 85


# ------------------------------------------------------------------ the page
def test_the_page_carries_plotly_js_and_no_network_address(built):
    page, (script, _, _) = built
    assert script == get_plotlyjs()
    assert "<script src" not in page and "cdn.plot.ly" not in page
    assert "DecompressionStream" in page  # and says so plainly where it is missing


def test_title_and_subtitle_are_escaped(built):
    page, _ = built
    assert "Old &lt;Faithful&gt; &amp; friends" in page
    assert "<Faithful>" not in page


def test_colours_are_the_blended_responsibilities_of_each_e_step(run, built):
    X, stepper = run
    _, (_, manifest, arrays) = built
    n, n_sets = len(X), manifest["n_color_sets"]
    assert manifest["n_points"] == n
    table = arrays["table"].reshape(-1, 3).astype(float)
    colors = arrays["colors"].reshape(n, n_sets)  # point by point
    for i, snapshot in enumerate(stepper.snapshots):
        shown = table[colors[:, manifest["color_set"][i]]]
        if snapshot.phase == "init":
            expected = np.broadcast_to(hex_to_rgb(NEUTRAL), (n, 3))
        else:  # an M-step shows the colours of the E-step before it
            expected = blend(stepper.responsibilities(i))
        assert np.abs(shown - expected).max() <= COLOR_STEP / 2 + 1e-9
    sets = manifest["color_set"]
    assert all(sets[i] == sets[i - 1] for i, s in enumerate(stepper.snapshots) if s.phase == "M")
    assert n_sets == 1 + sum(s.phase == "E" for s in stepper.snapshots)


def test_outlines_and_means_are_the_apps_component_traces(run, built):
    X, stepper = run
    _, (_, manifest, arrays) = built
    n_traces = manifest["n_traces"]
    for i, snapshot in enumerate(stepper.snapshots):
        params = snapshot.params
        expected = component_traces(
            params.means,
            params.full_covariances,
            params.weights,
            (0.5, 0.9),
            label_area=(padded_range(X[:, 0]), padded_range(X[:, 1])),
            equal_aspect=comparable_scales(X),
        )
        chosen = manifest["param_set"][i]
        for t, trace in enumerate(expected):
            start, end = arrays["offsets"][chosen * n_traces + t : chosen * n_traces + t + 2]
            xy = arrays["outlines"][start:end]
            half = len(xy) // 2
            np.testing.assert_array_equal(xy[:half], np.float32(trace["x"]))
            np.testing.assert_array_equal(xy[half:], np.float32(trace["y"]))
            style = manifest["styles"][chosen][t]
            assert style["name"] == trace["name"]  # "Component 1 · π = 0.36": π of this step
            assert style.get("label") == (trace["text"][-1] if "text" in trace else None)
    assert manifest["param_set"][1] == manifest["param_set"][0]  # the E-step keeps θ


def test_positions_loglik_and_captions_follow_the_history(run, built):
    X, stepper = run
    _, (_, manifest, arrays) = built
    np.testing.assert_array_equal(arrays["x"], X[:, 0].astype(np.float32))
    np.testing.assert_array_equal(arrays["y"], X[:, 1].astype(np.float32))
    np.testing.assert_array_equal(arrays["loglik"], stepper.trajectory("log_likelihood"))
    last = len(stepper.snapshots) - 1
    assert manifest["captions"][0].startswith(f"half-step 0 of {last} · Iteration 0 · init")
    assert manifest["captions"][-1].startswith(f"half-step {last} of {last} · Iteration 6 ·")
    assert manifest["banners"][3] == "Iteration 2 · after the E-step"


def test_the_figure_specs_are_valid_plotly(built):
    _, (_, manifest, _) = built
    go.Figure(manifest["figure"])  # validates every property
    go.Figure(manifest["curves"]["full"])
    roles = [trace.get("meta", {}).get("role") for trace in manifest["figure"]["data"]]
    assert roles[0] == "points" and roles[1 : 1 + manifest["n_traces"]].count("mean") == 2
    assert manifest["curves"]["full"]["data"][-1]["meta"]["role"] == "current"


def test_a_subset_is_drawn_when_there_are_many_points(run):
    X, stepper = run
    page = standalone_animation(X, stepper.snapshots[:3], stepper.responsibilities, max_points=50)
    _, manifest, arrays = page_contents(page)
    assert manifest["n_points"] == 50 and len(arrays["x"]) == 50
    assert arrays["colors"].size == 50 * manifest["n_color_sets"]
    notes = [a.get("name") for a in manifest["figure"]["layout"]["annotations"]]
    assert "subsample_note" in notes


def test_bad_input_says_what_to_change(run):
    X, stepper = run
    with pytest.raises(ValueError, match="no half-step"):
        standalone_animation(X, [], stepper.responsibilities)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        standalone_animation(np.c_[X, X[:, 0]], stepper.snapshots, stepper.responsibilities)


def test_the_manifest_is_plain_json(built):
    _, (_, manifest, _) = built
    json.dumps(manifest, allow_nan=False)
