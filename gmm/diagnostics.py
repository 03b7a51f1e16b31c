"""Diagnostics: what went right or wrong in an EM run, as data.

Each :class:`Diagnostic` carries a plain-language explanation and what the user can do.
The stepper attaches them to the snapshot where they arise; nothing here raises.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmm.params import MixtureParams

#: A component holding less responsibility than this (in points) has emptied.
EMPTY_POINTS = 0.01
#: A covariance direction whose variance (beyond reg_covar) is below this fraction of the
#: data's variance in the same direction has collapsed.
COLLAPSE_RATIO = 1e-8
#: Relative size of a log-likelihood decrease that counts as one (rounding is far smaller).
DECREASE_TOLERANCE = 1e-12

SEVERITIES = ("info", "warning", "error")

_SHAPES = {0: "a single point", 1: "a line", 2: "a plane"}


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a snapshot.

    Attributes
    ----------
    kind : str
        One of ``converged``, ``not_converged``, ``loglik_decrease``, ``collapse``,
        ``too_few_points``, ``empty``, ``singular``, ``lost_points``, ``flat_data``,
        ``heavy_regularisation``.
    severity : {'info', 'warning', 'error'}
        ``error`` means the stepper stopped.
    message : str
        What happened, in plain language.
    advice : str
        What the user can do about it (may be empty).
    components : tuple of int
        Zero-based indices of the components concerned.
    """

    kind: str
    severity: str
    message: str
    advice: str = ""
    components: tuple[int, ...] = ()

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip()

    def to_dict(self) -> dict:
        """Plain-Python form for JSON export."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "advice": self.advice,
            "components": list(self.components),
        }


def _who(components) -> str:
    """ "Component 3" or "Components 1 and 2" (1-based, as users count)."""
    names = [str(k + 1) for k in components]
    if len(names) == 1:
        return f"Component {names[0]}"
    return f"Components {', '.join(names[:-1])} and {names[-1]}"


def _verb(components, singular: str, plural: str) -> str:
    return singular if len(components) == 1 else plural


class DataGeometry:
    """The data's covariance, against which component shapes are judged.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    """

    def __init__(self, X: np.ndarray):
        centred = X - X.mean(axis=0)
        self.covariance = centred.T @ centred / len(X)
        self.n_samples, self.n_features = X.shape
        eigenvalues = np.linalg.eigvalsh(self.covariance) if len(X) > 1 else np.zeros(1)
        self.flat = bool(eigenvalues.min() <= 1e-12 * max(eigenvalues.max(), 0.0))

    def collapsed_directions(self, params: MixtureParams, reg_covar: float) -> np.ndarray:
        """Number of collapsed directions of each component, shape (n_components,).

        A direction (eigenvector v of Sigma_k) has collapsed when the component's variance
        along v, less ``reg_covar``, is below ``COLLAPSE_RATIO`` times the data's variance
        along v. Directions in which the data themselves have no spread are not counted.
        """
        eigenvalues, eigenvectors = np.linalg.eigh(params.full_covariances)
        data_variance = np.einsum("kdi,de,kei->ki", eigenvectors, self.covariance, eigenvectors)
        scale = np.trace(self.covariance) / self.n_features
        spread = data_variance > 1e-12 * scale
        collapsed = (eigenvalues - reg_covar) <= COLLAPSE_RATIO * data_variance
        return np.sum(collapsed & spread, axis=1)

    def data_warnings(self, reg_covar: float) -> list[Diagnostic]:
        """Warnings about the data as a whole (flat data, overwhelming regularisation)."""
        found = []
        if self.flat and self.n_samples > 1:
            found.append(
                Diagnostic(
                    "flat_data",
                    "warning",
                    "The data have no spread in some direction (a constant column, or columns "
                    "that are exact multiples of each other), so every component is flat there.",
                    "Drop the constant or redundant column, or keep reg_covar above 0.",
                )
            )
        smallest = float(np.min(np.diag(self.covariance)))
        if reg_covar > 0 and smallest > 0 and reg_covar > 0.01 * smallest:
            found.append(
                Diagnostic(
                    "heavy_regularisation",
                    "warning",
                    f"reg_covar = {reg_covar:g} is large next to the data's smallest variance "
                    f"({smallest:.3g}): the regularisation, not the data, shapes the ellipses.",
                    "Standardise the columns or lower reg_covar.",
                )
            )
        return found


def component_diagnostics(
    params: MixtureParams, n_samples: int, geometry: DataGeometry, reg_covar: float
) -> list[Diagnostic]:
    """Emptied, starved and collapsed components of ``params``.

    Parameters
    ----------
    params : MixtureParams
    n_samples : int
    geometry : DataGeometry
    reg_covar : float

    Returns
    -------
    list of Diagnostic
    """
    effective = params.weights * n_samples
    d = params.n_features
    empty = np.flatnonzero(effective < EMPTY_POINTS)
    starving = np.flatnonzero((effective >= EMPTY_POINTS) & (effective < d + 1))
    collapsed = geometry.collapsed_directions(params, reg_covar)
    found = []
    if len(empty):
        found.append(
            Diagnostic(
                "empty",
                "warning",
                f"{_who(empty)} {_verb(empty, 'has', 'have')} emptied: responsible for almost no "
                f"points (weight {params.weights[empty].max():.2g}), so "
                f"{_verb(empty, 'it', 'they')} no longer explain{_verb(empty, 's', '')} any data.",
                "Lower K, or re-initialise with another seed or method.",
                tuple(empty),
            )
        )
    if len(starving):
        found.append(
            Diagnostic(
                "too_few_points",
                "warning",
                f"{_who(starving)} {_verb(starving, 'rests', 'rest')} on fewer than d + 1 = "
                f"{d + 1} effective points ({', '.join(f'{e:.2g}' for e in effective[starving])}); "
                f"a covariance in {d} dimensions needs more, so a collapse is near.",
                "Increase reg_covar, lower K or re-initialise.",
                tuple(starving),
            )
        )
    for shape_dim in sorted(_SHAPES):
        ks = np.flatnonzero((collapsed > 0) & (d - collapsed == shape_dim))
        ks = np.setdiff1d(ks, empty)
        if len(ks):
            found.append(_collapse(ks, _SHAPES[shape_dim]))
    return found


def _collapse(components, shape: str) -> Diagnostic:
    return Diagnostic(
        "collapse",
        "warning",
        f"{_who(components)} collapsed onto {shape}: the covariance shrank to "
        "zero there, and the likelihood can grow without bound.",
        "Increase reg_covar, lower K or re-initialise.",
        tuple(components),
    )


def singular(components, reg_covar: float) -> Diagnostic:
    """The M-step produced a covariance that is not positive definite: EM must stop."""
    who = _who(components) if len(components) else "A component"
    cause = (
        "with reg_covar = 0 nothing keeps it away from zero"
        if reg_covar == 0
        else f"even with reg_covar = {reg_covar:g}"
    )
    return Diagnostic(
        "singular",
        "error",
        f"{who} collapsed completely: its covariance became singular ({cause}), so its "
        "density is infinite and EM cannot go on. The run stopped at the last valid step.",
        "Increase reg_covar, lower K, or re-initialise; or go back to an earlier step.",
        tuple(int(k) for k in components),
    )


def loglik_decrease(previous: float, current: float, reg_covar: float) -> Diagnostic | None:
    """A diagnostic when the mean log-likelihood fell from ``previous`` to ``current``."""
    drop = previous - current
    if not drop > DECREASE_TOLERANCE * max(1.0, abs(previous)):
        return None
    cause = (
        f"With reg_covar = {reg_covar:g} the M-step is not an exact maximisation, "
        "so a small fall can happen."
        if reg_covar > 0
        else "With reg_covar = 0 this must never happen: it is a bug worth reporting."
    )
    return Diagnostic(
        "loglik_decrease",
        "warning",
        f"The log-likelihood per point fell by {drop:.3g}. {cause}",
        "Lower reg_covar or standardise the data." if reg_covar > 0 else "",
    )


def lost_points(count: int) -> Diagnostic:
    """Points so far from every component that their density underflowed to zero."""
    return Diagnostic(
        "lost_points",
        "warning",
        f"{count} point(s) lie so far from every component that their probability "
        "underflows to zero; they are shared equally among the components.",
        "Re-initialise, or check the data for outliers or wildly different scales.",
    )


def converged(change: float, tol: float) -> Diagnostic:
    """EM has converged: the mean log-likelihood changed by less than ``tol``."""
    return Diagnostic(
        "converged",
        "info",
        f"EM converged: the log-likelihood per point changed by {abs(change):.2g}, "
        f"less than tol = {tol:g}.",
    )


def not_converged(max_iter: int, change: float, tol: float) -> Diagnostic:
    """``max_iter`` iterations were reached before convergence."""
    return Diagnostic(
        "not_converged",
        "warning",
        f"EM stopped after max_iter = {max_iter} iterations without converging (last change "
        f"{abs(change):.2g}, tol = {tol:g}).",
        "Increase max_iter, loosen tol, or try another initialisation.",
    )
