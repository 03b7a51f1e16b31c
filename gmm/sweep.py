"""How many components? Fit every K and covariance type, compare them by BIC and AIC.

:func:`fit_sweep` runs EM (:class:`gmm.stepper.EMStepper`) for each number of components
K and covariance type asked for, ``n_restarts`` times from different seeds, keeps the run
with the highest final log-likelihood, and scores it with

    BIC = -2 log L + p log n,        AIC = -2 log L + 2 p

(scikit-learn's convention: **lower is better**; R's mclust reports
``2 log L - p log n = -BIC``, where higher is better). ``p`` is
:func:`gmm.selection.n_parameters`.

A setting in which every restart fails -- the start already has a singular covariance,
or a component collapses onto a point so that EM cannot go on (typically with
``reg_covar = 0`` and duplicated points) -- does not raise: its row is marked
``degenerate`` and its note says why.

Seeds
-----
The seed of restart ``r`` of the fit ``(K, covariance type)`` is derived from the one
``seed`` argument as ``SeedSequence(seed, spawn_key=(K, type_index, r))`` (what
``SeedSequence(seed).spawn`` does, one level per key), reduced to an int in
``0 .. 2**31 - 1``. So a fit's restarts do not depend on which other K or types are in
the sweep, and each kept run can be repeated exactly from its ``seed`` with
:class:`gmm.run.RunSettings` (the app's Explore page).

This module imports NumPy and pandas only (no Streamlit, no Plotly).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

import numpy as np
import pandas as pd

from gmm.checks import (
    COVARIANCE_TYPES,
    check_covariance_types,
    check_data,
    check_init_method,
    check_k_values,
    check_run_settings,
)
from gmm.params import MixtureParams
from gmm.run import Attempt, Progress, RunSettings, ShouldStop, fit_once, run_plan
from gmm.selection import aic, bic, mclust_bic, n_parameters
from gmm.stepper import SharedData

#: Criteria :meth:`SweepResult.best` can rank by; True where lower is better.
CRITERIA = {"bic": True, "aic": True, "mclust_bic": False}


# ----------------------------------------------------------------------- the sweep
@dataclass(frozen=True, eq=False)
class SweepRow:
    """The best of a few EM runs for one K and covariance type, scored.

    Attributes
    ----------
    n_components : int
    covariance_type : str
    n_parameters : int
        Free parameters p.
    log_likelihood : float
        Total log-likelihood of the kept run; NaN when ``degenerate``.
    bic, aic, mclust_bic : float
        NaN when ``degenerate``.
    converged : bool
    n_iter : int
        Iterations of the kept run.
    degenerate : bool
        Every restart failed to start or collapsed: there is no fit to score.
    note : str
        Plain words: why it is degenerate, restarts that collapsed, warnings about the
        kept run (not converged, a component that collapsed or emptied).
    params : MixtureParams or None
        The kept run's parameters.
    seed : int or None
        The kept run's seed (repeat it with ``RunSettings(seed=...)``).
    n_restarts : int
        Restarts actually run (fewer than asked when the sweep was stopped).
    n_failed : int
        Restarts that failed to start or collapsed.
    """

    n_components: int
    covariance_type: str
    n_parameters: int
    log_likelihood: float
    bic: float
    aic: float
    mclust_bic: float
    converged: bool
    n_iter: int
    degenerate: bool
    note: str
    params: MixtureParams | None = field(default=None, repr=False)
    seed: int | None = None
    n_restarts: int = 0
    n_failed: int = 0

    @property
    def label(self) -> str:
        """E.g. ``"tied, K = 3"``."""
        return f"{self.covariance_type}, K = {self.n_components}"

    def score(self, criterion: str = "bic") -> float:
        """The value of ``criterion`` ('bic', 'aic' or 'mclust_bic')."""
        _check_criterion(criterion)
        return getattr(self, criterion)


def _check_criterion(criterion: str) -> None:
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {', '.join(CRITERIA)}; got {criterion!r}.")


@dataclass(frozen=True, eq=False)
class SweepResult:
    """All rows of a sweep and the settings that produced them.

    Attributes
    ----------
    rows : tuple of SweepRow
        K-major order (every type for K = 1, then K = 2, ...); only the fits that were
        run when the sweep was stopped early.
    n_samples, n_features : int
    k_values : tuple of int
        The K asked for.
    covariance_types : tuple of str
        The types asked for.
    n_restarts : int
    init : str
    seed : int
    reg_covar, tol : float
    max_iter : int
    complete : bool
        False when ``should_stop`` ended the sweep early.
    """

    rows: tuple[SweepRow, ...]
    n_samples: int
    n_features: int
    k_values: tuple[int, ...]
    covariance_types: tuple[str, ...]
    n_restarts: int
    init: str
    seed: int
    reg_covar: float
    tol: float
    max_iter: int
    complete: bool = True

    def row(self, n_components: int, covariance_type: str) -> SweepRow | None:
        """The row of one fit, or None if it was not run."""
        return next(
            (
                r
                for r in self.rows
                if r.n_components == n_components and r.covariance_type == covariance_type
            ),
            None,
        )

    def ranked(self, criterion: str = "bic") -> tuple[SweepRow, ...]:
        """Usable rows, best first (ties: fewer parameters first). Degenerate rows and
        rows whose criterion is not finite are left out."""
        _check_criterion(criterion)
        sign = 1.0 if CRITERIA[criterion] else -1.0
        usable = [r for r in self.rows if not r.degenerate and np.isfinite(r.score(criterion))]
        return tuple(
            sorted(
                usable, key=lambda r: (sign * r.score(criterion), r.n_parameters, r.n_components)
            )
        )

    def best(self, criterion: str = "bic") -> SweepRow | None:
        """The best row by ``criterion`` (lowest BIC or AIC, highest mclust BIC), or None
        when no fit is usable."""
        ranked = self.ranked(criterion)
        return ranked[0] if ranked else None

    def curve(self, covariance_type: str, criterion: str = "bic") -> tuple[np.ndarray, np.ndarray]:
        """K values and criterion values of one type, NaN where degenerate or not run.

        Returns
        -------
        ks : ndarray of int, shape (len(k_values),)
        values : ndarray of float, same shape
        """
        _check_criterion(criterion)
        ks = np.array(self.k_values, dtype=int)
        values = np.full(len(ks), np.nan)
        for i, k in enumerate(ks):
            found = self.row(int(k), covariance_type)
            if found is not None and not found.degenerate:
                values[i] = found.score(criterion)
        return ks, values

    def degenerate_k_values(self) -> tuple[int, ...]:
        """The K at which every fit that was run is degenerate (no usable model)."""
        out = []
        for k in self.k_values:
            rows = [r for r in self.rows if r.n_components == k]
            if rows and all(r.degenerate for r in rows):
                out.append(k)
        return tuple(out)

    @property
    def n_fits(self) -> int:
        """Rows run, out of ``len(k_values) * len(covariance_types)``."""
        return len(self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One line per fit: K, covariance type, log-likelihood, parameters, BIC, AIC,
        converged, note (NaN criteria for degenerate fits)."""
        return pd.DataFrame(
            [
                {
                    "K": r.n_components,
                    "covariance type": r.covariance_type,
                    "log-likelihood": r.log_likelihood,
                    "parameters": r.n_parameters,
                    "BIC": r.bic,
                    "AIC": r.aic,
                    "converged": r.converged,
                    "note": r.note,
                }
                for r in self.rows
            ],
            columns=[
                "K",
                "covariance type",
                "log-likelihood",
                "parameters",
                "BIC",
                "AIC",
                "converged",
                "note",
            ],
        )


def check_sweep_arguments(
    X, k_values, covariance_types, n_restarts, init, seed, reg_covar, tol, max_iter
) -> tuple[np.ndarray, tuple[int, ...], tuple[str, ...]]:
    """Refuse what :func:`fit_sweep` would refuse, without running EM.

    Takes :func:`fit_sweep`'s arguments (all of them, no callbacks).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    k_values : tuple of int
        Sorted, without repeats.
    covariance_types : tuple of str
        In the order of ``COVARIANCE_TYPES``.

    Raises
    ------
    ValueError
        The first problem found, with a message that says what to change.
    """
    X = check_data(X)
    ks = check_k_values(k_values, X.shape[0])
    types = check_covariance_types(covariance_types)
    check_init_method(init, seeded=True)
    check_run_settings(n_restarts, seed, reg_covar, tol, max_iter)
    return X, ks, types


def fit_sweep(
    X,
    k_values: Iterable[int],
    covariance_types: Iterable[str] = COVARIANCE_TYPES,
    n_restarts: int = 3,
    init: str = "kmeans",
    seed: int = 0,
    reg_covar: float = 1e-6,
    tol: float = 1e-3,
    max_iter: int = 200,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> SweepResult:
    """Fit every K and covariance type, keep the best of ``n_restarts`` runs of each.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    k_values : iterable of int
        Numbers of components to try, each from 1 to n_samples (repeats are dropped).
    covariance_types : iterable of str
        Among 'full', 'tied', 'diag', 'spherical'.
    n_restarts : int, default 3
        EM runs per fit, from seeds derived from ``seed`` (see the module docstring); the
        one with the highest final log-likelihood is kept.
    init : str, default 'kmeans'
        Initialisation method of every run (not 'explicit').
    seed : int, default 0
    reg_covar, tol : float
    max_iter : int, default 200
    progress : callable(done, total, label), optional
        Called after every EM run with the number of runs done, the total, and a label
        such as ``"K = 3, tied: restart 2 of 3"``; first with ``done = 0``.
    should_stop : callable() -> bool, optional
        Asked before every EM run; when it returns True the sweep ends and returns the
        fits run so far with ``complete=False`` (a fit whose restarts were cut short
        keeps the best of those run, and says so in its note).

    Returns
    -------
    SweepResult

    Raises
    ------
    ValueError
        For unusable arguments, with a message that says what to change (an empty K
        range, K larger than the number of points, an unknown covariance type, ...).
        A fit in which every run collapses does not raise: its row is ``degenerate``.
    """
    plan = plan_sweep(
        X, k_values, covariance_types, n_restarts, init, seed, reg_covar, tol, max_iter
    )
    return run_plan(plan, progress, should_stop)


@dataclass(frozen=True, eq=False)
class SweepPlan:
    """A sweep cut into its EM runs: each one a task that can run anywhere, even in
    another process (the plan pickles), and the result made from their attempts.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features)
        The checked data.
    starts : tuple of RunSettings
        One per EM run, K-major, the restarts of a fit consecutive.
    k_values : tuple of int
    covariance_types : tuple of str
    n_restarts : int
    init : str
    seed : int
    reg_covar, tol : float
    max_iter : int
    """

    X: np.ndarray = field(repr=False)
    starts: tuple[RunSettings, ...]
    k_values: tuple[int, ...]
    covariance_types: tuple[str, ...]
    n_restarts: int
    init: str
    seed: int
    reg_covar: float
    tol: float
    max_iter: int

    @property
    def n_runs(self) -> int:
        return len(self.starts)

    def label(self, i: int) -> str:
        """Words for run ``i`` in a progress report, e.g. ``"K = 3, tied: restart 2 of 3"``."""
        start = self.starts[i]
        return (
            f"K = {start.n_components}, {start.covariance_type}: "
            f"restart {i % self.n_restarts + 1} of {self.n_restarts}"
        )

    def run(self, i: int, shared: SharedData) -> Attempt:
        """EM run ``i`` on ``shared.X`` (:class:`SharedData` of :attr:`X`, made once per
        process)."""
        return fit_once(shared.X, self.starts[i], shared)

    def result(self, attempts: Iterable[Attempt]) -> SweepResult:
        """The sweep's result from the attempts of runs ``0, 1, ...`` in order (fewer than
        :attr:`n_runs` when the sweep was stopped)."""
        rows = [  # one row per fit, from its restarts (consecutive in ``starts``)
            _summarise(self.X, k, covariance_type, list(group), self.n_restarts, self.max_iter)
            for (k, covariance_type), group in groupby(
                attempts, key=lambda a: (a.settings.n_components, a.settings.covariance_type)
            )
        ]
        n_run = sum(row.n_restarts for row in rows)
        return SweepResult(
            tuple(rows),
            self.X.shape[0],
            self.X.shape[1],
            self.k_values,
            self.covariance_types,
            self.n_restarts,
            self.init,
            self.seed,
            self.reg_covar,
            self.tol,
            self.max_iter,
            complete=n_run == self.n_runs,
        )


def plan_sweep(
    X,
    k_values: Iterable[int],
    covariance_types: Iterable[str] = COVARIANCE_TYPES,
    n_restarts: int = 3,
    init: str = "kmeans",
    seed: int = 0,
    reg_covar: float = 1e-6,
    tol: float = 1e-3,
    max_iter: int = 200,
) -> SweepPlan:
    """Check :func:`fit_sweep`'s arguments and cut the sweep into its EM runs.

    Takes :func:`fit_sweep`'s arguments without the callbacks; raises what it raises.

    Returns
    -------
    SweepPlan
    """
    X, ks, types = check_sweep_arguments(
        X, k_values, covariance_types, n_restarts, init, seed, reg_covar, tol, max_iter
    )
    n_restarts, seed, max_iter = int(n_restarts), int(seed), int(max_iter)
    every_run = RunSettings(
        init=init, seed=seed, reg_covar=float(reg_covar), tol=float(tol), max_iter=max_iter
    )
    starts = tuple(
        every_run.derive(
            k,
            COVARIANCE_TYPES.index(covariance_type),
            restart,
            n_components=k,
            covariance_type=covariance_type,
        )
        for k in ks
        for covariance_type in types
        for restart in range(n_restarts)
    )
    return SweepPlan(
        X, starts, ks, types, n_restarts, init, seed, float(reg_covar), float(tol), max_iter
    )


def _summarise(X, k, covariance_type, attempts, n_asked, max_iter) -> SweepRow:
    n, d = X.shape
    p = n_parameters(k, d, covariance_type)
    good = [a for a in attempts if a.ok]
    failed = len(attempts) - len(good)
    cut_short = (
        f"Stopped after {len(attempts)} of {n_asked} restarts." if len(attempts) < n_asked else ""
    )
    if not good:
        note = _degenerate_note(attempts)
        return SweepRow(
            k,
            covariance_type,
            p,
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            False,
            0,
            True,
            " ".join(filter(None, [note, cut_short])),
            None,
            None,
            len(attempts),
            failed,
        )
    kept = max(good, key=lambda a: a.log_likelihood)
    log_likelihood = kept.log_likelihood
    notes = []
    if failed:
        notes.append(
            f"{failed} of {len(attempts)} restarts collapsed or could not start; "
            f"the best of the other {len(good)} is kept."
        )
    if not kept.converged:
        notes.append(f"Not converged after max_iter = {max_iter} iterations.")
    kinds = {dg.kind for dg in kept.stepper.current.diagnostics}
    if "collapse" in kinds:
        notes.append("A component collapsed: its likelihood is a spike, not a real fit.")
    if "empty" in kinds:
        notes.append("A component emptied (it explains no points).")
    if cut_short:
        notes.append(cut_short)
    return SweepRow(
        k,
        covariance_type,
        p,
        log_likelihood,
        bic(log_likelihood, p, n),
        aic(log_likelihood, p),
        mclust_bic(log_likelihood, p, n),
        kept.converged,
        kept.n_iter,
        False,
        " ".join(notes),
        kept.params,
        kept.seed,
        len(attempts),
        failed,
    )


def _degenerate_note(attempts) -> str:
    count = len(attempts)
    every = "the only restart" if count == 1 else f"all {count} restarts"
    if all(a.halted for a in attempts):
        return (
            f"No fit: in {every} a component collapsed onto a point (its covariance "
            "became singular). Increase reg_covar or lower K."
        )
    if not any(a.started for a in attempts):
        return (
            f"No fit: {every} had a singular covariance at the start (too few "
            "distinct points for a cluster). Increase reg_covar or lower K."
        )
    return f"No fit: {every} collapsed or could not start. Increase reg_covar or lower K."
