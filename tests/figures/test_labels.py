"""Tests for gmm.figures.labels: where the mass label of each outline goes."""

import numpy as np
import pytest

from gmm.figures.geometry import ellipse
from gmm.figures.labels import LabelPlace, inside_ellipses, label_box, place_labels, points_inside

FONT = 16


def test_points_inside_an_ellipse_match_the_mahalanobis_test():
    outline = ellipse(np.array([1.0, -1.0]), np.diag([4.0, 1.0]), 0.9, n_points=400)
    points = np.random.default_rng(0).uniform(-6, 6, size=(2000, 2))
    radius2 = (points[:, 0] - 1.0) ** 2 / 4 + (points[:, 1] + 1.0) ** 2
    r2 = -2 * np.log(0.1)  # chi-square quantile for 2 degrees of freedom
    clear = np.abs(radius2 - r2) > 0.05  # off the (polygonal) boundary
    np.testing.assert_array_equal(points_inside(points, outline)[clear], (radius2 < r2)[clear])


def test_label_box_sits_outward_of_its_anchor():
    scale = (100.0, 50.0)  # px per unit
    top = label_box(LabelPlace(0.0, 0.0, "top center"), "90%", FONT, scale)
    assert top[0, 1] == 0.0 and top[0, 0] == pytest.approx(-top[1, 0])
    left = label_box(LabelPlace(0.0, 0.0, "middle left"), "90%", FONT, scale)
    assert left[1, 0] == 0.0 and left[0, 1] == pytest.approx(-left[1, 1])
    assert (top[1] - top[0]) == pytest.approx([(0.62 * 3 + 0.4) * FONT / 100, 1.3 * FONT / 50])


def boxes(places, texts, area):
    spans = [hi - lo for lo, hi in area]
    scale = min(520 / spans[0], 380 / spans[1])
    return [label_box(p, t, FONT, (scale, scale)) for p, t in zip(places, texts)]


def test_a_label_at_the_top_edge_moves_inside_the_area():
    """An ellipse that reaches the top of the plot: the label goes where it can be read."""
    outline = ellipse(np.array([0.0, 3.5]), np.eye(2), 0.9, n_points=100)
    area = ([-6.0, 6.0], [-6.0, 5.0])
    (place,) = place_labels([outline], ["90%"], FONT, area)
    assert place.position != "top center"
    ((low, high),) = boxes([place], ["90%"], area)
    assert area[0][0] <= low[0] and high[0] <= area[0][1]
    assert area[1][0] <= low[1] and high[1] <= area[1][1]


def test_a_label_stays_inside_when_the_outline_is_larger_than_the_plot():
    outline = ellipse(np.zeros(2), np.eye(2) * 100, 0.9, n_points=100)
    area = ([-5.0, 5.0], [-5.0, 5.0])
    (place,) = place_labels([outline], ["90%"], FONT, area)
    assert -5 <= place.x <= 5 and -5 <= place.y <= 5


def test_a_label_avoids_the_neighbouring_outline():
    """The top of the small ellipse lies inside the large one: its label goes elsewhere."""
    small = ellipse(np.array([0.0, 0.0]), np.diag([1.0, 0.25]), 0.9, n_points=100)
    large = ellipse(np.array([0.0, 2.2]), np.diag([1.0, 0.5]), 0.9, n_points=100)
    area = ([-8.0, 8.0], [-6.0, 8.0])
    places = place_labels([small, large], ["90%", "90%"], FONT, area)
    box = boxes(places, ["90%", "90%"], area)[0]
    corners = np.array([[x, y] for x in box[:, 0] for y in box[:, 1]])
    assert not points_inside(corners, large).any()
    assert places[0].position != "top center"  # where it sat before: inside the other


def test_identical_outlines_get_labels_in_different_places():
    outline = ellipse(np.zeros(2), np.eye(2), 0.9, n_points=100)
    area = ([-6.0, 6.0], [-6.0, 6.0])
    places = place_labels([outline] * 3, ["90%"] * 3, FONT, area)
    assert len({(p.x, p.y, p.position) for p in places}) == 3


def test_the_ellipse_test_agrees_with_the_polygon_test():
    means = np.array([[0.0, 0.0], [2.0, 1.0], [1.0, 1.0]])
    covs = np.array([[[2.0, 0.6], [0.6, 1.0]], [[0.5, 0.0], [0.0, 0.2]], [[0.0, 0.0], [0.0, 0.0]]])
    radius = np.sqrt(-2 * np.log(0.1))
    polygons = np.stack([ellipse(m, c, 0.9, n_points=400) for m, c in zip(means, covs)])
    points = np.random.default_rng(3).uniform(-4, 4, size=(3000, 2))
    exact = inside_ellipses(means, covs, radius)(points)
    assert exact.shape == (3000, 3) and not exact[:, 2].any()  # a collapsed one holds nothing
    polygon = points_inside(points, polygons)
    assert np.mean(exact[:, :2] == polygon[:, :2]) > 0.995  # up to the polygon's chords
