"""Large type for a projector: `type_scale` scales every text of a model view, nothing else.

`gmm.figures.style.scaled_type` is the one place; `model_figure(type_scale=...)` takes it
through the 1-D, 2-D and 3-D views and the change overlays.
"""

import json

import numpy as np
import pytest
from figure_helpers import make_snapshot_3d, rebuilt

from gmm.figures import PRESENT_TYPE_SCALE, model_figure
from gmm.figures.style import FONT_SIZE, scaled_type

SCALE = 1.5


def snapshot_in(d):
    """Data and a snapshot with d = 1, 2 or 3 columns: (X, gamma, means, covs, weights)."""
    X, gamma, means, covs, weights = make_snapshot_3d()
    return X[:, :d], gamma, means[:, :d], covs[:, :d, :d], weights


def drawn(d, **options):
    X, gamma, means, covs, weights = snapshot_in(d)
    previous = (means + 0.3, covs, weights) if d < 3 else None  # ghosts of an M-step
    return model_figure(
        X,
        gamma,
        means,
        covs,
        weights,
        (0.5, 0.9),
        banner="Iteration 2 · after the M-step",
        height=580,
        changed_points=[0, 5],
        previous=previous,
        selected_point=3,
        true_components=(means[:2], covs[:2]),
        max_points=100,  # the "showing 100 of 400 points" note too
        **options,
    )


def font_sizes(value, path=()):
    """{path of a ``*font`` mapping: its size} over a figure's JSON."""
    found = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("font") and isinstance(item, dict) and "size" in item:
                found[(*path, key)] = item["size"]
            found |= font_sizes(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found |= font_sizes(item, (*path, i))
    return found


def without(value, paths):
    """The figure's JSON with the ``size`` of the fonts at ``paths`` and the margins removed."""
    value = json.loads(json.dumps(value))
    for path in paths:
        node = value
        for key in path:
            node = node[key]
        del node["size"]
    del value["layout"]["margin"]
    return value


@pytest.mark.parametrize("d", [1, 2, 3])
def test_off_the_figure_is_todays(d):
    assert drawn(d).to_json() == drawn(d, type_scale=1.0).to_json()


@pytest.mark.parametrize("d", [1, 2, 3])
def test_every_font_size_is_scaled_and_nothing_else_changes(d):
    normal = drawn(d).to_plotly_json()
    large = drawn(d, type_scale=SCALE).to_plotly_json()
    sizes, larger = font_sizes(normal), font_sizes(large)
    assert sizes.keys() == larger.keys()
    assert {path: round(size * SCALE) for path, size in sizes.items()} == larger
    must_have = {"font", "hoverlabel", "legend", "annotations", "textfont"}
    found = {part for path in sizes for part in path if isinstance(part, str)}
    assert must_have <= found, "layout font, hover label, legend, notes and banner, labels"
    margins = normal["layout"]["margin"]
    assert large["layout"]["margin"] == {k: round(v * SCALE) for k, v in margins.items()}
    if d == 2:  # the outlines' mass labels, placed for their larger size
        normal_labels = [t for t in normal["data"] if "label" in (t.get("meta") or {})]
        large_labels = [t for t in large["data"] if "label" in (t.get("meta") or {})]
        assert [t["textfont"]["size"] for t in large_labels] == [
            round(t["textfont"]["size"] * SCALE) for t in normal_labels
        ]
        for t in normal_labels + large_labels:
            t.pop("meta"), t.pop("x"), t.pop("y"), t.pop("textposition")
    assert without(large, larger) == without(normal, sizes)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_the_large_figure_is_valid_plotly(d):
    fig = drawn(d, type_scale=PRESENT_TYPE_SCALE)
    again = rebuilt(fig)
    assert again.layout.font.size == round(FONT_SIZE * PRESENT_TYPE_SCALE)


def test_axis_titles_and_ticks_grow_in_2d_and_3d():
    flat = drawn(2, type_scale=SCALE).layout
    assert flat.xaxis.tickfont.size == round(FONT_SIZE * SCALE)
    assert flat.yaxis.title.font.size == round((FONT_SIZE + 2) * SCALE)
    scene = drawn(3, type_scale=SCALE).layout.scene
    assert scene.zaxis.title.font.size == round((FONT_SIZE + 2) * SCALE)
    assert scene.xaxis.tickfont.size == round((FONT_SIZE - 3) * SCALE)


def test_scaled_type_leaves_its_inputs_and_the_data_alone():
    xs = np.arange(5.0)
    layout = {"font": {"size": 10}, "margin": {"t": 20}, "annotations": [{"font": {"size": 8}}]}
    traces = [{"x": xs, "textfont": {"size": 12, "color": "red"}, "text": ["a"] * 5}]
    larger, larger_traces = scaled_type(layout, traces, 2)
    assert larger == {
        "font": {"size": 20},
        "margin": {"t": 40},
        "annotations": [{"font": {"size": 16}}],
    }
    assert larger_traces[0]["textfont"] == {"size": 24, "color": "red"}
    assert larger_traces[0]["x"] is xs, "data arrays are shared, not copied"
    assert layout["font"]["size"] == 10 and traces[0]["textfont"]["size"] == 12


@pytest.mark.parametrize("scale", [0, -1, 10, "large", None, True])
def test_a_bad_scale_is_refused_with_a_message(scale):
    with pytest.raises(ValueError, match="type_scale must be a number"):
        scaled_type({}, [], scale)
