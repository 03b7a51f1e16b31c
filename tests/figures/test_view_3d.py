"""Tests for gmm.figures.view_3d: the 3-D snapshot figure and its 2-D projections."""

import numpy as np
import pytest
from figure_helpers import (
    K,
    assert_colors_close,
    decoded_point_colors,
    make_snapshot_3d,
    points_trace,
    rebuilt,
    traces_by_role,
)
from scipy import stats

from gmm.figures.colors import ALERT, NEUTRAL, PALETTE, hex_to_rgb
from gmm.figures.geometry import mahalanobis_radius
from gmm.figures.points import display_subsample
from gmm.figures.view_2d import scatter_2d
from gmm.figures.view_3d import projections_3d, scatter_3d

MASSES = (0.5, 0.9)


@pytest.fixture
def snap3():
    return make_snapshot_3d()


@pytest.fixture
def fig3(snap3):
    X, gamma, means, covs, weights = snap3
    return scatter_3d(X, gamma, means, covs, weights, MASSES)


def test_3d_trace_counts_and_order(fig3):
    m = len(MASSES)
    assert len(traces_by_role(fig3, "points")) == 1
    assert len(traces_by_role(fig3, "ellipsoid")) == K * m
    assert len(traces_by_role(fig3, "mean")) == K
    assert not traces_by_role(fig3, "truth")
    assert len(fig3.data) == 1 + K * (m + 1)
    for k in range(K):
        block = fig3.data[1 + k * (m + 1) : 1 + (k + 1) * (m + 1)]
        assert [t.meta["role"] for t in block] == ["ellipsoid"] * m + ["mean"]
        assert [t.meta["mass"] for t in block[:m]] == sorted(MASSES)
        assert {t.meta["component"] for t in block} == {k}
        assert len({t.legendgroup for t in block}) == 1
    assert {t.type for t in traces_by_role(fig3, "ellipsoid")} == {"mesh3d"}


def test_3d_default_single_mass(snap3):
    fig = scatter_3d(*snap3)
    assert [t.meta["mass"] for t in traces_by_role(fig, "ellipsoid")] == [0.9] * K


def test_3d_points_are_one_scatter3d_with_gamma_hover(snap3, fig3):
    trace = points_trace(fig3)
    assert trace.type == "scatter3d" and trace.mode == "markers"
    np.testing.assert_array_equal(np.column_stack([trace.x, trace.y, trace.z]), snap3[0])
    customdata = np.asarray(trace.customdata)
    assert customdata.dtype == np.float32 and customdata.shape == (len(snap3[0]), K)
    np.testing.assert_allclose(customdata.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(customdata, snap3[1], atol=1e-6)
    template = trace.hovertemplate
    assert "x3 = %{z:.4g}" in template and "γ₃ %{customdata[2]:.2f}" in template


def test_3d_half_way_point_gets_half_way_colour(snap3):
    X, _, means, covs, weights = snap3
    gamma = np.zeros((len(X), K))
    gamma[:, 2] = 1.0
    gamma[0] = [0.5, 0.5, 0.0]
    colors = decoded_point_colors(points_trace(scatter_3d(X, gamma, means, covs, weights)))
    midpoint = (hex_to_rgb(PALETTE[0]) + hex_to_rgb(PALETTE[1])) / 2
    assert_colors_close(colors[0], midpoint)
    assert_colors_close(colors[1:], hex_to_rgb(PALETTE[2]))


def test_3d_without_responsibilities_is_grey(snap3):
    X, _, means, covs, weights = snap3
    fig = scatter_3d(X, None, means, covs, weights)
    trace = points_trace(fig)
    assert_colors_close(decoded_point_colors(trace), hex_to_rgb(NEUTRAL))
    assert trace.customdata is None and "γ" not in trace.hovertemplate
    rebuilt(fig)


@pytest.mark.parametrize("mass", MASSES)
def test_ellipsoid_vertices_lie_at_the_chi2_radius(snap3, fig3, mass):
    _, _, means, covs, _ = snap3
    radius = np.sqrt(stats.chi2.ppf(mass, 3))
    for trace in traces_by_role(fig3, "ellipsoid"):
        if trace.meta["mass"] != mass:
            continue
        k = trace.meta["component"]
        d = np.column_stack([trace.x, trace.y, trace.z]) - means[k]
        r = np.sqrt(np.einsum("ni,ij,nj->n", d, np.linalg.inv(covs[k]), d))
        np.testing.assert_allclose(r, radius, rtol=1e-9)


def _inside_convex_mesh(points, trace, chunk=20_000):
    """Whether each point lies inside the closed convex triangle mesh ``trace``."""
    vertices = np.column_stack([trace.x, trace.y, trace.z])
    faces = np.column_stack([trace.i, trace.j, trace.k])
    a, b, c = (vertices[faces[:, n]] for n in range(3))
    normals = np.cross(b - a, c - a)
    keep = np.linalg.norm(normals, axis=1) > 1e-12 * np.abs(vertices).max() ** 2
    a, normals = a[keep], normals[keep]
    centre = vertices.mean(axis=0)
    normals *= np.sign(np.einsum("fi,fi->f", normals, a - centre))[:, None]  # outward
    offsets = np.einsum("fi,fi->f", normals, a)
    inside = np.empty(len(points), dtype=bool)
    for start in range(0, len(points), chunk):
        block = points[start : start + chunk]
        inside[start : start + chunk] = (block @ normals.T <= offsets).all(axis=1)
    return inside


def _quadric_through(trace):
    """Ellipsoid {v : v^T M v + b^T v <= 1} fitted to the mesh vertices alone."""
    v = np.column_stack([trace.x, trace.y, trace.z])
    x, y, z = v.T
    design = np.column_stack([x * x, y * y, z * z, 2 * x * y, 2 * x * z, 2 * y * z, x, y, z])
    coef, *_ = np.linalg.lstsq(design, np.ones(len(v)), rcond=None)
    assert np.abs(design @ coef - 1).max() < 1e-8  # the vertices do lie on one ellipsoid
    return coef


@pytest.fixture(scope="module")
def samples_3d():
    """200 000 draws from component 2 of the 3-D snapshot."""
    _, _, means, covs, _ = make_snapshot_3d()
    return np.random.default_rng(5).multivariate_normal(means[1], covs[1], size=200_000)


def test_ellipsoid_encloses_its_mass_monte_carlo(fig3, samples_3d):
    n = len(samples_3d)
    x, y, z = samples_3d.T
    design = np.column_stack([x * x, y * y, z * z, 2 * x * y, 2 * x * z, 2 * y * z, x, y, z])
    for trace in traces_by_role(fig3, "ellipsoid"):
        if trace.meta["component"] != 1:
            continue
        mass = trace.meta["mass"]
        estimate = np.mean(design @ _quadric_through(trace) <= 1.0)
        standard_error = np.sqrt(mass * (1 - mass) / n)
        assert abs(estimate - mass) < 4 * standard_error, (mass, estimate)


def test_drawn_polyhedron_is_close_to_the_ellipsoid(fig3, samples_3d):
    """The triangles cut chords inside the surface: a little less mass, under 1%."""
    for trace in traces_by_role(fig3, "ellipsoid"):
        if trace.meta["component"] != 1:
            continue
        mass = trace.meta["mass"]
        estimate = _inside_convex_mesh(samples_3d, trace).mean()
        assert mass - 0.01 < estimate < mass + 4 * np.sqrt(mass * (1 - mass) / len(samples_3d))


def test_3d_legend_names_and_hover_state_the_mass(fig3):
    outer = [t for t in traces_by_role(fig3, "ellipsoid") if t.meta["mass"] == 0.9]
    assert [t.name for t in outer] == [
        "Component 1 · π = 0.50 · 90%",
        "Component 2 · π = 0.30 · 90%",
        "Component 3 · π = 0.20 · 90%",
    ]
    assert all(t.showlegend for t in outer)
    assert all("90% of this component's mass lies inside" in t.hovertemplate for t in outer)
    assert all(0.15 <= t.opacity <= 0.25 for t in traces_by_role(fig3, "ellipsoid"))
    for mean in traces_by_role(fig3, "mean"):
        assert mean.marker.symbol == "diamond" and mean.marker.line.color == "black"
        assert list(mean.text)[1] == f"k={mean.meta['component'] + 1}"


def test_3d_mean_marker_is_at_the_mean(snap3, fig3):
    means = snap3[2]
    for trace in traces_by_role(fig3, "mean"):
        k = trace.meta["component"]
        np.testing.assert_allclose([trace.x[0], trace.y[0], trace.z[0]], means[k])
        assert list(trace.marker.size)[1] == 0  # second point only carries the label


def test_3d_highlighted_component_is_distinct(snap3):
    X, gamma, means, covs, weights = snap3
    fig = scatter_3d(X, gamma, means, covs, weights, highlight=(2,))
    meshes = {t.meta["component"]: t for t in traces_by_role(fig, "ellipsoid")}
    assert meshes[2].color == ALERT and meshes[0].color == PALETTE[0]
    assert meshes[2].opacity > meshes[0].opacity and meshes[2].flatshading
    assert meshes[2].name.endswith("(collapsed) · 90%") and "collapsed" not in meshes[0].name
    means_ = {t.meta["component"]: t for t in traces_by_role(fig, "mean")}
    assert means_[2].marker.symbol != means_[0].marker.symbol


def test_3d_layout_scene_and_state(snap3, fig3):
    scene = fig3.layout.scene
    assert [scene.xaxis.title.text, scene.yaxis.title.text, scene.zaxis.title.text] == [
        "x1",
        "x2",
        "x3",
    ]
    assert scene.aspectmode == "data"
    assert fig3.layout.uirevision == "gmm-3d" and scene.uirevision == "gmm-3d"
    assert fig3.layout.font.size >= 16 and fig3.layout.legend.font.size >= 16
    X, gamma, means, covs, weights = snap3
    stretched = X * [1.0, 1.0, 10.0]
    fig = scatter_3d(stretched, gamma, means, covs, weights, uirevision="u")
    assert fig.layout.scene.aspectmode == "cube"
    assert fig.layout.scene.uirevision == "u"
    lo, hi = fig3.layout.scene.zaxis.range
    assert lo < X[:, 2].min() and hi > X[:, 2].max()


def test_3d_subsample_annotation_and_truth():
    X, gamma, means, covs, weights = make_snapshot_3d(n=3000)
    fig = scatter_3d(
        X, gamma, means, covs, weights, max_points=1000, true_components=(means[:2], covs[:2])
    )
    trace = points_trace(fig)
    index = display_subsample(3000, 1000)
    np.testing.assert_array_equal(trace.z, X[index, 2])
    (note,) = [a.text for a in fig.layout.annotations if a.name == "subsample_note"]
    assert note.startswith("showing 1,000 of 3,000 points, a random sample")
    (truth,) = traces_by_role(fig, "truth")
    assert fig.data[-1] is truth and truth.type == "scatter3d"
    path = np.column_stack([truth.x, truth.y, truth.z]).astype(float)
    finite = path[np.isfinite(path[:, 0])]
    assert len(finite) == 2 * 3 * 60  # three principal ellipses per component
    d = finite[: 3 * 60] - means[0]
    r = np.sqrt(np.einsum("ni,ij,nj->n", d, np.linalg.inv(covs[0]), d))
    np.testing.assert_allclose(r, mahalanobis_radius(0.9, 3), rtol=1e-9)


def test_3d_degenerate_and_empty(snap3):
    X, gamma, means, covs, weights = snap3
    covs = covs.copy()
    covs[0] = np.diag([1.0, 1.0, 0.0])  # a flat, collapsing component
    fig = scatter_3d(X, gamma, means, covs, weights, highlight=(0,))
    for trace in traces_by_role(fig, "ellipsoid"):
        assert np.isfinite(np.asarray(trace.z, dtype=float)).all()
    empty = scatter_3d(X, None, np.empty((0, 3)), np.empty((0, 3, 3)), np.empty(0))
    assert [t.meta["role"] for t in empty.data] == ["points"]
    rebuilt(empty)


def test_3d_shape_mismatch_raises(snap3):
    X, gamma, means, covs, weights = snap3
    with pytest.raises(ValueError):
        scatter_3d(X[:, :2], gamma, means, covs, weights)
    with pytest.raises(ValueError):
        scatter_3d(X, gamma, means[:, :2], covs, weights)
    with pytest.raises(ValueError):
        scatter_3d(X, gamma[:, :2], means, covs, weights)


def test_3d_json_round_trip_validates(snap3):
    X, gamma, means, covs, weights = snap3
    fig = scatter_3d(
        X, gamma, means, covs, weights, MASSES, highlight=(1,), true_components=(means, covs)
    )
    again = rebuilt(fig)
    assert [t.type for t in again.data] == [t.type for t in fig.data]
    assert again.layout.scene.uirevision == "gmm-3d"


def test_projections_are_scatter_2d_of_the_marginals(snap3):
    X, gamma, means, covs, weights = snap3
    figs = projections_3d(X, gamma, means, covs, weights, MASSES, highlight=(1,))
    assert len(figs) == 3
    for fig, pair in zip(figs, [(0, 1), (0, 2), (1, 2)]):
        a = list(pair)
        assert fig.layout.meta["axes"] == a
        assert fig.layout.xaxis.title.text == f"x{a[0] + 1}"
        assert fig.layout.yaxis.title.text == f"x{a[1] + 1}"
        direct = scatter_2d(X[:, a], gamma, means[:, a], covs[:, a][:, :, a], weights, MASSES)
        assert len(fig.data) == len(direct.data)
        for trace in traces_by_role(fig, "ellipse"):
            k, mass = trace.meta["component"], trace.meta["mass"]
            outline = np.column_stack([trace.x, trace.y]).astype(float)
            outline = outline[np.isfinite(outline[:, 0])]
            d = outline - means[k, a]
            block = covs[k][np.ix_(a, a)]
            r = np.sqrt(np.einsum("ni,ij,nj->n", d, np.linalg.inv(block), d))
            # Dashes are cut along chords of the 100-point outline: up to 0.05% inside.
            np.testing.assert_allclose(r, np.sqrt(stats.chi2.ppf(mass, 2)), rtol=1e-3)
        rebuilt(fig)


def test_3d_height_is_built_in(snap3, fig3):
    X, gamma, means, covs, weights = snap3
    assert scatter_3d(X, gamma, means, covs, weights, height=580).layout.height == 580
    assert fig3.layout.height is None
