"""Every point as an image: the pixel grid, its counts, mean responsibilities and colours."""

import base64
import json
import struct
import zlib

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_helpers import make_snapshot, make_snapshot_1d, traces_by_role

from gmm.figures import clicked_row, density_1d, model_figure, scatter_2d
from gmm.figures.colors import NEUTRAL, blend, hex_to_rgb
from gmm.figures.points import COLOR_STEP, display_subsample
from gmm.figures.raster import (
    ALPHA_FLOOR,
    GRID_SIZE,
    cached_grid,
    nearest_in_pixel,
    pixel_alpha,
    pixel_colors,
    pixel_grid,
    pixel_means,
    pixel_rgb,
    png_data_uri,
    rgba_image,
)
from gmm.figures.raster_traces import RUG_BINS, rug_grid
from gmm.figures.style import padded_range


def clouds(n=20_000, k=3, seed=0, scale=1.0, offset=0.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * scale + offset
    gamma = rng.dirichlet(np.ones(k), size=n)
    return X, gamma


def decode_png(uri: str) -> np.ndarray:
    """The RGBA pixels of a PNG data URI written by `png_data_uri` (filter 0 only)."""
    png = base64.b64decode(uri.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        chunks[kind] = body
        at += 12 + length
    cols, rows = struct.unpack(">II", chunks[b"IHDR"][:8])
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8)
    raw = raw.reshape(rows, 1 + 4 * cols)
    assert np.all(raw[:, 0] == 0)
    return raw[:, 1:].reshape(rows, cols, 4)


@pytest.mark.parametrize("scale, offset", [(1.0, 0.0), (1e-9, 5.0), (1e9, -3e9), (1e-300, 0)])
def test_counts_sum_to_n_at_any_scale(scale, offset):
    X, gamma = clouds(scale=scale, offset=offset)
    grid = pixel_grid(X)
    assert grid.counts.sum() == len(X)
    assert np.isfinite(grid.centres()).all() and np.isfinite(pixel_rgb(grid, gamma)).all()
    assert np.all(np.asarray(grid.pixel_size) > 0)
    assert np.all(grid.counts >= 1) and len(grid.counts) == len(grid.occupied)
    assert np.all(np.diff(grid.occupied) > 0)
    rows, cols = grid.shape
    assert cols <= GRID_SIZE[0] and rows <= GRID_SIZE[1]
    assert grid.occupied.max() < rows * cols
    np.testing.assert_array_equal(np.bincount(grid.slot), grid.counts)


def test_each_point_lies_in_its_pixel_and_edges_are_included():
    X, _ = clouds(n=5_000)
    X[:2] = [X[:, 0].min(), X[:, 1].min()], [X[:, 0].max(), X[:, 1].max()]
    grid = pixel_grid(X, x_range=(X[:, 0].min(), X[:, 0].max()), y_range=(-4.5, 4.5))
    dx, dy = grid.pixel_size
    centres = grid.centres()[grid.slot]
    assert np.all(np.abs(X[:, 0] - centres[:, 0]) <= dx / 2 * (1 + 1e-9))
    inside = np.abs(X[:, 1]) < 4.5
    assert np.all(np.abs(X[inside, 1] - centres[inside, 1]) <= dy / 2 * (1 + 1e-9))
    cols = grid.shape[1]
    assert grid.occupied[grid.slot[0]] % cols == 0  # the lowest x: first column
    assert grid.occupied[grid.slot[1]] % cols == cols - 1  # the highest: the last


def test_square_pixels_when_the_view_has_equal_scales():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3_000, 2)) * [2.0, 1.0]
    grid = pixel_grid(X)
    dx, dy = grid.pixel_size
    assert dx == pytest.approx(dy, rel=1e-12)
    assert grid.shape[1] == GRID_SIZE[0] and grid.shape[0] < GRID_SIZE[1]
    assert grid.y_range[1] >= X[:, 1].max()
    wide = np.column_stack([X[:, 0], 100 * X[:, 1]])  # unlike units: a fixed grid
    assert pixel_grid(wide).shape == GRID_SIZE[::-1]


def test_a_pixels_mean_is_the_mean_of_its_points_and_its_colour_their_blend():
    X, gamma = clouds(n=30_000, k=4)
    grid = pixel_grid(X)
    means = pixel_means(grid, gamma)
    assert means.shape == (len(grid.occupied), 4)
    np.testing.assert_allclose(means.sum(axis=1), 1.0, atol=1e-12)
    for i in np.random.default_rng(2).choice(len(grid.occupied), 50, replace=False):
        members = gamma[grid.slot == i]
        np.testing.assert_allclose(means[i], members.mean(axis=0), rtol=0, atol=1e-12)
        np.testing.assert_allclose(pixel_rgb(grid, gamma)[i], blend(members).mean(axis=0))
    index, table = pixel_colors(grid, gamma)
    assert len(index) == len(grid.occupied) and index.dtype.kind == "u"
    assert np.abs(table[index] - blend(means)).max() <= COLOR_STEP / 2


def test_before_the_first_e_step_every_pixel_is_neutral():
    X, _ = clouds(n=2_000)
    grid = pixel_grid(X)
    rgb = pixel_rgb(grid, None)
    assert np.all(rgb == hex_to_rgb(NEUTRAL))


def test_one_component_colours_every_pixel_with_it():
    X, _ = clouds(n=2_000)
    grid = pixel_grid(X)
    means = pixel_means(grid, np.ones((len(X), 1)))
    np.testing.assert_array_equal(means, 1.0)
    rgb = pixel_rgb(grid, np.ones((len(X), 1)))
    np.testing.assert_allclose(rgb, np.broadcast_to(blend(np.ones((1, 1))), rgb.shape))


def test_identical_points_fill_one_pixel():
    X = np.full((1_000, 2), 3.25)
    grid = pixel_grid(X)
    assert len(grid.occupied) == 1 and grid.counts.tolist() == [1_000]
    assert pixel_alpha(grid.counts).tolist() == [1.0]
    centre = grid.centres()[0]
    assert np.all(np.abs(centre - 3.25) <= np.asarray(grid.pixel_size))


def test_opacity_grows_with_the_count_from_the_floor():
    alpha = pixel_alpha(np.array([1, 2, 10, 100, 1000]))
    assert alpha[0] == pytest.approx(ALPHA_FLOOR) and alpha[-1] == pytest.approx(1.0)
    assert np.all(np.diff(alpha) > 0)
    assert pixel_alpha(np.ones(5, dtype=int)).tolist() == [1.0] * 5


def test_bad_data_gets_a_clear_message():
    with pytest.raises(ValueError, match="not finite"):
        pixel_grid(np.array([[0.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        pixel_grid(np.zeros((0, 2)))
    grid = pixel_grid(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"shape \(3, K\)"):
        pixel_means(grid, np.ones((4, 2)))


def test_the_png_holds_the_rgba_image_and_is_nan_free():
    X, gamma = clouds(n=10_000)
    grid = pixel_grid(X)
    index, table = pixel_colors(grid, gamma)
    image = rgba_image(grid, table[index], pixel_alpha(grid.counts))
    assert image.shape == (*grid.shape, 4) and image.dtype == np.uint8
    flat = image.reshape(-1, 4)
    empty = np.setdiff1d(np.arange(len(flat)), grid.occupied)
    assert np.all(flat[empty] == 0) and np.all(flat[grid.occupied, 3] > 0)
    np.testing.assert_array_equal(decode_png(png_data_uri(image)), image)


def test_nearest_in_pixel_is_a_real_point_of_that_pixel():
    X, _ = clouds(n=50_000)
    grid = pixel_grid(X)
    busiest = int(np.argmax(grid.counts))
    row = nearest_in_pixel(grid, X, busiest)
    members = np.flatnonzero(grid.slot == busiest)
    assert row in members
    distance = np.sum(((X[members] - grid.centres()[busiest]) / grid.pixel_size) ** 2, axis=1)
    assert row == members[np.argmin(distance)]
    with pytest.raises(ValueError, match="non-empty pixels"):
        nearest_in_pixel(grid, X, len(grid.occupied))


def test_the_grid_is_cached_per_array():
    X, _ = clouds(n=3_000)
    assert cached_grid(X) is cached_grid(X)
    assert cached_grid(X.copy()) is not cached_grid(X)


# ---------------------------------------------------------------- the 2-D view


def test_above_the_limit_the_view_draws_all_points_as_an_image():
    X, gamma, means, covs, weights = make_snapshot(n=5_000)
    fig = scatter_2d(X, gamma, means, covs, weights, max_points=1_000)
    go.Figure(json.loads(fig.to_json()))  # Plotly's full validation, which the builder skips
    (pixels,) = traces_by_role(fig, "points")
    (image,) = traces_by_role(fig, "image")
    assert fig.data[0] is pixels and fig.data[-1] is image
    assert pixels.meta["mode"] == "image" and pixels.meta["n_shown"] == len(X)
    counts = np.asarray(pixels.customdata)[:, 0]
    assert counts.sum() == len(X)
    grid = pixel_grid(X)
    np.testing.assert_allclose(np.asarray(pixels.customdata)[:, 1:], pixel_means(grid, gamma))
    np.testing.assert_allclose(np.column_stack([pixels.x, pixels.y]), grid.centres(), rtol=1e-6)
    assert "Points in this pixel: <b>%{customdata[0]:,.0f}</b>" in pixels.hovertemplate
    assert "Component 3: γ₃ %{customdata[3]:.2f}" in pixels.hovertemplate
    assert image.type == "image" and image.hoverinfo == "skip"
    rows, cols = grid.shape
    assert decode_png(image.source).shape == (rows, cols, 4)
    assert image.x0 == pytest.approx(grid.x_range[0] + grid.pixel_size[0] / 2)
    notes = [a.text for a in fig.layout.annotations]
    assert f"all 5,000 points as an image, {cols} × {rows} pixels; hover for counts" in notes


def test_below_the_limit_or_as_a_thumbnail_points_are_markers():
    X, gamma, means, covs, weights = make_snapshot(n=2_000)
    for options in ({"max_points": 5_000}, {"max_points": 1_000, "compact": True}):
        fig = scatter_2d(X, gamma, means, covs, weights, **options)
        assert not traces_by_role(fig, "image")
        assert "mode" not in traces_by_role(fig, "points")[0].meta


def test_a_click_on_a_pixel_or_a_point_selects_a_data_row():
    X, *_ = make_snapshot(n=5_000)
    grid = pixel_grid(X)
    row = clicked_row(X, 3, max_points=1_000)
    assert grid.slot[row] == 3
    assert clicked_row(X, 3, max_points=10_000) == 3
    x = X[:, :1]
    bins = rug_grid(x[:, 0], padded_range(x[:, 0]))
    assert bins.slot[clicked_row(x, 3, max_points=1_000)] == 3  # a bin of the rug
    X3 = np.column_stack([X, X[:, 0]])  # 3-D: a sample
    assert clicked_row(X3, 3, max_points=1_000) == display_subsample(5_000, 1_000)[3]


def test_above_the_limit_the_1d_rug_holds_every_point():
    x, gamma, means, variances, weights = make_snapshot_1d(n=3_000)
    fig = density_1d(x, gamma, means, variances, weights, max_points=500)
    go.Figure(json.loads(fig.to_json()))  # Plotly's full validation
    bins, strip = fig.data[0], fig.data[-1]
    assert bins.meta["role"] == "points" and bins.meta["mode"] == "image"
    assert strip.meta["role"] == "image" and strip.type == "image"
    counts = np.asarray(bins.customdata)[:, 0]
    assert counts.sum() == 3_000 and bins.meta["shape"] == [1, RUG_BINS]
    grid = rug_grid(np.asarray(x).reshape(-1), padded_range(np.asarray(x).reshape(-1)))
    np.testing.assert_allclose(np.asarray(bins.customdata)[:, 1:], pixel_means(grid, gamma))
    assert np.ptp(np.asarray(bins.y)) == 0 and float(bins.y[0]) < 0  # under the axis
    assert "Points in this bin: <b>%{customdata[0]:,.0f}</b>" in bins.hovertemplate
    notes = [a.text for a in fig.layout.annotations]
    assert any(note.startswith("rug: all 3,000 points in 400 bins") for note in notes)
    ringed = model_figure(
        x[:, None],
        gamma,
        means[:, None],
        variances[:, None, None],
        weights,
        max_points=500,
        selected_point=7,
    )
    (ring,) = traces_by_role(ringed, "selected")
    assert ring.x[0] == pytest.approx(float(np.asarray(x).reshape(-1)[7]))
