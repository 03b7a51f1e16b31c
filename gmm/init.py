"""Starting parameters for EM.

Every method is driven by one explicit seed or ``numpy.random.Generator``; the same seed
gives the same start.

=====================  ====================================================================
method                 what it does
=====================  ====================================================================
``kmeans``             k-means (Lloyd's algorithm from k-means++ seeds), then one M-step
                       from the hard cluster assignments (scikit-learn's default).
``k-means++``          the k-means++ seed points become the means.
``random_from_data``   K distinct data points, drawn uniformly, become the means.
``random``             random responsibilities (uniform, normalised per point), then one
                       M-step (scikit-learn's ``random``).
``explicit``           means (and optionally weights and covariances) given by the user.
=====================  ====================================================================

Wherever only means are chosen (``k-means++``, ``random_from_data`` and ``explicit``
without covariances) the weights are uniform and every component starts with the
covariance of the whole data set (plus ``reg_covar``), reduced to the covariance type.
scikit-learn instead starts such components with a covariance of ``reg_covar`` alone,
which cannot be drawn and is singular when ``reg_covar`` is 0.
"""

from __future__ import annotations

import numpy as np

from gmm.checks import as_generator, check_covariance_type, check_data, check_init_method
from gmm.em import m_step
from gmm.params import MixtureParams, SingularCovarianceError

INIT_METHOD_LABELS = {
    "kmeans": "k-means",
    "k-means++": "k-means++ seeds",
    "random_from_data": "random data points",
    "random": "random responsibilities",
    "explicit": "chosen means",
}


def describe_init(method: str) -> str:
    """The label of an initialisation method, e.g. ``"k-means"``."""
    return INIT_METHOD_LABELS.get(method, method)


def _squared_distances(X: np.ndarray, centres: np.ndarray, norms=None) -> np.ndarray:
    """Squared Euclidean distances, shape (n_samples, n_centres). X should be centred.

    ``norms`` are the squared norms of X's rows, if already known (computed once per
    k-means run). Computed in place: |x|^2 - 2 x.c + |c|^2, clipped at 0.
    """
    norms = np.einsum("ij,ij->i", X, X) if norms is None else norms
    distances = X @ (-2.0 * centres).T  # exactly -2 (X @ centres.T): a power of two
    distances += norms[:, None]
    distances += np.einsum("ij,ij->i", centres, centres)[None, :]
    return np.maximum(distances, 0.0, out=distances)


def kmeans_plusplus(X: np.ndarray, n_clusters: int, random_state=None) -> np.ndarray:
    """Indices of k-means++ seed points (greedy variant, as scikit-learn).

    Each new seed is the best of ``2 + log(K)`` candidates drawn with probability
    proportional to the squared distance to the nearest seed so far.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int
    random_state : int, Generator or None

    Returns
    -------
    ndarray of int, shape (n_clusters,)
        Distinct row indices into X.
    """
    rng = as_generator(random_state)
    X = X - X.mean(axis=0)
    norms = np.einsum("ij,ij->i", X, X)
    n_samples = X.shape[0]
    n_trials = 2 + int(np.log(n_clusters))
    indices = [int(rng.integers(n_samples))]
    closest = _squared_distances(X, X[indices], norms)[:, 0]
    for _ in range(1, n_clusters):
        total = closest.sum()
        if total <= 0:  # every point coincides with a seed: pick unused points at random
            unused = np.setdiff1d(np.arange(n_samples), indices)
            indices.append(int(rng.choice(unused)))
            continue
        candidates = np.searchsorted(np.cumsum(closest), rng.random(n_trials) * total)
        candidates = np.minimum(candidates, n_samples - 1)
        # one row per candidate, so that the potentials are sums along contiguous rows
        candidate_closest = _squared_distances(X, X[candidates], norms).T
        np.minimum(closest, candidate_closest, out=candidate_closest)
        best = int(np.argmin(candidate_closest.sum(axis=1)))
        indices.append(int(candidates[best]))
        closest = candidate_closest[best]
    return np.asarray(indices)


def kmeans(
    X: np.ndarray, n_clusters: int, random_state=None, max_iter: int = 300, tol: float = 1e-4
) -> np.ndarray:
    """Cluster labels from Lloyd's k-means, seeded by k-means++.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int
    random_state : int, Generator or None
    max_iter : int
    tol : float
        Stop when the centres move less than ``tol`` times the mean feature variance.

    Returns
    -------
    ndarray of int, shape (n_samples,)
        A label in ``0 .. n_clusters - 1`` for each point; every label is used when there
        are at least ``n_clusters`` distinct points.
    """
    rng = as_generator(random_state)
    centred = X - X.mean(axis=0)
    centres = centred[kmeans_plusplus(centred, n_clusters, rng)]
    threshold = tol * float(np.mean(np.var(centred, axis=0)))
    norms = np.einsum("ij,ij->i", centred, centred)
    labels = np.zeros(len(X), dtype=int)
    for _ in range(max_iter):
        distances = _squared_distances(centred, centres, norms)
        labels = np.argmin(distances, axis=1)
        new_centres = _cluster_means(centred, labels, centres, distances)
        shift = float(np.sum((new_centres - centres) ** 2))
        centres = new_centres
        if shift <= threshold:
            break
    return np.argmin(_squared_distances(centred, centres, norms), axis=1)


def _cluster_means(X, labels, centres, distances) -> np.ndarray:
    """Mean of each cluster; an empty cluster moves to the point farthest from its centre."""
    counts = np.bincount(labels, minlength=len(centres))
    sums = np.stack(  # sequential sums in point order, as np.add.at but much faster
        [np.bincount(labels, weights=column, minlength=len(centres)) for column in X.T], axis=1
    )
    new_centres = centres.copy()
    filled = counts > 0
    new_centres[filled] = sums[filled] / counts[filled, None]
    if not np.all(filled):
        nearest = distances[np.arange(len(X)), labels]
        farthest = np.argsort(nearest)[::-1]
        for slot, point in zip(np.flatnonzero(~filled), farthest):
            new_centres[slot] = X[point]
    return new_centres


def data_covariance(
    X: np.ndarray, covariance_type: str, n_components: int, reg_covar: float
) -> np.ndarray:
    """The whole data set's covariance (biased), reduced to ``covariance_type``.

    Returns
    -------
    ndarray
        Covariances in the shape for ``covariance_type`` with every component equal.
    """
    centred = X - X.mean(axis=0)
    matrix = centred.T @ centred / len(X) + reg_covar * np.eye(X.shape[1])
    if covariance_type == "full":
        return np.broadcast_to(matrix, (n_components, *matrix.shape)).copy()
    if covariance_type == "tied":
        return matrix
    if covariance_type == "diag":
        return np.tile(np.diag(matrix), (n_components, 1))
    return np.full(n_components, np.trace(matrix) / X.shape[1])


def params_from_means(
    X: np.ndarray, means: np.ndarray, covariance_type: str, reg_covar: float
) -> MixtureParams:
    """Uniform weights, the given means and the data covariance for every component."""
    means = np.asarray(means, dtype=float)
    n_components = means.shape[0]
    covariances = data_covariance(X, covariance_type, n_components, reg_covar)
    try:
        return MixtureParams(
            np.full(n_components, 1.0 / n_components), means, covariances, covariance_type
        )
    except SingularCovarianceError as error:
        raise SingularCovarianceError(
            "The data have no spread in some direction (a constant column, or columns that "
            "are exact multiples of each other), so their covariance is singular. Remove "
            "that column, or set reg_covar above 0.",
            error.components,
        ) from error


def _one_hot(labels: np.ndarray, n_components: int) -> np.ndarray:
    resp = np.zeros((len(labels), n_components))
    resp[np.arange(len(labels)), labels] = 1.0
    return resp


def _params_from_responsibilities(X, resp, covariance_type, reg_covar, method):
    try:
        return m_step(X, resp, covariance_type, reg_covar)
    except SingularCovarianceError as error:
        names = ", ".join(str(k + 1) for k in error.components) or "all"
        raise SingularCovarianceError(
            f"The {INIT_METHOD_LABELS[method]} initialisation gave component(s) {names} a "
            "singular covariance (a cluster with too few distinct points, or a constant "
            "column). Increase reg_covar, lower K, or try another seed or initialisation.",
            error.components,
        ) from error


def initialize(
    X: np.ndarray,
    n_components: int,
    covariance_type: str = "full",
    method: str = "kmeans",
    random_state=None,
    reg_covar: float = 1e-6,
    means: np.ndarray | None = None,
) -> MixtureParams:
    """Starting parameters for EM.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_components : int
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    method : {'kmeans', 'k-means++', 'random_from_data', 'random', 'explicit'}
    random_state : int, Generator or None
    reg_covar : float
    means : ndarray of shape (n_components, n_features), only for ``method='explicit'``

    Returns
    -------
    MixtureParams

    Raises
    ------
    ValueError
        For a bad method or bad explicit means.
    SingularCovarianceError
        If the start has a singular covariance (possible when ``reg_covar`` is 0).
    """
    X = check_data(X, n_components)
    check_covariance_type(covariance_type)
    check_init_method(method)
    rng = as_generator(random_state)
    if method == "explicit":
        means = _check_explicit_means(means, n_components, X.shape[1])
        return params_from_means(X, means, covariance_type, reg_covar)
    if method == "k-means++":
        return params_from_means(
            X, X[kmeans_plusplus(X, n_components, rng)], covariance_type, reg_covar
        )
    if method == "random_from_data":
        indices = rng.choice(len(X), size=n_components, replace=False)
        return params_from_means(X, X[indices], covariance_type, reg_covar)
    if method == "kmeans":
        resp = _one_hot(kmeans(X, n_components, rng), n_components)
    else:
        resp = rng.uniform(size=(len(X), n_components))
        resp /= resp.sum(axis=1, keepdims=True)
    return _params_from_responsibilities(X, resp, covariance_type, reg_covar, method)


def _check_explicit_means(means, n_components, n_features) -> np.ndarray:
    if means is None:
        raise ValueError(
            "The 'explicit' initialisation needs means: choose one starting point per component."
        )
    means = np.asarray(means, dtype=float)
    if means.shape != (n_components, n_features):
        raise ValueError(
            f"Expected {n_components} starting means in {n_features} dimensions (shape "
            f"({n_components}, {n_features})); got shape {means.shape}. Choose exactly "
            f"{n_components} points, or change K."
        )
    if not np.all(np.isfinite(means)):
        raise ValueError("The starting means contain NaN or infinite values.")
    return means
