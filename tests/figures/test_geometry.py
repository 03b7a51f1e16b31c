"""Tests for gmm.figures.geometry: probability contours of Gaussians."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from gmm.figures.geometry import (
    ellipse,
    ellipses,
    ellipsoid,
    ellipsoid_mesh,
    grid_triangles,
    interval,
    mahalanobis_radius,
    marginal,
    mass_of_radius,
)

MASSES = (0.5, 0.9, 0.95)
N_MC = 200_000


# ------------------------------------------------------------------ helpers


def rotation(angle: float) -> np.ndarray:
    """2-D rotation matrix."""
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


def spd(eigenvalues, angle: float) -> np.ndarray:
    """2x2 covariance with the given eigenvalues rotated by ``angle``."""
    r = rotation(angle)
    return r @ np.diag(eigenvalues) @ r.T


def random_spd(rng: np.random.Generator, dim: int) -> np.ndarray:
    """Well-conditioned random covariance matrix."""
    a = rng.normal(size=(dim, dim))
    return a @ a.T + 0.3 * np.eye(dim)


def mahalanobis(points: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Mahalanobis distance of each row of ``points``."""
    diff = points - mean
    return np.sqrt(np.einsum("...i,...i->...", diff, np.linalg.solve(cov, diff.T).T))


def cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """z-component of the 2-D cross product, row-wise."""
    return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]


def inside_convex_polygon(points: np.ndarray, polygon: np.ndarray, centre: np.ndarray):
    """Whether each point lies inside a closed convex polygon around ``centre``.

    The edge crossed by the ray from ``centre`` to a point is found by
    sorting the vertices by polar angle; the point is inside when it lies
    on the same side of that edge as the centre.
    """
    vertices = polygon[:-1]
    angles = np.arctan2(*(vertices - centre).T[::-1])
    order = np.argsort(angles)
    vertices, angles = vertices[order], angles[order]
    point_angles = np.arctan2(*(points - centre).T[::-1])
    edge = (np.searchsorted(angles, point_angles) - 1) % len(vertices)
    a, b = vertices[edge], np.roll(vertices, -1, axis=0)[edge]
    return cross(b - a, points - a) * cross(b - a, centre - a) >= 0


def assert_mass_close(inside: np.ndarray, mass: float) -> None:
    """Monte-Carlo fraction within 4 standard errors of ``mass``."""
    se = np.sqrt(mass * (1 - mass) / inside.size)
    assert abs(inside.mean() - mass) < 4 * se, (inside.mean(), mass)


# ------------------------------------------------------- radius and mass


def test_radius_matches_closed_forms():
    assert mahalanobis_radius(0.95, 1) == pytest.approx(1.959963984540054, abs=1e-12)
    for m in MASSES:  # chi2 with 2 dof is exponential: r^2 = -2 log(1 - m)
        assert mahalanobis_radius(m, 2) == pytest.approx(np.sqrt(-2 * np.log1p(-m)))


def test_two_sigma_in_two_dimensions_holds_86_5_percent():
    assert mass_of_radius(2.0, 2) == pytest.approx(0.8647, abs=5e-5)
    assert mass_of_radius(2.0, 1) == pytest.approx(0.9545, abs=5e-5)


@pytest.mark.parametrize("dim", [1, 2, 3, 5])
@pytest.mark.parametrize("mass", MASSES)
def test_radius_and_mass_are_inverse(mass, dim):
    assert mass_of_radius(mahalanobis_radius(mass, dim), dim) == pytest.approx(mass)


def test_mass_of_radius_is_vectorised():
    r = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(mass_of_radius(r, 2), 1 - np.exp(-(r**2) / 2))


@pytest.mark.parametrize("mass", [0.0, 1.0, -0.1, 1.5, np.nan])
def test_invalid_mass_raises(mass):
    with pytest.raises(ValueError):
        mahalanobis_radius(mass, 2)
    with pytest.raises(ValueError):
        ellipse(np.zeros(2), np.eye(2), mass)


@pytest.mark.parametrize("dim", [0, -1, 1.5])
def test_invalid_dim_raises(dim):
    with pytest.raises(ValueError):
        mahalanobis_radius(0.5, dim)


def test_negative_radius_raises():
    with pytest.raises(ValueError):
        mass_of_radius(-1.0, 2)


# ------------------------------------------------------------ 2-D outlines


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-1e3, 1e3),
    st.floats(-1e3, 1e3),
    st.floats(1e-2, 1e2),
    st.floats(1e-2, 1e2),
    st.floats(0, np.pi),
    st.sampled_from(MASSES),
)
def test_outline_points_lie_at_the_mass_radius(mx, my, l1, l2, angle, mass):
    mean, cov = np.array([mx, my]), spd([l1, l2], angle)
    outline = ellipse(mean, cov, mass)
    d = mahalanobis(outline, mean, cov)
    np.testing.assert_allclose(d, mahalanobis_radius(mass, 2), rtol=1e-10)


def test_outline_is_closed_with_requested_length():
    outline = ellipse(np.array([1.0, 2.0]), spd([2.0, 0.5], 0.3), 0.9, n_points=57)
    assert outline.shape == (57, 2)
    np.testing.assert_array_equal(outline[0], outline[-1])


def test_ellipses_match_single_ellipse():
    rng = np.random.default_rng(0)
    means = rng.normal(size=(4, 2))
    covs = np.stack([random_spd(rng, 2) for _ in range(4)])
    batch = ellipses(means, covs, 0.9, n_points=30)
    assert batch.shape == (4, 30, 2)
    for k in range(4):
        np.testing.assert_allclose(batch[k], ellipse(means[k], covs[k], 0.9, 30))


@pytest.mark.parametrize("mass", MASSES)
def test_ellipse_encloses_mass_monte_carlo(mass):
    rng = np.random.default_rng(42)
    mean, cov = np.array([1.0, -2.0]), spd([3.0, 0.2], 0.7)
    samples = rng.multivariate_normal(mean, cov, size=N_MC)
    polygon = ellipse(mean, cov, mass, n_points=400)
    assert_mass_close(inside_convex_polygon(samples, polygon, mean), mass)


def test_rotation_equivariance():
    mean, cov, r = np.array([0.5, 1.0]), spd([4.0, 0.5], 0.2), rotation(1.1)
    rotated_outline = ellipse(mean, cov, 0.9, n_points=2000) @ r.T
    outline_of_rotated = ellipse(r @ mean, r @ cov @ r.T, 0.9, n_points=2000)
    gaps = np.linalg.norm(rotated_outline[:, None] - outline_of_rotated[None], axis=-1)
    spacing = 2 * np.pi * 2 * mahalanobis_radius(0.9, 2) / 2000
    assert gaps.min(axis=1).max() < spacing  # same curve, maybe other start
    assert gaps.min(axis=0).max() < spacing


def test_scale_and_translation_equivariance():
    mean, cov = np.array([0.5, 1.0]), spd([4.0, 0.5], 0.2)
    scale, shift = 3.0, np.array([-7.0, 2.0])
    base = ellipse(mean, cov, 0.5)
    np.testing.assert_allclose(ellipse(scale * mean, scale**2 * cov, 0.5), scale * base)
    np.testing.assert_allclose(ellipse(mean + shift, cov, 0.5), base + shift)


@pytest.mark.parametrize(
    "cov",
    [
        np.array([[1.0, 1.0], [1.0, 1.0]]),  # rank 1
        np.zeros((2, 2)),  # collapsed to a point
        np.array([[1.0, 1.0 + 1e-12], [1.0 + 1e-12, 1.0]]),  # slightly indefinite
        np.diag([1e-300, 1.0]),
    ],
)
def test_degenerate_covariance_gives_finite_outline(cov):
    outline = ellipse(np.array([1.0, 2.0]), cov, 0.9)
    assert np.isfinite(outline).all()
    # the outline collapses onto the span of the covariance
    _, vecs = np.linalg.eigh(cov)
    assert np.abs((outline - [1.0, 2.0]) @ vecs[:, 0]).max() < 1e-5


# --------------------------------------------------------------------- 3-D


def test_ellipsoid_surface_lies_at_the_mass_radius():
    rng = np.random.default_rng(1)
    mean, cov = rng.normal(size=3), random_spd(rng, 3)
    x, y, z = ellipsoid(mean, cov, 0.9, n_u=24, n_v=16)
    assert x.shape == y.shape == z.shape == (16, 24)
    points = np.stack([x, y, z], axis=-1).reshape(-1, 3)
    np.testing.assert_allclose(
        mahalanobis(points, mean, cov), mahalanobis_radius(0.9, 3), rtol=1e-10
    )


@pytest.mark.parametrize("mass", MASSES)
def test_ellipsoid_encloses_mass_monte_carlo(mass):
    rng = np.random.default_rng(7)
    mean, cov = np.array([1.0, 0.0, -1.0]), random_spd(rng, 3)
    samples = rng.multivariate_normal(mean, cov, size=N_MC)
    # the surface is checked point-wise above; here the radius itself
    inside = mahalanobis(samples, mean, cov) <= mahalanobis_radius(mass, 3)
    assert_mass_close(inside, mass)


def test_ellipsoid_mesh_indices_are_valid():
    mesh = ellipsoid_mesh(np.zeros(3), np.diag([1.0, 2.0, 3.0]), 0.5, n_u=10, n_v=6)
    assert mesh.x.shape == (60,)
    assert mesh.i.shape == mesh.j.shape == mesh.k.shape == (2 * 9 * 5,)
    triangles = np.column_stack([mesh.i, mesh.j, mesh.k])
    assert triangles.min() == 0 and triangles.max() == 59
    assert set(mesh._asdict()) == {"x", "y", "z", "i", "j", "k"}


def test_grid_triangles_cover_each_cell_once():
    triangles = grid_triangles(3, 4)
    assert triangles.shape == (2 * 2 * 3, 3)
    assert len({tuple(sorted(t)) for t in triangles.tolist()}) == len(triangles)


def test_degenerate_ellipsoid_is_finite():
    x, y, z = ellipsoid(np.zeros(3), np.diag([1.0, 0.0, -1e-15]), 0.9)
    assert np.isfinite([x, y, z]).all()
    np.testing.assert_allclose(z, 0.0, atol=1e-6)


# --------------------------------------------------------------------- 1-D


def test_interval_known_value():
    lo, hi = interval(10.0, 4.0, 0.95)
    assert (lo, hi) == pytest.approx((10 - 2 * 1.959963984540054, 10 + 2 * 1.959963984540054))


@pytest.mark.parametrize("mass", MASSES)
def test_interval_encloses_mass_monte_carlo(mass):
    rng = np.random.default_rng(3)
    samples = rng.normal(2.0, 3.0, size=N_MC)
    lo, hi = interval(2.0, 9.0, mass)
    assert_mass_close((samples >= lo) & (samples <= hi), mass)


def test_interval_is_vectorised_and_tolerates_zero_variance():
    lo, hi = interval(np.array([0.0, 1.0]), np.array([1.0, -1e-18]), 0.5)
    np.testing.assert_allclose(hi - lo, [2 * stats.norm.ppf(0.75), 0.0])


# ----------------------------------------------------------------- marginal


def test_marginal_takes_the_block():
    rng = np.random.default_rng(5)
    mean, cov = rng.normal(size=4), random_spd(rng, 4)
    m, c = marginal(mean, cov, [3, 1])
    np.testing.assert_array_equal(m, mean[[3, 1]])
    np.testing.assert_array_equal(c, [[cov[3, 3], cov[3, 1]], [cov[1, 3], cov[1, 1]]])


def test_marginal_of_a_stack_and_a_single_axis():
    rng = np.random.default_rng(6)
    means = rng.normal(size=(3, 4))
    covs = np.stack([random_spd(rng, 4) for _ in range(3)])
    m, c = marginal(means, covs, (0, 2))
    assert m.shape == (3, 2) and c.shape == (3, 2, 2)
    m1, c1 = marginal(means[0], covs[0], 2)
    assert m1.shape == (1,) and c1.shape == (1, 1) and c1[0, 0] == covs[0, 2, 2]


def test_marginal_ellipse_encloses_mass_of_projected_samples():
    rng = np.random.default_rng(8)
    mean, cov = rng.normal(size=3), random_spd(rng, 3)
    samples = rng.multivariate_normal(mean, cov, size=N_MC)[:, [0, 2]]
    m, c = marginal(mean, cov, [0, 2])
    assert_mass_close(inside_convex_polygon(samples, ellipse(m, c, 0.9, 400), m), 0.9)
