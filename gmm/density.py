"""The mixture as a whole: its log-density on a grid, and data drawn from it.

Two views of one snapshot's parameters besides its components: the mixture density
log p(x) = log Σ_k π_k N(x | μ_k, Σ_k), evaluated on a regular 2-D grid for a picture
under the points, and points sampled from the mixture, so that the data can be set
beside what the model would produce. Both use the engine's own densities
(:func:`gmm.em.weighted_log_density`) and one explicit seed.
"""

from __future__ import annotations

import numpy as np

from gmm.checks import as_generator
from gmm.em import e_step
from gmm.params import MixtureParams

__all__ = ["GRID_SIZE", "density_grid", "log_mixture_density", "sample_mixture"]

#: Grid points along each axis of :func:`density_grid`.
GRID_SIZE = 140


def log_mixture_density(X: np.ndarray, params: MixtureParams) -> np.ndarray:
    """log p(x_i) = log Σ_k π_k N(x_i | μ_k, Σ_k) for every point.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    params : MixtureParams

    Returns
    -------
    ndarray of shape (n_samples,)
        The values of :func:`gmm.em.e_step`'s ``log_density``: computed by it, so that
        the density drawn and the log-likelihood reported agree to the last bit.
    """
    return e_step(np.asarray(X, dtype=float), params).log_density


def density_grid(
    params: MixtureParams,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    size: int = GRID_SIZE,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log p(x) of a 2-D mixture on a regular ``size`` × ``size`` grid.

    Parameters
    ----------
    params : MixtureParams
        With ``n_features == 2``.
    x_range, y_range : (float, float)
        The ends of the grid along each axis, low then high.
    size : int, default GRID_SIZE
        Points along each axis, at least 2.

    Returns
    -------
    xs : ndarray of shape (size,)
    ys : ndarray of shape (size,)
    log_density : ndarray of shape (size, size)
        ``log_density[i, j]`` is log p at ``(xs[j], ys[i])`` (rows follow y, as a
        contour plot reads them).

    Raises
    ------
    ValueError
        If the mixture is not 2-D, the grid has fewer than 2 points per axis, or a
        range is not finite and increasing.
    """
    if params.n_features != 2:
        raise ValueError(f"density_grid draws 2-D mixtures; this one has {params.n_features}-D.")
    if size < 2:
        raise ValueError(f"size must be at least 2 grid points per axis; got {size}.")
    for name, (low, high) in (("x_range", x_range), ("y_range", y_range)):
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"{name} must be finite and increasing; got ({low}, {high}).")
    xs = np.linspace(x_range[0], x_range[1], size)
    ys = np.linspace(y_range[0], y_range[1], size)
    grid_x, grid_y = np.meshgrid(xs, ys)
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    return xs, ys, log_mixture_density(points, params).reshape(size, size)


def sample_mixture(
    params: MixtureParams, n_samples: int, seed: int | np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray]:
    """Draw points from the mixture: a component by its weight, then a point from it.

    Parameters
    ----------
    params : MixtureParams
    n_samples : int
        At least 1.
    seed : int, numpy.random.Generator or None
        Passed to :func:`gmm.checks.as_generator`; an int gives the same points every
        time.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
        The component each point was drawn from; the points are grouped by component.

    Raises
    ------
    ValueError
        If ``n_samples`` is less than 1.
    """
    if isinstance(n_samples, bool) or n_samples < 1:
        raise ValueError(f"n_samples must be at least 1; got {n_samples}.")
    rng = as_generator(seed)
    counts = rng.multinomial(n_samples, params.weights)
    if params.covariance_type in ("full", "tied"):
        points = [
            rng.multivariate_normal(mean, cov, size=count, method="cholesky")
            for mean, cov, count in zip(params.means, params.full_covariances, counts)
        ]
    else:  # as scikit-learn draws them: a standard normal scaled per coordinate
        scales = np.sqrt(params.covariances).reshape(params.n_components, -1)
        points = [
            mean + rng.standard_normal((count, params.n_features)) * scale
            for mean, scale, count in zip(params.means, scales, counts)
        ]
    labels = np.repeat(np.arange(params.n_components, dtype=np.int64), counts)
    return np.vstack(points), labels
