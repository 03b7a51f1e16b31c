"""Tests for gmm.figures.view_1d: the 1-D snapshot figure."""

import numpy as np
import pytest
from figure_helpers import (
    K,
    assert_colors_close,
    decoded_point_colors,
    make_snapshot_1d,
    points_trace,
    rebuilt,
    traces_by_role,
)
from scipy import stats

from gmm.figures.colors import ALERT, NEUTRAL, PALETTE, hex_to_rgb
from gmm.figures.view_1d import density_1d

MASSES = (0.5, 0.9)


@pytest.fixture
def snap1():
    return make_snapshot_1d()


@pytest.fixture
def fig1(snap1):
    x, gamma, means, variances, weights = snap1
    return density_1d(x, gamma, means, variances, weights, MASSES)


def test_1d_trace_counts_and_order(fig1):
    m = len(MASSES)
    roles = [t.meta["role"] for t in fig1.data]
    assert roles[:2] == ["points", "histogram"]
    assert roles[2 : 2 + K] == ["share"] * K
    assert roles[2 + K : 2 + 2 * K] == ["density"] * K
    assert roles[2 + 2 * K] == "mixture"
    for k in range(K):
        start = 3 + 2 * K + k * (m + 1)
        block = fig1.data[start : start + m + 1]
        assert [t.meta["role"] for t in block] == ["interval"] * m + ["mean"]
        assert {t.meta["component"] for t in block} == {k}
        assert [t.meta["mass"] for t in block[:m]] == sorted(MASSES)
    assert roles[3 + 2 * K + K * (m + 1) :] == ["share_key"]
    assert len(traces_by_role(fig1, "density")) == K
    assert [t.meta["component"] for t in traces_by_role(fig1, "share")] == list(range(K))


def test_1d_rug_lies_below_the_axis_with_gamma_hover(snap1, fig1):
    trace = points_trace(fig1)
    assert trace.type == "scatter" and trace.marker.symbol == "line-ns-open"  # 500: SVG
    y = np.asarray(trace.y)
    assert (y < 0).all() and fig1.layout.yaxis.range[0] < y.min()
    np.testing.assert_array_equal(trace.x, snap1[0])
    customdata = np.asarray(trace.customdata)
    np.testing.assert_allclose(customdata.sum(axis=1), 1.0, atol=1e-6)
    assert "x = %{x:.4g}" in trace.hovertemplate and "%{y" not in trace.hovertemplate
    assert "rug" in trace.name and trace.showlegend


def test_1d_half_way_point_gets_half_way_colour(snap1):
    x, _, means, variances, weights = snap1
    gamma = np.zeros((len(x), K))
    gamma[:, 1] = 1.0
    gamma[0] = [0.5, 0.5, 0.0]
    colors = decoded_point_colors(points_trace(density_1d(x, gamma, means, variances, weights)))
    midpoint = (hex_to_rgb(PALETTE[0]) + hex_to_rgb(PALETTE[1])) / 2
    assert_colors_close(colors[0], midpoint)
    assert_colors_close(colors[1:], hex_to_rgb(PALETTE[1]))


def test_1d_without_responsibilities_is_grey(snap1):
    x, _, means, variances, weights = snap1
    fig = density_1d(x, None, means, variances, weights)
    trace = points_trace(fig)
    assert_colors_close(decoded_point_colors(trace), hex_to_rgb(NEUTRAL))
    assert trace.customdata is None and "no responsibilities yet" in trace.hovertemplate
    rebuilt(fig)


def test_mixture_integrates_to_one_and_is_the_sum_of_components(snap1, fig1):
    _, _, means, variances, weights = snap1
    (mixture,) = traces_by_role(fig1, "mixture")
    grid, total = np.asarray(mixture.x), np.asarray(mixture.y)
    assert np.all(np.diff(grid) > 0)
    assert abs(np.trapezoid(total, grid) - 1.0) < 1e-3
    curves = traces_by_role(fig1, "density")
    for trace in curves:
        k = trace.meta["component"]
        np.testing.assert_array_equal(trace.x, grid)
        expected = weights[k] * stats.norm.pdf(grid, means[k], np.sqrt(variances[k]))
        np.testing.assert_allclose(trace.y, expected, rtol=1e-9, atol=1e-300)
        assert abs(np.trapezoid(trace.y, grid) - weights[k]) < 1e-3
    np.testing.assert_allclose(sum(np.asarray(t.y) for t in curves), total, rtol=1e-12)


def test_stacked_shares_sum_to_the_mixture(fig1):
    (mixture,) = traces_by_role(fig1, "mixture")
    shares = traces_by_role(fig1, "share")
    assert all(t.stackgroup == "share" for t in shares)
    np.testing.assert_allclose(sum(np.asarray(t.y) for t in shares), mixture.y, rtol=1e-12)
    gammas = np.stack([np.asarray(t.customdata, dtype=float) for t in shares])
    np.testing.assert_allclose(gammas.sum(axis=0), 1.0, atol=1e-5)


def test_collapsing_component_is_resolved_by_the_grid(snap1):
    x, gamma, means, variances, weights = snap1
    variances = variances.copy()
    variances[1] = 1e-8
    fig = density_1d(x, gamma, means, variances, weights, highlight=(1,))
    (mixture,) = traces_by_role(fig, "mixture")
    assert abs(np.trapezoid(mixture.y, mixture.x) - 1.0) < 1e-3
    densities = {t.meta["component"]: t for t in traces_by_role(fig, "density")}
    assert densities[1].name.endswith("(collapsed)") and densities[1].line.dash == "dash"
    intervals = [t for t in traces_by_role(fig, "interval") if t.meta["component"] == 1]
    assert all(t.line.color == ALERT for t in intervals)
    zero = density_1d(x, gamma, means, np.array([1.0, 0.0, 0.5]), weights)
    for trace in traces_by_role(zero, "density") + traces_by_role(zero, "mixture"):
        assert np.isfinite(np.asarray(trace.y)).all()
    top = fig.layout.yaxis.range[1]
    assert top <= 1.12 * 2.5 * max(traces_by_role(fig, "histogram")[0].y) + 1e-12


@pytest.mark.parametrize("mass", MASSES)
def test_1d_interval_encloses_its_mass(snap1, fig1, mass):
    _, _, means, variances, _ = snap1
    for trace in traces_by_role(fig1, "interval"):
        if trace.meta["mass"] != mass:
            continue
        k = trace.meta["component"]
        lo, hi = trace.meta["lo"], trace.meta["hi"]
        dist = stats.norm(means[k], np.sqrt(variances[k]))
        assert dist.cdf(hi) - dist.cdf(lo) == pytest.approx(mass, abs=1e-12)
        xs = np.asarray(trace.x, dtype=float)
        assert np.nanmin(xs[:8]) == lo and np.nanmax(xs[:8]) == hi
        assert f"{round(100 * mass)}%" in "".join(trace.text)
        ys = np.asarray(trace.y, dtype=float)
        assert (ys[np.isfinite(ys)] < 0).all()  # below the axis, under the rug


def test_1d_mass_labels_have_a_halo_and_room_at_the_right_edge(fig1):
    """A bracket's mass label may lie over the rug or the dashed outer bracket: it has a
    white halo (Plotly's textfont.shadow "auto"). The outer label (" 90%") stands right of
    a bracket that may end at the plot's right edge: the right margin holds it (about
    0.6 of the font size per character, four characters)."""
    for trace in traces_by_role(fig1, "interval"):
        assert trace.textfont.shadow == "auto"
        assert fig1.layout.margin.r >= 4 * 0.6 * trace.textfont.size


def test_1d_means_and_legend(snap1, fig1):
    means = snap1[2]
    for trace in traces_by_role(fig1, "mean"):
        assert trace.x[0] == trace.x[1] == means[trace.meta["component"]]
    names = [t.name for t in traces_by_role(fig1, "density")]
    assert names == [
        "Component 1 · π = 0.45",
        "Component 2 · π = 0.10",
        "Component 3 · π = 0.45",
    ]
    (key,) = traces_by_role(fig1, "share_key")
    assert "responsibility" in key.name and "γ" in key.name
    (mixture,) = traces_by_role(fig1, "mixture")
    assert mixture.line.color == "black" and mixture.line.width >= 4


def test_histogram_is_a_density_with_fixed_bins(snap1, fig1):
    x, gamma, means, variances, weights = snap1
    (hist,) = traces_by_role(fig1, "histogram")
    assert hist.type == "bar"
    assert np.sum(np.asarray(hist.y) * np.asarray(hist.width)) == pytest.approx(1.0)
    other = density_1d(x, gamma, means + 1, variances * 3, weights[::-1])
    (hist2,) = traces_by_role(other, "histogram")
    np.testing.assert_array_equal(hist.x, hist2.x)
    np.testing.assert_array_equal(hist.width, hist2.width)
    assert other.layout.xaxis.range == fig1.layout.xaxis.range
    assert other.layout.yaxis.range[0] == fig1.layout.yaxis.range[0]
    many = density_1d(x, gamma, means, variances, weights, bins=40)
    assert len(traces_by_role(many, "histogram")[0].x) == 40


def test_1d_accepts_column_shapes(snap1, fig1):
    x, gamma, means, variances, weights = snap1
    fig = density_1d(x[:, None], gamma, means[:, None], variances[:, None, None], weights, MASSES)
    for a, b in zip(fig.data, fig1.data):
        assert a.meta == b.meta
        np.testing.assert_array_equal(np.asarray(a.y, dtype=float), np.asarray(b.y, dtype=float))


def test_1d_layout_state_subsample_and_truth():
    x, gamma, means, variances, weights = make_snapshot_1d(n=3000)
    fig = density_1d(
        x,
        gamma,
        means,
        variances,
        weights,
        max_points=500,
        as_image=False,
        column_name="mm",
        true_components=(means[:2], variances[:2], [0.5, 0.5]),
        uirevision="keep",
    )
    assert fig.layout.uirevision == "keep" and fig.layout.xaxis.title.text == "mm"
    assert fig.layout.font.size >= 16
    assert min(fig.layout.yaxis.tickvals) == 0  # no tick labels in the rug strip
    assert any("500 of 3,000" in a.text for a in fig.layout.annotations)
    assert len(points_trace(fig).x) == 500
    (truth,) = traces_by_role(fig, "truth")
    assert fig.data[-1] is truth and truth.line.dash == "dot"
    without_weights = density_1d(
        x, gamma, means, variances, weights, true_components=(means, variances)
    )
    assert traces_by_role(without_weights, "truth")


def test_1d_before_initialisation():
    x = make_snapshot_1d()[0]
    fig = density_1d(x, None, np.empty(0), np.empty(0), np.empty(0))
    assert [t.meta["role"] for t in fig.data] == ["points", "histogram"]
    rebuilt(fig)


def test_1d_shape_mismatch_raises(snap1):
    x, gamma, means, variances, weights = snap1
    with pytest.raises(ValueError):
        density_1d(x, gamma[:, :2], means, variances, weights)
    with pytest.raises(ValueError):
        density_1d(x, gamma, means, variances[:2], weights)
    with pytest.raises(ValueError):
        density_1d(np.column_stack([x, x]), gamma, means, variances, weights)


def test_1d_json_round_trip_validates(snap1):
    x, gamma, means, variances, weights = snap1
    fig = density_1d(
        x,
        gamma,
        means,
        variances,
        weights,
        MASSES,
        highlight=(0,),
        true_components=(means, variances, weights),
    )
    again = rebuilt(fig)
    assert [t.type for t in again.data] == [t.type for t in fig.data]
    assert again.data[0].type == "scatter"


def test_1d_picked_means_lie_on_the_axis_with_dragmode_and_height(snap1, fig1):
    x, gamma, means, variances, weights = snap1
    fig = density_1d(
        x, gamma, means, variances, weights, MASSES,
        dragmode="select", height=580, picked_means=[(-2.0,), (1.5,)],
    )  # fmt: skip
    assert fig.layout.dragmode == "select" and fig.layout.height == 580
    (picked,) = traces_by_role(fig, "picked")
    assert fig.data[-1] is picked
    assert list(picked.x) == [-2.0, 1.5] and list(picked.y) == [0.0, 0.0]
    assert fig.layout.yaxis.range == fig1.layout.yaxis.range, "the height in px is not the y scale"
    assert not traces_by_role(fig1, "picked") and fig1.layout.height is None
    rebuilt(fig)
