"""Tests for gmm.figures.svg_or_webgl: a small view draws as SVG, a large one as WebGL,
never a mix (Plotly draws every WebGL trace above every SVG one)."""

import numpy as np
import pytest
from figure_helpers import make_snapshot, make_snapshot_1d, rebuilt, traces_by_role

from gmm.figures.model import model_figure
from gmm.figures.svg_or_webgl import SVG_MAX_POINTS, as_svg, draws_svg, matching

MASSES = (0.5, 0.9)
#: Scatter traces of a view that are not legend-only keys: drawn, so all of one kind.
DRAWN_ROLES = ("points", "ellipse", "mean", "truth", "picked", "changed", "ghost", "selected")


def scatter_kinds(figure) -> set[str]:
    """The trace types of the figure's drawn scatter traces (points, outlines, marks)."""
    return {
        t.type
        for t in figure.data
        if t.type in ("scatter", "scattergl") and (t.meta or {}).get("role") in DRAWN_ROLES
    }


def figure_2d(n: int, **options):
    X, gamma, means, covs, weights = make_snapshot(n=n)
    previous = (means + 0.5, covs, weights)
    return model_figure(
        X,
        gamma,
        means,
        covs,
        weights,
        MASSES,
        true_components=(means, covs),
        picked_means=means[:2],
        changed_points=np.arange(0, n, 7),
        previous=previous,
        selected_point=3,
        **options,
    )


def figure_1d(n: int, **options):
    x, gamma, means, variances, weights = make_snapshot_1d(n=n)
    previous = (means[:, None] + 0.5, variances[:, None, None], weights)
    return model_figure(
        x[:, None],
        gamma,
        means[:, None],
        variances[:, None, None],
        weights,
        MASSES,
        picked_means=means[:2, None],
        changed_points=np.arange(0, n, 7),
        previous=previous,
        selected_point=3,
        **options,
    )


@pytest.mark.parametrize("build", [figure_2d, figure_1d], ids=["2-D", "1-D"])
@pytest.mark.parametrize(
    ("n", "kind"), [(SVG_MAX_POINTS, "scatter"), (SVG_MAX_POINTS + 1, "scattergl")]
)
def test_every_drawn_scatter_trace_is_of_the_points_kind(build, n, kind):
    figure = build(n)
    (points,) = traces_by_role(figure, "points")
    assert points.type == kind and len(points.x) == n
    for role in ("changed", "ghost", "selected", "picked"):
        assert traces_by_role(figure, role), f"the overlay {role!r} is there to be checked"
    # 1-D draws its curves, brackets and marks as SVG in both kinds (the rug lies in a
    # band of its own); only its rug, picked means and rings follow the points.
    expected = {kind} if build is figure_2d or kind == "scatter" else {"scatter", "scattergl"}
    assert scatter_kinds(figure) == expected, "outlines, means and marks drawn as the points"
    assert {t.type for t in traces_by_role(figure, "picked")} == {kind}
    assert {t.type for t in traces_by_role(figure, "changed")} == {kind}
    assert scatter_kinds(rebuilt(figure)) == expected  # valid Plotly either way


def test_a_sample_of_a_large_data_set_counts_its_drawn_points():
    # 5,000 points drawn as a sample of 800: the chart holds 800 markers, so SVG
    figure = figure_2d(5_000, max_points=800, as_image=False)
    assert len(traces_by_role(figure, "points")[0].x) == 800
    assert scatter_kinds(figure) == {"scatter"}


def test_the_image_mode_stays_webgl():
    # every point as pixels: trace 0 is one hover marker per non-empty pixel
    figure = figure_2d(3_000, max_points=2_000)
    assert traces_by_role(figure, "image")
    assert scatter_kinds(figure) == {"scattergl"}


def test_a_filled_outline_hovers_on_its_points_as_in_webgl():
    # else the shaded ellipse takes the hover and clicks of the points inside it
    figure = rebuilt(figure_2d(300))
    filled = [t for t in traces_by_role(figure, "ellipse") if t.fill == "toself"]
    assert filled and all(t.hoveron == "points" for t in filled)
    webgl = traces_by_role(figure_2d(2_000), "ellipse")  # scattergl has no hoveron
    assert all("hoveron" not in t.to_plotly_json() for t in webgl)


def test_the_rule_and_its_helpers():
    assert draws_svg(0) and draws_svg(SVG_MAX_POINTS) and not draws_svg(SVG_MAX_POINTS + 1)
    traces = [{"type": "scattergl", "x": [1]}, {"type": "scatter3d"}, {"type": "bar"}]
    svg = as_svg(traces)
    assert [t["type"] for t in svg] == ["scatter", "scatter3d", "bar"]
    assert traces[0]["type"] == "scattergl", "the input is not changed"
    assert svg[1] is traces[1] and svg[0]["x"] == [1]
    assert [t["type"] for t in matching(traces, "scatter")] == ["scatter", "scatter3d", "bar"]
    assert matching(traces, "scattergl") == traces
    assert matching(traces, "scatter3d") == traces
