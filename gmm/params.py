"""The parameters of a Gaussian mixture, as an immutable value.

A mixture of K components in d dimensions is

    P(x) = sum_k weights[k] * N(x | means[k], Sigma_k)

The covariances are stored in the shape scikit-learn uses for each covariance type:

============  ==================  ==========================================
type          ``covariances``     meaning
============  ==================  ==========================================
``full``      (K, d, d)           one full matrix per component
``tied``      (d, d)              one full matrix shared by all components
``diag``      (K, d)              the diagonal of each component's matrix
``spherical`` (K,)                one variance per component (Sigma_k = v I)
============  ==================  ==========================================

Every ``MixtureParams`` is validated on construction, and carries the Cholesky factors
of its precision matrices (``precisions_cholesky``, same shapes as scikit-learn's
``precisions_cholesky_``), which the E-step uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import linalg

from gmm.checks import COVARIANCE_TYPES as COVARIANCE_TYPES  # defined with its check
from gmm.checks import check_covariance_type

#: A full covariance counts as singular when the smallest eigenvalue of its correlation
#: matrix is below this many machine epsilons per dimension: rounding alone can leave a
#: rank-deficient matrix with such a tiny positive pivot that Cholesky accepts it.
SINGULAR_EPS_PER_DIM = 16

#: What each covariance type is called on screen (widgets, notices).
COVARIANCE_LABELS = {
    "full": "full (any ellipse)",
    "tied": "tied (one shared ellipse)",
    "diag": "diag (axis-aligned)",
    "spherical": "spherical (circles)",
}


def describe_covariance(covariance_type: str) -> str:
    """The label of a covariance type, e.g. ``"diag (axis-aligned)"``."""
    return COVARIANCE_LABELS.get(covariance_type, covariance_type)


class SingularCovarianceError(ValueError):
    """A covariance matrix is not positive definite, so its Gaussian has no density.

    Parameters
    ----------
    components : tuple of int
        Zero-based indices of the offending components. For ``tied`` covariances, all
        components share the one matrix and every index is listed.
    """

    def __init__(self, message: str, components: tuple[int, ...] = ()):
        super().__init__(message)
        self.components = tuple(int(k) for k in components)


def covariance_shape(covariance_type: str, n_components: int, n_features: int) -> tuple:
    """Shape of the ``covariances`` array for a covariance type (see module docstring)."""
    return {
        "full": (n_components, n_features, n_features),
        "tied": (n_features, n_features),
        "diag": (n_components, n_features),
        "spherical": (n_components,),
    }[check_covariance_type(covariance_type)]


def to_full_matrices(
    covariances: np.ndarray, covariance_type: str, n_components: int, n_features: int
) -> np.ndarray:
    """Expand covariances (or precisions) of any type into full matrices.

    Parameters
    ----------
    covariances : ndarray
        In the shape of ``covariance_shape(covariance_type, n_components, n_features)``.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    n_components, n_features : int

    Returns
    -------
    ndarray of shape (n_components, n_features, n_features)
    """
    covariances = np.asarray(covariances, dtype=float)
    if covariance_type == "full":
        return covariances.copy()
    if covariance_type == "tied":
        return np.broadcast_to(covariances, (n_components, n_features, n_features)).copy()
    if covariance_type == "diag":
        return covariances[:, :, None] * np.eye(n_features)
    return covariances[:, None, None] * np.eye(n_features)


def _matrix_precision_cholesky(covariance: np.ndarray, component: int) -> np.ndarray:
    """The factor ``P = inv(L).T`` (L the Cholesky factor) with ``P @ P.T = inv(covariance)``."""
    try:
        chol = linalg.cholesky(covariance, lower=True)
    except linalg.LinAlgError:
        chol = None
    if (
        chol is None
        or not np.all(np.isfinite(chol))
        or np.any(np.diag(chol) <= 0)
        or _numerically_singular(covariance)
    ):
        raise SingularCovarianceError(
            f"The covariance matrix of component {component + 1} is not positive definite.",
            (component,),
        )
    n_features = covariance.shape[0]
    return linalg.solve_triangular(chol, np.eye(n_features), lower=True).T


def _stacked_precision_cholesky(covariances: np.ndarray) -> np.ndarray | None:
    """:func:`_matrix_precision_cholesky` for a stack (K, d, d) at once, or None if any
    matrix fails (the caller then finds which)."""
    if not np.all(np.isfinite(covariances)):
        return None
    try:
        chol = np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        return None
    if np.any(np.diagonal(chol, axis1=1, axis2=2) <= 0) or np.any(_singular_stack(covariances)):
        return None
    # batched inverse of the triangular factors; np.triu drops the rounding noise that
    # the LU solve leaves where the exact inverse has zeros
    return np.triu(np.swapaxes(np.linalg.inv(chol), 1, 2))


def _singular_stack(covariances: np.ndarray) -> np.ndarray:
    """:func:`_numerically_singular` for a stack (K, d, d): shape (K,) of bool."""
    scale = np.sqrt(np.diagonal(covariances, axis1=1, axis2=2))
    correlation = covariances / (scale[:, :, None] * scale[:, None, :])
    floor = SINGULAR_EPS_PER_DIM * covariances.shape[-1] * np.finfo(float).eps
    return np.linalg.eigvalsh(correlation)[:, 0] <= floor


def _numerically_singular(covariance: np.ndarray) -> bool:
    """Whether a positive-pivot matrix is singular up to rounding (scale-free test)."""
    return bool(_singular_stack(covariance[None])[0])


def compute_precision_cholesky(covariances: np.ndarray, covariance_type: str) -> np.ndarray:
    """Cholesky factors of the precision matrices, in scikit-learn's layout.

    Parameters
    ----------
    covariances : ndarray
        Covariances in the shape for ``covariance_type``.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    ndarray
        Same shape as ``covariances``: for full matrices the lower-triangular-transposed
        factor ``P`` with ``P @ P.T`` equal to the precision; for diag and spherical the
        inverse standard deviations.

    Raises
    ------
    SingularCovarianceError
        If a covariance is not positive definite (or not finite).
    """
    covariances = np.asarray(covariances, dtype=float)
    if covariance_type == "full":
        factors = _stacked_precision_cholesky(covariances)
        if factors is not None:
            return factors
        # some matrix is not positive definite: find which, one at a time
        return np.stack([_matrix_precision_cholesky(cov, k) for k, cov in enumerate(covariances)])
    if covariance_type == "tied":
        try:
            return _matrix_precision_cholesky(covariances, 0)
        except SingularCovarianceError as error:
            raise SingularCovarianceError(
                "The shared (tied) covariance matrix is not positive definite."
            ) from error
    bad = ~np.isfinite(covariances) | (covariances <= 0)
    if np.any(bad):
        components = np.unique(np.nonzero(bad)[0])
        names = ", ".join(str(k + 1) for k in components)
        raise SingularCovarianceError(
            f"The variances of component(s) {names} are not all positive.", tuple(components)
        )
    return 1.0 / np.sqrt(covariances)


def log_det_precision_cholesky(
    precisions_cholesky: np.ndarray, covariance_type: str, n_features: int
) -> np.ndarray | float:
    """log det of each precision Cholesky factor, i.e. -0.5 log det Sigma_k.

    Returns
    -------
    ndarray of shape (n_components,), or a float for ``tied``.
    """
    if covariance_type == "full":
        return np.sum(np.log(np.diagonal(precisions_cholesky, axis1=1, axis2=2)), axis=1)
    if covariance_type == "tied":
        return float(np.sum(np.log(np.diag(precisions_cholesky))))
    if covariance_type == "diag":
        return np.sum(np.log(precisions_cholesky), axis=1)
    return n_features * np.log(precisions_cholesky)


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=float, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class MixtureParams:
    """Weights, means and covariances of a Gaussian mixture: an immutable, checked value.

    Parameters
    ----------
    weights : array-like of shape (n_components,)
        Mixing proportions pi_k, non-negative and summing to 1.
    means : array-like of shape (n_components, n_features)
    covariances : array-like
        Shape given by ``covariance_type`` (see the module docstring).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Raises
    ------
    ValueError
        For wrong shapes, non-finite values or weights that do not sum to 1.
    SingularCovarianceError
        If a covariance is not positive definite.
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    covariance_type: str = "full"
    precisions_cholesky: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        check_covariance_type(self.covariance_type)
        weights, means = np.asarray(self.weights, float), np.asarray(self.means, float)
        covariances = np.asarray(self.covariances, float)
        _check_shapes(weights, means, covariances, self.covariance_type)
        _check_weights(weights)
        if not np.all(np.isfinite(means)):
            raise ValueError("The means contain NaN or infinite values.")
        if self.covariance_type in ("full", "tied"):
            _check_symmetric(covariances)
        object.__setattr__(self, "weights", _frozen(weights))
        object.__setattr__(self, "means", _frozen(means))
        object.__setattr__(self, "covariances", _frozen(covariances))
        precisions_cholesky = compute_precision_cholesky(covariances, self.covariance_type)
        object.__setattr__(self, "precisions_cholesky", _frozen(precisions_cholesky))

    @classmethod
    def from_precisions(cls, weights, means, precisions, covariance_type="full"):
        """Build parameters from precision matrices (inverse covariances).

        Parameters
        ----------
        precisions : array-like
            Same shape rules as ``covariances``; must be positive definite.
        """
        check_covariance_type(covariance_type)
        precisions = np.asarray(precisions, dtype=float)
        if covariance_type in ("diag", "spherical"):
            if np.any(~np.isfinite(precisions) | (precisions <= 0)):
                raise ValueError("precisions must be positive (they are inverse variances).")
            return cls(weights, means, 1.0 / precisions, covariance_type)
        matrices = precisions if covariance_type == "full" else precisions[None]
        try:
            inverses = np.stack(
                [
                    linalg.cho_solve((_cholesky_or_raise(p, "precision"), True), np.eye(len(p)))
                    for p in matrices
                ]
            )
        except SingularCovarianceError as error:
            raise ValueError(
                "A precision matrix is not symmetric positive definite; give a valid inverse "
                "covariance."
            ) from error
        inverses = 0.5 * (inverses + np.swapaxes(inverses, 1, 2))
        return cls(
            weights, means, inverses if covariance_type == "full" else inverses[0], covariance_type
        )

    @property
    def n_components(self) -> int:
        """Number of components K."""
        return self.means.shape[0]

    @property
    def n_features(self) -> int:
        """Number of dimensions d."""
        return self.means.shape[1]

    @cached_property
    def full_covariances(self) -> np.ndarray:
        """Each component's covariance as a full matrix, shape (n_components, d, d)."""
        return _frozen(
            to_full_matrices(
                self.covariances, self.covariance_type, self.n_components, self.n_features
            )
        )

    @cached_property
    def precisions(self) -> np.ndarray:
        """Precision matrices in scikit-learn's ``precisions_`` layout for the type."""
        chol = self.precisions_cholesky
        if self.covariance_type == "full":
            return _frozen(chol @ np.swapaxes(chol, 1, 2))
        if self.covariance_type == "tied":
            return _frozen(chol @ chol.T)
        return _frozen(chol**2)

    @cached_property
    def log_det_precision_cholesky(self) -> np.ndarray:
        """-0.5 log det Sigma_k for each component, shape (n_components,)."""
        value = log_det_precision_cholesky(
            self.precisions_cholesky, self.covariance_type, self.n_features
        )
        return _frozen(np.broadcast_to(value, (self.n_components,)))

    def to_dict(self) -> dict:
        """Plain-Python form (lists of floats) for JSON export."""
        return {
            "covariance_type": self.covariance_type,
            "weights": self.weights.tolist(),
            "means": self.means.tolist(),
            "covariances": self.covariances.tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> MixtureParams:
        """Inverse of :meth:`to_dict`."""
        return cls(data["weights"], data["means"], data["covariances"], data["covariance_type"])

    def allclose(self, other: MixtureParams, rtol=1e-9, atol=0.0) -> bool:
        """True when both describe the same mixture to the given tolerance (same order)."""
        return (
            self.covariance_type == other.covariance_type
            and self.means.shape == other.means.shape
            and np.allclose(self.weights, other.weights, rtol=rtol, atol=atol)
            and np.allclose(self.means, other.means, rtol=rtol, atol=atol)
            and np.allclose(self.covariances, other.covariances, rtol=rtol, atol=atol)
        )


def _cholesky_or_raise(matrix: np.ndarray, what: str) -> np.ndarray:
    try:
        return linalg.cholesky(matrix, lower=True)
    except linalg.LinAlgError as error:
        raise SingularCovarianceError(f"A {what} matrix is not positive definite.") from error


def _check_shapes(weights, means, covariances, covariance_type):
    if means.ndim != 2 or means.shape[0] < 1 or means.shape[1] < 1:
        raise ValueError(
            f"means must have shape (n_components, n_features); got shape {means.shape}."
        )
    n_components, n_features = means.shape
    if weights.shape != (n_components,):
        raise ValueError(
            f"weights must have shape ({n_components},), one per component; "
            f"got shape {weights.shape}."
        )
    expected = covariance_shape(covariance_type, n_components, n_features)
    if covariances.shape != expected:
        raise ValueError(
            f"{covariance_type!r} covariances must have shape {expected} for "
            f"{n_components} components in {n_features} dimensions; "
            f"got shape {covariances.shape}."
        )


def _check_weights(weights):
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("The weights must be finite and non-negative.")
    total = float(np.sum(weights))
    if not abs(total - 1.0) <= 1e-8:  # np.isclose(total, 1, rtol=0, atol=1e-8), cheaper
        raise ValueError(
            f"The weights must sum to 1; they sum to {total:.10g}. Divide them by their sum."
        )


def _check_symmetric(covariances):
    matrices = covariances if covariances.ndim == 3 else covariances[None]
    if not np.all(np.isfinite(matrices)):
        raise SingularCovarianceError("A covariance matrix contains NaN or infinite values.")
    asymmetry = np.abs(matrices - np.swapaxes(matrices, 1, 2))
    scale = np.abs(matrices).max(axis=(1, 2), keepdims=True)
    if np.any(asymmetry > 1e-8 * np.maximum(scale, np.finfo(float).tiny)):
        raise ValueError("Covariance matrices must be symmetric.")
