"""A lesson's runs: its data, the stepper a setting starts, and what a step's button does.

Everything here is the engine's own work (``EMStepper``, ``run_restarts``,
``fit_sweep``); a lesson only says which settings and which action.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gmm.data import Dataset
from gmm.data.named import builtin_data, generated_data
from gmm.params import MixtureParams
from gmm.restarts import RestartsResult, run_restarts
from gmm.run import RunSettings
from gmm.stepper import EMStepper
from gmm.sweep import SweepResult, fit_sweep

from .schema import DataSpec, Setting, Step

#: A column of a lesson CSV with this name holds each point's known group (not a feature).
LABEL_COLUMN = "group"


def lesson_dataset(spec: DataSpec) -> Dataset:
    """The data of a lesson, as the sidebar would build them (same columns, same order).

    Raises
    ------
    gmm.errors.DataError, ValueError
        For a generator or built-in name that does not exist.
    """
    if spec.kind == "builtin":
        dataset = builtin_data(spec.name)
    elif spec.kind == "generate":
        dataset = generated_data(spec.name, spec.n, spec.k, spec.dim, spec.seed)
    else:
        frame = pd.read_csv(spec.name)
        labels = frame.pop(LABEL_COLUMN).to_numpy() if LABEL_COLUMN in frame else None
        name = f"lesson data: {spec.name.rsplit('/', 1)[-1]}"
        dataset = Dataset.from_frame(name, frame, labels=labels)
    return dataset.with_standardisation(spec.standardise)


def run_settings(setting: Setting) -> RunSettings:
    """The Explore settings of a lesson's run (its sidebar values)."""
    return RunSettings(
        n_components=setting.k,
        init=setting.init,
        seed=setting.seed,
        reg_covar=setting.reg_covar,
        tol=setting.tol,
        max_iter=setting.max_iter,
        means=setting.means,
    )


def start_run(setting: Setting, X: np.ndarray) -> EMStepper:
    """A new stepper for ``setting``, taken forward to its half-step ``show``.

    With ``covariance_scale`` the explicit means start with covariances
    ``covariance_scale × I`` and equal weights; otherwise as :meth:`RunSettings.start`.

    Raises
    ------
    ValueError
        When EM cannot start (e.g. a singular starting covariance).
    """
    if setting.covariance_scale is not None:
        k, d = setting.k, X.shape[1]
        initial = MixtureParams(
            np.full(k, 1.0 / k),
            np.asarray(setting.means, dtype=float),
            np.broadcast_to(setting.covariance_scale * np.eye(d), (k, d, d)).copy(),
        )
        stepper = EMStepper(
            X, initial, reg_covar=setting.reg_covar, tol=setting.tol, max_iter=setting.max_iter
        )
    else:
        stepper = run_settings(setting).start(X)
    for _ in range(setting.show):
        if (stepper.e_step() if stepper.next_phase == "E" else stepper.m_step()) is None:
            break
    return stepper


@dataclass(eq=False)
class Outcome:
    """What a step's action did: the run after it, and any many-run result.

    Attributes
    ----------
    stepper : EMStepper
        A copy of the run before the action, taken forward by it.
    restarts : RestartsResult or None
    sweep : SweepResult or None
    point_opened : bool
        The ``point`` action: the arithmetic of the point at the arrow is shown.
    """

    stepper: EMStepper
    restarts: RestartsResult | None = None
    sweep: SweepResult | None = None
    point_opened: bool = False
    notes: list[str] = field(default_factory=list)


def perform(step: Step, stepper: EMStepper, setting: Setting) -> Outcome:
    """Do ``step``'s action on a copy of ``stepper`` (the original is left as it was).

    Parameters
    ----------
    step : Step
    stepper : EMStepper
        The run on screen before the action.
    setting : Setting
        The setting of that run (restarts and sweeps use its K, reg_covar, tol).
    """
    after = stepper.copy()
    action = step.action
    if action == "e_step" and after.next_phase == "E":
        after.e_step()
    elif action == "m_step" and after.next_phase == "M":
        after.m_step()
    elif action == "step":
        after.step()
    elif action == "iterations":
        for _ in range(step.iterations):
            if after.step() is None:
                break
    elif action == "run":
        after.run()
    elif action == "restarts":
        return Outcome(
            after,
            restarts=run_restarts(
                after.X,
                setting.k,
                "full",
                methods=(setting.init,) if setting.init != "explicit" else ("kmeans",),
                n_restarts=step.restarts,
                seed=setting.seed,
                reg_covar=setting.reg_covar,
                tol=setting.tol,
                max_iter=setting.max_iter,
            ),
        )
    elif action == "sweep":
        return Outcome(
            after,
            sweep=fit_sweep(
                after.X,
                step.k_values,
                ("full",),
                n_restarts=3,
                seed=setting.seed,
                reg_covar=setting.reg_covar,
                tol=setting.tol,
            ),
        )
    return Outcome(after, point_opened=action == "point")
