"""One EM run: its settings, running it from one seed, and the loop that runs many.

==================  ===================================================================
``RunSettings``     everything that defines a run besides the data: a value the app
                    compares, exports and repeats (Explore page)
``fit_once``        one run to convergence, ``max_iter`` or a halt; never raises for a
                    singular start, the :class:`Attempt` it returns says what happened
``derive_seed``     the seed of one run among many, derived from the user's one seed
``multistart``      the one loop over many runs, with ``progress`` and ``should_stop``
``run_plan``        a sweep's or a batch of restarts' runs, in this process, in order
==================  ===================================================================

:func:`gmm.sweep.fit_sweep` and :func:`gmm.restarts.run_restarts` build a
``RunSettings`` per run and hand :func:`fit_once` to :func:`multistart`;
:class:`gmm.mixture.GaussianMixture` runs its ``n_init`` starts through the same loop.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TypeVar

import numpy as np

from gmm.init import describe_init
from gmm.params import MixtureParams, describe_covariance
from gmm.stepper import EMStepper, SharedData

#: Largest derived seed (the app's seed input accepts 0 .. 2**31 - 1).
MAX_SEED = 2**31 - 1

Progress = Callable[[int, int, str], None]
ShouldStop = Callable[[], bool]
Result = TypeVar("Result")

_LABELS = {
    "n_components": "K",
    "covariance_type": "covariance",
    "init": "initialisation",
    "seed": "seed",
    "reg_covar": "reg_covar",
    "tol": "tol",
    "max_iter": "max_iter",
    "means": "starting means",
}


def _shown(name: str, value) -> str:
    """A setting's value as the user sees it: a label, or a number in its shortest form."""
    if name == "init":
        return describe_init(value)
    if name == "covariance_type":
        return describe_covariance(value)
    if isinstance(value, float):
        return "0" if value == 0 else f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class RunSettings:
    """Everything that defines a run besides the data.

    Parameters
    ----------
    n_components : int
        K.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    init : {'kmeans', 'k-means++', 'random_from_data', 'random', 'explicit'}
    seed : int
    reg_covar, tol : float
    max_iter : int
    means : tuple of tuples of float, optional
        Starting means, shape (K, d), used when ``init == 'explicit'``.
    """

    n_components: int = 2
    covariance_type: str = "full"
    init: str = "kmeans"
    seed: int = 0
    reg_covar: float = 1e-6
    tol: float = 1e-3
    max_iter: int = 100
    means: tuple[tuple[float, ...], ...] | None = None

    def start(self, X: np.ndarray, shared: SharedData | None = None) -> EMStepper:
        """A new stepper at the initialisation snapshot.

        Raises
        ------
        ValueError
            With a message for the user (bad K, singular start, ...).
        """
        means = None if self.means is None else np.asarray(self.means, dtype=float)
        return EMStepper.start(
            X,
            self.n_components,
            self.covariance_type,
            init=self.init,
            random_state=self.seed,
            reg_covar=self.reg_covar,
            tol=self.tol,
            max_iter=self.max_iter,
            means=means,
            shared=shared,
        )

    def derive(self, *key: int, **changes) -> RunSettings:
        """The settings of one run among many: ``changes`` applied, and the seed of run
        ``key`` derived from this seed with :func:`derive_seed`."""
        return replace(self, seed=derive_seed(self.seed, *key), **changes)

    def changes_from(self, other: RunSettings | None) -> str:
        """What differs from ``other``, in the words the user sees on screen.

        E.g. ``"K 2 → 3, initialisation k-means → random data points, tol 0.001 → 0"``:
        methods and covariance types by their labels (:data:`gmm.init.INIT_METHOD_LABELS`,
        :data:`gmm.params.COVARIANCE_LABELS`), numbers in their shortest form.
        """
        if other is None:
            return ""
        changed = []
        for f in fields(self):
            old, new = getattr(other, f.name), getattr(self, f.name)
            if old != new:
                changed.append(
                    f"{_LABELS[f.name]} changed"
                    if f.name == "means"
                    else f"{_LABELS[f.name]} {_shown(f.name, old)} → {_shown(f.name, new)}"
                )
        return ", ".join(changed)

    def to_dict(self) -> dict:
        """Plain-Python form for JSON export."""
        data = asdict(self)
        data["means"] = None if self.means is None else [list(m) for m in self.means]
        return data


# ------------------------------------------------------------------------- one run
@dataclass(frozen=True, eq=False)
class Attempt:
    """One EM run: its settings, and the stepper after ``run()`` or why it could not start.

    Attributes
    ----------
    settings : RunSettings
        Repeat the run exactly with ``settings.start(X)``.
    stepper : EMStepper or None
        None when the start itself failed (``failure`` says why).
    failure : str
        Empty for a run that started and did not halt.
    """

    settings: RunSettings
    stepper: EMStepper | None = field(repr=False)
    failure: str = ""

    @property
    def method(self) -> str:
        """Initialisation method."""
        return self.settings.init

    @property
    def seed(self) -> int:
        return self.settings.seed

    @property
    def started(self) -> bool:
        """Whether EM could start (the initial covariances were valid)."""
        return self.stepper is not None

    @property
    def halted(self) -> bool:
        """Whether EM stopped on a singular covariance (a collapsed component)."""
        return self.stepper is not None and self.stepper.halted is not None

    @property
    def ok(self) -> bool:
        """Started and did not halt: a usable fit."""
        return self.started and not self.halted

    @property
    def log_likelihood(self) -> float:
        """Total log-likelihood of the last parameters (NaN if EM could not start).

        For a halted run this is the value at its last valid half-step.
        """
        return self.stepper.current.log_likelihood if self.stepper is not None else math.nan

    @property
    def params(self) -> MixtureParams | None:
        """The last parameters, or None if EM could not start."""
        return self.stepper.current.params if self.stepper is not None else None

    @property
    def converged(self) -> bool:
        return self.ok and self.stepper.converged

    @property
    def n_iter(self) -> int:
        """EM iterations done (M-steps)."""
        return self.stepper.iterations_done if self.stepper is not None else 0

    @property
    def status(self) -> str:
        """``converged``, ``saddle point``, ``max_iter reached``, ``collapsed`` or
        ``failed to start``."""
        if not self.started:
            return "failed to start"
        if self.halted:
            return "collapsed"
        if any(d.kind == "saddle_point" for d in self.stepper.current.diagnostics):
            return "saddle point"
        return "converged" if self.stepper.converged else "max_iter reached"


def fit_once(X: np.ndarray, settings: RunSettings, shared: SharedData | None = None) -> Attempt:
    """Start EM with ``settings`` and run it to convergence, ``max_iter`` or a halt.

    Never raises for a singular start: the returned attempt says what happened.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    settings : RunSettings
    shared : SharedData, optional
        ``X``'s geometry and moments, computed once for many runs (see
        :class:`gmm.stepper.SharedData`).

    Returns
    -------
    Attempt
        Its stepper holds the full history (one snapshot per half-step). The stepper's
        cache of the latest responsibilities (n x K numbers) is released, so that many
        kept attempts cost memory in iterations x K x d**2, not in n.
    """
    try:
        stepper = settings.start(X, shared)
    except ValueError as error:  # SingularCovarianceError included
        return Attempt(settings, None, str(error))
    stepper.run()
    stepper.release_cache()
    failure = stepper.halted.message if stepper.halted is not None else ""
    return Attempt(settings, stepper, failure)


# ----------------------------------------------------------------------- many runs
def derive_seed(seed: int, *key: int) -> int:
    """The seed of one EM run: ``SeedSequence(seed, spawn_key=key)``, as an int < 2**31.

    What ``SeedSequence(seed).spawn`` does, one level per key: a run's seed depends only
    on the user's seed and where the run sits, not on which other runs are made.

    Parameters
    ----------
    seed : int
        The user's seed (0 or more).
    *key : int
        Where the run sits, e.g. ``(K, type_index, restart)``.

    Returns
    -------
    int
        In ``0 .. 2**31 - 1``; the same arguments always give the same seed.
    """
    sequence = np.random.SeedSequence(int(seed), spawn_key=tuple(int(k) for k in key))
    return int(sequence.generate_state(1)[0]) & MAX_SEED


def multistart(
    n_runs: int,
    run: Callable[[int], Result],
    *,
    label: Callable[[int], str] = str,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> Iterator[Result]:
    """Yield ``run(0)``, ``run(1)``, ... ``run(n_runs - 1)``, one at a time.

    Parameters
    ----------
    n_runs : int
    run : callable(i) -> result
        Run number ``i`` (for example ``fit_once`` with the i-th settings).
    label : callable(i) -> str, default str
        Words for run ``i`` in ``progress``, e.g. ``"K = 3, tied: restart 2 of 3"``.
    progress : callable(done, total, label), optional
        Called with ``(0, n_runs, "starting")`` before the first run, then after every
        run with the number of runs done.
    should_stop : callable() -> bool, optional
        Asked before every run; when it returns True the loop ends, so that fewer than
        ``n_runs`` results come out.

    Yields
    ------
    result
        The results in order. The loop runs as they are taken: a caller that keeps only
        the best holds one result at a time.
    """
    if progress is not None:
        progress(0, n_runs, "starting")
    for i in range(n_runs):
        if should_stop is not None and should_stop():
            return
        result = run(i)
        if progress is not None:
            progress(i + 1, n_runs, label(i))
        yield result


def run_plan(plan, progress: Progress | None = None, should_stop: ShouldStop | None = None):
    """Run every EM run of ``plan`` here, in order, and make its result.

    Parameters
    ----------
    plan : gmm.sweep.SweepPlan or gmm.restarts.RestartsPlan
        Has ``X``, ``n_runs``, ``label(i)``, ``run(i, shared)`` and ``result(runs)``;
        its runs can also be sent to other processes (the app's worker pool).
    progress, should_stop : callable, optional
        As for :func:`multistart`.

    Returns
    -------
    The plan's result (``SweepResult``, ``RestartsResult``).
    """
    shared = SharedData.of(plan.X)  # geometry and moments, once for every run
    runs = multistart(
        plan.n_runs,
        lambda i: plan.run(i, shared),
        label=plan.label,
        progress=progress,
        should_stop=should_stop,
    )
    return plan.result(runs)
