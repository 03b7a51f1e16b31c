"""Bishop's figure 9.8 as small multiples (`gmm.figures.small_multiples`)."""

from __future__ import annotations

import numpy as np
import pytest

from gmm.figures.small_multiples import cycle_thumbnails, lesson_figure, marked_curve

CURVE = np.array([-900.0, -506.1, -466.8, -450.0, -440.0, -432.5, -400.0, -385.5])


def test_marked_curve_labels_the_chosen_cycles_at_their_values():
    figure = marked_curve(CURVE, [1, 2, 5, 7, 99])
    line, marks = figure.data
    assert list(line.x) == list(range(1, len(CURVE)))  # the start (L = 0) is left out
    assert list(marks.x) == [1, 2, 5, 7]  # a cycle the run never reached is not marked
    np.testing.assert_array_equal(marks.y, CURVE[[1, 2, 5, 7]])
    assert list(marks.text) == ["L = 1", "L = 2", "L = 5", "L = 7"]


def test_marked_curve_leaves_room_below_the_lowest_label():
    """The lowest mark's label hangs below it: the y axis reaches far enough down for it
    (it used to be clipped by the axis, docs/lessons/03_bishop_9_8-step6.png)."""
    low, high = marked_curve(CURVE, [1, 2, 5, 7]).layout.yaxis.range
    span = CURVE[1:].max() - CURVE[1:].min()
    assert low <= CURVE[1:].min() - 0.1 * span
    assert high >= CURVE[1:].max()


@pytest.mark.parametrize("curve", [np.array([-3.0, -2.0]), np.array([-3.0, -2.0, -2.0])])
def test_marked_curve_of_a_flat_or_single_cycle_run_has_a_proper_range(curve):
    low, high = marked_curve(curve, [1]).layout.yaxis.range
    assert low < -2.0 < high


def test_cycle_thumbnails_titles_each_panel_with_its_cycles_and_log_likelihood():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    resp = np.full((40, 2), 0.5)
    fit = (resp, np.zeros((2, 2)), np.stack([np.eye(2)] * 2), np.array([0.5, 0.5]))
    figures = cycle_thumbnails(X, [(1, *fit, -506.14), (20, *fit, -385.46)])
    titles = [f.layout.title.text for f in figures]
    assert "L = 1" in titles[0] and "−506.1" in titles[0]
    assert "L = 20" in titles[1] and "−385.5" in titles[1]


def test_lesson_figure_points_an_arrow_at_the_point_in_2d():
    X = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 1.0]])
    resp = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    means, covs = np.array([[0.0, 0.0], [3.0, 1.0]]), np.stack([np.eye(2)] * 2)
    figure = lesson_figure(X, resp, means, covs, np.array([0.5, 0.5]), [0.5], point=1)
    arrows = [a for a in figure.layout.annotations if a.showarrow]
    assert [(a.x, a.y) for a in arrows] == [(1.0, 2.0)]
