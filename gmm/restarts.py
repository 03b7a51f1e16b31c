"""Restarts and local optima: run EM many times, see where it ends, group the endings.

EM climbs to the nearest local maximum of the likelihood from wherever it starts, so
different starts can end at different solutions. :func:`run_restarts` runs EM
``n_restarts`` times per initialisation method, keeping every run's full history;
:func:`group_solutions` then groups the runs that reached the same optimum.

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

This module imports NumPy and SciPy only (no Streamlit, no Plotly).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import linalg
from scipy.optimize import linear_sum_assignment

from gmm.checks import (
    INIT_METHODS,
    check_covariance_type,
    check_data,
    check_init_methods,
    check_run_settings,
)
from gmm.init import describe_init
from gmm.params import MixtureParams
from gmm.run import (
    Attempt,
    Progress,
    RunSettings,
    ShouldStop,
    fit_once,
    multistart,
)
from gmm.stepper import EMStepper

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
@dataclass(frozen=True, eq=False)
class Restart(Attempt):
    """One restart: an :class:`~gmm.run.Attempt` with its position in the batch.

    Attributes
    ----------
    index : int
        Position in :attr:`RestartsResult.restarts` (0-based).
    """

    index: int = 0

    def curve(self, per: str = "iteration") -> np.ndarray:
        """The log-likelihood trajectory (empty if EM could not start).

        Parameters
        ----------
        per : {'iteration', 'half-step'}
            'iteration': at the start and after every M-step (entry t is iteration t);
            'half-step': after every half-step (the E-step repeats the value before it).
        """
        if self.stepper is None:
            return np.empty(0)
        if per == "half-step":
            return self.stepper.trajectory("log_likelihood")
        if per != "iteration":
            raise ValueError(f"per must be 'iteration' or 'half-step'; got {per!r}.")
        return np.array(
            [s.log_likelihood for s in self.stepper.snapshots if s.phase in ("init", "M")]
        )


@dataclass(frozen=True, eq=False)
class RestartsResult:
    """Every restart of one model, with its history, and the settings used.

    Attributes
    ----------
    restarts : tuple of Restart
        Methods interleaved (restart 1 of each method, then restart 2, ...).
    n_components : int
    covariance_type : str
    methods : tuple of str
    n_restarts : int
        Asked for per method.
    seed : int
    reg_covar, tol : float
    max_iter : int
    n_samples : int
    data_covariance : ndarray of shape (d, d)
        Sets the scale of :meth:`solutions`.
    complete : bool
        False when ``should_stop`` ended the batch early.
    """

    restarts: tuple[Restart, ...]
    n_components: int
    covariance_type: str
    methods: tuple[str, ...]
    n_restarts: int
    seed: int
    reg_covar: float
    tol: float
    max_iter: int
    n_samples: int
    data_covariance: np.ndarray = field(repr=False)
    complete: bool = True

    @property
    def log_likelihoods(self) -> np.ndarray:
        """Final total log-likelihood of every restart (NaN where EM could not start or
        collapsed)."""
        return np.array([r.log_likelihood if r.ok else math.nan for r in self.restarts])

    def by_method(self, method: str) -> tuple[Restart, ...]:
        return tuple(r for r in self.restarts if r.method == method)

    @property
    def default_loglik_tol(self) -> float:
        """``max(1, 10 n tol)``: runs stopped by the convergence test on the same optimum
        can differ by a few times ``n * tol`` in total log-likelihood."""
        return max(SOLUTION_LOGLIK_TOL, 10.0 * self.n_samples * self.tol)

    @cached_property
    def solutions(self) -> tuple[Solution, ...]:
        """Distinct optima of the restarts that ended well (see :func:`group_solutions`),
        best first; ``members`` are restart indices."""
        return tuple(
            group_solutions(
                [r.params if r.ok else None for r in self.restarts],
                self.log_likelihoods,
                tol=SOLUTION_TOL,
                loglik_tol=self.default_loglik_tol,
                data_covariance=self.data_covariance,
            )
        )

    def solution_of(self, index: int) -> int | None:
        """Position in :attr:`solutions` of the solution restart ``index`` reached."""
        return next((s for s, sol in enumerate(self.solutions) if index in sol.members), None)

    def run_settings(self, index: int) -> RunSettings:
        """The settings that repeat restart ``index`` (for the app's Explore page)."""
        return self.restarts[index].settings

    def stepper(self, index: int) -> EMStepper:
        """A copy of restart ``index``'s stepper with its full history, to step on with.

        Stepping or going back in the copy does not change the result.

        Raises
        ------
        ValueError
            If that restart could not start (there is no history).
        """
        restart = self.restarts[index]
        if restart.stepper is None:
            raise ValueError(
                f"Restart {index + 1} could not start, so it has no history: {restart.failure}"
            )
        return restart.stepper.copy()

    def to_frame(self) -> pd.DataFrame:
        """One line per restart: restart (1-based), method, seed, log-likelihood,
        iterations, status, solution (1-based, best first; empty if none)."""
        rows = []
        for r in self.restarts:
            solution = self.solution_of(r.index)
            rows.append(
                {
                    "restart": r.index + 1,
                    "initialisation": describe_init(r.method),
                    "seed": r.seed,
                    "log-likelihood": r.log_likelihood,
                    "iterations": r.n_iter,
                    "status": r.status,
                    "solution": None if solution is None else solution + 1,
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "restart",
                "initialisation",
                "seed",
                "log-likelihood",
                "iterations",
                "status",
                "solution",
            ],
        )


def check_restarts_arguments(
    X, n_components, covariance_type, methods, n_restarts, seed, reg_covar, tol, max_iter
) -> tuple[np.ndarray, int, tuple[str, ...]]:
    """Refuse what :func:`run_restarts` would refuse, without running EM.

    Takes :func:`run_restarts`'s arguments (all of them, no callbacks).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    n_components : int
    methods : tuple of str
        In the order given, without repeats.

    Raises
    ------
    ValueError
        The first problem found, with a message that says what to change.
    """
    X = check_data(X, n_components)
    check_covariance_type(covariance_type)
    methods = check_init_methods(methods)
    check_run_settings(n_restarts, seed, reg_covar, tol, max_iter)
    return X, int(n_components), methods


def run_restarts(
    X,
    n_components: int,
    covariance_type: str,
    methods: Sequence[str] = ("kmeans",),
    n_restarts: int = 20,
    seed: int = 0,
    reg_covar: float = 1e-6,
    tol: float = 1e-3,
    max_iter: int = 200,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> RestartsResult:
    """Run EM ``n_restarts`` times per initialisation method and keep every history.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_components : int
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    methods : sequence of str, default ('kmeans',)
        Seeded initialisation methods ('kmeans', 'k-means++', 'random_from_data',
        'random').
    n_restarts : int, default 20
        Restarts per method. Restart ``r`` of method ``m`` starts from
        ``derive_seed(seed, INIT_METHODS.index(m), r)``.
    seed : int, default 0
    reg_covar, tol : float
    max_iter : int, default 200
    progress : callable(done, total, label), optional
        Called first with ``done = 0`` and after every run.
    should_stop : callable() -> bool, optional
        Asked before every run; True ends the batch with the runs so far
        (``complete=False``).

    Returns
    -------
    RestartsResult

    Raises
    ------
    ValueError
        For unusable arguments (K larger than the number of points, no method, an
        unknown type or method, ...). Runs that collapse do not raise.
    """
    X, n_components, methods = check_restarts_arguments(
        X, n_components, covariance_type, methods, n_restarts, seed, reg_covar, tol, max_iter
    )
    n_restarts, seed, max_iter = int(n_restarts), int(seed), int(max_iter)
    every_run = RunSettings(
        n_components,
        covariance_type,
        seed=seed,
        reg_covar=float(reg_covar),
        tol=float(tol),
        max_iter=max_iter,
    )
    starts = [
        every_run.derive(INIT_METHODS.index(method), restart, init=method)
        for restart in range(n_restarts)
        for method in methods
    ]

    def run(i: int) -> Restart:
        attempt = fit_once(X, starts[i])
        return Restart(attempt.settings, attempt.stepper, attempt.failure, index=i)

    def label(i: int) -> str:
        method, restart = starts[i].init, i // len(methods)
        return f"{describe_init(method)}: restart {restart + 1} of {n_restarts}"

    restarts = tuple(
        multistart(len(starts), run, label=label, progress=progress, should_stop=should_stop)
    )
    centred = X - X.mean(axis=0)
    data_covariance = centred.T @ centred / len(X)
    return RestartsResult(
        restarts,
        n_components,
        covariance_type,
        methods,
        n_restarts,
        seed,
        float(reg_covar),
        float(tol),
        max_iter,
        X.shape[0],
        data_covariance,
        complete=len(restarts) == len(starts),
    )
