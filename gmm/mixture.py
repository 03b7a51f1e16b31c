"""A scikit-learn-compatible ``GaussianMixture`` built on the stepper.

Same constructor arguments, methods, attributes and array shapes as
``sklearn.mixture.GaussianMixture``; with the same initial parameters it follows the same
trajectory (see ``tests/engine/test_oracle.py``). It adds ``history_``, the step-by-step history
of the best run, which can be handed to the app.

Differences from scikit-learn:

* ``random_state`` seeds NumPy's ``Generator`` (an int, a Generator or None); the random
  streams are not scikit-learn's, so only explicit initial parameters reproduce its runs.
* ``init_params='k-means++'`` and ``'random_from_data'`` start each component with the
  data's covariance rather than ``reg_covar`` alone (see :mod:`gmm.init`).
* Far from the origin the diag, tied and spherical covariances stay exact (two-pass
  estimates), where scikit-learn's lose digits.
"""

from __future__ import annotations

import warnings

import numpy as np

from gmm.checks import (
    as_generator,
    check_count,
    check_covariance_type,
    check_data,
    check_em_settings,
    check_init_method,
)
from gmm.em import e_step
from gmm.init import initialize
from gmm.params import MixtureParams, SingularCovarianceError, covariance_shape
from gmm.run import multistart
from gmm.selection import aic, bic, n_parameters
from gmm.stepper import EMStepper


class ConvergenceWarning(UserWarning):
    """EM stopped at ``max_iter`` before converging."""


class NotFittedError(ValueError, AttributeError):
    """The model is used before ``fit``."""


class GaussianMixture:
    """Gaussian mixture fitted by EM, with scikit-learn's interface.

    Parameters
    ----------
    n_components : int, default 1
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default 'full'
    tol : float, default 1e-3
        Convergence threshold on the change of the mean log-likelihood.
    reg_covar : float, default 1e-6
        Non-negative regularisation added to the covariances' diagonals.
    max_iter : int, default 100
    n_init : int, default 1
        Number of initialisations; the best (highest final lower bound) is kept.
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}, default 'kmeans'
    weights_init : array-like of shape (n_components,), optional
    means_init : array-like of shape (n_components, n_features), optional
    precisions_init : array-like, optional
        Inverse covariances, shaped as scikit-learn's for ``covariance_type``.
    random_state : int, numpy.random.Generator or None

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_, precisions_, precisions_cholesky_ : ndarray
        Shaped by ``covariance_type`` as in scikit-learn.
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        Mean log-likelihood measured at the last E-step of the best run.
    lower_bounds_ : list of float
        That value at every iteration of the best run.
    history_ : tuple of gmm.stepper.Snapshot
        Every half-step of the best run.
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

    # ------------------------------------------------------------------------ fitting
    def fit(self, X, y=None) -> GaussianMixture:
        """Fit the mixture by EM (``n_init`` runs, keeping the best). Returns self."""
        self.fit_predict(X)
        return self

    def fit_predict(self, X, y=None) -> np.ndarray:
        """Fit, then return the most probable component of each point, shape (n_samples,)."""
        X, n_init = self._check_settings(X)
        rng = as_generator(self.random_state)  # one stream for every start, as scikit-learn
        # The first start with the highest final lower bound wins, as in scikit-learn;
        # max() takes the runs one at a time, so only the best so far is kept.
        stepper = max(multistart(n_init, lambda _: self._run_once(X, rng)), key=self._final_bound)
        self._adopt(stepper, self._final_bound(stepper))
        return self.predict(X)

    def _check_settings(self, X) -> tuple[np.ndarray, int]:
        """X as an array and n_init as an int, if every setting is usable."""
        X = check_data(X, self.n_components)
        check_covariance_type(self.covariance_type)
        check_init_method(self.init_params, seeded=True)
        n_init = check_count("n_init", self.n_init, 1)
        check_em_settings(self.reg_covar, self.tol, self.max_iter)
        self.n_features_in_ = X.shape[1]
        return X, n_init

    def _initial_params(self, X, rng) -> MixtureParams:
        given = (self.weights_init, self.means_init, self.precisions_init)
        _check_init_shapes(given, self.n_components, X.shape[1], self.covariance_type)
        weights, means, precisions = given
        if weights is None or means is None or precisions is None:
            base = initialize(
                X, self.n_components, self.covariance_type, self.init_params, rng, self.reg_covar
            )
            weights = base.weights if weights is None else weights
            means = base.means if means is None else means
            if precisions is None:
                return MixtureParams(weights, means, base.covariances, self.covariance_type)
        return MixtureParams.from_precisions(weights, means, precisions, self.covariance_type)

    def _run_once(self, X, rng) -> EMStepper:
        try:
            initial = self._initial_params(X, rng)
        except SingularCovarianceError as error:
            raise ValueError(f"{error} Increase reg_covar or lower n_components.") from error
        stepper = EMStepper(
            X, initial, reg_covar=self.reg_covar, tol=self.tol, max_iter=self.max_iter
        )
        stepper.run()
        if stepper.halted is not None:
            raise ValueError(
                "Fitting the mixture model failed because a covariance became singular: "
                f"{stepper.halted.message} {stepper.halted.advice}"
            )
        return stepper

    @staticmethod
    def _final_bound(stepper: EMStepper) -> float:
        e_values = [s.mean_log_likelihood for s in stepper.snapshots if s.phase == "E"]
        return e_values[-1] if e_values else -np.inf

    def _adopt(self, stepper: EMStepper, bound: float) -> None:
        params = stepper.current.params
        self.history_ = stepper.snapshots
        self.params_ = params
        self.weights_ = np.array(params.weights)
        self.means_ = np.array(params.means)
        self.covariances_ = np.array(params.covariances)
        self.precisions_ = np.array(params.precisions)
        self.precisions_cholesky_ = np.array(params.precisions_cholesky)
        self.converged_ = bool(stepper.converged)
        self.n_iter_ = stepper.iterations_done
        self.lower_bound_ = bound
        self.lower_bounds_ = [s.mean_log_likelihood for s in stepper.snapshots if s.phase == "E"]
        if not self.converged_ and self.max_iter > 0:
            warnings.warn(
                f"EM ran all max_iter = {self.max_iter} iterations: tol = 0 turns the "
                "convergence test off (as in scikit-learn); set tol above 0 to stop sooner."
                if self.tol == 0
                else "EM did not converge: increase max_iter or tol, or try another "
                "initialisation.",
                ConvergenceWarning,
                stacklevel=3,
            )

    # ---------------------------------------------------------------------- prediction
    def _fitted(self, X) -> tuple[np.ndarray, MixtureParams]:
        if not hasattr(self, "params_"):
            raise NotFittedError("This GaussianMixture is not fitted yet: call fit(X) first.")
        X = check_data(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but the model was fitted with {self.n_features_in_}."
            )
        return X, self.params_

    def predict_proba(self, X) -> np.ndarray:
        """Responsibilities of each component for each point, shape (n_samples, K)."""
        return e_step(*self._fitted(X)).responsibilities

    def predict(self, X) -> np.ndarray:
        """Most probable component of each point, shape (n_samples,)."""
        return np.argmax(e_step(*self._fitted(X)).responsibilities, axis=1)

    def score_samples(self, X) -> np.ndarray:
        """log P(x_i) for each point, shape (n_samples,)."""
        return e_step(*self._fitted(X)).log_density

    def score(self, X, y=None) -> float:
        """Mean log-likelihood per point."""
        return float(np.mean(self.score_samples(X)))

    def sample(self, n_samples: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Draw points from the fitted mixture.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,)
            The component each point was drawn from, grouped by component.
        """
        if n_samples < 1:
            raise ValueError(f"n_samples must be at least 1; got {n_samples}.")
        params = self._fitted(np.zeros((1, self.n_features_in_)))[1]
        rng = as_generator(self.random_state)
        counts = rng.multinomial(n_samples, params.weights)
        points = [
            rng.multivariate_normal(mean, cov, size=count, method="cholesky")
            for mean, cov, count in zip(params.means, params.full_covariances, counts)
        ]
        labels = np.repeat(np.arange(params.n_components), counts)
        return np.vstack(points), labels

    def _n_parameters(self) -> int:
        return n_parameters(self.n_components, self.means_.shape[1], self.covariance_type)

    def bic(self, X) -> float:
        """Bayesian information criterion on X (lower is better)."""
        X = check_data(X)
        return bic(self.score(X) * len(X), self._n_parameters(), len(X))

    def aic(self, X) -> float:
        """Akaike information criterion on X (lower is better)."""
        X = check_data(X)
        return aic(self.score(X) * len(X), self._n_parameters())


def _check_init_shapes(given, n_components, n_features, covariance_type):
    weights, means, precisions = given
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        if weights.shape != (n_components,):
            raise ValueError(
                f"weights_init must have shape ({n_components},); got {weights.shape}."
            )
        if np.any(weights < 0) or not np.isclose(weights.sum(), 1.0, rtol=0, atol=1e-8):
            raise ValueError(
                f"weights_init must be non-negative and sum to 1; they sum to "
                f"{weights.sum():.10g}. Divide them by their sum."
            )
    if means is not None and np.shape(means) != (n_components, n_features):
        raise ValueError(
            f"means_init must have shape ({n_components}, {n_features}); got {np.shape(means)}."
        )
    expected = covariance_shape(covariance_type, n_components, n_features)
    if precisions is not None and np.shape(precisions) != expected:
        raise ValueError(
            f"precisions_init for {covariance_type!r} covariances must have "
            f"shape {expected}; got {np.shape(precisions)}."
        )
