"""Step through EM one half-step at a time, with a history to go back to.

The :class:`EMStepper` holds the data, the current parameters and a list of
:class:`Snapshot` objects, one per half-step::

    index      0      1     2     3     4    ...
    phase      init   E     M     E     M
    iteration  0      1     1     2     2
    params     θ0     θ0    θ1    θ1    θ2

An E-step keeps the parameters and computes new responsibilities; an M-step computes new
parameters from the responsibilities of the E-step before it. A snapshot stores the
parameters, the log-likelihood of those parameters, EM's lower bound and diagnostics, but
never the n × K responsibilities: :meth:`EMStepper.responsibilities` recomputes them for
the snapshot on screen, so the history grows with iterations × K × d², not with n.

Convergence follows scikit-learn exactly, so that a run matches ``GaussianMixture``
iteration for iteration: after the M-step of iteration t, EM has converged when the mean
log-likelihoods measured by the E-steps of iterations t and t - 1 differ by less than
``tol`` (for t = 1 the previous value is -inf). The test is a strict "<", so ``tol = 0``
means "no convergence test": :meth:`EMStepper.run` runs ``max_iter`` iterations and says
so (a ``ran_to_max_iter`` diagnostic), even when the log-likelihood stops changing.
Where EM stops with two components that are the same Gaussian, the stop is a saddle point
(a ``saddle_point`` diagnostic instead of ``converged``).
"""

from __future__ import annotations

import copy as _copy
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from gmm import diagnostics as dx
from gmm.checks import check_data, check_em_settings
from gmm.em import EStepResult, e_step, estimate, lower_bound, lower_bound_from_statistics
from gmm.init import initialize
from gmm.moments import DataMoments
from gmm.params import MixtureParams, SingularCovarianceError

PHASES = ("init", "E", "M")


@dataclass(frozen=True)
class Snapshot:
    """The state of EM after one half-step.

    Attributes
    ----------
    index : int
        Position in the history (0 is the initialisation).
    iteration : int
        EM iteration; 0 for the initialisation, t for the E- and M-step of iteration t.
    phase : {'init', 'E', 'M'}
    params : MixtureParams
        The parameters after this half-step.
    log_likelihood : float
        Total log-likelihood of ``params`` on the data, sum_i log P(x_i).
    mean_log_likelihood : float
        ``log_likelihood / n`` (scikit-learn's score and lower bound).
    lower_bound : float
        EM's lower bound F(q, theta) with q the responsibilities on screen: equal to the
        log-likelihood after an E-step and below it after an M-step; NaN at init.
    converged : bool
        True from the M-step at which scikit-learn's criterion is met.
    diagnostics : tuple of Diagnostic
    """

    index: int
    iteration: int
    phase: str
    params: MixtureParams
    log_likelihood: float
    mean_log_likelihood: float
    lower_bound: float = float("nan")
    converged: bool = False
    diagnostics: tuple = field(default=())

    @property
    def label(self) -> str:
        """Short name such as ``"init"``, ``"3E"`` or ``"3M"``."""
        return "init" if self.phase == "init" else f"{self.iteration}{self.phase}"

    def to_dict(self) -> dict:
        """Plain-Python form for JSON export."""
        return {
            "index": self.index,
            "iteration": self.iteration,
            "phase": self.phase,
            "log_likelihood": _finite_or_none(self.log_likelihood),
            "mean_log_likelihood": _finite_or_none(self.mean_log_likelihood),
            "lower_bound": _finite_or_none(self.lower_bound),
            "converged": self.converged,
            "params": self.params.to_dict(),
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def _finite_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


@dataclass(frozen=True, eq=False)
class SharedData:
    """What every stepper on the same data computes alike, computed once for many runs.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features)
        The validated data (the very array the steppers are given).
    geometry : gmm.diagnostics.DataGeometry
    moments : gmm.moments.DataMoments
    """

    X: np.ndarray
    geometry: dx.DataGeometry
    moments: DataMoments

    @classmethod
    def of(cls, X) -> SharedData:
        """Validate ``X`` and compute its geometry and moments, once per array: while a
        ``SharedData`` of this very array is alive (a stepper holds it), it is returned
        again, so that every run on the same data shares one copy of the moments."""
        X = check_data(X)
        with _SHARED_LOCK:
            found = _SHARED.get(id(X))
            if found is None or found.X is not X:
                found = cls(X, dx.DataGeometry(X), DataMoments.of(X))
                _SHARED[id(X)] = found
            return found


#: The live SharedData by ``id`` of their array (the SharedData holds the array, so the
#: id cannot be reused while the entry exists).
_SHARED: weakref.WeakValueDictionary[int, SharedData] = weakref.WeakValueDictionary()
_SHARED_LOCK = threading.Lock()


class EMStepper:
    """EM on fixed data, one half-step at a time, with a history.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    initial : MixtureParams
        The starting parameters (see :func:`gmm.init.initialize` or :meth:`start`).
    reg_covar : float, default 1e-6
        Added to each covariance's diagonal in the M-step; 0 is allowed.
    tol : float, default 1e-3
        Convergence threshold on the change of the mean log-likelihood; 0 turns the
        test off, so that :meth:`run` runs ``max_iter`` iterations.
    max_iter : int, default 100
        Most iterations :meth:`run` will do.
    shared : SharedData, optional
        The data's geometry and moments, when many steppers run on the same ``X``
        (a sweep, restarts); computed here otherwise.

    Examples
    --------
    >>> stepper = EMStepper.start(X, n_components=3, random_state=0)
    >>> stepper.e_step(); stepper.m_step()        # one iteration, in two halves
    >>> stepper.run()                             # on to convergence
    >>> stepper.go_to(2)                          # back to the first M-step
    """

    def __init__(
        self,
        X,
        initial: MixtureParams,
        *,
        reg_covar: float = 1e-6,
        tol: float = 1e-3,
        max_iter: int = 100,
        shared: SharedData | None = None,
    ):
        self.X = check_data(X, initial.n_components)
        if initial.n_features != self.X.shape[1]:
            raise ValueError(
                f"The parameters have {initial.n_features} features but the "
                f"data have {self.X.shape[1]}."
            )
        self.reg_covar, self.tol, self.max_iter = check_em_settings(reg_covar, tol, max_iter)
        if shared is not None and shared.X is not self.X:
            raise ValueError("The shared data were computed for another X.")
        self.geometry = dx.DataGeometry(self.X) if shared is None else shared.geometry
        self._cache: OrderedDict[int, tuple[MixtureParams, EStepResult]] = OrderedDict()
        self._moments: DataMoments | None = None if shared is None else shared.moments
        self._shared = shared
        self.halted: dx.Diagnostic | None = None
        result = self._evaluate(initial)
        found = self.geometry.data_warnings(self.reg_covar)
        found += dx.component_diagnostics(initial, self.n_samples, self.geometry, self.reg_covar)
        found += self._lost(result)
        symmetric = dx.saddle_point(initial, at="start")
        found += [symmetric] if symmetric else []
        self._snapshots = [
            Snapshot(
                0,
                0,
                "init",
                initial,
                result.log_likelihood,
                result.mean_log_likelihood,
                diagnostics=tuple(found),
            )
        ]

    @classmethod
    def start(
        cls,
        X,
        n_components: int,
        covariance_type: str = "full",
        *,
        init: str = "kmeans",
        random_state=None,
        reg_covar: float = 1e-6,
        tol: float = 1e-3,
        max_iter: int = 100,
        means=None,
        shared: SharedData | None = None,
    ) -> EMStepper:
        """Initialise with :func:`gmm.init.initialize` and return a new stepper.

        Raises
        ------
        ValueError
            For bad settings, or a singular starting covariance
            (:class:`~gmm.params.SingularCovarianceError`).
        """
        X = check_data(X, n_components)
        initial = initialize(X, n_components, covariance_type, init, random_state, reg_covar, means)
        return cls(X, initial, reg_covar=reg_covar, tol=tol, max_iter=max_iter, shared=shared)

    # ----------------------------------------------------------------- read-only views
    @property
    def n_samples(self) -> int:
        """Number of data points n."""
        return self.X.shape[0]

    @property
    def snapshots(self) -> tuple[Snapshot, ...]:
        """The history, oldest first."""
        return tuple(self._snapshots)

    @property
    def current(self) -> Snapshot:
        """The latest snapshot."""
        return self._snapshots[-1]

    @property
    def next_phase(self) -> str:
        """``'M'`` right after an E-step, else ``'E'``."""
        return "M" if self.current.phase == "E" else "E"

    @property
    def converged(self) -> bool:
        """Whether the latest snapshot is at or after convergence."""
        return self.current.converged

    @property
    def can_step(self) -> bool:
        """False once the run has halted on a singular covariance."""
        return self.halted is None

    @property
    def iterations_done(self) -> int:
        """Completed iterations (M-steps) in the history."""
        return self.current.iteration - (self.current.phase == "E")

    def trajectory(self, attribute: str = "mean_log_likelihood") -> np.ndarray:
        """One snapshot attribute for the whole history, shape (n_snapshots,)."""
        return np.array([getattr(s, attribute) for s in self._snapshots])

    def responsibilities(self, index: int | None = None) -> np.ndarray | None:
        """The responsibilities on screen at a snapshot, recomputed from its parameters.

        Parameters
        ----------
        index : int, optional
            Snapshot index; the latest by default. Negative indices count from the end.

        Returns
        -------
        ndarray of shape (n_samples, n_components), or None at the initialisation
            At an E-step, those of its parameters; at an M-step, those of the E-step just
            before (the M-step changes the parameters, not the colours).
        """
        snapshot = self._snapshots[index if index is not None else -1]
        if snapshot.phase == "init":
            return None
        source = snapshot.index - (snapshot.phase == "M")
        return self._evaluate(self._snapshots[source].params).responsibilities

    # ---------------------------------------------------------------------- stepping
    def e_step(self) -> Snapshot | None:
        """Compute responsibilities for the current parameters and record an E snapshot.

        Returns
        -------
        Snapshot, or None if the run has halted.

        Raises
        ------
        RuntimeError
            If the latest snapshot is already an E-step (do the M-step next).
        """
        if self.halted:
            return None
        if self.current.phase == "E":
            raise RuntimeError("An E-step was just done: the next half-step is the M-step.")
        previous = self.current
        result = self._evaluate(previous.params)
        snapshot = Snapshot(
            len(self._snapshots),
            previous.iteration + 1,
            "E",
            previous.params,
            result.log_likelihood,
            result.mean_log_likelihood,
            lower_bound=result.log_likelihood,
            converged=previous.converged,
        )
        self._snapshots.append(snapshot)
        return snapshot

    def m_step(self) -> Snapshot | None:
        """Re-estimate the parameters from the latest E-step and record an M snapshot.

        If the new covariance is singular the run halts: the history is unchanged,
        :attr:`halted` holds the diagnostic and None is returned.

        Raises
        ------
        RuntimeError
            If the latest snapshot is not an E-step.
        """
        if self.halted:
            return None
        if self.current.phase != "E":
            raise RuntimeError("Do an E-step first: the M-step needs its responsibilities.")
        e_snapshot = self.current
        old = e_snapshot.params
        responsibilities_t = self._evaluate(old).responsibilities_t
        try:
            params, statistics = estimate(
                self.X, responsibilities_t, old.covariance_type, self.reg_covar, self.moments
            )
        except SingularCovarianceError as error:
            return self._halt(error.components)
        result = self._evaluate(params)
        if np.isnan(result.log_likelihood) or result.log_likelihood == np.inf:
            return self._halt(())
        bound = lower_bound_from_statistics(statistics, old, params, e_snapshot.log_likelihood)
        if np.isnan(bound):  # lost points: the closed form has -inf - (-inf)
            bound = lower_bound(responsibilities_t.T, result.weighted_log_density)
        change = e_snapshot.mean_log_likelihood - self._previous_e_value(e_snapshot)
        converged = e_snapshot.converged or abs(change) < self.tol
        found = dx.component_diagnostics(params, self.n_samples, self.geometry, self.reg_covar)
        found += self._lost(result)
        decrease = dx.loglik_decrease(
            e_snapshot.log_likelihood, result.log_likelihood, self.reg_covar, self.n_samples
        )
        found += [decrease] if decrease else []
        if converged and not e_snapshot.converged:
            stuck = dx.saddle_point(params, at="converged")
            found.append(stuck or dx.converged(change, self.tol, e_snapshot.mean_log_likelihood))
        snapshot = Snapshot(
            len(self._snapshots),
            e_snapshot.iteration,
            "M",
            params,
            result.log_likelihood,
            result.mean_log_likelihood,
            lower_bound=bound,
            converged=converged,
            diagnostics=tuple(found),
        )
        self._snapshots.append(snapshot)
        return snapshot

    def step(self) -> Snapshot | None:
        """Finish the next iteration: E-step then M-step (or just the M-step if due)."""
        if self.next_phase == "E" and self.e_step() is None:
            return None
        return self.m_step()

    def run(
        self,
        max_iter: int | None = None,
        *,
        progress: Callable[[int, int, str], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> Snapshot:
        """Iterate until convergence, ``max_iter`` iterations in all, a halt or a stop.

        Parameters
        ----------
        max_iter : int, optional
            Total iterations allowed in the history; ``self.max_iter`` by default.
        progress : callable(done, total, label), optional
            Called before the first iteration and after each one with the iterations in
            the history, the limit and the latest log-likelihood as words (the shape of
            :data:`gmm.run.Progress`).
        should_stop : callable() -> bool, optional
            Asked before each iteration; True ends the run there. Every snapshot computed
            so far stays: the history ends on a completed half-step, which carries a
            ``stopped`` diagnostic (see :attr:`stopped`).

        Returns
        -------
        Snapshot
            The latest snapshot. If the limit was reached first, it carries a
            ``not_converged`` diagnostic; if the run was stopped, a ``stopped`` one.
        """
        limit = self.max_iter if max_iter is None else int(max_iter)
        if progress is not None:
            progress(self.iterations_done, limit, self._progress_label())
        while not self.converged and self.halted is None:
            if self.iterations_done >= limit:
                self._note_not_converged(limit)
                break
            if should_stop is not None and should_stop():
                self._note_stopped(limit)
                break
            self.step()
            if progress is not None:
                progress(self.iterations_done, limit, self._progress_label())
        return self.current

    @property
    def stopped(self) -> bool:
        """Whether the latest snapshot is where a :meth:`run` was stopped (``should_stop``)."""
        return any(d.kind == "stopped" for d in self.current.diagnostics)

    def go_to(self, index: int) -> Snapshot:
        """Return to snapshot ``index``, discarding every later one; stepping resumes there.

        Negative indices count from the end, as for lists.
        """
        snapshot = self._snapshots[index]
        del self._snapshots[snapshot.index + 1 :]
        self.halted = None
        return snapshot

    def back(self) -> Snapshot:
        """Undo the latest half-step (no-op at the initialisation)."""
        return self.go_to(max(len(self._snapshots) - 2, 0))

    def copy(self) -> EMStepper:
        """An independent stepper with the same data (shared, read-only) and history.

        Snapshots are immutable, so the copy shares them; stepping or going back in
        either one leaves the other as it was.
        """
        clone = _copy.copy(self)
        clone._snapshots = list(self._snapshots)
        clone._cache = OrderedDict()
        return clone

    def release_cache(self) -> None:
        """Forget the remembered E-step results (n × K arrays) and the data's moments
        unless shared; they are recomputed on demand. Useful when many finished runs are
        kept (restarts) or a session goes idle; safe from another thread."""
        self._cache = OrderedDict()  # a new one: a step under way keeps the old
        self._moments = None if self._shared is None else self._shared.moments

    @property
    def cache_nbytes(self) -> int:
        """Bytes of the remembered E-step results (responsibilities, log-densities)."""
        return sum(  # the arrays it holds, with those its cached properties computed
            value.nbytes
            for _, result in list(self._cache.values())
            for value in list(vars(result).values())
            if isinstance(value, np.ndarray)
        )

    def detach_data(self) -> None:
        """Drop the data, their geometry and moments and the remembered E-step results,
        so that the stepper pickles small (a run sent back from a worker process).

        The stepper cannot step or recompute responsibilities until
        :meth:`attach_data` gives the data back.
        """
        self._cache.clear()
        self.X, self.geometry, self._moments, self._shared = None, None, None, None

    def attach_data(self, shared: SharedData) -> None:
        """Give a detached stepper its data back (the receiving process's own copy, so
        that many steppers share one array).

        Parameters
        ----------
        shared : SharedData
            Computed from the same data the stepper ran on.
        """
        self.X, self.geometry, self._moments, self._shared = (
            shared.X,
            shared.geometry,
            shared.moments,
            shared,
        )

    @property
    def moments(self) -> DataMoments:
        """The data's per-point moments (:mod:`gmm.moments`), computed on first use."""
        moments = self._moments
        if moments is None:
            moments = self._moments = DataMoments.of(self.X)
        return moments

    # ---------------------------------------------------------------------- internals
    def _evaluate(self, params: MixtureParams) -> EStepResult:
        """E-step for ``params``, remembered for the two most recent parameter sets."""
        key, cache = id(params), self._cache  # release_cache may replace it meanwhile
        if key in cache and cache[key][0] is params:
            cache.move_to_end(key)
            return cache[key][1]
        result = e_step(self.X, params)
        cache[key] = (params, result)
        while len(cache) > 2:
            cache.popitem(last=False)
        return result

    def _previous_e_value(self, e_snapshot: Snapshot) -> float:
        """Mean log-likelihood at the E-step of the iteration before, or -inf."""
        if e_snapshot.iteration == 1:
            return -np.inf
        return self._snapshots[e_snapshot.index - 2].mean_log_likelihood

    def _lost(self, result: EStepResult) -> list[dx.Diagnostic]:
        count = int(np.sum(~np.isfinite(result.log_density)))
        return [dx.lost_points(count)] if count else []

    def _halt(self, components) -> None:
        self.halted = dx.singular(components, self.reg_covar)
        return None

    def _note_not_converged(self, limit: int) -> None:
        """Say why EM stopped at ``limit`` iterations: ``tol = 0`` asked for it
        (``ran_to_max_iter``) or it had not converged (``not_converged``); and whether
        it stopped at a saddle point."""
        last = self.current
        said = ("not_converged", "ran_to_max_iter")
        if any(d.kind in said for d in last.diagnostics) or last.index == 0:
            return
        before = self._snapshots[max(last.index - 2, 0)]
        change = last.mean_log_likelihood - before.mean_log_likelihood
        if self.tol == 0:
            extra = [dx.ran_to_max_iter(limit, change, last.mean_log_likelihood)]
        else:
            extra = [dx.not_converged(limit, change, self.tol, last.mean_log_likelihood)]
        stuck = dx.saddle_point(last.params, at="max_iter")
        if stuck and not any(d.kind == "saddle_point" for d in last.diagnostics):
            extra.append(stuck)
        self._snapshots[-1] = replace(last, diagnostics=(*last.diagnostics, *extra))

    def _note_stopped(self, limit: int) -> None:
        last = self.current
        if any(d.kind == "stopped" for d in last.diagnostics):
            return
        extra = dx.stopped(self.iterations_done, limit)
        self._snapshots[-1] = replace(last, diagnostics=(*last.diagnostics, extra))

    def _progress_label(self) -> str:
        return f"log-likelihood {self.current.log_likelihood:,.3f}"
