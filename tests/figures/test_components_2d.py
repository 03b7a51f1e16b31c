"""Tests for gmm.figures.components_2d: the outlines of the 2-D view."""

import numpy as np

from gmm.figures.components_2d import dashed as cut_dashes
from gmm.figures.geometry import ellipse


def test_dashes_lie_on_the_outline():
    outline = ellipse(np.zeros(2), np.diag([4.0, 1.0]), 0.9, n_points=400)
    dashed = cut_dashes(outline, 24, 0.6)
    assert dashed.shape == (24 * 5, 2) and np.isnan(dashed[4::5]).all()
    points = dashed[np.isfinite(dashed[:, 0])]
    radius = np.sqrt(points[:, 0] ** 2 / 4 + points[:, 1] ** 2)
    np.testing.assert_allclose(radius, np.sqrt(-2 * np.log(0.1)), rtol=1e-3)
    np.testing.assert_array_equal(cut_dashes(outline, 0, 1.0), outline)
