"""A scikit-learn-compatible ``GaussianMixture`` built on the stepper.

A drop-in for ``sklearn.mixture.GaussianMixture`` that does not import scikit-learn: the
same constructor (parameters, defaults and their checks at ``fit``), methods, fitted
attributes, array shapes, errors and warnings, ``warm_start`` and ``verbose`` output. With
the same initial parameters it follows the same trajectory (``tests/engine/test_oracle.py``,
``tests/engine/test_api_parity.py``). It adds ``history_``, the step-by-step history of the
kept run, which can be handed to the app.

Differences from scikit-learn:

* ``random_state`` seeds NumPy's ``Generator`` (an int, a ``Generator``, a ``RandomState``
  or None); the random streams are not scikit-learn's, so only explicit initial parameters
  reproduce its runs.
* ``init_params='k-means++'`` and ``'random_from_data'`` start each component with the
  data's covariance rather than ``reg_covar`` alone (see :mod:`gmm.init`).
* Far from the origin the diag, tied and spherical covariances stay exact (two-pass
  estimates), where scikit-learn's lose digits.
* Everything is computed in float64, also for float32 data.
* A run that meets a singular covariance stops with a ``ValueError`` that says what to
  change; a ``ValueError`` also where scikit-learn fails later with a confusing one
  (``warm_start`` after changing ``n_components``, ``precisions_init`` with
  ``max_iter=0``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from time import perf_counter

import numpy as np

from gmm import diagnostics as dx
from gmm.em import e_step
from gmm.estimator import ParamsMixin
from gmm.init import initialize
from gmm.mixture_checks import (
    as_random_generator,
    check_constructor,
    check_feature_names,
    check_fit_data,
    check_initial_means,
    check_initial_precisions,
    check_initial_weights,
    check_n_samples,
    check_predict_data,
    feature_names,
)
from gmm.params import MixtureParams, SingularCovarianceError
from gmm.run import multistart
from gmm.selection import aic, bic, n_parameters
from gmm.stepper import EMStepper, Snapshot


class ConvergenceWarning(UserWarning):
    """EM stopped at ``max_iter`` before converging."""


class NotFittedError(ValueError, AttributeError):
    """The model is used before ``fit`` (both a ``ValueError`` and an ``AttributeError``,
    as scikit-learn's)."""


@dataclass(frozen=True)
class _Run:
    """One EM run from one start: its history and how it ended."""

    history: tuple[Snapshot, ...]
    converged: bool
    n_iter: int
    lower_bounds: list[float]

    @property
    def lower_bound(self) -> float:
        """The last E-step's mean log-likelihood, or -inf if no iteration ran."""
        return self.lower_bounds[-1] if self.lower_bounds else -np.inf


class GaussianMixture(ParamsMixin):
    """Gaussian mixture fitted by EM, with scikit-learn's interface.

    Parameters
    ----------
    n_components : int, default 1
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default 'full'
    tol : float, default 1e-3
        Convergence threshold on the change of the mean log-likelihood; 0 runs
        ``max_iter`` iterations.
    reg_covar : float, default 1e-6
        Non-negative regularisation added to the covariances' diagonals.
    max_iter : int, default 100
        EM iterations per start; 0 keeps the starting parameters.
    n_init : int, default 1
        Number of starts; the one with the highest final lower bound is kept.
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}, default 'kmeans'
    weights_init : array-like of shape (n_components,), optional
    means_init : array-like of shape (n_components, n_features), optional
    precisions_init : array-like, optional
        Inverse covariances, shaped for ``covariance_type``: 'full' (n_components,
        n_features, n_features), 'tied' (n_features, n_features), 'diag' (n_components,
        n_features), 'spherical' (n_components,).
    random_state : int, numpy.random.Generator, numpy.random.RandomState or None
    warm_start : bool, default False
        If True, each ``fit`` after the first continues from the last solution (one run;
        ``n_init`` is ignored) and ``history_`` goes on from there.
    verbose : int, default 0
        1 prints each start and every ``verbose_interval``-th iteration; 2 also prints
        the time and the change of the log-likelihood.
    verbose_interval : int, default 10

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_, precisions_, precisions_cholesky_ : ndarray
        Shaped by ``covariance_type`` as ``precisions_init``.
    converged_ : bool
    n_iter_ : int
        Iterations of the kept run (of this ``fit`` only, with ``warm_start``).
    lower_bound_ : float
        Mean log-likelihood measured at the last E-step of the kept run (-inf when
        ``max_iter`` is 0).
    lower_bounds_ : list of float
        That value at every iteration of the kept run, as scikit-learn 1.9.
    n_features_in_ : int
    feature_names_in_ : ndarray of str, shape (n_features_in_,)
        Only when X was a DataFrame whose column names are all strings.
    history_ : tuple of gmm.stepper.Snapshot
        Every half-step of the kept run (and of the runs it continued, with
        ``warm_start``).
    params_ : gmm.params.MixtureParams
        The fitted parameters as one value.
    """

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    def __sklearn_tags__(self):
        """scikit-learn's tags (a density estimator, no target), for its own tools
        (``GridSearchCV``, ``Pipeline``, ``cross_val_score``).

        Only scikit-learn calls this, so scikit-learn is imported only when it is already
        in use.
        """
        from sklearn.utils import Tags, TargetTags

        return Tags(estimator_type="DensityEstimator", target_tags=TargetTags(required=False))

    # ------------------------------------------------------------------------ fitting
    def fit(self, X, y=None) -> GaussianMixture:
        """Fit the mixture by EM (``n_init`` starts, keeping the best).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            At least 2 samples and ``n_components`` samples.
        y : ignored

        Returns
        -------
        self
        """
        self.fit_predict(X)
        return self

    def fit_predict(self, X, y=None) -> np.ndarray:
        """Fit, then return the most probable component of each point.

        Returns
        -------
        ndarray of int, shape (n_samples,)
        """
        check_constructor(self.get_params(deep=False), type(self).__name__)
        names = feature_names(X)
        X = check_fit_data(X, self.n_components)
        given = self._checked_initial_params(X.shape[1])
        warm = self.warm_start and hasattr(self, "params_")
        if warm:
            self._check_warm_start(X.shape[1])
        self.n_features_in_ = X.shape[1]
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        report = _VerboseReport(self.verbose, self.verbose_interval)
        if warm:
            run = self._run(X, 0, self.params_, report, previous_bound=self.lower_bound_)
            history = self.history_ + _renumbered(run.history[1:], self.history_[-1])
            run = replace(run, history=history)
        else:
            run = self._best_start(X, given, report)
        self._adopt(run)
        return np.argmax(e_step(X, self.params_).log_responsibilities, axis=1)

    def _checked_initial_params(self, n_features: int) -> tuple:
        """``(weights_init, means_init, precisions_init)`` checked, each array or None."""
        k = self.n_components
        weights, means, precisions = self.weights_init, self.means_init, self.precisions_init
        return (
            None if weights is None else check_initial_weights(weights, k),
            None if means is None else check_initial_means(means, k, n_features),
            None
            if precisions is None
            else check_initial_precisions(precisions, self.covariance_type, k, n_features),
        )

    def _check_warm_start(self, n_features: int) -> None:
        last = self.params_
        same = (last.n_components, last.covariance_type, last.n_features)
        if same != (self.n_components, self.covariance_type, n_features):
            raise ValueError(
                "warm_start=True continues from the last fit, which had n_components="
                f"{last.n_components}, covariance_type={last.covariance_type!r} and "
                f"{last.n_features} features; this fit asks for n_components="
                f"{self.n_components}, covariance_type={self.covariance_type!r} and "
                f"{n_features} features. Set warm_start=False to start afresh."
            )

    def _best_start(self, X, given, report) -> _Run:
        """``n_init`` runs from fresh starts; the first with the highest lower bound wins.

        As scikit-learn, with ``max_iter=0`` the last start is kept.
        """
        rng = as_random_generator(self.random_state)  # one stream for every start
        best = None
        runs = multistart(
            int(self.n_init), lambda i: self._run(X, i, self._initial_params(X, given, rng), report)
        )
        for run in runs:  # taken one at a time: only the best so far is kept
            if best is None or best.lower_bound == -np.inf or run.lower_bound > best.lower_bound:
                best = run
        return best

    def _initial_params(self, X, given, rng) -> MixtureParams:
        """The start: the given initial parameters, the rest from ``init_params``."""
        weights, means, precisions = given
        try:
            if weights is None or means is None or precisions is None:
                base = initialize(
                    X,
                    self.n_components,
                    self.covariance_type,
                    self.init_params,
                    rng,
                    self.reg_covar,
                )
                weights = base.weights if weights is None else weights
                means = base.means if means is None else means
                if precisions is None:
                    return MixtureParams(weights, means, base.covariances, self.covariance_type)
            return MixtureParams.from_precisions(weights, means, precisions, self.covariance_type)
        except SingularCovarianceError as error:
            raise ValueError(f"{error} Increase reg_covar or lower n_components.") from error

    def _run(self, X, index, initial, report, previous_bound=None) -> _Run:
        """EM from ``initial`` until convergence or ``max_iter``, as scikit-learn's loop.

        ``previous_bound`` (a warm start) is the lower bound the first iteration is
        compared with; a fresh start compares it with -inf.
        """
        report.start(index)
        stepper = EMStepper(
            X,
            initial,
            reg_covar=float(self.reg_covar),
            tol=float(self.tol),
            max_iter=int(self.max_iter),  # checked: may be a bool or a NumPy integer
        )
        early_change = None
        if self.max_iter > 0 and previous_bound is not None:
            # The stepper's first iteration never converges; scikit-learn's warm one may.
            stepper.step()
            _refuse_halt(stepper)
            change = _e_values(stepper)[-1] - previous_bound
            report.iteration(1, change)
            early_change = change if abs(change) < self.tol else None
        if self.max_iter > 0 and early_change is None:
            progress = report.progress(stepper, previous_bound) if report.active else None
            stepper.run(progress=progress)
            _refuse_halt(stepper)
        history = stepper.snapshots
        if early_change is not None:
            history = (*history[:-1], _mark_converged(history[-1], early_change, self.tol))
        bounds = _e_values(stepper)
        run = _Run(history, stepper.converged or early_change is not None, len(bounds), bounds)
        if self.max_iter > 0:
            report.end(run.converged, run.lower_bound)
        return run

    def _adopt(self, run: _Run) -> None:
        params = run.history[-1].params
        self.history_ = run.history
        self.params_ = params
        self.weights_ = np.array(params.weights)
        self.means_ = np.array(params.means)
        self.covariances_ = np.array(params.covariances)
        self.precisions_ = np.array(params.precisions)
        self.precisions_cholesky_ = np.array(params.precisions_cholesky)
        self.converged_ = bool(run.converged)
        self.n_iter_ = run.n_iter
        self.lower_bound_ = run.lower_bound
        self.lower_bounds_ = run.lower_bounds
        if not self.converged_ and self.max_iter > 0:
            warnings.warn(
                f"EM ran all max_iter = {self.max_iter} iterations: tol = 0 turns the "
                "convergence test off (as in scikit-learn); set tol above 0 to stop sooner."
                if self.tol == 0
                else "Best performing initialization did not converge: increase max_iter "
                "or tol, try other init parameters, or check for degenerate data.",
                ConvergenceWarning,
                stacklevel=4,
            )

    # ---------------------------------------------------------------------- prediction
    def _check_is_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    def _checked(self, X) -> np.ndarray:
        """X for prediction: the model is fitted, and X has its features (and names)."""
        self._check_is_fitted()
        check_feature_names(getattr(self, "feature_names_in_", None), X, type(self).__name__)
        return check_predict_data(X, self.n_features_in_, type(self).__name__)

    def predict_proba(self, X) -> np.ndarray:
        """Responsibilities of each component for each point, shape (n_samples, K)."""
        return e_step(self._checked(X), self.params_).responsibilities

    def predict(self, X) -> np.ndarray:
        """Most probable component of each point, shape (n_samples,)."""
        return np.argmax(e_step(self._checked(X), self.params_).log_responsibilities, axis=1)

    def score_samples(self, X) -> np.ndarray:
        """log P(x_i) for each point, shape (n_samples,)."""
        return e_step(self._checked(X), self.params_).log_density

    def score(self, X, y=None) -> float:
        """Mean log-likelihood per point."""
        return float(np.mean(self.score_samples(X)))

    def sample(self, n_samples=1) -> tuple[np.ndarray, np.ndarray]:
        """Draw points from the fitted mixture (seeded by ``random_state``, as sklearn).

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of int, shape (n_samples,)
            The component each point was drawn from, grouped by component.

        Raises
        ------
        ValueError
            For ``n_samples`` below 1 (or fractional).
        """
        self._check_is_fitted()
        n_samples = check_n_samples(n_samples)
        params, rng = self.params_, as_random_generator(self.random_state)
        counts = rng.multinomial(n_samples, params.weights)
        if params.covariance_type in ("full", "tied"):
            points = [
                rng.multivariate_normal(mean, cov, size=count, method="cholesky")
                for mean, cov, count in zip(params.means, params.full_covariances, counts)
            ]
        else:
            scales = np.sqrt(params.covariances).reshape(params.n_components, -1)
            points = [
                mean + rng.standard_normal((count, params.n_features)) * scale
                for mean, scale, count in zip(params.means, scales, counts)
            ]
        labels = np.repeat(np.arange(params.n_components, dtype=np.int64), counts)
        return np.vstack(points), labels

    def _n_parameters(self) -> int:
        return n_parameters(self.n_components, self.means_.shape[1], self.covariance_type)

    def bic(self, X) -> float:
        """Bayesian information criterion on X (lower is better)."""
        n_samples = len(self._checked(X))
        return bic(self.score(X) * n_samples, self._n_parameters(), n_samples)

    def aic(self, X) -> float:
        """Akaike information criterion on X (lower is better)."""
        n_samples = len(self._checked(X))
        return aic(self.score(X) * n_samples, self._n_parameters())


# ------------------------------------------------------------------------- helpers
def _e_values(stepper: EMStepper) -> list[float]:
    """The mean log-likelihood at every E-step: scikit-learn's ``lower_bounds_``."""
    return [s.mean_log_likelihood for s in stepper.snapshots if s.phase == "E"]


def _refuse_halt(stepper: EMStepper) -> None:
    if stepper.halted is not None:
        raise ValueError(
            "Fitting the mixture model failed because a covariance became singular: "
            f"{stepper.halted.message} {stepper.halted.advice}"
        )


def _mark_converged(snapshot: Snapshot, change: float, tol: float) -> Snapshot:
    """``snapshot`` marked as where EM converged (a warm start's first iteration)."""
    found = dx.saddle_point(snapshot.params, at="converged") or dx.converged(
        change, tol, snapshot.mean_log_likelihood
    )
    return replace(snapshot, converged=True, diagnostics=(*snapshot.diagnostics, found))


def _renumbered(snapshots, after: Snapshot) -> tuple[Snapshot, ...]:
    """``snapshots`` of a continued run, numbered on from ``after``."""
    return tuple(
        replace(s, index=after.index + 1 + i, iteration=after.iteration + s.iteration)
        for i, s in enumerate(snapshots)
    )


class _VerboseReport:
    """scikit-learn's ``verbose`` printing: each start, every ``interval``-th iteration,
    and how each start ended (with times and the lower bound when ``verbose >= 2``)."""

    def __init__(self, verbose, interval: int):
        self.verbose, self.interval = int(verbose), int(interval)
        self.active = self.verbose >= 1
        self._start = self._last = perf_counter()

    def start(self, index: int) -> None:
        if self.active:
            print(f"Initialization {index}")
            self._start = self._last = perf_counter()

    def iteration(self, n_iter: int, change: float) -> None:
        if not self.active or n_iter % self.interval:
            return
        if self.verbose == 1:
            print(f"  Iteration {n_iter}")
            return
        now = perf_counter()
        print(f"  Iteration {n_iter}\t time lapse {now - self._last:.5f}s\t ll change {change:.5f}")
        self._last = now

    def progress(self, stepper: EMStepper, previous_bound):
        """A ``progress`` callback for :meth:`EMStepper.run` that reports each iteration."""
        reported = [stepper.iterations_done]

        def report(done, total, label):
            for n_iter in range(reported[0] + 1, done + 1):
                values = _e_values(stepper)
                before = values[n_iter - 2] if n_iter > 1 else previous_bound
                self.iteration(n_iter, values[n_iter - 1] - (-np.inf if before is None else before))
            reported[0] = max(reported[0], done)

        return report

    def end(self, converged: bool, lower_bound: float) -> None:
        if not self.active:
            return
        outcome = "converged" if converged else "did not converge"
        if self.verbose == 1:
            print(f"Initialization {outcome}.")
        else:
            elapsed = perf_counter() - self._start
            print(
                f"Initialization {outcome}. time lapse {elapsed:.5f}s\t "
                f"lower bound {lower_bound:.5f}."
            )
