"""Tests for gmm.figures.choose_k and gmm.figures.optima: the Choose K page's figures."""

import json

import numpy as np
import plotly.graph_objects as go
from figure_helpers import make_snapshot, traces_by_role

from gmm import figures as fs
from gmm.figures.style import row_height
from gmm.figures.view_2d import scatter_2d


def validated(figure):
    """Rebuild from JSON with Plotly's full validation (the builders skip it)."""
    return go.Figure(json.loads(figure.to_json()))


def as_plain(value):
    return value.to_plotly_json() if hasattr(value, "to_plotly_json") else value


def test_criterion_plot_zooms_on_the_better_half_and_marks_the_best():
    ks = np.arange(1, 6)
    curves = {
        "full": (ks, np.array([500.0, 300, 290, 295, np.nan])),
        "spherical": (ks, np.array([5000.0, 4000, 3000, 2000, 1000])),
    }
    figure = validated(
        fs.criterion_plot(
            curves, ("full", 3, 290.0), criterion="BIC", degenerate={"full": [5]}, zoom=True
        )
    )
    kinds = [t.meta["role"] for t in figure.data]
    assert kinds == ["criterion", "criterion", "degenerate", "best"]
    low, high = figure.layout.yaxis.range
    assert low < 290 < high < 5000 and high >= np.nanmedian(
        np.r_[curves["full"][1], curves["spherical"][1]]
    )
    assert "best: full, K = 3" in figure.layout.annotations[0].text
    assert list(figure.data[2].x) == [5] and figure.data[2].yaxis == "y2"
    assert "lower is better" in figure.layout.yaxis.title.text
    unzoomed = validated(fs.criterion_plot(curves, None))
    assert unzoomed.layout.yaxis.range is None and "best" not in [
        t.meta["role"] for t in unzoomed.data
    ]


def test_restart_figures_have_one_box_per_method_and_one_line_per_run():
    finals = {"kmeans": np.array([-10.0, -10.0, np.nan]), "random": np.array([-12.0, -10])}
    strip = validated(
        fs.final_loglik_plot(
            finals, {"kmeans": [1, 3, 5], "random": [2, 4]}, solutions=[-10.0, -12.0]
        )
    )
    assert [t.meta["method"] for t in strip.data] == ["kmeans", "random"]
    assert len(strip.data[0].y) == 2, "NaN (failed) runs are left out"
    assert [a.text for a in strip.layout.annotations] == ["S1", "S2"]
    curves = [np.array([-50.0, -20, -10]), np.array([-40.0, -12]), np.empty(0)]
    overlay = validated(fs.loglik_overlay(curves, ["kmeans", "random", "random"]))
    assert len(overlay.data) == 2 and [t.showlegend for t in overlay.data] == [True, True]
    assert overlay.layout.yaxis.range[0] < -20 and overlay.layout.yaxis.range[0] > -40


def test_runs_at_one_optimum_do_not_look_spread_out():
    finals = {"kmeans": np.array([-716.95835, -716.95836]), "random": np.array([-716.95837])}
    strip = validated(fs.final_loglik_plot(finals, {"kmeans": [1, 2], "random": [3]}))
    low, high = strip.layout.yaxis.range
    assert high - low >= fs.MIN_LOGLIK_SPAN and low < -716.96 < -716.95 < high


def test_thumbnails_are_compact_scatter_2d_figures():
    X, gamma, means, covs, weights = make_snapshot(n=4000)
    thumb = validated(fs.model_thumbnail(X, gamma, means, covs, weights, title="1.", height=230))
    assert thumb.layout.height == 230 and thumb.layout.showlegend is False
    assert traces_by_role(thumb, "points")[0].meta["n_shown"] == 3000
    full = scatter_2d(X, gamma, means, covs, weights, max_points=None)
    assert [t.meta["role"] for t in thumb.data] == [t.meta["role"] for t in full.data]
    # A full-size view of as many points draws them all, as an image; a thumbnail never.
    full = scatter_2d(X, gamma, means, covs, weights, max_points=3000)
    assert [t.meta["role"] for t in full.data] == [t.meta["role"] for t in thumb.data] + ["image"]
    data = validated(fs.data_thumbnail(X, height=200))
    assert [t.meta["role"] for t in data.data] == ["points"] and data.layout.height == 200
    (note,) = data.layout.annotations  # 3,000 of 4,000 points: the note gets its own row
    assert data.layout.title.text is None and data.layout.margin.t == row_height(note.font.size) + 8


def test_thumbnail_title_and_subsample_note_take_separate_rows():
    """The title on the top row, "showing 3,000 of 4,000 points" under it, the plot below."""
    X, gamma, means, covs, weights = make_snapshot(n=4000)
    thumb = fs.model_thumbnail(X, gamma, means, covs, weights, title="1. full, K = 3 · BIC 9,999.9")
    title = thumb.layout.title
    (note,) = thumb.layout.annotations
    assert note.text == "showing 3,000 of 4,000 points"
    assert (title.yref, title.y, title.yanchor) == ("container", 1, "top")
    title_bottom = title.pad.t + row_height(title.font.size)  # px from the top of the figure
    note_top = thumb.layout.margin.t - row_height(note.font.size)  # the note sits on the plot
    assert title_bottom <= note_top
    assert (note.yref, note.y, note.yanchor) == ("paper", 1, "bottom")


def test_choose_k_panels_share_the_explore_style():
    X, gamma, means, covs, weights = make_snapshot()
    explore = scatter_2d(X, gamma, means, covs, weights)
    panels = [
        fs.criterion_plot({"full": (np.arange(1, 4), np.array([3.0, 2, 1]))}),
        fs.final_loglik_plot({"kmeans": np.array([-3.0, -2])}, {"kmeans": [1, 2]}),
        fs.loglik_overlay([np.array([-3.0, -2, -1])], ["kmeans"]),
    ]
    for panel in panels:
        assert panel.layout.font == explore.layout.font
        assert panel.layout.hoverlabel == explore.layout.hoverlabel
        for axis in (panel.layout.xaxis, panel.layout.yaxis):
            for key in ("tickfont", "gridcolor", "showgrid", "linecolor"):
                assert as_plain(axis[key]) == as_plain(explore.layout.xaxis[key]), key
            assert as_plain(axis.title.font) == as_plain(explore.layout.xaxis.title.font)
