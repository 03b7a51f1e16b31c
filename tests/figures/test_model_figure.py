"""Tests for gmm.figures.model: model_figure picks the view from the number of columns."""

import numpy as np
import pytest
from figure_helpers import make_snapshot, make_snapshot_3d, rebuilt, traces_by_role

from gmm.figures import model_figure
from gmm.figures.style import row_height
from gmm.figures.view_1d import density_1d
from gmm.figures.view_2d import scatter_2d
from gmm.figures.view_3d import scatter_3d


def snapshot_in(d):
    """Data and a snapshot with d = 1, 2 or 3 columns: (X, gamma, means, covs, weights)."""
    X, gamma, means, covs, weights = make_snapshot_3d()
    return X[:, :d], gamma, means[:, :d], covs[:, :d, :d], weights


@pytest.mark.parametrize(
    ("d", "role", "trace_type"),
    [(1, "interval", "scatter"), (2, "ellipse", "scatter"), (3, "ellipsoid", "mesh3d")],
)
def test_the_view_follows_the_number_of_columns(d, role, trace_type):
    X, gamma, means, covs, weights = snapshot_in(d)
    fig = model_figure(X, gamma, means, covs, weights, (0.5, 0.9))
    shapes = traces_by_role(fig, role)
    assert len(shapes) == 3 * 2 and {t.type for t in shapes} == {trace_type}
    assert traces_by_role(fig, "points")[0].meta["n_total"] == len(X)


@pytest.mark.parametrize(("d", "view"), [(1, density_1d), (2, scatter_2d), (3, scatter_3d)])
def test_same_figure_as_the_view_itself(d, view):
    X, gamma, means, covs, weights = snapshot_in(d)
    names = ["a", "b", "c"][:d]
    options = {"highlight": {1}, "true_components": (means[:2], covs[:2]), "uirevision": "u"}
    fig = model_figure(X, gamma, means, covs, weights, column_names=names, height=500, **options)
    naming = {"column_name": names[0]} if d == 1 else {"column_names": names}
    direct = view(X, gamma, means, covs, weights, height=500, **naming, **options)
    assert fig.to_json() == direct.to_json()


def test_default_column_names_and_masses():
    X, gamma, means, covs, weights = snapshot_in(3)
    fig = model_figure(X, gamma, means, covs, weights)
    assert fig.layout.scene.zaxis.title.text == "x3"
    assert {t.meta["mass"] for t in traces_by_role(fig, "ellipsoid")} == {0.9}
    fig = model_figure(X[:, :2], gamma, means[:, :2], covs[:, :2, :2], weights)
    assert {t.meta["mass"] for t in traces_by_role(fig, "ellipse")} == {0.5, 0.9}


@pytest.mark.parametrize("d", [1, 2])
def test_picking_options_reach_the_1d_and_2d_views(d):
    X, gamma, means, covs, weights = snapshot_in(d)
    picks = [tuple(X[0]), tuple(X[1])]
    fig = model_figure(
        X, gamma, means, covs, weights, dragmode="select", picked_means=picks, height=580
    )
    assert fig.layout.dragmode == "select" and fig.layout.height == 580
    (picked,) = traces_by_role(fig, "picked")
    assert fig.data[-1] is picked and list(picked.x) == [X[0, 0], X[1, 0]]
    rebuilt(fig)


def test_no_picking_in_3d():
    X, gamma, means, covs, weights = snapshot_in(3)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        model_figure(X, gamma, means, covs, weights, dragmode="select")
    with pytest.raises(ValueError, match="1-D or 2-D"):
        model_figure(X, gamma, means, covs, weights, picked_means=[(0.0, 0.0, 0.0)])


def test_wrong_columns_are_refused():
    X, gamma, means, covs, weights = make_snapshot()
    with pytest.raises(ValueError, match="1, 2 or 3 columns"):
        model_figure(np.hstack([X, X]), gamma, means, covs, weights)
    with pytest.raises(ValueError, match="column_names needs 2"):
        model_figure(X, gamma, means, covs, weights, column_names=["a"])


@pytest.mark.parametrize("d", [1, 2, 3])
def test_the_banner_is_large_and_above_the_plot_in_every_view(d):
    X, gamma, means, covs, weights = snapshot_in(d)
    text = "Iteration 3 · after the E-step"
    fig = model_figure(X, gamma, means, covs, weights, banner=text)
    (banner,) = [a for a in fig.layout.annotations if a.name == "banner"]
    assert banner.text == text and banner.font.weight == "bold"
    assert banner.font.size >= 24 and banner.font.size > fig.layout.font.size + 8
    # In the top margin, over no data: anchored by its bottom to the top of the plot.
    assert (banner.xref, banner.yref, banner.y, banner.yanchor) == ("paper", "paper", 1, "bottom")
    assert fig.layout.margin.t >= row_height(banner.font.size)
    plain = model_figure(X, gamma, means, covs, weights)
    assert not [a for a in plain.layout.annotations if a.name == "banner"]
    assert plain.layout.margin.t < fig.layout.margin.t
    rebuilt(fig)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_the_banner_goes_over_the_subsample_note(d):
    X, gamma, means, covs, weights = snapshot_in(d)
    fig = model_figure(X, gamma, means, covs, weights, banner="Iteration 1", max_points=100)
    by_name = {a.name: a for a in fig.layout.annotations}
    note, banner = by_name["subsample_note"], by_name["banner"]
    assert note.y == banner.y == 1 and (note.yshift or 0) == 0
    assert banner.yshift >= row_height(note.font.size)
    assert fig.layout.margin.t >= banner.yshift + row_height(banner.font.size)
