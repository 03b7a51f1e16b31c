"""The two half-steps of EM for a Gaussian mixture, as pure functions.

E-step: the responsibilities

    gamma_ik = pi_k N(x_i | mu_k, Sigma_k) / sum_j pi_j N(x_i | mu_j, Sigma_j)

computed in log space from the Cholesky factors of the precisions, with log-sum-exp, so
that a point far from every component gives neither NaN nor a division by zero.

M-step: pi_k = N_k / n, mu_k = sum_i gamma_ik x_i / N_k and
Sigma_k = sum_i gamma_ik (x_i - mu_k)(x_i - mu_k)^T / N_k + reg_covar I, where
N_k = sum_i gamma_ik.

Every covariance type is estimated in the two-pass form (centred on the new means), never
as E[x x^T] - mu mu^T: far from the origin that difference cancels catastrophically
(scikit-learn issue 30382, which affects its diag, tied and spherical estimators) and can
make the log-likelihood fall. For the same reason the Mahalanobis distances are formed
from ``x - mu`` before multiplying by the precision factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp, xlogy

from gmm.checks import check_covariance_type
from gmm.params import MixtureParams, SingularCovarianceError

_LOG_2PI = np.log(2.0 * np.pi)
_EPS = np.finfo(float).eps


def log_gaussian_density(X: np.ndarray, params: MixtureParams) -> np.ndarray:
    """log N(x_i | mu_k, Sigma_k) for every point and component.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    params : MixtureParams

    Returns
    -------
    ndarray of shape (n_samples, n_components)
    """
    n_samples, n_features = X.shape
    chol = params.precisions_cholesky
    out = np.empty((n_samples, params.n_components))
    for k, mean in enumerate(params.means):
        centred = X - mean
        if params.covariance_type == "full":
            whitened = centred @ chol[k]
        elif params.covariance_type == "tied":
            whitened = centred @ chol
        else:
            whitened = centred * chol[k]
        out[:, k] = np.einsum("ij,ij->i", whitened, whitened)
    return -0.5 * (n_features * _LOG_2PI + out) + params.log_det_precision_cholesky


def weighted_log_density(X: np.ndarray, params: MixtureParams) -> np.ndarray:
    """log(pi_k) + log N(x_i | mu_k, Sigma_k), shape (n_samples, n_components).

    A component of weight 0 gets ``-inf``.
    """
    with np.errstate(divide="ignore"):
        log_weights = np.log(params.weights)
    return log_gaussian_density(X, params) + log_weights


@dataclass(frozen=True)
class EStepResult:
    """What the E-step computes for one set of parameters.

    Attributes
    ----------
    log_responsibilities : ndarray of shape (n_samples, n_components)
        log gamma_ik; each row's exponentials sum to 1.
    log_density : ndarray of shape (n_samples,)
        log P(x_i) under the mixture.
    """

    log_responsibilities: np.ndarray
    log_density: np.ndarray

    @property
    def responsibilities(self) -> np.ndarray:
        """gamma, shape (n_samples, n_components); rows sum to 1."""
        return np.exp(self.log_responsibilities)

    @property
    def log_likelihood(self) -> float:
        """Total log-likelihood sum_i log P(x_i)."""
        return float(np.sum(self.log_density))

    @property
    def mean_log_likelihood(self) -> float:
        """Log-likelihood per point (scikit-learn's ``score``)."""
        return float(np.mean(self.log_density))

    @property
    def weighted_log_density(self) -> np.ndarray:
        """log pi_k + log N(x_i | mu_k, Sigma_k), shape (n_samples, n_components)."""
        return self.log_responsibilities + self.log_density[:, None]


def e_step(X: np.ndarray, params: MixtureParams) -> EStepResult:
    """Responsibilities and log-likelihood of ``params`` on ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    params : MixtureParams

    Returns
    -------
    EStepResult
        A point whose density underflows for every component (log density -inf) gets
        equal responsibilities 1/K instead of NaN; its log density stays -inf.
    """
    weighted = weighted_log_density(X, params)
    log_density = logsumexp(weighted, axis=1)
    with np.errstate(invalid="ignore"):
        log_resp = weighted - log_density[:, None]
    lost = ~np.isfinite(log_density)
    if np.any(lost):
        log_resp[lost] = -np.log(params.n_components)
    return EStepResult(log_resp, log_density)


def lower_bound(responsibilities: np.ndarray, weighted_log_density: np.ndarray) -> float:
    """EM's lower bound F(q, theta) = sum_ik q_ik (log pi_k N_ik - log q_ik).

    It equals the log-likelihood of theta when q are theta's own responsibilities (after
    an E-step) and lies below it otherwise (after an M-step).

    Parameters
    ----------
    responsibilities : ndarray of shape (n_samples, n_components)
        The distribution q over components for each point.
    weighted_log_density : ndarray of shape (n_samples, n_components)
        log pi_k + log N(x_i | theta_k).
    """
    with np.errstate(invalid="ignore"):
        expected = np.where(responsibilities > 0, responsibilities * weighted_log_density, 0.0)
    return float(np.sum(expected) - np.sum(xlogy(responsibilities, responsibilities)))


def _scatter_matrices(X, responsibilities, means) -> np.ndarray:
    """sum_i gamma_ik (x_i - mu_k)(x_i - mu_k)^T, shape (n_components, d, d), symmetric."""
    scatter = np.empty((means.shape[0], X.shape[1], X.shape[1]))
    for k, mean in enumerate(means):
        centred = X - mean
        scatter[k] = (responsibilities[:, k] * centred.T) @ centred
    return 0.5 * (scatter + np.swapaxes(scatter, 1, 2))


def _scatter_diagonals(X, responsibilities, means) -> np.ndarray:
    """sum_i gamma_ik (x_i - mu_k)**2, shape (n_components, d)."""
    return np.stack([responsibilities[:, k] @ (X - mean) ** 2 for k, mean in enumerate(means)])


def _full(X, resp, nk, means, reg_covar):
    covariances = _scatter_matrices(X, resp, means) / nk[:, None, None]
    return covariances + reg_covar * np.eye(X.shape[1])


def _tied(X, resp, nk, means, reg_covar):
    covariance = _scatter_matrices(X, resp, means).sum(axis=0) / nk.sum()
    return covariance + reg_covar * np.eye(X.shape[1])


def _diag(X, resp, nk, means, reg_covar):
    return _scatter_diagonals(X, resp, means) / nk[:, None] + reg_covar


def _spherical(X, resp, nk, means, reg_covar):
    return _diag(X, resp, nk, means, reg_covar).mean(axis=1)


_COVARIANCE_ESTIMATORS = {"full": _full, "tied": _tied, "diag": _diag, "spherical": _spherical}


def m_step(
    X: np.ndarray, responsibilities: np.ndarray, covariance_type: str, reg_covar: float
) -> MixtureParams:
    """The parameters that maximise the expected complete-data log-likelihood.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    responsibilities : ndarray of shape (n_samples, n_components)
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    reg_covar : float
        Non-negative amount added to every covariance's diagonal.

    Returns
    -------
    MixtureParams

    Raises
    ------
    SingularCovarianceError
        If a new covariance is not positive definite (a collapsed or emptied component,
        typically with ``reg_covar=0``).

    Notes
    -----
    As scikit-learn, ``N_k`` gets ``10 * eps`` added so that an emptied component gives
    finite means, and the weights are ``N_k / sum_j N_j``.
    """
    check_covariance_type(covariance_type)
    nk = responsibilities.sum(axis=0) + 10 * _EPS
    divisor = m_step_divisor(responsibilities)
    means = (responsibilities.T @ X) / divisor[:, None]
    covariances = _COVARIANCE_ESTIMATORS[covariance_type](
        X, responsibilities, divisor, means, reg_covar
    )
    _refuse_rounding_noise(means, covariances, covariance_type)
    return MixtureParams(nk / nk.sum(), means, covariances, covariance_type)


def m_step_divisor(responsibilities: np.ndarray) -> np.ndarray:
    """N_k as the M-step divides by, shape (n_components,).

    ``sum_i gamma_ik``, or ``10 * eps`` for an emptied component (so that its mean stays
    finite). The new mean is ``sum_i gamma_ik x_i / N_k``.
    """
    counts = responsibilities.sum(axis=0)
    return np.where(counts > 0, counts, counts + 10 * _EPS)


#: Variances below (ROUNDING_FACTOR * eps * |mean|)**2 are rounding noise of points that
#: coincide in exact arithmetic: the component has collapsed.
ROUNDING_FACTOR = 16


def _refuse_rounding_noise(means, covariances, covariance_type) -> None:
    """Raise SingularCovarianceError where a variance is no bigger than rounding noise.

    A component sitting on exact copies of a point (or on a constant column) should get
    a variance of exactly 0; rounding in the weighted mean leaves ~(eps |mean|)**2
    instead, which Cholesky accepts and which would drive the likelihood with noise.
    """
    floor = (ROUNDING_FACTOR * _EPS * np.abs(means)) ** 2
    if covariance_type == "full":
        variances = np.diagonal(covariances, axis1=1, axis2=2)
    elif covariance_type == "tied":
        variances, floor = np.diag(covariances)[None, :], floor.max(axis=0, keepdims=True)
    elif covariance_type == "diag":
        variances = covariances
    else:
        variances, floor = covariances[:, None], floor.mean(axis=1, keepdims=True)
    bad = np.flatnonzero(np.any(variances <= floor, axis=1))
    if len(bad):
        components = tuple(range(len(means))) if covariance_type == "tied" else tuple(bad)
        raise SingularCovarianceError(
            "A covariance shrank to rounding noise (a component collapsed onto identical "
            "points or a constant column).",
            components,
        )
