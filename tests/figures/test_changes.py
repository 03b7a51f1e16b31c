"""gmm.figures.changes through model_figure: rings, ghosts, arrows and the selected point
appear when asked for, in every view, and nothing of them otherwise."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_helpers import make_snapshot, make_snapshot_1d, make_snapshot_3d, traces_by_role

from gmm.figures import model_figure
from gmm.figures.changes import RING_CELLS, RING_COLOR, ringed_subset

ROLES = ("changed", "ghost", "moved", "selected")


def snapshot(d):
    if d == 1:
        x, gamma, means, variances, weights = make_snapshot_1d()
        return x[:, None], gamma, means[:, None], variances[:, None, None], weights
    return make_snapshot() if d == 2 else make_snapshot_3d()


def figure(d, **marks):
    X, gamma, means, covs, weights = snapshot(d)
    fig = model_figure(X, gamma, means, covs, weights, [0.5, 0.9], **marks)
    go.Figure(json.loads(fig.to_json()))  # every property valid (Plotly's own check)
    return fig


def previous(d):
    _, _, means, covs, weights = snapshot(d)
    return means - 0.5, covs, weights[::-1]


def arrows(fig):
    return [a for a in fig.layout.annotations if (a.name or "").startswith("moved")]


@pytest.mark.parametrize("d", [1, 2, 3])
def test_without_marks_the_view_has_none_of_them(d):
    fig = figure(d)
    assert not any(traces_by_role(fig, role) for role in ROLES)
    assert not arrows(fig) and not fig.layout.shapes


@pytest.mark.parametrize("d", [1, 2, 3])
def test_changed_points_are_ringed_where_they_are_drawn(d):
    changed = np.array([3, 10, 42])
    fig = figure(d, changed_points=changed)
    (ring,) = traces_by_role(fig, "changed")
    assert ring.meta["n_changed"] == 3 and ring.marker.color == RING_COLOR
    X = snapshot(d)[0]
    np.testing.assert_array_equal(ring.x, X[changed, 0])
    if d == 1:  # on the rug, at the jittered heights of those points
        np.testing.assert_array_equal(ring.y, np.asarray(fig.data[0].y)[changed])
    else:
        np.testing.assert_array_equal(ring.y, X[changed, 1])
    assert ring.hoverinfo == "skip", "a click goes through to the point"
    assert fig.data[-1] is ring, "drawn on top"


@pytest.mark.parametrize("d", [1, 2, 3])
def test_crowded_changed_points_get_one_ring_per_cell(d):
    """Rings a cell apart are all drawn; rings that would pile up are thinned to one per
    cell of a grid `RING_CELLS` across the data, and the view draws exactly those."""
    rng = np.random.default_rng(d)
    X = rng.uniform(0.0, 1.0, (3000, d))
    X[:d] = np.eye(d)  # the range of each column is [0, 1]
    apart = np.arange(len(X))[np.all(np.abs(X - 0.5) < 0.5 / RING_CELLS, axis=1)][:1]
    ringed = ringed_subset(X, np.arange(len(X)))
    cells = np.floor(X[ringed] * RING_CELLS).clip(0, RING_CELLS - 1)
    assert len(np.unique(cells, axis=0)) == len(ringed), "one ring per cell"
    every = np.floor(X * RING_CELLS).clip(0, RING_CELLS - 1)
    assert len(ringed) == len(np.unique(every, axis=0)), "every occupied cell has its ring"
    np.testing.assert_array_equal(ringed_subset(X, apart), apart)
    spread = np.array([0, 1]) if d > 1 else np.array([0])  # corners, cells apart
    np.testing.assert_array_equal(ringed_subset(X, spread), spread)
    fig = model_figure(
        X,
        None,
        np.empty((0, d)),
        np.empty((0, d, d)),
        np.empty(0),
        changed_points=np.arange(len(X)),
        max_points=None,
    )
    (ring,) = traces_by_role(fig, "changed")
    assert ring.meta["n_changed"] == len(X) and ring.meta["n_ringed"] == len(ringed)
    np.testing.assert_array_equal(ring.x, X[ringed, 0])


def test_the_previous_ellipses_are_ghosts_with_arrows_in_2d():
    fig = figure(2, previous=previous(2))
    ghosts = traces_by_role(fig, "ghost")
    assert [g.meta["component"] for g in ghosts] == [0, 1, 2]
    assert all(g.opacity < 1 and g.hoverinfo == "skip" for g in ghosts)
    assert np.isnan(np.asarray(ghosts[0].x, dtype=float)).any(), "dashed: cut by gaps"
    means = snapshot(2)[2]
    drawn = sorted(arrows(fig), key=lambda a: a.name)
    assert [a.name for a in drawn] == ["moved 1", "moved 2", "moved 3"]
    np.testing.assert_allclose([(a.ax, a.ay) for a in drawn], means - 0.5)
    np.testing.assert_allclose([(a.x, a.y) for a in drawn], means)
    with_banner = figure(2, banner="x", previous=previous(2)).layout.annotations
    assert any(a.name == "banner" for a in with_banner), "the banner stays"


def test_a_mean_that_did_not_move_gets_no_arrow():
    _, _, means, covs, weights = snapshot(2)
    fig = figure(2, previous=(means, covs, weights))
    assert len(traces_by_role(fig, "ghost")) == 3 and not arrows(fig)


def test_1d_ghosts_are_the_old_curves_dotted_and_arrows_peak_to_peak():
    fig = figure(1, previous=previous(1))
    ghosts = traces_by_role(fig, "ghost")
    assert len(ghosts) == 3 and all(g.line.dash == "dot" for g in ghosts)
    assert max(np.max(g.y) for g in ghosts) <= fig.layout.yaxis.range[1]
    assert len(arrows(fig)) == 3


def test_3d_draws_a_line_from_each_old_mean_to_the_new():
    fig = figure(3, previous=previous(3))
    lines = traces_by_role(fig, "moved")
    means = snapshot(3)[2]
    assert len(lines) == 3
    for k, line in enumerate(lines):
        np.testing.assert_allclose([line.x[1], line.y[1], line.z[1]], means[k])
        np.testing.assert_allclose([line.x[0], line.y[0], line.z[0]], means[k] - 0.5)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_the_selected_point_is_ringed_and_named(d):
    fig = figure(d, selected_point=7)
    (ring,) = traces_by_role(fig, "selected")
    assert ring.meta["point"] == 7 and ring.text == ("point 7",)
    assert ring.x[0] == snapshot(d)[0][7, 0]
    assert bool(fig.layout.shapes) == (d == 1), "in 1-D a line at x reads off the curves"


def test_a_selected_point_outside_the_data_is_refused():
    with pytest.raises(ValueError, match="not a row"):
        figure(2, selected_point=10_000)
