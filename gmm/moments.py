"""Per-point moments of the data, computed once, so that the M-step is one product.

A point's second moments x x^T never change during EM, so they are computed once per data
set. With the data centred on a coordinate-wise median c (of at most
:data:`CENTRE_SAMPLE` evenly spaced points; robust to outliers), the *moment matrix*
``A`` (features-major, shape (p, n)) has the rows

    1 | x_1 .. x_d | x_1^2 .. x_d^2 | x_j x_l for j < l          (x = point - c)

The M-step's sufficient statistics sum_i gamma_ik [1, x, x x^T] are then one product
``A @ Gamma.T`` (Gamma: the K x n responsibilities), from which the counts, means and
covariances follow as E[x x^T] - mu mu^T. Full covariances use all rows, diag and
spherical the first 1 + 2d, tied the first 1 + d and the total second moment.

**Cancellation and the guard.** E[x x^T] - mu mu^T subtracts large numbers when a
component is tight and far from the centre c: its absolute error is about
eps (|mu - c|^2 + tr Sigma), so relative to the smallest variance it is eps times

    ratio_k = (|mu_k - c|^2 + tr Sigma_k) / lambda_min(Sigma_k)

Where ``ratio_k`` exceeds :data:`GUARD` (at most log10(GUARD) of 16 digits lost), or the
fast covariance is not positive, that component is computed in the exact two-pass form
instead (centred on its new mean, in :mod:`gmm.em`): :func:`fast_scatter` returns a mask
of the components that need it. ``guard=np.inf`` turns the guard off (the tests show what
is then lost); ``guard=0`` sends every component to the two-pass form.

(The E-step does not use these moments: the same expansion for the Mahalanobis distances
cancels in the same way, and there the error enters the log-likelihood at first order.
See ``docs/performance.md``.)

Memory: the quadratic rows are kept only while the whole matrix stays under
:data:`MOMENT_BUDGET_BYTES`; above it full and tied covariances use the two-pass form
throughout (diag and spherical need only 1 + 2d rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Components whose cancellation ratio exceeds this are computed in the two-pass form: the
#: fast form loses at most 4 of the 16 digits (relative error below ~2e-12).
GUARD = 1e4

#: Largest moment matrix (bytes) kept with its quadratic rows (n * (1 + d + d(d+1)/2) * 8).
MOMENT_BUDGET_BYTES = 256e6

#: The centre is the median of at most about this many points, evenly spaced in X.
CENTRE_SAMPLE = 10_000


@dataclass(frozen=True, eq=False)
class DataMoments:
    """The centred data and their per-point moments, features-major.

    Attributes
    ----------
    centre : ndarray of shape (n_features,)
        The coordinate-wise median c (of a sample) subtracted from every point.
    matrix : ndarray of shape (n_rows, n_samples)
        Rows 1, x (d rows), x^2 (d rows) and, when ``has_cross``, x_j x_l for j < l, of
        the centred points x = point - c. Read-only.
    total_second : ndarray of shape (n_features, n_features)
        sum_i x_i x_i^T of the centred points (the tied M-step needs no more).
    has_cross : bool
        Whether the cross products are there (full and tied can use the fast form).
    """

    centre: np.ndarray
    matrix: np.ndarray
    total_second: np.ndarray
    has_cross: bool

    @classmethod
    def of(cls, X: np.ndarray, budget: float = MOMENT_BUDGET_BYTES) -> DataMoments:
        """Compute the moments of ``X``, shape (n_samples, n_features), once."""
        n, d = X.shape
        pairs = [(j, m) for j in range(d) for m in range(j + 1, d)]
        has_cross = n * (1 + 2 * d + len(pairs)) * 8 <= budget
        rows = 1 + 2 * d + (len(pairs) if has_cross else 0)
        centre = np.median(X[:: max(1, n // CENTRE_SAMPLE)], axis=0)
        matrix = np.empty((rows, n))
        matrix[0] = 1.0
        centred = matrix[1 : 1 + d]
        np.subtract(X.T, centre[:, None], out=centred)
        np.square(centred, out=matrix[1 + d : 1 + 2 * d])
        if has_cross:
            for row, (j, m) in enumerate(pairs, start=1 + 2 * d):
                np.multiply(centred[j], centred[m], out=matrix[row])
        total_second = centred @ centred.T
        matrix.setflags(write=False)
        return cls(centre, matrix, 0.5 * (total_second + total_second.T), has_cross)

    @property
    def n_features(self) -> int:
        return self.centre.shape[0]

    @property
    def n_samples(self) -> int:
        return self.matrix.shape[1]

    @property
    def centred(self) -> np.ndarray:
        """The centred points, features-major: shape (n_features, n_samples)."""
        return self.matrix[1 : 1 + self.n_features]

    @property
    def nbytes(self) -> int:
        return self.matrix.nbytes

    def fast_covariance(self, covariance_type: str) -> bool:
        """Whether the fast form is available for this covariance type."""
        return self.has_cross or covariance_type in ("diag", "spherical")


# ---------------------------------------------------------------------------- M-step
@dataclass(frozen=True, eq=False)
class FastStatistics:
    """What the M-step's one product gives, in centred coordinates.

    Attributes
    ----------
    counts : ndarray of shape (n_components,)
        N_k = sum_i gamma_ik.
    first : ndarray of shape (n_components, n_features)
        sum_i gamma_ik x_i.
    second : ndarray
        sum_i gamma_ik x_i x_i^T: (K, d, d) for full; (d, d) summed over components for
        tied; its diagonal (K, d) for diag and spherical.
    """

    counts: np.ndarray
    first: np.ndarray
    second: np.ndarray


def fast_statistics(
    moments: DataMoments, responsibilities_t: np.ndarray, covariance_type: str
) -> FastStatistics:
    """Sufficient statistics of the responsibilities, as one product.

    Parameters
    ----------
    moments : DataMoments
        With ``moments.fast_covariance(covariance_type)`` true.
    responsibilities_t : ndarray of shape (n_components, n_samples)
    covariance_type : str
    """
    d = moments.n_features
    rows = {"tied": 1 + d, "diag": 1 + 2 * d, "spherical": 1 + 2 * d}.get(
        covariance_type, moments.matrix.shape[0]
    )
    sums = (moments.matrix[:rows] @ responsibilities_t.T).T
    counts, first = sums[:, 0], sums[:, 1 : 1 + d]
    if covariance_type == "tied":
        return FastStatistics(counts, first, moments.total_second)
    if covariance_type in ("diag", "spherical"):
        return FastStatistics(counts, first, sums[:, 1 + d : 1 + 2 * d])
    second = np.empty((len(counts), d, d))
    idx = np.arange(d)
    second[:, idx, idx] = sums[:, 1 + d : 1 + 2 * d]
    j, m = np.triu_indices(d, 1)
    second[:, j, m] = sums[:, 1 + 2 * d :]
    second[:, m, j] = sums[:, 1 + 2 * d :]
    return FastStatistics(counts, first, second)


def fast_scatter(
    stats: FastStatistics, means: np.ndarray, divisor: np.ndarray, covariance_type: str, guard=GUARD
) -> tuple[np.ndarray, np.ndarray]:
    """E[x x^T] - mu mu^T for each component, and where that cancelled too much.

    Parameters
    ----------
    stats : FastStatistics
    means : ndarray of shape (n_components, n_features)
        sum_i gamma_ik x_i / divisor_k (centred coordinates).
    divisor : ndarray of shape (n_components,)
        What the sums are divided by (N_k, or a tiny positive number where N_k = 0).
    covariance_type : str
    guard : float

    Returns
    -------
    scatter : ndarray
        The weighted covariance before regularisation, in the type's shape: (K, d, d),
        (d, d), (K, d) or (K,).
    exact : ndarray of bool, shape (n_components,)
        Components to recompute in the two-pass form (for tied, all or none).
    """
    if covariance_type == "tied":
        between = (divisor[:, None] * means).T @ means
        scatter = (stats.second - between) / divisor.sum()
        scatter = 0.5 * (scatter + scatter.T)
        smallest = np.linalg.eigvalsh(scatter)[0]
        ratio = np.trace(stats.second) / divisor.sum() / smallest if smallest > 0 else np.inf
        return scatter, np.full(len(divisor), not ratio <= guard)
    raw = stats.second / (divisor[:, None, None] if stats.second.ndim == 3 else divisor[:, None])
    if covariance_type == "full":
        scatter = raw - means[:, :, None] * means[:, None, :]
        scatter = 0.5 * (scatter + np.swapaxes(scatter, 1, 2))
        smallest = np.linalg.eigvalsh(scatter)[:, 0]
        size = np.trace(raw, axis1=1, axis2=2)
    else:
        scatter = raw - means**2
        smallest, size = scatter, raw
        if covariance_type == "spherical":
            scatter = scatter.mean(axis=1)
            smallest, size = scatter, raw.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(smallest > 0, size / smallest, np.inf)
    exact = ~(ratio <= guard)
    return scatter, exact if exact.ndim == 1 else np.any(exact, axis=1)
