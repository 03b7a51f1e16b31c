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
#: A change of a total log-likelihood L over n points within ``ROUNDING_ULPS * eps *
#: (|L| + n)`` is rounding, not a change (see :func:`rounding_level`). Falls of EM with
#: ``reg_covar = 0``, which can only be rounding, measured below 1.5 of these units on
#: built-in and generated data near the origin, and up to 22 on data 1e8 away from it
#: (tests/engine/test_hostile.py); falls caused by ``reg_covar`` measured thousands.
ROUNDING_ULPS = 64
#: Two components whose Bhattacharyya coefficient (their overlap: 1 for identical
#: Gaussians, 0 for disjoint ones) is at least this are the same Gaussian.
IDENTICAL_OVERLAP = 0.99

SEVERITIES = ("info", "warning", "error")

_SHAPES = {0: "a single point", 1: "a line", 2: "a plane"}


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a snapshot.

    Attributes
    ----------
    kind : str
        One of ``converged``, ``not_converged``, ``ran_to_max_iter`` (``tol = 0``),
        ``saddle_point``, ``loglik_decrease``, ``collapse``, ``too_few_points``,
        ``empty``, ``singular``, ``lost_points``, ``flat_data``,
        ``heavy_regularisation``, ``stopped`` (a run ended by ``should_stop``).
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


def _iterations(count: int) -> str:
    return f"{count} iteration" + ("" if count == 1 else "s")


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
    if collapsed.any():  # (the usual case, none, costs no set operations per M-step)
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
    remedy = "Set reg_covar above 0 (1e-6 is usual)" if reg_covar == 0 else "Increase reg_covar"
    return Diagnostic(
        "singular",
        "error",
        f"{who} collapsed completely: its covariance became singular ({cause}), so its "
        "density is infinite and EM cannot go on. The run stopped at the last valid step.",
        f"{remedy}, lower K, or start again from another seed or initialisation. Going back "
        "shows the steps before the collapse, but stepping on from there collapses again.",
        tuple(int(k) for k in components),
    )


def rounding_level(log_likelihood: float, n_samples: int = 1) -> float:
    """The largest change of a log-likelihood that rounding alone can explain.

    Each of the n per-point log densities is computed to a few units of rounding of its
    size, so a sum L of them carries rounding of order ``eps * (|L| + n)``. Changes up
    to ``ROUNDING_ULPS`` times that are no change at all.

    Parameters
    ----------
    log_likelihood : float
        The log-likelihood the change is measured at: a total over ``n_samples`` points,
        or a mean per point with ``n_samples = 1``.
    n_samples : int, default 1

    Returns
    -------
    float
        ``ROUNDING_ULPS * eps * (|log_likelihood| + n_samples)``; inf when
        ``log_likelihood`` is not finite.
    """
    return ROUNDING_ULPS * float(np.finfo(float).eps) * (abs(log_likelihood) + n_samples)


def is_rounding(change: float, log_likelihood: float, n_samples: int = 1) -> bool:
    """Whether ``change`` is within rounding of ``log_likelihood`` (see :func:`rounding_level`).

    Not for an infinite change (the first iteration's, from -inf).
    """
    return bool(abs(change) <= rounding_level(log_likelihood, n_samples))


def change_words(change: float, log_likelihood: float, n_samples: int = 1) -> str:
    """A change's size in words: ``"≈ 0 (rounding)"`` or ``"6.1e-05"`` (its absolute value)."""
    if np.isfinite(change) and is_rounding(change, log_likelihood, n_samples):
        return "≈ 0 (rounding)"
    return f"{abs(change):.2g}"


def loglik_decrease(
    previous: float, current: float, reg_covar: float, n_samples: int = 1
) -> Diagnostic | None:
    """A diagnostic when the log-likelihood fell from ``previous`` to ``current`` by more
    than rounding (see :func:`rounding_level`); None otherwise.

    Parameters
    ----------
    previous, current : float
        Total log-likelihoods over ``n_samples`` points (or means, with ``n_samples = 1``).
    reg_covar : float
    n_samples : int, default 1
    """
    drop = previous - current
    if not drop > rounding_level(previous, n_samples):
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
        f"The log-likelihood per point fell by {drop / n_samples:.3g}. {cause}",
        "Lower reg_covar, or standardise the data so that reg_covar is small next to "
        "every variance."
        if reg_covar > 0
        else "Download the run (JSON) and report it with the data.",
    )


def bhattacharyya_overlaps(params: MixtureParams) -> np.ndarray:
    """How much each pair of components overlaps: their Bhattacharyya coefficients.

    ``BC = |S1|^1/4 |S2|^1/4 / |S|^1/2 * exp(-(m1 - m2)^T S^-1 (m1 - m2) / 8)`` with
    ``S = (S1 + S2) / 2``: 1 for identical Gaussians, near 0 for well separated ones,
    and the same in any units (it is unchanged by an affine map of the data).

    Parameters
    ----------
    params : MixtureParams

    Returns
    -------
    ndarray of shape (n_components, n_components)
        Symmetric, with ones on the diagonal.
    """
    covariances = params.full_covariances
    means = params.means
    k = len(means)
    log_dets = np.linalg.slogdet(covariances)[1]
    i, j = np.triu_indices(k, 1)
    average = (covariances[i] + covariances[j]) / 2
    offset = means[i] - means[j]
    distance = np.einsum("pd,pd->p", offset, np.linalg.solve(average, offset[..., None])[..., 0])
    log_bc = (log_dets[i] + log_dets[j]) / 4 - np.linalg.slogdet(average)[1] / 2 - distance / 8
    overlaps = np.eye(k)
    overlaps[i, j] = overlaps[j, i] = np.exp(np.minimum(log_bc, 0.0))
    return overlaps


def identical_components(params: MixtureParams) -> list[tuple[int, ...]]:
    """Groups of components that are the same Gaussian (overlap ``IDENTICAL_OVERLAP``).

    Returns
    -------
    list of tuple of int
        Each group's zero-based component indices, in order; empty when every
        component differs from the others.
    """
    overlaps = bhattacharyya_overlaps(params)
    group = list(range(len(overlaps)))  # union-find over the pairs that are the same

    def root(a: int) -> int:
        while group[a] != a:
            a = group[a]
        return a

    for a, b in zip(*np.nonzero(np.triu(overlaps >= IDENTICAL_OVERLAP, 1))):
        group[root(int(b))] = root(int(a))
    members: dict[int, list[int]] = {}
    for a in range(len(group)):
        members.setdefault(root(a), []).append(a)
    return [tuple(m) for m in members.values() if len(m) > 1]


def saddle_point(params: MixtureParams, at: str = "converged") -> Diagnostic | None:
    """Components that are the same Gaussian: a symmetric start, or EM stuck at a saddle.

    Two identical components get identical responsibilities, so the M-step moves them
    identically: where the components coincide the likelihood is flat in the direction
    that would split them (a saddle point), and EM leaves it only very slowly, if at all.

    Parameters
    ----------
    params : MixtureParams
    at : {'converged', 'max_iter', 'start'}, default 'converged'
        Where EM is: stopped by its convergence test, stopped at ``max_iter``, or at the
        starting parameters (a warning that EM may stall).

    Returns
    -------
    Diagnostic or None
        None when no two components are the same.
    """
    groups = identical_components(params)
    if not groups:
        return None
    overlaps = bhattacharyya_overlaps(params)
    least = _percent(min(overlaps[a, b] for g in groups for a in g for b in g))
    move = "Identical components get identical responsibilities and move together"
    message = {
        "start": f"A symmetric start: {_same(groups, 'start as')} (overlap {least}). {move}, "
        "so EM separates them very slowly and may stop at this saddle point of the "
        "likelihood before they split.",
        "converged": f"A saddle point, not a maximum: {_same(groups, 'are')} (overlap "
        f"{least}). {move}, so EM barely moves them apart and the log-likelihood changed "
        "too little for tol to notice: the convergence test passed here.",
        "max_iter": f"Still at a saddle point after max_iter iterations: "
        f"{_same(groups, 'are')} (overlap {least}). {move}, so EM barely moves them apart.",
    }[at]
    return Diagnostic(
        "saddle_point",
        "warning",
        message,
        "Start again from another seed, or with k-means or k-means++ seeds, which start "
        "the components apart (random responsibilities start them all nearly the same); "
        f"or {'raise max_iter' if at == 'max_iter' else 'lower tol'} so that EM goes on "
        "until they split. If they stay the same from every start, the data need fewer "
        "components: lower K.",
        tuple(k for g in groups for k in g),
    )


def _same(groups, verb: str) -> str:
    """ "components 1 and 2 are the same Gaussian, and so are components 3 and 4"."""
    first, *others = groups
    text = f"{_who(first).lower()} {verb} the same Gaussian"
    for group in others:
        text += f", and so {'do' if verb != 'are' else 'are'} {_who(group).lower()}"
    return text


def _percent(overlap: float) -> str:
    """``"99.98%"``: enough digits to tell the overlap from 100%."""
    for digits in range(2, 8):
        text = f"{100 * overlap:.{digits}f}"
        if float(text) < 100:
            return text.rstrip("0").rstrip(".") + "%"
    return "100%"


def lost_points(count: int) -> Diagnostic:
    """Points so far from every component that their density underflowed to zero."""
    return Diagnostic(
        "lost_points",
        "warning",
        f"{count} point(s) lie so far from every component that their probability "
        "underflows to zero; they are shared equally among the components.",
        "Re-initialise from another seed or method; check the data for outliers, and "
        "standardise columns of wildly different scales.",
    )


def converged(change: float, tol: float, mean_log_likelihood: float) -> Diagnostic:
    """EM has converged: the mean log-likelihood changed by less than ``tol``.

    Parameters
    ----------
    change : float
        The change of the mean log-likelihood between the last two E-steps.
    tol : float
    mean_log_likelihood : float
        Where the change was measured, to tell rounding from a change.
    """
    return Diagnostic(
        "converged",
        "info",
        f"EM converged: the log-likelihood per point changed by "
        f"{change_words(change, mean_log_likelihood)}, less than tol = {tol:g}.",
    )


def not_converged(
    max_iter: int, change: float, tol: float, mean_log_likelihood: float
) -> Diagnostic:
    """``max_iter`` iterations were reached before convergence (``tol > 0``).

    Parameters
    ----------
    max_iter : int
    change : float
        The change of the mean log-likelihood over the last iteration.
    tol : float
    mean_log_likelihood : float
        Where the change was measured, to tell rounding from a change.
    """
    if np.isfinite(change) and is_rounding(change, mean_log_likelihood):
        return Diagnostic(
            "not_converged",
            "warning",
            f"EM stopped after max_iter = {_iterations(max_iter)}: the log-likelihood no "
            f"longer changes beyond rounding, but tol = {tol:g} asks for a change smaller "
            "than rounding can show.",
            f"Raise tol above {rounding_level(mean_log_likelihood):.0e}: more "
            "iterations cannot help.",
        )
    return Diagnostic(
        "not_converged",
        "warning",
        f"EM stopped after max_iter = {_iterations(max_iter)} without converging (last change "
        f"{change_words(change, mean_log_likelihood)} per point, tol = {tol:g}).",
        "Increase max_iter, or raise tol to stop sooner.",
    )


def ran_to_max_iter(max_iter: int, change: float, mean_log_likelihood: float) -> Diagnostic:
    """``tol = 0``: EM ran its ``max_iter`` iterations, as asked, with no convergence test.

    scikit-learn's test is ``|change| < tol``, which no change passes when ``tol = 0``.

    Parameters
    ----------
    max_iter : int
    change : float
        The change of the mean log-likelihood over the last iteration.
    mean_log_likelihood : float
        Where the change was measured, to tell rounding from a change.
    """
    return Diagnostic(
        "ran_to_max_iter",
        "info",
        f"EM ran all max_iter = {_iterations(max_iter)}, as tol = 0 asks: with tol = 0 there "
        f"is no convergence test. The last change per point was "
        f"{change_words(change, mean_log_likelihood)}.",
        "To stop as soon as the log-likelihood settles, set tol above 0.",
    )


def stopped(done: int, max_iter: int) -> Diagnostic:
    """A run to convergence was stopped by the user (kind ``stopped``) after ``done``
    iterations; the history up to here is kept."""
    return Diagnostic(
        "stopped",
        "info",
        f"Run stopped after {done} of max_iter = {max_iter} iterations, before EM "
        "converged. The half-steps computed so far are kept.",
        "Scrub back through them, or press Run to convergence to go on from here.",
    )
