"""The two half-steps of EM for a Gaussian mixture, as pure functions.

E-step: the responsibilities

    gamma_ik = pi_k N(x_i | mu_k, Sigma_k) / sum_j pi_j N(x_i | mu_j, Sigma_j)

computed in log space, with the log-sum-exp done in place (subtract each point's largest
term, exponentiate, sum, log), so that a point far from every component gives neither
NaN nor a division by zero.

M-step: pi_k = N_k / n, mu_k = sum_i gamma_ik x_i / N_k and
Sigma_k = sum_i gamma_ik (x_i - mu_k)(x_i - mu_k)^T / N_k + reg_covar I, where
N_k = sum_i gamma_ik.

Two forms of each half-step:

The E-step always computes Mahalanobis distances from ``x - mu`` (subtracted first, then
whitened), in blocks of points small enough to stay in the CPU cache: as exact as the
textbook form, and bound by memory traffic rather than by the number of passes.

The M-step has two forms:

* **exact** (the reference): covariances in the two-pass form (centred on the new
  means), never E[x x^T] - mu mu^T: far from the origin that difference cancels
  catastrophically (scikit-learn issue 30382, which affects its diag, tied and spherical
  estimators) and can make the log-likelihood fall.
* **fast**, given the data's :class:`gmm.moments.DataMoments`: the sufficient statistics
  are one matrix product over precomputed per-point moments of the *centred* data, and
  every component whose cancellation ratio is too large for it is recomputed in the
  two-pass form (the guard, see :mod:`gmm.moments`). The stepper uses this form.

Responsibilities are kept components-major, shape (n_components, n_samples), so that the
log-sum-exp and the M-step's product run along contiguous rows; the public views are
(n_samples, n_components).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.special import xlogy

from gmm.checks import check_covariance_type
from gmm.moments import GUARD, DataMoments, fast_scatter, fast_statistics
from gmm.params import MixtureParams, SingularCovarianceError, covariance_shape

_LOG_2PI = np.log(2.0 * np.pi)
_EPS = np.finfo(float).eps


#: Values (components x features x points) per block in the E-step: a block's two
#: intermediate arrays (256 kB each) stay in the CPU cache.
BLOCK_VALUES = 32_768


def _whitening(params: MixtureParams) -> tuple[np.ndarray, bool]:
    """Factors that whiten x - mu_k: (K, d, d) transposed Cholesky factors of the
    precisions for full/tied (z = P_k^T (x - mu_k)), else (K, d) inverse deviations."""
    chol, K, d = params.precisions_cholesky, params.n_components, params.n_features
    if params.covariance_type == "full":
        return np.ascontiguousarray(np.swapaxes(chol, 1, 2)), True
    if params.covariance_type == "tied":
        return np.ascontiguousarray(np.broadcast_to(chol.T, (K, d, d))), True
    if params.covariance_type == "spherical":
        return np.repeat(chol[:, None], d, axis=1), False
    return np.asarray(chol), False


def _log_constants(params: MixtureParams) -> np.ndarray:
    """log pi_k + log det(P_k) - d/2 log(2 pi), shape (n_components,); -inf for weight 0."""
    with np.errstate(divide="ignore"):
        log_weights = np.log(params.weights)
    return log_weights + params.log_det_precision_cholesky - 0.5 * params.n_features * _LOG_2PI


def _blocks(X: np.ndarray, params: MixtureParams, constants: np.ndarray, out: np.ndarray):
    """Fill ``out`` (n_components, n_samples) with constants_k - maha_ik / 2, computed in
    the exact form (x - mu_k first, then whitened), one block of points at a time; yield
    (slice, block of ``out``) after each block so that the caller can work on it while
    it is in the cache.
    """
    n, d = X.shape
    K = params.n_components
    factors, matrix = _whitening(params)
    means = params.means[:, :, None]
    buffers, size = {}, max(1, BLOCK_VALUES // (K * d))
    for start in range(0, n, size):
        m = min(size, n - start)
        if m not in buffers:  # contiguous buffers (matmul is slow on strided views)
            buffers[m] = (np.empty((K, d, m)), np.empty((K, d, m)))
        diff, white = buffers[m]
        where = slice(start, start + m)
        block_out = out[:, where]
        block = X[start : start + m].T
        np.subtract(block[None], means, out=diff)
        if matrix:
            np.matmul(factors, diff, out=white)
        else:
            np.multiply(diff, factors[:, :, None], out=white)
        np.einsum("kdi,kdi->ki", white, white, out=block_out)
        block_out *= -0.5
        block_out += constants[:, None]
        yield where, block_out


def _weighted_t(X: np.ndarray, params: MixtureParams, constants=None) -> np.ndarray:
    """log pi_k + log N(x_i | theta_k), components-major: shape (n_components, n_samples).

    ``constants`` replaces log pi_k + log det P_k - d/2 log(2 pi).
    """
    constants = _log_constants(params) if constants is None else constants
    weighted = np.empty((params.n_components, X.shape[0]))
    for _ in _blocks(X, params, constants, weighted):
        pass
    return weighted


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
    constants = params.log_det_precision_cholesky - 0.5 * params.n_features * _LOG_2PI
    return _weighted_t(X, params, constants).T


def weighted_log_density(X: np.ndarray, params: MixtureParams) -> np.ndarray:
    """log(pi_k) + log N(x_i | mu_k, Sigma_k), shape (n_samples, n_components).

    A component of weight 0 gets ``-inf``.
    """
    return _weighted_t(X, params).T


@dataclass(frozen=True, eq=False)
class EStepResult:
    """What the E-step computes for one set of parameters.

    Attributes
    ----------
    responsibilities_t : ndarray of shape (n_components, n_samples)
        gamma, components-major; each column sums to 1.
    log_density : ndarray of shape (n_samples,)
        log P(x_i) under the mixture.
    recompute : callable() -> ndarray of shape (n_samples, n_components)
        Recomputes log pi_k + log N(x_i | theta_k) (it is not kept: the E-step turns it
        into the responsibilities in place).
    """

    responsibilities_t: np.ndarray
    log_density: np.ndarray
    recompute: Callable[[], np.ndarray]

    @property
    def responsibilities(self) -> np.ndarray:
        """gamma, shape (n_samples, n_components); rows sum to 1."""
        return self.responsibilities_t.T

    @cached_property
    def weighted_log_density(self) -> np.ndarray:
        """log pi_k + log N(x_i | mu_k, Sigma_k), shape (n_samples, n_components)."""
        return self.recompute()

    @cached_property
    def log_responsibilities(self) -> np.ndarray:
        """log gamma_ik, shape (n_samples, n_components); each row's exponentials sum to 1.

        A point whose density underflows for every component gets log(1/K).
        """
        with np.errstate(invalid="ignore"):
            log_resp = self.weighted_log_density - self.log_density[:, None]
        lost = ~np.isfinite(self.log_density)
        if np.any(lost):
            log_resp[lost] = -np.log(log_resp.shape[1])
        return log_resp

    @cached_property
    def log_likelihood(self) -> float:
        """Total log-likelihood sum_i log P(x_i)."""
        return float(np.sum(self.log_density))

    @property
    def mean_log_likelihood(self) -> float:
        """Log-likelihood per point (scikit-learn's ``score``)."""
        return self.log_likelihood / len(self.log_density)


def normalise_in_place(weighted_t: np.ndarray) -> np.ndarray:
    """Turn weighted log-densities into responsibilities, in place (log-sum-exp).

    Parameters
    ----------
    weighted_t : ndarray of shape (n_components, n_samples)
        log pi_k + log N(x_i | theta_k); overwritten with the responsibilities
        exp(w - logsumexp(w)). A point whose density underflows for every component
        (log density -inf) gets 1/K instead of NaN.

    Returns
    -------
    log_density : ndarray of shape (n_samples,)
        logsumexp over components; -inf for such a point.
    """
    top = weighted_t.max(axis=0)
    lost = None if np.isfinite(top).all() else ~np.isfinite(top)
    if lost is not None:
        lost_values = top[lost]
        top[lost] = 0.0
    weighted_t -= top
    np.exp(weighted_t, out=weighted_t)
    total = weighted_t.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):  # lost points: 0 * inf, fixed below
        log_density = np.log(total)
        np.divide(1.0, total, out=total)
        weighted_t *= total
    log_density += top
    if lost is not None:
        weighted_t[:, lost] = 1.0 / weighted_t.shape[0]
        log_density[lost] = lost_values
    return log_density


def e_step(X: np.ndarray, params: MixtureParams) -> EStepResult:
    """Responsibilities and log-likelihood of ``params`` on ``X``.

    The points are taken in blocks (:data:`BLOCK_VALUES`), so that every intermediate array
    stays in the CPU cache: the pass over the data reads X once and writes the
    responsibilities once.

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
    n = X.shape[0]
    responsibilities_t = np.empty((params.n_components, n))
    log_density = np.empty(n)
    for where, block in _blocks(X, params, _log_constants(params), responsibilities_t):
        log_density[where] = normalise_in_place(block)
    return EStepResult(responsibilities_t, log_density, lambda: weighted_log_density(X, params))


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


# ------------------------------------------------------------------------------ M-step
@dataclass(frozen=True, eq=False)
class MStepStatistics:
    """What an M-step measured of its responsibilities, enough for EM's lower bound.

    Attributes
    ----------
    counts : ndarray of shape (n_components,)
        N_k = sum_i gamma_ik.
    divisor : ndarray of shape (n_components,)
        N_k, or 10 eps where N_k = 0.
    means : ndarray of shape (n_components, n_features)
        Weighted means, in coordinates relative to ``centre``.
    scatter : ndarray
        Weighted covariance before regularisation, in the covariance type's shape.
    centre : ndarray of shape (n_features,)
    covariance_type : str
    """

    counts: np.ndarray
    divisor: np.ndarray
    means: np.ndarray
    scatter: np.ndarray
    centre: np.ndarray
    covariance_type: str


def _two_pass(points, responsibilities_t, means, divisor, covariance_type, scatter, components):
    """Fill ``scatter`` for ``components`` in the exact two-pass form (centred on the means).

    For tied covariances every component is summed into the one matrix.
    """
    pooled = np.zeros((points.shape[1], points.shape[1]))
    for k in components:
        centred = points - means[k]
        if covariance_type in ("full", "tied"):
            one = (responsibilities_t[k] * centred.T) @ centred
            if covariance_type == "tied":
                pooled += one
            else:
                scatter[k] = 0.5 * (one + one.T) / divisor[k]
        else:
            diagonal = (responsibilities_t[k] @ centred**2) / divisor[k]
            scatter[k] = diagonal if covariance_type == "diag" else diagonal.mean()
    if covariance_type == "tied":
        scatter[...] = 0.5 * (pooled + pooled.T) / divisor.sum()


def _regularised(scatter: np.ndarray, covariance_type: str, reg_covar: float) -> np.ndarray:
    if covariance_type in ("full", "tied"):
        return scatter + reg_covar * np.eye(scatter.shape[-1])
    return scatter + reg_covar


def estimate(
    X: np.ndarray,
    responsibilities_t: np.ndarray,
    covariance_type: str,
    reg_covar: float,
    moments: DataMoments | None = None,
    guard: float = GUARD,
) -> tuple[MixtureParams, MStepStatistics]:
    """The M-step, components-major, with the statistics it measured.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    responsibilities_t : ndarray of shape (n_components, n_samples)
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    reg_covar : float
    moments : DataMoments, optional
        The moments of ``X``: use the fast form, guarded (see :mod:`gmm.moments`).
    guard : float, default gmm.moments.GUARD

    Returns
    -------
    params : MixtureParams
    statistics : MStepStatistics

    Raises
    ------
    SingularCovarianceError
        As :func:`m_step`.
    """
    check_covariance_type(covariance_type)
    n_components, n_features = responsibilities_t.shape[0], X.shape[1]
    fast = moments is not None and moments.fast_covariance(covariance_type)
    if fast:
        stats = fast_statistics(moments, responsibilities_t, covariance_type)
        counts, first = stats.counts, stats.first
        points, centre = moments.centred.T, moments.centre
    else:
        counts, first = responsibilities_t.sum(axis=1), responsibilities_t @ X
        points, centre = X, np.zeros(n_features)
    nk = counts + 10 * _EPS
    divisor = _divisor(counts)
    means = first / divisor[:, None]
    means[counts == 0] = -centre  # an emptied component's mean is 0, as in the exact form
    if fast:
        scatter, exact = fast_scatter(stats, means, divisor, covariance_type, guard)
    else:
        scatter = np.empty(covariance_shape(covariance_type, n_components, n_features))
        exact = np.ones(n_components, bool)
    if np.any(exact):
        components = range(n_components) if covariance_type == "tied" else np.flatnonzero(exact)
        _two_pass(points, responsibilities_t, means, divisor, covariance_type, scatter, components)
    covariances = _regularised(scatter, covariance_type, reg_covar)
    raw_means = means + centre
    # rounding noise scales with the coordinates the sums were taken in (raw or centred)
    _refuse_rounding_noise(
        np.maximum(np.abs(raw_means), np.abs(means)), covariances, covariance_type
    )
    params = MixtureParams(nk / nk.sum(), raw_means, covariances, covariance_type)
    return params, MStepStatistics(counts, divisor, means, scatter, centre, covariance_type)


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
    finite means, and the weights are ``N_k / sum_j N_j``. This is the exact form; the
    stepper uses :func:`estimate` with the data's moments.
    """
    return estimate(X, np.asarray(responsibilities).T, covariance_type, reg_covar)[0]


def _divisor(counts: np.ndarray) -> np.ndarray:
    return np.where(counts > 0, counts, counts + 10 * _EPS)


def m_step_divisor(responsibilities: np.ndarray) -> np.ndarray:
    """N_k as the M-step divides by, shape (n_components,).

    ``sum_i gamma_ik``, or ``10 * eps`` for an emptied component (so that its mean stays
    finite). The new mean is ``sum_i gamma_ik x_i / N_k``.

    Parameters
    ----------
    responsibilities : ndarray of shape (n_samples, n_components)
    """
    return _divisor(np.asarray(responsibilities).sum(axis=0))


# ------------------------------------------------------------------------ lower bound
def expected_log_joint(params: MixtureParams, stats: MStepStatistics) -> float:
    """sum_ik gamma_ik log(pi_k N(x_i | theta_k)) for the gamma an M-step measured.

    No pass over the data: with the weighted means m_k and scatters S_k of gamma,
    sum_i gamma_ik (x_i - mu_k)^T Lambda_k (x_i - mu_k)
    = N_k [tr(Lambda_k S_k) + (m_k - mu_k)^T Lambda_k (m_k - mu_k)].

    Parameters
    ----------
    params : MixtureParams
        Any parameters of the same shape (the old or the new ones).
    stats : MStepStatistics
    """
    kind, counts = params.covariance_type, stats.counts
    used = counts > 0
    offsets = stats.means - (params.means - stats.centre)
    precisions = np.asarray(params.precisions)
    if kind in ("full", "tied"):
        matrices = np.broadcast_to(precisions, (len(counts), *precisions.shape[-2:]))
        distances = np.einsum("kde,kd,ke->k", matrices, offsets, offsets)
    else:
        inverse = precisions if kind == "diag" else precisions[:, None]
        distances = np.sum(inverse * offsets**2, axis=1)
    if kind == "full":
        traces = np.einsum("kde,ked->k", precisions, stats.scatter)
    elif kind == "diag":
        traces = np.sum(precisions * stats.scatter, axis=1)
    elif kind == "spherical":
        traces = precisions * params.n_features * stats.scatter
    else:
        traces = np.zeros(len(counts))
    total = np.sum(counts[used] * (_log_constants(params)[used] - 0.5 * (traces + distances)[used]))
    if kind == "tied":
        total -= 0.5 * stats.divisor.sum() * np.einsum("de,ed->", precisions, stats.scatter)
    return float(total)


def lower_bound_from_statistics(
    stats: MStepStatistics, old: MixtureParams, new: MixtureParams, old_log_likelihood: float
) -> float:
    """EM's lower bound F(q, new) after an M-step, with q the responsibilities of ``old``.

    F(q, new) = sum q log p(x, k | new) - sum q log q, and with q from ``old``,
    sum q log q = sum q log p(x, k | old) - log L(old). Both sums come from the M-step's
    statistics (:func:`expected_log_joint`), so the bound costs no pass over the data.

    Returns
    -------
    float
        NaN where ``old_log_likelihood`` is not finite (use :func:`lower_bound` then).
    """
    if not np.isfinite(old_log_likelihood):
        return float("nan")
    return expected_log_joint(new, stats) - expected_log_joint(old, stats) + old_log_likelihood


#: Variances below (ROUNDING_FACTOR * eps * |mean|)**2 are rounding noise of points that
#: coincide in exact arithmetic: the component has collapsed.
ROUNDING_FACTOR = 16


def _refuse_rounding_noise(magnitudes, covariances, covariance_type) -> None:
    """Raise SingularCovarianceError where a variance is no bigger than rounding noise.

    A component sitting on exact copies of a point (or on a constant column) should get
    a variance of exactly 0; rounding in the weighted mean leaves ~(eps |mean|)**2
    instead, which Cholesky accepts and which would drive the likelihood with noise.
    """
    floor = (ROUNDING_FACTOR * _EPS * magnitudes) ** 2
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
        components = tuple(range(len(magnitudes))) if covariance_type == "tied" else tuple(bad)
        raise SingularCovarianceError(
            "A covariance shrank to rounding noise (a component collapsed onto identical "
            "points or a constant column).",
            components,
        )
