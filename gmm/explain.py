"""One point's E-step laid open, and what a half-step changed, in numbers and words.

:func:`point_breakdown` spells out the E-step for one point x::

    gamma_k = pi_k N(x | mu_k, Sigma_k) / sum_j pi_j N(x | mu_j, Sigma_j)

term by term, with the engine's own functions (:func:`gmm.em.log_gaussian_density`,
:func:`gmm.em.weighted_log_density`, :func:`gmm.em.e_step`), so that what a panel shows
is what the engine computed. The densities and products are kept in log space too: far
from a component they underflow to 0 while their logs stay finite.

:func:`mean_contributions` says what one point gave each new mean in the M-step
(gamma_ik / N_k), and :func:`half_step_changes` compares two snapshots: after an E-step,
the points whose most likely component changed; after an M-step, how far each mean moved
and how the weights changed, with a short caption such as
``"μ₂ moved 0.8; π₁ 0.41 → 0.44"``. This module imports NumPy only, besides the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmm.em import e_step, log_gaussian_density, m_step_divisor, weighted_log_density
from gmm.params import MixtureParams
from gmm.stepper import EMStepper, Snapshot

__all__ = [
    "HalfStepChanges",
    "PointBreakdown",
    "breakdown_at",
    "changes_at",
    "half_step_changes",
    "mean_contributions",
    "parameters_index",
    "point_breakdown",
    "subscript",
]

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: How many movers the M-step caption names at most.
CAPTION_MOVERS = 2


def subscript(number: int) -> str:
    """``12`` → ``"₁₂"``: component numbers as the formulas write them."""
    return str(number).translate(_SUBSCRIPTS)


@dataclass(frozen=True)
class PointBreakdown:
    """The E-step for one point, term by term (components numbered from 0).

    Attributes
    ----------
    x : ndarray of shape (n_features,)
        The point.
    weights : ndarray of shape (n_components,)
        pi_k.
    log_densities : ndarray of shape (n_components,)
        log N(x | mu_k, Sigma_k).
    densities : ndarray of shape (n_components,)
        N(x | mu_k, Sigma_k); 0 where it underflows (see :attr:`underflows`).
    log_products : ndarray of shape (n_components,)
        log(pi_k N(x | mu_k, Sigma_k)); ``-inf`` for a component of weight 0.
    products : ndarray of shape (n_components,)
        pi_k N(x | mu_k, Sigma_k); may underflow to 0.
    responsibilities : ndarray of shape (n_components,)
        gamma_k, summing to 1 (1/K each when every product underflows in log space
        too, as the engine does).
    log_normaliser : float
        log sum_j pi_j N(x | mu_j, Sigma_j) (log-sum-exp): log P(x), this point's term
        of the log-likelihood.
    normaliser : float
        sum_j pi_j N(x | mu_j, Sigma_j); may underflow to 0.
    """

    x: np.ndarray
    weights: np.ndarray
    log_densities: np.ndarray
    densities: np.ndarray
    log_products: np.ndarray
    products: np.ndarray
    responsibilities: np.ndarray
    log_normaliser: float
    normaliser: float

    @property
    def n_components(self) -> int:
        """K."""
        return len(self.weights)

    @property
    def underflows(self) -> np.ndarray:
        """Where a product is 0 in floating point but its log is finite, shape (K,)."""
        return (self.products == 0) & np.isfinite(self.log_products)

    @property
    def most_likely(self) -> int:
        """The component with the largest responsibility (0-based): the point's colour."""
        return int(np.argmax(self.responsibilities))


def point_breakdown(x, params: MixtureParams) -> PointBreakdown:
    """The E-step's arithmetic for one point, with the engine's functions.

    Parameters
    ----------
    x : array-like of shape (n_features,)
    params : MixtureParams
        The parameters the E-step uses.

    Returns
    -------
    PointBreakdown

    Raises
    ------
    ValueError
        If ``x`` is not a finite vector of ``params.n_features`` numbers.
    """
    point = np.asarray(x, dtype=float)
    if point.shape != (params.n_features,) or not np.all(np.isfinite(point)):
        raise ValueError(
            f"The point must be {params.n_features} finite number(s), got {np.asarray(x)!r}."
        )
    row = point[None, :]
    log_densities = log_gaussian_density(row, params)[0]
    log_products = weighted_log_density(row, params)[0]
    result = e_step(row, params)
    with np.errstate(under="ignore"):
        densities, products = np.exp(log_densities), np.exp(log_products)
        normaliser = float(np.exp(result.log_density[0]))
    return PointBreakdown(
        x=point,
        weights=np.asarray(params.weights, dtype=float),
        log_densities=log_densities,
        densities=densities,
        log_products=log_products,
        products=products,
        responsibilities=result.responsibilities[0],
        log_normaliser=float(result.log_density[0]),
        normaliser=normaliser,
    )


def parameters_index(snapshot: Snapshot) -> int:
    """The snapshot whose parameters coloured the points on screen at ``snapshot``.

    At an M-step the colours are those of the E-step before it (the M-step moves the
    ellipses, not the colours); at the initialisation, the E-step to come uses the
    initial parameters.
    """
    return snapshot.index - (snapshot.phase == "M")


def breakdown_at(stepper: EMStepper, index: int, point_index: int) -> PointBreakdown:
    """:func:`point_breakdown` of data point ``point_index`` with the parameters whose
    responsibilities are on screen at snapshot ``index`` (see :func:`parameters_index`).

    Raises
    ------
    IndexError
        If ``point_index`` is not a row of the data.
    """
    if not 0 <= point_index < stepper.n_samples:
        raise IndexError(
            f"Point {point_index} does not exist: the data have {stepper.n_samples} points "
            f"(0 to {stepper.n_samples - 1})."
        )
    snapshot = stepper.snapshots[index]
    params = stepper.snapshots[parameters_index(snapshot)].params
    return point_breakdown(stepper.X[point_index], params)


def mean_contributions(responsibilities: np.ndarray, point_index: int) -> np.ndarray:
    """What point i gives each new mean in the M-step: gamma_ik / N_k, shape (K,).

    The M-step's mean is mu_k = sum_i (gamma_ik / N_k) x_i, so these are point i's
    weights in each weighted average; over all points they sum to 1 per component.
    ``N_k`` is the engine's divisor (:func:`gmm.em.m_step_divisor`).

    Parameters
    ----------
    responsibilities : ndarray of shape (n_samples, n_components)
        Those the M-step used (the E-step's).
    point_index : int
    """
    responsibilities = np.asarray(responsibilities, dtype=float)
    return responsibilities[point_index] / m_step_divisor(responsibilities)


# ----------------------------------------------------------------- what changed


@dataclass(frozen=True)
class HalfStepChanges:
    """What changed from one snapshot to another (components numbered from 0).

    Attributes
    ----------
    phase : {'init', 'E', 'M'}
        The phase of the later snapshot: it decides what the caption speaks of.
    changed_points : ndarray of int, shape (n_changed,)
        Points whose most likely component (argmax of gamma) differs; empty when either
        side has no responsibilities (the initialisation).
    mean_shifts : ndarray of shape (n_components,)
        Distance each mean moved, in the units of ``scale`` (see
        :func:`half_step_changes`).
    weights_before, weights_after : ndarray of shape (n_components,)
    first_colours : bool
        True when the points had no colours before (an E-step after the
        initialisation).
    scaled : bool
        Whether :attr:`mean_shifts` are in standard deviations of the data.
    """

    phase: str
    changed_points: np.ndarray
    mean_shifts: np.ndarray
    weights_before: np.ndarray
    weights_after: np.ndarray
    first_colours: bool = False
    scaled: bool = False

    @property
    def n_changed(self) -> int:
        """How many points changed component."""
        return len(self.changed_points)

    @property
    def caption(self) -> str:
        """One short line: ``"12 points changed component"`` after an E-step,
        ``"μ₂ moved 0.8 sd; π₁ 0.41 → 0.44"`` after an M-step, ``""`` at the start."""
        if self.phase == "E":
            return self._e_caption()
        if self.phase == "M":
            return self._m_caption()
        return ""

    def _e_caption(self) -> str:
        if self.first_colours:
            return "the points take their first colours"
        if self.n_changed == 0:
            return "no point changed component"
        noun = "point" if self.n_changed == 1 else "points"
        return f"{self.n_changed:,} {noun} changed component"

    def _m_caption(self) -> str:
        unit = " sd" if self.scaled else ""
        order = np.argsort(-self.mean_shifts, kind="stable")[:CAPTION_MOVERS]
        moved = [
            f"μ{subscript(k + 1)} moved {_short(self.mean_shifts[k])}{unit}"
            for k in order
            if order[0] == k or self.mean_shifts[k] >= 0.5 * self.mean_shifts[order[0]]
        ]
        change = np.abs(self.weights_after - self.weights_before)
        k = int(np.argmax(change))
        before, after = _weight_pair(self.weights_before[k], self.weights_after[k])
        return "; ".join([", ".join(moved), f"π{subscript(k + 1)} {before} → {after}"])


def _short(value: float) -> str:
    """A distance in two significant digits, without an exponent."""
    if value < 0.001:
        return "< 0.001" if value > 0 else "0"
    return f"{value:.2g}" if value < 100 else f"{value:,.0f}"


def _weight_pair(before: float, after: float) -> tuple[str, str]:
    """Two weights with the decimals that tell them apart (2, else 3, else 4)."""
    for decimals in (2, 3):
        pair = (f"{before:.{decimals}f}", f"{after:.{decimals}f}")
        if pair[0] != pair[1]:
            return pair
    return f"{before:.4f}", f"{after:.4f}"


def half_step_changes(
    before: Snapshot,
    after: Snapshot,
    resp_before: np.ndarray | None,
    resp_after: np.ndarray | None,
    *,
    scale=None,
) -> HalfStepChanges:
    """Compare two snapshots: which points changed colour, how far the means moved.

    Parameters
    ----------
    before, after : Snapshot
        Usually consecutive; ``after.phase`` decides what the caption speaks of.
    resp_before, resp_after : ndarray of shape (n_samples, n_components), or None
        The responsibilities on screen at each (None at the initialisation).
    scale : array-like of shape (n_features,), optional
        The data's standard deviation per column: each displacement is divided by it
        before its length is taken, so that shifts read in standard deviations. By
        default the data's own units.

    Returns
    -------
    HalfStepChanges
    """
    if resp_before is None or resp_after is None:
        changed = np.empty(0, dtype=int)
    else:
        moved = np.argmax(resp_before, axis=1) != np.argmax(resp_after, axis=1)
        changed = np.flatnonzero(moved)
    displacement = np.asarray(after.params.means) - np.asarray(before.params.means)
    if scale is not None:
        scale = np.asarray(scale, dtype=float)
        displacement = displacement / np.where(scale > 0, scale, 1.0)
    return HalfStepChanges(
        phase=after.phase,
        changed_points=changed,
        mean_shifts=np.linalg.norm(displacement, axis=1),
        weights_before=np.asarray(before.params.weights, dtype=float),
        weights_after=np.asarray(after.params.weights, dtype=float),
        first_colours=after.phase == "E" and resp_before is None,
        scaled=scale is not None,
    )


def changes_at(stepper: EMStepper, index: int, *, scale=None) -> HalfStepChanges | None:
    """:func:`half_step_changes` from snapshot ``index - 1`` to ``index``; None at the
    initialisation (index 0), where nothing came before."""
    snapshots = stepper.snapshots
    after = snapshots[index]
    if after.index == 0:
        return None
    before = snapshots[after.index - 1]
    return half_step_changes(
        before,
        after,
        stepper.responsibilities(before.index),
        stepper.responsibilities(after.index),
        scale=scale,
    )
