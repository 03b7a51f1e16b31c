"""The standalone animation: what the page carries is the run, in compact typed arrays."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from gmm import EMStepper, load_faithful, load_iris
from gmm.animation import run_animation
from gmm.data import Dataset
from gmm.figures.colors import NEUTRAL, blend, hex_to_rgb
from gmm.figures.geometry import ellipses
from gmm.figures.packing import ALPHABET, from_text, pack, prefix_length, to_text, unpack
from gmm.figures.points import display_subsample
from gmm.figures.standalone import standalone_animation
from gmm.figures.standalone_frames import app_component_traces, hilbert_order
from gmm.figures.view_1d import density_1d
from gmm.figures.view_3d import scatter_3d
from gmm.run import RunSettings

DATA = re.compile(r'<script id="gmm-data" type="application/octet-stream" data-bytes="(\d+)">')


def style_of(manifest: dict, chosen: int, trace: int) -> dict:
    """The style of a trace in a set: the first set's, with the set's changes laid over."""
    style = dict(manifest["styles"][trace])
    changes = manifest["style_changes"][chosen - 1][trace] if chosen else {}
    style.update({key: value for key, value in changes.items() if value is not None})
    return {key: value for key, value in style.items() if changes.get(key, 0) is not None}


def rows_of(stepper):
    """The stepper's responsibilities at a snapshot, of some rows."""
    return lambda index, rows: stepper.responsibilities(index)[rows]


def page_contents(page: str):
    """The script, manifest and arrays a page carries."""
    found = DATA.search(page)
    end = page.index("</script>", found.end())
    return unpack(from_text(page[found.end() : end], int(found.group(1))))


def fitted(X: np.ndarray, k: int, seed: int, max_iter: int):
    """``X`` and a run of ``max_iter`` iterations of EM on it from random points."""
    stepper = EMStepper.start(
        X, k, random_state=seed, init="random_from_data", tol=0, max_iter=max_iter
    )
    stepper.run()
    return X, stepper


@pytest.fixture(scope="module")
def run():
    X = load_faithful().to_numpy()
    return fitted((X - X.mean(axis=0)) / X.std(axis=0), 2, 3, 6)


@pytest.fixture(scope="module")
def built(run):
    X, stepper = run
    page = standalone_animation(
        X,
        stepper.snapshots,
        rows_of(stepper),
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
    script, manifest, out = unpack(pack("let x = 'é';", {"k": [1, 2]}, arrays, shuffled="bd"))
    assert manifest["arrays"]["b"]["shuffled"] and "shuffled" not in manifest["arrays"]["a"]
    assert script == "let x = 'é';"
    assert manifest["k"] == [1, 2]
    for name, array in arrays.items():
        np.testing.assert_array_equal(out[name], array)
        assert manifest["arrays"][name]["offset"] % 8 == 0


def test_a_shared_start_compresses_once_and_gives_the_same_text():
    block = pack("plotly.js stands here " * 500, {"n": 1}, {"a": np.arange(9, dtype=np.uint8)})
    shared = prefix_length(block)
    text, n_bytes = to_text(block, shared=shared)
    assert from_text(text, n_bytes) == block
    again = pack("plotly.js stands here " * 500, {"n": 2}, {"a": np.arange(5, dtype=np.uint8)})
    assert from_text(*to_text(again, shared=shared)) == again  # the cached start, reused


def test_packing_refuses_a_dtype_a_page_cannot_read():
    with pytest.raises(ValueError, match="int64"):
        pack("", {}, {"bad": np.arange(3, dtype=np.int64)})


@pytest.mark.parametrize("size", [0, 1, 3, 4, 5, 1001])
def test_text_round_trips_and_never_holds_a_tag(size):
    block = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    text, n_bytes = to_text(block)
    assert from_text(text, n_bytes) == block
    assert len(text) % 2 == 0 and len(text) <= 2 * -(-8 * (n_bytes) // 13)
    assert set(text) <= set(ALPHABET)
    assert len(set(ALPHABET)) == 93 and not set(ALPHABET) & set("< \r\n\t")


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
    order = hilbert_order(X)  # the points are stored along a Hilbert curve
    assert manifest["n_points"] == n and arrays["colors"].dtype == np.uint8
    table = arrays["table"].reshape(-1, 3).astype(float)
    colors = arrays["colors"].reshape(n, n_sets)  # point by point
    for i, snapshot in enumerate(stepper.snapshots):
        shown = table[colors[:, manifest["color_set"][i]]]
        if snapshot.phase == "init":
            expected = np.broadcast_to(hex_to_rgb(NEUTRAL), (n, 3))
        else:  # an M-step shows the colours of the E-step before it
            expected = blend(stepper.responsibilities(i))[order]
        assert np.abs(shown - expected).max() <= manifest["color_step"] / 2 + 1e-9
    sets = manifest["color_set"]
    assert all(sets[i] == sets[i - 1] for i, s in enumerate(stepper.snapshots) if s.phase == "M")
    assert n_sets == 1 + sum(s.phase == "E" for s in stepper.snapshots)


def test_hilbert_order_is_a_permutation_that_keeps_neighbours_close():
    X = np.random.default_rng(1).uniform(size=(4000, 2))
    order = hilbert_order(X)
    assert sorted(order) == list(range(len(X)))
    along = np.linalg.norm(np.diff(X[order], axis=0), axis=1).mean()
    as_given = np.linalg.norm(np.diff(X, axis=0), axis=1).mean()
    assert along < as_given / 10


def test_components_travel_as_means_and_factors_of_the_apps_outlines(run, built):
    X, stepper = run
    _, (_, manifest, arrays) = built
    k, recipe = manifest["n_components"], manifest["outline"]
    levels = recipe["levels"]
    factors = arrays["factors"].reshape(-1, k, 6)
    labels = arrays["labels"].reshape(len(factors), k * (len(levels) + 1), 2)
    circle = np.linspace(0, 2 * np.pi, recipe["points"])
    unit = np.c_[np.cos(circle), np.sin(circle)]
    for i, snapshot in enumerate(stepper.snapshots):
        params, chosen = snapshot.params, manifest["param_set"][i]
        np.testing.assert_array_equal(factors[chosen, :, :2], params.means)
        root = factors[chosen, :, 2:].reshape(k, 2, 2)
        for level in levels:  # mean + r A u is the outline `ellipses` draws
            drawn = params.means[:, None, :] + level["radius"] * unit @ root.transpose(0, 2, 1)
            expected = ellipses(params.means, params.full_covariances, level["mass"], len(unit))
            np.testing.assert_allclose(drawn, expected, rtol=0, atol=1e-12)
        traces = app_component_traces(X, params, (0.5, 0.9))
        for t, trace in enumerate(traces):
            style = style_of(manifest, chosen, t)
            assert style["name"] == trace["name"]  # "Component 1 · π = 0.36": π of this step
            assert style.get("label") == (trace["text"][-1] if "text" in trace else None)
            if "text" in trace:  # the label's point, after a gap
                np.testing.assert_array_equal(labels[chosen, t], [trace["x"][-1], trace["y"][-1]])
            else:
                assert np.isnan(labels[chosen, t]).all()
    assert manifest["param_set"][1] == manifest["param_set"][0]  # the E-step keeps θ
    assert [level["dashes"] for level in levels] == [0, 24]  # solid, then the app's dash


def test_positions_loglik_and_captions_follow_the_history(run, built):
    X, stepper = run
    _, (_, manifest, arrays) = built
    order = hilbert_order(X)
    np.testing.assert_array_equal(arrays["x"], X[order, 0].astype(np.float32))
    np.testing.assert_array_equal(arrays["y"], X[order, 1].astype(np.float32))
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
    assert roles[0] == "points" and roles.count("mean") == manifest["n_components"] == 2
    assert all("x" not in trace for trace in manifest["figure"]["data"][:7])  # frames draw
    assert manifest["curves"]["full"]["data"][-1]["meta"]["role"] == "current"


def test_a_subset_is_drawn_when_there_are_many_points(run):
    X, stepper = run
    page = standalone_animation(X, stepper.snapshots[:3], rows_of(stepper), max_points=50)
    _, manifest, arrays = page_contents(page)
    assert manifest["n_points"] == 50 and len(arrays["x"]) == 50
    assert arrays["colors"].size == 50 * manifest["n_color_sets"]
    notes = [a.get("name") for a in manifest["figure"]["layout"]["annotations"]]
    assert "subsample_note" in notes


def test_bad_input_says_what_to_change(run):
    X, stepper = run
    with pytest.raises(ValueError, match="no half-step"):
        standalone_animation(X, [], rows_of(stepper))
    with pytest.raises(ValueError, match=r"shape \(n, d\), d = 1, 2 or 3"):
        standalone_animation(X[:, 0], stepper.snapshots, rows_of(stepper))


def test_the_manifest_is_plain_json(built):
    _, (_, manifest, _) = built
    json.dumps(manifest, allow_nan=False)


def test_the_runs_animation_computes_the_drawn_rows_responsibilities(run):
    """gmm.animation evaluates the E-step of the drawn points only: the same colours."""
    X, stepper = run
    dataset = Dataset.from_frame("d", pd.DataFrame(X, columns=["a", "b"]))
    page = run_animation(stepper, dataset, RunSettings(2), max_points=100)
    _, manifest, arrays = page_contents(page)
    shown = display_subsample(len(X), 100, 0)
    shown = shown[hilbert_order(X[shown])]
    table = arrays["table"].reshape(-1, 3).astype(float)
    colors = arrays["colors"].reshape(len(shown), -1)
    last_e = max(i for i, s in enumerate(stepper.snapshots) if s.phase == "E")
    drawn = table[colors[:, manifest["color_set"][last_e]]]
    expected = blend(stepper.responsibilities(last_e)[shown])
    assert np.abs(drawn - expected).max() <= manifest["color_step"] / 2 + 1e-9
    assert "EM on d: K = 2" in page


# -------------------------------------------------------------------- 1-D
@pytest.fixture(scope="module")
def run_1d():
    return fitted(load_faithful().to_numpy()[:, :1], 3, 1, 6)


@pytest.fixture(scope="module")
def built_1d(run_1d):
    x, stepper = run_1d
    page = standalone_animation(x, stepper.snapshots, rows_of(stepper), column_names=["eruptions"])
    return page, page_contents(page)


def app_view_1d(x, params) -> go.Figure:
    """The app's 1-D view of ``params`` (what the page redraws)."""
    return density_1d(x, None, params.means, params.full_covariances, params.weights, (0.5, 0.9))


def test_1d_arrays_are_the_rug_once_colours_and_three_numbers_per_component(run_1d, built_1d):
    x, stepper = run_1d
    page, (_, manifest, arrays) = built_1d
    n, k = len(x), 3
    n_sets = len(manifest["axes"])
    assert manifest["dim"] == 1 and manifest["n_points"] == n
    assert set(arrays) == {"x", "y", "colors", "table", "factors", "loglik"}
    assert arrays["x"].dtype == arrays["y"].dtype == np.float32 and arrays["x"].size == n
    assert (
        arrays["colors"].dtype == np.uint8 and arrays["colors"].size == n * manifest["n_color_sets"]
    )
    assert arrays["factors"].dtype == np.float64 and arrays["factors"].size == n_sets * k * 3
    assert n_sets == 1 + sum(s.phase == "M" for s in stepper.snapshots)
    assert "the curves, the intervals and the weights" in page


def test_1d_rug_is_the_apps_rug_in_hilbert_order(run_1d, built_1d):
    x, stepper = run_1d
    _, (_, _, arrays) = built_1d
    rug = density_1d(x, None, stepper.snapshots[0].params.means, np.ones(3), np.ones(3) / 3)
    jitter = np.asarray(rug.data[0].y)
    order = hilbert_order(np.column_stack([x[:, 0], jitter]))
    np.testing.assert_array_equal(arrays["x"], x[order, 0].astype(np.float32))
    np.testing.assert_array_equal(arrays["y"], jitter[order].astype(np.float32))


def test_1d_sets_carry_the_parameters_axes_and_styles_of_the_apps_view(run_1d, built_1d):
    x, stepper = run_1d
    _, (_, manifest, arrays) = built_1d
    factors = arrays["factors"].reshape(-1, 3, 3)
    start, stop = manifest["drawn"]
    recipe = manifest["curve"]
    for i, snapshot in enumerate(stepper.snapshots):
        params, chosen = snapshot.params, manifest["param_set"][i]
        np.testing.assert_array_equal(factors[chosen, :, 0], params.means[:, 0])
        np.testing.assert_array_equal(factors[chosen, :, 1], params.full_covariances[:, 0, 0])
        np.testing.assert_array_equal(factors[chosen, :, 2], params.weights)
        app = app_view_1d(x, params)
        assert manifest["axes"][chosen]["range"] == list(app.layout.yaxis.range)
        assert manifest["axes"][chosen]["tickvals"] == list(app.layout.yaxis.tickvals)
        for t, trace in enumerate(app.data[start:stop]):
            style = style_of(manifest, chosen, t)
            assert style["name"] == trace.name  # "Component 1 · π = 0.36": this step's π
            assert style["hovertemplate"] == trace.hovertemplate
        # the recipe rebuilds density_1d's grid: the mixture curve's x
        sds = np.sqrt(np.maximum(params.full_covariances[:, 0, 0], recipe["floor"]))
        lo, hi, points = recipe["grid"]
        width, local = recipe["local"]
        grid = np.unique(
            np.concatenate(
                [np.linspace(lo, hi, points)]
                + [
                    m + s * np.linspace(-width, width, local)
                    for m, s in zip(params.means[:, 0], sds)
                ]
            )
        )
        mixture = next(t for t in app.data if t.meta["role"] == "mixture")
        np.testing.assert_array_equal(grid, mixture.x)
    roles = [t.get("meta", {}).get("role") for t in manifest["figure"]["data"]]
    assert roles[:2] == ["points", "histogram"] and roles[stop:] == ["share_key"]
    assert all("y" not in t for t in manifest["figure"]["data"][start:stop])  # frames draw
    go.Figure(manifest["figure"])  # valid plotly


# -------------------------------------------------------------------- 3-D
@pytest.fixture(scope="module")
def run_3d():
    return fitted(load_iris().iloc[:, :3].to_numpy(), 2, 0, 5)


def test_3d_components_travel_as_means_and_factors_of_the_apps_ellipsoids(run_3d):
    X, stepper = run_3d
    page = standalone_animation(
        X, stepper.snapshots, rows_of(stepper), column_names=["a", "b", "c"], title="3-D"
    )
    _, manifest, arrays = page_contents(page)
    n, k = len(X), 2
    assert manifest["dim"] == 3 and manifest["n_points"] == n
    assert set(arrays) == {"x", "y", "z", "colors", "table", "factors", "loglik"}
    assert arrays["z"].dtype == np.float32 and arrays["colors"].size == n * manifest["n_color_sets"]
    factors = arrays["factors"].reshape(-1, k, 12)
    assert len(factors) == 1 + sum(s.phase == "M" for s in stepper.snapshots)
    mesh = manifest["mesh"]
    u = np.linspace(0, 2 * np.pi, mesh["n_u"])
    v = np.linspace(0, np.pi, mesh["n_v"])
    uu, vv = np.meshgrid(u, v)
    sphere = np.stack([np.cos(uu) * np.sin(vv), np.sin(uu) * np.sin(vv), np.cos(vv)], -1)
    sphere[:, -1] = sphere[:, 0]
    unit = sphere.reshape(-1, 3)
    start, stop = manifest["drawn"]
    for i, snapshot in enumerate(stepper.snapshots):
        params, chosen = snapshot.params, manifest["param_set"][i]
        np.testing.assert_array_equal(factors[chosen, :, :3], params.means)
        app = scatter_3d(X, None, params.means, params.full_covariances, params.weights, (0.5, 0.9))
        for t, trace in enumerate(app.data[start:stop]):
            assert style_of(manifest, chosen, t)["name"] == trace.name  # this step's π
            if trace.meta["role"] != "ellipsoid":
                continue
            c, level = trace.meta["component"], [0.5, 0.9].index(trace.meta["mass"])
            root = factors[chosen, c, 3:].reshape(3, 3)
            drawn = params.means[c] + mesh["radius"][level] * unit @ root.T  # mean + r A u
            expected = np.column_stack([trace.x, trace.y, trace.z])
            np.testing.assert_allclose(drawn, expected, rtol=0, atol=1e-12)
    assert all("x" not in t and "i" not in t for t in manifest["figure"]["data"][start:stop])
    go.Figure(manifest["figure"])  # valid plotly


def test_four_columns_are_refused_with_a_clear_message(run):
    X, stepper = run
    with pytest.raises(ValueError, match="one to three columns"):
        standalone_animation(np.c_[X, X], stepper.snapshots, rows_of(stepper))
