"""Seeded synthetic data sets that show what EM does well and where it struggles.

``generate(kind, n, n_components, dim, seed)`` is the one entry point; ``GENERATOR_KINDS``
lists the kinds with a label for a drop-down. Every kind works in 1, 2 and 3 dimensions:

==============  =========================================================================
kind            what the data shows
==============  =========================================================================
``separated``   round Gaussian blobs far apart: the easy case
``overlapping`` Gaussian blobs whose centres are 2.5 standard deviations apart
``elongated``   stretched, rotated Gaussian blobs (1-D: very different widths)
``unequal``     Gaussian blobs with very different weights and spreads
``rings``       concentric rings (2-D), spherical shells (3-D), bumps at ±r (1-D)
``moons``       interlocking half-moons (2-D; flat with noise in height in 3-D);
                lopsided exponential bumps in 1-D
``collapse``    Gaussian blobs plus exact copies of one point far away, on which a
                component collapses when ``reg_covar = 0``
==============  =========================================================================

Randomness comes only from the ``seed`` argument (an int or a ``numpy.random.Generator``),
so the same arguments always give the same data. Group sizes follow the true weights
exactly (largest remainders), sum to ``n``, and the points are shuffled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy.spatial.distance import pdist

from gmm.checks import as_generator
from gmm.errors import DataError

GENERATOR_KINDS: MappingProxyType[str, str] = MappingProxyType(
    {
        "separated": "Well-separated blobs",
        "overlapping": "Overlapping blobs",
        "elongated": "Elongated, rotated blobs",
        "unequal": "Unequal sizes and weights",
        "rings": "Rings (not Gaussian)",
        "moons": "Moons (not Gaussian)",
        "collapse": "Duplicated points (collapse demo)",
    }
)
"""Kind of data set -> label for the user, in display order."""

MIN_COMPONENTS: MappingProxyType[str, int] = MappingProxyType(
    {kind: 2 if kind == "collapse" else 1 for kind in GENERATOR_KINDS}
)
"""Smallest ``n_components`` of each kind (``collapse`` needs a blob and the copies)."""

MAX_COMPONENTS = 10
MAX_POINTS = 1_000_000
DIMENSIONS = (1, 2, 3)

COLLAPSE_SHARE = 0.1
"""Share of the points that are copies of one point in the ``collapse`` data set."""

COLLAPSE_DISTANCE = 8.0
"""Distance from the copied point to the nearest blob centre, in standard deviations."""

_NOISE = 0.1
"""Standard deviation of the noise added to the non-Gaussian shapes."""

_DESCRIPTIONS = {
    "separated": "{K} round Gaussian blob{s} far apart from each other: the easy case, "
    "where EM should find every group in a few iterations.",
    "overlapping": "{K} Gaussian blob{s} whose centres are close, so their points mix: "
    "EM has to share the points in between and may need many iterations.",
    "elongated": "{K} Gaussian blob{s} stretched along different tilted directions: full "
    "covariance matrices can follow them, round or axis-aligned ones cannot.",
    ("elongated", 1): "{K} Gaussian bump{s} of very different widths (in one dimension "
    "a Gaussian can only be wider or narrower, not tilted).",
    "unequal": "{K} Gaussian blob{s} with very different numbers of points and spreads: "
    "a small group next to a big one is easy for EM to miss.",
    "rings": "{K} ring{s} around the same centre: rings are not Gaussian blobs, so EM "
    "cannot give each ring its own component and cuts them into pieces instead.",
    ("rings", 3): "{K} hollow spherical shell{s} around the same centre: shells are not "
    "Gaussian blobs, so EM cannot give each its own component and cuts them into pieces.",
    ("rings", 1): "{K} 'ring{s}' in one dimension, each a pair of bumps at -r and +r "
    "around the same centre: no single Gaussian describes two bumps far apart, so EM "
    "splits every ring.",
    "moons": "{K} interlocking half-moon{s}: curved groups that an ellipse cannot follow, "
    "so EM cuts them into pieces instead of finding each moon.",
    ("moons", 3): "{K} interlocking half-moon{s} lying flat in 3-D with a little noise in "
    "height: curved groups that an ellipsoid cannot follow, so EM cuts them into pieces.",
    ("moons", 1): "{K} lopsided bump{s} with a long tail on the right: a Gaussian is "
    "symmetric, so EM needs extra components to cover each tail.",
    "collapse": "{B} Gaussian blob{bs} plus {m} copies of one single point: with "
    "reg_covar = 0, a component can sit on the copies, its spread shrinks to zero and EM "
    "breaks down.",
}


@dataclass(frozen=True, eq=False)
class SyntheticData:
    """A synthetic data set with the truth it was drawn from.

    Attributes
    ----------
    X : ndarray of float64, shape (n, d)
        The points, in random order.
    labels : ndarray of int64, shape (n,)
        Index (0 .. K-1) of the component or, for non-Gaussian shapes, of the part
        (ring, moon, bump) each point was drawn from.
    true_weights : ndarray of float64, shape (K,)
        Share of the points in each component or part; sums to 1.
    true_means : ndarray of float64, shape (K, d)
        Mean of each component or part (for a ring, its centre; for a moon, the centre
        of mass of its arc; for the copies, the copied point).
    true_covariances : ndarray of float64, shape (K, d, d), or None
        Covariance matrix of each Gaussian component (symmetric positive definite);
        None when the data set is not a Gaussian mixture (``rings``, ``moons``,
        ``collapse``).
    kind : str
        Key of ``GENERATOR_KINDS``.
    name : str
        Label of the kind, for the user.
    description : str
        One plain sentence for a student: what this data set shows.
    """

    X: np.ndarray
    labels: np.ndarray
    true_weights: np.ndarray
    true_means: np.ndarray
    true_covariances: np.ndarray | None
    kind: str
    name: str
    description: str


def generate(
    kind: str,
    n: int,
    n_components: int,
    dim: int,
    seed: int | np.random.Generator,
) -> SyntheticData:
    """Draw a synthetic data set.

    Parameters
    ----------
    kind : str
        A key of ``GENERATOR_KINDS``.
    n : int
        Number of points, 1 .. 1,000,000.
    n_components : int
        Number K of components or parts, ``MIN_COMPONENTS[kind]`` .. 10. For
        ``collapse``, K - 1 Gaussian blobs plus the copied point.
    dim : int
        Dimension d, 1, 2 or 3.
    seed : int or numpy.random.Generator
        Source of randomness: the same int gives the same data.

    Returns
    -------
    SyntheticData
        With ``X`` of shape (n, d) and K components or parts.

    Raises
    ------
    DataError
        If an argument is out of range (the message says which and what is allowed).
    TypeError
        If ``seed`` is neither an int nor a ``numpy.random.Generator``.
    """
    _check_arguments(kind, n, n_components, dim)
    rng = as_generator(seed, allow_none=False)
    weights, means, factors, X_sorted, sizes = _BUILDERS[kind](n, n_components, dim, rng)
    order = rng.permutation(n)
    covariances = factors @ factors.transpose(0, 2, 1) if factors is not None else None
    return SyntheticData(
        X=X_sorted[order],
        labels=np.repeat(np.arange(n_components), sizes)[order],
        true_weights=weights,
        true_means=means,
        true_covariances=covariances,
        kind=kind,
        name=GENERATOR_KINDS[kind],
        description=_describe(kind, n_components, dim, sizes),
    )


# --------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------


def _check_arguments(kind: str, n: int, n_components: int, dim: int) -> None:
    """Raise a ``DataError`` saying which argument is out of range."""
    if kind not in GENERATOR_KINDS:
        raise DataError(
            f"There is no kind of data set called {kind!r}; choose one of "
            f"{', '.join(map(repr, GENERATOR_KINDS))}."
        )
    _check_whole_number("The number of points", n, 1, MAX_POINTS)
    _check_whole_number("The dimension", dim, DIMENSIONS[0], DIMENSIONS[-1])
    _check_whole_number(
        f"The number of components for {GENERATOR_KINDS[kind]!r}",
        n_components,
        MIN_COMPONENTS[kind],
        MAX_COMPONENTS,
    )


def _check_whole_number(what: str, value: object, low: int, high: int) -> None:
    """Raise a ``DataError`` unless ``low <= value <= high`` is a whole number."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise DataError(f"{what} must be a whole number; got {value!r}.")
    if not low <= value <= high:
        raise DataError(f"{what} must be between {low:,} and {high:,}; got {value:,}.")


# --------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------


def _split_sizes(n: int, weights: np.ndarray) -> np.ndarray:
    """Split ``n`` points into groups in proportion to ``weights``, summing exactly to n.

    Parameters
    ----------
    n : int
    weights : ndarray, shape (K,)
        Non-negative, summing to 1.

    Returns
    -------
    ndarray of int64, shape (K,)
        ``floor(n * weights)``, plus one for the groups with the largest remainders.
    """
    exact = n * np.asarray(weights, dtype=np.float64)
    sizes = np.floor(exact).astype(np.int64)
    largest_remainders = np.argsort(sizes - exact, kind="stable")
    sizes[largest_remainders[: n - sizes.sum()]] += 1
    return sizes


def _random_rotations(count: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """Uniformly random rotation matrices (determinant +1).

    Returns
    -------
    ndarray, shape (count, d, d)
        In 1-D, the identity.
    """
    q, r = np.linalg.qr(rng.standard_normal((count, d, d)))
    q = q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]
    q[:, :, 0] *= np.sign(np.linalg.det(q))[:, None]
    return q


def _unit_layout(k: int, d: int) -> np.ndarray:
    """``k`` points in ``d`` dimensions, centred, at least 1 apart (exactly, for some pair).

    On a line (1-D), a regular polygon (2-D) or a Fibonacci sphere (3-D).

    Returns
    -------
    ndarray, shape (k, d)
    """
    if k == 1:
        return np.zeros((1, d))
    i = np.arange(k) + 0.5
    if d == 1:
        points = i[:, None]
    elif d == 2:
        angle = 2 * np.pi * i / k
        points = np.column_stack([np.cos(angle), np.sin(angle)])
    else:
        z = 1 - 2 * i / k
        angle = np.pi * (1 + np.sqrt(5)) * i
        ring = np.sqrt(1 - z**2)
        points = np.column_stack([ring * np.cos(angle), ring * np.sin(angle), z])
    points = points - points.mean(axis=0)
    return points / pdist(points).min()


def _spread_means(k: int, d: int, spacing: float, rng: np.random.Generator) -> np.ndarray:
    """``k`` centres at least ``spacing`` apart, randomly rotated about the origin.

    Returns
    -------
    ndarray, shape (k, d)
    """
    return spacing * _unit_layout(k, d) @ _random_rotations(1, d, rng)[0].T


def _isotropic(scales: np.ndarray, d: int) -> np.ndarray:
    """Square-root factors ``s_k I`` of round covariances ``s_k^2 I``.

    Returns
    -------
    ndarray, shape (len(scales), d, d)
    """
    return np.asarray(scales, dtype=np.float64)[:, None, None] * np.eye(d)


def _equal_weights(k: int) -> np.ndarray:
    return np.full(k, 1.0 / k)


def _gaussian_points(
    sizes: np.ndarray, means: np.ndarray, factors: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Draw ``sizes[k]`` points from N(means[k], factors[k] factors[k]^T) for each k.

    Returns
    -------
    ndarray, shape (sizes.sum(), d)
        Grouped by component, in order.
    """
    d = means.shape[1]
    blocks = [
        mean + rng.standard_normal((size, d)) @ factor.T
        for size, mean, factor in zip(sizes, means, factors)
    ]
    return np.concatenate(blocks)


def _describe(kind: str, k: int, d: int, sizes: np.ndarray) -> str:
    """One sentence for a student about the data set (see ``_DESCRIPTIONS``)."""
    template = _DESCRIPTIONS.get((kind, d), _DESCRIPTIONS[kind])
    return template.format(
        K=k, s="" if k == 1 else "s", B=k - 1, bs="" if k == 2 else "s", m=f"{sizes[-1]:,}"
    )


# --------------------------------------------------------------------------------------
# The kinds. Each returns weights (K,), means (K, d), covariance factors (K, d, d) or
# None, the points grouped by part (n, d) and the group sizes (K,).
# --------------------------------------------------------------------------------------

_Parts = tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]


def _gaussian_kind(
    parameters: Callable[[int, int, np.random.Generator], tuple[np.ndarray, ...]],
) -> Callable[[int, int, int, np.random.Generator], _Parts]:
    """Make a builder that draws a Gaussian mixture with the given parameters.

    Parameters
    ----------
    parameters : callable
        ``parameters(K, d, rng) -> (weights (K,), means (K, d), factors (K, d, d))``.
    """

    def build(n: int, k: int, d: int, rng: np.random.Generator) -> _Parts:
        weights, means, factors = parameters(k, d, rng)
        sizes = _split_sizes(n, weights)
        return weights, means, factors, _gaussian_points(sizes, means, factors, rng), sizes

    return build


def _separated(k: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return _equal_weights(k), _spread_means(k, d, 8.0, rng), _isotropic(np.ones(k), d)


def _overlapping(k: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return _equal_weights(k), _spread_means(k, d, 2.5, rng), _isotropic(np.ones(k), d)


def _elongated(k: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Axes of standard deviation 2.5 down to 0.4, each component rotated at random.

    In 1-D, standard deviations from 0.4 to 2.5 across the components.
    """
    if d == 1:
        scales = np.geomspace(0.4, 2.5, k)[:, None]
    else:
        scales = np.broadcast_to(np.geomspace(2.5, 0.4, d), (k, d))
    factors = _random_rotations(k, d, rng) * scales[:, None, :]
    return _equal_weights(k), _spread_means(k, d, 7.0, rng), factors


def _unequal(k: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Weights proportional to 1, 2^-1.5, 3^-1.5, ...; standard deviations 2 down to 0.5."""
    weights = np.arange(1, k + 1) ** -1.5
    scales = np.linspace(2.0, 0.5, k)
    return weights / weights.sum(), _spread_means(k, d, 8.0, rng), _isotropic(scales, d)


def _collapse(n: int, k: int, d: int, rng: np.random.Generator) -> _Parts:
    """K - 1 unit Gaussian blobs 8 apart, plus copies of one point far from them all.

    The copies make ``COLLAPSE_SHARE`` of the points and sit ``COLLAPSE_DISTANCE``
    standard deviations from the first blob's centre, on the side away from the other
    blobs. Their "covariance" is zero, so the data is not a Gaussian mixture.

    Fitted with ``reg_covar = 0``, a component sits on the copies and its covariance
    becomes singular. With scikit-learn's ``GaussianMixture(K, reg_covar=0,
    random_state=0)`` (k-means initialisation) this happened for every seed 0..19,
    d = 1, 2, 3 and n = 50, 300, 2000 with K = 2, and in 56 of those 60 cases with K = 3
    (it raises, or a covariance determinant falls below 1e-20);
    ``tests/engine/data/test_generators.py`` checks seeds 0..4 with K = 2. With more components,
    whether one lands on the copies depends on the initialisation.
    """
    blobs = _spread_means(k - 1, d, 8.0, rng)
    copied = blobs[0] + COLLAPSE_DISTANCE * _outward(blobs, rng)
    weights = np.append(_equal_weights(k - 1) * (1 - COLLAPSE_SHARE), COLLAPSE_SHARE)
    means = np.vstack([blobs, copied])
    factors = np.concatenate([_isotropic(np.ones(k - 1), d), np.zeros((1, d, d))])
    sizes = _split_sizes(n, weights)
    return weights, means, None, _gaussian_points(sizes, means, factors, rng), sizes


def _outward(centres: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unit vector from the middle of ``centres`` (k, d) to the first one (random if k=1).

    Returns
    -------
    ndarray, shape (d,)
    """
    away = centres[0] - centres.mean(axis=0)
    if np.linalg.norm(away) == 0:
        away = rng.standard_normal(centres.shape[1])
    return away / np.linalg.norm(away)


def _rings(n: int, k: int, d: int, rng: np.random.Generator) -> _Parts:
    """Rings of radius 1, 2.5, 4, ... around 0 with noise; shells in 3-D, ±r in 1-D.

    Each ring's weight is proportional to its size (r^(d-1)), so all are equally dense.
    """
    radii = 1.0 + 1.5 * np.arange(k)
    weights = radii ** (d - 1) / np.sum(radii ** (d - 1))
    sizes = _split_sizes(n, weights)
    directions = rng.standard_normal((n, d))
    norms = np.linalg.norm(directions, axis=1, keepdims=True)
    directions /= np.maximum(norms, np.finfo(np.float64).tiny)
    X = np.repeat(radii, sizes)[:, None] * directions + _NOISE * rng.standard_normal((n, d))
    return weights, np.zeros((k, d)), None, X, sizes


def _moons(n: int, k: int, d: int, rng: np.random.Generator) -> _Parts:
    """Interlocking half-circles of radius 1 (as scikit-learn's ``make_moons`` for K=2).

    Moon j is centred at (1.25 j, 0) opening down if j is even, at (1.25 j, 0.5)
    opening up if j is odd. In 3-D the moons lie in the (x, y) plane; the noise alone
    gives them height. In 1-D, see ``_skewed``.
    """
    if d == 1:
        return _skewed(n, k, rng)
    weights = _equal_weights(k)
    sizes = _split_sizes(n, weights)
    part = np.repeat(np.arange(k), sizes)
    odd = np.arange(k) % 2
    sides = np.where(odd, -1.0, 1.0)[:, None]
    centres = np.column_stack([1.25 * np.arange(k), 0.5 * odd])
    angle = rng.uniform(0.0, np.pi, n)
    arcs = centres[part] + sides[part] * np.column_stack([np.cos(angle), np.sin(angle)])
    X = np.pad(arcs, ((0, 0), (0, d - 2))) + _NOISE * rng.standard_normal((n, d))
    means = np.pad(centres + sides * [0.0, 2 / np.pi], ((0, 0), (0, d - 2)))
    return weights, means, None, X, sizes


def _skewed(n: int, k: int, rng: np.random.Generator) -> _Parts:
    """1-D: bump j is 6 j + an exponential (scale 1) variable: mean 6 j + 1, long tail."""
    weights = _equal_weights(k)
    sizes = _split_sizes(n, weights)
    X = 6.0 * np.repeat(np.arange(k), sizes) + rng.exponential(1.0, n)
    return weights, 6.0 * np.arange(k)[:, None] + 1.0, None, X[:, None], sizes


_BUILDERS: dict[str, Callable[[int, int, int, np.random.Generator], _Parts]] = {
    "separated": _gaussian_kind(_separated),
    "overlapping": _gaussian_kind(_overlapping),
    "elongated": _gaussian_kind(_elongated),
    "unequal": _gaussian_kind(_unequal),
    "rings": _rings,
    "moons": _moons,
    "collapse": _collapse,
}
