"""Restarts and local optima: run EM many times, see where it ends, group the endings.

EM climbs to the nearest local maximum of the likelihood from wherever it starts, so
different starts can end at different solutions. :func:`run_restarts` runs EM
``n_restarts`` times per initialisation method, keeping every run's full history;
:func:`gmm.solutions.group_solutions` then groups the runs that reached the same optimum.

This module imports NumPy, SciPy and pandas only (no Streamlit, no Plotly).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from gmm.checks import (
    INIT_METHODS,
    check_covariance_type,
    check_data,
    check_init_methods,
    check_run_settings,
)
from gmm.init import describe_init
from gmm.run import (
    Attempt,
    Progress,
    RunSettings,
    ShouldStop,
    fit_once,
    run_plan,
)
from gmm.solutions import SOLUTION_LOGLIK_TOL, SOLUTION_TOL, Solution, group_solutions
from gmm.stepper import EMStepper, SharedData


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
        """Distinct optima of the restarts that ended well (see :func:`gmm.solutions.group_solutions`),
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
    plan = plan_restarts(
        X, n_components, covariance_type, methods, n_restarts, seed, reg_covar, tol, max_iter
    )
    return run_plan(plan, progress, should_stop)


@dataclass(frozen=True, eq=False)
class RestartsPlan:
    """A batch of restarts cut into its EM runs: each one a task that can run anywhere,
    even in another process (the plan pickles), and the result made from them.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features)
        The checked data.
    starts : tuple of RunSettings
        One per run, methods interleaved.
    n_components : int
    covariance_type : str
    methods : tuple of str
    n_restarts : int
    seed : int
    reg_covar, tol : float
    max_iter : int
    """

    X: np.ndarray = field(repr=False)
    starts: tuple[RunSettings, ...]
    n_components: int
    covariance_type: str
    methods: tuple[str, ...]
    n_restarts: int
    seed: int
    reg_covar: float
    tol: float
    max_iter: int

    @property
    def n_runs(self) -> int:
        return len(self.starts)

    def label(self, i: int) -> str:
        """Words for run ``i`` in a progress report, e.g. ``"k-means: restart 2 of 20"``."""
        return f"{describe_init(self.starts[i].init)}: restart {i // len(self.methods) + 1} of {self.n_restarts}"

    def run(self, i: int, shared: SharedData) -> Restart:
        """EM run ``i`` on ``shared.X`` (:class:`SharedData` of :attr:`X`, made once per
        process)."""
        attempt = fit_once(shared.X, self.starts[i], shared)
        return Restart(attempt.settings, attempt.stepper, attempt.failure, index=i)

    def result(self, restarts: Iterable[Restart]) -> RestartsResult:
        """The batch's result from runs ``0, 1, ...`` in order (fewer than :attr:`n_runs`
        when it was stopped)."""
        restarts = tuple(restarts)
        centred = self.X - self.X.mean(axis=0)
        return RestartsResult(
            restarts,
            self.n_components,
            self.covariance_type,
            self.methods,
            self.n_restarts,
            self.seed,
            self.reg_covar,
            self.tol,
            self.max_iter,
            self.X.shape[0],
            centred.T @ centred / len(self.X),
            complete=len(restarts) == self.n_runs,
        )


def plan_restarts(
    X,
    n_components: int,
    covariance_type: str,
    methods: Sequence[str] = ("kmeans",),
    n_restarts: int = 20,
    seed: int = 0,
    reg_covar: float = 1e-6,
    tol: float = 1e-3,
    max_iter: int = 200,
) -> RestartsPlan:
    """Check :func:`run_restarts`'s arguments and cut the batch into its EM runs.

    Takes :func:`run_restarts`'s arguments without the callbacks; raises what it raises.

    Returns
    -------
    RestartsPlan
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
    starts = tuple(
        every_run.derive(INIT_METHODS.index(method), restart, init=method)
        for restart in range(n_restarts)
        for method in methods
    )
    return RestartsPlan(
        X,
        starts,
        n_components,
        covariance_type,
        methods,
        n_restarts,
        seed,
        float(reg_covar),
        float(tol),
        max_iter,
    )
