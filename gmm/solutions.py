"""Distinct solutions: which EM runs reached the same optimum.

Same optimum
------------
The components of a mixture have no order: a run that ends with components (A, B) and
one that ends with (B, A) found the same solution. Two runs are grouped together when,
after matching their components (an assignment problem solved with
``scipy.optimize.linear_sum_assignment`` on the squared differences of means,
covariances and weights), every matched pair agrees within ``tol`` **on the data's own
scale**: the data are whitened with the mixture's overall covariance
``C = sum_k w_k (Sigma_k + (mu_k - m)(mu_k - m)^T)``, so that

* means differ by less than ``tol`` data standard deviations (Mahalanobis distance
  under C),
* covariances differ by less than ``tol`` in every entry of ``L^-1 Sigma L^-T``
  (C = L L^T), i.e. by a fraction ``tol`` of the data's variance,
* weights differ by less than ``tol``,

and their total log-likelihoods differ by at most ``loglik_tol``. A run is compared with
the best run (highest log-likelihood) of each group found so far and joins the first
that matches.

This module imports NumPy and SciPy only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg
from scipy.optimize import linear_sum_assignment

from gmm.params import MixtureParams

#: Default tolerance of :func:`group_solutions`, on the data's scale (see module doc).
SOLUTION_TOL = 0.1
#: Default largest difference of total log-likelihood within one solution.
SOLUTION_LOGLIK_TOL = 1.0


# ------------------------------------------------------------------------ solutions
@dataclass(frozen=True, eq=False)
class Solution:
    """A distinct optimum reached by one or more restarts.

    Attributes
    ----------
    params : MixtureParams
        The parameters of the member with the highest log-likelihood.
    members : tuple of int
        Indices (into the lists given to :func:`group_solutions`) of the runs that
        reached it, best first.
    log_likelihood : float
        The best member's total log-likelihood.
    """

    params: MixtureParams = field(repr=False)
    members: tuple[int, ...]
    log_likelihood: float

    @property
    def count(self) -> int:
        """How many runs reached this solution."""
        return len(self.members)

    @property
    def representative(self) -> int:
        """Index of the best member."""
        return self.members[0]


def mixture_covariance(params: MixtureParams) -> np.ndarray:
    """The covariance of the whole mixture, sum_k w_k (Sigma_k + (mu_k - m)(mu_k - m)^T).

    After an M-step (with ``reg_covar = 0`` and full covariances) it equals the data's
    covariance, so it measures the data's scale from the parameters alone.
    """
    centre = params.weights @ params.means
    offsets = params.means - centre
    spread = np.einsum("k,ki,kj->ij", params.weights, offsets, offsets)
    return np.einsum("k,kij->ij", params.weights, params.full_covariances) + spread


def _whitener(params_list: Sequence[MixtureParams], data_covariance) -> np.ndarray:
    """Inverse Cholesky factor of the reference covariance (the data's scale)."""
    if data_covariance is None:
        reference = np.mean([mixture_covariance(p) for p in params_list], axis=0)
    else:
        reference = np.atleast_2d(np.asarray(data_covariance, dtype=float))
    d = reference.shape[0]
    jitter = 1e-12 * max(float(np.trace(reference)) / d, np.finfo(float).tiny)
    chol = linalg.cholesky(reference + jitter * np.eye(d), lower=True)
    return linalg.solve_triangular(chol, np.eye(d), lower=True)


@dataclass(frozen=True)
class _Whitened:
    means: np.ndarray  # (K, d)
    covariances: np.ndarray  # (K, d, d)
    weights: np.ndarray  # (K,)
    covariance_type: str


def _whiten(params: MixtureParams, inverse_chol: np.ndarray) -> _Whitened:
    means = params.means @ inverse_chol.T
    covariances = inverse_chol @ params.full_covariances @ inverse_chol.T
    return _Whitened(means, covariances, np.asarray(params.weights), params.covariance_type)


def match_components(a: MixtureParams, b: MixtureParams, data_covariance=None) -> np.ndarray:
    """The permutation of ``b``'s components that best matches ``a``'s.

    Returns
    -------
    ndarray of int, shape (K,)
        ``b`` component ``perm[k]`` corresponds to ``a`` component ``k``.
    """
    inverse_chol = _whitener([a, b], data_covariance)
    return _assignment(_whiten(a, inverse_chol), _whiten(b, inverse_chol))


def _assignment(a: _Whitened, b: _Whitened) -> np.ndarray:
    cost = (
        np.sum((a.means[:, None, :] - b.means[None, :, :]) ** 2, axis=2)
        + np.sum((a.covariances[:, None] - b.covariances[None, :]) ** 2, axis=(2, 3))
        + (a.weights[:, None] - b.weights[None, :]) ** 2
    )
    rows, cols = linear_sum_assignment(cost)
    perm = np.empty(len(rows), dtype=int)
    perm[rows] = cols
    return perm


def _difference(a: _Whitened, b: _Whitened) -> float:
    """Largest difference between matched components, on the data's scale (inf when the
    mixtures are not comparable)."""
    if a.covariance_type != b.covariance_type or a.means.shape != b.means.shape:
        return math.inf
    perm = _assignment(a, b)
    mean_gap = np.sqrt(np.sum((a.means - b.means[perm]) ** 2, axis=1)).max()
    covariance_gap = np.abs(a.covariances - b.covariances[perm]).max()
    weight_gap = np.abs(a.weights - b.weights[perm]).max()
    return float(max(mean_gap, covariance_gap, weight_gap))


def solution_distance(a: MixtureParams, b: MixtureParams, data_covariance=None) -> float:
    """Largest difference between the matched components of two mixtures, on the data's
    scale (see the module docstring); ``inf`` for different K or covariance types."""
    inverse_chol = _whitener([a, b], data_covariance)
    return _difference(_whiten(a, inverse_chol), _whiten(b, inverse_chol))


def group_solutions(
    params_list: Sequence[MixtureParams | None],
    loglik_list: Sequence[float],
    tol: float = SOLUTION_TOL,
    loglik_tol: float = SOLUTION_LOGLIK_TOL,
    data_covariance=None,
) -> list[Solution]:
    """Group runs into distinct optima, up to the order of the components.

    Parameters
    ----------
    params_list : sequence of MixtureParams or None
        Each run's final parameters; None (a failed run) belongs to no solution.
    loglik_list : sequence of float
        Each run's total log-likelihood, same length.
    tol : float, default 0.1
        Largest difference of matched means (in data standard deviations), covariances
        (as a fraction of the data's variance) and weights within one solution.
    loglik_tol : float, default 1.0
        Largest difference of total log-likelihoods within one solution.
    data_covariance : array-like of shape (d, d), optional
        The data's covariance, which sets the scale; by default the mixtures' own
        overall covariance (the same thing for fitted mixtures).

    Returns
    -------
    list of Solution
        Best log-likelihood first.

    Raises
    ------
    ValueError
        For lists of different lengths or a negative tolerance.
    """
    if len(params_list) != len(loglik_list):
        raise ValueError(
            f"params_list and loglik_list must have the same length; got "
            f"{len(params_list)} and {len(loglik_list)}."
        )
    if not tol >= 0 or not loglik_tol >= 0:
        raise ValueError("The tolerances must be 0 or more.")
    valid = [i for i, p in enumerate(params_list) if p is not None and not np.isnan(loglik_list[i])]
    if not valid:
        return []
    inverse_chol = _whitener([params_list[i] for i in valid], data_covariance)
    order = sorted(valid, key=lambda i: -float(loglik_list[i]))
    groups: list[list[int]] = []
    whitened = {i: _whiten(params_list[i], inverse_chol) for i in valid}
    for i in order:
        for members in groups:
            head = members[0]
            if (
                abs(float(loglik_list[i]) - float(loglik_list[head])) <= loglik_tol
                and _difference(whitened[head], whitened[i]) <= tol
            ):
                members.append(i)
                break
        else:
            groups.append([i])
    return [Solution(params_list[m[0]], tuple(m), float(loglik_list[m[0]])) for m in groups]


# ------------------------------------------------------------------------- restarts
