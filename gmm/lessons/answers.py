"""The answers to a lesson's questions, read from what the engine does.

A lesson file names a question's *kind* and never its answer. Each kind here gives the
options the learner chooses from (before the step's action) and, from the run before and
after the action, the right option and an explanation with the engine's numbers.

==========================  =================================================  =========
kind                        asks                                               action
==========================  =================================================  =========
``colour_after_e``          which component takes the point at the arrow       e_step
``changes``                 what the next half-step changes                    any step
``loglik_change``           whether the log-likelihood rises, stays or falls   any step
``bound_vs_loglik``         where EM's lower bound ends, against it            any step
``collapses``               whether the run collapses onto a point             run
``best_of_restarts``        whether this run's optimum is the best of many     restarts
``same_solution``           whether another seed's run is the same solution    any
``true_k``                  how many groups the data were drawn from           any
``bic_k``                   which K BIC chooses                                sweep
``loglik_grows_with_k``     whether a larger K gives a higher log-likelihood   sweep
``recovers_groups``         whether EM finds the data's known groups           run
==========================  =================================================  =========
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import permutations

import numpy as np

from gmm.data import Dataset
from gmm.diagnostics import is_rounding
from gmm.run import fit_once
from gmm.solutions import SOLUTION_LOGLIK_TOL, SOLUTION_TOL, match_components, solution_distance
from gmm.stepper import EMStepper

from .runs import Outcome, run_settings
from .schema import Question, Setting, Step

#: Share of points in their known group above which EM "found the groups".
RECOVERED_SHARE = 0.9


@dataclass(frozen=True)
class Context:
    """What a question is asked about: the step, its run before the action, its data."""

    question: Question
    step: Step
    before: EMStepper
    setting: Setting
    dataset: Dataset


@dataclass(frozen=True)
class Verdict:
    """The engine's answer: the index of the right option and why, with its numbers."""

    correct: int
    explanation: str


def _g(value: float) -> str:
    return f"{value:,.4g}".replace("-", "−")


def _ll(value: float) -> str:
    """A log-likelihood, to 3 decimals (its changes matter, not its size)."""
    return f"{value:,.3f}".replace("-", "−")


def _gammas(row: np.ndarray) -> str:
    return "(" + ", ".join(f"{g:.3f}" for g in row) + ")"


# ------------------------------------------------------------------------------ kinds
def _component_options(ctx: Context) -> tuple[str, ...]:
    return tuple(f"component {k + 1}" for k in range(ctx.before.current.params.n_components))


def _colour(ctx: Context, outcome: Outcome) -> Verdict:
    point = ctx.step.point
    gamma = outcome.stepper.responsibilities()[point]
    best = int(np.argmax(gamma))
    params = ctx.before.current.params
    x = ctx.before.X[point]
    nearest = int(np.argmin(np.sum((params.means - x) ** 2, axis=1)))
    text = (
        f"The E-step gives point {point} the responsibilities γ = {_gammas(gamma)}: "
        f"component {best + 1} takes {gamma[best]:.0%} of it, so it takes mostly that "
        "component's colour."
    )
    if nearest != best:
        text += (
            f" Its nearest mean is μ{nearest + 1}'s, yet the E-step weighs π_k N(x | μ_k, Σ_k):"
            " the shape of each Gaussian and its weight count, not the distance alone."
        )
    return Verdict(best, text)


_CHANGES = (
    "only the colours (responsibilities)",
    "only the ellipses and weights (parameters)",
    "both",
    "neither",
)


def _changes(ctx: Context, outcome: Outcome) -> Verdict:
    before, after = ctx.before, outcome.stepper
    old, new = before.responsibilities(), after.responsibilities()
    colours = old is None and new is not None
    if old is not None and new is not None:
        colours = bool(np.max(np.abs(old - new)) > 1e-12)
    p, q = before.current.params, after.current.params
    moved = float(np.max(np.linalg.norm(p.means - q.means, axis=1)))
    weights = float(np.max(np.abs(p.weights - q.weights)))
    parameters = moved > 0 or weights > 0
    correct = {(True, False): 0, (False, True): 1, (True, True): 2, (False, False): 3}[
        (colours, parameters)
    ]
    if old is None and new is not None:
        shift = "the points get their first colours"
    elif old is not None and new is not None:
        shift = f"the largest change of a responsibility is {_g(float(np.max(np.abs(old - new))))}"
    else:
        shift = "no responsibilities yet"
    return Verdict(
        correct,
        f"After this half-step {shift}; the means moved by up to {_g(moved)} and the "
        f"weights changed by up to {_g(weights)}.",
    )


_DIRECTIONS = ("it rises", "it stays the same", "it falls")


def _loglik_change(ctx: Context, outcome: Outcome) -> Verdict:
    old = ctx.before.current.log_likelihood
    new = outcome.stepper.current.log_likelihood
    change = new - old
    steady = bool(np.isfinite(change) and is_rounding(change, new))
    correct = 1 if steady else (0 if change > 0 else 2)
    return Verdict(
        correct,
        f"The log-likelihood went from {_ll(old)} to {_ll(new)} (change {_g(change)}"
        f"{', rounding only' if correct == 1 else ''}).",
    )


_BOUND = ("below the log-likelihood", "equal to the log-likelihood", "above the log-likelihood")


def _bound(ctx: Context, outcome: Outcome) -> Verdict:
    shown = outcome.stepper.current
    gap = shown.log_likelihood - shown.lower_bound
    correct = 1 if is_rounding(gap, shown.log_likelihood) else (0 if gap > 0 else 2)
    return Verdict(
        correct,
        f"After this {shown.phase}-step the lower bound is {_ll(shown.lower_bound)} and the "
        f"log-likelihood {_ll(shown.log_likelihood)}: the gap is {_g(gap)}"
        f"{' (rounding)' if correct == 1 else ''}.",
    )


_COLLAPSE = (
    "EM converges, to a finite log-likelihood",
    "a covariance shrinks to zero: the log-likelihood runs off and EM stops",
)


def _collapses(ctx: Context, outcome: Outcome) -> Verdict:
    after = outcome.stepper
    halted = after.halted is not None
    found = [d for s in after.snapshots for d in s.diagnostics if d.kind == "collapse"]
    peak = float(np.nanmax(after.trajectory("log_likelihood")))
    if halted:
        said = after.halted.message
    else:
        said = f"EM {'converged' if after.converged else 'stopped'}."
        if found:
            who = ", ".join(str(k + 1) for k in found[-1].components)
            said += (
                f" Component {who} still sits on a tight spot, but its variance cannot fall"
                f" below reg_covar = {ctx.setting.reg_covar:g}, so its density stays finite."
            )
    return Verdict(
        int(halted),
        f"{said} The log-likelihood reached {_ll(peak)} after {after.iterations_done} iterations.",
    )


_YES_NO = ("yes", "no")


def _best_of_restarts(ctx: Context, outcome: Outcome) -> Verdict:
    result = outcome.restarts
    mine = ctx.before.current.log_likelihood
    best = float(np.nanmax(result.log_likelihoods))
    tol = result.default_loglik_tol
    is_best = mine >= best - tol
    return Verdict(
        0 if is_best else 1,
        f"This run ended at log-likelihood {_g(mine)}; the best of {len(result.restarts)} "
        f"restarts reached {_g(best)}, and the restarts ended at {len(result.solutions)} "
        "distinct optima. EM only climbs: from a poor start it stops on the nearest hill.",
    )


_SAME = (
    "the same solution, with the colours swapped",
    "the same solution, with the same colours",
    "a different solution",
)


def _other_run(ctx: Context) -> EMStepper:
    other = fit_once(ctx.before.X, run_settings(replace(ctx.setting, seed=ctx.question.other_seed)))
    return other.stepper


def _same_solution(ctx: Context, outcome: Outcome) -> Verdict:
    a = outcome.stepper.current
    b = _other_run(ctx).current
    distance = solution_distance(a.params, b.params)
    gap = abs(a.log_likelihood - b.log_likelihood)
    same = distance <= SOLUTION_TOL and gap <= SOLUTION_LOGLIK_TOL
    perm = match_components(a.params, b.params)
    swapped = bool(np.any(perm != np.arange(len(perm))))
    correct = 2 if not same else (0 if swapped else 1)
    pairs = ", ".join(f"{k + 1} ↔ {p + 1}" for k, p in enumerate(perm))
    return Verdict(
        correct,
        f"Seed {ctx.setting.seed} ends at log-likelihood {_g(a.log_likelihood)}, seed "
        f"{ctx.question.other_seed} at {_g(b.log_likelihood)}. Matching the components "
        f"({pairs}), the largest difference of a mean, covariance or weight is "
        f"{_g(distance)} (in data standard deviations).",
    )


def _k_options(ctx: Context) -> tuple[str, ...]:
    return tuple(f"K = {k}" for k in ctx.step.k_values)


def _true_k(ctx: Context, outcome: Outcome) -> Verdict:
    truth = ctx.dataset.truth
    k = truth.n_components if truth is not None else len(np.unique(ctx.dataset.labels))
    if k not in ctx.step.k_values:
        raise ValueError(f"The true K = {k} is not among the options {ctx.step.k_values}.")
    return Verdict(
        ctx.step.k_values.index(k),
        f"The data were drawn from {k} Gaussian components: {ctx.dataset.name}.",
    )


def _bic_values(outcome: Outcome) -> dict[int, float]:
    sweep = outcome.sweep
    return {k: sweep.row(k, "full").bic for k in sweep.k_values}


def _bic_k(ctx: Context, outcome: Outcome) -> Verdict:
    values = _bic_values(outcome)
    best = min(values, key=values.get)
    listed = ", ".join(f"K={k}: {_g(v)}" for k, v in values.items())
    return Verdict(
        ctx.step.k_values.index(best),
        f"BIC = −2 log L + p log n, lower is better: {listed}. The lowest is at K = {best}.",
    )


_HIGHER = ("higher", "the same", "lower")


def _grows(ctx: Context, outcome: Outcome) -> Verdict:
    sweep, q = outcome.sweep, ctx.question
    low, high = sweep.row(q.k_low, "full"), sweep.row(q.k_high, "full")
    change = high.log_likelihood - low.log_likelihood
    correct = 1 if abs(change) <= SOLUTION_LOGLIK_TOL else (0 if change > 0 else 2)
    n = sweep.n_samples
    return Verdict(
        correct,
        f"Best log-likelihood (of 3 starts) at K = {q.k_low}: {_g(low.log_likelihood)} with "
        f"{low.n_parameters} parameters; at K = {q.k_high}: {_g(high.log_likelihood)} with "
        f"{high.n_parameters}. A mixture with more components can do at least as well, "
        f"since it contains the smaller one; BIC charges log n = {_g(np.log(n))} per "
        f"parameter, so the {high.n_parameters - low.n_parameters} extra parameters cost "
        f"{_g((high.n_parameters - low.n_parameters) * np.log(n))} in BIC against a gain "
        f"of {_g(2 * change)} in −2 log L.",
    )


def recovered_share(labels: np.ndarray, responsibilities: np.ndarray) -> float:
    """Share of points whose most likely component is their known group, under the best
    matching of components to groups (labels are arbitrary names).

    Parameters
    ----------
    labels : ndarray of shape (n_samples,)
    responsibilities : ndarray of shape (n_samples, K)
    """
    groups, codes = np.unique(labels, return_inverse=True)
    predicted = np.argmax(responsibilities, axis=1)
    k = responsibilities.shape[1]
    if len(groups) > k or k > 7:
        raise ValueError("recovered_share compares at most 7 components with fewer groups.")
    return max(
        float(np.mean(np.asarray(order)[predicted] == codes)) for order in permutations(range(k), k)
    )


def _recovers(ctx: Context, outcome: Outcome) -> Verdict:
    share = recovered_share(ctx.dataset.labels, outcome.stepper.responsibilities())
    found = share >= RECOVERED_SHARE
    return Verdict(
        0 if found else 1,
        f"{share:.0%} of the points end in the component that matches their known group "
        f"(EM 'finds the groups' here above {RECOVERED_SHARE:.0%}).",
    )


Options = Callable[[Context], tuple[str, ...]]
Answer = Callable[[Context, Outcome], Verdict]


def _fixed(options: tuple[str, ...]) -> Options:
    return lambda ctx: options


#: Each kind: how to list its options, how the engine answers it, the action it needs.
KINDS: dict[str, tuple[Options, Answer, str | None]] = {
    "colour_after_e": (_component_options, _colour, "e_step"),
    "changes": (_fixed(_CHANGES), _changes, None),
    "loglik_change": (_fixed(_DIRECTIONS), _loglik_change, None),
    "bound_vs_loglik": (_fixed(_BOUND), _bound, None),
    "collapses": (_fixed(_COLLAPSE), _collapses, "run"),
    "best_of_restarts": (_fixed(_YES_NO), _best_of_restarts, "restarts"),
    "same_solution": (_fixed(_SAME), _same_solution, None),
    "true_k": (_k_options, _true_k, None),
    "bic_k": (_k_options, _bic_k, "sweep"),
    "loglik_grows_with_k": (_fixed(_HIGHER), _grows, "sweep"),
    "recovers_groups": (_fixed(_YES_NO), _recovers, "run"),
}


def options(ctx: Context) -> tuple[str, ...]:
    """The options the learner chooses from, before the action."""
    return KINDS[ctx.question.kind][0](ctx)


def judge(ctx: Context, outcome: Outcome) -> Verdict:
    """The engine's answer to ``ctx.question`` once the step's action gave ``outcome``."""
    verdict = KINDS[ctx.question.kind][1](ctx, outcome)
    if ctx.question.explain:
        verdict = Verdict(verdict.correct, f"{verdict.explanation} {ctx.question.explain}")
    return verdict
