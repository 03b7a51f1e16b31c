"""Model selection: free parameters, BIC and AIC.

Sign convention (scikit-learn's): lower is better,

    BIC = -2 log L + p log n,        AIC = -2 log L + 2 p,

with L the maximised likelihood, p the number of free parameters and n the number of
points. R's mclust reports the negative of this BIC, 2 log L - p log n, where *higher*
is better; the two rank models identically, and mclust's plots peak where ours dip.
"""

from __future__ import annotations

import numpy as np

from gmm.checks import check_covariance_type


def n_parameters(n_components: int, n_features: int, covariance_type: str) -> int:
    """Number of free parameters of a Gaussian mixture.

    Means contribute K d, weights K - 1 (they sum to 1), and covariances
    K d (d + 1) / 2 (full), d (d + 1) / 2 (tied), K d (diag) or K (spherical).

    Returns
    -------
    int
    """
    k, d = n_components, n_features
    covariance = {
        "full": k * d * (d + 1) // 2,
        "tied": d * (d + 1) // 2,
        "diag": k * d,
        "spherical": k,
    }[check_covariance_type(covariance_type)]
    return covariance + k * d + k - 1


def bic(log_likelihood: float, n_params: int, n_samples: int) -> float:
    """Bayesian information criterion, -2 log L + p log n (lower is better).

    Parameters
    ----------
    log_likelihood : float
        Total (not per-point) log-likelihood.
    n_params : int
    n_samples : int
    """
    return -2.0 * log_likelihood + n_params * np.log(n_samples)


def aic(log_likelihood: float, n_params: int) -> float:
    """Akaike information criterion, -2 log L + 2 p (lower is better)."""
    return -2.0 * log_likelihood + 2.0 * n_params


def mclust_bic(log_likelihood: float, n_params: int, n_samples: int) -> float:
    """BIC as R's mclust reports it, 2 log L - p log n (higher is better): ``-bic``."""
    return -bic(log_likelihood, n_params, n_samples)
