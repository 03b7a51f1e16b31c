"""Tests for gmm.figures.view_2d: the 2-D snapshot figure."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_helpers import (
    assert_colors_close,
    decoded_point_colors,
    make_snapshot,
    points_trace,
    rebuilt,
    traces_by_role,
)

from gmm.figures.colors import ALERT, NEUTRAL, PALETTE, darken, hex_to_rgb
from gmm.figures.labels import LabelPlace, label_box
from gmm.figures.points import display_subsample
from gmm.figures.view_2d import scatter_2d

MASSES = (0.5, 0.9)


@pytest.fixture
def snapshot():
    return make_snapshot()


@pytest.fixture
def figure(snapshot):
    X, gamma, means, covs, weights = snapshot
    return scatter_2d(X, gamma, means, covs, weights, MASSES)


def test_trace_counts_by_role(figure):
    assert len(traces_by_role(figure, "points")) == 1
    assert len(traces_by_role(figure, "mean")) == 3
    for mass in MASSES:
        at_mass = [t for t in traces_by_role(figure, "ellipse") if t.meta["mass"] == mass]
        assert sorted(t.meta["component"] for t in at_mass) == [0, 1, 2]
    assert len(traces_by_role(figure, "mass_key")) == len(MASSES)
    assert not traces_by_role(figure, "truth")
    assert len(figure.data) == 1 + 3 * (len(MASSES) + 1) + len(MASSES)


def test_trace_order_is_the_documented_one(figure):
    m = len(MASSES)
    for k in range(3):
        block = figure.data[1 + k * (m + 1) : 1 + (k + 1) * (m + 1)]
        assert [t.meta["role"] for t in block] == ["ellipse"] * m + ["mean"]
        assert [t.meta.get("mass") for t in block[:m]] == sorted(MASSES)
        assert {t.meta["component"] for t in block} == {k}
        assert len({t.legendgroup for t in block}) == 1


def test_points_outlines_and_means_are_one_kind_of_trace(figure):
    # 300 points: SVG (tests/figures/test_svg_or_webgl.py has the rule)
    assert figure.data[0].type == "scatter"
    drawn = traces_by_role(figure, "ellipse") + traces_by_role(figure, "mean")
    assert all(t.type == "scatter" for t in drawn)  # in trace order: above the points


def test_hover_customdata_rows_are_responsibilities(snapshot, figure):
    trace = points_trace(figure)
    customdata = np.asarray(trace.customdata)
    assert customdata.shape == (len(snapshot[0]), 3)
    np.testing.assert_allclose(customdata.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(customdata, snapshot[1], atol=1e-6)
    lines = trace.hovertemplate.removesuffix("<extra></extra>").split("<br>")
    assert lines[2:] == [
        f"Component {k + 1}: γ{'₁₂₃'[k]} %{{customdata[{k}]:.2f}}" for k in range(3)
    ]


def test_hover_wraps_many_components():
    X, gamma, means, covs, weights = make_snapshot(k=6)
    trace = points_trace(scatter_2d(X, gamma, means, covs, weights))
    assert "Component 6: γ₆ %{customdata[5]:.2f}" in trace.hovertemplate
    assert trace.hovertemplate.count("<br>") == 4  # x, y, then 3 lines of 2 components


def test_half_way_point_gets_half_way_colour(snapshot):
    X, gamma, means, covs, weights = snapshot
    gamma = np.zeros((len(X), 3))
    gamma[:, 2] = 1.0
    gamma[0] = [0.5, 0.5, 0.0]
    gamma[1] = [1.0, 0.0, 0.0]
    colors = decoded_point_colors(points_trace(scatter_2d(X, gamma, means, covs, weights)))
    midpoint = (hex_to_rgb(PALETTE[0]) + hex_to_rgb(PALETTE[1])) / 2
    assert_colors_close(colors[0], midpoint)
    assert_colors_close(colors[1], hex_to_rgb(PALETTE[0]))
    assert_colors_close(colors[2:], hex_to_rgb(PALETTE[2]))


def test_no_responsibilities_draws_neutral_points(snapshot):
    X, _, means, covs, weights = snapshot
    fig = scatter_2d(X, None, means, covs, weights)
    trace = points_trace(fig)
    assert_colors_close(decoded_point_colors(trace), hex_to_rgb(NEUTRAL))
    assert trace.customdata is None and "γ" not in trace.hovertemplate
    fig.to_json()


def test_subsample_is_a_seeded_subset_with_annotation():
    X, gamma, means, covs, weights = make_snapshot(n=5000)
    fig = scatter_2d(X, gamma, means, covs, weights, max_points=1000, as_image=False)
    trace = points_trace(fig)
    shown = np.column_stack([trace.x, trace.y])
    assert shown.shape == (1000, 2)
    index = display_subsample(5000, 1000)
    np.testing.assert_array_equal(shown, X[index])
    np.testing.assert_allclose(trace.customdata, gamma[index], atol=1e-6)
    assert len(np.unique(index)) == 1000
    texts = [a.text for a in fig.layout.annotations]
    assert "showing 1,000 of 5,000 points" in texts
    again = points_trace(
        scatter_2d(X, gamma, means, covs, weights, max_points=1000, as_image=False)
    )
    np.testing.assert_array_equal(again.x, trace.x)


def test_the_seeded_subset_is_drawn_once_and_cannot_be_changed():
    index = display_subsample(5000, 1000, seed=4)
    assert display_subsample(5000, 1000, seed=4) is index
    assert not index.flags.writeable
    rng = np.random.default_rng(4)
    np.testing.assert_array_equal(index, np.sort(rng.choice(5000, size=1000, replace=False)))
    assert not np.array_equal(display_subsample(5000, 1000, seed=5), index)
    np.testing.assert_array_equal(display_subsample(800, 1000), np.arange(800))


def test_no_annotation_when_all_points_shown(figure):
    assert not figure.layout.annotations
    assert points_trace(figure).meta["n_shown"] == points_trace(figure).meta["n_total"]


def test_highlighted_component_is_drawn_differently(snapshot):
    X, gamma, means, covs, weights = snapshot
    fig = scatter_2d(X, gamma, means, covs, weights, highlight=(1,))
    ellipses = {(t.meta["component"], t.meta["mass"]): t for t in traces_by_role(fig, "ellipse")}
    flagged, normal = ellipses[(1, 0.9)], ellipses[(0, 0.9)]
    assert flagged.line.color == ALERT and normal.line.color == darken(PALETTE[0])
    assert flagged.line.width > normal.line.width
    means_ = {t.meta["component"]: t for t in traces_by_role(fig, "mean")}
    assert means_[1].marker.symbol != means_[0].marker.symbol
    assert means_[1].name.endswith("(collapsed)") and "collapsed" not in means_[0].name


def test_legend_names_and_labels(figure):
    names = [t.name for t in traces_by_role(figure, "mean")]
    assert names[0] == "Component 1 · π = 0.33"
    outer = [t for t in traces_by_role(figure, "ellipse") if t.meta["mass"] == 0.9]
    assert all(list(t.text).count("90%") == 1 for t in outer)
    inner = [t for t in traces_by_role(figure, "ellipse") if t.meta["mass"] == 0.5]
    assert all(t.mode == "lines" and t.text is None for t in inner)  # no selectable markers
    assert all(t.fill == "toself" for t in inner) and all(t.fill != "toself" for t in outer)
    assert inner[0].meta["dash"] == "solid" and not np.isnan(np.asarray(inner[0].x, float)).any()
    assert all(t.meta["dash"] != "solid" for t in outer)
    assert all(np.isnan(np.asarray(t.x, float)).sum() > 10 for t in outer)  # cut into dashes


def test_layout_equal_aspect_fixed_ranges_and_state(snapshot):
    X, gamma, means, covs, weights = snapshot
    fig = scatter_2d(X, gamma, means, covs, weights, column_names=("a", "b"), dragmode="lasso")
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.xaxis.title.text == "a" and fig.layout.yaxis.title.text == "b"
    assert fig.layout.uirevision == "gmm" and fig.layout.dragmode == "lasso"
    assert fig.layout.font.size >= 16
    lo, hi = fig.layout.xaxis.range
    assert lo < X[:, 0].min() and hi > X[:, 0].max()
    huge = scatter_2d(X, gamma, means, covs * 100, weights)
    assert huge.layout.xaxis.range == fig.layout.xaxis.range


def test_true_components_overlay(snapshot):
    X, gamma, means, covs, weights = snapshot
    fig = scatter_2d(X, gamma, means, covs, weights, true_components=(means[:2], covs[:2]))
    (truth,) = traces_by_role(fig, "truth")
    assert fig.data[-1] is truth
    assert np.isnan(np.asarray(truth.x, dtype=float)).sum() >= 2  # gaps between components
    assert truth.name == "generating components (90%, dotted)"


def test_degenerate_covariance_is_drawn(snapshot):
    X, gamma, means, covs, weights = snapshot
    covs = covs.copy()
    covs[0] = 0.0
    fig = scatter_2d(X, gamma, means, covs, weights, highlight=(0,))
    for trace in traces_by_role(fig, "ellipse"):
        x = np.asarray(trace.x, dtype=float)
        assert not np.isinf(x).any() and np.isfinite(x).sum() > 0


def test_shape_mismatch_raises(snapshot):
    X, gamma, means, covs, weights = snapshot
    with pytest.raises(ValueError):
        scatter_2d(X, gamma[:, :2], means, covs, weights)
    with pytest.raises(ValueError):
        scatter_2d(X[:, :1], gamma, means, covs, weights)


def test_json_round_trip_validates(figure):
    text = figure.to_json()
    rebuilt = go.Figure(json.loads(text))  # validates the unvalidated points trace
    assert rebuilt.data[0].type == "scatter"
    assert len(rebuilt.data) == len(figure.data)


def test_figure_without_components_before_initialisation():
    X = make_snapshot(n=50)[0]
    no_means, no_covs, no_weights = np.empty((0, 2)), np.empty((0, 2, 2)), np.empty(0)
    fig = scatter_2d(X, None, no_means, no_covs, no_weights, dragmode="select")
    assert [t.meta["role"] for t in fig.data] == ["points"]
    fig.add_scatter(x=[0.0], y=[0.0], mode="markers", meta={"role": "picked"})
    go.Figure(json.loads(fig.to_json()))


def test_picked_means_dragmode_and_height_are_built_in(snapshot):
    X, gamma, means, covs, weights = snapshot
    picks = [(1.0, 2.0), (-1.0, 0.5)]
    fig = scatter_2d(
        X,
        gamma,
        means,
        covs,
        weights,
        true_components=(means, covs),
        dragmode="select",
        height=580,
        picked_means=picks,
    )
    assert fig.layout.dragmode == "select" and fig.layout.height == 580
    (picked,) = traces_by_role(fig, "picked")
    assert fig.data[-1] is picked and fig.data[-2].meta["role"] == "truth"
    assert picked.type == "scatter"  # as the points are, and after them: drawn above
    assert list(picked.x) == [1.0, -1.0] and list(picked.y) == [2.0, 0.5]
    assert list(picked.text) == ["start 1", "start 2"] and picked.marker.symbol == "star"
    assert picked.name == "chosen starting means"
    rebuilt(fig)


def test_no_picked_trace_dragmode_or_height_unless_asked(figure, snapshot):
    assert not traces_by_role(figure, "picked")
    assert figure.layout.dragmode is None and figure.layout.height is None
    X, gamma, means, covs, weights = snapshot
    fig = scatter_2d(X, gamma, means, covs, weights, picked_means=[])
    assert not traces_by_role(fig, "picked")


def test_compact_thumbnail_look(snapshot, figure):
    X, gamma, means, covs, weights = snapshot
    small = scatter_2d(X, gamma, means, covs, weights, MASSES, title="t", height=230, compact=True)
    assert small.layout.height == 230 and small.layout.showlegend is False
    assert small.layout.font.size < figure.layout.font.size
    assert small.layout.xaxis.title.font.size == small.layout.font.size
    assert small.layout.title.text == "t" and small.layout.title.xanchor == "left"
    assert points_trace(small).marker.size == 4
    assert all(t.text is None for t in traces_by_role(small, "ellipse")), "no mass labels"
    assert {t.marker.size for t in traces_by_role(small, "mean")} == {11}
    assert [t.meta["role"] for t in small.data] == [t.meta["role"] for t in figure.data]
    rebuilt(small)


def test_layout_patch_is_merged_over_the_built_layout(snapshot, figure):
    X, gamma, means, covs, weights = snapshot
    fig = scatter_2d(
        X, gamma, means, covs, weights, MASSES, layout={"margin": {"l": 5}, "meta": {"a": 1}}
    )
    assert fig.layout.margin.l == 5 and fig.layout.margin.b == figure.layout.margin.b
    assert fig.layout.meta == {"a": 1}
    assert fig.layout.xaxis.range == figure.layout.xaxis.range


def test_mass_labels_stay_inside_the_axis_ranges():
    """Components near the edges of the data: every label's box stays on the plot."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 2))
    means = np.array([[0.0, 2.6], [-2.6, 0.0], [2.5, -2.5]])  # near the top, left, corner
    covs = np.stack([np.eye(2) * 0.5] * 3)
    fig = scatter_2d(X, None, means, covs, np.full(3, 1 / 3), MASSES)
    area = (fig.layout.xaxis.range, fig.layout.yaxis.range)
    labelled = [t for t in traces_by_role(fig, "ellipse") if "label" in t.meta]
    assert [t.meta["mass"] for t in labelled] == [0.9] * 3
    spans = [hi - lo for lo, hi in area]
    scale = min(520 / spans[0], 380 / spans[1])  # equal aspect: one scale
    for trace in labelled:
        place = LabelPlace(**trace.meta["label"])
        assert (trace.x[-1], trace.y[-1], trace.textposition) == (place.x, place.y, place.position)
        low, high = label_box(place, trace.text[-1], trace.textfont.size, (scale, scale))
        assert area[0][0] <= low[0] and high[0] <= area[0][1], trace.meta
        assert area[1][0] <= low[1] and high[1] <= area[1][1], trace.meta
    rebuilt(fig)


def test_mass_labels_are_bold_and_as_large_as_the_axis_ticks(figure):
    for trace in traces_by_role(figure, "ellipse"):
        if trace.text is not None:
            assert trace.textfont.weight == "bold"
            assert trace.textfont.size >= figure.layout.xaxis.tickfont.size


def test_components_are_named_in_every_hover(figure):
    for trace in traces_by_role(figure, "ellipse") + traces_by_role(figure, "mean"):
        k = trace.meta["component"]
        assert trace.hovertemplate.startswith(f"Component {k + 1} · π = ")
