"""The image mode played in the browser: the frames' colour codes per non-empty pixel
(`pages/shared/history_player.py`, `gmm.figures.history_frames.color_codes` of
`gmm.figures.raster.pixel_means`) give exactly the picture the server draws
(`gmm.figures.raster_traces`), on the grid the view draws on (`view_grid`)."""

from __future__ import annotations

import numpy as np
import pytest

from gmm.figures import raster_traces as raster_traces_module
from gmm.figures.history_frames import LEVELS, color_codes
from gmm.figures.points import COLOR_STEP, MAX_POINTS
from gmm.figures.raster import pixel_alpha, pixel_colors, pixel_means, rgba_image
from gmm.figures.raster_traces import raster_traces, rug_traces, view_grid
from gmm.figures.style import padded_range
from gmm.figures.view_1d import density_1d

N = MAX_POINTS + 5_000


def _data(d: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(-2, 1, (N // 2, d)), rng.normal(2, 0.7, (N - N // 2, d))])
    gamma = rng.dirichlet([0.5, 0.5, 0.5], size=N)
    return X, gamma


def _decoded(codes: np.ndarray) -> np.ndarray:
    """What assets/history_player.js makes of a colour code: RGB, shape (m, 3)."""
    levels = np.stack([codes // (LEVELS * LEVELS), codes // LEVELS % LEVELS, codes % LEVELS], 1)
    return np.minimum(255, levels * COLOR_STEP)


def test_below_the_limit_the_view_draws_points_and_has_no_grid():
    X, _ = _data(2)
    assert view_grid(X[:MAX_POINTS], MAX_POINTS) is None
    assert view_grid(X, None) is None
    assert view_grid(np.column_stack([X, X[:, :1]]), MAX_POINTS) is None  # 3-D: a sample


def test_2d_codes_per_pixel_rebuild_the_servers_picture_exactly():
    X, gamma = _data(2)
    grid = view_grid(X, MAX_POINTS)
    pixels, _, _ = raster_traces(X, gamma, column_names=("x1", "x2"))
    assert len(pixels["x"]) == len(grid.occupied), "trace 0 holds one marker per pixel"
    codes = color_codes(pixel_means(grid, gamma), len(grid.occupied))
    index, table = pixel_colors(grid, gamma)
    served = rgba_image(grid, table[index], pixel_alpha(grid.counts))
    painted = rgba_image(grid, _decoded(codes), pixel_alpha(grid.counts))
    np.testing.assert_array_equal(painted, served)


def test_1d_codes_per_bin_follow_the_rug_the_view_draws():
    X, gamma = _data(1)
    grid = view_grid(X, MAX_POINTS)
    assert grid is view_grid(X, MAX_POINTS), "computed once per array"
    view = padded_range(X[:, 0])
    pixels, _, _ = rug_traces(X[:, 0], gamma, grid=grid, band=(-1.0, -0.5), column_name="x1")
    np.testing.assert_allclose(pixels["x"], grid.centres()[:, 0], rtol=0, atol=1e-6 * np.ptp(view))
    codes = color_codes(pixel_means(grid, gamma), len(grid.occupied))
    index, table = pixel_colors(grid, gamma)
    np.testing.assert_array_equal(_decoded(codes), table[index])


@pytest.mark.parametrize("d", [1, 2])
def test_before_the_first_e_step_every_pixel_is_grey_in_both(d):
    X, _ = _data(d)
    grid = view_grid(X, MAX_POINTS)
    index, table = pixel_colors(grid, None)
    np.testing.assert_array_equal(_decoded(color_codes(None, len(grid.occupied))), table[index])


def test_the_1d_view_bins_its_rug_once_per_data_set(monkeypatch):
    """The page passes the same (n, 1) array on every rerun: its rug is binned once,
    and the bins the view draws are the grid the browser's frames are coded on."""
    X, gamma = _data(1)
    binned = []
    real = raster_traces_module.rug_grid
    monkeypatch.setattr(
        raster_traces_module, "rug_grid", lambda *a, **k: binned.append(1) or real(*a, **k)
    )
    model = (np.array([[-2.0], [2.0]]), np.array([1.0, 0.5]), np.array([0.5, 0.5]))
    first = density_1d(X, gamma[:, :2], *model)
    again = density_1d(X, gamma[:, :2], *model)
    assert len(binned) == 1
    grid = view_grid(X, MAX_POINTS)
    for figure in (first, again):
        np.testing.assert_allclose(figure.data[0].x, grid.centres()[:, 0])
