"""The history's frames for the Explore page's browser player (gmm.figures.history_frames)."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from gmm import EMStepper, load_faithful, load_iris
from gmm.figures.colors import blend
from gmm.figures.history_frames import (
    BLOCK,
    LEVELS,
    block_payload,
    color_codes,
    drawn_range,
    run_manifest,
    status_html,
)
from gmm.figures.model import model_figure
from gmm.figures.packing import unpack
from gmm.figures.points import COLOR_STEP, quantise_colors


def _stepper(X, k=3, steps=5) -> EMStepper:
    stepper = EMStepper.start(np.asarray(X, dtype=float), k, init="k-means++", random_state=0)
    for _ in range(steps):
        stepper.step()
    return stepper


def _lattice_rgb(codes: np.ndarray) -> np.ndarray:
    levels = np.stack([codes // (LEVELS * LEVELS), codes // LEVELS % LEVELS, codes % LEVELS], -1)
    return np.minimum(255, levels.astype(int) * COLOR_STEP)


def test_colour_codes_are_the_colours_of_the_servers_figure():
    X = load_faithful().to_numpy(dtype=float)
    stepper = _stepper(X)
    gamma = stepper.responsibilities(3)
    codes = color_codes(gamma, len(X))
    index, table = quantise_colors(blend(gamma))
    np.testing.assert_array_equal(_lattice_rgb(codes), table[index])
    grey = color_codes(None, 4)
    assert len(set(grey.tolist())) == 1 and grey.dtype == np.uint16


def test_a_block_round_trips_with_its_steps_sets_and_rings():
    X = load_faithful().to_numpy(dtype=float)
    stepper = _stepper(X, steps=6)
    snapshots = stepper.snapshots[:BLOCK]
    colors = [
        color_codes(stepper.responsibilities(i) if s.phase == "E" else None, len(X))
        if s.phase != "M"
        else None
        for i, s in enumerate(snapshots)
    ]
    changed = [
        np.array([3, 5]) if s.phase == "E" and i > 1 else None for i, s in enumerate(snapshots)
    ]
    statuses = [f"status {i}" for i in range(len(snapshots))]
    payload = block_payload("run-1", X, [0.5, 0.9], 0, snapshots, colors, changed, statuses)
    _, manifest, arrays = unpack(gzip.decompress(payload))
    assert manifest["run"] == "run-1" and manifest["start"] == 0
    steps = manifest["steps"]
    assert [s["phase"] for s in steps] == [s.phase for s in snapshots]
    assert steps[1]["banner"] == "Iteration 1 · after the E-step"
    m = len(X)
    for i, step in enumerate(steps):
        if step["color"] >= 0:
            np.testing.assert_array_equal(
                arrays["colors"][step["color"] * m : (step["color"] + 1) * m], colors[i]
            )
        if step["changed"]:
            offset, count = step["changed"]
            np.testing.assert_array_equal(arrays["changed"][offset : offset + count], [3, 5])
    # An E-step keeps the set of parameters before it; an M-step has its own.
    sets = [s["param"] for s in steps]
    assert sets[1] == sets[0] and sets[2] == sets[0] + 1
    factors = arrays["factors"].reshape(-1, 3, 6)
    np.testing.assert_allclose(factors[sets[2], :, :2], snapshots[2].params.means)
    np.testing.assert_allclose(arrays["loglik"], [s.log_likelihood for s in snapshots])
    assert gzip.decompress(payload) == gzip.decompress(
        block_payload("run-1", X, [0.5, 0.9], 0, snapshots, colors, changed, statuses)
    ), "a block is the same bytes every time: the forward-message cache can reuse it"


@pytest.mark.parametrize("columns", [1, 2, 3])
def test_the_redrawn_traces_are_found_in_the_apps_figure_by_role(columns):
    X = load_iris().select_dtypes("number").to_numpy(dtype=float)[:, :columns]
    stepper = _stepper(X, k=2, steps=1)
    params = stepper.current.params
    figure = model_figure(
        X, None, params.means, params.full_covariances, params.weights, [0.5, 0.9]
    )
    roles = [(t.meta or {}).get("role") if t.meta else None for t in figure.data]
    start, stop = drawn_range(roles, columns)
    assert 0 < start < stop <= len(roles)
    manifest = run_manifest(X, [0.5, 0.9], 2)
    assert manifest["dim"] == columns and manifest["ring"]["meta"]["role"] == "changed"


def test_the_status_line_is_escaped_and_its_last_part_left_to_the_browser():
    line = "**Iteration 3**, after the M-step · log-likelihood **<1>** · half-step 7 of 9"
    assert status_html(line) == (
        "<strong>Iteration 3</strong>, after the M-step · log-likelihood <strong>&lt;1&gt;</strong>"
    )


def test_in_presentation_type_the_mass_labels_are_those_of_the_servers_figure():
    """With the figure's type scale, a block's labels (their places and type) are the
    ones `model_figure` draws for the same snapshot, not the normal-sized ones."""
    X = load_faithful().to_numpy(dtype=float)
    stepper = _stepper(X, k=2, steps=1)
    snapshots = stepper.snapshots[:3]
    colors = [color_codes(None, len(X))] + [None] * 2
    args = ("run", X, [0.5, 0.9], 0, snapshots, colors, [None] * 3, ["s"] * 3)
    _, normal, plain = unpack(gzip.decompress(block_payload(*args)))
    _, large, scaled = unpack(gzip.decompress(block_payload(*args, type_scale=1.5)))
    params = snapshots[2].params
    figure = model_figure(
        X, None, params.means, params.full_covariances, params.weights, [0.5, 0.9], type_scale=1.5
    )
    served = [t for t in figure.data if (t.meta or {}).get("role") == "ellipse" and t.text]
    labelled = [t for t, style in enumerate(large["styles"]) if "label" in style]
    assert len(served) == len(labelled) == 2
    places = scaled["labels"].reshape(-1, len(large["styles"]), 2)[large["steps"][2]["param"]]
    for trace, at in zip(served, labelled):
        assert large["styles"][at]["textfont"]["size"] == trace.textfont.size
        assert trace.textfont.size > normal["styles"][at]["textfont"]["size"]
        np.testing.assert_allclose(places[at], [trace.x[-1], trace.y[-1]])
    assert not np.allclose(plain["labels"], scaled["labels"], equal_nan=True)


@pytest.mark.parametrize(("dim", "role", "count"), [(1, "interval", 4), (3, "mean", 2)])
def test_in_presentation_type_1d_and_3d_labels_are_those_of_the_servers_figure(dim, role, count):
    """In 1-D and 3-D too: the brackets' and the means' labels of a block in presentation
    type are set in the server's figure's type, not the normal-sized one."""
    x = _columns(dim)
    stepper = _stepper(x, k=2, steps=1)
    snapshots = stepper.snapshots[:3]
    colors = [color_codes(None, len(x))] + [None] * 2
    args = ("run", x, [0.5, 0.9], 0, snapshots, colors, [None] * 3, ["s"] * 3)
    normal = unpack(gzip.decompress(block_payload(*args)))[1]
    large = unpack(gzip.decompress(block_payload(*args, type_scale=1.5)))[1]
    params = snapshots[0].params
    figure = model_figure(
        x, None, params.means, params.full_covariances, params.weights, [0.5, 0.9], type_scale=1.5
    )
    served = [t.textfont.size for t in figure.data if (t.meta or {}).get("role") == role]
    labelled = [s for s in large["styles"] if (s.get("meta") or {}).get("role") == role]
    assert len(labelled) == len(served) == count
    assert [s["textfont"]["size"] for s in labelled] == served
    plain = [s for s in normal["styles"] if (s.get("meta") or {}).get("role") == role]
    assert all(s["textfont"]["size"] < size for s, size in zip(plain, served))


def _columns(dim: int) -> np.ndarray:
    """Old Faithful's first column (1-D), or two clusters in three columns (3-D)."""
    if dim == 1:
        return load_faithful().to_numpy(dtype=float)[:, :1]
    rng = np.random.default_rng(3)
    return np.concatenate([rng.normal(-2, 1, (150, 3)), rng.normal(2, 1, (150, 3))])
