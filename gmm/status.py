"""What the status line says about one snapshot of a run, in words.

The Explore page prints :func:`describe` and nothing else, so that what it says is what
the engine knows: the phase, the log-likelihood and its change, and a verdict that agrees
with the stepper's convergence test and diagnostics::

    >>> status = describe(stepper, 6)
    >>> status.markdown()
    '**Iteration 3**, after the M-step · log-likelihood **-1,130.264** (Δ +0.125) · ...'

=====================================  ===============================================
verdict                                when
=====================================  ===============================================
``converged ✓``                        the convergence test passed (``|Δ| < tol``)
``stopped at a saddle point``          it passed with two components the same Gaussian
``not converged yet``                  ``tol > 0``, before ``max_iter``
``not converged: max_iter reached``    ``tol > 0``, at or past ``max_iter``
``running to max_iter (tol = 0)``      ``tol = 0`` turns the test off, before ``max_iter``
``ran to max_iter (tol = 0)``          ``tol = 0``, at or past ``max_iter``
``stopped: a covariance collapsed``    the run halted on a singular covariance
``stopped by you before converging``   Stop ended a run to convergence here
=====================================  ===============================================

A change within rounding of the log-likelihood (:func:`gmm.diagnostics.rounding_level`)
reads "Δ ≈ 0, rounding only", never as a fall. This module imports NumPy only, besides the
engine's diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gmm import diagnostics as dx

if TYPE_CHECKING:  # pragma: no cover
    from gmm.stepper import EMStepper, Snapshot

#: How each phase is named after its half-step.
PHASE_TEXT = {"init": "initialisation", "E": "after the E-step", "M": "after the M-step"}

#: The verdicts, by kind (see the module's table).
VERDICTS = {
    "converged": "converged ✓",
    "saddle_point": "stopped at a saddle point",
    "running": "not converged yet",
    "max_iter": "not converged: max_iter reached",
    "tol_zero_running": "running to max_iter (tol = 0)",
    "tol_zero_done": "ran to max_iter (tol = 0)",
    "halted": "stopped: a covariance collapsed",
    "stopped": "stopped by you before converging",
}

E_STEP_CHANGE = "unchanged: an E-step only recomputes the responsibilities"
ROUNDING_CHANGE = "Δ ≈ 0, rounding only"


@dataclass(frozen=True)
class Status:
    """The status of one snapshot, as numbers and as words.

    Attributes
    ----------
    index : int
        The snapshot's position in the history.
    last_index : int
        The latest snapshot's position (the history has ``last_index + 1`` snapshots).
    iteration : int
        EM iteration (0 at the initialisation).
    phase : {'init', 'E', 'M'}
    phase_text : str
        ``"initialisation"``, ``"after the E-step"`` or ``"after the M-step"``.
    log_likelihood : float
        Total log-likelihood of the snapshot's parameters.
    change : float
        Its change since the snapshot before (NaN at the initialisation, 0 after an
        E-step, which keeps the parameters).
    change_kind : {'none', 'unchanged', 'rounding', 'rise', 'fall'}
        ``rounding`` for a change within rounding (shown as "≈ 0"), ``fall`` for a real
        decrease (which the snapshot's ``loglik_decrease`` diagnostic explains).
    change_text : str
        ``""``, ``"unchanged: an E-step only ..."``, ``"Δ ≈ 0, rounding only"``,
        ``"Δ +1.234"`` or ``"Δ −0.5678, a fall"``.
    verdict_kind : str
        A key of :data:`VERDICTS`.
    verdict : str
        Its words, e.g. ``"converged ✓"``.
    """

    index: int
    last_index: int
    iteration: int
    phase: str
    phase_text: str
    log_likelihood: float
    change: float
    change_kind: str
    change_text: str
    verdict_kind: str
    verdict: str

    @property
    def heading(self) -> str:
        """``"Iteration 3 · after the E-step"`` (or ``"Iteration 0 · initialisation"``)."""
        return f"Iteration {self.iteration} · {self.phase_text}"

    def _parts(self, bold) -> list[str]:
        change = f" ({self.change_text})" if self.change_text else ""
        return [
            f"{bold(f'Iteration {self.iteration}')}, {self.phase_text}",
            f"log-likelihood {bold(f'{self.log_likelihood:,.3f}')}{change}",
            self.verdict,
            f"half-step {self.index} of {self.last_index}",
        ]

    def text(self) -> str:
        """The status as one line of plain text."""
        return " · ".join(self._parts(str))

    def markdown(self) -> str:
        """The status as one line of Markdown, with the iteration and value in bold."""
        return " · ".join(self._parts(lambda words: f"**{words}**"))


def describe(stepper: EMStepper, index: int | None = None) -> Status:
    """The status of snapshot ``index`` of ``stepper``'s history.

    Parameters
    ----------
    stepper : EMStepper
    index : int, optional
        The snapshot on screen; the latest by default. Negative values count from the
        end.

    Returns
    -------
    Status
    """
    snapshots = stepper.snapshots
    shown = snapshots[-1 if index is None else index]
    previous = snapshots[shown.index - 1] if shown.index else None
    change, change_kind, change_text = _change(shown, previous, stepper.n_samples)
    verdict_kind = _verdict(stepper, shown)
    return Status(
        index=shown.index,
        last_index=len(snapshots) - 1,
        iteration=shown.iteration,
        phase=shown.phase,
        phase_text=PHASE_TEXT[shown.phase],
        log_likelihood=shown.log_likelihood,
        change=change,
        change_kind=change_kind,
        change_text=change_text,
        verdict_kind=verdict_kind,
        verdict=VERDICTS[verdict_kind],
    )


def _change(shown: Snapshot, previous: Snapshot | None, n_samples: int):
    """``(change, kind, words)`` of the log-likelihood since the snapshot before."""
    if previous is None:
        return float("nan"), "none", ""
    change = shown.log_likelihood - previous.log_likelihood
    if shown.phase == "E":
        return change, "unchanged", E_STEP_CHANGE
    if not np.isfinite(change):
        return change, "rise" if change > 0 else "fall", f"Δ {change:+}"
    if dx.is_rounding(change, previous.log_likelihood, n_samples):
        return change, "rounding", ROUNDING_CHANGE
    if change > 0:
        return change, "rise", f"Δ {change:+,.4g}"
    return change, "fall", f"Δ −{-change:,.4g}, a fall"


def _verdict(stepper: EMStepper, shown: Snapshot) -> str:
    """The key of :data:`VERDICTS` for ``shown``."""
    if stepper.halted is not None and shown.index == len(stepper.snapshots) - 1:
        return "halted"
    if shown.converged:
        return "saddle_point" if dx.identical_components(shown.params) else "converged"
    if any(d.kind == "stopped" for d in shown.diagnostics):
        return "stopped"
    at_limit = shown.iteration - (shown.phase == "E") >= stepper.max_iter
    if stepper.tol == 0:
        return "tol_zero_done" if at_limit else "tol_zero_running"
    return "max_iter" if at_limit else "running"
