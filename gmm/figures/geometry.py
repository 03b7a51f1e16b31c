"""Probability-contour geometry of Gaussian distributions.

Everything a figure needs to draw a Gaussian component as a shape: the
ellipse (2-D), ellipsoid (3-D) or interval (1-D) that encloses a given
probability mass, plus the conversions between "mass" and "radius".

A level set of a d-dimensional Gaussian N(mu, Sigma) is the set of points
at Mahalanobis distance r from the mean,

    (x - mu)^T Sigma^{-1} (x - mu) = r^2,

and the squared Mahalanobis distance of a sample is chi-square distributed
with d degrees of freedom.  Hence the region inside radius r holds mass
``chi2.cdf(r**2, d)`` and the region holding mass m has radius
``sqrt(chi2.ppf(m, d))``.  Note that the familiar "2 sigma holds 95%" is
only true in 1-D: in 2-D the 2-sigma ellipse holds 86.5%, in 3-D 73.9%.

Outlines are computed from the eigendecomposition Sigma = V diag(lam) V^T
(``numpy.linalg.eigh``): a point on the unit circle/sphere u maps to
``mu + r * V diag(sqrt(lam)) u``.  Tiny negative eigenvalues caused by
round-off are clipped to zero, so singular or nearly singular covariances
(a collapsing component) give flat but finite outlines instead of NaNs.

This module depends only on NumPy and SciPy.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

__all__ = [
    "EllipsoidMesh",
    "ellipse",
    "ellipses",
    "ellipsoid",
    "ellipsoid_mesh",
    "grid_triangles",
    "interval",
    "mahalanobis_radius",
    "marginal",
    "mass_of_radius",
]


class EllipsoidMesh(NamedTuple):
    """Triangle mesh in the form ``plotly.graph_objects.Mesh3d`` expects.

    Use as ``go.Mesh3d(**mesh._asdict())``.

    Attributes
    ----------
    x, y, z : ndarray, shape (n_vertices,)
        Vertex coordinates.
    i, j, k : ndarray of int, shape (n_triangles,)
        Vertex indices of the three corners of each triangle.
    """

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    i: np.ndarray
    j: np.ndarray
    k: np.ndarray


# ---------------------------------------------------------------- validation


def _check_mass(mass: float) -> float:
    """Return ``mass`` as a float, raising ValueError unless 0 < mass < 1."""
    mass = float(mass)
    if not 0.0 < mass < 1.0:
        raise ValueError(f"mass must be strictly between 0 and 1, got {mass!r}")
    return mass


def _check_dim(dim: int) -> int:
    """Return ``dim`` as an int, raising ValueError unless it is >= 1."""
    if int(dim) != dim or dim < 1:
        raise ValueError(f"dim must be a positive integer, got {dim!r}")
    return int(dim)


# ------------------------------------------------------- mass <-> radius


def mahalanobis_radius(mass: float, dim: int) -> float:
    """Mahalanobis radius of the central region holding ``mass``.

    Parameters
    ----------
    mass : float
        Probability mass in the open interval (0, 1).
    dim : int
        Dimension of the Gaussian (degrees of freedom of the chi-square).

    Returns
    -------
    float
        ``sqrt(chi2.ppf(mass, dim))``; e.g. 1.96 for mass 0.95 in 1-D,
        2.4477 for mass 0.95 in 2-D.

    Raises
    ------
    ValueError
        If ``mass`` is not in (0, 1) or ``dim`` is not a positive integer.
    """
    return float(np.sqrt(stats.chi2.ppf(_check_mass(mass), _check_dim(dim))))


def mass_of_radius(r: float | np.ndarray, dim: int) -> float | np.ndarray:
    """Probability mass inside Mahalanobis radius ``r``.

    Parameters
    ----------
    r : float or ndarray
        Non-negative Mahalanobis radius (number of "sigmas").
    dim : int
        Dimension of the Gaussian.

    Returns
    -------
    float or ndarray
        ``chi2.cdf(r**2, dim)``, same shape as ``r``.  For example
        ``mass_of_radius(2, 2)`` is 0.8647: the 2-sigma ellipse of a 2-D
        Gaussian holds 86.5% of its mass.

    Raises
    ------
    ValueError
        If any ``r`` is negative or ``dim`` is not a positive integer.
    """
    r_arr = np.asarray(r, dtype=float)
    if np.any(r_arr < 0):
        raise ValueError("r must be non-negative")
    mass = stats.chi2.cdf(r_arr**2, _check_dim(dim))
    return float(mass) if mass.ndim == 0 else mass


# ------------------------------------------------------------ linear algebra


def _sqrt_factor(covariance: np.ndarray) -> np.ndarray:
    """Symmetric-eigendecomposition square root of covariance matrices.

    Parameters
    ----------
    covariance : ndarray, shape (..., d, d)
        Symmetric positive semi-definite matrices (only approximately
        symmetric input is symmetrised first).

    Returns
    -------
    ndarray, shape (..., d, d)
        ``A = V diag(sqrt(max(lam, 0)))`` with ``A @ A.T == covariance``.
    """
    cov = np.asarray(covariance, dtype=float)
    cov = 0.5 * (cov + np.swapaxes(cov, -1, -2))
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    return eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))[..., None, :]


def _map_unit_points(
    mean: np.ndarray, covariance: np.ndarray, radius: float, unit: np.ndarray
) -> np.ndarray:
    """Map points on the unit sphere onto the radius-``radius`` level set.

    Parameters
    ----------
    mean : ndarray, shape (..., d)
    covariance : ndarray, shape (..., d, d)
    radius : float
        Mahalanobis radius.
    unit : ndarray, shape (m, d)
        Points on the unit circle/sphere.

    Returns
    -------
    ndarray, shape (..., m, d)
        ``mean + radius * A @ u`` for every unit point ``u``.
    """
    factor = _sqrt_factor(covariance)
    mean = np.asarray(mean, dtype=float)
    return mean[..., None, :] + radius * unit @ np.swapaxes(factor, -1, -2)


def _unit_circle(n_points: int) -> np.ndarray:
    """Closed unit circle, shape (n_points, 2), first point == last point."""
    if n_points < 3:
        raise ValueError(f"n_points must be at least 3, got {n_points}")
    t = np.linspace(0.0, 2.0 * np.pi, n_points)
    circle = np.column_stack([np.cos(t), np.sin(t)])
    circle[-1] = circle[0]  # exact closure despite round-off in cos/sin(2 pi)
    return circle


def _unit_sphere(n_u: int, n_v: int) -> np.ndarray:
    """Unit sphere sampled on a (n_v, n_u) latitude/longitude grid.

    Returns
    -------
    ndarray, shape (n_v * n_u, 3)
        Rows ordered latitude-major (row ``a * n_u + b`` is latitude ``a``,
        longitude ``b``).  Longitude wraps: column 0 equals column n_u - 1.
    """
    if n_u < 3 or n_v < 2:
        raise ValueError(f"need n_u >= 3 and n_v >= 2, got {n_u}, {n_v}")
    u = np.linspace(0.0, 2.0 * np.pi, n_u)
    v = np.linspace(0.0, np.pi, n_v)
    uu, vv = np.meshgrid(u, v)
    sphere = np.stack([np.cos(uu) * np.sin(vv), np.sin(uu) * np.sin(vv), np.cos(vv)], axis=-1)
    sphere[:, -1] = sphere[:, 0]
    return sphere.reshape(-1, 3)


# ------------------------------------------------------------------- outlines


def ellipses(
    means: np.ndarray, covariances: np.ndarray, mass: float, n_points: int = 100
) -> np.ndarray:
    """Closed outlines of the ``mass`` probability ellipse of K 2-D Gaussians.

    Parameters
    ----------
    means : ndarray, shape (K, 2)
    covariances : ndarray, shape (K, 2, 2)
        Full covariance matrices; singular ones are allowed.
    mass : float
        Probability mass in (0, 1) enclosed by each outline.
    n_points : int, default 100
        Number of outline points, including the repeated closing point.

    Returns
    -------
    ndarray, shape (K, n_points, 2)
        Outline of component k in ``out[k]``; ``out[k, 0] == out[k, -1]``.
    """
    radius = mahalanobis_radius(mass, 2)
    return _map_unit_points(means, covariances, radius, _unit_circle(n_points))


def ellipse(
    mean: np.ndarray, covariance: np.ndarray, mass: float, n_points: int = 100
) -> np.ndarray:
    """Closed outline of the ellipse enclosing ``mass`` of a 2-D Gaussian.

    Parameters
    ----------
    mean : ndarray, shape (2,)
    covariance : ndarray, shape (2, 2)
        Covariance matrix; singular matrices give a line segment.
    mass : float
        Probability mass in (0, 1) enclosed by the outline.
    n_points : int, default 100
        Number of outline points, including the repeated closing point.

    Returns
    -------
    ndarray, shape (n_points, 2)
        Outline with ``out[0] == out[-1]``.
    """
    return ellipses(np.asarray(mean)[None], np.asarray(covariance)[None], mass, n_points)[0]


def ellipsoid(
    mean: np.ndarray,
    covariance: np.ndarray,
    mass: float,
    n_u: int = 24,
    n_v: int = 16,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Surface grid of the ellipsoid enclosing ``mass`` of a 3-D Gaussian.

    Parameters
    ----------
    mean : ndarray, shape (3,)
    covariance : ndarray, shape (3, 3)
    mass : float
        Probability mass in (0, 1) enclosed by the surface.
    n_u : int, default 24
        Number of longitudes (the first and last coincide).
    n_v : int, default 16
        Number of latitudes from pole to pole.

    Returns
    -------
    x, y, z : ndarray, shape (n_v, n_u)
        Grid coordinates, usable directly by ``go.Surface(x=x, y=y, z=z)``.
    """
    radius = mahalanobis_radius(mass, 3)
    points = _map_unit_points(mean, covariance, radius, _unit_sphere(n_u, n_v))
    grid = points.reshape(n_v, n_u, 3)
    return grid[..., 0], grid[..., 1], grid[..., 2]


def grid_triangles(n_rows: int, n_cols: int) -> np.ndarray:
    """Triangulate a row-major (n_rows, n_cols) grid of vertices.

    Parameters
    ----------
    n_rows, n_cols : int
        Grid size; vertex ``(a, b)`` has index ``a * n_cols + b``.

    Returns
    -------
    ndarray of int, shape (2 * (n_rows - 1) * (n_cols - 1), 3)
        Two triangles per grid cell.
    """
    rows, cols = np.meshgrid(np.arange(n_rows - 1), np.arange(n_cols - 1), indexing="ij")
    corner = (rows * n_cols + cols).ravel()
    right, below = corner + 1, corner + n_cols
    diagonal = below + 1
    first = np.column_stack([corner, below, right])
    second = np.column_stack([right, below, diagonal])
    return np.concatenate([first, second])


def ellipsoid_mesh(
    mean: np.ndarray,
    covariance: np.ndarray,
    mass: float,
    n_u: int = 24,
    n_v: int = 16,
) -> EllipsoidMesh:
    """Triangle mesh of the ``mass`` ellipsoid, ready for ``go.Mesh3d``.

    Parameters
    ----------
    mean : ndarray, shape (3,)
    covariance : ndarray, shape (3, 3)
    mass : float
        Probability mass in (0, 1) enclosed by the surface.
    n_u, n_v : int
        Longitudes and latitudes of the underlying grid (see `ellipsoid`).

    Returns
    -------
    EllipsoidMesh
        ``n_u * n_v`` vertices and ``2 * (n_u - 1) * (n_v - 1)`` triangles
        (those touching a pole are degenerate, which renderers ignore).
    """
    x, y, z = ellipsoid(mean, covariance, mass, n_u, n_v)
    triangles = grid_triangles(n_v, n_u)
    return EllipsoidMesh(x.ravel(), y.ravel(), z.ravel(), *triangles.T)


def interval(
    mean: float | np.ndarray, variance: float | np.ndarray, mass: float
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Central interval holding ``mass`` of a 1-D Gaussian.

    Parameters
    ----------
    mean : float or ndarray, shape (K,)
    variance : float or ndarray, shape (K,)
        Variances (not standard deviations); tiny negative values from
        round-off are treated as zero.
    mass : float
        Probability mass in (0, 1).

    Returns
    -------
    lo, hi : float or ndarray, shape (K,)
        ``mean -/+ z * sqrt(variance)`` with ``z = norm.ppf((1 + mass) / 2)``.
    """
    half_width = mahalanobis_radius(mass, 1) * np.sqrt(
        np.clip(np.asarray(variance, dtype=float), 0.0, None)
    )
    centre = np.asarray(mean, dtype=float)
    lo, hi = centre - half_width, centre + half_width
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi


def marginal(
    mean: np.ndarray, covariance: np.ndarray, axes: int | list[int] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Marginal Gaussian over a subset of the coordinates.

    The marginal of N(mu, Sigma) over coordinates ``axes`` is
    N(mu[axes], Sigma[axes][:, axes]).  Works on a single Gaussian or a
    stack of K Gaussians.

    Parameters
    ----------
    mean : ndarray, shape (..., d)
    covariance : ndarray, shape (..., d, d)
    axes : int or sequence of int, length p
        Coordinates to keep, in the order wanted.

    Returns
    -------
    mean_sub : ndarray, shape (..., p)
    cov_sub : ndarray, shape (..., p, p)
    """
    idx = np.atleast_1d(np.asarray(axes, dtype=int))
    mean = np.asarray(mean, dtype=float)
    covariance = np.asarray(covariance, dtype=float)
    return mean[..., idx], covariance[..., idx[:, None], idx[None, :]]
